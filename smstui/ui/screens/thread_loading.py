"""Opening a conversation on the inbox screen: the newest page first, older pages on demand.

Each answer is tagged with the conversation it was asked for and dropped when the user has
moved on, so a late page never lands in the wrong conversation. The newest page arrives with
this app's unconfirmed messages laid under it (failed sends stay visible until dealt with),
the "New messages" divider when the conversation had unread messages, and the delivery-status
watch restarted for it.

A refresh (``r``) never empties what is shown: a loaded conversation merges a fresh newest page
into what it has, and a failed refresh leaves it as it was and says so on the status line.
"""

from __future__ import annotations

from collections.abc import Sequence

from smstui.domain.conversations import ThreadState
from smstui.domain.models import Message, Page
from smstui.domain.paging import older_page_request
from smstui.domain.thread import first_unread
from smstui.sync.backfill import MAX_PAGE_SIZE
from smstui.sync.engine import SyncEngine
from smstui.system.config import Settings
from smstui.system.gc_policy import history_gc
from smstui.ui.screens.inbox_parts import InboxParts
from smstui.ui.screens.thread_window import ThreadWindow
from smstui.ui.widgets.message_pane import MessagePane
from smstui.ui.widgets.pane_messages import PaneMessage
from smstui.ui.widgets.thread_title import ThreadTitle
from smstui.ui.widgets.wrap import is_note_key, is_team_note

__all__ = ["ThreadLoader"]

OLDEST = "\x00oldest"
"""The target that means "the first message of the conversation" (never a message key)."""


