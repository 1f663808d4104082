"""The inbox: conversation list on the left, the open conversation on the right.

The screen owns every worker. Widgets only show data and post what the user wants
(``ConversationChosen``, ``OlderMessagesWanted`` …); results land in the pure state of
:mod:`smstui.inbox` and are pushed back into the widgets. Each result is tagged with the
conversation it belongs to, so a late answer never lands in the wrong conversation.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import SimpleCommand
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState

from smstui.api.client import SmsClient
from smstui.api.errors import AuthError, Offline, SmsError
from smstui.api.models import Message
from smstui.clock import Clock
from smstui.config import Settings
from smstui.inbox import ConversationIndex, ThreadState
from smstui.messages import AuthenticationLost
from smstui.opener import Environment
from smstui.paging import older_page_request
from smstui.phones import display_number
from smstui.screens.attachment_flow import AttachmentFlow
from smstui.widgets.account_bar import AccountBar
from smstui.widgets.conversation_list import ConversationList
from smstui.widgets.message_pane import MessagePane
from smstui.widgets.status_line import StatusLine
from smstui.widgets.thread_title import ThreadTitle

T = TypeVar("T")

NARROW_WIDTH = 80
"""Below this many columns only one pane is shown at a time."""


class InboxScreen(Screen[None]):
    """Conversations and the open thread, loaded lazily page by page."""

    HELP_GROUP = "Inbox"
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="inbox.filter"),
        Binding("r", "refresh", "Refresh", id="inbox.refresh"),
        Binding("escape", "back", "Back", id="inbox.back", show=False),
        Binding("ctrl+l", "switch_pane", "Switch pane", id="inbox.switch_pane", show=False),
    ]

    def __init__(
        self,
        *,
        client: SmsClient,
        settings: Settings,
        clock: Clock,
        environment: Environment,
        demo: bool = False,
        popen: Callable[..., Any] | None = None,
    ) -> None:
        super().__init__()
        self.client = client
        self.settings = settings
        self.clock = clock
        self.demo = demo
        self.index = ConversationIndex()
        self.thread: ThreadState | None = None
        self._older_offset = 0
        self._inbox_page = 0
        self._inbox_loading = False
        self._own_numbers: tuple[str, ...] = ()
        self._attachments = AttachmentFlow(
            self, settings=settings, environment=environment, popen=popen
        )

    # Layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Header bar, the two panes, the status line and the footer."""
        yield AccountBar(id="account-bar")
        with Horizontal(id="panes"):
            with Vertical(id="list-pane"):
                yield Input(placeholder="Filter by name or number", id="filter")
                yield ConversationList(clock=self.clock, id="conversations")
            with Vertical(id="thread-pane"):
                yield ThreadTitle(id="thread-title")
                yield MessagePane(clock=self.clock, id="messages")
        yield StatusLine(id="status")
        yield Footer()

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

    def on_mount(self) -> None:
        """Start loading: the first inbox page paints as soon as it arrives."""
        self.query_one("#filter", Input).display = False
        self.message_pane.clear("Select a conversation and press Enter")
        self.conversation_list.set_empty_text("Loading conversations…")
        self.conversation_list.focus()
        self.query_one(AccountBar).set_account("", "", dry_run=self.settings.dry_run)
        self._apply_width(self.size.width)
        self.status_line.show("Syncing…", "busy")
        self.load_inbox_page()
        self.load_account()
        self.load_contacts()

    def on_resize(self, event: Resize) -> None:
        """Switch between two panes and one pane at a time."""
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < NARROW_WIDTH, "-narrow")

    def _show_thread_pane(self, show: bool) -> None:
        self.set_class(show, "-thread")
        (self.message_pane if show else self.conversation_list).focus()

    # Loading ---------------------------------------------------------------------------------

    async def _call(self, request: Callable[[], Awaitable[T]]) -> T | None:
        """Run one API call; report failures on the status line and return None."""
        try:
            result = await request()
        except AuthError as error:
            self.app.post_message(AuthenticationLost(error.user_message))
        except SmsError as error:
            self.status_line.show(error.user_message, "error")
        else:
            if self.status_line.tone == "warn":
                self.status_line.show("Connected again", "ok")
            return result
        return None

    def show_retry(self, wait: float, error: SmsError) -> None:
        """The client is waiting before trying a request again: count down on the status line."""
        label = "Offline" if isinstance(error, Offline) else error.user_message
        self.status_line.offline_until(self.clock.now() + wait, self.clock, label=label)

    def load_inbox_page(self) -> None:
        """Fetch the next inbox page unless one is already on its way."""
        if not self._inbox_loading:
            self._inbox_loading = True
            self._fetch_inbox_page()

    @work(group="inbox-pages", exit_on_error=False)
    async def _fetch_inbox_page(self) -> None:
        """Fetch the next inbox page and the matching sent-history page together."""
        page_number = self._inbox_page + 1
        self.conversation_list.set_loading_more(page_number > 1)
        limit = self.settings.inbox_page_size
        try:
            inbox, sent = await asyncio.gather(
                self._call(lambda: self.client.inbox(page=page_number, limit=limit)),
                self._call(lambda: self.client.sent_history(page=page_number, limit=limit)),
            )
        finally:
            self._inbox_loading = False
            self.conversation_list.set_loading_more(False)
        if inbox is None:
            self.conversation_list.rearm_more_wanted()
            if page_number == 1:
                self.conversation_list.set_empty_text("Not loaded · r to retry")
            return
        self._inbox_page = page_number
        self.index.add_inbox_page(inbox)
        if sent is not None:
            self.index.add_sent_page(sent)
        self._show_conversations()
        self.conversation_list.set_empty_text("No conversations yet")
        if page_number == 1:
            self.status_line.show("Up to date", "ok")
            if self.thread is None and not self.has_class("-narrow"):
                first = self.conversation_list.highlighted_key
                if first is not None:
                    self.open_conversation(first, focus=False)

    @work(group="account", exit_on_error=False)
    async def load_account(self) -> None:
        """Our numbers and the balance for the header."""
        numbers, balance = await asyncio.gather(
            self._call(self.client.own_numbers), self._call(self.client.balance)
        )
        if numbers:
            self._own_numbers = tuple(number.number for number in numbers)
        sender = self.settings.default_sender or (self._own_numbers[0] if self._own_numbers else "")
        amount = f"{balance.amount} {balance.currency}".strip() if balance else "?"
        self.query_one(AccountBar).set_account(sender, amount, dry_run=self.settings.dry_run)

    @work(group="contacts", exit_on_error=False)
    async def load_contacts(self) -> None:
        """Page through the address book in the background; names appear as they arrive."""
        page_number = 1
        while True:
            page = await self._call(
                lambda n=page_number: self.client.contacts(  # type: ignore[misc]
                    page=n, limit=self.settings.contacts_page_size
                )
            )
            if page is None:
                return
            self.index.add_contacts(page.items)
            if self._inbox_page > 0:
                self._show_conversations()
            if page.is_last:
                return
            page_number += 1

    def _show_conversations(self) -> None:
        if self.thread is not None:  # names may have arrived since it opened
            self.query_one(ThreadTitle).show(self.index.get(self.thread.key), self.thread.key)
        query = self.query_one("#filter", Input).value.strip()
        if query:
            # A filter searches what is loaded; it must not page through the whole inbox.
            self.conversation_list.set_conversations(self.index.filter(query), complete=True)
        else:
            self.conversation_list.set_conversations(
                self.index.summaries(), complete=self.index.inbox_complete
            )

    def open_conversation(self, key: str, *, focus: bool = True) -> None:
        """Show a conversation: its newest page first, older pages as the user scrolls up."""
        summary = self.index.get(key)
        self.thread = ThreadState(key)
        self._older_offset = 0
        self.conversation_list.set_open_key(key)
        self.query_one(ThreadTitle).show(summary, key)
        self.message_pane.show_conversation(key, [], complete=False)
        self.message_pane.set_loading(True)
        self.index.mark_read(key)
        if focus:
            self._show_thread_pane(True)
        number = summary.number if summary else key
        self.load_older_page(key, number)

    @work(group="conversation", exclusive=True, exit_on_error=False)
    async def load_older_page(self, key: str, number: str) -> None:
        """Fetch the next older page of the open conversation (the newest page first)."""
        page_number, limit = older_page_request(
            self._older_offset, self.settings.conversation_page_size, self.settings.older_page_size
        )
        self.message_pane.set_loading(True)
        page = await self._call(
            lambda: self.client.conversation(number, page=page_number, limit=limit)
        )
        if self.thread is None or self.thread.key != key:
            return  # the user moved on; this answer belongs to another conversation
        self.message_pane.set_loading(False)
        if page is None:
            return
        first_page = self._older_offset == 0
        self._older_offset += limit
        added = self.thread.add_older_page(page)
        if first_page:
            self.message_pane.show_conversation(
                key, self.thread.messages, complete=self.thread.complete
            )
            if self.thread.messages:
                self.index.record_message(key, self.thread.messages[-1])
        else:
            self.message_pane.prepend_older(added, complete=self.thread.complete)
        # Loaded messages live as long as the thread: keep them out of the cyclic GC's scans,
        # whose full passes otherwise grow with history and land on a keypress (50+ ms at 100k).
        gc.freeze()

    @on(ConversationList.ConversationChosen)
    def _conversation_chosen(self, event: ConversationList.ConversationChosen) -> None:
        if self.thread is not None and self.thread.key == event.key:
            self._show_thread_pane(True)
            return
        self.open_conversation(event.key)

    @on(ConversationList.MoreConversationsWanted)
    def _more_conversations_wanted(self) -> None:
        # Before the first page is in, the list is empty for lack of data, not of room.
        if self._inbox_page > 0 and not self.index.inbox_complete:
            self.load_inbox_page()

    @on(MessagePane.OlderMessagesWanted)
    def _older_messages_wanted(self, event: MessagePane.OlderMessagesWanted) -> None:
        if self.thread is None or self.thread.key != event.key or self.thread.complete:
            return
        summary = self.index.get(event.key)
        self.load_older_page(event.key, summary.number if summary else event.key)

    @on(MessagePane.AttachmentsRequested)
    def _attachments_requested(self, event: MessagePane.AttachmentsRequested) -> None:
        self._attachments.open(event.message)

    @on(MessagePane.CopyRequested)
    def _copy_requested(self, event: MessagePane.CopyRequested) -> None:
        self._attachments.copy_text(event.message)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        # Expected failures are reported by _call; anything else is a bug, logged by Textual
        # and shown here as one line so the app keeps working.
        if event.state == WorkerState.ERROR:
            self.status_line.show(
                f"Something went wrong ({event.worker.name}); see the log", "error"
            )

    # Actions -----------------------------------------------------------------------------------

    def action_filter(self) -> None:
        """Filter the conversation list by name or number as you type."""
        filter_input = self.query_one("#filter", Input)
        filter_input.display = True
        self._show_thread_pane(False)
        filter_input.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        query = event.value.strip()
        self.conversation_list.filter_query = query
        self._show_conversations()
        if query and not self.index.filter(query):
            self.conversation_list.set_empty_text(f"No match for “{query}”")

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.conversation_list.focus()

    def action_back(self) -> None:
        """Esc: close the filter, or go back from the thread to the list."""
        filter_input = self.query_one("#filter", Input)
        if filter_input.has_focus or (filter_input.display and not filter_input.value):
            filter_input.value = ""
            filter_input.display = False
            self.conversation_list.focus()
        elif self.has_class("-thread") or self.message_pane.has_focus:
            self._show_thread_pane(False)

    def action_switch_pane(self) -> None:
        """Move between the conversation list and the open conversation."""
        self._show_thread_pane(not self.message_pane.has_focus)

    def action_refresh(self) -> None:
        """Reload the newest inbox page and the open conversation."""
        self._inbox_page = 0
        self.status_line.show("Refreshing…", "busy")
        self.load_inbox_page()
        if self.thread is not None:
            self.open_conversation(self.thread.key, focus=self.message_pane.has_focus)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Commands this screen adds to the Ctrl+P palette."""
        yield SystemCommand(
            "Jump to conversation…", "Search conversations by name or number", self._jump
        )
        yield SystemCommand(
            "Filter conversations", "Filter the list as you type", self.action_filter
        )
        yield SystemCommand(
            "Refresh", "Reload the inbox and this conversation", self.action_refresh
        )

    def _jump(self) -> None:
        commands: list[Any] = []
        for summary in self.index.summaries():
            label = display_number(summary.number)
            title = f"{summary.name} · {label}" if summary.name else label
            commands.append(
                SimpleCommand(title, lambda key=summary.key: self.open_conversation(key), None)
            )
        self.app.search_commands(commands, placeholder="Jump to conversation…")

    def copy_message_text(self, message: Message) -> None:
        """Copy a message's text to the clipboard (OSC 52)."""
        self._attachments.copy_text(message)
