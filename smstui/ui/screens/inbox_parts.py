"""What the inbox screen's helpers may use of the screen and of each other, as protocols.

The helpers (threads, live updates, sending, the store, commands, replies) are built by
:class:`smstui.ui.screens.inbox.InboxScreen` and handed the screen typed as
:class:`InboxParts`, never as the screen class: this module imports only widgets and pure
modules, so the screen imports its helpers and no helper imports the screen (an architecture
test checks that the import picture of ``smstui`` has no cycle). Each helper's surface that
others use is spelled out here as a small protocol, so a newcomer sees at a glance which
helper leans on which, and mypy checks that the real classes keep to it.

What the session holds (the list, unread, mutes, drafts, the conversation open at start, our
numbers and the balance) is not spelled out here: helpers reach it as ``screen.session``, a
plain class without Textual.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar, overload

from textual._types import WatchCallbackType
from textual.app import App
from textual.css.query import DOMQuery
from textual.dom import DOMNode
from textual.message import Message as TextualMessage
from textual.notifications import SeverityLevel
from textual.timer import Timer, TimerCallback
from textual.widget import Widget
from textual.worker import Worker, WorkType

from smstui.api.errors import SmsError
from smstui.domain.conversations import ConversationSummary, ThreadState
from smstui.domain.models import Message, Page
from smstui.domain.outbox import Outbox, Outgoing
from smstui.session.inbox import InboxSession
from smstui.store import SearchResults
from smstui.system.clock import Clock
from smstui.system.config import Settings
from smstui.ui.widgets.composer import Composer
from smstui.ui.widgets.conversation_list import ConversationList
from smstui.ui.widgets.message_pane import MessagePane
from smstui.ui.widgets.status_line import StatusLine

__all__ = [
    "ComposeParts",
    "InboxParts",
    "LiveParts",
    "ReplyParts",
    "SendingParts",
    "StoreParts",
    "ThreadParts",
]

T = TypeVar("T")
R = TypeVar("R")
W = TypeVar("W", bound=Widget)


class ReplyParts(Protocol):
    """What the send flow asks of the opt-out list."""

    def refused_as_opted_out(self, number: str) -> None:
        """The gateway refused a send with error 131: the number goes on the list."""


class ComposeParts(Protocol):
    """The compose flow, as other helpers use it (:mod:`smstui.ui.screens.compose_flow`)."""

    @property
    def composer(self) -> Composer:
        """The composer under the message pane."""

    @property
    def replies(self) -> ReplyParts:
        """Templates and the opt-out list."""

    def sender_for(self, summary: ConversationSummary | None) -> str:
        """The number a message in this conversation goes out from ("" when none)."""

    def bind(self, key: str | None, *, draft: str | None = None) -> None:
        """Point the composer at a conversation, with its draft."""

    def rebind(self) -> None:
        """Bind the same conversation again."""

    def take_back(self, key: str, text: str) -> None:
        """Put a failed message's text back into the composer."""


class LiveParts(Protocol):
    """Live updates, as other helpers use them (:mod:`smstui.ui.screens.live_updates`)."""

    refresh_failed: bool
    """A refresh the user asked for failed."""

    async def refresh_open_thread(self, *, report: bool = False) -> bool:
        """Fetch the open conversation's newest page and merge it."""

    def poll_now(self) -> None:
        """Check for new messages now."""

    def merge_page(self, thread: ThreadState, page: Page[Message]) -> None:
        """Merge a fresh newest page into the open conversation."""

    def watch_delivery(self, *, restart: bool = False) -> None:
        """Follow statuses in flight in the open conversation."""


class SendingParts(Protocol):
    """The send flow, as other helpers use it (:mod:`smstui.ui.screens.send_flow`)."""

    @property
    def outbox(self) -> Outbox:
        """Messages not (yet) confirmed by the gateway."""

    @property
    def confirmed(self) -> set[str]:
        """Gateway keys of the messages sent from this app since it started."""

    def claim(self, conversation: str, items: Sequence[Message]) -> list[tuple[str, Message]]:
        """Match unconfirmed messages with their copies on a fresh page."""

    def local_messages(self, key: str) -> list[Outgoing]:
        """The unconfirmed messages of a conversation."""


class ThreadParts(Protocol):
    """The thread loader, as other helpers use it (:mod:`smstui.ui.screens.thread_loading`)."""

    def load_first_page(self) -> None:
        """Load the open conversation's first page if it is missing."""

    def open_at(self, key: str, message_key: str) -> None:
        """Open a conversation with one message under the cursor."""

    def show_newest(self, key: str) -> None:
        """Leave a window in the middle of the history for the newest page."""


