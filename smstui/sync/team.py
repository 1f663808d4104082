"""Team mode for the sync engine: one leader reads the gateway, followers read the store.

Off unless the store is on PostgreSQL and the caller asks for it (:meth:`TeamSync.for_location`
returns None for SQLite); an engine without a :class:`TeamSync` behaves exactly as before.

- **Roles.** :class:`~smstui.sync.leader.LeaderElection` picks one process per account. The
  **leader**'s engine behaves as a lone engine: it polls and pages the gateway, writes what it
  reads and runs the history backfill. A **follower**'s engine makes no gateway reads for the
  inbox, the sent history or conversations: it answers them from the store
  (:func:`inbox_page`, :func:`sent_page`, :func:`thread_page`) and announces the same events,
  so the screens (and their poll timers) work unchanged and cost the gateway nothing. A
  follower's backfill waits: it runs when (if ever) the process becomes the leader.
- **What only the gateway knows.** Balance, own numbers, contacts and scheduled messages are
  still read from the gateway by every process, once at start or when the operator asks (a
  handful of requests per operator and session, not a poll). Sends go out from the operator
  who sends, through the client, once; they are not reads and never pass through here.
- **Changes.** Every process listens on the account's channel
  (:class:`~smstui.sync.listener.ChangeListener`). A change another process committed becomes
  :class:`~smstui.sync.engine.StoredListChanged` (the list, read from the store) and, for each
  conversation it touched, :class:`~smstui.sync.engine.StoredThreadChanged` with that
  conversation's newest page from the store, so a screen repaints within a NOTIFY
  round-trip instead of at the next poll.
- **Handover.** When the leader goes, a follower wins the lock within about a second of the
  old session ending, and its engine reads the gateway from the next poll on; nothing is lost
  because every write merges by message key (a page read twice is stored once).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from smstui.domain.models import InboxItem, Message, Page, SentItem
from smstui.store import MessageStore
from smstui.store.changes import Change
from smstui.store.location import StoreLocation
from smstui.sync.engine import StoredThreadChanged, SyncEngine
from smstui.sync.leader import LeaderElection
from smstui.sync.listener import ChangeListener

__all__ = ["TeamSync", "inbox_page", "sent_page", "thread_page"]

logger = logging.getLogger(__name__)

THREAD_PAGE = 50
"""How many of a changed conversation's newest messages are announced with it."""


def _date(timestamp: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(timestamp))


def inbox_page(store: MessageStore, page: int, limit: int) -> Page[InboxItem]:
    """The inbox as the gateway would list it, from the stored received messages."""
    messages, total = store.latest(outbound=False, limit=limit, offset=(page - 1) * limit)
    items = tuple(
        InboxItem(
            id=message.message_id or message.key,
            sender=message.sender,
            receiver=message.receiver,
            text=message.text,
            type="sms",
            date=_date(message.timestamp),
            timestamp=message.timestamp,
        )
        for message in messages
    )
    return Page(items, total, page, limit)


def sent_page(store: MessageStore, page: int, limit: int) -> Page[SentItem]:
    """The sent history as the gateway would list it, from the stored sent messages."""
    messages, total = store.latest(outbound=True, limit=limit, offset=(page - 1) * limit)
    items = tuple(
        SentItem(
            id=message.message_id or message.key,
            message_id=message.message_id or "",
            text=message.text,
            to=message.receiver,
            sender=message.sender,
            date=_date(message.timestamp),
            timestamp=message.timestamp,
            type="sms",
            status=message.status,
        )
        for message in messages
    )
    return Page(items, total, page, limit)


def thread_page(
    store: MessageStore, key: str, page: int, limit: int, *, partial: bool = False
) -> Page[Message] | None:
    """One page of a conversation from the store, newest first as the gateway lists it.

    The total is the gateway's count (as last read by any process) when the store holds
    fewer: so the start of what the leader happened to store is not shown as the start of
    the conversation. None when the store lacks messages of this page that the gateway
    has (older history nobody has read yet): the caller reads that page from the gateway;
    with ``partial``, what is stored of it instead.
    """
    offset = (page - 1) * limit
    items = store.messages(key, limit=limit, before=offset)
    total = max(store.message_count(key), store.thread_total(key) or 0)
    if len(items) < limit and offset + len(items) < total and not partial:
        return None
    return Page(tuple(reversed(items)), total, page, limit)


