"""Turn decoded JSON from the gateway into the models of :mod:`smstui.domain.models`.

Parsing is tolerant, following the contract's client rules (§2.5): unknown keys are ignored,
every field is optional, IDs become strings, numbers inside strings are read defensively and
every piece of text passes through :func:`smstui.domain.sanitize.clean_text`. Only an envelope of
the
wrong *shape* (a list where an object belongs, a string where a list belongs) is an error:
it raises :class:`~smstui.api.errors.BadResponse`, and nothing else is ever raised. One bad
item never costs its page: an item that is not an object, or cannot be read, is skipped,
logged once and counted in :attr:`Page.skipped`. A time outside 2000 … now + 10 years is not
believed (:func:`~smstui.api.fields.sane_time`): a message then takes its ``datetime`` text or
its arrival time and is marked ``time_guessed``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from smstui.api.fields import (
    as_id,
    as_int,
    as_line,
    as_number,
    as_positive_int,
    as_text,
    as_url,
    expect_list,
    expect_object,
    is_present,
    objects_of,
    parse_api_date,
    parse_conversation_datetime,
    sane_time,
)
from smstui.api.parse_account import (
    parse_account,
    parse_balance,
    parse_own_numbers,
    parse_send_result,
    parse_sender_ids,
)
from smstui.domain.models import (
    Attachment,
    Contact,
    InboxItem,
    Message,
    Page,
    SentItem,
    message_key,
)
from smstui.domain.phones import normalise_number
from smstui.system.clock import SystemClock
from smstui.system.logs import OnceLog

T = TypeVar("T")

logger = logging.getLogger(__name__)
_skipped_log = OnceLog(logger)

__all__ = [
    "ErrorBody",
    "normalise_number",
    "parse_account",
    "parse_api_date",
    "parse_attachments",
    "parse_balance",
    "parse_contact",
    "parse_contacts",
    "parse_conversation",
    "parse_conversation_datetime",
    "parse_error_body",
    "parse_inbox",
    "parse_inbox_item",
    "parse_message",
    "parse_own_numbers",
    "parse_send_result",
    "parse_sender_ids",
    "parse_sent_history",
    "parse_sent_item",
]


@dataclass(frozen=True, slots=True)
class ErrorBody:
    """The ``error``/``errorMsg`` part of a gateway answer."""

    code: int | None
    """The numeric code when ``error`` was a number or a numeric string."""
    text: str
    """The free-text ``error`` when it was not a number (sanitised), else ""."""
    detail: str
    """The ``errorMsg`` (sanitised), or ""."""


def parse_error_body(data: object) -> ErrorBody | None:
    """Read the error from a decoded body, or return None when the body reports no error.

    ``error`` may be a string code (``"108"``), an int code (``108``) or free text. A missing,
    null, false or empty ``error`` means no error.

    Args:
        data: The decoded JSON body.

    Returns:
        The error, or None.
    """
    if not isinstance(data, dict) or "error" not in data:
        return None
    raw = data["error"]
    if raw is None or raw is False or raw == "":
        return None
    detail = as_text(data.get("errorMsg"))
    code = as_int(raw)
    if code is not None:
        return ErrorBody(code=code, text="", detail=detail)
    if raw is True:
        return ErrorBody(code=None, text="", detail=detail)
    return ErrorBody(code=None, text=as_text(raw), detail=detail)


def parse_conversation(
    data: object, *, page: int = 1, limit: int = 0, now: float | None = None
) -> Page[Message]:
    """Parse ``GET /conversation/{phone}``; items keep the API order (newest first).

    Args:
        data: The decoded JSON body.
        page: The page requested, used when the body does not echo it.
        limit: The page size requested, used when the body does not echo it.
        now: When the page arrived (epoch seconds; default the wall clock): the upper bound
            of a believable time, and the time of a message that has none.

    Returns:
        The page of messages.
    """
    at = _arrival(now)
    return _page(data, "conversation", lambda item: parse_message(item, now=at), page, limit)


def parse_inbox(
    data: object, *, page: int = 1, limit: int = 0, now: float | None = None
) -> Page[InboxItem]:
    """Parse ``GET /message/inbox`` or ``/message/inbox/{nr}`` (list key ``messages``).

    Args:
        data: The decoded JSON body.
        page: The page requested, used when the body does not echo it.
        limit: The page size requested, used when the body does not echo it.
        now: When it arrived (default the wall clock): see :func:`parse_conversation`.

    Returns:
        The page of received messages.
    """
    at = _arrival(now)
    return _page(data, "messages", lambda item: parse_inbox_item(item, now=at), page, limit)


def parse_sent_history(
    data: object, *, page: int = 1, limit: int = 0, now: float | None = None
) -> Page[SentItem]:
    """Parse ``GET /message/logging`` (or ``/message/history``), list key ``messages``.

    Args:
        data: The decoded JSON body.
        page: The page requested, used when the body does not echo it.
        limit: The page size requested, used when the body does not echo it.
        now: When it arrived (default the wall clock): see :func:`parse_conversation`.

    Returns:
        The page of sent-history rows.
    """
    at = _arrival(now)
    return _page(data, "messages", lambda item: parse_sent_item(item, now=at), page, limit)


def parse_contacts(data: object, *, page: int = 1, limit: int = 0) -> Page[Contact]:
    """Parse ``GET /contact`` (list key ``contacts``).

    Args:
        data: The decoded JSON body.
        page: The page requested, used when the body does not echo it.
        limit: The page size requested, used when the body does not echo it.

    Returns:
        The page of contacts.
    """
    return _page(data, "contacts", parse_contact, page, limit)


def parse_message(item: dict[str, Any], *, now: float | None = None) -> Message:
    """Parse one conversation message object.

    Args:
        item: One element of ``conversation``.
        now: When it arrived (default the wall clock); see :func:`parse_conversation`.

    Returns:
        The message, with ``key`` set for de-duplication.
    """
    at = _arrival(now)
    raw_id = item.get("messageId", item.get("messageid"))
    message_id = as_id(raw_id) if is_present(raw_id) else None
    sender = as_number(item.get("sender"))
    receiver = as_number(item.get("receiver"))
    text = as_text(item.get("message"))
    given = item.get("unixDatetime")
    timestamp = sane_time(as_int(given), at)
    # A missing unixDatetime with a good datetime text is ordinary; a bad one is not.
    guessed = timestamp is None and is_present(given)
    if timestamp is None:
        timestamp = sane_time(parse_conversation_datetime(as_line(item.get("datetime"))), at)
    # The arrival time changes at every fetch: the key uses 0 instead, so it stays stable.
    key_time = timestamp or 0
    if timestamp is None:
        guessed, timestamp = True, int(at)
    outbound = _is_outbound(item, message_id)
    return Message(
        key=message_key(message_id, outbound, sender, receiver, key_time, text),
        message_id=message_id,
        outbound=outbound,
        sender=sender,
        receiver=receiver,
        text=text,
        attachments=parse_attachments(item.get("file")),
        timestamp=timestamp,
        status=as_line(item.get("deliveryStatus")).upper(),
        # Not in the documented message object; some gateways echo it (vendor typo included).
        reference=as_line(item.get("reference", item.get("refence"))),
        time_guessed=guessed,
    )


def parse_inbox_item(item: dict[str, Any], *, now: float | None = None) -> InboxItem:
    """Parse one received-message object of ``/message/inbox``.

    Args:
        item: One element of ``messages``.
        now: When it arrived (default the wall clock): later dates are not believed.

    Returns:
        The inbox item.
    """
    date = as_line(item.get("date"))
    return InboxItem(
        id=as_id(item.get("ID", item.get("id"))),
        sender=as_number(item.get("sender")),
        receiver=as_number(item.get("receiver")),
        text=as_text(item.get("message")),
        type=as_line(item.get("type")).lower(),
        date=date,
        timestamp=sane_time(parse_api_date(date), _arrival(now)),
    )


def parse_sent_item(item: dict[str, Any], *, now: float | None = None) -> SentItem:
    """Parse one sent-history row.

    Args:
        item: One element of ``messages``.
        now: When it arrived (default the wall clock): later dates are not believed.

    Returns:
        The sent-history row.
    """
    date = as_line(item.get("date"))
    message_id = item.get("message_ID", item.get("messageid", item.get("messageId")))
    return SentItem(
        id=as_id(item.get("ID", item.get("id"))),
        message_id=as_id(message_id),
        text=as_text(item.get("message")),
        to=as_number(item.get("to")),
        sender=as_number(item.get("sender")),
        date=date,
        timestamp=sane_time(parse_api_date(date), _arrival(now)),
        type=as_line(item.get("type")).lower(),
        status=as_line(item.get("status")).upper(),
    )


def parse_contact(item: dict[str, Any]) -> Contact:
    """Parse one address-book entry.

    Args:
        item: One element of ``contacts``.

    Returns:
        The contact with a normalised phone number.
    """
    return Contact(
        id=as_id(item.get("ID", item.get("id"))),
        phone=as_number(item.get("phone")),
        first_name=as_line(item.get("firstname")),
        last_name=as_line(item.get("lastname")),
    )


def parse_attachments(value: object) -> tuple[Attachment, ...]:
    """Parse ``file``: null, a list of ``{name, image, mime}``, or one such object.

    Entries that are not objects are skipped; so are entries with neither a URL nor a name.

    Args:
        value: The ``file`` value of a conversation message.

    Returns:
        The attachments, possibly empty.
    """
    if isinstance(value, dict):
        entries: list[object] = [value]
    elif isinstance(value, list):
        entries = value
    else:
        return ()
    attachments = []
    for entry in objects_of(entries):
        url = as_url(entry.get("image", entry.get("url")))
        name = as_line(entry.get("name"))
        if not url and not name:
            continue
        attachments.append(Attachment(name=name, url=url, mime=as_line(entry.get("mime"))))
    return tuple(attachments)


def _is_outbound(item: dict[str, Any], message_id: str | None) -> bool:
    """Decide "ours": ``direction`` first, then ``mine``, then whether there is a message id."""
    direction = item.get("direction")
    if isinstance(direction, str):
        lowered = direction.strip().lower()
        if lowered in ("outbound", "out", "sent", "mt"):
            return True
        if lowered in ("inbound", "in", "received", "mo"):
            return False
    mine = item.get("mine")
    if isinstance(mine, bool):
        return mine
    if isinstance(mine, int | str) and str(mine).strip().lower() in ("1", "true"):
        return True
    if isinstance(mine, int | str) and str(mine).strip().lower() in ("0", "false"):
        return False
    # Inbound items carry ``messageId: null``; an id therefore hints at one of ours.
    return message_id is not None


def _page(
    data: object,
    list_key: str,
    parse_item: Callable[[dict[str, Any]], T],
    requested_page: int,
    requested_limit: int,
) -> Page[T]:
    """Parse a paginated envelope (§2.1) whose items live under ``list_key``."""
    body = expect_object(data)
    raw_items = body.get(list_key)
    if raw_items is None:
        raw_items = []
    parsed: list[T] = []
    skipped = 0
    for raw in expect_list(raw_items):
        item = _read_item(raw, parse_item, list_key)
        if item is None:
            skipped += 1
        else:
            parsed.append(item)
    items = tuple(parsed)
    page = as_positive_int(body.get("page")) or max(requested_page, 1)
    limit = as_positive_int(body.get("limit")) or requested_limit or max(len(items) + skipped, 1)
    total = as_int(body.get("total"))
    if total is None or total < 0:
        # Unknown total: claim one more item while pages come back full, so paging goes on
        # until a short or empty page.
        received = len(items) + skipped
        total = (page - 1) * limit + received + (1 if received >= limit else 0)
    return Page(items=items, total=total, page=page, limit=limit, skipped=skipped)


def _read_item(raw: object, parse_item: Callable[[dict[str, Any]], T], list_key: str) -> T | None:
    """One item of a page, or None (logged once) when it cannot be read."""
    if isinstance(raw, dict):
        try:
            return parse_item(raw)
        except Exception as error:  # one unreadable record must never cost its page
            problem = f"{type(error).__name__}: {error}"[:200]
    else:
        problem = f"a {type(raw).__name__} where an object belongs"
    try:
        what = repr(raw)[:200]
    except ValueError:  # holds an int too long to print
        what = f"<{type(raw).__name__}>"
    # Keyed by what went wrong and where, so a page fetched again and again logs it once.
    _skipped_log.warning(
        f"{list_key}:{problem}:{what}", "skipped an unreadable %s item (%s): %s", list_key,
        problem, what,
    )  # fmt: skip
    return None


def _arrival(now: float | None) -> float:
    """The time a page arrived: the caller's clock, else the wall clock."""
    return SystemClock().now() if now is None else now


def page_of(
    data: object,
    list_key: str,
    parse_item: Callable[[dict[str, Any]], T],
    *,
    page: int,
    limit: int,
) -> Page[T]:
    """Parse any paginated envelope (§2.1) with the same tolerance as the pages above.

    Args:
        data: The decoded JSON body.
        list_key: Where the items are (``messages``, ``contacts`` …).
        parse_item: Turns one item object into a model.
        page: The page requested, used when the body does not echo it.
        limit: The page size requested, used when the body does not echo it.
    """
    return _page(data, list_key, parse_item, page, limit)