class StoreParts(Protocol):
    """The store flow, as other helpers use it (:mod:`smstui.ui.screens.store_flow`)."""

    @property
    def available(self) -> bool:
        """Whether there is a store to read."""

    def keep_last_open(self, key: str) -> None:
        """Remember which conversation is open."""

    def keep_position(self, key: str, message_key: str | None) -> None:
        """Remember where the user is reading a conversation."""

    async def position(self, key: str) -> str | None:
        """Where the user was reading a conversation last time."""

    async def stored_messages(self, key: str) -> list[Message]:
        """The newest stored messages of one conversation."""

    async def target_place(self, key: str, message_key: str) -> tuple[int, int] | None:
        """Where a stored message is: ``(stored messages newer than it, its time)``."""

    async def search(self, query: str) -> SearchResults | None:
        """Search everything stored."""


class InboxParts(Protocol):
    """The inbox screen as its helpers see it: widgets, state, routing, and Textual's services."""

    # Textual's services (the same signatures as the screen's) --------------------------------

    @property
    def app(self) -> App[object]:
        """The running app."""

    def run_worker(
        self,
        work: WorkType[R],
        name: str | None = "",
        group: str = "default",
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
        thread: bool = False,
    ) -> Worker[R]:
        """Run work in the background, ending with the screen."""

    def set_timer(
        self,
        delay: float,
        callback: TimerCallback | None = None,
        *,
        name: str | None = None,
        pause: bool = False,
    ) -> Timer:
        """Call back once after ``delay`` seconds."""

    def set_interval(
        self,
        interval: float,
        callback: TimerCallback | None = None,
        *,
        name: str | None = None,
        repeat: int = 0,
        pause: bool = False,
    ) -> Timer:
        """Call back every ``interval`` seconds."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a toast."""

    def post_message(self, message: TextualMessage) -> bool:
        """Post a message to the screen."""

    def cancel_workers(self, group: str) -> None:
        """Cancel this screen's workers of one group."""

    def call_later(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Call back after the messages waiting now."""

    def call_after_refresh(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Call back after the next refresh."""

    def has_class(self, *class_names: str) -> bool:
        """Whether the screen has all these CSS classes."""

    def watch(
        self,
        obj: DOMNode,
        attribute_name: str,
        callback: WatchCallbackType,
        init: bool = True,
    ) -> None:
        """Follow a reactive attribute of another node."""

    def refresh_bindings(self) -> None:
        """Show the key bindings again (one was enabled or disabled)."""

    @overload
    def query_one(self, selector: str) -> Widget: ...

    @overload
    def query_one(self, selector: type[W]) -> W: ...

    @overload
    def query_one(self, selector: str, expect_type: type[W]) -> W: ...

    def query_one(self, selector: Any, expect_type: Any = None) -> Any:
        """The one widget matching a type (or a selector and a type)."""

    def query(self, selector: type[W]) -> DOMQuery[W]:
        """Every widget of a type (none once the screen's widgets are gone)."""

    # The inbox -------------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """The configuration."""

    @property
    def clock(self) -> Clock:
        """The app's clock."""

    @property
    def session(self) -> InboxSession:
        """The list, unread, mutes, drafts: commands in, events out."""

    @property
    def thread(self) -> ThreadState | None:
        """The open conversation's loaded messages, or None."""

    @property
    def thread_visible(self) -> bool:
        """Whether the open conversation is on screen."""

    @property
    def conversation_list(self) -> ConversationList:
        """The left pane."""

    @property
    def message_pane(self) -> MessagePane:
        """The right pane."""

    @property
    def status_line(self) -> StatusLine:
        """The status line."""

    @property
    def composer(self) -> Composer:
        """The composer."""

    def viewed(self) -> None:
        """Tell the session the open conversation is read, when the user really sees it."""

    def open_conversation(self, key: str, *, focus: bool = True) -> None:
        """Show a conversation."""

    def show_thread_pane(self, show: bool) -> None:
        """Show (and focus) the open conversation, or go back to the list."""

    def close_filter(self) -> None:
        """Clear and hide the ``/`` filter; every conversation is listed again."""

    def start_conversation(self, number: str | None) -> None:
        """Open the conversation with a number."""

    def action_filter(self) -> None:
        """Open the filter."""

    def action_refresh(self) -> None:
        """Reload the inbox and the open conversation."""

    async def attempt(
        self, request: Callable[[], Awaitable[T]]
    ) -> tuple[T | None, SmsError | None]:
        """Run one gateway call quietly: ``(result, None)`` or ``(None, error)``."""

    async def call(self, request: Callable[[], Awaitable[T]], *, failed: str = "") -> T | None:
        """Run one gateway call; report a failure on the status line."""

    # The other helpers -----------------------------------------------------------------------

    @property
    def compose_flow(self) -> ComposeParts:
        """The composer's side: drafts, sender, replies."""

    @property
    def live(self) -> LiveParts:
        """Polling and delivery statuses."""

    @property
    def sending(self) -> SendingParts:
        """Sends."""

    @property
    def threads(self) -> ThreadParts:
        """The open conversation's loading."""

    @property
    def store(self) -> StoreParts:
        """The local store."""
