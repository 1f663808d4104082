"""The text of the composer's one-line meter, built as :class:`~textual.content.Content`.

Kept apart from the widget so the wording can be read (and tested) on its own. Nothing here
parses markup: sender, recipient and reason may come from the network or the config, and the
draft is whatever the user pasted. They are cleaned with :func:`smstui.domain.sanitize.clean_line`
and
placed in plain Content with explicit style spans.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from textual.content import Content

from smstui.domain.accents import AccentSaving
from smstui.domain.sanitize import clean_line
from smstui.domain.segments import UCS2, SegmentInfo

__all__ = [
    "ERROR_STYLE",
    "WARNING_STYLE",
    "accent_hint",
    "address_content",
    "blanks_reason",
    "describe_character",
    "describe_position",
    "meter_content",
    "reason_content",
]

ERROR_STYLE = "$text-error"
WARNING_STYLE = "$text-warning"
BUSY_STYLE = "$text-accent"
SEPARATOR = " · "


def describe_character(char: str) -> str:
    """Name a character for the meter: quoted when it is visible, ``U+XXXX`` when it is not.

    Invisible, combining, control and space-like characters (a no-break space, a zero-width
    joiner, U+FE0F) would show as nothing between the quotes, so they get their code point.

    Args:
        char: One character.
    """
    if unicodedata.category(char)[0] in "CZM":
        return f"U+{ord(char):04X}"
    return f"“{char}”"


def describe_position(text: str, index: int) -> str:
    """Return where ``index`` is in ``text`` as ``col 14`` or ``line 2, col 3`` (1-based).

    Args:
        text: The draft.
        index: A character index in it.
    """
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    if line == 0:
        return f"col {column}"
    return f"line {line + 1}, col {column}"


def address_content(recipient: str, sender: str) -> Content:
    """Return ``to <recipient> from <sender>``, leaving out the parts that are unknown.

    Args:
        recipient: Who the reply goes to, already formatted for display ("" to omit).
        sender: The number or name it is sent from, formatted for display ("" to omit).
    """
    parts: list[str] = []
    recipient, sender = clean_line(recipient), clean_line(sender)
    if recipient:
        parts.append(f"to {recipient}")
    if sender:
        parts.append(f"from {sender}")
    return Content(" ".join(parts))


def _why_unicode(text: str, info: SegmentInfo) -> str:
    if info.encoding != UCS2 or info.first_non_gsm is None:
        return info.encoding
    index = info.first_non_gsm
    return (
        f"{info.encoding} because of {describe_character(text[index])} "
        f"({describe_position(text, index)})"
    )


def meter_content(
    text: str, info: SegmentInfo, *, sending: bool = False, asking: bool = False
) -> Content:
    """Return the counting part of the meter line.

    ``143/160 · 1 part · GSM-7``; ``80/134 · 2 parts · UCS-2 because of “ą” (col 14)``. The
    parts are in the error colour when the draft is too long and in the warning colour when
    the gateway may refuse it; :func:`reason_content` says why, on a line of its own.

    The capacity after the slash is what fits in the parts used so far: 160 or 70 for one part,
    then the sum of the parts (a two-unit character is never split, so it can be a little less).

    Args:
        text: The draft, for naming the character that forced UCS-2.
        info: :func:`smstui.domain.segments.analyse` of the draft.
        sending: True while a send is in flight.
        asking: True while the question about its parts waits for an answer.
    """
    pieces: list[str | tuple[str, str]] = []
    if asking:
        pieces += [("Send? y/n", BUSY_STYLE), SEPARATOR]
    elif sending:
        pieces += [("Sending…", BUSY_STYLE), SEPARATOR]
    capacity = info.units + info.remaining_in_part
    parts = f"{info.parts} {'part' if info.parts == 1 else 'parts'}"
    style = ERROR_STYLE if info.too_long else WARNING_STYLE if info.warning else ""
    pieces += [f"{info.units}/{capacity}{SEPARATOR}", (parts, style) if style else parts]
    pieces += [SEPARATOR, _why_unicode(text, info)]
    return Content.assemble(*pieces)


def reason_content(info: SegmentInfo) -> Content:
    """Return the line under the meter: why the draft is never sent, or why Enter asks first.

    ``Cannot be sent: 14,926 parts (1,000,000 characters), over hard_max_parts = 10; …`` in the
    error colour; ``46 parts, over max_parts = 3: charged as 46 messages; Enter asks before
    sending`` in the warning colour; "" for neither.

    Args:
        info: :func:`smstui.domain.segments.analyse` of the draft.
    """
    if info.too_long:
        return Content.styled(info.limit_reason, ERROR_STYLE)
    if info.warning:
        return Content.styled(info.warning, WARNING_STYLE)
    return Content("")


def blanks_reason(blanks: Sequence[str]) -> str:
    """Why a draft with template blanks left unfilled is not sent ("" when there are none).

    Args:
        blanks: The variable names still in the draft as ``{name}``.
    """
    if not blanks:
        return ""
    names = ", ".join(f"{{{name}}}" for name in blanks)
    return f"Fill in {names} first: Enter does not send a template with blanks"


def accent_hint(saving: AccentSaving | None, key: str) -> Content | None:
    """Offer removing accents: ``UCS-2 · 2 parts → GSM-7 · 1 part with accents removed: Ctrl+R``.

    Args:
        saving: What removing them would save (None: nothing, no hint).
        key: The key that does it, readable.
    """
    if saving is None:
        return None
    return Content.styled(f"{saving.describe()} with accents removed: {key}", WARNING_STYLE)
