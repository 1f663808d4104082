"""What the gateway sent that could not be used as it was: the words the status line shows.

The parser never lets one bad record cost its page (:mod:`smstui.api.parse`): it skips what
it cannot read and counts it, and it marks a message whose time was not believable. The
engine announces both as a :class:`GatewayOddity`, so the user knows something is missing
or placed by a guess instead of wondering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smstui.api.models import Message, Page

__all__ = ["GatewayOddity", "describe_oddities"]


@dataclass(frozen=True, slots=True)
class GatewayOddity:
    """A page held records that could not be read, or times that could not be believed."""

    problem: str
    """One line: "1 message could not be read", "1 message came with an impossible time …"."""


def describe_oddities(page: Page[Any]) -> str:
    """The line to show about one page ("" when every record was fine)."""
    guessed = sum(1 for item in page.items if isinstance(item, Message) and item.time_guessed)
    parts = []
    if page.skipped:
        parts.append(f"{_messages(page.skipped)} could not be read")
    if guessed:
        parts.append(f"{_messages(guessed)} came with an impossible time (placed by a guess)")
    return "; ".join(parts)


def _messages(count: int) -> str:
    return "1 message" if count == 1 else f"{count:,} messages"
