"""Unread state on the inbox screen: counts in the list, reading, the divider, the title.

A conversation becomes read when the user sees its newest message: the thread pane is on
screen with the focus in it (the messages or the composer), and its view is at the bottom (not
behind a "N new messages" notice). The conversation shown at start, while the focus is still in
the list, is only on display: it stays unread until the user moves into it (Enter, Ctrl+L, Tab,
a click). ``u`` marks a
conversation unread again until it is viewed; ``]`` opens the next unread one. A conversation
opened with unread messages shows a "New messages" divider above the first of them. The total
goes to the app, which shows it in the terminal title, without muted conversations (they
keep their counts in the list). While the terminal is in the background (focus reporting)
nothing is read; coming back reads what is on screen.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.message import Message as TextualMessage

from smstui.domain.conversations import ThreadState
from smstui.domain.models import InboxItem, Page, SentItem
from smstui.domain.outbox import is_local
from smstui.domain.phones import conversation_key
from smstui.session.unread import UnreadTracker
from smstui.ui.screens.inbox_parts import InboxParts

__all__ = ["UnreadFlow", "UnreadTotalChanged"]


class UnreadTotalChanged(TextualMessage):
    """The number of unread messages over all conversations changed (for the title)."""

    def __init__(self, total: int) -> None:
        super().__init__()
        self.total = total


class UnreadFlow:
    """Keeps unread counts, the read state on disk and the list in step.

    Args:
        screen: The inbox screen.
        tracker: The unread counts over the persisted read state.
    """

    def __init__(self, screen: InboxParts, tracker: UnreadTracker) -> None:
        self._screen = screen
        self._tracker = tracker
        self._total = 0
        self._title_total = 0
        self._kept_unread: str | None = None
        """The open conversation the user marked unread: viewing it does not read it again
        until it is opened anew."""

    @property
    def tracker(self) -> UnreadTracker:
        """The unread counts."""
        return self._tracker

    def add_inbox_page(self, page: Page[InboxItem]) -> list[InboxItem]:
        """Merge an inbox page into the list and count what is unread.

        Args:
            page: Any inbox page (the first one again when polling).

        Returns:
            The received messages that are news: unread, and not counted before.
        """
        self._screen.index.add_inbox_page(page)  # the engine that read it kept it in the store
        news = [item for item in page.items if self._tracker.note_inbox_item(item) is not None]
        self.show_counts(conversation_key(item.sender) for item in page.items)
        return news

    def add_sent_page(self, page: Page[SentItem]) -> None:
        """Count what came before our replies as read (answered elsewhere, say)."""
        keys: list[str] = []
        for item in page.items:
            if item.type.lower() == "single":
                keys.append(conversation_key(item.to))
                self._tracker.note_reply(keys[-1], item.timestamp)
        self.show_counts(keys)

    def show_counts(self, keys: Iterable[str]) -> None:
        """Put the current unread counts (manual flags included) of some conversations in the list.

        Args:
            keys: Conversation keys (repeats are fine); unknown ones are ignored.
        """
        index = self._screen.index
        for key in set(keys):
            index.set_unread(key, self._tracker.count(key))
        self.announce_total()

    def viewed_key(self) -> str | None:
        """The conversation the user is looking at the newest messages of, if any."""
        screen = self._screen
        thread = screen.thread
        if thread is None or not thread.pages_loaded or not screen.thread_visible:
            return None
        if not screen.query_one("#thread-pane").has_focus_within:
            return None  # shown, not looked at: the user is in the list (or the filter)
        if screen.message_pane.pending_new:
            return None
        if not screen.app.app_focus:
            return None  # the terminal is in the background: on screen, not seen
        return thread.key

    def follow_terminal_focus(self) -> None:
        """When the terminal gets the focus back, what is on screen is seen (focus reporting)."""

        def changed(focused: bool) -> None:
            if focused:
                self.viewed()

        self._screen.watch(self._screen.app, "app_focus", changed, init=False)

    def viewed(self) -> None:
        """Mark the open conversation read when the user is in it and its newest messages show."""
        key = self.viewed_key()
        thread = self._screen.thread
        if key is None or thread is None or key == self._kept_unread:
            return
        newest = next((m.timestamp for m in reversed(thread.messages) if not is_local(m.key)), 0)
        self._mark_read(key, newest)

    def _mark_read(self, key: str, ts: int) -> None:
        try:
            changed = self._tracker.mark_read(key, ts)
        except OSError as error:
            self._report(error)
            changed = True
        if changed:
            self._screen.index.set_unread(key, self._tracker.count(key))
            self._screen.show_conversations()
            self.announce_total()

    def opening(self, key: str) -> None:
        """A conversation is being opened: reading it counts again."""
        self._kept_unread = None

    def mark_unread(self, key: str) -> None:
        """Flag a conversation unread until it is viewed again (opened anew, if it is open)."""
        thread = self._screen.thread
        if thread is not None and thread.key == key:
            self._kept_unread = key
        try:
            self._tracker.mark_unread(key)
        except OSError as error:
            self._report(error)
        self._screen.index.set_unread(key, self._tracker.count(key))
        self._screen.show_conversations()
        self.announce_total()

    def next_unread(self, after: str | None) -> str | None:
        """Return the next conversation in list order with unread messages, wrapping around.

        Args:
            after: The conversation to start after (the open or highlighted one).
        """
        rows = self._screen.conversation_list.rows
        start = next((i for i, row in enumerate(rows) if row.key == after), -1) + 1
        for offset in range(len(rows)):
            row = rows[(start + offset) % len(rows)]
            if row.unread > 0 and row.key != after:
                return row.key
        return None

    def divider_since(self, key: str) -> int | None:
        """When opening a conversation with unread messages: the time they start after."""
        summary = self._screen.index.get(key)
        if summary is None or summary.unread <= 0:
            return None
        return self._tracker.seen_until(key)

    def place_divider(self, thread: ThreadState, since: int) -> None:
        """Put the "New messages" divider above the first received message after ``since``."""
        first = next((m for m in thread.messages if not m.outbound and m.timestamp > since), None)
        if first is not None:
            self._screen.message_pane.set_divider(first.key)

    @property
    def total(self) -> int:
        """Unread messages over all conversations (muted ones too), as last announced."""
        return self._total

    def announce_total(self) -> None:
        """Tell the app the unread total of the conversations not muted when it changed."""
        index = self._screen.index
        total = index.total_unread()
        muted = 0
        for key in self._screen.mutes.keys:
            summary = index.get(key)
            muted += max(summary.unread, 0) if summary is not None else 0
        if total - muted != self._title_total:
            self._title_total = total - muted
            self._screen.post_message(UnreadTotalChanged(total - muted))
        if total != self._total:
            self._total = total
            self._screen.refresh_bindings()  # "] Next unread" shows only when there is one

    def _report(self, error: OSError) -> None:
        reason = error.strerror or type(error).__name__
        self._screen.status_line.show(f"Could not save what was read: {reason}", "error")
