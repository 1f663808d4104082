"""The inbox without a screen: which conversations are listed, unread, muted, open at start.

An :class:`InboxSession` takes commands (start, load more, reload, filter, open, mark unread,
mute, a draft changed, …) and tells its listener what changed with frozen events
(:mod:`smstui.session.events`). It never holds a widget: the UI forwards what the user does and
applies the events. Background work goes to an injected :class:`Scheduler`; time comes from an
injected clock; every read of the gateway goes through the sync engine.

**The conversation open at start** is chosen here, once (:mod:`smstui.session.start`); the
store's list paints before the gateway answers, and "Up to date" comes after the choice.

**Unread.** A conversation becomes read when the UI reports it viewed (:meth:`viewed`); the
UI decides when the user really sees it (focus, terminal focus, scrolled to the bottom). ``u``
keeps a conversation unread until it is opened anew. The title's total leaves muted
conversations out (they keep their counts in the list).

**The account** (our numbers, the balance, the number sent from by default) is asked for with
the first page (:class:`AccountChanged`); numbers that could not be had are asked for again by
:meth:`InboxSession.retry_account` (a refresh, a check that reached the gateway).

**Drafts** are kept per conversation in memory and written once typing pauses
(:data:`DRAFT_SAVE_DELAY`) or when the session closes; opening a conversation brings its own
draft to the composer (:class:`ComposerChanged`), never the previous one's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TypeVar

from smstui.api.errors import AuthError, Offline, SmsError
from smstui.domain.conversations import ConversationIndex, ConversationSummary
from smstui.domain.models import InboxItem, Message, Page, SentItem
from smstui.domain.paging import MissedPages
from smstui.domain.phones import conversation_key, display_number
from smstui.domain.team_shared import owner_query, with_assignees
from smstui.domain.unread import UnreadTracker
from smstui.session.events import (
    AccountChanged,
    Alert,
    ComposerChanged,
    ConversationsListed,
    InboxPageRequested,
    InboxPageSettled,
    SessionEvent,
    SessionListener,
    SignInNeeded,
    StatusChanged,
    UnreadTotalChanged,
)
from smstui.session.scheduling import Cancellable, Scheduler
from smstui.session.start import StartChoice
from smstui.store.drafts import DraftStore
from smstui.store.mutes import MuteState
from smstui.store.read_state import ReadState
from smstui.sync.engine import (
    BackfillProgressed,
    StoredListChanged,
    SummariesStored,
    SyncEngine,
    SyncEvent,
)
from smstui.system.clock import Clock
from smstui.system.config import Settings

__all__ = ["DRAFT_SAVE_DELAY", "InboxSession"]

T = TypeVar("T")

DRAFT_SAVE_DELAY = 0.5
"""Seconds without typing before drafts are written."""


class InboxSession:
    """The inbox's state and rules, driven by commands, reporting through events.

    Args:
        engine: The sync engine (reads the gateway, keeps what it reads in the store).
        settings: Page sizes and poll timing.
        clock: The app's clock.
        scheduler: Runs background work and timers.
        unread: Unread counts over the persisted read state.
        mutes: Muted conversations.
        drafts: Where drafts are kept.
        listener: Told every event, in order.
        operator: Team mode: this operator's name (``@me`` in the filter); None outside it.
    """

    def __init__(
        self,
        engine: SyncEngine,
        *,
        settings: Settings,
        clock: Clock,
        scheduler: Scheduler,
        unread: UnreadTracker[ReadState],
        mutes: MuteState,
        drafts: DraftStore,
        listener: SessionListener,
        operator: str | None = None,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._clock = clock
        self._scheduler = scheduler
        self._unread = unread
        self._mutes = mutes
        self._drafts = drafts
        self._listener = listener
        self._operator = operator
        self.conversations = ConversationIndex()
        """Every conversation known, with its summary (read it; change it through commands)."""
        self._query = ""
        self._assignees: dict[str, str] = {}
        self._listed: tuple[ConversationSummary, ...] = ()
        self._total = 0
        self._unmuted_total = 0
        self._open: str | None = None
        self._kept_unread: str | None = None
        """The open conversation marked unread: viewing it does not read it until it is
        opened anew."""
        self._pending_drafts: dict[str, str] = {}
        self._draft_timer: Cancellable | None = None
        self.pages_loaded = 0
        """Inbox pages loaded since start (or since the last reload)."""
        self.missed_sent = MissedPages(
            max_skip=int(settings.poll_backoff_max // max(settings.poll_interval, 1.0))
        )
        """Sent-history pages that failed while their inbox page arrived."""
        self._loading = False
        self._reloading = False
        self._page_work: Cancellable | None = None
        self._start = StartChoice()
        self._backfill_running = False
        self.own_numbers: tuple[str, ...] = ()
        """Our receiving numbers, digits only (empty until loaded)."""
        self.own_countries: tuple[str, ...] = ()
        """The country code the gateway gives for each of our numbers ("PL"; "" when none)."""
        self.numbers_error: SmsError | None = None
        """Why asking for our numbers failed (None: not asked yet, or they came)."""
        self._account_running = False
        self._closed = False
        engine.subscribe(self._announced)

    # Queries ---------------------------------------------------------------------------------

    def summary(self, key: str) -> ConversationSummary | None:
        """One conversation's row, when it is known."""
        return self.conversations.get(key)

    @property
    def listed(self) -> tuple[ConversationSummary, ...]:
        """The rows last listed (filtered), in order."""
        return self._listed

    @property
    def open_key(self) -> str | None:
        """The conversation the composer belongs to (None before any opened)."""
        return self._open

    @property
    def unread_total(self) -> int:
        """Unread messages over all conversations, muted ones too."""
        return self._total

    def unread_count(self, key: str) -> int:
        """Unread messages of one conversation (at least 1 while it is marked unread)."""
        return self._unread.count(key)

    @property
    def muted(self) -> frozenset[str]:
        """The muted conversations."""
        return self._mutes.keys

    @property
    def assignees(self) -> Mapping[str, str]:
        """Team mode: conversation key → the operator who looks after it."""
        return self._assignees

    @property
    def state_problems(self) -> tuple[str, ...]:
        """Why a personal-state file could not be used (it was moved aside), ready to show."""
        found = (self._drafts.problem, self._unread.state.problem, self._mutes.problem)
        return tuple(problem for problem in found if problem)

    def draft(self, key: str) -> str:
        """A conversation's draft, including typing not written yet."""
        pending = self._pending_drafts.get(key)
        return pending if pending is not None else self._drafts.get(key)

    def divider_since(self, key: str) -> int | None:
        """For a conversation with unread messages: the time they start after (else None)."""
        summary = self.conversations.get(key)
        if summary is None or summary.unread <= 0:
            return None
        return self._unread.seen_until(key)

    def next_unread(self, after: str | None) -> str | None:
        """The next listed conversation with unread messages after ``after``, wrapping around."""
        rows = self._listed
        start = next((i for i, row in enumerate(rows) if row.key == after), -1) + 1
        for offset in range(len(rows)):
            row = rows[(start + offset) % len(rows)]
            if row.unread > 0 and row.key != after:
                return row.key
        return None

    # Start and loading -----------------------------------------------------------------------

    def start(self) -> None:
        """Read the conversations the store holds (the list paints before the gateway answers)."""
        if self._engine.access.unavailable:
            self._start.store_read(last_open=None, newest=None)
            return
        self._engine.start()
        # Queued ahead of this run's first write: its newest is the last run's, not a page
        # half-written since (the gateway's first page is asked for meanwhile, not after).
        stored = self._engine.read_in_order(
            lambda store: (store.conversations(), store.last_open())
        )
        self._scheduler.spawn(self._read_store(stored), "stored inbox")

    async def _read_store(
        self, stored: Awaitable[tuple[list[ConversationSummary], str | None] | None]
    ) -> None:
        rows = None
        last = None
        try:
            try:
                # What other processes write from now on shows up as a change of this number.
                await self._engine.note_data_version()
            finally:
                answer = await stored
            self._engine.tell_problem()
            if answer is not None:
                rows, last = answer
        finally:  # a store that failed to answer must not hold the start back
            if rows:
                self.conversations.add_stored(rows)
                self.publish()
            listed_last = last if last and self.conversations.get(last) is not None else None
            self._start.store_read(last_open=listed_last, newest=rows[0].key if rows else None)
        self._settle_start()

    def load(self) -> None:
        """Load the first inbox page (with its sent-history page), the contacts, the account."""
        self._load_next_page()
        self._scheduler.spawn(self._contacts(), "contacts")
        self._load_account()

    def retry_account(self) -> None:
        """Ask for our numbers again if they could not be had (the gateway answers again)."""
        if self.numbers_error is not None and not self._account_running:
            self._load_account()

    def _load_account(self) -> None:
        self._account_running = True
        self._scheduler.spawn(self._account(), "account")

    async def _account(self) -> None:
        """Our numbers and the balance."""
        engine = self._engine
        try:
            (numbers, error), balance = await asyncio.gather(
                self._attempt(engine.own_numbers), self._call(engine.balance)
            )
        finally:
            self._account_running = False
        if error is not None and not isinstance(error, Offline):
            self._emit(StatusChanged(error.user_message, "error"))  # as _call would
        if numbers is not None or error is not None:
            self.numbers_error = error
        if numbers:
            self.own_numbers = tuple(number.number for number in numbers)
            self.own_countries = tuple(number.country for number in numbers)
        own = self.own_numbers
        sender = self._settings.default_sender or (own[0] if own else "")
        amount = f"{balance.amount} {balance.currency}".strip() if balance else "?"
        self._emit(AccountChanged(own, sender, amount))

    def load_more(self) -> None:
        """The list was scrolled near its end: the next inbox page, once the first is in."""
        if self.pages_loaded > 0 and not self.conversations.inbox_complete:
            self._load_next_page()

    def reload(self) -> None:
        """Fetch the first inbox page again (the list keeps what it has meanwhile).

        A page already on its way is called off: its answer would set the page count back and
        the reload would be lost.
        """
        if self._page_work is not None:
            self._page_work.cancel()
        self._loading = False
        self._reloading = True
        self.pages_loaded = 0
        self._load_next_page()

    def _load_next_page(self) -> None:
        if not self._loading:
            self._loading = True
            self._page_work = self._scheduler.spawn(self._next_page(), "inbox page")

    async def _next_page(self) -> None:
        number = self.pages_loaded + 1
        refresh = self._reloading and number == 1
        self._emit(InboxPageRequested(number))
        limit = self._settings.inbox_page_size
        engine = self._engine
        failed = "Refresh failed: " if refresh else ""
        try:
            inbox, sent, _ = await asyncio.gather(
                self._call(lambda: engine.inbox(page=number, limit=limit), failed=failed),
                self._call(lambda: engine.sent_history(page=number, limit=limit)),
                self.retry_sent_pages(),
            )
        finally:
            self._loading = False
        if number == 1:
            self._reloading = False
        # Said before the rows change: the list asks for more pages by where it ends without
        # its "Loading more…" row.
        self._emit(InboxPageSettled(number, loaded=inbox is not None, refresh=refresh))
        if inbox is None:
            return
        self.pages_loaded = number
        self._add_inbox_page(inbox)
        if sent is not None:
            self._add_sent_page(sent)
        else:  # the list moves on: this sent page is asked for again later
            self.missed_sent.failed(number, limit)
        self.publish()
        if number == 1:
            self._start.first_page_in()
            self._settle_start(page_again=True)

    def _settle_start(self, *, page_again: bool = False) -> None:
        newest = self._listed[0].key if self._listed else None
        anything_open = self._open is not None
        for event in self._start.settle(
            newest=newest, anything_open=anything_open, page_again=page_again
        ):
            self._emit(event)

    async def retry_sent_pages(self) -> None:
        """Ask again for the sent-history pages that are due (see :class:`MissedPages`)."""
        due = self.missed_sent.due()
        if not due:
            return
        engine = self._engine
        try:
            answers = await asyncio.gather(
                *(
                    self._attempt(
                        lambda n=number, size=limit: engine.sent_history(page=n, limit=size)  # type: ignore[misc]
                    )
                    for number, limit in due
                )
            )
        finally:
            for number, _ in due:  # a cancelled try is due again at the next chance
                self.missed_sent.release(number)
        for (number, limit), (page, error) in zip(due, answers, strict=True):
            if page is not None:
                self._add_sent_page(page)
            elif error is not None:
                self.missed_sent.failed(number, limit)
        if any(page is not None for page, _ in answers):
            self.publish()

    async def _contacts(self) -> None:
        """Page through the address book; names appear as they arrive."""
        number = 1
        limit = self._settings.contacts_page_size
        while True:
            page = await self._call(
                lambda n=number: self._engine.contacts(page=n, limit=limit)  # type: ignore[misc]
            )
            if page is None:
                return
            self.conversations.add_contacts(page.items)
            if self.pages_loaded > 0:
                self.publish()
            if page.is_last:
                return
            number += 1

    def inbox_page_arrived(self, page: Page[InboxItem]) -> list[InboxItem]:
        """Merge an inbox page read elsewhere (a poll); return the messages that are news."""
        news = self._add_inbox_page(page)
        self.publish()
        return news

    def reply_sent(self, conversation: str, message: Message) -> None:
        """One of our replies was confirmed: list it; what came before it counts as read.

        Whoever replies has read what came before: the rule ``smstui unread`` counts by too.
        """
        self.conversations.record_message(conversation, message)
        self._unread.note_reply(conversation, message.timestamp)
        self._show_counts([conversation])
        self.publish()

    def messages_seen(self, seen: Iterable[tuple[str, Message]], *, newest: bool = False) -> None:
        """Messages met outside the inbox pages: their rows show them; the list again.

        They are ``(conversation key, message)`` pairs: an open conversation's last message,
        our message being sent (or left unsent by an earlier run), a copy of it found on a
        page. One at least as new as its row's last activity becomes the preview and moves the
        row to the top; an unknown conversation is listed.

        Args:
            seen: The messages, with their conversations.
            newest: Each is known to be its conversation's last message (a fresh newest page
                says so): it becomes the preview even when a little older than the row, and
                the row keeps its place.
        """
        for key, message in seen:
            self.conversations.record_message(key, message, newest=newest)
        self.publish()

    def _add_inbox_page(self, page: Page[InboxItem]) -> list[InboxItem]:
        self.conversations.add_inbox_page(page)
        news = [item for item in page.items if self._unread.note_inbox_item(item) is not None]
        self._show_counts(conversation_key(item.sender) for item in page.items)
        return news

    def _add_sent_page(self, page: Page[SentItem]) -> None:
        """Our replies list their people, and what came before a reply counts as read."""
        self.missed_sent.done(page.page)
        self.conversations.add_sent_page(page)
        keys: list[str] = []
        for item in page.items:
            if item.type.lower() == "single":
                keys.append(conversation_key(item.to))
                self._unread.note_reply(keys[-1], item.timestamp)
        self._show_counts(keys)

    def _announced(self, event: SyncEvent) -> None:
        """What the engine announces that changes the list: another process, the backfill."""
        if isinstance(event, StoredListChanged):
            self.conversations.add_stored(list(event.conversations))
            self.publish()
        elif isinstance(event, SummariesStored):
            # The store's rows of what a write changed: its preview rule is the list's, so
            # every process shows the same row (what the pages said came first, for speed).
            self.conversations.refresh_listed(event.conversations)
            self.publish()
        elif isinstance(event, BackfillProgressed):
            # Finished during this run: every conversation has been announced since. (One
            # finished by an earlier run says "done" first; the pages still say what is listed.)
            if event.progress.done and self._backfill_running:
                self.conversations.inbox_complete = True
            self._backfill_running = not event.progress.done

    # The list ----------------------------------------------------------------------------------

    def publish(self) -> None:
        """List the conversations again (the index changed, or the filter, mutes, assignees)."""
        owner, rest = owner_query(self._query, self._operator) if self._operator else (None, "")
        if not self._operator:
            rest = self._query
        index = self.conversations
        if rest:
            rows, complete = index.filter(rest), True
        else:
            rows, complete = index.summaries(), index.inbox_complete and owner is None
        self._listed = tuple(with_assignees(rows, self._assignees, owner))
        self._emit(ConversationsListed(self._listed, complete or owner is not None, self.muted))

    def filter(self, query: str) -> None:
        """List only the conversations matching ``query`` (names, numbers; ``@who`` in a team)."""
        query = query.strip()
        if query != self._query:
            self._query = query
            self.publish()

    def add_conversation(
        self, key: str, number: str, *, own_number: str, timestamp: int | None = None
    ) -> None:
        """List a conversation not known yet (a new message, a search result).

        It sorts at ``timestamp``: by default now, at the top.
        """
        if self.conversations.get(key) is None:
            at = int(self._clock.now()) if timestamp is None else timestamp
            self.conversations.add_conversation(key, number, own_number=own_number, timestamp=at)
            self.publish()

    def assignments_loaded(self, assignees: Mapping[str, str]) -> None:
        """Team mode: who looks after which conversation, as the team's board says now."""
        if dict(assignees) != self._assignees:
            self._assignees = dict(assignees)
            self.publish()

    def assign(self, key: str, operator: str) -> None:
        """Team mode: give a conversation to an operator ("": to nobody)."""
        if operator:
            self._assignees[key] = operator
        else:
            self._assignees.pop(key, None)
        self.publish()

    # Opening and reading ---------------------------------------------------------------------

    def open(self, key: str) -> None:
        """A conversation is opened: the composer follows with its draft; reading counts again."""
        self._kept_unread = None
        self._open = key
        self._emit(ComposerChanged(key, self.draft(key)))

    def reopen(self, key: str) -> None:
        """The open conversation was chosen again: reading it counts again."""
        self._kept_unread = None

    def viewed(self, key: str, newest: int) -> None:
        """The user sees a conversation's messages up to ``newest`` (epoch seconds)."""
        if key == self._kept_unread:
            return
        try:
            changed = self._unread.mark_read(key, newest)
        except OSError as error:
            self._cannot_save("what was read", error)
            changed = True
        if changed:
            self.conversations.set_unread(key, self._unread.count(key))
            self.publish()
            self._announce_total()

    def mark_unread(self, key: str) -> None:
        """Flag a conversation unread until it is viewed again (opened anew, if it is open)."""
        if key == self._open:
            self._kept_unread = key
        try:
            self._unread.mark_unread(key)
        except OSError as error:
            self._cannot_save("what was read", error)
        self.conversations.set_unread(key, self._unread.count(key))
        self.publish()
        self._announce_total()

    def _show_counts(self, keys: Iterable[str]) -> None:
        for key in set(keys):
            self.conversations.set_unread(key, self._unread.count(key))
        self._announce_total()

    def _announce_total(self) -> None:
        index = self.conversations
        total = index.total_unread()
        muted = sum(max(row.unread, 0) for key in self.muted if (row := index.get(key)))
        if (total, total - muted) != (self._total, self._unmuted_total):
            self._total, self._unmuted_total = total, total - muted
            self._emit(UnreadTotalChanged(total, total - muted))

    # Mutes -------------------------------------------------------------------------------------

    def toggle_mute(self, key: str) -> None:
        """Mute a conversation (no notifications, not in the title's total), or unmute it."""
        summary = self.conversations.get(key)
        name = summary.name if summary and summary.name else display_number(key)
        try:
            muted = self._mutes.toggle(key)
        except OSError as error:
            muted = self._mutes.is_muted(key)
            self._cannot_save("the mute", error)
        self._announce_total()
        self.publish()
        if muted:
            self._emit(Alert(f"Muted {name}: no notifications, not counted in the title"))
        else:
            self._emit(Alert(f"Unmuted {name}"))

    def reload_mutes(self) -> None:
        """Read the mutes again: another smstui on the same state may have changed them."""
        if self._mutes.load():
            self._announce_total()
            self.publish()

    # Drafts ----------------------------------------------------------------------------------

    def draft_changed(self, key: str, text: str) -> None:
        """The draft of a conversation changed ("" once sent or cleared); written on a pause."""
        self._pending_drafts[key] = text
        if self._draft_timer is not None:
            self._draft_timer.cancel()
        self._draft_timer = self._scheduler.call_later(DRAFT_SAVE_DELAY, self.flush_drafts)

    def flush_drafts(self) -> None:
        """Write every pending draft now; one that fails is reported and kept in memory."""
        if self._draft_timer is not None:
            self._draft_timer.cancel()
            self._draft_timer = None
        pending, self._pending_drafts = self._pending_drafts, {}
        for key, text in pending.items():
            try:
                self._drafts.set(key, text)
            except OSError as error:
                self._pending_drafts[key] = text
                self._cannot_save("the draft", error)

    def discard_draft(self, key: str) -> None:
        """Delete a conversation's draft now: its text was sent.

        Not on a pause: a crash a moment later must not bring the sent text back as a draft.
        """
        self._pending_drafts.pop(key, None)
        try:
            self._drafts.set(key, "")
        except OSError as error:
            self._cannot_save("the drafts", error)

    def close(self) -> None:
        """Write what is pending; from now on nothing is told (the UI is going away)."""
        self.flush_drafts()
        self._closed = True

    # Reporting -----------------------------------------------------------------------------------

    def _emit(self, event: SessionEvent) -> None:
        if not self._closed:
            self._listener(event)

    def _cannot_save(self, what: str, error: OSError) -> None:
        reason = error.strerror or type(error).__name__
        self._emit(StatusChanged(f"Could not save {what}: {reason}", "error"))

    async def _attempt(
        self, request: Callable[[], Awaitable[T]]
    ) -> tuple[T | None, SmsError | None]:
        """One gateway read: ``(result, None)`` or ``(None, error)``.

        Rejected credentials give ``(None, None)`` after :class:`SignInNeeded`.
        """
        try:
            return await request(), None
        except AuthError as error:
            self._emit(SignInNeeded(error.user_message))
        except SmsError as error:
            return None, error
        return None, None

    async def _call(self, request: Callable[[], Awaitable[T]], *, failed: str = "") -> T | None:
        """One gateway read; a failure goes on the status line (after ``failed``)."""
        result, error = await self._attempt(request)
        if error is not None:
            self._emit(StatusChanged(failed + error.user_message, "error"))
        return result
