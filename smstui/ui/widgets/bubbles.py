"""Drawing message bubbles for the message pane: resolved styles and finished strips.

:func:`build_block` turns one message into the full-width strips of its block: an optional
day separator, the bubble (body, attachments, meta line) and a blank gap line. Every visible
string goes into :class:`rich.segment.Segment` objects directly: message text is never parsed
as markup, so ``[@click=app.quit]`` stays literal text. Line breaking comes from
:mod:`smstui.ui.widgets.wrap`, the same functions the pane measures heights with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.color import Color, ColorType
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from smstui.domain.delivery import StatusLook, Tone
from smstui.domain.models import Message
from smstui.domain.timefmt import bubble_time
from smstui.store.opt_outs import is_opt_out_request
from smstui.ui.widgets.wrap import (
    EDGE,
    SIDE_PADDING,
    attachment_label,
    body_lines,
    text_width_for,
    truncate_cells,
    wrap_text,
)

__all__ = [
    "PANE_COMPONENT_CLASSES",
    "PANE_CSS",
    "BubbleLook",
    "PaneLook",
    "build_block",
    "centred_strip",
    "resolve_look",
]

INBOUND_BAR = "▌"
OUTBOUND_BAR = "▐"
DAY_RULE = "────"
NEW_MESSAGES = "New messages"
OPT_OUT_MARK = "opt-out request"
"""The line under a received STOP-like reply (the pane's ``x`` puts the number on the list)."""

PANE_COMPONENT_CLASSES = {
    "message-pane--inbound",
    "message-pane--outbound",
    "message-pane--inbound-cursor",
    "message-pane--outbound-cursor",
    "message-pane--cursor",
    "message-pane--meta",
    "message-pane--outbound-meta",
    "message-pane--attachment",
    "message-pane--status-ok",
    "message-pane--status-warn",
    "message-pane--status-error",
    "message-pane--day",
    "message-pane--divider",
    "message-pane--loading",
    "message-pane--start",
    "message-pane--placeholder",
    "message-pane--pending",
    "message-pane--team-note",
}
"""The message pane's component classes: every style :func:`resolve_look` reads."""

PANE_CSS = """
MessagePane {
    overflow-x: hidden;
    overflow-y: scroll;
    scrollbar-gutter: stable;
    scrollbar-size-vertical: 1;
    & > .message-pane--inbound { background: $panel; color: $foreground; }
    & > .message-pane--outbound { background: $primary 30%; color: $text; }
    & > .message-pane--inbound-cursor { background: $panel-lighten-2; }
    & > .message-pane--outbound-cursor { background: $primary 55%; color: $text; }
    & > .message-pane--cursor { color: $accent; }
    & > .message-pane--meta { color: $text-muted; }
    & > .message-pane--attachment { color: $text-accent; }
    & > .message-pane--status-ok { color: $text-success; }
    & > .message-pane--status-warn { color: $text-warning; }
    & > .message-pane--status-error { color: $text-error; text-style: bold; }
    & > .message-pane--day { color: $text-muted; }
    & > .message-pane--divider { color: $text-accent; text-style: bold; }
    & > .message-pane--loading { color: $text-muted; text-style: italic; }
    & > .message-pane--start { color: $text-muted; text-style: italic; }
    & > .message-pane--placeholder { color: $text-muted; }
    & > .message-pane--pending { background: $accent; color: $text; text-style: bold; }
    & > .message-pane--team-note { color: $text-warning; text-style: italic dim; }
    &:blur {
        & > .message-pane--inbound-cursor { background: $panel-lighten-1; }
        & > .message-pane--outbound-cursor { background: $primary 40%; }
        & > .message-pane--cursor { color: $accent 50%; }
    }
    /* 16 colours (an ansi theme): theirs plain on the terminal's background, ours white on
       blue; only the eight backgrounds every console has, each with its own text colour. */
    &:ansi {
        & > .message-pane--inbound { background: ansi_default; color: ansi_default; }
        & > .message-pane--outbound { background: ansi_blue; color: ansi_bright_white; }
        & > .message-pane--inbound-cursor { background: ansi_default; text-style: bold; }
        & > .message-pane--outbound-cursor {
            background: ansi_blue;
            color: ansi_bright_white;
            text-style: bold;
        }
        & > .message-pane--meta { color: ansi_default; text-style: none; }
        & > .message-pane--outbound-meta { color: ansi_white; }
        & > .message-pane--attachment { color: ansi_default; text-style: underline; }
        & > .message-pane--status-ok { color: ansi_bright_green; }
        & > .message-pane--status-warn { color: ansi_bright_yellow; }
        & > .message-pane--pending { background: ansi_cyan; color: ansi_black; }
        /* Red text is unreadable on our blue: white on red (5.8:1 on any terminal). */
        & > .message-pane--status-error { background: ansi_red; color: ansi_bright_white; }
    }
}
"""
"""The message pane's DEFAULT_CSS: theme variables only."""


# Looks ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BubbleLook:
    """Resolved Rich styles for one kind of bubble (direction × cursor)."""

    bubble: Style
    meta: Style
    attachment: Style
    tones: dict[Tone, Style]


@dataclass(frozen=True, slots=True)
class PaneLook:
    """Every Rich style the pane draws with, resolved once per style generation."""

    base: Style
    day: Style
    divider: Style
    bar: Style
    loading: Style
    start: Style
    placeholder: Style
    pending: Style
    team_note: Style
    """An operator's internal note (team mode): never a bubble."""
    inbound: BubbleLook
    inbound_cursor: BubbleLook
    outbound: BubbleLook
    outbound_cursor: BubbleLook

    def bubble_look(self, outbound: bool, cursor: bool) -> BubbleLook:
        """Pick the look for a bubble."""
        if outbound:
            return self.outbound_cursor if cursor else self.outbound
        return self.inbound_cursor if cursor else self.inbound


def _is_default(colour: Color | None) -> bool:
    """Whether a colour is the terminal's own (``ansi_default``, or none at all)."""
    return colour is None or colour.type == ColorType.DEFAULT


def resolve_look(style: Callable[..., Style]) -> PaneLook:
    """Resolve every style the pane needs from its component classes.

    Args:
        style: Returns the Rich style for a combination of component classes (the widget's
            own style when called with none), e.g. ``widget.get_visual_style(...).rich_style``.

    Returns:
        The look, to be cached until the styles change.
    """

    def bubble(direction: str, cursor: bool) -> BubbleLook:
        classes = [f"message-pane--{direction}"]
        if cursor:
            classes.append(f"message-pane--{direction}-cursor")
        body = style(*classes)
        # 16 colours: a part in the terminal's own foreground is black on our blue on a light
        # terminal; on a coloured bubble it takes the bubble's text colour instead.
        on_colour = not _is_default(body.color) and not _is_default(body.bgcolor)

        def part(*names: str) -> Style:
            found = style(*classes, *names)
            return (
                found + Style(color=body.color) if on_colour and _is_default(found.color) else found
            )

        # Ours may need another time colour on their own background (16-colour themes).
        own = ("message-pane--outbound-meta",) if direction == "outbound" else ()
        meta = part("message-pane--meta", *own)
        return BubbleLook(
            bubble=body,
            meta=meta,
            attachment=part("message-pane--attachment"),
            tones={
                "pending": meta,
                "muted": meta,
                "ok": part("message-pane--status-ok"),
                "warn": part("message-pane--status-warn"),
                "error": part("message-pane--status-error"),
            },
        )

    return PaneLook(
        base=style(),
        day=style("message-pane--day"),
        divider=style("message-pane--divider"),
        bar=style("message-pane--cursor"),
        loading=style("message-pane--loading"),
        start=style("message-pane--start"),
        placeholder=style("message-pane--placeholder"),
        pending=style("message-pane--pending"),
        team_note=style("message-pane--team-note"),
        inbound=bubble("inbound", False),
        inbound_cursor=bubble("inbound", True),
        outbound=bubble("outbound", False),
        outbound_cursor=bubble("outbound", True),
    )


# Strips -----------------------------------------------------------------------------------------


def centred_strip(text: str, width: int, style: Style, base: Style) -> Strip:
    """Return a full-width strip with ``text`` centred (cropped if it does not fit).

    Args:
        text: One line of text.
        width: Strip width in cells.
        style: Style of the text.
        base: Style of the blank around it.

    Returns:
        A strip exactly ``width`` cells long.
    """
    text = truncate_cells(text, width)
    cells = cell_len(text)
    left = (width - cells) // 2
    segments = [
        Segment(" " * left, base),
        Segment(text, style),
        Segment(" " * (width - left - cells), base),
    ]
    return Strip([segment for segment in segments if segment.text], width)


def _meta_segments(
    message: Message, status: StatusLook | None, look: BubbleLook, width: int
) -> tuple[list[Segment], int]:
    """The time and (outbound) status of a bubble, cropped to ``width`` cells."""
    time_text = bubble_time(message.timestamp)
    if status is None or not status.word:
        text = truncate_cells(time_text, width)
        return [Segment(text, look.meta)], cell_len(text)
    status_text = f"{status.glyph} {status.word}" if status.glyph else status.word
    full = f"{time_text}  {status_text}"
    if cell_len(full) > width:
        # Too narrow for both: the status matters more than the time.
        text = truncate_cells(status_text, width)
        return [Segment(text, look.tones[status.tone])], cell_len(text)
    return [
        Segment(f"{time_text}  ", look.meta),
        Segment(status_text, look.tones[status.tone]),
    ], cell_len(full)


def build_block(
    message: Message,
    *,
    width: int,
    separator: str | None,
    cursor: bool,
    status: StatusLook | None,
    look: PaneLook,
    divider: bool = False,
    note: str = "",
) -> list[Strip]:
    """Draw one message: optional day separator, the bubble rows, and a blank gap line.

    Bubbles hug their text (up to :func:`text_width_for`); inbound ones sit on the left,
    outbound on the right; the cursor bar sits in the outer edge column. Bubble rows carry
    ``{"message_key": key}`` meta so a click can tell which message it hit.

    Args:
        message: The message.
        width: The pane's content width in cells.
        separator: The day label to draw above the bubble, or None.
        cursor: Whether this message is the highlighted one.
        status: How to show the delivery status (None for inbound messages).
        look: The resolved styles.
        divider: Draw the "New messages" divider above the bubble.
        note: A line of explanation under the meta line (why it failed …), wrapped; "" for none.

    Returns:
        Exactly ``message_height(message, text_width_for(width), separator is not None)``
        strips (with the "opt-out request" line under a STOP-like reply), plus one for the
        divider and one per wrapped note line, each ``width`` cells.
    """
    base = look.base
    bubble_look = look.bubble_look(message.outbound, cursor)
    bubble_style = bubble_look.bubble
    text_width = text_width_for(width)
    strips: list[Strip] = []
    if separator is not None:
        strips.append(centred_strip(f"{DAY_RULE} {separator} {DAY_RULE}", width, look.day, base))
    if divider:
        rule = f"{DAY_RULE} {NEW_MESSAGES} {DAY_RULE}"
        strips.append(centred_strip(rule, width, look.divider, base))

    rows: list[tuple[list[Segment], int]] = []
    has_attachments = bool(message.attachments)
    for line in body_lines(message.text, text_width, has_attachments=has_attachments):
        rows.append(([Segment(line, bubble_style)], cell_len(line)))
    for attachment in message.attachments:
        label = truncate_cells(attachment_label(attachment), text_width)
        rows.append(([Segment(label, bubble_look.attachment)], cell_len(label)))
    meta, meta_cells = _meta_segments(message, status, bubble_look, text_width)
    tone = bubble_look.tones[status.tone] if status is not None else bubble_look.meta
    notes = [([Segment(line, tone)], cell_len(line)) for line in wrap_text(note, text_width)]
    if not note:
        notes = []
    if not message.outbound and is_opt_out_request(message.text):
        mark = truncate_cells(OPT_OUT_MARK, text_width)
        notes.insert(0, ([Segment(mark, bubble_look.tones["warn"])], cell_len(mark)))
    inner = min(text_width, max([meta_cells, *(cells for _, cells in rows + notes)]))
    if message.outbound:
        meta = [Segment(" " * (inner - meta_cells), bubble_style), *meta]  # right-aligned
        meta_cells = inner
    rows.append((meta, meta_cells))
    rows.extend(notes)

    bubble_width = inner + 2 * SIDE_PADDING
    outside = max(0, width - EDGE - bubble_width)
    bar = Segment(OUTBOUND_BAR if message.outbound else INBOUND_BAR, look.bar) if cursor else None
    edge = bar if bar is not None else Segment(" " * EDGE, base)
    pad = Segment(" " * SIDE_PADDING, bubble_style)
    meta_tag = {"message_key": message.key}
    for segments, cells in rows:
        fill = Segment(" " * (inner - cells), bubble_style) if cells < inner else None
        body = [pad, *segments, *([fill] if fill else []), pad]
        blank = Segment(" " * outside, base)
        row = [blank, *body, edge] if message.outbound else [edge, *body, blank]
        strip = Strip([segment for segment in row if segment.text])
        strips.append(strip.crop_extend(0, width, base).apply_meta(meta_tag))
    strips.append(Strip.blank(width, base))
    return strips
