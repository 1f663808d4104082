"""Who read a conversation last: "read by Anna 10:42" (team mode, pure logic).

When an operator's read marker of a conversation moves, the state backend
(:class:`smstui.store.pg_state.PgState`) publishes a note on the account's channel, in the
same transaction as the marker::

    {"read": {"operator": "Anna", "conversation": "4850…", "at": 1795780800.0}}

``at`` is the reader's app clock. The other operators keep, per conversation, the latest
reader other than themselves (:class:`ReadersBoard`), filled at start from the stored markers
and kept up to date by the notes. A leaf: no database, no UI.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from smstui.domain.timefmt import bubble_time

__all__ = ["ReadNote", "ReadersBoard", "decode", "encode", "read_by_text"]


@dataclass(frozen=True, slots=True)
class ReadNote:
    """One operator read a conversation (their marker moved) at ``at``."""

    operator: str
    conversation: str
    at: float


def encode(note: ReadNote) -> str:
    """The JSON payload of a note."""
    body = {"operator": note.operator, "conversation": note.conversation, "at": note.at}
    return json.dumps({"read": body}, separators=(",", ":"))


def decode(payload: str) -> ReadNote | None:
    """Read a note back; None when the payload is not one."""
    try:
        body = json.loads(payload)["read"]
        return ReadNote(str(body["operator"]), str(body["conversation"]), float(body["at"]))
    except (ValueError, KeyError, TypeError):
        return None


def read_by_text(operator: str, at: float) -> str:
    """How a row or title says it: ``read by Anna 10:42`` (local time of day)."""
    return f"read by {operator} {bubble_time(at)}"


class ReadersBoard:
    """The latest reader of each conversation, this operator left out.

    Args:
        operator: This operator's name (their own reads are not shown to them).
    """

    def __init__(self, operator: str) -> None:
        self.operator = operator
        self._latest: dict[str, tuple[str, float]] = {}

    def heard(self, note: ReadNote) -> bool:
        """Take a note in; True when the conversation's latest reader changed."""
        if note.operator == self.operator or not note.conversation:
            return False
        before = self._latest.get(note.conversation)
        if before is not None and before[1] > note.at:
            return False
        self._latest[note.conversation] = (note.operator, note.at)
        return before != (note.operator, note.at)

    def load(self, latest: Mapping[str, tuple[str, float]]) -> None:
        """Take in the stored markers (conversation → (operator, at)); newer notes stay."""
        for key, (operator, at) in latest.items():
            self.heard(ReadNote(operator, key, at))

    def latest(self, conversation: str) -> tuple[str, float] | None:
        """Who read the conversation last (other than this operator), and when."""
        return self._latest.get(conversation)

    def text(self, conversation: str) -> str:
        """``read by Anna 10:42`` for the conversation, or ""."""
        found = self._latest.get(conversation)
        return read_by_text(*found) if found is not None else ""

    def conversations(self) -> list[str]:
        """The conversations someone else has read."""
        return list(self._latest)
