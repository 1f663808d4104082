r"""SMS length arithmetic for the composer's live meter (contract §4.1, DESIGN §11).

Text that fits the GSM 03.38 alphabet is sent as GSM-7: 160 septets in a single message, 153
per part once it is split (each part carries a header). Nine characters live in the extension
table and take two septets (``€ \ [ ] { } ^ ~ |``). Any other character switches the whole
message to UCS-2: 70 UTF-16 code units alone, 67 per part (astral characters such as emoji
take two units). A two-unit pair is never split across parts, so part counts come from
walking the text, not from a division.

The gateway accepts at most 459 counted GSM characters (three parts); for UCS-2 the limit is
undocumented. The meter blocks on parts, not units: more than three parts is too long, which
also catches 459 units that need four parts because a pair was pushed to the next part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "GSM7",
    "GSM_BASIC",
    "GSM_EXTENSION",
    "MAX_PARTS",
    "UCS2",
    "SegmentInfo",
    "analyse",
    "replace_lookalikes",
]

GSM7: Literal["GSM-7"] = "GSM-7"
UCS2: Literal["UCS-2"] = "UCS-2"
Encoding = Literal["GSM-7", "UCS-2"]

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""The GSM 03.38 default alphabet (one septet each; the ESC position is not a character)."""
GSM_EXTENSION = frozenset("€\\[]{}^~|")
"""Characters of the extension table: an escape septet plus one, so two septets each."""

MAX_PARTS = 3
"""The gateway's limit: 459 GSM characters is three parts of 153 (contract §4.1)."""

_GSM_SINGLE, _GSM_PART = 160, 153
_UCS2_SINGLE, _UCS2_PART = 70, 67
_GSM_LIMIT = MAX_PARTS * _GSM_PART  # 459
_UCS2_LIMIT = MAX_PARTS * _UCS2_PART  # 201


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    """What the composer meter shows for a draft."""

    encoding: Encoding
    """``"GSM-7"`` or ``"UCS-2"``."""
    units: int
    """Counted characters: GSM septets (extension characters count 2) or UTF-16 code units."""
    parts: int
    """SMS parts the text needs; 0 for empty text."""
    per_part: int
    """Capacity of a part at the current size: 160/153 (GSM-7) or 70/67 (UCS-2)."""
    remaining_in_part: int
    """Counted characters that still fit in the current (last) part."""
    first_non_gsm: int | None
    """Index in the text of the first character that forced UCS-2, or None for GSM-7."""
    too_long: bool
    """True when sending must be blocked."""
    limit_reason: str
    """Why it is blocked, ready to show; "" when it is not."""


def _first_non_gsm(text: str) -> int | None:
    for index, char in enumerate(text):
        if char not in GSM_BASIC and char not in GSM_EXTENSION:
            return index
    return None


def _fill_parts(costs: list[int], capacity: int) -> tuple[int, int]:
    """Pack unit costs into parts without splitting a pair; return (parts, used in last)."""
    parts, used = 1, 0
    for cost in costs:
        if used + cost > capacity:
            parts += 1
            used = 0
        used += cost
    return parts, used


def _gsm_costs(text: str) -> list[int]:
    return [2 if char in GSM_EXTENSION else 1 for char in text]


def _ucs2_costs(text: str) -> list[int]:
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def _limit_reason(encoding: Encoding, units: int, parts: int, limit: int) -> str:
    """Say why a text that needs more than :data:`MAX_PARTS` parts is blocked."""
    allowed = f"{parts} parts, at most {MAX_PARTS}"
    if units > limit:
        unicode = " in Unicode" if encoding == UCS2 else ""
        return f"Too long: {units} of {limit} characters{unicode} ({allowed})"
    # Few enough units, but two-unit characters pushed to the next part made one more.
    pairs = "characters such as € count 2" if encoding == GSM7 else "emoji count 2"
    return f"Too long: {allowed} ({units} characters; {pairs} and are never split)"


def analyse(text: str) -> SegmentInfo:
    """Count a draft the way the gateway will: encoding, counted length and parts.

    Args:
        text: The message as typed (not yet sanitised or trimmed).

    Returns:
        A :class:`SegmentInfo` for the meter and the send guard.
    """
    first_non_gsm = _first_non_gsm(text)
    if first_non_gsm is None:
        encoding: Encoding = GSM7
        single, per_part_multi, limit = _GSM_SINGLE, _GSM_PART, _GSM_LIMIT
        costs = _gsm_costs(text)
    else:
        encoding = UCS2
        single, per_part_multi, limit = _UCS2_SINGLE, _UCS2_PART, _UCS2_LIMIT
        costs = _ucs2_costs(text)
    units = sum(costs)
    if units == 0:
        parts, per_part, remaining = 0, single, single
    elif units <= single:
        parts, per_part, remaining = 1, single, single - units
    else:
        parts, used = _fill_parts(costs, per_part_multi)
        per_part, remaining = per_part_multi, per_part_multi - used
    # A part can never hold more than its share, so more than three parts is the one limit:
    # it also covers the gateway's 459 counted GSM characters, and it catches texts of 459
    # units or fewer that a real encoder still splits into four parts.
    too_long = parts > MAX_PARTS
    reason = _limit_reason(encoding, units, parts, limit) if too_long else ""
    return SegmentInfo(
        encoding=encoding,
        units=units,
        parts=parts,
        per_part=per_part,
        remaining_in_part=remaining,
        first_non_gsm=first_non_gsm,
        too_long=too_long,
        limit_reason=reason,
    )


_LOOKALIKES: dict[int, str] = {
    **dict.fromkeys(map(ord, "‘’‚‛′‹›`´"), "'"),
    **dict.fromkeys(map(ord, "“”„‟″«»"), '"'),
    **dict.fromkeys(map(ord, "‐‑‒–—―−"), "-"),
    **dict.fromkeys(map(ord, "•‣∙◦●▪"), "*"),
    ord("…"): "...",
    ord("\t"): " ",
    # No-break, typographic and ideographic spaces.
    **dict.fromkeys([0xA0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000], " "),
    # Invisible characters that would force UCS-2 for nothing: ZWSP, word joiner, soft hyphen, BOM.
    **dict.fromkeys([0x200B, 0x2060, 0xAD, 0xFEFF], ""),
}


def replace_lookalikes(text: str) -> str:
    """Replace typographic characters that force UCS-2 by their plain GSM-7 equivalents.

    Curly quotes become ``'`` and ``"``, dashes ``-``, the ellipsis ``...``, bullets ``*``,
    unusual spaces a plain space, and invisible zero-width characters disappear. Letters
    (Polish ``ą``, ``ł`` …) and emoji are left alone: changing them would change the message.

    Args:
        text: The draft.

    Returns:
        The draft with look-alikes replaced.
    """
    return text.translate(_LOOKALIKES)
