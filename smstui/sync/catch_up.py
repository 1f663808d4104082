"""Catching up: the newest inbox and sent-history pages, read into the store until they overlap it.

The gateway has no "changes since" call: what arrived since the store was last in step sits on
the first pages of each history. One rule reads it, for the app's backfill at start
(:meth:`smstui.sync.backfill.HistoryBackfill.run`) and for every command before it answers
(:func:`catch_up`): page after page until a page brings fewer new messages than it holds (it
reached what was stored), the history ends, or the page budget is spent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from smstui.api.errors import AuthError, SmsError
from smstui.domain.models import Contact, InboxItem, Message, Page, SentItem
from smstui.store import MessageStore
from smstui.sync.gateway import Gateway

__all__ = [
    "CATCH_UP_PAGES",
    "CATCH_UP_PAGE_SIZE",
    "HistorySink",
    "HistorySource",
    "SyncOutcome",
    "catch_up",
    "catch_up_stream",
    "fetch_conversation",
    "fetch_page",
    "refresh_contacts",
]

logger = logging.getLogger(__name__)

CATCH_UP_PAGE_SIZE = 200
"""Messages per page while catching up (usually a handful are new)."""

CATCH_UP_PAGES = 5
"""Pages per history a command reads at most: it stays quick; the app's backfill reads the rest."""

CONTACTS_EVERY = 86400
"""Seconds between two reads of the address book by the commands (names change rarely)."""

CONTACTS_CURSOR = "commands.contacts"

Offload = Callable[..., Awaitable[object]]
"""Runs a blocking store call (the app: in a thread; a command: in place)."""


class HistorySource(Protocol):
    """The part of the gateway connection the histories are read from."""

    async def inbox(self, *, page: int = 1, limit: int = 100) -> Page[InboxItem]:
        """One page of received messages, newest first."""
        ...

    async def sent_history(self, *, page: int = 1, limit: int = 100) -> Page[SentItem]:
        """One page of sent messages, newest first."""
        ...


class HistorySink(Protocol):
    """The part of the message store the histories are written to (blocking calls)."""

    def add_inbox_items(self, items: list[InboxItem]) -> list[str]:
        """Store received messages; return the keys that were new."""
        ...

    def add_sent_items(self, items: list[SentItem]) -> list[str]:
        """Store sent messages; return the keys that were new."""
        ...

    def cursor(self, name: str) -> str | None:
        """Read a sync cursor."""
        ...

    def set_cursor(self, name: str, value: str | None) -> None:
        """Write a sync cursor."""
        ...


async def in_place(function: Callable[..., object], *args: object) -> object:
    """Run a store call right here (a command has nothing else to do meanwhile)."""
    return function(*args)


async def in_thread(function: Callable[..., object], *args: object) -> object:
    """Run a store call in a thread (the app's event loop keeps drawing)."""
    return await asyncio.to_thread(function, *args)


async def fetch_page(
    source: HistorySource,
    sink: HistorySink,
    stream: str,
    page_number: int,
    limit: int,
    offload: Offload = in_place,
) -> tuple[Page[InboxItem] | Page[SentItem], int]:
    """Read one page of ``stream`` ("inbox" or "sent") into the store; return it and the new."""
    page: Page[InboxItem] | Page[SentItem]
    if stream == "inbox":
        page = await source.inbox(page=page_number, limit=limit)
        new = await offload(sink.add_inbox_items, list(page.items))
    else:
        page = await source.sent_history(page=page_number, limit=limit)
        new = await offload(sink.add_sent_items, list(page.items))
    return page, len(new) if isinstance(new, list) else 0


PageFetch = Callable[[str, int, int], Awaitable[tuple[Page[InboxItem] | Page[SentItem], int]]]


