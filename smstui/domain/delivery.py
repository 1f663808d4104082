"""How a delivery status looks on a message bubble: a glyph, a word and a tone.

The gateway reports ``deliveryStatus`` strings (contract §6: ``SUBMITTED``, ``BUFFERED``,
``DELIVERED``, ``NOT DELIVERED``, ``REJECTED``, ``UNKNOWN``, sometimes empty) and the app adds
its own states for a message it is sending (``SENDING``, ``FAILED``, ``OUTCOME UNKNOWN``,
``DRY RUN``). This module turns any of them into something short a person can read at a
glance. The *tone* names a colour role (the widgets map it to a component class); it never
names a colour.

Pure: no Textual, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from smstui.domain.sanitize import clean_line

__all__ = ["StatusLook", "Tone", "describe_status", "is_final"]

Tone = Literal["pending", "ok", "warn", "error", "muted"]

_MAX_WORD = 24
"""Unrecognised statuses are shown verbatim, but a hostile gateway cannot fill the bubble."""


@dataclass(frozen=True, slots=True)
class StatusLook:
    """What a status looks like on screen."""

    glyph: str
    """One short symbol (``✓``, ``✓✓``, ``✗`` …); ``""`` when there is nothing to show."""
    word: str
    """A lower-case word or two (``"delivered"``); ``""`` when there is nothing to show."""
    tone: Tone
    """The colour role: ``pending``, ``ok``, ``warn``, ``error`` or ``muted``."""


_KNOWN: dict[str, StatusLook] = {
    "SUBMITTED": StatusLook("✓", "sent", "pending"),
    "BUFFERED": StatusLook("◷", "buffered", "warn"),
    "DELIVERED": StatusLook("✓✓", "delivered", "ok"),
    "NOT DELIVERED": StatusLook("✗", "not delivered", "error"),
    "REJECTED": StatusLook("⊘", "rejected", "error"),
    "UNKNOWN": StatusLook("?", "unknown", "muted"),
    # States the app gives a message it is sending itself.
    "SENDING": StatusLook("…", "sending", "pending"),
    "FAILED": StatusLook("!", "failed", "error"),
    "OUTCOME UNKNOWN": StatusLook("?", "not confirmed", "warn"),
    "DRY RUN": StatusLook("○", "dry run", "muted"),
}

_FINAL = frozenset({"DELIVERED", "NOT DELIVERED", "REJECTED", "FAILED", "DRY RUN"})

_EMPTY = StatusLook("", "", "muted")


def _normalise(status: str) -> str:
    """Upper-case, one space between words; ``NOT_DELIVERED`` and ``not-delivered`` match too."""
    return " ".join(status.replace("_", " ").replace("-", " ").upper().split())


def describe_status(status: str) -> StatusLook:
    """Return the glyph, word and tone for a delivery status.

    Matching is case-insensitive and tolerant of ``_``/``-`` between words. An empty status
    (inbound messages, or an outbound one the gateway has not reported on) has no glyph and no
    word. A status this module does not know is shown verbatim (cleaned, one line, at most 24
    characters) after a ``?``, in the muted tone.

    Args:
        status: The status string from the gateway or the app.

    Returns:
        How to show it.
    """
    key = _normalise(status)
    if not key:
        return _EMPTY
    known = _KNOWN.get(key)
    if known is not None:
        return known
    word = clean_line(status)
    if len(word) > _MAX_WORD:
        word = word[: _MAX_WORD - 1] + "…"
    return StatusLook("?", word, "muted")


def is_final(status: str) -> bool:
    """Tell whether a status will not change any more (delivered, or definitely failed).

    Args:
        status: The status string from the gateway or the app.

    Returns:
        True for ``DELIVERED``, ``NOT DELIVERED``, ``REJECTED``, ``FAILED`` and ``DRY RUN``
        (a simulated send that will never change); False for
        states still in flight, for ``UNKNOWN``/``OUTCOME UNKNOWN``, for ``""`` and for
        statuses this module does not know.
    """
    return _normalise(status) in _FINAL
