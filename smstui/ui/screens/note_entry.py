"""Writing an internal note (team mode): a field clearly marked as never sent.

``N`` opens it over the inbox; Enter keeps the note for the team (the board's ``notes``
table, never the gateway), Esc closes it. It answers the text, or None.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from smstui.domain.sanitize import clean_text

__all__ = ["NOTE_LABEL", "NoteEntryScreen"]

NOTE_LABEL = "Internal note — not sent"
"""The dialog's title: the note goes to the team, never to the customer."""

MAX_NOTE = 2000
"""Characters a note may have."""


class NoteEntryScreen(ModalScreen[str | None]):
    """Ask for an internal note about one conversation (see module).

    Args:
        title: The conversation, as the list names it.
    """

    HELP_GROUP = "Internal note"
    BINDINGS = [Binding("escape", "cancel", "Close", id="note.cancel")]

    DEFAULT_CSS = """
    NoteEntryScreen {
        align: center middle;
        background: $background 60%;
    }
    NoteEntryScreen > #dialog {
        width: 70;
        max-width: 100%;
        height: auto;
        padding: 1 2;
        background: $panel;
        border: round $warning;
    }
    NoteEntryScreen #title { text-style: bold; color: $text-warning; }
    NoteEntryScreen #about { color: $text-muted; margin-bottom: 1; }
    NoteEntryScreen #hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, title: str) -> None:
        super().__init__()
        self._title = title

    def compose(self) -> ComposeResult:
        """The label, the field and the keys."""
        with Vertical(id="dialog"):
            yield Static(Content(f"📝 {NOTE_LABEL}"), id="title", markup=False)
            yield Static(
                Content(f"About {self._title}; only the team sees it."), id="about", markup=False
            )
            yield Input(placeholder="Write a note for the team…", max_length=MAX_NOTE, id="text")
            yield Static(Content("Enter  keep the note    Esc  close"), id="hint")

    def on_mount(self) -> None:
        """Start in the field."""
        self.query_one(Input).focus()

    @on(Input.Submitted, "#text")
    def _submitted(self, event: Input.Submitted) -> None:
        text = clean_text(event.value).strip()
        if text:
            self.dismiss(text)
        else:
            self.app.bell()

    def action_cancel(self) -> None:
        """Close without a note."""
        self.dismiss(None)
