"""What a team shares beyond messages: assignments and internal notes (pure logic, no I/O).

- **Assignment.** A conversation is looked after by one operator, or by nobody. The list shows
  the name ("→ Anna"), and the filter ``@me`` (or ``@anna``) keeps only the conversations of
  that operator (:func:`owner_query`).
- **Internal notes.** Text the operators leave each other in a thread; it is never sent.
- **Announcements.** After a write the board sends ``{"team": "assignments" | "notes",
  "conversation": key}`` on the account's channel; every app reloads what the payload names
  (:func:`encode_change`, :func:`decode_change`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from smstui.domain.conversations import ConversationSummary
from smstui.domain.folding import fold

__all__ = [
    "ME",
    "TeamChange",
    "TeamNote",
    "decode_change",
    "encode_change",
    "owner_query",
    "with_assignees",
]

ME = "me"
"""``@me`` in the filter: the conversations assigned to this operator."""

KINDS = frozenset({"assignments", "notes"})


@dataclass(frozen=True, slots=True)
class TeamNote:
    """One internal note of a conversation."""

    id: int
    conversation: str
    operator: str
    text: str
    at: float
    """Wall-clock seconds when it was written."""


@dataclass(frozen=True, slots=True)
class TeamChange:
    """What a team payload says changed."""

    kind: str
    conversation: str


def encode_change(kind: str, conversation: str) -> str:
    """The payload announcing a change of assignments or notes."""
    return json.dumps({"team": kind, "conversation": conversation}, separators=(",", ":"))


def decode_change(payload: str) -> TeamChange | None:
    """Read a payload back; None when it is not one of these."""
    try:
        data = json.loads(payload)
        kind = data["team"]
        conversation = data["conversation"]
    except (ValueError, KeyError, TypeError):
        return None
    if kind not in KINDS or not isinstance(conversation, str):
        return None
    return TeamChange(kind, conversation)


def owner_query(query: str, me: str) -> tuple[str | None, str]:
    """Split ``@who rest`` off a filter query: (the operator asked for, or None; the rest).

    ``@me`` names this operator; ``@anna`` any operator (matched without case or accents).
    """
    query = query.strip()
    if not query.startswith("@"):
        return None, query
    word, _, rest = query[1:].partition(" ")
    who = me if fold(word) == ME else word
    return who, rest.strip()


def with_assignees(
    rows: Sequence[ConversationSummary], assignees: Mapping[str, str], owner: str | None
) -> Sequence[ConversationSummary]:
    """The rows with their assignee set, only ``owner``'s when one is given (folded match)."""
    if not assignees and owner is None:
        return rows
    wanted = None if owner is None else fold(owner)
    result: list[ConversationSummary] = []
    for row in rows:
        name = assignees.get(row.key, "")
        if wanted is not None and (not name or fold(name) != wanted):
            continue
        result.append(replace(row, assignee=name) if name != row.assignee else row)
    return result
