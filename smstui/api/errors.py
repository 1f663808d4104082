"""What can go wrong when talking to the gateway, as a few exceptions with one-line messages.

Every exception carries :attr:`SmsError.user_message`: one short line that can be shown as is.
It never contains a response body, a header or a secret; the only network text it may hold is
the gateway's ``errorMsg``/free-text error, sanitised and cut to one line.
"""

from __future__ import annotations

import math
import time

from smstui.domain.sanitize import clean_text

MAX_DETAIL_CHARS = 120
"""Longest piece of gateway-supplied text shown inside a message."""

_CODE_MESSAGES: dict[int, str] = {
    102: "The message text is missing",
    103: "The phone number is missing or not valid",
    104: "The client id or secret was not accepted",
    105: "The gateway has a temporary problem; try again later",
    106: "A destination number is missing or not valid",
    108: "Not enough credit to send this message",
    109: "The sender is empty",
    110: "A numeric sender must begin with +",
    111: "The sender is not acceptable (at most 11 letters or 14 digits)",
    112: "A message is required",
    113: "An order is required",
    114: "The request was empty",
    116: "API access was switched off after a long time without use; contact Smstools support",
    118: "Message too long (max 459 characters)",
    121: "The schedule date is malformed or in the past",
    122: "No contacts were supplied",
    123: "The item has no ID",
    124: "A group id is required",
    125: "That group does not exist",
    126: "A name is required",
    128: "That group does not exist",
    129: "That number is already in the group",
    131: "The recipient has opted out of messages from you",
    132: "That inbox does not exist",
    133: "That message does not exist",
    134: "That webhook does not exist",
    135: "The page size must be a whole number from 1 to 2000",
    136: "The page number must be a whole number of at least 1",
    137: "The WhatsApp 24-hour window is closed; a template message is required",
    138: "The account is misconfigured; contact Smstools support",
    139: "Missing or invalid parameters",
    140: "The WhatsApp Business account is missing or invalid",
    200: "This computer's IP address is not on the account's allow list",
    1002: "Too many failed sign-in attempts; the account is locked for a while",
    1403: "Your team account has no access to these items",
}

AUTH_CODES = frozenset({104, 116, 200, 1002})
"""Codes that mean the credentials (or where they are used from) are the problem."""

UNAVAILABLE_CODES = frozenset({105})
"""Codes that mean the gateway is temporarily unable to serve; worth retrying."""

_DETAIL_CODES = frozenset({106, 111, 128, 139})
"""Codes whose ``errorMsg`` names the offending value, so it is worth showing."""


def describe_code(code: int) -> str:
    """Return a one-line, user-facing explanation of a Smstools error code.

    Args:
        code: The numeric ``error`` from a gateway response.

    Returns:
        A short sentence without a trailing full stop; unknown codes get a generic line that
        names the code so support can look it up.
    """
    message = _CODE_MESSAGES.get(code)
    if message is None:
        return f"The gateway refused the request (error {code})"
    return message


def one_line(text: str, limit: int = MAX_DETAIL_CHARS) -> str:
    """Sanitise gateway text and squeeze it onto one line of at most ``limit`` characters.

    Args:
        text: Untrusted text from the network.
        limit: Maximum number of characters kept; longer text ends with an ellipsis.

    Returns:
        The cleaned, single-line text.
    """
    flat = " ".join(clean_text(text).split())
    if len(flat) > limit:
        return flat[: limit - 1].rstrip() + "…"
    return flat


def format_retry_time(retry_at: float) -> str:
    """Format an epoch time as local ``HH:MM``, rounded up so the user never retries early.

    Args:
        retry_at: When a retry may be attempted, in epoch seconds.

    Returns:
        The local wall-clock time, for example ``"14:05"``.
    """
    rounded = math.ceil(retry_at / 60) * 60
    return time.strftime("%H:%M", time.localtime(rounded))


