r"""SMS length arithmetic for the composer's live meter (contract §4.1, DESIGN §11).

Text that fits the GSM 03.38 alphabet is sent as GSM-7: 160 septets in a single message, 153
per part once it is split (each part carries a header). Nine characters live in the extension
table and take two septets (``€ \ [ ] { } ^ ~ |``). Any other character switches the whole
message to UCS-2: 70 UTF-16 code units alone, 67 per part (astral characters such as emoji
take two units). A two-unit pair is never split across parts, so part counts come from
walking the text, not from a division.

Parts are what is charged: every part is billed as one message. Two settings guard the cost,
in either encoding. Over ``max_parts`` (three by default: the gateway's documented 459 GSM
characters) the text is not sent on Enter alone: the app asks first, naming the parts, and
``smstui send`` needs ``--allow-parts``. Over ``hard_max_parts`` (ten by default) nothing sends
it, whatever the key or option: a 1 MB paste is thousands of parts. Between the two the gateway
decides (its Unicode limit is undocumented, contract §4.1; a refusal comes back as the failed
bubble's reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "GSM7",
    "GSM_BASIC",
    "GSM_EXTENSION",
    "HARD_MAX_PARTS",
    "MAX_PARTS",
    "PARTS_CEILING",
    "UCS2",
    "SegmentInfo",
    "analyse",
    "limits_problem",
    "parts_problem",
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
The default of the ``max_parts`` setting: more parts are sent only once the user agrees."""

HARD_MAX_PARTS = 10
"""The default of the ``hard_max_parts`` setting: more parts are never sent."""

PARTS_CEILING = 255
"""The most parts a concatenated SMS can have (its header counts parts in one byte): the
highest value either setting accepts."""

_GSM_SINGLE, _GSM_PART = 160, 153
_UCS2_SINGLE, _UCS2_PART = 70, 67


def parts_problem(value: int) -> str:
    """Why ``value`` cannot be ``max_parts`` or ``hard_max_parts`` ("" when it can)."""
    return "" if 1 <= value <= PARTS_CEILING else f"must be from 1 to 255 (got {value})"


def limits_problem(max_parts: int | None, hard_max_parts: int | None) -> str:
    """Why the two settings do not go together ("" when they do): the ceiling is never lower.

    Args:
        max_parts: The ``max_parts`` setting (None: the default).
        hard_max_parts: The ``hard_max_parts`` setting (None: the default).
    """
    max_parts = MAX_PARTS if max_parts is None else max_parts
    hard_max_parts = HARD_MAX_PARTS if hard_max_parts is None else hard_max_parts
    if hard_max_parts >= max_parts:
        return ""
    return (
        f'"sending.hard_max_parts" ({hard_max_parts}) must be at least "sending.max_parts" '
        f"({max_parts}); raise hard_max_parts or lower max_parts"
    )


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
    """True when nothing may send it: more than ``hard_max_parts`` parts."""
    limit_reason: str
    """Why it is never sent, ready to show; "" when it may be."""
    warning: str = ""
    """Why Enter asks before sending it (more than ``max_parts`` parts, at most
    ``hard_max_parts``), ready to show; "" otherwise."""
    max_parts: int = MAX_PARTS
    """The ``max_parts`` the text was measured against."""
    hard_max_parts: int = HARD_MAX_PARTS
    """The ``hard_max_parts`` the text was measured against."""

    @property
    def needs_confirmation(self) -> bool:
        """True when it may be sent only once the user agreed to the parts it costs."""
        return self.parts > self.max_parts and not self.too_long


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


def _limit_reason(units: int, parts: int, hard_max_parts: int) -> str:
    """Say why text over ``hard_max_parts`` is never sent, and how to allow more."""
    return (
        f"Cannot be sent: {parts:,} parts ({units:,} characters), over hard_max_parts = "
        f"{hard_max_parts}; raise hard_max_parts under [sending] in the config to allow more"
    )


def _confirm_warning(parts: int, max_parts: int) -> str:
    """Say why Enter asks before sending text over ``max_parts`` (it may be sent)."""
    return (
        f"{parts} parts, over max_parts = {max_parts}: charged as {parts} messages; "
        "Enter asks before sending"
    )


def analyse(
    text: str, max_parts: int = MAX_PARTS, hard_max_parts: int = HARD_MAX_PARTS
) -> SegmentInfo:
    """Count a draft the way the gateway will: encoding, counted length and parts.

    Args:
        text: The message as typed (not yet sanitised or trimmed).
        max_parts: The most parts sent without asking (the ``max_parts`` setting).
        hard_max_parts: The most parts ever sent (the ``hard_max_parts`` setting).

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
    # The number of parts is what is charged, so it is the one measure: a part never holds
    # more than its share, and texts of 459 GSM units that still need four parts (a two-unit
    # character pushed on) count as four.
    too_long = parts > hard_max_parts
    reason = _limit_reason(units, parts, hard_max_parts) if too_long else ""
    ask = parts > max_parts and not too_long
    warning = _confirm_warning(parts, max_parts) if ask else ""
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
        max_parts=max_parts,
        hard_max_parts=hard_max_parts,
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
