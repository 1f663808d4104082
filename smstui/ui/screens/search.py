"""``s`` / Ctrl+F: one search over everything stored — names, numbers and message text.

Results come from the local store as the user types (a worker per query; a newer query
cancels the one before). Conversations that match by name or number come first, then
messages, newest first, each with its date and a snippet with the match highlighted. A full
phone number that is in no conversation offers a new conversation with it. Enter opens the
highlighted result: a conversation, or a message's conversation with that message under the
cursor. Esc closes. ↑/↓ move through the results while the cursor stays in the field.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from smstui.domain.conversations import ConversationSummary
from smstui.domain.phones import conversation_key, display_number, parse_user_number
from smstui.domain.sanitize import clean_line
from smstui.domain.timefmt import list_time
from smstui.store import MessageHit, SearchResults
from smstui.system.clock import Clock

__all__ = ["SearchChoice", "SearchScreen"]


@dataclass(frozen=True, slots=True)
class SearchChoice:
    """What the user picked: a conversation, a message in it, or a new number."""

    conversation_key: str
    number: str
    message_key: str | None = None
    new: bool = False


MESSAGE_LIMIT = 50
"""Messages listed at most (the newest); a longer query narrows them down."""

Searcher = Callable[[str], Awaitable[SearchResults | None]]


class SearchScreen(ModalScreen[SearchChoice | None]):
    """Search names, numbers and message text; dismiss with the chosen result.

    Args:
        search: Runs one query against the store (None when there is no store).
        clock: For the dates beside results.
        regions: Our regions, for reading a typed number without a country code.
    """

    HELP_GROUP = "Search"
    BINDINGS = [
        Binding("escape", "cancel", "Close", id="search.cancel"),
        Binding("down", "move(1)", "Next result", show=False, id="search.down"),
        Binding("up", "move(-1)", "Previous result", show=False, id="search.up"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="search.page_down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="search.page_up"),
    ]

    DEFAULT_CSS = """
    SearchScreen {
        align: center top;
        background: $background 60%;
    }
    SearchScreen > #search-dialog {
        width: 100;
        max-width: 100%;
        height: 1fr;
        max-height: 100%;
        margin: 1 0 0 0;
        padding: 0 1;
        background: $panel;
        border: round $accent;
    }
    SearchScreen #search-results {
        height: 1fr;
        border: none;
        background: $panel;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    SearchScreen #search-hint { color: $text-muted; height: 1; }
    """

    def __init__(self, search: Searcher, *, clock: Clock, regions: Sequence[str] = ()) -> None:
        super().__init__()
        self._search = search
        self._clock = clock
        self._regions = tuple(regions)
        self._choices: list[SearchChoice] = []
        self.results: SearchResults | None = None
        """The last results shown (None before the first query finished)."""
        self.query_done = ""
        """The query whose results are shown ("" before any)."""

    def compose(self) -> ComposeResult:
        """The field, a hint line and the results."""
        with Vertical(id="search-dialog"):
            yield Input(placeholder="Search names, numbers and messages", id="search-field")
            yield Static(
                "Type to search · ↑↓ choose · Enter open · Esc close",
                id="search-hint",
                markup=False,
            )
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        """Put the cursor in the field."""
        self.query_one(Input).focus()

    @on(Input.Changed, "#search-field")
    def _query_changed(self, event: Input.Changed) -> None:
        self._run_query(event.value.strip())

    @work(exclusive=True, group="search", exit_on_error=False)
    async def _run_query(self, query: str) -> None:
        results = await self._search(query) if query else None
        self._show(query, results)

    def _show(self, query: str, results: SearchResults | None) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        self._choices = []
        self.results = results
        self.query_done = query
        hint = self.query_one("#search-hint", Static)
        if not query:
            hint.update("Type to search · ↑↓ choose · Enter open · Esc close")
            return
        now = self._clock.now()
        conversations = results.conversations if results else ()
        messages = results.messages if results else ()
        for summary in conversations:
            self._add(options, _conversation_prompt(summary, now), _choose_conversation(summary))
        new_number = self._new_number(query, conversations)
        if new_number:
            prompt = Content(f"New conversation with {display_number(new_number)}")
            self._add(
                options,
                prompt.stylize("bold"),
                SearchChoice(conversation_key(new_number), new_number, new=True),
            )
        for hit in messages:
            self._add(options, _message_prompt(hit, now), _choose_message(hit))
        more = " · … more may match; type more" if results and results.truncated else ""
        if self._choices:
            options.highlighted = 0
            hint.update(
                f"{_found(len(conversations), len(messages))}{more} · Enter open · Esc close"
            )
        else:
            hint.update(Content(f"No match for “{clean_line(query)}”{more}"))

    def _add(self, options: OptionList, prompt: Content, choice: SearchChoice) -> None:
        options.add_option(Option(prompt))
        self._choices.append(choice)

    def _new_number(self, query: str, conversations: Sequence[ConversationSummary]) -> str:
        """The query as a full number nobody's conversation has, or ""."""
        if not any(char.isdigit() for char in query) or any(char.isalpha() for char in query):
            return ""
        try:
            number = parse_user_number(query, self._regions)
        except ValueError:
            return ""
        key = conversation_key(number)
        return "" if any(summary.key == key for summary in conversations) else number

    def action_move(self, steps: int) -> None:
        """Move the highlight through the results."""
        options = self.query_one(OptionList)
        if not self._choices:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self._choices) - 1, current + steps))

    @on(Input.Submitted, "#search-field")
    def _submitted(self) -> None:
        self._choose(self.query_one(OptionList).highlighted)

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self._choices):
            self.app.bell()
            return
        self.dismiss(self._choices[index])

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)


def _found(conversations: int, messages: int) -> str:
    """What the hint line says was found: "2 conversations · the newest 50 messages"."""
    parts = []
    if conversations:
        parts.append(f"{conversations} conversation{'s' if conversations != 1 else ''}")
    if messages >= MESSAGE_LIMIT:
        parts.append(f"the newest {messages} messages")
    elif messages:
        parts.append(f"{messages} message{'s' if messages != 1 else ''}")
    found = " · ".join(parts) or "no conversation has this number"
    return found[:1].upper() + found[1:]


def _choose_conversation(summary: ConversationSummary) -> SearchChoice:
    return SearchChoice(summary.key, summary.number)


def _choose_message(hit: MessageHit) -> SearchChoice:
    return SearchChoice(hit.conversation_key, hit.number, message_key=hit.message_key)


def _who(name: str, number: str) -> str:
    shown = display_number(number)
    return f"{clean_line(name)} · {shown}" if name else shown


def _conversation_prompt(summary: ConversationSummary, now: float) -> Content:
    when = list_time(summary.timestamp, now) if summary.timestamp else ""
    head = Content(_who(summary.name, summary.number)).stylize("bold")
    return Content.assemble(head, "  ", Content(when).stylize("dim"))


def _message_prompt(hit: MessageHit, now: float) -> Content:
    when = list_time(hit.timestamp, now) if hit.timestamp else ""
    arrow = "→ " if hit.outbound else "← "
    head = Content.assemble(
        Content(_who(hit.name, hit.number)).stylize("bold"), "  ", Content(when).stylize("dim")
    )
    snippet = Content(arrow + hit.snippet)
    for start, end in hit.spans:
        snippet = snippet.stylize("reverse", start + len(arrow), end + len(arrow))
    return Content.assemble(head, "\n", snippet)
