"""Who is replying where: presence notes between operators, and how long they count.

While an operator has a non-empty draft open in a conversation, their app publishes a note
``{"presence": {"session": …, "operator": "Anna", "conversation": "4850…", "at": …}}`` on the
account's channel, again every :data:`REFRESH_S` seconds while it lasts, and a note with an
empty ``conversation`` when it stops (sent, cleared, or another conversation opened). A note
not refreshed within :data:`EXPIRES_S` seconds no longer counts, so a crashed app does not
leave "Anna is replying…" behind for ever.

Pure logic (no database, no UI): :class:`~smstui.store.team_board.OperatorBoard` sends the notes,
the screen's team flow shows :meth:`PresenceBoard.replying`.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

__all__ = ["EXPIRES_S", "REFRESH_S", "PresenceBoard", "PresenceNote", "decode", "encode"]

REFRESH_S = 10.0
"""Seconds between two notes of the same ongoing reply."""

EXPIRES_S = 30.0
"""Seconds after its last note that a reply stops counting."""


@dataclass(frozen=True, slots=True)
class PresenceNote:
    """One operator's session says where it is replying ("" conversation: nowhere)."""

    session: str
    operator: str
    conversation: str
    at: float


def encode(note: PresenceNote) -> str:
    """The JSON payload of a note."""
    body = {
        "session": note.session,
        "operator": note.operator,
        "conversation": note.conversation,
        "at": note.at,
    }
    return json.dumps({"presence": body}, separators=(",", ":"))


def decode(payload: str) -> PresenceNote | None:
    """Read a note back; None when the payload is not one."""
    try:
        body = json.loads(payload)["presence"]
        return PresenceNote(
            session=str(body["session"]),
            operator=str(body["operator"]),
            conversation=str(body["conversation"]),
            at=float(body["at"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


class PresenceBoard:
    """The other sessions' latest notes, and who is replying where (see module).

    Args:
        session: This session's id (its own notes are ignored).
    """

    def __init__(self, session: str) -> None:
        self.session = session
        self._notes: dict[str, tuple[PresenceNote, float]] = {}
        """Session → (its latest note, when it was heard on the local clock)."""

    def heard(self, note: PresenceNote, now: float | None = None) -> bool:
        """Take a note in; True when who is replying where changed."""
        if note.session == self.session:
            return False
        before = self._notes.get(note.session)
        heard_at = time.monotonic() if now is None else now
        if note.conversation:
            self._notes[note.session] = (note, heard_at)
        else:
            self._notes.pop(note.session, None)
        was = (before[0].operator, before[0].conversation) if before else None
        return was != ((note.operator, note.conversation) if note.conversation else None)

    def expire(self, now: float | None = None) -> bool:
        """Forget notes older than :data:`EXPIRES_S`; True when any went."""
        limit = (time.monotonic() if now is None else now) - EXPIRES_S
        old = [session for session, (_, heard_at) in self._notes.items() if heard_at < limit]
        for session in old:
            del self._notes[session]
        return bool(old)

    def names(self) -> list[str]:
        """Every operator heard from (their notes not expired), in name order."""
        return sorted({note.operator for note, _ in self._notes.values()})

    def replying(self, conversation: str) -> list[str]:
        """The operators replying in a conversation, in name order (each once)."""
        names = {
            note.operator for note, _ in self._notes.values() if note.conversation == conversation
        }
        return sorted(names)

    def by_conversation(self) -> dict[str, list[str]]:
        """Every conversation someone is replying in, with their names (as :meth:`replying`)."""
        found: dict[str, set[str]] = {}
        for note, _ in self._notes.values():
            found.setdefault(note.conversation, set()).add(note.operator)
        return {key: sorted(names) for key, names in found.items()}
