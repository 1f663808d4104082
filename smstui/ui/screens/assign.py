"""Who looks after a conversation (team mode): to me, to another operator, a typed name, nobody.

A small dialog over the inbox: the choices in a list (this operator first, then the others
seen so far, then "Nobody"), and a field for a name not listed yet. It answers the operator
chosen, ``""`` for nobody, or None when closed with Esc. Names are shown literally.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from smstui.domain.sanitize import clean_line

__all__ = ["NOBODY", "AssignScreen"]

NOBODY = "\x00nobody"
"""The option id of "Nobody" (no name can be it: names are cleaned of control characters)."""


class AssignScreen(ModalScreen[str | None]):
    """Choose who looks after a conversation (see module).

    Args:
        title: The conversation, as the list names it.
        me: This operator's name.
        others: The other operators seen so far.
        current: Who looks after it now ("" nobody).
    """

    HELP_GROUP = "Assign"
    BINDINGS = [Binding("escape", "cancel", "Close", id="assign.cancel")]

    DEFAULT_CSS = """
    AssignScreen {
        align: center middle;
        background: $background 60%;
    }
    AssignScreen > #dialog {
        width: 50;
        max-width: 100%;
        height: auto;
        padding: 1 2;
        background: $panel;
        border: round $accent;
    }
    AssignScreen #title { text-style: bold; margin-bottom: 1; }
    AssignScreen OptionList { height: auto; max-height: 12; }
    AssignScreen #hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, title: str, *, me: str, others: Iterable[str], current: str) -> None:
        super().__init__()
        self._title = title
        self._me = me
        self._others = sorted({name for name in others if name and name != me})
        self._current = current

    def compose(self) -> ComposeResult:
        """The title, the choices and the field for another name."""
        now = f" (now: {self._current})" if self._current else " (now: nobody)"
        options = [Option(Content(f"To me ({self._me})"), id=self._me)]
        options += [Option(Content(f"To {name}"), id=name) for name in self._others]
        options.append(Option(Content("Nobody"), id=NOBODY))
        with Vertical(id="dialog"):
            yield Static(Content(f"Assign {self._title}{now}"), id="title", markup=False)
            yield OptionList(*options, id="choices")
            yield Input(placeholder="…or type a name, then Enter", id="name")
            yield Static(Content("Enter  choose    Tab  type a name    Esc  close"), id="hint")

    def on_mount(self) -> None:
        """Start in the list, on "To me"."""
        choices = self.query_one(OptionList)
        choices.highlighted = 0
        choices.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        self.dismiss("" if choice == NOBODY else choice)

    @on(Input.Submitted, "#name")
    def _typed(self, event: Input.Submitted) -> None:
        name = clean_line(event.value).strip()
        if name:
            self.dismiss(name)
        else:
            self.app.bell()

    def action_cancel(self) -> None:
        """Close without a change."""
        self.dismiss(None)
