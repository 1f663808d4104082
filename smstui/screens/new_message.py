"""``n``: start a message to any number.

A small dialog asks for the number and says, as the user types, how it will be understood
(``+48 512 345 678``) or what is wrong with it. Enter accepts a valid number and dismisses with
its digits-only international form; Esc cancels. National numbers (``0470 12 34 56``) are read
in the country of our own number.
"""

from __future__ import annotations

import phonenumbers
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from smstui.phones import display_number, is_phone_number, normalise_number, parse_user_number

__all__ = ["NewMessageScreen", "region_of"]

_HINT = "International form, e.g. +48 512 345 678 · Enter to start · Esc to cancel"


def region_of(number: str) -> str | None:
    """Return the ISO region of one of our numbers ("PL"), for reading national numbers.

    Args:
        number: Our number in any spelling; "" when unknown.

    Returns:
        The region code, or None when it cannot be told.
    """
    digits = normalise_number(number)
    if not digits or not is_phone_number(digits):
        return None
    try:
        parsed = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return None
    region: str | None = phonenumbers.region_code_for_number(parsed)
    return region if region and region != "ZZ" else None


class NewMessageScreen(ModalScreen[str | None]):
    """Ask for a phone number; dismiss with its digits (None when cancelled).

    Args:
        default_region: Region for numbers typed without a country code, or None.
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

    def __init__(self, default_region: str | None = None) -> None:
        super().__init__()
        self._region = default_region

    def compose(self) -> ComposeResult:
        """The title, the number field and the hint under it."""
        with Vertical(id="dialog"):
            yield Static("New message to", id="title", markup=False)
            yield Input(placeholder="+48 512 345 678", id="number")
            yield Static(Content(_HINT), id="hint", markup=False)

    def on_mount(self) -> None:
        """Start typing straight away."""
        self.query_one("#number", Input).focus()

    def _show(self, text: str, kind: str = "") -> None:
        hint = self.query_one("#hint", Static)
        hint.update(Content(text))
        hint.set_class(kind == "valid", "-valid")
        hint.set_class(kind == "error", "-error")

    def _parse(self, text: str) -> str:
        return parse_user_number(text, self._region)

    @on(Input.Changed, "#number")
    def _number_changed(self, event: Input.Changed) -> None:
        if not event.value.strip():
            self._show(_HINT)
            return
        try:
            digits = self._parse(event.value)
        except ValueError:
            self._show(_HINT)  # still typing: no error until Enter
            return
        self._show(f"→ {display_number(digits)}", "valid")

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
