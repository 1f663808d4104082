"""The async Smstools API client: one ``httpx.AsyncClient``, deadlines, GET retries, error mapping.

Every method returns a model from :mod:`smstui.domain.models` or raises a
:class:`~smstui.api.errors.SmsError` whose ``user_message`` is one line, safe to show. GETs are
retried with jittered backoff on transient failures; ``POST /message/send`` is never retried and
reports :class:`~smstui.api.errors.SendOutcomeUnknown` when the request may have reached the
gateway without an answer coming back.
"""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
from collections.abc import Awaitable, Callable, Sequence
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

import httpx

from smstui import __version__
from smstui.api.errors import (
    ApiError,
    BadResponse,
    Offline,
    SendOutcomeUnknown,
    SmsError,
)
from smstui.api.exchange import HeaderAuth, interpret_reply, read_reply
from smstui.api.parse import (
    normalise_number,
    parse_account,
    parse_balance,
    parse_contacts,
    parse_conversation,
    parse_inbox,
    parse_own_numbers,
    parse_send_result,
    parse_sender_ids,
    parse_sent_history,
)
from smstui.api.retry import (
    MAX_BACKOFF,
    Transient,
    backoff_delay,
    transport_failure,
)
from smstui.api.scheduled import ScheduledMessage, parse_outbox
from smstui.domain.models import (
    Account,
    Balance,
    Contact,
    InboxItem,
    Message,
    OwnNumber,
    Page,
    SenderId,
    SendResult,
    SentItem,
)
from smstui.system.clock import wall_time
from smstui.system.secret import Credentials

logger = logging.getLogger("smstui.api")

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=15.0, write=10.0, pool=5.0)
"""Per-phase httpx timeouts; the overall ``deadline`` bounds the whole exchange."""

MAX_RESPONSE_BYTES = 20 * 1024 * 1024
"""Answers larger than this are abandoned instead of being held in memory."""

SEND_PATH = "/message/send"

LARGE_PAGE = 500
"""Pages asked for with a bigger ``limit`` are parsed in a thread (see :meth:`SmsClient._get`)."""

LARGE_REPLY_BYTES = 256 * 1024
"""Answers bigger than this are decoded in a thread, so the event loop keeps serving keys."""
HISTORY_PATHS = ("/message/logging", "/message/history")
"""Sent history: the current name first, the older one as a fallback on 404 (contract §4.6)."""

RetryListener = Callable[[float, SmsError], None]
"""Called before each retry pause with the pause in seconds and the failure being retried."""

AnswerListener = Callable[[], None]
"""Called each time a GET is answered (so a UI can tell when trouble is over)."""

DEFAULT_RETRIES = 3
"""How many times a GET is tried again by default (the app and ``smstui watch``)."""


