"""What the gateway sent that could not be used as it was: the words the status line shows.

The parser never lets one bad record cost its page (:mod:`smstui.api.parse`): it skips what
it cannot read and counts it, and it marks a message whose time was not believable. The
engine announces both as a :class:`GatewayOddity`, so the user knows something is missing
or placed by a guess instead of wondering.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from smstui.domain.models import Message, Page
from smstui.system.logs import OnceLog

__all__ = ["GatewayOddity", "OddityBook"]

_log = OnceLog(logging.getLogger(__name__))


@dataclass(frozen=True, slots=True)
class GatewayOddity:
    """A page held records that could not be read, or times that could not be believed."""

    problem: str
    """One line: "1 message could not be read", "1 message had an impossible time (guessed)"."""


class OddityBook:
    """What the session has met so far, one line per kind, for the status line."""

    def __init__(self) -> None:
        self._lines: dict[str, str] = {}

    def note(self, page: Page[Any]) -> GatewayOddity | None:
        """Take a page in; the event to announce when what is known changed, else None."""
        before = dict(self._lines)
        guessed = 0
        for item in page.items:
            if isinstance(item, Message) and item.time_guessed:
                guessed += 1
                _log.warning(item.key, "message %s: no usable time; placed at %d", item.key,
                             item.timestamp)  # fmt: skip
        if page.skipped:
            self._lines["skipped"] = f"{_messages(page.skipped)} could not be read"
        if guessed:
            self._lines["guessed"] = f"{_messages(guessed)} had an impossible time (guessed)"
        if self._lines == before:
            return None
        return GatewayOddity("; ".join(self._lines.values()))


def _messages(count: int) -> str:
    return "1 message" if count == 1 else f"{count:,} messages"
