"""The sync engine: the one reader of the gateway, writing what it reads to the store.

A message travels one way: the gateway answers a read made here; the page is written through to
the local store (queued, one writer, in order, off the event loop); then every subscriber is
told what was stored with a small frozen event (:data:`SyncEvent`). The screens ask the engine
for more and repaint from what it announces or returns; they never read the gateway themselves
(an architecture test enforces it). Sends are not reads: they go from the send flow to the
client directly and are never retried, and what they changed comes back through a read here.

The engine knows nothing about Textual. Where the UI wants its background work to be a worker
(so that a test's "wait until idle" includes it), it passes ``spawn``; by default an asyncio
task is used. Failures of the gateway are raised to the caller unchanged (the caller decides
between a sign-in, a status line and a retry countdown); failures of the store never reach the
caller: a read is still returned and announced when its page could not be kept.

Team mode (PostgreSQL only, off unless a :class:`TeamRole` is given): while another process is
the account's leader this engine *follows*: its inbox, sent-history and conversation reads are
answered from the store, and its backfill waits until it leads (:mod:`smstui.sync.team`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from smstui.api.client import SmsClient
from smstui.api.scheduled import ScheduledMessage
from smstui.domain.conversations import ConversationSummary
from smstui.domain.models import (
    Balance,
    Contact,
    InboxItem,
    Message,
    OwnNumber,
    Page,
    SentItem,
)
from smstui.domain.phones import conversation_key
from smstui.store import MessageStore
from smstui.store.errors import STORE_ERRORS
from smstui.sync.access import CurrentStore, StoreAccess
from smstui.sync.backfill import BackfillProgress, HistoryBackfill
from smstui.sync.oddities import GatewayOddity, OddityBook
from smstui.system.clock import Clock

__all__ = [
    "BackfillProgressed",
    "ContactsStored",
    "GatewayOddity",
    "InboxPageStored",
    "SentPageStored",
    "StoreTrouble",
    "StoredListChanged",
    "StoredThreadChanged",
    "SummariesStored",
    "SyncEngine",
    "SyncEvent",
    "TeamRole",
    "ThreadPageStored",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")
Write = Callable[[MessageStore], object]
Spawn = Callable[[Coroutine[Any, Any, None], str], object]
"""Runs a background coroutine under a name (the screen passes its ``run_worker``)."""


@dataclass(frozen=True, slots=True)
class InboxPageStored:
    """An inbox page was read (and kept, when there is a store)."""

    page: Page[InboxItem]


@dataclass(frozen=True, slots=True)
class SentPageStored:
    """A sent-history page was read (and kept)."""

    page: Page[SentItem]


@dataclass(frozen=True, slots=True)
class ThreadPageStored:
    """A page of one conversation was read (and kept)."""

    key: str
    """The conversation key."""
    page: Page[Message]


@dataclass(frozen=True, slots=True)
class ContactsStored:
    """A page of the address book was read (and kept)."""

    page: Page[Contact]


@dataclass(frozen=True, slots=True)
class BackfillProgressed:
    """The history backfill moved on (or paused, or finished)."""

    progress: BackfillProgress


@dataclass(frozen=True, slots=True)
class StoredListChanged:
    """The store's conversations changed behind the screen's back.

    The backfill finished, or another smstui process wrote to the same file.
    """

    conversations: tuple[ConversationSummary, ...]


@dataclass(frozen=True, slots=True)
class SummariesStored:
    """The store's summaries of the conversations a write changed (or a follower read).

    The one rule for a row of the conversation list: the store's summary, whose preview is
    the newest message in the store's ``(timestamp, id)`` order. The list takes these over
    what it worked out from pages for the conversations it lists
    (``ConversationIndex.refresh_listed``: the store's row wins unless the list knows of
    something newer the store lacks, a send on its way), so a solo app, a team's leader and
    its followers show one preview for a conversation.
    """

    conversations: tuple[ConversationSummary, ...]


@dataclass(frozen=True, slots=True)
class StoredThreadChanged:
    """Another process stored messages of a conversation (team mode): its newest page."""

    key: str
    page: Page[Message]
    at: float
    """When the other process wrote it (wall-clock seconds)."""


@dataclass(frozen=True, slots=True)
class StoreTrouble:
    """The store could not be opened or written: one line to show (the reads go on)."""

    problem: str


SyncEvent = (
    InboxPageStored
    | SentPageStored
    | ThreadPageStored
    | ContactsStored
    | BackfillProgressed
    | StoredListChanged
    | StoredThreadChanged
    | SummariesStored
    | StoreTrouble
    | GatewayOddity
)
Listener = Callable[[SyncEvent], None]


class TeamRole(Protocol):
    """What the engine asks of team mode (:class:`smstui.sync.team.TeamSync`)."""

    pending_backfill: int | None

    @property
    def is_leader(self) -> bool:
        """True while this process is the account's leader."""

    def attach(self, engine: SyncEngine) -> None:
        """Serve this engine."""

    def inbox_page(self, store: MessageStore, page: int, limit: int) -> Page[InboxItem]:
        """The inbox from the store."""

    def sent_page(self, store: MessageStore, page: int, limit: int) -> Page[SentItem]:
        """The sent history from the store."""

    def thread_page(
        self, store: MessageStore, key: str, page: int, limit: int
    ) -> Page[Message] | None:
        """A conversation page from the store; None when the store lacks it."""


