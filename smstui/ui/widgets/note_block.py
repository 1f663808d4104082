"""Drawing an operator's internal note among the messages: centred, dim italic, no bubble.

A note (team mode, never sent) is a thread item whose key starts ``note:``
(:func:`~smstui.ui.widgets.wrap.is_team_note`); its ``sender`` is the operator who wrote it. It
is drawn as a centred block that cannot be mistaken for a message::

    📝 Anna · 10:42 (internal)
       Called her back, she wants Friday

The height is :func:`~smstui.ui.widgets.wrap.message_height`'s, like every other block; the
text goes into segments directly (never markup).
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip

from smstui.domain.delivery import StatusLook
from smstui.domain.models import Message
from smstui.domain.timefmt import bubble_time
from smstui.ui.widgets.bubbles import DAY_RULE, INBOUND_BAR, PaneLook, centred_strip
from smstui.ui.widgets.wrap import EDGE, is_team_note, note_lines, text_width_for

__all__ = ["NOTE_ICON", "build_note_block", "is_team_note", "note_header"]

NOTE_ICON = "📝"


def note_header(message: Message) -> str:
    """The note's first line: who wrote it, when, and that it is internal."""
    who = " ".join(message.sender.split()) or "operator"
    return f"{NOTE_ICON} {who} · {bubble_time(message.timestamp)} (internal)"


def build_note_block(
    message: Message,
    *,
    width: int,
    separator: str | None,
    cursor: bool,
    look: PaneLook,
    status: StatusLook | None = None,
    divider: bool = False,
    note: str = "",
) -> list[Strip]:
    """Draw one internal note: optional day separator, its header and text, a gap line.

    Takes :func:`~smstui.ui.widgets.bubbles.build_block`'s arguments (``status``, ``divider`` and
    ``note`` do not apply to a note and are ignored). Rows carry ``{"message_key": key}`` meta.
    """
    base = look.base
    strips: list[Strip] = []
    if separator is not None:
        strips.append(centred_strip(f"{DAY_RULE} {separator} {DAY_RULE}", width, look.day, base))
    inner = max(1, width - 2 * EDGE)
    lines = [note_header(message), *note_lines(message.text, text_width_for(width))]
    meta = {"message_key": message.key}
    for line in lines:
        body = centred_strip(line, inner, look.team_note, base)
        edge = Segment(INBOUND_BAR if cursor else " " * EDGE, look.bar if cursor else base)
        row = Strip.join([Strip([edge], EDGE), body, Strip.blank(width - inner - EDGE, base)])
        strips.append(row.crop_extend(0, width, base).apply_meta(meta))
    strips.append(Strip.blank(width, base))
    return strips