class SmsClient:
    """Async client of the Smstools gateway; use ``async with`` or call :meth:`aclose`.

    Args:
        base_url: API root, e.g. ``https://api.smsgatewayapi.com/v1``.
        credentials: Client id and secret; the secret is read only when a request is sent.
        timeout: httpx per-phase timeouts (connect 5, read 15, write 10, pool 5 by default).
        deadline: Overall seconds allowed for one attempt, however the bytes trickle in.
        retries: How many times a GET is tried again after a transient failure.
        backoff: First step of the full-jitter exponential backoff, in seconds.
        max_retry_wait: A ``Retry-After`` longer than this is not waited for: the call fails
            at once with an error that says when to try again.
        transport: Replaces the network (tests use ``httpx.MockTransport``).
        sleep: Awaitable pause used between attempts (tests record instead of waiting).
        clock: Wall clock in epoch seconds, used for ``Retry-After`` dates and retry times.
        user_agent: The ``User-Agent`` header.
        on_retry: Optional listener told about each retry pause, so a UI can say
            "retrying in N s".
        on_answer: Optional listener told each time a GET is answered.
        max_response_bytes: Answers larger than this fail with ``BadResponse``.
    """

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        timeout: httpx.Timeout | None = None,
        deadline: float = 30.0,
        retries: int = DEFAULT_RETRIES,
        backoff: float = 0.5,
        max_retry_wait: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = wall_time,
        user_agent: str = f"smstui/{__version__}",
        on_retry: RetryListener | None = None,
        on_answer: AnswerListener | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self._base_url = base_url
        self._timeout = timeout or DEFAULT_TIMEOUT
        self._deadline = deadline
        self._retries = max(0, retries)
        self._backoff = backoff
        self._max_retry_wait = max_retry_wait
        self._sleep = sleep
        self._clock = clock
        self._on_retry = on_retry
        self._on_answer = on_answer
        self._max_response_bytes = max_response_bytes
        self._random = random.Random()
        self._history_path: str | None = None
        self.last_retry_wait: float | None = None
        """The pause before the most recent retry, or None when the last call needed none."""
        self._http = httpx.AsyncClient(
            base_url=base_url,
            auth=HeaderAuth(credentials),
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            timeout=self._timeout,
            transport=transport,
            trust_env=_trust_environment(base_url),
            follow_redirects=False,
            verify=_tls_context_for(base_url),
        )

    def __repr__(self) -> str:
        return f"SmsClient(base_url={self._base_url!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool; the client cannot be used afterwards."""
        await self._http.aclose()

    # Endpoints ---------------------------------------------------------------------------

    async def auth(self) -> Account:
        """Check the credentials (``GET /auth``) and return who they belong to."""
        return parse_account(await self._get("/auth"))

    async def balance(self) -> Balance:
        """Return the account's credit (``GET /balance``)."""
        return parse_balance(await self._get("/balance"))

    async def sender_ids(self) -> tuple[SenderId, ...]:
        """Return the approved sender names and numbers (``GET /senderids``)."""
        return parse_sender_ids(await self._get("/senderids"))

    async def own_numbers(self) -> tuple[OwnNumber, ...]:
        """Return our virtual receiving numbers (``GET /vmn``)."""
        return parse_own_numbers(await self._get("/vmn"))

    async def inbox(
        self,
        *,
        page: int = 1,
        limit: int = 100,
        type: str | None = "sms",
        number: str | None = None,
    ) -> Page[InboxItem]:
        """Return one page of received messages, newest first.

        Args:
            page: 1-based page number.
            limit: Page size (1 … 2000).
            type: ``sms``, ``whatsapp`` or ``call``; None for all kinds.
            number: One of our numbers to restrict to (``/message/inbox/{number}``).
        """
        path = "/message/inbox"
        if number is not None:
            path += "/" + _segment(number)
        params: dict[str, Any] = {"page": page, "limit": limit}
        if type is not None:
            params["type"] = type
        data = await self._get(path, params)
        if limit > LARGE_PAGE:
            return await asyncio.to_thread(
                parse_inbox, data, page=page, limit=limit, now=self._clock()
            )
        return parse_inbox(data, page=page, limit=limit, now=self._clock())

    async def conversation(self, number: str, *, page: int = 1, limit: int = 50) -> Page[Message]:
        """Return one page of the thread with ``number``, newest first (API order).

        Args:
            number: The counterparty; normalised to digits when it is a phone number.
            page: 1-based page number; page 1 holds the most recent messages.
            limit: Page size (1 … 2000).
        """
        path = "/conversation/" + _segment(number)
        data = await self._get(path, {"page": page, "limit": limit})
        if limit > LARGE_PAGE:
            return await asyncio.to_thread(
                parse_conversation, data, page=page, limit=limit, now=self._clock()
            )
        return parse_conversation(data, page=page, limit=limit, now=self._clock())

    async def sent_history(self, *, page: int = 1, limit: int = 100) -> Page[SentItem]:
        """Return one page of sent history (``/message/logging``, else ``/message/history``).

        The first path that answers is remembered for the client's life.
        """
        params = {"page": page, "limit": limit}
        paths = (self._history_path,) if self._history_path else HISTORY_PATHS
        for index, path in enumerate(paths):
            try:
                data = await self._get(path, params)
            except ApiError as error:
                if error.status == 404 and index + 1 < len(paths):
                    logger.info("%s not found; trying %s", path, paths[index + 1])
                    continue
                raise
            self._history_path = path
            if limit > LARGE_PAGE:
                return await asyncio.to_thread(
                    parse_sent_history, data, page=page, limit=limit, now=self._clock()
                )
            return parse_sent_history(data, page=page, limit=limit, now=self._clock())
        raise AssertionError("unreachable: the last path either returns or raises")

    async def contacts(self, *, page: int = 1, limit: int = 500) -> Page[Contact]:
        """Return one page of the address book (``GET /contact``)."""
        data = await self._get("/contact", {"page": page, "limit": limit})
        return parse_contacts(data, page=page, limit=limit)

    async def scheduled(self, *, page: int = 1, limit: int = 100) -> Page[ScheduledMessage]:
        """Return one page of messages scheduled to go out later (``GET /outbox``)."""
        data = await self._get("/outbox", {"page": page, "limit": limit})
        return parse_outbox(data, page=page, limit=limit)

    async def cancel_scheduled(self, outbox_id: str) -> None:
        """Cancel a scheduled message (``DELETE /outbox/{id}``); tried once, like a send.

        Raises:
            SmsError: It could not be cancelled (gone already: error 133; unreachable …).
        """
        try:
            await self._attempt("DELETE", "/outbox/" + quote(outbox_id, safe=""))
        except Transient as transient:
            raise transient.error from None

    async def send(
        self,
        to: str | Sequence[str],
        text: str,
        sender: str,
        *,
        test: bool = False,
        reference: str | None = None,
        date: str | None = None,
    ) -> SendResult:
        """Send one SMS (``POST /message/send``). Never retried.

        Args:
            to: One number, or several (the gateway then answers with one id each).
            text: The message text.
            sender: Our number (digits) or an approved sender name.
            test: Validate only: nothing is sent or charged.
            reference: Our own tag for the message (max 255 characters).
            date: Send later, at this time (``yyyy-MM-dd HH:mm``, contract §4.1); None sends
                now.

        Raises:
            Offline: The request certainly did not reach the gateway; safe to send again.
            SendOutcomeUnknown: The request may have reached the gateway but no usable answer
                came back; look for the message before sending it again.
            SmsError: Any other refusal (credit, opt-out, length …).
        """
        body: dict[str, Any] = {
            "to": normalise_number(to)
            if isinstance(to, str)
            else [normalise_number(n) for n in to],
            "message": text,
            "sender": normalise_number(sender),
        }
        if test:
            body["test"] = True
        if reference is not None:
            body["reference"] = reference
        if date is not None:
            body["date"] = date
        self.last_retry_wait = None
        try:
            data = await self._attempt("POST", SEND_PATH, body=body)
            return parse_send_result(data)
        except Transient as transient:
            error = _send_failure(transient)
        except BadResponse:
            # The gateway said 2xx but we cannot read which ids it gave: it probably sent.
            error = SendOutcomeUnknown("unreadable answer")
        except SmsError as refused:
            logger.warning("POST %s failed: %s", SEND_PATH, refused.user_message)
            raise
        logger.warning("POST %s failed: %s", SEND_PATH, error.user_message)
        raise error

    # Plumbing ----------------------------------------------------------------------------

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> object:
        """GET with retries; return the decoded JSON or raise an :class:`SmsError`."""
        self.last_retry_wait = None
        attempt = 0
        while True:
            try:
                data = await self._attempt("GET", path, params=params)
            except Transient as transient:
                error = transient.error
                wait = self._pause_before_retry(attempt, transient)
                if wait is None:
                    logger.warning("GET %s failed: %s", path, error.user_message)
                    raise error from None
            except SmsError as final:
                logger.warning("GET %s failed: %s", path, final.user_message)
                raise
            else:
                if self._on_answer is not None:
                    self._on_answer()
                return data
            attempt += 1
            self.last_retry_wait = wait
            logger.warning(
                "GET %s failed (%s); retry %d in %.1f s", path, error.user_message, attempt, wait
            )
            if self._on_retry is not None:
                self._on_retry(wait, error)
            await self._sleep(wait)

    def _pause_before_retry(self, attempt: int, transient: Transient) -> float | None:
        """Return how long to wait before the next attempt, or None to give up now."""
        if attempt >= self._retries or not transient.retryable:
            return None
        if transient.retry_after is not None:
            if transient.retry_after > self._max_retry_wait:
                return None
            return transient.retry_after
        ceiling = min(MAX_BACKOFF, self._max_retry_wait)
        return backoff_delay(attempt, self._backoff, ceiling, self._random)

    async def _attempt(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
    ) -> object:
        """Make one exchange and interpret it; transient failures raise :class:`Transient`."""
        try:
            async with asyncio.timeout(self._deadline):
                reply = await read_reply(
                    self._http,
                    method,
                    path,
                    params=params,
                    body=body,
                    max_bytes=self._max_response_bytes,
                )
        except TimeoutError:
            reason = f"no complete answer within {self._deadline:g} s"
            raise Transient(Offline(reason)) from None
        except httpx.HTTPError as exc:
            reason, sent, retryable = transport_failure(exc, self._timeout.read)
            raise Transient(Offline(reason), request_sent=sent, retryable=retryable) from None
        logger.debug("%s %s -> %d (%d bytes)", method, path, reply.status, len(reply.body))
        if len(reply.body) > LARGE_REPLY_BYTES:
            # Decoding a 2,000-item page takes tens of milliseconds: in a thread, the event
            # loop keeps answering keys meanwhile (the GIL is handed over every few ms).
            return await asyncio.to_thread(interpret_reply, reply, self._clock())
        return interpret_reply(reply, self._clock())