class TeamSync:
    """The election and the listener of one process, joined to its engine (see module).

    Args:
        location: A PostgreSQL store location.
        interval: Seconds between election tries / leader keep-alives.
    """

    def __init__(self, location: StoreLocation, *, interval: float = 1.0) -> None:
        if location.url is None:
            raise ValueError("team mode needs a PostgreSQL store")
        self.location = location
        """Where the team's store is."""
        self.election = LeaderElection(
            location.url, location.schema, on_change=self._role_changed, interval=interval
        )
        self.listener = ChangeListener(
            location.url, location.schema, self._changed, on_other=self._other
        )
        self._engine: SyncEngine | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._decided = asyncio.Event()
        self.pending_backfill: int | None = None
        """The page size of a backfill asked for while following (run on becoming leader)."""
        self.on_role: Callable[[bool], None] | None = None
        """Also told (on the event loop) when this process becomes or stops being the leader."""
        self.on_payload: Callable[[str], None] | None = None
        """Told (on the event loop) of other payloads on the channel: presence notes."""

    @classmethod
    def for_location(cls, location: StoreLocation | None, **options: float) -> TeamSync | None:
        """A team mode for a PostgreSQL store; None for SQLite or no store (mode off)."""
        if location is None or location.url is None:
            return None
        return cls(location, **options)

    @property
    def is_leader(self) -> bool:
        """True while this process is the account's leader."""
        return self.election.is_leader

    inbox_page = staticmethod(inbox_page)
    sent_page = staticmethod(sent_page)
    thread_page = staticmethod(thread_page)

    def attach(self, engine: SyncEngine) -> None:
        """Serve this engine (called by the engine)."""
        self._engine = engine

    async def start(self, *, wait_s: float = 5.0) -> None:
        """Start the election and the listener; wait (up to ``wait_s``) for the first round."""
        self._loop = asyncio.get_running_loop()
        self.election.start()
        await asyncio.to_thread(self.listener.start, wait=wait_s)
        if self.election.is_leader:
            self._decided.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._decided.wait(), max(wait_s, 2 * self.election.interval))

    def stop(self) -> None:
        """Stop the listener and step down (blocking, a second at most)."""
        self.listener.stop()
        self.election.stop()

    # From the threads to the event loop -------------------------------------------------------

    def _role_changed(self, leader: bool) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._on_role, leader)

    def _on_role(self, leader: bool) -> None:
        self._decided.set()
        engine = self._engine
        if leader and engine is not None and self.pending_backfill is not None:
            page_size, self.pending_backfill = self.pending_backfill, None
            engine.spawn(engine.backfill(page_size=page_size), "backfill")
        if self.on_role is not None:
            self.on_role(leader)

    def _other(self, payload: str) -> None:
        loop, told = self._loop, self.on_payload
        if loop is not None and told is not None and not loop.is_closed():
            loop.call_soon_threadsafe(told, payload)

    def _changed(self, change: Change) -> None:
        loop = self._loop
        engine = self._engine
        store = engine.access.store if engine is not None else None
        if change.backend and change.backend == getattr(store, "backend_pid", None):
            return  # this engine's own write: it announced it already
        if loop is not None and engine is not None and not loop.is_closed():
            loop.call_soon_threadsafe(lambda: engine.spawn(self.announce(change), "team change"))

    async def announce(self, change: Change) -> None:
        """Announce what another process's write changed, read back from the store."""
        engine = self._engine
        if engine is None:
            return
        await engine.announce_stored_list()
        if change.kind != "messages" or change.keys is None:
            return
        for key in change.keys:
            page = await engine.access.call(
                lambda store, k=key: thread_page(store, k, 1, THREAD_PAGE, partial=True)  # type: ignore[misc]
            )
            if page is not None:
                engine.announce(StoredThreadChanged(key, page, change.at))
