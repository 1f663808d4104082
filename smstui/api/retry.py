"""Small pieces of the client's retry policy: ``Retry-After`` parsing and jittered backoff.

Only GET requests are ever retried (see :class:`smstui.api.client.SmsClient`); a send is
tried exactly once because a duplicate text costs money and confuses the recipient.
"""

from __future__ import annotations

import errno
import random
import socket
import ssl
from datetime import UTC
from email.utils import parsedate_to_datetime

import httpx

from smstui.api.errors import SmsError

RETRY_STATUSES = frozenset({429, 502, 503, 504})
"""HTTP statuses after which an idempotent request is worth trying again."""

MAX_BACKOFF = 10.0
"""Longest pause between two attempts when the gateway did not say how long to wait."""


class Transient(Exception):
    """A failure that a GET may retry; ``error`` is what the caller sees if retries run out.

    Attributes:
        error: The user-facing exception for this failure.
        retry_after: Seconds the gateway asked us to wait (``Retry-After``), if it said.
        status: The HTTP status when a response came back; None for transport failures.
        request_sent: False only when the failure certainly happened before any byte of the
            request left (connection refused, connect or pool timeout).
        retryable: False when trying again cannot help (a rejected TLS certificate, a base
            URL that is not http(s)).
    """

    def __init__(
        self,
        error: SmsError,
        *,
        retry_after: float | None = None,
        status: int | None = None,
        request_sent: bool = True,
        retryable: bool = True,
    ) -> None:
        super().__init__(error.user_message)
        self.error = error
        self.retry_after = retry_after
        self.status = status
        self.request_sent = request_sent
        self.retryable = retryable


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Read a ``Retry-After`` header: delay seconds or an HTTP date.

    Args:
        value: The header value, or None when absent.
        now: The current time in epoch seconds, for the HTTP-date form.

    Returns:
        Seconds to wait (never negative), or None when the header is absent or unreadable.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN check
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        # "-0000" (zone unknown) parses as naive; HTTP dates are always GMT (RFC 9110 §5.6.7).
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, moment.timestamp() - now)


def backoff_delay(attempt: int, base: float, ceiling: float, rng: random.Random) -> float:
    """Return a full-jitter exponential backoff: uniform in ``[0, min(ceiling, base·2^n)]``.

    Args:
        attempt: Zero-based number of the attempt that just failed.
        base: The first step of the exponential (``backoff``).
        ceiling: The cap of the exponential.
        rng: Random source (injectable for tests).

    Returns:
        Seconds to wait before the next attempt.
    """
    return rng.uniform(0.0, min(ceiling, base * 2**attempt))


def transport_failure(exc: httpx.HTTPError, read_timeout: float | None) -> tuple[str, bool, bool]:
    """Describe a transport exception for the user and classify it.

    Args:
        exc: What httpx raised.
        read_timeout: The configured read timeout, used in the wording.

    Returns:
        ``(reason, request_sent, retryable)``: a short phrase for ``Offline``, whether the
        request may have reached the gateway, and whether trying again may help.
    """
    if isinstance(exc, httpx.ConnectTimeout):
        return "connection timed out", False, True
    if isinstance(exc, httpx.PoolTimeout):
        return "too many requests at once", False, True
    if isinstance(exc, httpx.ProxyError):
        return "the proxy refused the connection", False, True
    if isinstance(exc, httpx.ConnectError):
        return _connect_reason(exc)
    if isinstance(exc, httpx.ReadTimeout):
        wait = f" within {read_timeout:g} s" if read_timeout else ""
        return f"no answer{wait}", True, True
    if isinstance(exc, httpx.TimeoutException):
        return "the connection stalled", True, True
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the connection broke off mid-answer", True, True
    if isinstance(exc, httpx.NetworkError):
        return "the connection was reset", True, True
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "the gateway address is not an http(s) URL", False, False
    return "the connection failed", True, False


def _connect_reason(exc: BaseException) -> tuple[str, bool, bool]:
    """Name why a connection could not be opened, from the exception chain httpx keeps."""
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLError):
            return "its TLS certificate was not accepted", False, False
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused", False, True
        if isinstance(cause, socket.gaierror):
            return "its name could not be looked up", False, True
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "network unreachable", False, True
    lowered = str(exc).lower()
    if "certificate" in lowered:
        return "its TLS certificate was not accepted", False, False
    if "name or service" in lowered or "nodename" in lowered or "getaddrinfo" in lowered:
        return "its name could not be looked up", False, True
    return "connection failed", False, True


def _causes(exc: BaseException) -> list[BaseException]:
    """Flatten an exception's cause/context chain, opening exception groups (anyio uses them)."""
    found: list[BaseException] = []
    pending: list[BaseException] = [exc]
    while pending and len(found) < 32:
        current = pending.pop(0)
        if current in found:
            continue
        found.append(current)
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                pending.append(linked)
    return found
