"""A yes/no question that names what is at stake: resending a not-confirmed SMS, quitting early.

``y`` answers yes, ``n`` or Esc answers no; nothing else does, so a stray Enter typed ahead
never confirms a paid or irreversible action. Every line is shown literally (``Content``, no
markup), since it may quote a message or a number from the network.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

__all__ = ["ConfirmScreen"]


class ConfirmScreen(ModalScreen[bool]):
    """Ask one question; dismiss with True for ``y``, False for ``n``/Esc.

    Args:
        title: The question, one line.
        body: What happens either way, a few lines.
        yes: What ``y`` does ("Send again").
        no: What ``n`` does ("Keep waiting").
    """

    HELP_GROUP = "Confirm"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
        background: $background 60%;
    }
    ConfirmScreen > #dialog {
        width: 68;
        max-width: 100%;
        height: auto;
        padding: 1 2;
        background: $panel;
        border: round $warning;
    }
    ConfirmScreen #title { text-style: bold; margin-bottom: 1; }
    ConfirmScreen #keys { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, title: str, body: str, *, yes: str, no: str) -> None:
        super().__init__()
        self._title, self._body, self._yes, self._no = title, body, yes, no

    def compose(self) -> ComposeResult:
        """The question, what is at stake, and the two keys."""
        with Vertical(id="dialog"):
            yield Static(Content(self._title), id="title", markup=False)
            yield Static(Content(self._body), id="body", markup=False)
            yield Static(Content(f"y  {self._yes}    n / Esc  {self._no}"), id="keys")

    def action_answer(self, answer: bool) -> None:
        """Close with the answer."""
        self.dismiss(answer)