class SyncEngine:
    """Reads the gateway, keeps what it reads, and announces it.

    Args:
        client: The API client (only its read endpoints are used here).
        access: The local store (opened lazily; may be unavailable).
        clock: The app's clock (for the backfill's retry times).
        spawn: Runs the store writer in the background (default: an asyncio task).
        team: Team mode (PostgreSQL): follow another process's lead (default: always lead).
    """

    def __init__(
        self,
        client: SmsClient,
        access: StoreAccess,
        *,
        clock: Clock,
        spawn: Spawn | None = None,
        team: TeamRole | None = None,
    ) -> None:
        self._client = client
        self.access = access
        """The local store."""
        self._clock = clock
        self._spawn = spawn or self._spawn_task
        self._tasks: set[asyncio.Task[None]] = set()
        self._listeners: list[Listener] = []
        self._writes: (
            asyncio.Queue[tuple[Write | None, SyncEvent | None, asyncio.Future[None] | None]] | None
        ) = None
        self._writing = False
        self._closing = False
        self._data_version: int | None = None
        self._problem_told = ""
        self._oddities = OddityBook()
        self.team = team
        """Team mode, or None (this engine always reads the gateway)."""
        if team is not None:
            team.attach(self)

    @property
    def following(self) -> bool:
        """True in team mode while another process leads: reads are answered from the store."""
        return self.team is not None and not self.team.is_leader

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        """Run background work the way this engine runs its own (a worker in the app)."""
        self._spawn(work, name)

    async def _stored_page(
        self, read: Callable[[MessageStore], Page[T]], page: int, limit: int
    ) -> Page[T]:
        found = await self.access.call(read)
        return found if found is not None else Page((), 0, page, limit)

    async def _announce_summaries(self, keys: Iterable[str]) -> None:
        """Announce the store's summaries of some conversations (a follower's page)."""
        wanted = sorted({key for key in keys if key})
        found = await self.access.call(lambda store: store.summaries(wanted)) if wanted else None
        if found:
            self._announce(SummariesStored(tuple(found)))

    # Announcing ------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Tell ``listener`` about every event from now on; returns the way to stop."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def announce(self, event: SyncEvent) -> None:
        """Tell every subscriber about ``event`` (team mode announces what others stored)."""
        self._announce(event)

    def _announce(self, event: SyncEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # one broken listener must not silence the others
                logger.exception("a sync listener failed on %s", type(event).__name__)

    # Reads -----------------------------------------------------------------------------------

    async def inbox(self, *, page: int = 1, limit: int = 100) -> Page[InboxItem]:
        """One inbox page, newest first; kept and announced (from the store when following)."""
        if self.team is not None and self.following:
            team = self.team
            read = await self._stored_page(lambda s: team.inbox_page(s, page, limit), page, limit)
            self._announce(InboxPageStored(read))
            await self._announce_summaries(conversation_key(item.sender) for item in read.items)
            return read
        read = self._checked(await self._client.inbox(page=page, limit=limit))
        items = list(read.items)
        self._keep(lambda store: store.add_inbox_items(items), InboxPageStored(read))
        return read

    async def sent_history(self, *, page: int = 1, limit: int = 100) -> Page[SentItem]:
        """One sent-history page, newest first; kept and announced (stored, when following)."""
        if self.team is not None and self.following:
            team = self.team
            read = await self._stored_page(lambda s: team.sent_page(s, page, limit), page, limit)
            self._announce(SentPageStored(read))
            await self._announce_summaries(conversation_key(item.to) for item in read.items)
            return read
        read = self._checked(await self._client.sent_history(page=page, limit=limit))
        items = list(read.items)
        self._keep(lambda store: store.add_sent_items(items), SentPageStored(read))
        return read

    async def conversation(
        self, key: str, number: str, *, page: int = 1, limit: int = 50
    ) -> Page[Message]:
        """One page of a conversation (page 1 is the newest), as the store holds it.

        What is drawn is read from the store: the gateway's page is written first, then
        read back (:meth:`MessageStore.as_stored`), so every process (a solo app, a team's
        leader and its followers) draws one conversation in the store's one order. Without
        a store, or when the write failed, the gateway's page is returned as it came.

        A follower answers from the store; older history that nobody has stored yet is read
        from the gateway by the follower itself (the operator asked for it, as for contacts)
        and stored for the whole team: the leader does not page conversations for others.

        Args:
            key: The conversation key the messages are kept under.
            number: The number the gateway knows the conversation by.
            page: The page number.
            limit: The page size.
        """
        if self.team is not None and self.following:
            team = self.team
            stored = await self.access.call(lambda s: team.thread_page(s, key, page, limit))
            if stored is not None:
                self._announce(ThreadPageStored(key, stored))
                return stored
        read = self._checked(await self._client.conversation(number, page=page, limit=limit))
        items, total = list(read.items), read.total

        def write(store: MessageStore) -> None:
            if store.thread_total(key) != total:
                store.set_thread_total(key, total)
            if items:
                store.add_messages(key, items)

        written = self._keep(write, ThreadPageStored(key, read))
        if written is None or not items:
            return read
        await written
        keys = [message.key for message in items]
        seconds = (min(m.timestamp for m in items), max(m.timestamp for m in items))
        kept = await self.access.call(lambda store: store.as_stored(key, keys, seconds=seconds))
        if not kept or not set(keys) <= {message.key for message in kept}:
            return read  # not kept (the disk is full, the store failed): drawn as it came
        return Page(tuple(kept), read.total, read.page, read.limit)

    async def contacts(self, *, page: int = 1, limit: int = 500) -> Page[Contact]:
        """One page of the address book; kept and announced."""
        read = self._checked(await self._client.contacts(page=page, limit=limit))
        items = list(read.items)
        self._keep(lambda store: store.set_contacts(items), ContactsStored(read))
        return read

    async def own_numbers(self) -> tuple[OwnNumber, ...]:
        """Our receiving numbers (not kept: they are asked for at every start)."""
        return await self._client.own_numbers()

    async def balance(self) -> Balance:
        """The account balance (not kept)."""
        return await self._client.balance()

    async def scheduled(self, *, page: int = 1, limit: int = 100) -> Page[ScheduledMessage]:
        """One page of the scheduled messages (not kept: the list is always asked for fresh)."""
        return await self._client.scheduled(page=page, limit=limit)

    async def cancel_scheduled(self, outbox_id: str) -> None:
        """Cancel one scheduled message at the gateway (the list is read again after)."""
        await self._client.cancel_scheduled(outbox_id)

    def _checked(self, page: Page[T]) -> Page[T]:
        """Announce what a page held that could not be used (when it is news)."""
        if (oddity := self._oddities.note(page)) is not None:
            self._announce(oddity)
        return page

    # The writer ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start keeping: writes queue from now on (before this, reads are only announced)."""
        if not self.access.unavailable and self._writes is None:
            self._writes = asyncio.Queue()

    def keep(self, write: Write) -> None:
        """Queue one write of the app's own state (a reading position, the open conversation)."""
        self._keep(write, None)

    def _keep(self, write: Write | None, event: SyncEvent | None) -> asyncio.Future[None] | None:
        """Queue a write and the event it announces once it is in (at once without a store).

        Returns:
            Done once the write was tried (it may have failed); None when it will not be
            tried now (no store, or the app is closing: :meth:`close` writes it).
        """
        if self._writes is None or self.access.unavailable:
            if event is not None:
                self._announce(event)
            return None
        try:
            done: asyncio.Future[None] | None = asyncio.get_running_loop().create_future()
        except RuntimeError:  # no event loop (the app is ending): nobody waits
            done = None
        self._writes.put_nowait((write, event, done))
        if self._closing:
            return None
        if not self._writing:
            # One writer at a time keeps the writes in order; it ends when the queue is empty
            # (a writer that waited forever would keep the screen from ever being idle).
            self._writing = True
            self._spawn(self._drain(), "store writer")
        return done

    def _spawn_task(self, work: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)  # asyncio keeps only weak references to running tasks
        task.add_done_callback(self._tasks.discard)

    async def _drain(self) -> None:
        queue = self._writes
        try:
            while queue is not None and not queue.empty():
                write, event, done = queue.get_nowait()
                summaries: list[ConversationSummary] | None = None
                try:
                    if write is not None:
                        summaries = await self.access.call(_written(write), writes=True)
                finally:
                    queue.task_done()
                    if done is not None and not done.done():
                        done.set_result(None)
                if event is not None:  # a failed write still announces what was read
                    self._announce(event)
                if summaries:  # after the page: the store's rows have the last word
                    self._announce(SummariesStored(tuple(summaries)))
            self.tell_problem()
        finally:
            self._writing = False

    def tell_problem(self) -> None:
        """Announce the store's problem once when it is new (see :attr:`StoreAccess.problem`)."""
        problem = self.access.problem
        if problem and problem != self._problem_told:
            self._problem_told = problem
            self._announce(StoreTrouble(problem))

    def closing(self) -> None:
        """The app is going: later writes only queue, for :meth:`close` to do."""
        self._closing = True

    def close(self) -> None:
        """Write what is still queued (blocking), then close the store; nothing is announced."""
        queue, self._writes = self._writes, None
        store = self.access.store
        while queue is not None and store is not None and not queue.empty():
            write, _, _ = queue.get_nowait()
            try:
                if write is not None:
                    write(store)
            except STORE_ERRORS as error:  # the app is ending: log it, lose nothing else
                logger.warning("a last store write failed: %s", error)
        self.access.close()

    async def settled(self) -> None:
        """Wait until every queued write is in the store (tests, and before reading back)."""
        if self._writes is not None:
            await self._writes.join()

    # Background ------------------------------------------------------------------------------

    async def backfill(self, *, page_size: int) -> None:
        """Read the whole history into the store, announcing progress; then the new list.

        Raises:
            AuthError: The credentials were rejected (the next start goes on from the cursor).
        """
        if self.team is not None and self.following:
            self.team.pending_backfill = page_size  # run when this process leads
            return
        store = await self.access.open()
        if store is None:
            return
        await self.settled()
        backfill = HistoryBackfill(
            self._client,
            CurrentStore(self.access),  # a store found damaged is rebuilt under the backfill
            offload=self.access.offload,
            clock=self._clock,
            page_size=page_size,
            on_progress=self._backfill_progress,
        )
        await backfill.run()
        await self._announce_stored_list()

    def _backfill_progress(self, progress: BackfillProgress) -> None:
        self._announce(BackfillProgressed(progress))
        self.tell_problem()  # a full disk or a rebuilt store: said now, not when it ends

    def read_in_order(self, read: Callable[[MessageStore], T]) -> Awaitable[T | None]:
        """Read the store behind the writes queued so far and ahead of any queued later.

        The queue place is taken now, when called, so a read asked for at start sees the store
        as the last run left it, however soon this run's first page is written. None when the
        store cannot answer.
        """
        answers: list[T] = []
        done = self._keep(lambda store: answers.append(read(store)), None)

        async def answer() -> T | None:
            if done is not None:
                await done
            if answers:
                return answers[0]
            # No queue (not started, no store) or a write turn that was not run (a full disk
            # holds writes back): a plain read still answers.
            return await self.access.call(read)

        return answer()

    async def note_data_version(self) -> None:
        """Remember the store's change counter (at start), to notice other writers later."""
        self._data_version = await self.access.call(lambda store: store.data_version())

    async def check_other_writers(self) -> None:
        """Announce the stored list when another process wrote to the store since last time."""
        version = await self.access.call(lambda store: store.data_version())
        if version is None:
            return
        if self._data_version is not None and version != self._data_version:
            await self._announce_stored_list()
        self._data_version = version

    async def announce_stored_list(self) -> None:
        """Announce the stored list (:class:`StoredListChanged`), and note the change counter."""
        await self._announce_stored_list()
        await self.note_data_version()  # what was announced need not be found again

    async def _announce_stored_list(self) -> None:
        rows: Sequence[ConversationSummary] | None = await self.access.call(
            lambda store: store.conversations()
        )
        if rows:
            self._announce(StoredListChanged(tuple(rows)))


def _written(write: Write) -> Callable[[MessageStore], list[ConversationSummary]]:
    """A write that returns the store's summaries of the conversations it changed."""

    def written(store: MessageStore) -> list[ConversationSummary]:
        write(store)
        return store.changed_summaries()

    return written
