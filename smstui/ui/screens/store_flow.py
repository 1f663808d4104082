"""The inbox screen and the local message store: paint from it, keep what arrives, backfill.

- **Start.** The store opens in a thread while the screen mounts; the conversations it holds
  paint at once (before the gateway answers), and the conversation open when the app last
  closed opens again. With the gateway down this is what the user browses and searches.
- **Keeping.** Every inbox, sent-history, contact and conversation page is read by the sync
  engine (:mod:`smstui.sync.engine`), which writes it to the store by one writer, in order,
  off the event loop, and then announces it; this flow shows what it announces.
- **Backfill.** Once the first inbox page is in, the engine runs
  :class:`smstui.sync.backfill.HistoryBackfill`: the whole history goes into the store in the
  background, one request at a time; the status line shows how far it is. When it is done
  the list holds every conversation.
- **Other processes.** A second smstui on the same account writes to the same file; every few
  seconds the store's ``data_version`` is checked and, when it moved, the list is repainted
  from the store.
"""

from __future__ import annotations

from smstui.api.errors import AuthError
from smstui.domain.models import Message
from smstui.store import MessageStore, SearchResults
from smstui.sync.access import StoreAccess
from smstui.sync.backfill import BackfillProgress
from smstui.sync.engine import (
    BackfillProgressed,
    GatewayOddity,
    StoredListChanged,
    StoreTrouble,
    SummariesStored,
    SyncEngine,
    SyncEvent,
)
from smstui.ui.screens.inbox_parts import InboxParts
from smstui.ui.screens.search import MESSAGE_LIMIT

__all__ = ["StoreFlow"]

STORED_PAINT = 500
"""Messages of a conversation painted from the store when it opens (the newest ones)."""

WATCH_INTERVAL = 3.0
"""Seconds between checks for what another process wrote to the store."""


class StoreFlow:
    """Paints the inbox from the store, follows the engine's announcements, runs the backfill.

    Args:
        screen: The inbox screen, as its helpers see it.
        engine: The sync engine (which owns the store and keeps what it reads).
    """

    def __init__(self, screen: InboxParts, engine: SyncEngine) -> None:
        self._screen = screen
        self._engine = engine
        self.progress: BackfillProgress | None = None
        """The backfill's last report (None before it starts)."""
        self.stored_conversations = 0
        """How many conversations the store held when it was last read."""
        self.painting = False
        """The stored list is being read: the store, not the first page, opens a conversation."""
        engine.subscribe(self._announced)

    @property
    def access(self) -> StoreAccess:
        """The store (owned by the engine)."""
        return self._engine.access

    # Start -----------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the store and paint what it holds."""
        if self.access.unavailable:
            return
        self.painting = True
        self._engine.start()
        self._screen.run_worker(self._paint_stored(), name="stored inbox", group="store-read")

    async def _paint_stored(self) -> None:
        try:
            await self._paint_list()
        finally:
            self.painting = False
        screen = self._screen
        if self._closing():
            return
        if screen.thread is None and screen.loader.pages_loaded and not screen.has_class("-narrow"):
            # The gateway's first page came first and left the opening to the store, which
            # had no conversation to open (an empty store): open the newest, as it would have.
            first = screen.conversation_list.highlighted_key
            if first is not None:
                screen.open_conversation(first, focus=False)

    async def _paint_list(self) -> None:
        # What other processes write from now on shows up as a change of this number.
        await self._engine.note_data_version()
        rows = await self.access.call(lambda store: store.conversations())
        self._engine.tell_problem()
        if not rows or self._closing():
            return
        self.stored_conversations = len(rows)
        screen = self._screen
        screen.index.add_stored(rows)
        screen.show_conversations()
        if screen.thread is None:
            last = await self.access.call(lambda store: store.last_open())
            key = last if last and screen.index.get(last) else rows[0].key
            if screen.thread is None and not self._closing():
                if not screen.has_class("-narrow"):
                    screen.conversation_list.highlight_key(key)
                    screen.open_conversation(key, focus=False)
                elif last and key == last:
                    # One pane at a time: the list comes first, its cursor on where the user
                    # was last time; Enter opens it.
                    screen.conversation_list.highlight_key(key)

    def _closing(self) -> bool:
        """The app is shutting down: the screen's widgets are being taken away.

        A store read that returns then has nothing left to paint; touching the widgets would
        fail and end the app with "unexpected error" (a quit in the first second of a start).
        """
        return not self._screen.app.is_running

    def _announced(self, event: SyncEvent) -> None:
        """What the engine announces that this flow shows: problems, progress, a new list."""
        if isinstance(event, StoreTrouble):
            self._screen.notify(event.problem, severity="warning", markup=False, timeout=10)
        elif isinstance(event, GatewayOddity):
            # A standing note, not a status: "Up to date" must not wipe it a second later.
            self._screen.status_line.set_notice(event.problem)
        elif isinstance(event, BackfillProgressed):
            self._progress(event.progress)
        elif isinstance(event, StoredListChanged):
            self.stored_conversations = len(event.conversations)
            self._screen.index.add_stored(list(event.conversations))
            self._screen.show_conversations()
        elif isinstance(event, SummariesStored):
            # The store's rows of what a write changed: its preview rule is the list's, so
            # every process shows the same row (what the pages said came first, for speed).
            self._screen.index.refresh_listed(event.conversations)
            self._screen.show_conversations()

    # Keeping the app's own state -------------------------------------------------------------

    def keep_position(self, key: str, message_key: str | None) -> None:
        """Remember where the user is reading a conversation (None: at its newest)."""
        self._engine.keep(lambda store: store.set_position(key, message_key))

    async def position(self, key: str) -> str | None:
        """Where the user was reading a conversation last time (None: at its newest)."""
        return await self.access.call(lambda store: store.position(key))

    def keep_last_open(self, key: str) -> None:
        """Remember which conversation is open, for the next start."""
        self._engine.keep(lambda store: store.set_last_open(key))

    def closing(self) -> None:
        """The screen is going: later writes only queue, for :meth:`close` to do."""
        self._engine.closing()

    def close(self) -> None:
        """Write what is still queued, then close the store (the screen is going)."""
        self._engine.close()

    async def settled(self) -> None:
        """Wait until every queued write is in the store (tests, and before reading back)."""
        await self._engine.settled()

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
        screen.set_interval(WATCH_INTERVAL, self._engine.check_other_writers, name="store watch")

    async def _backfill(self) -> None:
        try:
            await self._engine.backfill(page_size=self._screen.settings.backfill_page_size)
        except AuthError:
            return  # the app asks for credentials; the next start goes on from the cursor

    def _progress(self, progress: BackfillProgress) -> None:
        previous, self.progress = self.progress, progress
        self._screen.status_line.set_background(_describe(progress))
        if progress.done and previous is not None and not previous.done:
            self._screen.index.inbox_complete = True


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
