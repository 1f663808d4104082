"""``S``: the messages waiting at the gateway to go out later.

``d`` cancels the highlighted one (after asking); Enter opens its conversation. The list comes
from ``GET /outbox`` when the screen opens (and after each cancel), soonest first, with who each
goes to and when: in local time when the gateway wrote a time smstui can read, else as written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from smstui.api.errors import ApiError, SmsError
from smstui.api.scheduled import ScheduledMessage, scheduled_time
from smstui.domain.phones import display_number, normalise_number
from smstui.domain.sanitize import clean_line
from smstui.domain.timefmt import list_time
from smstui.ui.screens.confirm import ConfirmScreen

__all__ = ["ScheduledScreen"]

Load = Callable[[], Awaitable[Sequence[ScheduledMessage]]]
Cancel = Callable[[str], Awaitable[None]]


def _load_problem(error: SmsError) -> str:
    """Why the list could not be loaded, in a line: a gateway without the list says so."""
    if isinstance(error, ApiError) and error.code is None and error.status in (404, 405):
        return "This gateway keeps no list of scheduled messages (no GET /outbox)"
    return f"Could not load the list: {error.user_message}"


class ScheduledScreen(ModalScreen[str | None]):
    """Scheduled messages, soonest first; dismisses with a number to open (Enter) or None.

    Args:
        load: Fetches every scheduled message.
        cancel: Cancels one by its outbox id.
        name_of: The contact name of a number ("" when none).
        now: The current time, for the dates shown.
    """

    HELP_GROUP = "Scheduled"
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="scheduled.close"),
        Binding("d,delete", "cancel_message", "Cancel message", id="scheduled.cancel"),
        Binding("a", "toggle_all", "All / this conversation", id="scheduled.all"),
    ]

    DEFAULT_CSS = """
    ScheduledScreen { align: center top; background: $background 60%; }
    ScheduledScreen > #scheduled-dialog {
        width: 100;
        max-width: 100%;
        height: auto;  /* as tall as what it says: one line for "nothing" or an error */
        max-height: 100%;
        margin: 1 0 0 0;
        padding: 0 1;
        background: $panel;
        border: round $accent;
    }
    ScheduledScreen #scheduled-title { text-style: bold; height: 1; }
    ScheduledScreen #scheduled-hint { color: $text-muted; height: auto; }
    ScheduledScreen #scheduled-hint.-error { color: $text-error; }
    ScheduledScreen #scheduled-list {
        height: auto; max-height: 80vh; border: none; background: $panel;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(
        self,
        load: Load,
        cancel: Cancel,
        *,
        name_of: Callable[[str], str],
        now: float,
        conversation: str | None = None,
    ) -> None:
        super().__init__()
        self._load = load
        self._cancel = cancel
        self._name_of = name_of
        self._now = now
        self._conversation = normalise_number(conversation) if conversation else ""
        self.only_conversation = bool(self._conversation)
        """Whether the list shows only the open conversation's messages (``a`` switches)."""
        self._all: list[ScheduledMessage] = []
        self.messages: list[ScheduledMessage] = []
        """What the list shows, soonest first."""
        self.loaded = False
        """Whether the gateway has answered (or failed) since the last load began."""

    def compose(self) -> ComposeResult:
        """A title, a hint line and the list."""
        with Vertical(id="scheduled-dialog"):
            yield Static("Scheduled messages", id="scheduled-title")
            yield Static("Loading…", id="scheduled-hint")
            yield OptionList(id="scheduled-list")

    def on_mount(self) -> None:
        """Ask the gateway for the list."""
        self.query_one(OptionList).focus()
        self._reload()

    @work(exclusive=True, group="scheduled", exit_on_error=False)
    async def _reload(self) -> None:
        self.loaded = False
        hint = self.query_one("#scheduled-hint", Static)
        hint.remove_class("-error")
        try:
            found = await self._load()
        except SmsError as error:
            self.query_one(OptionList).display = False
            hint.add_class("-error")
            hint.update(Content(f"{_load_problem(error)} · Esc close"))
            self.loaded = True
            return
        self._all = sorted(found, key=lambda item: (scheduled_time(item.date) or 0, item.id))
        self._show()
        self.loaded = True

    def _show(self) -> None:
        mine = [item for item in self._all if normalise_number(item.to) == self._conversation]
        self.messages = mine if self.only_conversation else list(self._all)
        options = self.query_one(OptionList)
        options.display = bool(self.messages)  # nothing listed: the box is its two lines
        options.clear_options()
        for item in self.messages:
            options.add_option(Option(self._prompt(item)))
        where = ""
        if self._conversation:
            which = "this conversation" if self.only_conversation else "all conversations"
            other = "all" if self.only_conversation else "this conversation"
            where = f" ({which}; a: {other})"
        hint = self.query_one("#scheduled-hint", Static)
        if self.messages:
            options.highlighted = 0
            count = len(self.messages)
            hint.update(f"{count} waiting{where} · d cancel · Enter open · Esc close")
        else:
            hint.update(f"Nothing is scheduled{where} · Ctrl+S in the composer sends a draft later")

    def action_toggle_all(self) -> None:
        """Switch between the open conversation's scheduled messages and everyone's."""
        if not self._conversation:
            self.app.bell()
            return
        self.only_conversation = not self.only_conversation
        self._show()

    def _prompt(self, item: ScheduledMessage) -> Content:
        when_ts = scheduled_time(item.date)
        when = list_time(when_ts, self._now) if when_ts else clean_line(item.date)
        if when_ts:
            from datetime import datetime

            when = f"{when} {datetime.fromtimestamp(when_ts).astimezone():%H:%M}"
        name = self._name_of(item.to)
        who = f"{clean_line(name)} · {display_number(item.to)}" if name else display_number(item.to)
        head = Content.assemble(Content(when).stylize("bold"), "  ", Content(who))
        return Content.assemble(head, "  ", Content(clean_line(item.text)).stylize("dim"))

    def action_cancel_message(self) -> None:
        """Ask, then cancel the highlighted message at the gateway."""
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.messages):
            self.app.bell()
            return
        item = self.messages[index]

        def answered(yes: bool | None) -> None:
            if yes:
                self._cancel_at_gateway(item)

        self.app.push_screen(
            ConfirmScreen(
                "Cancel this scheduled message?",
                f"To {display_number(item.to)}: {clean_line(item.text)[:120]}",
                yes="Cancel it",
                no="Keep it",
            ),
            answered,
        )

    @work(group="scheduled-cancel", exit_on_error=False)
    async def _cancel_at_gateway(self, item: ScheduledMessage) -> None:
        hint = self.query_one("#scheduled-hint", Static)
        try:
            await self._cancel(item.id)
        except SmsError as error:
            hint.update(Content(f"Not cancelled: {error.user_message}"))
            self.app.bell()
            return
        self.notify("Scheduled message cancelled", markup=False)
        self._reload()

    @on(OptionList.OptionSelected, "#scheduled-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        """Enter: close the list and open the conversation of the highlighted message."""
        if 0 <= event.option_index < len(self.messages):
            self.dismiss(self.messages[event.option_index].to)

    def action_close(self) -> None:
        """Back to the inbox."""
        self.dismiss(None)