def _segment(number: str) -> str:
    """Return a number as one URL path segment (normalised, then percent-encoded)."""
    return quote(normalise_number(number), safe="")


def _send_failure(transient: Transient) -> SmsError:
    """Decide what a failed send means for the user: refused, offline, or unknown."""
    if transient.status is None:
        if transient.request_sent:
            return SendOutcomeUnknown("no answer")
        return transient.error
    # A proxy's 502/504 means it lost track of the gateway mid-request: it may have sent.
    if transient.status in (502, 504):
        return SendOutcomeUnknown(f"HTTP {transient.status}")
    return transient.error


def _trust_environment(base_url: str) -> bool:
    """Whether to honour the environment's proxies (and CA settings) for this gateway.

    Not for plain ``http://`` (allowed to loopback only, by the config check): a proxy from
    ``HTTP_PROXY``/``ALL_PROXY`` would receive the client secret in clear text, and a gateway
    on this machine needs no proxy.
    """
    return base_url.lower().startswith("https:")


def _tls_context_for(base_url: str) -> ssl.SSLContext | bool:
    """Default certificate checks for ``https``; for a plain-HTTP gateway, no CA bundle.

    Loading the CA bundle costs ~40 ms at start-up. A client pointed at ``http://`` (the demo's
    fake gateway on loopback) never speaks TLS, since it follows no redirects; the context it
    gets still requires verified certificates, so any TLS use would fail closed, never open.
    """
    if base_url.lower().startswith("https:"):
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
