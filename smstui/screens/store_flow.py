"""The inbox screen and the local message store: paint from it, keep what arrives, backfill.

- **Start.** The store opens in a thread while the screen mounts; the conversations it holds
  paint at once (before the gateway answers), and the conversation open when the app last
  closed opens again. With the gateway down this is what the user browses and searches.
- **Keeping.** Every inbox, sent-history, contact and conversation page the screen receives is
  written to the store by one writer, in order, off the event loop.
- **Backfill.** Once the first inbox page is in, :class:`smstui.sync.backfill.HistoryBackfill`
  reads the whole history into the store in the background, one request at a time; the status
  line shows how far it is. When it is done the list holds every conversation.
- **Other processes.** A second smstui on the same account writes to the same store; every few
  seconds the store's ``data_version`` is checked and, when it moved, the list is repainted
  from the store.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from smstui.api.client import SmsClient
from smstui.api.errors import AuthError
from smstui.api.models import Contact, InboxItem, Message, Page, SentItem
from smstui.clock import Clock
from smstui.inbox import ConversationSummary
from smstui.screens.search import MESSAGE_LIMIT
from smstui.store import MessageStore, SearchResults
from smstui.store.location import STORE_ERRORS
from smstui.sync.access import StoreAccess
from smstui.sync.backfill import BackfillProgress, HistoryBackfill

if TYPE_CHECKING:
    from smstui.screens.inbox import InboxScreen

__all__ = ["StoreFlow"]

logger = logging.getLogger(__name__)

STORED_PAINT = 500
"""Messages of a conversation painted from the store when it opens (the newest ones)."""

WATCH_INTERVAL = 3.0
"""Seconds between checks for what another process wrote to the store."""

Write = Callable[[MessageStore], object]


class StoreFlow:
    """Paints the inbox from the store, keeps what arrives, and runs the backfill.

    Args:
        screen: The inbox screen.
        access: The store (opened lazily).
        client: The API client (for the backfill).
        clock: The app's clock.
    """

    def __init__(
        self, screen: InboxScreen, access: StoreAccess, *, client: SmsClient, clock: Clock
    ) -> None:
        self._screen = screen
        self.access = access
        self._client = client
        self._clock = clock
        self._writes: asyncio.Queue[Write] | None = None
        self._writing = False
        self._closing = False
        self._data_version: int | None = None
        self.progress: BackfillProgress | None = None
        """The backfill's last report (None before it starts)."""
        self.stored_conversations = 0
        """How many conversations the store held when it was last read."""
        self.painting = False
        """The stored list is being read: the store, not the first page, opens a conversation."""
        self._problem_told = ""

    # Start -----------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the store and paint what it holds."""
        if self.access.unavailable:
            return
        self._writes = asyncio.Queue()
        self.painting = True
        self._screen.run_worker(self._paint_stored(), name="stored inbox", group="store-read")

    async def _paint_stored(self) -> None:
        try:
            await self._paint_list()
        finally:
            self.painting = False
        screen = self._screen
        if screen.thread is None and screen.loader.pages_loaded and not screen.has_class("-narrow"):
            # The gateway's first page came first and left the opening to the store, which
            # had no conversation to open (an empty store): open the newest, as it would have.
            first = screen.conversation_list.highlighted_key
            if first is not None:
                screen.open_conversation(first, focus=False)

    async def _paint_list(self) -> None:
        # What other processes write from now on shows up as a change of this number.
        self._data_version = await self.access.call(lambda store: store.data_version())
        rows = await self.access.call(lambda store: store.conversations())
        self._tell_problem()
        if not rows:
            return
        self.stored_conversations = len(rows)
        screen = self._screen
        screen.index.add_stored(rows)
        screen.show_conversations()
        if screen.thread is None and not screen.has_class("-narrow"):
            last = await self.access.call(lambda store: store.last_open())
            key = last if last and screen.index.get(last) else rows[0].key
            if screen.thread is None:
                screen.conversation_list.highlight_key(key)
                screen.open_conversation(key, focus=False)

    def _tell_problem(self) -> None:
        problem = self.access.problem
        if problem and problem != self._problem_told:
            self._problem_told = problem
            self._screen.notify(problem, severity="warning", markup=False, timeout=10)

    # Keeping what arrives -----------------------------------------------------------------------

    def keep(self, write: Write) -> None:
        """Queue one write to the store (done in order, off the event loop)."""
        if self._writes is None or self.access.unavailable:
            return
        self._writes.put_nowait(write)
        if not self._writing and not self._closing:
            # One writer at a time keeps the writes in order; it ends when the queue is empty
            # (a worker that waited forever would keep the screen from ever being idle).
            self._writing = True
            self._screen.run_worker(self._drain(), name="store writer", group="store-write")

    def keep_inbox(self, page: Page[InboxItem]) -> None:
        """Keep an inbox page."""
        items = list(page.items)
        self.keep(lambda store: store.add_inbox_items(items))

    def keep_sent(self, page: Page[SentItem]) -> None:
        """Keep a sent-history page."""
        items = list(page.items)
        self.keep(lambda store: store.add_sent_items(items))

    def keep_contacts(self, contacts: Sequence[Contact]) -> None:
        """Keep address-book entries."""
        items = list(contacts)
        self.keep(lambda store: store.set_contacts(items))

    def keep_thread(self, key: str, messages: Sequence[Message]) -> None:
        """Keep messages of one conversation (a page of it, or a status change)."""
        items = list(messages)
        if items:
            self.keep(lambda store: store.add_messages(key, items))

    def keep_position(self, key: str, message_key: str | None) -> None:
        """Remember where the user is reading a conversation (None: at its newest)."""
        self.keep(lambda store: store.set_position(key, message_key))

    async def position(self, key: str) -> str | None:
        """Where the user was reading a conversation last time (None: at its newest)."""
        return await self.access.call(lambda store: store.position(key))

    def keep_last_open(self, key: str) -> None:
        """Remember which conversation is open, for the next start."""
        self.keep(lambda store: store.set_last_open(key))

    def closing(self) -> None:
        """The screen is going: later writes only queue, for :meth:`close` to do."""
        self._closing = True

    def close(self) -> None:
        """Write what is still queued, then close the store (the screen is going)."""
        queue, self._writes = self._writes, None
        store = self.access.store
        while queue is not None and store is not None and not queue.empty():
            write = queue.get_nowait()
            try:
                write(store)
            except STORE_ERRORS as error:  # the app is ending: log it, lose nothing else
                logger.warning("a last store write failed: %s", error)
        self.access.close()

    async def settled(self) -> None:
        """Wait until every queued write is in the store (tests, and before reading back)."""
        if self._writes is not None:
            await self._writes.join()

    async def _drain(self) -> None:
        queue = self._writes
        try:
            while queue is not None and not queue.empty():
                write = queue.get_nowait()
                try:
                    await self.access.call(write)
                finally:
                    queue.task_done()
            self._tell_problem()
        finally:
            self._writing = False

    # Reading back ------------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """Whether there is a store to read (it may still be opening)."""
        return not self.access.unavailable

    async def stored_messages(self, key: str) -> list[Message]:
        """The newest stored messages of one conversation (:data:`STORED_PAINT`), oldest first.

        Not all of them: reading and laying out 50,000 stored messages took seconds, and every
        open paints from the store first. Offline, this is what there is to browse.
        """
        messages = await self.access.call(lambda store: store.messages(key, limit=STORED_PAINT))
        return messages or []

    async def target_place(self, key: str, message_key: str) -> tuple[int, int] | None:
        """Where a stored message is: ``(stored messages newer than it, its time)``, or None."""
        await self.settled()

        def place(store: MessageStore) -> tuple[int, int] | None:
            message = store.message(message_key)
            newer = store.newer_count(key, message_key)
            return None if message is None or newer is None else (newer, message.timestamp)

        return await self.access.call(place)

    async def search(self, query: str) -> SearchResults | None:
        """Search everything stored (None when there is no store)."""
        return await self.access.call(lambda store: store.search(query, limit=MESSAGE_LIMIT))

    # Backfill and other processes ----------------------------------------------------------------

    def start_background(self) -> None:
        """Start the backfill and the watch for other processes (after the first inbox page)."""
        screen = self._screen
        if self.access.unavailable:
            return
        if screen.settings.backfill:
            screen.run_worker(
                self._backfill(),
                name="backfill",
                group="backfill",
                exclusive=True,
                exit_on_error=False,
            )
        screen.set_interval(WATCH_INTERVAL, self._check_other_writers, name="store watch")

    async def _backfill(self) -> None:
        store = await self.access.open()
        if store is None:
            return
        await self.settled()
        backfill = HistoryBackfill(
            self._client,
            store,
            clock=self._clock,
            page_size=self._screen.settings.backfill_page_size,
            on_progress=self._progress,
        )
        try:
            await backfill.run()
        except AuthError:
            return  # the app asks for credentials; the next start goes on from the cursor
        await self._repaint()

    def _progress(self, progress: BackfillProgress) -> None:
        previous, self.progress = self.progress, progress
        self._screen.status_line.set_background(_describe(progress))
        if progress.done and previous is not None and not previous.done:
            self._screen.index.inbox_complete = True

    async def _check_other_writers(self) -> None:
        version = await self.access.call(lambda store: store.data_version())
        if version is None:
            return
        if self._data_version is not None and version != self._data_version:
            await self._repaint()
        self._data_version = version

    async def _repaint(self) -> None:
        rows: list[ConversationSummary] | None = await self.access.call(
            lambda store: store.conversations()
        )
        if rows:
            self.stored_conversations = len(rows)
            self._screen.index.add_stored(rows)
            self._screen.show_conversations()


def _describe(progress: BackfillProgress) -> str:
    """The status line's words for the backfill ("" once it is done)."""
    if progress.done:
        return ""
    if progress.problem:
        return f"History paused: {progress.problem}"
    percent = progress.percent
    if percent is None:
        return "Reading history…"
    return f"Reading history {percent}% ({progress.stored:,} of {progress.total:,})"