class ThreadLoader:
    """Loads the open conversation for the inbox screen.

    Args:
        screen: The inbox screen, as its helpers see it.
        engine: The sync engine (reads pages and keeps them in the store).
        settings: Page sizes.
    """

    def __init__(self, screen: InboxParts, *, engine: SyncEngine, settings: Settings) -> None:
        self._screen = screen
        self._engine = engine
        self._settings = settings
        self.thread: ThreadState | None = None
        """The open conversation's loaded messages, or None."""
        self._older_offset = 0
        self._target: str | None = None
        """A message to put the cursor on once it is loaded (from a search), or None."""
        self.cursor_key: str | None = None
        """The message under the pane's cursor (told by the pane; read when the screen goes)."""
        self._stored_shown = False
        """The thread shows the store's copy (the gateway was out of reach when it opened)."""
        self._divider_since: int | None = None
        self._load: object | None = None
        """A token for the page load on its way, or None (a cancelled load cannot clear it)."""
        self._load_key = ""
        """The conversation that load is for."""
        self.window = ThreadWindow(screen, self, engine)
        """Windows in the middle of long conversations (search results, Home)."""

    def open_at(self, key: str, message_key: str) -> None:
        """Open a conversation with one message under the cursor (a search result).

        A message deep in the history is asked for directly: the store knows how many newer
        messages there are, so the page holding it is one request (a few when the store misses
        some), and newer pages follow as the user scrolls down (see :mod:`thread_window`).
        Near the newest, older pages load until it is in. A message the gateway no longer has
        leaves the cursor on the newest one and says so.
        """
        thread = self._begin(key, focus=True)
        self._target = message_key
        self._screen.run_worker(
            self.window.jump(thread, message_key),
            group="jump",
            exclusive=True,
            exit_on_error=False,
            name="jump to message",
        )

    def go_to_oldest(self, key: str) -> None:
        """Go to the first message: its page is asked for directly, newer ones as the user scrolls.

        Close to it (the rest fits in one large page) the rest of the history loads instead.
        """
        thread = self.thread
        if thread is None or thread.key != key or thread.complete:
            return
        self._target = OLDEST
        if self.window.worth_a_window(thread):
            self._screen.run_worker(
                self.window.oldest(thread),
                group="conversation",
                exclusive=True,
                exit_on_error=False,
                name="first messages",
            )
        else:
            self._go_to_target(key)

    def open(self, key: str, *, focus: bool = True) -> None:
        """Show a conversation: its newest page first, older pages as the user scrolls up.

        Args:
            key: The conversation key.
            focus: Move the focus to the conversation (and show it on narrow terminals).
        """
        self.load_start(self._begin(key, focus=focus))

    def _begin(self, key: str, *, focus: bool) -> ThreadState:
        """Switch the screen to a conversation, with nothing loaded yet."""
        screen = self._screen
        summary = screen.session.summary(key)
        screen.cancel_workers("jump")
        self.remember_position()
        self.cursor_key = None
        self.thread = thread = ThreadState(key)
        self._older_offset = 0
        self._target = None
        self._stored_shown = False
        # A filter left on would hide the open conversation from the list (and the next one
        # opened with n, typed as a number): opening one ends the filtering.
        screen.close_filter()
        screen.conversation_list.set_open_key(key)
        screen.conversation_list.highlight_key(key)
        screen.query_one(ThreadTitle).show(summary, key, screen.session.own_numbers)
        screen.message_pane.show_conversation(key, [], complete=False)
        screen.message_pane.set_loading(True)
        self._divider_since = screen.session.divider_since(key)
        screen.session.open(key)  # the composer follows, with this conversation's draft
        screen.store.keep_last_open(key)
        if focus:
            screen.show_thread_pane(True)
        return thread

    def edge_wanted(self, event: PaneMessage) -> None:
        """The pane wants the first message, newer messages of a window, or the newest."""
        if isinstance(event, MessagePane.OldestWanted):
            self.go_to_oldest(event.key)
        elif isinstance(event, MessagePane.NewerMessagesWanted):
            self.window.load_newer(event.key)
        elif isinstance(event, MessagePane.NewestWanted):
            self.show_newest(event.key)

    def show_newest(self, key: str) -> None:
        """Leave a window in the middle of the history for the newest page (End, a send)."""
        thread = self.thread
        if thread is None or thread.key != key:
            return
        self.thread = ThreadState(key)
        self._older_offset = 0
        self._target = None
        self._load = None
        self._screen.message_pane.show_conversation(key, [], complete=False)
        self._screen.message_pane.set_loading(True)
        self.load_older(key)

    def seek(self, thread: ThreadState, message_key: str) -> None:
        """Put the cursor on a message once it is loaded, loading older pages until it is."""
        if self.thread is thread:
            self._target = message_key
            if thread.messages:
                self._go_to_target(thread.key)

    def started_window(self, thread: ThreadState) -> None:
        """A window was loaded into ``thread``: older pages continue below its oldest page."""
        self._screen.cancel_workers("conversation")
        self._load = None
        self._stored_shown = False
        self._older_offset = thread.pages_loaded * self.window.page_size
        self._target = None

    def show_first_page(self, thread: ThreadState, page: Page[Message]) -> None:
        """Show the newest page of a just-opened conversation that was fetched elsewhere."""
        if thread.pages_loaded or self.thread is not thread:
            return
        thread.add_older_page(page)
        self._older_offset = page.limit
        self._show_first_page(thread, page.items)

    def window_met_newest(self, thread: ThreadState) -> None:
        """A window's newer pages reached the newest message: an ordinary conversation again."""
        screen = self._screen
        for item in screen.sending.local_messages(thread.key):
            if thread.append(item.message):
                screen.message_pane.append_new([item.message])
                screen.message_pane.set_note(item.key, item.note)
        last = [(thread.key, thread.messages[-1])] if thread.messages else []
        screen.session.messages_seen(last, newest=True)
        screen.live.watch_delivery(restart=True)

    def load_start(self, thread: ThreadState) -> None:
        """Load a just-opened conversation: the store's copy at once, then the newest page."""
        screen, key = self._screen, thread.key
        if self.thread is not thread:
            return
        self.load_older(key)
        if screen.store.available:
            # The store's copy paints at once; the gateway's newest page takes over when it
            # comes (or never, offline). Where the user left off reading comes back, unless
            # there are new messages to read (the divider shows those).
            screen.run_worker(
                self._show_stored(self.thread, resume=self._divider_since is None, pending=True),
                group="stored-thread",
                exclusive=True,
                exit_on_error=False,
                name="stored messages",
            )

    def load_older(self, key: str) -> None:
        """Fetch the next older page of the open conversation, unless it is on its way.

        A load of another conversation still on its way is cancelled (its group is exclusive).
        """
        thread = self.thread
        if thread is None or thread.key != key or thread.complete:
            return
        if self._load is not None and self._load_key == key:
            return  # the same page is on its way: asking again would only cancel and repeat it
        self._load_key = key
        summary = self._screen.session.summary(key)
        number = summary.number if summary else key
        self._load = token = object()
        self._screen.run_worker(
            self._load_older(key, number, token),
            group="conversation",
            exclusive=True,
            exit_on_error=False,
            name="older messages",
        )

    @property
    def showing_stored(self) -> bool:
        """Whether the thread shows the store's copy (the gateway's pages have not come yet)."""
        return self._stored_shown

    @property
    def loading(self) -> bool:
        """Whether a page of the open conversation is on its way."""
        return self._load is not None

    def refresh(self) -> None:
        """Check the open conversation for new messages and statuses, keeping what it shows.

        A conversation whose first page never arrived loads it again; a loaded one merges a
        fresh newest page (a failure leaves the messages shown and says the refresh failed).
        """
        thread = self.thread
        if thread is None:
            return
        if not thread.pages_loaded:
            self.load_first_page()
            return
        self._screen.run_worker(
            self._screen.live.refresh_open_thread(report=True),
            group="thread-refresh",
            exclusive=True,
            exit_on_error=False,
            name="refresh conversation",
        )

    def load_first_page(self) -> None:
        """Load the open conversation's first page if it is missing and not on its way."""
        thread = self.thread
        if thread is not None and not thread.pages_loaded and not self.loading:
            self.load_older(thread.key)

    async def _load_older(self, key: str, number: str, token: object) -> None:
        try:
            await self._fetch_older(key, number)
        finally:
            if self._load is token:
                self._load = None

    async def _fetch_older(self, key: str, number: str) -> None:
        screen = self._screen
        offset = self._older_offset
        page_number, limit = older_page_request(
            offset,
            self._settings.conversation_page_size,
            MAX_PAGE_SIZE if self._target else self._settings.older_page_size,
        )
        screen.message_pane.set_loading(True)
        page = await screen.call(
            lambda: self._engine.conversation(key, number, page=page_number, limit=limit)
        )
        thread = self.thread
        if thread is None or thread.key != key or self._older_offset != offset:
            return  # the user moved on (another conversation, or a window): not this answer
        screen.message_pane.set_loading(False)
        if page is None:
            self._load = None  # failed: nothing is on its way while the store's copy shows
            if self._older_offset == 0 and not thread.messages:
                await self._show_stored(thread)
            return
        first_page = self._older_offset == 0
        if first_page and self._stored_shown:
            self._stored_shown = False
            # The store's copy gives way to the gateway's own pages, so the offsets of older
            # pages count from a known start; a place the user moved to is found again.
            cursor = screen.message_pane.cursor_message
            if self._target is None and cursor is not None and cursor != thread.messages[-1]:
                self._target = None if is_team_note(cursor) else cursor.key  # notes: not paged
            thread = self.thread = ThreadState(key)
        self._older_offset += limit
        added = thread.add_older_page(page)  # the engine kept the page in the store
        if first_page:
            self._show_first_page(thread, page.items)
        else:
            screen.message_pane.prepend_older(added, complete=thread.complete)
        if self._target is not None:
            screen.call_later(self._go_to_target, key)
        # Loaded messages live as long as the thread: keep them out of the cyclic GC's scans,
        # whose full passes otherwise grow with history and land on a keypress (50+ ms at 100k).
        # After the paint and outside this worker, so that nothing about to die is frozen.
        screen.call_after_refresh(history_gc.page_taken_in, first_page=first_page)

    def remember_position(self) -> None:
        """Keep where the user is reading the open conversation (None: at its newest)."""
        thread = self.thread
        if thread is None or not thread.messages:
            return
        cursor = self.cursor_key
        # A team's note is no place to come back to: it is not in the pages that are loaded.
        if cursor is None or cursor == thread.messages[-1].key or is_note_key(cursor):
            self._screen.store.keep_position(thread.key, None)
        else:
            self._screen.store.keep_position(thread.key, cursor)

    async def _show_stored(
        self, thread: ThreadState | None, *, resume: bool = False, pending: bool = False
    ) -> None:
        """Show what the store holds of the conversation until the gateway's pages come.

        Args:
            thread: The conversation just opened.
            resume: Go back to where the user left off reading it.
            pending: The newest page is on its way: the copy is shown loading, so that a
                short copy does not ask for older pages (a request that would land after the
                newest page came, and ask for page 2 of a conversation nobody scrolled).
        """
        if thread is None:
            return
        if resume:
            position = await self._screen.store.position(thread.key)
            if position and self.thread is thread and self._target is None:
                if await self.window.far(thread, position):
                    # Further up than the store's copy reaches: the page holding it is
                    # asked for directly rather than every page between.
                    await self.window.jump(thread, position, opening=False)
                    return
                if self.thread is not thread or self._target is not None:
                    return
                self._target = position
                if thread.messages:  # the gateway's page came first: go there in it
                    self._go_to_target(thread.key)
                    return
        stored = await self._screen.store.stored_messages(thread.key)
        if not stored or self.thread is not thread or thread.messages:
            return
        for message in stored:
            thread.append(message)
        self._stored_shown = True
        pane = self._screen.message_pane
        pane.show_conversation(thread.key, thread.messages, complete=False)
        if pending and self.loading:
            pane.set_loading(True)
        if self._target is not None:
            self._go_to_target(thread.key)

    def _go_to_target(self, key: str) -> None:
        """Put the cursor on the searched-for message, or ask for the next older page."""
        thread, target = self.thread, self._target
        if thread is None or thread.key != key or target is None:
            return
        pane = self._screen.message_pane
        if self._stored_shown:
            # Show the place in the store's copy now; the target stays, so it is found again
            # in the gateway's pages when they replace the copy.
            if target == OLDEST and thread.messages:
                pane.select_message(thread.messages[0].key)
            elif target in thread:
                pane.select_message(target)
            return
        if target == OLDEST and thread.complete:
            self._target = None
            if thread.messages:
                pane.select_message(thread.messages[0].key)
        elif target in thread:
            self._target = None
            pane.select_message(target)
        elif thread.complete:
            self._target = None
            self._screen.notify(
                "That message is not in the conversation any more", markup=False, timeout=5
            )
        elif not self.loading:
            self.load_older(key)

    def _show_first_page(self, thread: ThreadState, items: Sequence[Message]) -> None:
        """Show a conversation's newest page with this app's unconfirmed messages under it."""
        screen = self._screen
        pane = screen.message_pane
        for local_key, _ in screen.sending.claim(thread.key, items):
            thread.remove(local_key)  # the copy is on the page: no bubble of its own
        unconfirmed = screen.sending.local_messages(thread.key)
        for item in unconfirmed:
            thread.append(item.message)
        pane.show_conversation(thread.key, thread.messages, complete=thread.complete)
        for item in unconfirmed:
            pane.set_note(item.key, item.note)
        if self._divider_since is not None:
            divider = first_unread(thread.messages, self._divider_since)
            if divider is not None:
                pane.set_divider(divider)
        # The last message, as a fresh newest page shows it.
        last = [(thread.key, thread.messages[-1])] if thread.messages else []
        screen.session.messages_seen(last, newest=True)
        screen.viewed()
        screen.live.watch_delivery(restart=True)
