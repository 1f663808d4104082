"""One HTTP exchange with the gateway: auth headers, a size-capped read, and what it means.

:func:`read_reply` sends a request and reads the whole answer (refusing huge bodies);
:func:`interpret_reply` turns the answer into decoded JSON or the right exception, marking
the failures that are worth retrying as :class:`~smstui.api.retry.Transient`.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import httpx

from smstui.api.errors import (
    UNAVAILABLE_CODES,
    BadResponse,
    RateLimited,
    ServiceUnavailable,
    error_for,
)
from smstui.api.parse import parse_error_body
from smstui.api.retry import RETRY_STATUSES, Transient, parse_retry_after
from smstui.system.secret import Credentials

_TOO_LARGE = "The gateway's answer was too large"


class HeaderAuth(httpx.Auth):
    """Adds ``X-Client-Id``/``X-Client-Secret`` at send time.

    The secret is revealed only into the outgoing request, never into the client's default
    headers, so it does not show up in a repr of the client or of its configuration.
    """

    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Attach the two auth headers to the request."""
        request.headers["X-Client-Id"] = self._credentials.client_id
        request.headers["X-Client-Secret"] = self._credentials.secret.reveal()
        yield request

    def __repr__(self) -> str:
        return "HeaderAuth(X-Client-Id, X-Client-Secret)"


@dataclass(frozen=True, slots=True)
class Reply:
    """A fully read HTTP answer."""

    status: int
    headers: httpx.Headers
    body: bytes


async def read_reply(
    http: httpx.AsyncClient,
    method: str,
    path: str,
    *,
    params: dict[str, Any] | None,
    body: dict[str, Any] | None,
    max_bytes: int,
) -> Reply:
    """Send one request and read the whole answer.

    Args:
        http: The shared client (base URL, auth and timeouts configured).
        method: ``GET`` or ``POST``.
        path: Path below the base URL, e.g. ``/message/inbox``.
        params: Query parameters.
        body: JSON body, or None.
        max_bytes: Largest (decoded) body accepted.

    Returns:
        The status, headers and body.

    Raises:
        BadResponse: The body is larger than ``max_bytes``.
        httpx.HTTPError: The transport failed.
    """
    content = None if body is None else json.dumps(body).encode("utf-8")
    headers = None if content is None else {"Content-Type": "application/json"}
    request = http.build_request(method, path, params=params, content=content, headers=headers)
    response = await http.send(request, stream=True)
    try:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise BadResponse(_TOO_LARGE)
        chunks = bytearray()
        async for chunk in response.aiter_bytes():
            chunks += chunk
            if len(chunks) > max_bytes:
                raise BadResponse(_TOO_LARGE)
    finally:
        await response.aclose()
    return Reply(response.status_code, response.headers, bytes(chunks))


def interpret_reply(reply: Reply, now: float) -> object:
    """Return the decoded body of a successful answer, or raise the failure it describes.

    A 2xx whose body holds ``error`` is a failure (contract §2.5). The gateway's code decides
    the exception when there is one; otherwise the HTTP status does. Response bodies never
    reach a message, except a sanitised one-line ``error``/``errorMsg`` text.

    Args:
        reply: The answer.
        now: Current epoch time, to turn ``Retry-After`` into a time to try again.

    Returns:
        The decoded JSON.

    Raises:
        Transient: A failure worth retrying (429, 502/503/504, error 105).
        SmsError: Any other failure.
    """
    status = reply.status
    data, is_json = _decode(reply.body)
    problem = parse_error_body(data) if is_json else None
    if 200 <= status < 300:
        if not is_json:
            raise BadResponse()
        if problem is None:
            return data
    retry_after = parse_retry_after(reply.headers.get("Retry-After"), now)
    retry_at = None if retry_after is None else now + retry_after
    if status == 429:
        raise Transient(RateLimited(retry_at), retry_after=retry_after, status=status)
    if problem is not None and problem.code in UNAVAILABLE_CODES:
        unavailable = ServiceUnavailable(retry_at=retry_at) if retry_at else error_for(105)
        raise Transient(unavailable, retry_after=retry_after, status=status)
    if problem is not None:
        code_status = None if 200 <= status < 300 else status
        error = error_for(problem.code, problem.text, problem.detail, status=code_status)
    elif status >= 500:
        error = ServiceUnavailable(retry_at=retry_at, status=status)
    else:
        error = error_for(None, status=status)
    if status in RETRY_STATUSES:
        raise Transient(error, retry_after=retry_after, status=status)
    raise error


def _decode(body: bytes) -> tuple[object, bool]:
    """Decode a JSON body; return ``(value, True)`` or ``(None, False)`` when it is not JSON.

    A few bytes that are not UTF-8 (one message saved in another encoding) cost only those
    characters, which become U+FFFD: the rest of the page is still read. So does a number too
    long for ``int()`` (over 4,300 digits), kept as its text, which no field then believes.
    """
    try:
        return json.loads(body, parse_int=_int_or_text), True
    except UnicodeDecodeError:
        pass
    except (ValueError, RecursionError):
        return None, False
    try:
        return json.loads(body.decode("utf-8", errors="replace"), parse_int=_int_or_text), True
    except (ValueError, RecursionError):
        return None, False


def _int_or_text(digits: str) -> int | str:
    return int(digits) if len(digits) <= _LONGEST_INT else digits


_LONGEST_INT = 40
