"""Internal notes in team mode: ``N`` writes one, every operator's thread shows them in order.

A note is kept in the team's ``notes`` table (:class:`~smstui.store.team_board.OperatorBoard`),
never sent: nothing here reaches the gateway. After a write the board announces it on the
account's channel; every app showing that conversation reads its notes again, and the
message pane draws them among the messages by time, unlike any message
(:mod:`smstui.ui.widgets.note_block`).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from smstui.domain.models import Message
from smstui.domain.phones import display_number
from smstui.domain.sanitize import clean_line, clean_text
from smstui.domain.team_shared import TeamNote
from smstui.ui.screens.inbox_parts import InboxParts
from smstui.ui.screens.note_entry import NoteEntryScreen
from smstui.ui.widgets.wrap import TEAM_NOTE_PREFIX

if TYPE_CHECKING:  # the PostgreSQL driver loads only in a team (smstui[team])
    from smstui.store.team_board import OperatorBoard

__all__ = ["NoteFlow", "note_item"]


def note_item(note: TeamNote) -> Message:
    """A note as a thread item the pane draws as a note (key ``note:<id>``), cleaned."""
    return Message(
        key=f"{TEAM_NOTE_PREFIX}{note.id}",
        message_id=None,
        outbound=False,
        sender=clean_line(note.operator),
        receiver="",
        text=clean_text(note.text),
        attachments=(),
        timestamp=int(note.at),
        status="",
    )


class NoteFlow:
    """Writes this operator's notes and shows the open conversation's (see module).

    Args:
        screen: The inbox screen, as its helpers see it.
        board: The team's board (None outside team mode: everything here is then inert).
        operator: This operator's name.
    """

    def __init__(self, screen: InboxParts, board: OperatorBoard | None, operator: str) -> None:
        self._screen = screen
        self._board = board
        self.operator = operator
        self._shown: str | None = None
        """The conversation whose notes were asked for last."""

    def tick(self) -> None:
        """Another conversation is open: read its notes (called often; cheap otherwise)."""
        thread = self._screen.thread
        key = thread.key if thread is not None else None
        if key != self._shown:
            self._shown = key
            if key is not None:
                self.load(key)

    def changed(self, conversation: str) -> None:
        """An operator wrote a note: read them again when that conversation is open."""
        thread = self._screen.thread
        if thread is not None and thread.key == conversation:
            self.load(conversation)

    def load(self, key: str) -> None:
        """Read a conversation's notes and show them in its thread."""
        board = self._board
        if board is None:
            return

        async def load() -> None:
            notes = await asyncio.to_thread(board.notes, key)
            thread = self._screen.thread
            if thread is not None and thread.key == key:
                self._screen.message_pane.set_team_notes(key, [note_item(n) for n in notes])

        self._screen.run_worker(load(), name="team notes", group="team", exit_on_error=False)

    def write(self) -> None:
        """``N``: ask for a note about the open conversation and keep it for the team."""
        screen, board = self._screen, self._board
        thread = screen.thread
        if board is None or thread is None:
            screen.app.bell()
            return
        key = thread.key
        summary = screen.session.summary(key)
        title = clean_line(summary.name) if summary and summary.name else display_number(key)
        screen.app.push_screen(NoteEntryScreen(title), lambda text: self._written(key, text))

    def _written(self, key: str, text: str | None) -> None:
        board = self._board
        if not text or board is None:
            return
        operator = self.operator

        async def keep() -> None:
            if await asyncio.to_thread(board.add_note, key, operator, text):
                self.load(key)
            else:
                self._screen.status_line.show("Could not keep the note (team server)", "error")

        self._screen.run_worker(keep(), name="keep note", group="team", exit_on_error=False)
