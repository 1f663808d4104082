"""Measuring message text in terminal cells: the one word-wrap of message bodies.

:func:`wrap_text` is the *only* wrap of message bodies. The message pane's height pass
(:func:`message_height`) and its renderer (:func:`smstui.ui.widgets.bubbles.build_block`) both go
through it, so a message always occupies exactly the lines that were measured. The height pass
runs over every loaded message once per width, so the common cases are fast: printable ASCII
wraps with C-speed ``str.rfind`` (under 1 µs for a typical message), other text word by word.

Pure: no Textual.
"""

from __future__ import annotations

from rich.cells import cell_len, chop_cells, set_cell_size

from smstui.domain.models import Attachment, Message
from smstui.domain.sanitize import display_text
from smstui.store.opt_outs import is_opt_out_request

__all__ = [
    "TEAM_NOTE_PREFIX",
    "attachment_label",
    "body_height",
    "body_lines",
    "is_note_key",
    "is_team_note",
    "message_height",
    "note_lines",
    "text_width_for",
    "truncate_cells",
    "wrap_text",
]

MIN_WRAP_WIDTH = 2
"""Narrowest wrap width: one wide character (2 cells) must always fit on a line."""
MIN_BUBBLE = 20
"""A bubble may use at least this many cells (when the pane is that wide)."""
BUBBLE_SHARE = 0.75
"""A bubble may use up to this share of the pane's width."""
SIDE_PADDING = 1
"""Cells of tinted padding left and right of the text inside a bubble."""
EDGE = 1
"""The column on the bubble's outer side that holds the cursor bar."""
ATTACHMENT_ICON = "📎"


# Wrapping ---------------------------------------------------------------------------------------


def _wrap_ascii(paragraph: str, width: int, out: list[str]) -> None:
    """Greedy wrap of printable ASCII (one cell per character) using C-speed ``rfind``.

    Gives the same lines as :func:`_wrap_cells` for ASCII input (a test checks this).
    """
    end = len(paragraph)
    pos = 0
    rfind = paragraph.rfind
    append = out.append
    while end - pos > width:
        # The last space at most `width` characters in: the line before it fits.
        cut = rfind(" ", pos, pos + width + 1)
        if cut < 0:
            append(paragraph[pos : pos + width])  # one token longer than the line
            pos += width
        else:
            append(paragraph[pos:cut])  # the space at the break is consumed
            pos = cut + 1
    append(paragraph[pos:])


def _wrap_cells(paragraph: str, width: int, out: list[str]) -> None:
    """Greedy word wrap by terminal cells; tokens wider than a line are hard-broken.

    Hard breaks fall between graphemes (``rich.cells.chop_cells``), so wide characters,
    emoji ZWJ sequences and combining marks are never split.
    """
    append = out.append
    line_start = 0  # index in `paragraph` where the current line starts
    line_cells = -1  # cells used by the current line; -1 while it holds no token
    pos = 0  # index of the current token
    for token in paragraph.split(" "):
        cells = len(token) if token.isascii() else cell_len(token)
        if line_cells >= 0 and line_cells + 1 + cells <= width:
            line_cells += 1 + cells
        else:
            if line_cells >= 0:
                append(paragraph[line_start : pos - 1])
            line_start = pos
            line_cells = cells
            if cells > width:
                chunks = [chunk for chunk in chop_cells(token, width) if chunk]
                for chunk in chunks[:-1]:
                    append(chunk)
                last = chunks[-1]
                line_start = pos + len(token) - len(last)
                line_cells = cell_len(last)
        pos += len(token) + 1
    append(paragraph[line_start:])


def wrap_text(text: str, width: int) -> list[str]:
    """Wrap a message body into lines of at most ``width`` terminal cells.

    Greedy word wrap on spaces (the space at a break is dropped); explicit newlines are kept;
    a token wider than the line is broken between graphemes, so wide characters are never
    split. Joined emoji are taken apart first (:func:`smstui.domain.sanitize.display_text`). Leading
    and trailing newlines are dropped. This is the one wrap function used both to measure and
    to draw a message.

    Args:
        text: Sanitised message text (no control characters but newlines).
        width: Available cells; values under 2 are treated as 2.

    Returns:
        At least one line (``[""]`` for empty text).
    """
    width = max(MIN_WRAP_WIDTH, width)
    text = display_text(text)  # joined emoji apart: measured as the terminal draws them
    if "\n" in text:
        text = text.strip("\n")
    elif len(text) <= width and text.isascii():
        return [text]
    lines: list[str] = []
    wrap = _wrap_ascii if text.isascii() else _wrap_cells
    for paragraph in text.split("\n"):
        wrap(paragraph, width, lines)
    return lines


