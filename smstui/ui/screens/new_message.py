"""``n``: start a message to any number.

A small dialog asks for the number and says, as the user types, how it will be understood
(``→ +48 512 999 888 · Poland``) or what is wrong with it. Enter accepts a valid number and
dismisses with its digits-only international form; Esc cancels. A number typed without ``+`` or
``00`` is read in our own country first (:func:`smstui.domain.phones.parse_user_number`).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from smstui.domain.countries import country_name
from smstui.domain.phones import display_number, number_country, parse_user_number

__all__ = ["NewMessageScreen", "hint_for"]


def hint_for(regions: Sequence[str]) -> str:
    """The line under an empty field: which forms are understood, and in which country.

    Args:
        regions: Our regions, most likely first (numbers without ``+`` are read there).
    """
    local = f", or a number in {country_name(regions[0])}" if regions else ""
    return f"+ and the country code, e.g. +48 512 345 678{local} · Enter to start · Esc to cancel"


class NewMessageScreen(ModalScreen[str | None]):
    """Ask for a phone number; dismiss with its digits (None when cancelled).

    Args:
        regions: Our regions, most likely first: numbers typed without ``+`` or ``00`` are
            read there (see :func:`smstui.domain.phones.parse_user_number`).
    """

    HELP_GROUP = "New message"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="new_message.cancel")]

    DEFAULT_CSS = """
    NewMessageScreen {
        align: center middle;
        background: $background 60%;
    }
    NewMessageScreen > #dialog {
        width: 64;
        max-width: 100%;
        height: auto;
        padding: 1 2;
        background: $panel;
        border: round $accent;
    }
    NewMessageScreen #title { text-style: bold; margin-bottom: 1; }
    NewMessageScreen #hint { color: $text-muted; margin-top: 1; }
    NewMessageScreen #hint.-valid { color: $text-success; }
    NewMessageScreen #hint.-error { color: $text-error; }
    """

    def __init__(self, regions: Sequence[str] = ()) -> None:
        super().__init__()
        self._regions = tuple(regions)
        self._hint = hint_for(self._regions)

    def compose(self) -> ComposeResult:
        """The title, the number field and the hint under it."""
        with Vertical(id="dialog"):
            yield Static("New message to", id="title", markup=False)
            yield Input(placeholder="+48 512 345 678", id="number")
            yield Static(Content(self._hint), id="hint", markup=False)

    def on_mount(self) -> None:
        """Start typing straight away."""
        self.query_one("#number", Input).focus()

    def _show(self, text: str, kind: str = "") -> None:
        hint = self.query_one("#hint", Static)
        hint.update(Content(text))
        hint.set_class(kind == "valid", "-valid")
        hint.set_class(kind == "error", "-error")

    def _parse(self, text: str) -> str:
        return parse_user_number(text, self._regions)

    @on(Input.Changed, "#number")
    def _number_changed(self, event: Input.Changed) -> None:
        if not event.value.strip():
            self._show(self._hint)
            return
        try:
            digits = self._parse(event.value)
        except ValueError:
            self._show(self._hint)  # still typing: no error until Enter
            return
        country, valid = number_country(digits)
        if valid:
            self._show(f"→ {display_number(digits)} · {country}", "valid")
        else:  # "+" and digits of a range phonenumbers does not know: allowed, with a warning
            where = f" in {country}" if country else ""
            self._show(f"→ {display_number(digits)} · not a known number{where}; check it")

    @on(Input.Submitted, "#number")
    def _number_submitted(self, event: Input.Submitted) -> None:
        try:
            digits = self._parse(event.value)
        except ValueError as error:
            self._show(str(error), "error")
            self.app.bell()
            return
        self.dismiss(digits)

    def action_cancel(self) -> None:
        """Close without starting a message."""
        self.dismiss(None)
