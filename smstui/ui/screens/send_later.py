"""Ctrl+S in the composer: send the draft later, at a time the user types.

The dialog reads the time as it is typed and says, in the local time zone, when the message
will go out ("→ tomorrow 09:30, CET (UTC+01:00)"), or why it cannot. Enter schedules; Esc goes
back to the draft, which is untouched either way until the gateway has accepted the schedule.
"""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from smstui.domain.phones import display_number
from smstui.domain.schedule_time import NonexistentTime, describe_send_time, read_send_time
from smstui.system.clock import Clock

__all__ = ["SendLaterScreen"]

HINT = "9:30 · tomorrow 9:30 · 2026-12-01 9:30 · +2h — Enter to schedule · Esc to cancel"


class SendLaterScreen(ModalScreen[datetime | None]):
    """Ask when to send; dismiss with the (aware, local) time, or None when cancelled.

    Args:
        number: Who the message goes to (shown in the title).
        clock: The app's clock ("tomorrow" and "+2h" count from it).
    """

    HELP_GROUP = "Send later"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="send_later.cancel")]

    DEFAULT_CSS = """
    SendLaterScreen { align: center middle; background: $background 60%; }
    SendLaterScreen > #dialog {
        width: 72;
        max-width: 100%;
        height: auto;
        padding: 1 2;
        background: $panel;
        border: round $accent;
    }
    SendLaterScreen #title { text-style: bold; margin-bottom: 1; }
    SendLaterScreen #hint { color: $text-muted; margin-top: 1; }
    SendLaterScreen #hint.-valid { color: $text-success; }
    SendLaterScreen #hint.-error { color: $text-error; }
    """

    def __init__(self, number: str, *, clock: Clock) -> None:
        super().__init__()
        self._number = number
        self._clock = clock

    def compose(self) -> ComposeResult:
        """The title, the time field and the line under it."""
        with Vertical(id="dialog"):
            yield Static(Content(f"Send later to {display_number(self._number)}"), id="title")
            yield Input(placeholder="tomorrow 9:30", id="when")
            yield Static(Content(HINT), id="hint")

    def on_mount(self) -> None:
        """Start typing straight away."""
        self.query_one("#when", Input).focus()

    def _show(self, text: str, kind: str = "") -> None:
        hint = self.query_one("#hint", Static)
        hint.update(Content(text))
        hint.set_class(kind == "valid", "-valid")
        hint.set_class(kind == "error", "-error")

    @on(Input.Changed, "#when")
    def _changed(self, event: Input.Changed) -> None:
        if not event.value.strip():
            self._show(HINT)
            return
        now = self._clock.now()
        try:
            moment = read_send_time(event.value, now)
        except NonexistentTime as error:
            self._show(str(error), "error")  # a whole time, just not on tonight's clocks
            return
        except ValueError:
            self._show(HINT)  # still typing: no error until Enter
            return
        self._show(f"→ {describe_send_time(moment, now)}", "valid")

    @on(Input.Submitted, "#when")
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            moment = read_send_time(event.value, self._clock.now())
        except ValueError as error:
            self._show(str(error), "error")
            self.app.bell()
            return
        self.dismiss(moment)

    def action_cancel(self) -> None:
        """Back to the draft."""
        self.dismiss(None)