def body_lines(text: str, width: int, *, has_attachments: bool) -> list[str]:
    """Return the wrapped body of a message; none when it is only attachments.

    Args:
        text: The message text.
        width: Wrap width in cells.
        has_attachments: Whether the message carries attachments.

    Returns:
        The lines of the body (``[""]`` for an empty message without attachments).
    """
    if has_attachments and not text.strip():
        return []
    return wrap_text(text, width)


def body_height(text: str, width: int, *, has_attachments: bool) -> int:
    """Return ``len(body_lines(...))`` without building lines for short ASCII messages.

    Args:
        text: The message text.
        width: Wrap width in cells.
        has_attachments: Whether the message carries attachments.

    Returns:
        The number of body lines.
    """
    if len(text) <= width and text.isascii() and "\n" not in text:
        # The common short message: one line, or none if it is blank beside attachments.
        return 0 if has_attachments and not text.strip() else 1
    return len(body_lines(text, width, has_attachments=has_attachments))


def text_width_for(width: int) -> int:
    """Return the wrap width of message bodies in a pane ``width`` cells wide.

    Args:
        width: The pane's content width in cells.

    Returns:
        Cells available for text inside the widest bubble.
    """
    bubble = min(width - EDGE, max(MIN_BUBBLE, int(width * BUBBLE_SHARE)))
    return max(MIN_WRAP_WIDTH, bubble - 2 * SIDE_PADDING)


def message_height(message: Message, text_width: int, separator: int) -> int:
    """Return how many lines a message's block occupies.

    Args:
        message: The message.
        text_width: Wrap width from :func:`text_width_for`.
        separator: 1 (or True) when a day separator sits above it.

    Returns:
        Separator + body + one line per attachment + meta line + gap, and the "opt-out
        request" line under a received STOP-like reply.
    """
    if is_team_note(message):
        return separator + 1 + len(note_lines(message.text, text_width)) + 1
    attachments = len(message.attachments)
    body = body_height(message.text, text_width, has_attachments=attachments > 0)
    mark = 0 if message.outbound else int(is_opt_out_request(message.text))
    return separator + body + attachments + 2 + mark


TEAM_NOTE_PREFIX = "note:"
"""The key prefix of a team's internal note shown among the messages (never a gateway key:
those start ``id:``, ``h:`` or ``local:``)."""


def is_team_note(message: Message) -> bool:
    """Whether a thread item is an operator's internal note (drawn unlike a message)."""
    return is_note_key(message.key)


def is_note_key(key: str) -> bool:
    """Whether a thread item's key is an internal note's."""
    return key.startswith(TEAM_NOTE_PREFIX)


def note_lines(text: str, text_width: int) -> list[str]:
    """The wrapped lines of an internal note's text (at least one)."""
    return wrap_text(text, text_width) or [""]


# Text pieces ------------------------------------------------------------------------------------


def truncate_cells(text: str, width: int) -> str:
    """Crop text to ``width`` cells, ending in ``…`` when something was cut; joined emoji apart.

    Args:
        text: One line of text.
        width: Maximum cells.

    Returns:
        Text of at most ``width`` cells as drawn (:func:`smstui.domain.sanitize.display_text`).
    """
    if width <= 0:
        return ""
    text = display_text(text)
    if cell_len(text) <= width:
        return text
    cropped = set_cell_size(text, width - 1).rstrip()
    return cropped + "…"


def attachment_label(attachment: Attachment) -> str:
    """Return ``"📎 name · type"`` for an attachment line (``image/*`` reads ``image``).

    Args:
        attachment: The attachment.

    Returns:
        One line of text (not yet cropped).
    """
    mime = " ".join(attachment.mime.split())
    kind = "image" if mime.lower().startswith("image/") else mime
    name = " ".join(display_text(attachment.name).split()) or "attachment"
    return f"{ATTACHMENT_ICON} {name} · {kind}" if kind else f"{ATTACHMENT_ICON} {name}"
