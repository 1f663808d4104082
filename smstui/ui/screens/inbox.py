"""The inbox: conversation list on the left, the open conversation and its composer on the right.

Widgets show data and post what the user wants (``ConversationChosen``, ``SendRequested`` …).
The conversation list, unread, mutes, drafts, which conversation opens at start and the account
(our numbers, the balance) belong to the :class:`~smstui.session.inbox.InboxSession`: the screen
forwards those wishes to it as commands and applies its events to the widgets
(:meth:`InboxScreen._apply`). The rest is still
routed to helpers — threads, composer, sending, live updates, the local store, scheduling,
commands — and the screen binds the keys. Each result is tagged with its conversation, so a
late answer never lands in the wrong one.

The helpers read the gateway only through the screen's :class:`~smstui.sync.engine.SyncEngine`
(which keeps every page in the store and announces it), and see the screen only as
:class:`~smstui.ui.screens.inbox_parts.InboxParts`: this module imports them, never the reverse.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus, Resize
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from smstui.api.errors import AuthError, SmsError
from smstui.domain.conversations import ThreadState
from smstui.domain.outbox import Outbox, is_local
from smstui.domain.unread import UnreadTracker
from smstui.session.events import (
    AccountChanged,
    Alert,
    ComposerChanged,
    ConversationsListed,
    FirstPageLoaded,
    InboxPageRequested,
    InboxPageSettled,
    SessionEvent,
    SignInNeeded,
    StartingConversationChosen,
    StatusChanged,
    UnreadTotalChanged,
)
from smstui.session.inbox import InboxSession
from smstui.store.drafts import DraftStore
from smstui.store.location import StoreLocation
from smstui.store.mutes import MuteState
from smstui.store.outbox_file import OutboxFile
from smstui.store.own_state import state_backend
from smstui.store.read_state import ReadState
from smstui.sync.access import StoreAccess
from smstui.sync.engine import SyncEngine
from smstui.sync.gateway import Gateway
from smstui.sync.sender import Sender
from smstui.system.clock import Clock
from smstui.system.config import Settings
from smstui.system.logs import log_worker_failure
from smstui.system.opener import Environment
from smstui.ui import messages
from smstui.ui.messages import AuthenticationLost
from smstui.ui.scheduling import WorkerScheduler
from smstui.ui.screens.assign_flow import FILTER_HINT
from smstui.ui.screens.attachment_flow import AttachmentFlow
from smstui.ui.screens.compose_flow import ComposeFlow
from smstui.ui.screens.inbox_commands import CommandRouting, InboxCommands
from smstui.ui.screens.live_updates import LiveUpdates
from smstui.ui.screens.reply_tools import ReplyRouting
from smstui.ui.screens.schedule_flow import ScheduleFlow
from smstui.ui.screens.send_flow import SendFlow
from smstui.ui.screens.store_flow import StoreFlow
from smstui.ui.screens.team_flow import TeamFlow, team_for
from smstui.ui.screens.thread_loading import ThreadLoader
from smstui.ui.widgets.account_bar import AccountBar
from smstui.ui.widgets.composer import Composer
from smstui.ui.widgets.conversation_list import ConversationList
from smstui.ui.widgets.key_footer import KeyFooter
from smstui.ui.widgets.message_pane import MessagePane
from smstui.ui.widgets.pane_messages import PaneMessage
from smstui.ui.widgets.status_line import StatusLine
from smstui.ui.widgets.thread_title import ThreadTitle

T = TypeVar("T")

NARROW_WIDTH = 80
"""Below this many columns only one pane is shown at a time."""


class InboxScreen(ReplyRouting, CommandRouting, Screen[None]):
    """Conversations and the open thread, loaded lazily page by page."""

    HELP_GROUP = "Inbox"
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="inbox.filter"),
        Binding("s,ctrl+f", "search", "Search", id="inbox.search"),
        Binding("r", "refresh", "Refresh", id="inbox.refresh"),
        Binding("escape", "back", "Back", id="inbox.back", show=False),
        Binding("ctrl+l", "switch_pane", "Switch pane", id="inbox.switch_pane", show=False),
        Binding("n", "new_message", "New message", id="inbox.new_message"),
        Binding("u", "mark_unread", "Mark unread", id="inbox.mark_unread", show=False),
        Binding("right_square_bracket", "next_unread", "Next unread", id="inbox.next_unread"),
        Binding("M", "toggle_mute", "Mute", id="inbox.mute", show=False),
        Binding("ctrl+s", "send_later", "Send later", id="inbox.send_later", show=False),
        Binding("S", "scheduled", "Scheduled", id="inbox.scheduled", show=False),
        Binding("a", "assign", "Assign (team)", id="inbox.assign", show=False),
        Binding("N", "team_note", "Internal note (team)", id="inbox.note", show=False),
    ]
    compose_flow: ComposeFlow  # ReplyRouting declares it narrower

    def __init__(
        self,
        *,
        client: Gateway,
        settings: Settings,
        clock: Clock,
        environment: Environment,
        store_path: StoreLocation | Path | None = None,
        demo: bool = False,
        popen: Callable[..., Any] | None = None,
    ) -> None:
        super().__init__()
        self.client = client
        self.settings = settings
        self.clock = clock
        self.demo = demo
        self.engine = engine = SyncEngine(
            client,
            StoreAccess(store_path),
            clock=clock,
            spawn=lambda work, name: self.run_worker(work, name=name, group="store-write"),
            team=team_for(store_path),  # a PostgreSQL store: a team on one line
        )
        """The one reader of the gateway: it keeps what it reads and announces it."""
        self.store = StoreFlow(self, engine)
        self.team = TeamFlow(self, engine, settings)
        self.threads = ThreadLoader(self, engine=engine, settings=settings)
        self.commands = InboxCommands(self)
        self._state_problems_told = False
        self._some_unread = False
        self._attachments = AttachmentFlow(
            self, settings=settings, environment=environment, popen=popen
        )
        local = self.local_state = state_backend(  # drafts, read markers… (per operator)
            store_path, operator=self.team.operator, now=clock.now
        )
        read_state = ReadState(local, now=int(clock.now()))
        self.session = InboxSession(
            engine,
            settings=settings,
            clock=clock,
            scheduler=WorkerScheduler(self),
            unread=UnreadTracker(read_state),
            mutes=MuteState(local),
            drafts=DraftStore(local),
            listener=self._apply,
            operator=self.team.operator if self.team.active else None,
        )
        """The list, unread, mutes, drafts, the conversation open at start: commands in, events
        out (applied by :meth:`_apply`)."""
        self.compose_flow = ComposeFlow(self, settings=settings, backend=local)
        self.sender = Sender(
            client,
            Outbox(OutboxFile(local)),
            dry_run=settings.dry_run,
            on_sent=self.team.keep_sent,
        )
        """The send path shared with ``smstui send`` (sends and schedules)."""
        self.sending = SendFlow(
            self, sender=self.sender, engine=engine, settings=settings, clock=clock
        )
        self.scheduling = ScheduleFlow(self, sender=self.sender, engine=engine, clock=clock)
        self.live = LiveUpdates(self, engine=engine, settings=settings, clock=clock)

    # Layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Header bar, the two panes, the status line and the footer."""
        yield AccountBar(id="account-bar")
        with Horizontal(id="panes"):
            with Vertical(id="list-pane"):
                yield Static("Conversations", id="list-title", markup=False)
                yield Input(placeholder="Filter by name or number", id="filter")
                yield ConversationList(clock=self.clock, id="conversations")
            with Vertical(id="thread-pane"):
                yield ThreadTitle(id="thread-title")
                with Horizontal(id="reading-column"):
                    yield MessagePane(clock=self.clock, id="messages")
                yield Composer(id="composer")
        yield StatusLine(id="status")
        yield KeyFooter(compact=True)

    @property
    def conversation_list(self) -> ConversationList:
        """The left pane."""
        return self.query_one(ConversationList)

    @property
    def message_pane(self) -> MessagePane:
        """The right pane."""
        return self.query_one(MessagePane)

    @property
    def status_line(self) -> StatusLine:
        """The one-line status under the panes."""
        return self.query_one(StatusLine)

    @property
    def composer(self) -> Composer:
        """The composer under the open conversation."""
        return self.query_one(Composer)

    @property
    def thread_visible(self) -> bool:
        """Whether the open conversation is on screen (always, unless the terminal is narrow)."""
        return not self.has_class("-narrow") or self.has_class("-thread")

    def on_mount(self) -> None:
        """Start loading: the first inbox page paints as soon as it arrives."""
        self.query_one("#filter", Input).display = False
        if self.team.active:
            self.query_one("#filter", Input).placeholder = FILTER_HINT
        self.message_pane.clear("Select a conversation and press Enter")
        self.conversation_list.set_empty_text("Loading conversations…")
        self.conversation_list.focus()
        self.query_one(AccountBar).set_account("", "", dry_run=self.settings.dry_run)
        # ASCII stand-ins draw ✓✓ as "vv": say "delivered" instead.
        words = bool(getattr(self.app, "ascii_glyphs", False))
        self.conversation_list.use_status_words(words)
        self.message_pane.use_status_words(words)
        self.composer.set_dry_run(self.settings.dry_run)
        self.composer.set_max_parts(self.settings.max_parts, self.settings.hard_max_parts)
        self.compose_flow.bind(None)
        self._apply_width(self.size.width)
        self.status_line.show("Syncing…", "busy")
        self.session.start()
        self.team.start(then=self._load, state=self.local_state)  # after a team's first election
        self.watch(self.app, "app_focus", self._terminal_focus_changed, init=False)

    def _load(self) -> None:
        self.session.load()

    def _terminal_focus_changed(self, focused: bool) -> None:
        if focused:  # the terminal is in front again (focus reporting): what shows is seen
            self.viewed()

    # The session's events --------------------------------------------------------------------

    def _apply(self, event: SessionEvent) -> None:
        """Show what the session says changed."""
        if not self.app.is_running:
            # Shutting down: the widgets are being taken away, and touching them would end the
            # app with "unexpected error" (a quit in the first second of a start).
            return
        match event:
            case AccountChanged(sender=sender, balance=balance):
                self.compose_flow.rebind()  # the composer says why it has no number, or has one
                bar = self.query_one(AccountBar)
                bar.set_account(sender, balance, dry_run=self.settings.dry_run)
            case ConversationsListed():
                self._show_listed(event)
            case UnreadTotalChanged(total=total, unmuted=unmuted):
                self.post_message(messages.UnreadTotalChanged(unmuted))
                if (total > 0) != self._some_unread:
                    self._some_unread = total > 0
                    self.refresh_bindings()  # "] Next unread" shows only when there is one
            case StartingConversationChosen(key=key, last_open=last_open):
                if not self.has_class("-narrow"):
                    self.conversation_list.highlight_key(key)
                    self.open_conversation(key, focus=False)
                elif last_open:  # one pane at a time: the list first, on where the user was
                    self.conversation_list.highlight_key(key)
            case FirstPageLoaded():
                self._first_page_loaded()
            case InboxPageRequested(page=page):
                self.conversation_list.set_loading_more(page > 1)
            case InboxPageSettled(page=page, loaded=loaded, refresh=refresh):
                self._page_settled(page, loaded=loaded, refresh=refresh)
            case ComposerChanged(key=key, draft=draft):
                self.compose_flow.bind(key, draft=draft)
            case StatusChanged(text=text, kind=kind):
                self.status_line.show(text, kind)
            case Alert(text=text, severity=severity):
                self.notify(text, severity=severity, markup=False)
            case SignInNeeded(reason=reason):
                self.app.post_message(AuthenticationLost(reason))
                self.live.stop()

    def _show_listed(self, listed: ConversationsListed) -> None:
        if self.thread is not None:  # names may have arrived since it opened
            key = self.thread.key
            self.query_one(ThreadTitle).show(self.session.summary(key), key)
        self.conversation_list.set_muted(listed.muted)
        self.conversation_list.set_conversations(listed.rows, complete=listed.complete)

    def _page_settled(self, page: int, *, loaded: bool, refresh: bool) -> None:
        self.conversation_list.set_loading_more(False)
        if loaded:
            self.conversation_list.set_empty_text("No conversations yet")
            return
        self.live.refresh_failed = self.live.refresh_failed or refresh
        self.conversation_list.rearm_more_wanted()
        if page == 1:
            self.conversation_list.set_empty_text("Not loaded · r to retry")

    def _first_page_loaded(self) -> None:
        """The first inbox page is in (the starting conversation is open): start polling."""
        # Said once the layout has the composer the opening just showed: Tab follows the
        # widgets' places, and a Tab typed the moment the app looks ready must reach it.
        self.call_after_refresh(self.status_line.show, "Up to date", "ok")
        self.live.start()
        self.store.start_background()
        # Unsent messages of earlier runs join the list now, after the starting conversation
        # was chosen: a row of their own in an empty list would take the cursor.
        self.sending.restore()
        if not self._state_problems_told:  # state that cannot be read, or is not kept: once
            self._state_problems_told = True
            for problem in (self.local_state.not_kept(), *self.session.state_problems):
                if problem:
                    self.notify(problem, severity="warning", markup=False, timeout=10)

    def on_unmount(self) -> None:
        """Write drafts still waiting for the typing pause; close the store."""
        self.compose_flow.flush()
        self.session.close()
        self.store.closing()
        self.threads.remember_position()
        self.team.stop()
        self.store.close()
        self.local_state.close()

    def on_resize(self, event: Resize) -> None:
        """Switch between two panes and one pane at a time."""
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < NARROW_WIDTH, "-narrow")

    def cancel_workers(self, group: str) -> None:
        """Cancel this screen's workers of one group."""
        self.workers.cancel_group(self, group)

    def show_thread_pane(self, show: bool) -> None:
        """Show (and focus, at once) the open conversation, or go back to the list."""
        self.set_class(show, "-thread")
        self.set_focus(self.message_pane if show else self.conversation_list)
        if show:
            self.close_filter()  # going into a conversation ends the filtering (see close_filter)
            self.viewed()

    def viewed(self) -> None:
        """Tell the session the open conversation is read, when the user really sees it.

        That is: the thread pane is on screen with the focus in it (the conversation shown at
        start, while the focus is still in the list, is only on display), its view is at the
        bottom (not behind a "N new messages" notice), and the terminal is in front.
        """
        thread = self.thread
        if thread is None or not thread.pages_loaded or not self.thread_visible:
            return
        if not self.query_one("#thread-pane").has_focus_within or self.message_pane.pending_new:
            return
        if not self.app.app_focus:
            return
        newest = next((m.timestamp for m in reversed(thread.messages) if not is_local(m.key)), 0)
        self.session.viewed(thread.key, newest)

    async def attempt(
        self, request: Callable[[], Awaitable[T]]
    ) -> tuple[T | None, SmsError | None]:
        """Run one API call quietly: ``(result, None)``, or ``(None, error)`` on failure.

        Rejected credentials ask for a sign-in and give ``(None, None)``.
        """
        try:
            return await request(), None
        except AuthError as error:
            self.app.post_message(AuthenticationLost(error.user_message))
            self.live.stop()
        except SmsError as error:
            return None, error
        return None, None

    async def call(self, request: Callable[[], Awaitable[T]], *, failed: str = "") -> T | None:
        """Run one API call; report failures (after ``failed``) on the status line, return None."""
        result, error = await self.attempt(request)
        if error is not None:
            self.status_line.show(failed + error.user_message, "error")
        return result

    def show_retry(self, wait: float, error: SmsError) -> None:
        """The client waits before trying a read again: said only once the trouble lasts."""
        self.live.gateway_failed(error, self.clock.now() + wait)

    @property
    def thread(self) -> ThreadState | None:
        """The open conversation's loaded messages, or None."""
        return self.threads.thread

    def open_conversation(self, key: str, *, focus: bool = True) -> None:
        """Show a conversation: its newest page first, older pages as the user scrolls up."""
        self.threads.open(key, focus=focus)

    @on(ConversationList.ConversationChosen)
    def _conversation_chosen(self, event: ConversationList.ConversationChosen) -> None:
        if self.thread is not None and self.thread.key == event.key:
            self.session.reopen(event.key)  # chosen again: it is being read again
            self.show_thread_pane(True)
            return
        self.open_conversation(event.key)

    @on(ConversationList.MoreConversationsWanted)
    def _more_conversations_wanted(self) -> None:
        self.session.load_more()

    @on(MessagePane.OlderMessagesWanted)
    def _older_messages_wanted(self, event: MessagePane.OlderMessagesWanted) -> None:
        self.threads.load_older(event.key)

    @on(MessagePane.CursorMoved)
    def _cursor_moved(self, event: MessagePane.CursorMoved) -> None:
        if self.thread is not None and event.key == self.thread.key:
            self.threads.cursor_key = event.message.key

    @on(MessagePane.OldestWanted)
    @on(MessagePane.NewerMessagesWanted)
    @on(MessagePane.NewestWanted)
    def _history_edge_wanted(self, event: PaneMessage) -> None:
        self.threads.edge_wanted(event)

    @on(MessagePane.AttachmentsRequested)
    def _attachments_requested(self, event: MessagePane.AttachmentsRequested) -> None:
        self._attachments.open(event.message)

    @on(MessagePane.CopyRequested)
    def _copy_requested(self, event: MessagePane.CopyRequested) -> None:
        self._attachments.copy_text(event.message)

    @on(DescendantFocus)
    def _focus_moved(self) -> None:
        self.viewed()  # into the open conversation (Tab, a click): it is seen now

    @on(MessagePane.NewMessagesPending)
    def _new_messages_pending(self, event: MessagePane.NewMessagesPending) -> None:
        if event.count == 0:
            self.viewed()  # the user scrolled down to the new messages

    @on(MessagePane.ReplyWanted)
    def _reply_wanted(self) -> None:
        if self.composer.can_reply:
            self.set_focus(self.composer.text_area)
        else:
            self.app.bell()

    @on(MessagePane.ResendRequested)
    def _resend_requested(self, event: MessagePane.ResendRequested) -> None:
        self.sending.resend(event.message)

    @on(MessagePane.EditRequested)
    def _edit_requested(self, event: MessagePane.EditRequested) -> None:
        self.sending.edit(event.message)

    @on(Composer.SendRequested)
    def _send_requested(self, event: Composer.SendRequested) -> None:
        self.sending.request(event.key, event.text, event.info)

    @on(Composer.DraftChanged)
    def _draft_changed(self, event: Composer.DraftChanged) -> None:
        self.session.draft_changed(event.key, event.text)

    @on(Composer.EditorRequested)
    def _editor_requested(self, event: Composer.EditorRequested) -> None:
        self.compose_flow.open_editor(event.key, event.text)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        # Expected failures are reported by _call; anything else is a bug, logged with its
        # traceback and shown here as one line so the app keeps working.
        if event.state == WorkerState.ERROR:
            log_worker_failure(event.worker.name, event.worker.error)
            self.status_line.show(
                f"Something went wrong ({event.worker.name}); see the log", "error"
            )

    def action_filter(self) -> None:
        """Filter the conversation list by name or number as you type."""
        filter_input = self.query_one("#filter", Input)
        filter_input.display = True
        self.show_thread_pane(False)
        filter_input.focus()

    def close_filter(self) -> None:
        """Clear and hide the ``/`` filter, and show every conversation again at once."""
        filter_input = self.query_one("#filter", Input)
        filter_input.value = ""
        filter_input.display = False
        if self.conversation_list.filter_query:
            self.conversation_list.filter_query = ""
            self.session.filter("")

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        query = event.value.strip()
        self.conversation_list.filter_query = query
        self.session.filter(query)  # what is loaded: a filter does not page through the inbox
        if query and not self.conversation_list.rows:
            self.conversation_list.set_empty_text(f"No match for “{query}”")

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.commands.open_top_match()

    def action_back(self) -> None:
        """Esc: composer → thread; close the filter; or go back from the thread to the list."""
        filter_input = self.query_one("#filter", Input)
        if self.composer.text_area.has_focus:
            self.set_focus(self.message_pane)
        elif filter_input.has_focus or (filter_input.display and not filter_input.value):
            self.close_filter()
            self.set_focus(self.conversation_list)
        elif self.has_class("-thread") or self.message_pane.has_focus:
            self.show_thread_pane(False)

    def action_switch_pane(self) -> None:
        """Move between the conversation list and the open conversation."""
        self.show_thread_pane(not self.message_pane.has_focus)

    def action_refresh(self) -> None:
        """Reload the newest inbox page and check the open conversation (keeping what it shows)."""
        self.status_line.show("Refreshing…", "busy")
        self.session.reload()
        self.session.retry_account()
        self.threads.refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "next unread" only while some conversation is unread.

        ``a`` and ``N`` stay live outside team mode, where they say what they need: a key that
        does nothing and says nothing looks broken.
        """
        if action == "next_unread":
            return self.session.unread_total > 0
        return True

    def _needs_team(self, what: str) -> bool:
        """Say that ``what`` needs team mode when it is off; True when it is off."""
        if self.team.active:
            return False
        self.notify(f"{what} needs team mode (store_url)", timeout=4, markup=False)
        return True

    def action_assign(self) -> None:
        """``a`` (team mode): give a conversation to me, another operator, or nobody."""
        if not self._needs_team("Assigning"):
            self.team.assigning.ask()

    def action_team_note(self) -> None:
        """``N`` (team mode): write an internal note in the open conversation, never sent."""
        if not self._needs_team("An internal note"):
            self.team.notes.write()