async def catch_up_stream(
    fetch: PageFetch,
    stream: str,
    *,
    pages: int,
    page_size: int = CATCH_UP_PAGE_SIZE,
    on_new: Callable[[int], None] | None = None,
) -> int:
    """Read the newest pages of one history until they reach what is stored; return the new.

    Args:
        fetch: Reads and stores one page (:func:`fetch_page` with its source and sink).
        stream: "inbox" or "sent".
        pages: Most pages to read.
        page_size: Messages per page.
        on_new: Told how many messages each page added.

    Raises:
        SmsError: A page could not be read (what was read before it is kept).
    """
    added = 0
    for number in range(1, pages + 1):
        page, new = await fetch(stream, number, page_size)
        added += new
        if on_new is not None:
            on_new(new)
        # Fewer new than received: this page reached what the store already had.
        if page.is_last or new < len(page.items):
            break
    return added


@dataclass(frozen=True)
class SyncOutcome:
    """How a catch-up went."""

    ok: bool
    """True when every page asked for arrived."""
    problem: str = ""
    """Why not, in one line."""
    new: int = 0
    """Messages that were not in the store before."""


async def catch_up(
    source: HistorySource,
    store: HistorySink,
    *,
    pages: int = CATCH_UP_PAGES,
    page_size: int = CATCH_UP_PAGE_SIZE,
    on_new: Callable[[int], None] | None = None,
) -> SyncOutcome:
    """Catch both histories up (inbox first); stop at the first page that cannot be read.

    Raises:
        AuthError: The gateway rejected the credentials.
    """

    async def fetch(
        stream: str, number: int, limit: int
    ) -> tuple[Page[InboxItem] | Page[SentItem], int]:
        return await fetch_page(source, store, stream, number, limit)

    added = 0
    for stream in ("inbox", "sent"):
        try:
            added += await catch_up_stream(
                fetch, stream, pages=pages, page_size=page_size, on_new=on_new
            )
        except AuthError:
            raise
        except SmsError as error:
            logger.info("catching up %s failed: %s", stream, error.user_message)
            return SyncOutcome(ok=False, problem=error.user_message, new=added)
    return SyncOutcome(ok=True, new=added)


class ContactSource(Protocol):
    """The part of the gateway connection the address book is read from."""

    async def contacts(self, *, page: int = 1, limit: int = 500) -> Page[Contact]:
        """One page of the address book."""
        ...


class ContactSink(Protocol):
    """The part of the message store names are kept in."""

    def set_contacts(self, contacts: list[Contact]) -> None:
        """Keep a page of contacts."""
        ...

    def cursor(self, name: str) -> str | None:
        """Read a sync cursor."""
        ...

    def set_cursor(self, name: str, value: str | None) -> None:
        """Write a sync cursor."""
        ...


async def refresh_contacts(
    source: ContactSource, store: ContactSink, now: float, *, pages: int = CATCH_UP_PAGES
) -> None:
    """Read the address book into the store (for names) when it was not read for a day.

    A failure is only logged: names are a nicety, the next command tries again.

    Raises:
        AuthError: The gateway rejected the credentials.
    """
    last = store.cursor(CONTACTS_CURSOR)
    try:
        if last is not None and now - float(last) < CONTACTS_EVERY:
            return
    except ValueError:
        pass
    for number in range(1, pages + 1):
        try:
            page = await source.contacts(page=number, limit=500)
        except AuthError:
            raise
        except SmsError as error:
            logger.info("reading contacts failed: %s", error.user_message)
            return
        store.set_contacts(list(page.items))
        if page.is_last:
            break
    store.set_cursor(CONTACTS_CURSOR, str(int(now)))


async def fetch_conversation(
    gateway: Gateway, store: MessageStore, key: str, number: str, limit: int
) -> Page[Message]:
    """Read a conversation's newest page into the store (statuses, attachments); return it.

    Raises:
        SmsError: It could not be read.
    """
    page = await gateway.conversation(number, page=1, limit=limit)
    store.add_messages(key, list(page.items))
    return page