class SmsError(Exception):
    """Base of every failure the client reports; ``user_message`` is safe to show."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message

    def __str__(self) -> str:
        return self.user_message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.user_message!r})"


class AuthError(SmsError):
    """The gateway rejected the credentials, the account is locked, or the IP is not allowed."""

    def __init__(self, user_message: str, *, code: int | None = None) -> None:
        super().__init__(user_message)
        self.code = code


class RateLimited(SmsError):
    """The gateway asked us to slow down (HTTP 429)."""

    def __init__(self, retry_at: float | None) -> None:
        when = f"try again at {format_retry_time(retry_at)}" if retry_at else "try again later"
        super().__init__(f"Rate limited by the gateway; {when}")
        self.retry_at = retry_at


class ServiceUnavailable(SmsError):
    """The gateway is having trouble (HTTP 5xx, error 105, an HTML error page)."""

    def __init__(
        self,
        user_message: str | None = None,
        *,
        retry_at: float | None = None,
        status: int | None = None,
    ) -> None:
        if user_message is None:
            what = (
                f"The gateway is having trouble (HTTP {status})"
                if status
                else ("The gateway is having trouble")
            )
            when = f"try again at {format_retry_time(retry_at)}" if retry_at else "try again later"
            user_message = f"{what}; {when}"
        super().__init__(user_message)
        self.retry_at = retry_at
        self.status = status


class Offline(SmsError):
    """The gateway could not be reached: refused, reset, DNS failure or a timeout."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"Can't reach the gateway ({reason})")
        self.reason = reason


class BadResponse(SmsError):
    """The gateway answered with something we could not read (malformed JSON, wrong shape)."""

    def __init__(self, what: str = "The gateway sent an answer that could not be read") -> None:
        super().__init__(what)


class ApiError(SmsError):
    """Any other refusal by the gateway, with its numeric code when it gave one."""

    def __init__(self, code: int | None, detail: str = "", *, status: int | None = None) -> None:
        self.code = code
        self.detail = detail
        self.status = status
        super().__init__(_api_message(code, detail, status))


class SendOutcomeUnknown(SmsError):
    """A send went out but no usable answer came back; the message may have been sent.

    Deliberately not an :class:`Offline`: the app must look for the message in the
    conversation before it offers to send it again.
    """

    def __init__(self, reason: str = "") -> None:
        message = "The gateway did not answer; the message may have been sent. Checking…"
        super().__init__(message)
        self.reason = reason


def _api_message(code: int | None, detail: str, status: int | None) -> str:
    """Build the one-line text of an :class:`ApiError`."""
    shown = one_line(detail) if detail else ""
    if code is None:
        if shown:
            return f"The gateway refused the request: {shown}"
        if status is not None:
            return f"The gateway refused the request (HTTP {status})"
        return "The gateway refused the request"
    base = describe_code(code)
    if shown and (code in _DETAIL_CODES or code not in _CODE_MESSAGES):
        if shown.casefold().startswith(base.casefold()):
            return shown  # the gateway already says it, with the detail appended
        return f"{base}: {shown}"
    return base


def error_for(
    code: int | None,
    text: str = "",
    detail: str = "",
    *,
    status: int | None = None,
) -> SmsError:
    """Map a gateway error (code and/or text, plus the HTTP status) to the right exception.

    Args:
        code: The numeric ``error`` code, or None when the gateway sent free text or nothing.
        text: The free-text ``error`` when it was not a number.
        detail: The optional ``errorMsg``.
        status: The HTTP status, used only when there is no code.

    Returns:
        The exception to raise: :class:`AuthError` for credential codes and 401/403,
        :class:`ServiceUnavailable` for 105 and 5xx, otherwise :class:`ApiError`.
    """
    if code is not None and code in AUTH_CODES:
        return AuthError(describe_code(code), code=code)
    if status == 401:
        # HTTP says the credentials were refused, whatever code the body carries ("401",
        # a proxy's own): retrying cannot help, signing in again can.
        return AuthError("The client id or secret was not accepted", code=code)
    if code is not None and code in UNAVAILABLE_CODES:
        return ServiceUnavailable(describe_code(code), status=status)
    if code is not None:
        return ApiError(code, detail, status=status)
    if status == 403:
        return AuthError("The gateway refused access to this account")
    if status is not None and status >= 500:
        return ServiceUnavailable(status=status)
    return ApiError(None, text or detail, status=status)
