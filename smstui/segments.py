r"""SMS length arithmetic for the composer's live meter (contract §4.1, DESIGN §11).

Text that fits the GSM 03.38 alphabet is sent as GSM-7: 160 septets in a single message, 153
per part once it is split (each part carries a header). Nine characters live in the extension
table and take two septets (``€ \ [ ] { } ^ ~ |``). Any other character switches the whole
message to UCS-2: 70 UTF-16 code units alone, 67 per part (astral characters such as emoji
take two units). A two-unit pair is never split across parts, so part counts come from
walking the text, not from a division.

The gateway accepts at most 459 counted GSM characters (three parts); for UCS-2 the limit is
undocumented (contract §4.1). The limit is counted in parts, ``max_parts`` (a setting, three by
default): GSM-7 text that needs more is blocked, which also catches 459 units that need four
parts because a pair was pushed to the next part. UCS-2 text that needs more only gets a
warning and may be sent: the contract says the client should warn and let the gateway decide,
and blocking there would stop a 264-character Polish text the gateway may well take (a refusal
comes back as the failed bubble's reason).
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
"""The gateway's documented limit: 459 GSM characters is three parts of 153 (contract §4.1).
The default of the ``max_parts`` setting."""

_GSM_SINGLE, _GSM_PART = 160, 153
_UCS2_SINGLE, _UCS2_PART = 70, 67


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
    """True when sending must be blocked (GSM-7 text in more than ``max_parts`` parts)."""
    limit_reason: str
    """Why it is blocked, ready to show; "" when it is not."""
    warning: str = ""
    """Why the gateway may refuse it though it may be sent (UCS-2 text in more than
    ``max_parts`` parts), ready to show; "" otherwise."""


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


def _limit_reason(units: int, parts: int, max_parts: int) -> str:
    """Say why GSM-7 text that needs more than ``max_parts`` parts is blocked."""
    limit = _GSM_SINGLE if max_parts == 1 else max_parts * _GSM_PART
    allowed = f"{parts} parts, at most {max_parts}"
    if units > limit:
        return f"Too long: {units} of {limit} characters ({allowed})"
    # Few enough units, but two-unit characters pushed to the next part made one more.
    return (
        f"Too long: {allowed} ({units} characters; characters such as € count 2 "
        "and are never split)"
    )


def _unicode_warning(parts: int, max_parts: int) -> str:
    """Say why UCS-2 text in more than ``max_parts`` parts may be refused (it may be sent)."""
    return (
        f"{parts} parts, over {max_parts}: Enter sends it, but the gateway may refuse it "
        "(its Unicode limit is not documented)"
    )


def analyse(text: str, max_parts: int = MAX_PARTS) -> SegmentInfo:
    """Count a draft the way the gateway will: encoding, counted length and parts.

    Args:
        text: The message as typed (not yet sanitised or trimmed).
        max_parts: The most parts a message may need (the ``max_parts`` setting): more
            blocks GSM-7 text and warns about UCS-2 text.

    Returns:
        A :class:`SegmentInfo` for the meter and the send guard.
    """
    first_non_gsm = _first_non_gsm(text)
    if first_non_gsm is None:
        encoding: Encoding = GSM7
        single, per_part_multi = _GSM_SINGLE, _GSM_PART
        costs = _gsm_costs(text)
    else:
        encoding = UCS2
        single, per_part_multi = _UCS2_SINGLE, _UCS2_PART
        costs = _ucs2_costs(text)
    units = sum(costs)
    if units == 0:
        parts, per_part, remaining = 0, single, single
    elif units <= single:
        parts, per_part, remaining = 1, single, single - units
    else:
        parts, used = _fill_parts(costs, per_part_multi)
        per_part, remaining = per_part_multi, per_part_multi - used
    # A part can never hold more than its share, so the number of parts is the one limit: it
    # also covers the gateway's 459 counted GSM characters, and it catches texts of 459 units
    # or fewer that a real encoder still splits into four parts.
    over = parts > max_parts
    too_long = over and encoding == GSM7
    reason = _limit_reason(units, parts, max_parts) if too_long else ""
    warning = _unicode_warning(parts, max_parts) if over and encoding == UCS2 else ""
    return SegmentInfo(
        encoding=encoding,
        units=units,
        parts=parts,
        per_part=per_part,
        remaining_in_part=remaining,
        first_non_gsm=first_non_gsm,
        too_long=too_long,
        limit_reason=reason,
        warning=warning,
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
