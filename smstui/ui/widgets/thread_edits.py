"""In-place changes to a thread view: new statuses, swapped keys, removals, notes, a divider.

Every change keeps the user's place: the line under their eyes stays on its screen row, and a
view at the bottom stays at the bottom. Split from :mod:`~smstui.ui.widgets.message_pane` so each
module stays small; the pane adds paging, the new-messages notice and the keys.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from smstui.domain.models import Message
from smstui.ui.widgets.note_block import is_team_note
from smstui.ui.widgets.thread_view import HEADER_ROWS, ThreadView, _Anchor

__all__ = ["EditableThreadView"]


class EditableThreadView(ThreadView):
    """A :class:`ThreadView` whose loaded messages can change without moving the view."""

    _key: str | None = None
    """The conversation shown (the pane sets it)."""
    _complete: bool = False
    """Whether the start of the conversation is loaded (the pane sets it)."""
    _team_notes: tuple[str, tuple[Message, ...]] = ("", ())
    """The conversation and its team's internal notes (items keyed ``note:…``)."""

    def set_team_notes(self, key: str, notes: Sequence[Message]) -> None:
        """Show a conversation's internal notes (team mode) among its messages, by time.

        Kept for the conversation: shown again whenever its messages are shown or paged in.
        """
        self._team_notes = (key, tuple(notes))
        self._weave_team_notes()

    def _weave_team_notes(self) -> None:
        """Put the notes back among the loaded messages, only within the loaded span of time.

        Notes older than the first loaded message wait until older messages are loaded (or the
        start of the conversation is), so paging up never lands a note out of order.
        """
        layout = self._layout
        key, notes = self._team_notes
        old = [message.key for message in layout.messages if is_team_note(message)]
        if not old and (key != self._key or not notes):
            return
        anchor = self._capture_anchor()
        at = layout.messages[anchor.index].key if layout.messages and not anchor.at_bottom else ""
        cursor = self._cursor_key()
        for note_key in old:
            layout.remove(note_key)
        loaded = [m for m in layout.messages if not is_team_note(m)]
        if key == self._key and loaded:
            start = loaded[0].timestamp
            for note in notes:
                if note.timestamp >= start or self._complete:
                    layout.insert(note)
        if at and (index := layout.find(at)) is not None:
            anchor = replace(anchor, index=index)
        if layout.messages:
            found = None if cursor is None else layout.find(cursor)
            self._cursor = len(layout) - 1 if found is None else found
        else:
            self._cursor = None
        self._relayout(anchor)

    def _cursor_key(self) -> str | None:
        cursor = self._cursor
        return None if cursor is None else self._layout.messages[cursor].key

    def _sync_bindings(self) -> None:
        """Called after a change that may affect which keys apply (subclasses refresh them)."""

    def update_messages(self, messages: Sequence[Message]) -> None:
        """Replace loaded messages that have the same keys (a new delivery status, say).

        Only their cached strips are dropped; if a height changes the view stays anchored.

        Args:
            messages: New versions of loaded messages; unknown keys are ignored.
        """
        anchor = self._capture_anchor()
        replaced, height_changed = self._layout.replace(messages)
        if not replaced:
            return
        self._forget_blocks(set(replaced))
        if height_changed:
            self._update_virtual_size()
            self._restore_anchor(anchor)
        self.refresh()
        self._sync_bindings()

    def replace_message(self, old_key: str, message: Message) -> None:
        """Put a message with a new key in place of a loaded one (a bubble becomes the copy).

        When the new key is loaded already, the old message is removed instead.

        Args:
            old_key: The key of the loaded message.
            message: Its replacement.
        """
        if message.key != old_key and self._layout.find(message.key) is not None:
            self.remove_message(old_key)
            return
        anchor = self._capture_anchor()
        if self._layout.swap(old_key, message) is None:
            return
        self._forget_blocks({old_key, message.key})
        self._relayout(anchor)

    def remove_message(self, key: str) -> None:
        """Remove a loaded message without moving the rest of the view.

        Args:
            key: The message's key; unknown keys are ignored.
        """
        anchor = self._capture_anchor()
        index = self._layout.remove(key)
        if index is None:
            return
        self._forget_blocks({key})
        if self._cursor is not None:
            if self._cursor > index or self._cursor >= len(self._layout):
                self._cursor -= 1
            self._cursor = None if self._cursor < 0 else self._cursor
            self._cursor_moved()
        shift = -1 if not anchor.at_bottom and index < anchor.index else 0
        self._relayout(anchor, shift=shift)

    def set_signatures(self, names: Mapping[str, str]) -> None:
        """Show who sent our messages (team mode) beside their status: message key → name.

        Keys not loaded yet are kept for when they are; heights do not change.
        """
        signatures = self._layout.signatures
        changed = {key for key, name in names.items() if signatures.get(key) != name}
        if changed:
            signatures.update((key, names[key]) for key in changed)
            self._forget_blocks(changed)
            self.refresh()

    def set_note(self, key: str, note: str) -> None:
        """Show a line of explanation under a message ("" removes it).

        Args:
            key: The message's key.
            note: Plain text, e.g. why sending failed.
        """
        if self._layout.notes.get(key, "") == note:
            return
        anchor = self._capture_anchor()
        self._layout.set_note(key, note)
        self._relayout(anchor)

    def set_divider(self, key: str | None) -> None:
        """Draw the "New messages" divider above a message and bring it into view.

        Args:
            key: The first unread message, or None for no divider.
        """
        anchor = self._capture_anchor()
        self._layout.set_divider(key)
        self._relayout(anchor)
        index = None if key is None else self._layout.find(key)
        if index is not None and self._layout.width:
            top = HEADER_ROWS + self._layout.tops[index] + self._layout.separators[index]
            if top < self.scroll_offset.y:  # above the view: show it near the top
                self._scroll_to_line(top - 1)

    def _relayout(self, anchor: _Anchor, *, shift: int = 0) -> None:
        """After heights changed: new virtual size, the user's place kept, a repaint."""
        if self._layout.width:
            self._update_virtual_size()
            self._restore_anchor(anchor, shift=shift)
        self.refresh()
        self._sync_bindings()
