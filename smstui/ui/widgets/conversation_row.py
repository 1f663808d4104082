"""Drawing one conversation as two terminal lines, measured in cells, never through markup.

The conversation list asks for a row only when it is about to be painted, so everything here
works on one :class:`~smstui.domain.conversations.ConversationSummary` at a time. Text is assembled
as
:class:`textual.content.Content` with explicit spans: a name such as ``[@click=app.quit]``
is just characters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from textual.color import Color
from textual.content import Content, Span
from textual.strip import Strip
from textual.style import Style

from smstui.domain.conversations import ConversationSummary
from smstui.domain.delivery import describe_status
from smstui.domain.phones import display_number
from smstui.domain.sanitize import display_text

__all__ = [
    "COMPONENT_CLASSES",
    "LIST_CSS",
    "RowLook",
    "build_row_strips",
    "match_spans",
    "note_strip",
    "one_line",
    "resolve_look",
]

COMPONENT_CLASSES = frozenset(
    {
        "conversation-list--name",
        "conversation-list--number",
        "conversation-list--time",
        "conversation-list--preview",
        "conversation-list--unread-badge",
        "conversation-list--cursor",
        "conversation-list--cursor-marker",
        "conversation-list--open",
        "conversation-list--open-marker",
        "conversation-list--match",
        "conversation-list--status-pending",
        "conversation-list--status-ok",
        "conversation-list--status-warn",
        "conversation-list--status-error",
        "conversation-list--status-muted",
        "conversation-list--loading",
        "conversation-list--empty",
    }
)
"""The parts of a conversation row that CSS can style (the list's ``COMPONENT_CLASSES``)."""

LIST_CSS = """
ConversationList {
    overflow-x: hidden;
    overflow-y: auto;
    scrollbar-gutter: stable;
    & > .conversation-list--number { color: $text-muted; }
    & > .conversation-list--time { color: $text-muted; }
    & > .conversation-list--preview { color: $text-muted; }
    & > .conversation-list--unread-badge {
        background: $accent;
        color: $text;
        text-style: bold;
    }
    & > .conversation-list--open { background: $accent 12%; }
    & > .conversation-list--open-marker { color: $accent; }
    & > .conversation-list--cursor-marker { color: $text-muted; text-style: bold; }
    &:focus > .conversation-list--cursor-marker { color: $accent; }
    & > .conversation-list--match { text-style: bold underline; }
    & > .conversation-list--cursor {
        color: $block-cursor-blurred-foreground;
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    &:focus > .conversation-list--cursor {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    & > .conversation-list--status-pending { color: $text-muted; }
    & > .conversation-list--status-ok { color: $text-success; }
    & > .conversation-list--status-warn { color: $text-warning; }
    & > .conversation-list--status-error { color: $text-error; }
    & > .conversation-list--status-muted { color: $text-muted; }
    & > .conversation-list--loading { color: $text-muted; text-style: italic; }
    & > .conversation-list--empty { color: $text-muted; }
    /* 16 colours (an ansi theme): no tints, which would come out as solid colour. */
    &:ansi > .conversation-list--open { background: ansi_default; }
    &:ansi > .conversation-list--unread-badge { background: ansi_cyan; color: ansi_black; }
    &:ansi > .conversation-list--cursor-marker { color: ansi_default; }
    &:ansi:focus > .conversation-list--cursor-marker { color: ansi_bright_yellow; }
    /* Red text is unreadable on the cursor's blue: white on red, on any row. */
    &:ansi > .conversation-list--status-error { color: ansi_bright_white; background: ansi_red; }
}
"""
"""The list's DEFAULT_CSS: theme variables only, so every theme (and the user's CSS) applies."""

_TONES = ("pending", "ok", "warn", "error", "muted")

_OUTBOUND_PREFIX = "You: "
_BADGE_MAX = 99
_MARKER = "▌"
"""Marks the open conversation (both lines)."""
MIN_PREVIEW = 12
"""Cells the preview keeps before "read by …" gives way."""
_NOTE = Style(italic=True)
MUTED_MARK = "muted"
"""Before the time of a muted conversation: it notifies nobody and leaves the title's count."""
CURSOR_MARKER = "❯"
"""Marks the row under the cursor (its first line), so j/k visibly move something even where
colours cannot tell the cursor row apart (monochrome, 16 colours, colour-blind users)."""


@dataclass(frozen=True, slots=True)
class RowLook:
    """Resolved styles for one row state (plain, cursor, open, or both), from theme CSS."""

    base: Style
    """The row background and default text colour; also fills the padding."""
    marker: Style
    """The bar in the first column that marks the open conversation."""
    cursor_marker: Style
    """The arrow in the first column that marks the cursor row."""
    name: Style
    number: Style
    time: Style
    preview: Style
    badge: Style
    match: Style
    """Added on top of a name or number where it matches the filter query."""
    tones: Mapping[str, Style]
    """Status glyph style per tone (``pending``, ``ok``, ``warn``, ``error``, ``muted``)."""


def resolve_look(get_style: Callable[..., Style], *, is_cursor: bool, is_open: bool) -> RowLook:
    """Resolve the theme's styles for one row state.

    Args:
        get_style: The widget's ``get_visual_style`` (it caches per pseudo-class state, so
            focus is accounted for).
        is_cursor: The row is under the cursor.
        is_open: The row is the conversation shown in the message pane.

    Returns:
        Fully resolved styles (backgrounds included) for every part of the row.
    """
    state = ("conversation-list--open",) * is_open + ("conversation-list--cursor",) * is_cursor

    base = get_style(*state)
    text = Style(foreground=base.foreground)
    on_colour = not _is_ansi_default(base.foreground) and not _is_ansi_default(base.background)

    def part(name: str) -> Style:
        style = get_style(*state, f"conversation-list--{name}")
        # 16 colours: a muted part is the terminal's own foreground, black on the cursor's
        # blue on a light terminal; on a coloured row it takes the row's text colour instead.
        if on_colour and _is_ansi_default(style.foreground):
            return style + text
        return style

    return RowLook(
        base=base,
        marker=part("open-marker"),
        cursor_marker=part("cursor-marker"),
        name=part("name"),
        number=part("number"),
        time=part("time"),
        preview=part("preview"),
        badge=part("unread-badge"),
        match=get_style("conversation-list--match", partial=True),
        tones={tone: part(f"status-{tone}") for tone in _TONES},
    )


def _is_ansi_default(colour: Color | None) -> bool:
    """Whether a colour is the terminal's own (``ansi_default``, or none at all)."""
    return colour is None or colour.ansi == -1


def one_line(text: str) -> str:
    """Collapse every run of whitespace, newlines included, into one space, as drawn.

    Joined emoji are taken apart (:func:`smstui.domain.sanitize.display_text`), so the row is
    measured the way the terminal draws it.

    Args:
        text: Already-sanitised text that may span several lines.

    Returns:
        The text on one line without leading or trailing whitespace.
    """
    return " ".join(display_text(text).split())


def _fold_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Case-insensitive occurrences of ``query`` in ``text`` as character ranges."""
    lowered, needle = text.lower(), query.lower()
    if not needle or len(lowered) != len(text):
        # Lower-casing changed the length (e.g. "İ"): offsets would not line up; skip emphasis.
        return []
    spans: list[tuple[int, int]] = []
    start = lowered.find(needle)
    while start != -1:
        spans.append((start, start + len(needle)))
        start = lowered.find(needle, start + len(needle))
    return spans


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Find where a filter query matches text as shown, for emphasis.

    A query made of digits (spaces, ``+``, ``-`` allowed) also matches a formatted number
    across its spaces: ``"512345"`` matches ``"512 345"`` in ``"+48 512 345 678"``.

    Args:
        text: The text as displayed.
        query: The filter the user typed.

    Returns:
        Non-overlapping ``(start, end)`` character ranges, possibly empty.
    """
    query = query.strip()
    if not query:
        return []
    spans = _fold_spans(text, query)
    digits = "".join(char for char in query if char.isdigit())
    if spans or not digits or any(ch not in "0123456789 +-" for ch in query):
        return spans
    positions = [index for index, char in enumerate(text) if "0" <= char <= "9"]
    text_digits = "".join(text[index] for index in positions)
    found = text_digits.find(digits)
    result: list[tuple[int, int]] = []
    while found != -1:
        last = found + len(digits) - 1
        result.append((positions[found], positions[last] + 1))
        found = text_digits.find(digits, found + len(digits))
    return result


def _styled(text: str, style: Style, query: str, match: Style) -> Content:
    """Content with one style, plus the match emphasis where the query occurs."""
    spans = [Span(0, len(text), style)]
    spans.extend(Span(start, end, match) for start, end in match_spans(text, query))
    return Content(text, spans)


def _title(row: ConversationSummary, look: RowLook, query: str) -> Content:
    """Name (bold when unread) and formatted number, or the number/sender alone."""
    shown_number = one_line(display_number(row.number)) or one_line(row.number)
    name = one_line(row.name)
    name_style = look.name + Style(bold=True) if row.unread > 0 else look.name
    if not name or name == shown_number:
        return _styled(shown_number, name_style, query, look.match)
    return Content.assemble(
        _styled(name, name_style, query, look.match),
        (" ", look.name),
        _styled(shown_number, look.number, query, look.match),
    )


def _preview(row: ConversationSummary, look: RowLook, *, words: bool = False) -> Content:
    """``You: ✓ text`` for our last message, else the text; always one line.

    With ``words`` the status is its word: ``You (sent): text``.
    """
    text = one_line(row.preview)
    if not row.last_outbound:
        return Content(text, [Span(0, len(text), look.preview)])
    status = describe_status(row.last_status)
    word = one_line(status.word)
    if words and word:
        return Content.assemble(
            ("You (", look.preview),
            (word, look.tones.get(status.tone, look.preview)),
            ("): ", look.preview),
            (text, look.preview),
        )
    parts: list[Content | tuple[str, Style]] = [(_OUTBOUND_PREFIX, look.preview)]
    glyph = one_line(status.glyph)
    if glyph:
        parts.append((glyph, look.tones.get(status.tone, look.preview)))
        parts.append((" ", look.preview))
    parts.append((text, look.preview))
    return Content.assemble(*parts)


def _badge_text(unread: int) -> str:
    return f" {unread if unread <= _BADGE_MAX else f'{_BADGE_MAX}+'} " if unread > 0 else ""


ASSIGNEE_CELLS = 12
"""At most this many cells of the assignee's name show ("→ Anna"); the preview gives way."""


def _right_of_preview(row: ConversationSummary, look: RowLook) -> Content:
    """The unread badge, after the assignee's name in team mode ("→ Anna")."""
    badge = Content.styled(_badge_text(row.unread), look.badge)
    name = one_line(row.assignee)
    if not name:
        return badge
    who = Content.styled(f"→ {name}", look.time).truncate(ASSIGNEE_CELLS, ellipsis=True)
    return Content.assemble(who, " ", badge) if badge.cell_length else who


def _fit_line(left: Content, right: Content, width: int) -> Content:
    """``left`` truncated with an ellipsis, then ``right`` flush to the end of ``width`` cells."""
    right_cells = right.cell_length
    if right_cells and right_cells + 1 <= width:
        room = width - right_cells - 1
        left = left.truncate(room, ellipsis=True, pad=True)
        return Content.assemble(left, " ", right)
    return left.truncate(width, ellipsis=True, pad=True)


def build_row_strips(
    row: ConversationSummary,
    *,
    width: int,
    look: RowLook,
    time_label: str,
    query: str,
    is_open: bool,
    is_cursor: bool = False,
    team: tuple[str, str] = ("", ""),
    muted: bool = False,
    status_words: bool = False,
) -> tuple[Strip, Strip]:
    """Render the two lines of one conversation row at exactly ``width`` cells.

    Layout: a one-cell marker column, the text, and one cell of padding before the scrollbar.
    The marker column holds an arrow on the first line of the cursor row and a bar on the
    lines of the open conversation (the arrow wins on a row that is both).

    Args:
        row: The conversation.
        width: The widget's content width in cells.
        look: Styles for the row's state.
        time_label: The already formatted time of the last activity.
        query: The active filter, emphasised in the name and number ("" for none).
        is_open: Whether this conversation is the one shown in the message pane.
        is_cursor: Whether the cursor is on this row.
        team: Team mode: who else is replying ("Anna is replying…", shown instead of the
            preview) and who else read it last ("read by Anna 10:42", beside the badge when
            the preview keeps :data:`MIN_PREVIEW` cells); "" for nobody.
        muted: The conversation is muted: "muted" before the time.
        status_words: Our last message's status as a word, not a glyph (ASCII glyphs).

    Returns:
        The title line and the preview line, each exactly ``width`` cells wide, with
        ``{"conversation": row.key}`` in their style meta for mouse hit-testing.
    """
    inner = max(0, width - 2)
    when = Content.styled(time_label, look.time)
    if muted:  # a word, not a bell glyph: the same in every terminal, font and glyph mode
        when = Content.assemble(Content.styled(MUTED_MARK, look.time + _NOTE), " ", when)
    title = _fit_line(_title(row, look, query), when, inner)
    replying, read_by = (one_line(text) for text in team)
    left = (
        Content.styled(replying, look.preview + _NOTE)
        if replying
        else _preview(row, look, words=status_words)
    )
    right = _right_of_preview(row, look)  # "→ Anna" (assigned) and the unread badge
    if read_by and inner - right.cell_length - Content(read_by).cell_length - 2 >= MIN_PREVIEW:
        note = Content.styled(read_by, look.preview + _NOTE)
        right = Content.assemble(note, " ", right) if right.cell_length else note
    preview = _fit_line(left, right, inner)
    bar = Content.styled(_MARKER if is_open else " ", look.marker)
    arrow = Content.styled(CURSOR_MARKER, look.cursor_marker) if is_cursor else bar
    meta = {"conversation": row.key}
    strips: list[Strip] = []
    for marker, line in ((arrow, title), (bar, preview)):
        content = Content.assemble(marker, line, " ")
        strip = Strip(content.render_segments(look.base), content.cell_length)
        strips.append(
            strip.adjust_cell_length(width, look.base.rich_style).apply_meta(meta).simplify()
        )
    return strips[0], strips[1]


def note_strip(text: str, *, base: Style, style: Style, width: int, center: bool) -> Strip:
    """One line of plain text (the loading row or the empty state) at exactly ``width`` cells.

    Args:
        text: Plain text, shown literally on one line.
        base: The widget's style, for the padding.
        style: The text's style.
        width: The content width in cells.
        center: Centre the text; otherwise indent it past the marker column.

    Returns:
        The strip.
    """
    content = Content.styled(one_line(text), style).truncate(max(0, width - 2), ellipsis=True)
    pad = max(0, (width - content.cell_length) // 2) if center else 1
    strip = Strip(content.render_segments(base), content.cell_length)
    return Strip.join([Strip.blank(pad, base.rich_style), strip]).adjust_cell_length(
        width, base.rich_style
    )
