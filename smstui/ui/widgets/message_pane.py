"""The right-hand pane: one SMS conversation as chat bubbles (Textual line API).

Incoming messages sit on the left, ours on the right with their delivery status; a day
separator heads each day. A message cursor (the highlighted message) drives the actions. Older
pages are asked for when the view nears the top and slot in above without moving what the user
is reading; new messages are followed only when the view is at the bottom.

The pane never does I/O: it shows what the screen gives it and posts what the user wants. The
scrolling and painting machinery is :class:`~smstui.ui.widgets.thread_view.ThreadView`.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.reactive import reactive
from textual.strip import Strip

from smstui.domain.models import Message
from smstui.system.clock import Clock
from smstui.ui.widgets.bubbles import PANE_COMPONENT_CLASSES, PANE_CSS, PaneLook, centred_strip
from smstui.ui.widgets.pane_keys import PANE_BINDINGS, PANE_HELP, MessageOffers, offers_for
from smstui.ui.widgets.pane_messages import MessageEvent, PaneMessage
from smstui.ui.widgets.thread_edits import EditableThreadView
from smstui.ui.widgets.thread_view import HEADER_ROWS

__all__ = ["MessagePane"]


class MessagePane(EditableThreadView, can_focus=True):
    """One conversation as chat bubbles, extended with older pages at the top on demand."""

    HELP = PANE_HELP

    BINDINGS = PANE_BINDINGS

    COMPONENT_CLASSES = PANE_COMPONENT_CLASSES

    DEFAULT_CSS = PANE_CSS

    pending_new: reactive[int] = reactive(0)
    """New messages that arrived below the view while the user was reading older ones."""

    class OlderMessagesWanted(PaneMessage):
        """The view came within about a screen of the oldest loaded message."""

    class OldestWanted(PaneMessage):
        """The user asked for the first message (Home, ``g``) while older pages are missing."""

    class NewerMessagesWanted(PaneMessage):
        """The view came within about a screen of the newest loaded message, newer ones missing."""

    class NewestWanted(PaneMessage):
        """The user asked for the newest message (End, ``G``) while newer pages are missing."""

    class CursorMoved(MessageEvent):
        """A different message is highlighted."""

    class AttachmentsRequested(MessageEvent):
        """The user asked to open the highlighted message's attachments."""

    class CopyRequested(MessageEvent):
        """The user asked to copy the highlighted message."""

    class ResendRequested(MessageEvent):
        """The user asked to send the highlighted failed message again."""

    class EditRequested(MessageEvent):
        """The user asked to take the highlighted failed message back into the composer."""

    class OptOutRequested(MessageEvent):
        """The user asked to put the sender of a STOP-like message on the opt-out list."""

    class ReplyWanted(PaneMessage):
        """The user asked to write in the open conversation (focus the composer)."""

    class NewMessagesPending(PaneMessage):
        """The number of unseen new messages below the view changed (0: all seen)."""

        def __init__(self, pane: MessagePane, key: str, count: int) -> None:
            super().__init__(pane, key)
            self.count = count

    def __init__(
        self,
        *,
        clock: Clock,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(clock=clock, name=name, id=id, classes=classes)
        self._key: str | None = None
        self._title = ""
        self._placeholder = "Select a conversation"
        self._complete = False
        self._loading = False
        self._older_requested = False
        self._newer_missing = False
        """A window in the middle of the history is shown: newer messages are not loaded."""
        self._newer_requested = False
        self._check_scheduled = False
        self._offering = MessageOffers()

    # Public API --------------------------------------------------------------------------------

    @property
    def conversation_key(self) -> str | None:
        """The conversation shown, or None when the pane is cleared."""
        return self._key

    @property
    def message_count(self) -> int:
        """How many messages are loaded."""
        return len(self._layout)

    @property
    def cursor_message(self) -> Message | None:
        """The highlighted message, if any."""
        return None if self._cursor is None else self._layout.messages[self._cursor]

    @property
    def loading_older(self) -> bool:
        """Whether the "Loading older messages…" row is shown (see :meth:`set_loading`).

        Not Textual's ``loading`` reactive: that one covers the widget and disables it.
        """
        return self._loading

    def show_conversation(
        self, key: str, messages: Sequence[Message], *, complete: bool, title: str = ""
    ) -> None:
        """Replace everything with a conversation, opened at the newest message.

        Args:
            key: The conversation key (carried by every message the pane posts).
            messages: Loaded messages, oldest first (copied).
            complete: True when these reach back to the start of the conversation.
            title: Who the conversation is with, shown in the start-of-conversation marker.
        """
        self._reset(key, placeholder="")
        self._title = title
        self._complete = complete
        self._layout.reset(messages)
        self._cursor = len(self._layout) - 1 if messages else None
        self._want_bottom = True
        if self._layout.width:
            self._update_virtual_size()
            self._scroll_to_line(self.max_scroll_y)
            self._want_bottom = False
        self._weave_team_notes()
        self.refresh()
        self._schedule_near_top_check()
        self._cursor_moved()

    def prepend_older(self, messages: Sequence[Message], *, complete: bool) -> None:
        """Put older messages on top without moving what the user is looking at.

        Args:
            messages: Older messages, oldest first.
            complete: True when the start of the conversation is now loaded.
        """
        if self._key is None:
            return
        self._complete = complete
        self._older_requested = False
        if messages:
            anchor = self._capture_anchor()
            self._layout.prepend(messages)
            added = len(messages)
            self._cursor = len(self._layout) - 1 if self._cursor is None else self._cursor + added
            if self._layout.width:
                self._update_virtual_size()
                self._restore_anchor(anchor, shift=added)
            self._weave_team_notes()  # older notes fit in now
        self.refresh()
        self._schedule_near_top_check()

    def show_window(
        self, key: str, messages: Sequence[Message], *, complete: bool, at: str, title: str = ""
    ) -> None:
        """Show part of a conversation away from its newest message, with ``at`` highlighted.

        Newer messages are asked for (:class:`NewerMessagesWanted`) as the view nears the
        bottom, and come with :meth:`append_newer`.
        """
        self.show_conversation(key, messages, complete=complete, title=title)
        self._newer_missing = True
        self._following = False
        self.select_message(at)
        self.refresh()

    def append_newer(self, messages: Sequence[Message], *, newer_missing: bool) -> None:
        """Add the next newer page of a window at the bottom, without moving the view.

        Args:
            messages: The messages, oldest first.
            newer_missing: Whether still newer ones are missing (False: the newest is in).
        """
        if self._key is None:
            return
        self._newer_missing = newer_missing
        self._newer_requested = False
        if messages:
            self._layout.append(messages)
            if self._layout.width:
                self._update_virtual_size()
            self._weave_team_notes()
        self.refresh()
        self._schedule_near_top_check()

    @property
    def newer_missing(self) -> bool:
        """Whether a window is shown whose newer messages are not loaded."""
        return self._newer_missing

    def append_new(self, messages: Sequence[Message], *, reveal: bool = False) -> None:
        """Add newer messages at the bottom; follow them only if the view was at the bottom.

        Args:
            messages: New messages, oldest first.
            reveal: Go to the bottom and highlight the last one whatever the view (the user's
                own message, just sent).
        """
        if self._key is None or not messages:
            return
        following = self._following or reveal
        self._layout.append(messages)
        if self._layout.width:
            self._update_virtual_size()
            if following:
                self._scroll_to_line(self.max_scroll_y)
        if reveal:
            self._move_cursor(len(self._layout) - 1, scroll=False)
            self.pending_new = 0
        elif not following:
            self.pending_new += len(messages)
        if self._cursor is None:
            self._cursor = len(self._layout) - 1
            self._cursor_moved()
        self.refresh()

    def set_loading(self, loading: bool) -> None:
        """Show or hide "Loading older messages…" in the (always reserved) top row.

        Args:
            loading: Whether an older page is being fetched.
        """
        if loading != self._loading:
            self._loading = loading
            self.refresh()
            if not loading:
                self._schedule_near_top_check()

    def clear(self, placeholder: str = "Select a conversation") -> None:
        """Show no conversation, only a centred hint.

        Args:
            placeholder: The hint.
        """
        self._reset(None, placeholder=placeholder)
        self.refresh()

    def _reset(self, key: str | None, *, placeholder: str) -> None:
        self._key = key
        self._placeholder = placeholder
        self._title = ""
        self._layout.reset(())
        self._complete = self._loading = self._want_bottom = self._older_requested = False
        self._newer_missing = self._newer_requested = False
        self._cursor = None
        self._following = True
        self._blocks.clear()
        self.set_reactive(MessagePane.pending_new, 0)
        self._update_virtual_size()
        if self.is_mounted:
            self.scroll_to(y=0, animate=False, immediate=True)

    # What the view draws besides bubbles -------------------------------------------------------

    def _header_strip(self, width: int, look: PaneLook) -> Strip:
        if self._loading:
            return centred_strip("Loading older messages…", width, look.loading, look.base)
        if self._complete:
            text = "Start of conversation" + (f" with {self._title}" if self._title else "")
            return centred_strip(text, width, look.start, look.base)
        return Strip.blank(width, look.base)

    def _overlay_strip(self, y: int, width: int, look: PaneLook) -> Strip | None:
        count = self.pending_new
        if y != self._view_height - 1 or not (count or self._newer_missing):
            return None
        if self._newer_missing:
            text = " ↓ Newer messages load as you scroll · End: the newest "
        else:
            text = f" ↓ {count} new message{'s' if count != 1 else ''} "
        return centred_strip(text, width, look.pending, look.base).apply_meta(
            {"jump_to_newest": True}
        )

    def _empty_hint(self) -> str:
        if self._key is None:
            return self._placeholder
        if self._loading:
            return "Loading messages…"
        return "No messages yet" if self._complete else ""

    # Paging and new messages -------------------------------------------------------------------

    def _scrolled(self) -> None:
        if self._following and self.pending_new:
            self.pending_new = 0
        self._check_near_top()
        self._check_near_bottom()

    def watch_pending_new(self, count: int) -> None:
        """Tell the screen how many new messages wait below (0 once seen)."""
        if self._key is not None:
            self.post_message(self.NewMessagesPending(self, self._key, count))
        self.refresh()

    def _schedule_near_top_check(self) -> None:
        # Deferred: the screen often calls set_loading(True) right after showing a page.
        if not self._check_scheduled and self.is_mounted:
            self._check_scheduled = True
            self.call_after_refresh(self._run_near_top_check)

    def _run_near_top_check(self) -> None:
        self._check_scheduled = False
        self._check_near_top()
        self._check_near_bottom()

    def _check_near_top(self) -> None:
        """Ask once for the next older page when the view is within a screen of the top."""
        if self._key is None or self._complete or self._loading or not self._layout.width:
            return
        if self.scroll_offset.y > self._view_height:
            self._older_requested = False  # re-armed: coming back near the top asks again
        elif not self._older_requested:
            self._older_requested = True
            self.post_message(self.OlderMessagesWanted(self, self._key))

    def _check_near_bottom(self) -> None:
        """Ask once for the next newer page when a window's bottom comes within a screen."""
        if self._key is None or not self._newer_missing or not self._layout.width:
            return
        if self.scroll_offset.y < self.max_scroll_y - self._view_height:
            self._newer_requested = False
        elif not self._newer_requested:
            self._newer_requested = True
            self.post_message(self.NewerMessagesWanted(self, self._key))

    # Actions ---------------------------------------------------------------------------

    def _cursor_moved(self) -> None:
        message = self.cursor_message
        if self._key is not None and message is not None:
            self.post_message(self.CursorMoved(self, self._key, message))
        self._sync_bindings()

    def _sync_bindings(self) -> None:
        """Refresh the footer when resend/edit became (un)available; not on every move."""
        offer = offers_for(self.cursor_message)
        if offer != self._offering:
            self._offering = offer
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer resend, edit and opt-out only on messages they apply to.

        ``o`` always runs, to say when there is nothing to open; the footer shows it only on a
        message with something to open (:meth:`offers_hint`).
        """
        if action == "open_attachments":
            return True
        return offers_for(self.cursor_message).allows(action)

    def use_status_words(self, words: bool) -> None:
        """Show delivery statuses as words alone, for terminals drawing ASCII stand-ins.

        Where ``✓✓`` would be drawn ``vv``, the word beside it says it better.
        """
        if words != self._layout.status_words:
            self._layout.status_words = words
            self._blocks.clear()
            self.refresh()

    def offers_hint(self, action: str) -> bool:
        """Whether the footer shows ``action``'s key: only where it applies."""
        return offers_for(self.cursor_message).allows(action)

    def _offered(self, action: str) -> Message | None:
        """The highlighted message when ``action`` applies to it."""
        message = self.cursor_message
        return message if offers_for(message).allows(action) else None

    def action_reply(self) -> None:
        """Ask to write in this conversation."""
        if self._key is not None:
            self.post_message(self.ReplyWanted(self, self._key))

    def action_resend(self) -> None:
        """Ask to send the highlighted failed (or not-confirmed) message again."""
        message = self._offered("resend")
        if self._key is not None and message is not None:
            self.post_message(self.ResendRequested(self, self._key, message))

    def action_opt_out(self) -> None:
        """Ask to put the sender of the highlighted STOP-like reply on the opt-out list."""
        message = self._offered("opt_out")
        if self._key is not None and message is not None:
            self.post_message(self.OptOutRequested(self, self._key, message))

    def action_edit_failed(self) -> None:
        """Ask to take the highlighted failed message back into the composer."""
        message = self._offered("edit_failed")
        if self._key is not None and message is not None:
            self.post_message(self.EditRequested(self, self._key, message))

    def action_jump_to_oldest(self) -> None:
        """Go to the oldest loaded message, and ask for the very first one when it is missing."""
        super().action_jump_to_oldest()
        if self._key is not None and not self._complete:
            self.post_message(self.OldestWanted(self, self._key))

    def action_jump_to_newest(self) -> None:
        """Go to the newest message and clear the new-messages count."""
        if self._key is not None and self._newer_missing:
            self.post_message(self.NewestWanted(self, self._key))
            return
        super().action_jump_to_newest()
        self.pending_new = 0

    def action_open_attachments(self) -> None:
        """Ask to open the highlighted message's links and attachments, or say there are none."""
        message = self.cursor_message
        if self._key is None or message is None:
            self.app.bell()
        elif not offers_for(message).open_attachments:
            self.notify("Nothing to open in this message", timeout=3, markup=False)
        else:
            self.post_message(self.AttachmentsRequested(self, self._key, message))

    def action_copy_message(self) -> None:
        """Ask to copy the highlighted message."""
        message = self.cursor_message
        if self._key is None or message is None:
            self.app.bell()
        else:
            self.post_message(self.CopyRequested(self, self._key, message))

    def on_click(self, event: events.Click) -> None:
        """Highlight the clicked message (its strips carry the message key as meta)."""
        meta = event.style.meta
        if meta.get("jump_to_newest"):
            self.action_jump_to_newest()
            return
        key = meta.get("message_key")
        if isinstance(key, str) and self._layout.messages:
            line = self.scroll_offset.y + event.y - self._pad - HEADER_ROWS
            index = self._layout.find(key, near=self._layout.index_at(line))
            if index is not None:
                self._move_cursor(index)
