"""The user's own state behind one narrow interface: drafts, read markers, mutes, opt-outs, outbox.

Each kind of state is a set of entries ``key → value`` (a JSON value). The classes that use it
(:class:`smstui.store.drafts.DraftStore`, :class:`smstui.store.read_state.ReadState`,
:class:`smstui.store.mutes.MuteState`, :class:`smstui.store.opt_outs.OptOutList`,
:class:`smstui.store.outbox_file.OutboxFile`) hold their rules — which value wins when two processes
write the same key — in the ``change`` function they hand to :meth:`StateBackend.merge`; the
backend only guarantees that the function sees the key's value as stored *now* and that its
result is written in the same transaction. So the rules exist once, whatever the backend.

There is one backend per kind of message store, and the state lives in the store itself:

- :class:`smstui.store.local_state.SqliteState`: the ``local_state`` table of the account's
  SQLite file, or of an in-memory database when no file can be used (then
  :meth:`StateBackend.not_kept` says why, and the app tells the user).
- :class:`smstui.store.pg_state.PgState`: a team's PostgreSQL store; personal kinds per
  operator, mutes and opt-outs shared by the line.

Pure: no Textual. Writes raise :class:`OSError` (database errors are turned into one), which the
callers already report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "DRAFTS",
    "KINDS",
    "MUTES",
    "OPT_OUTS",
    "OUTBOX",
    "READ_BASELINE",
    "READ_FLAGGED",
    "READ_SEEN",
    "Change",
    "Entries",
    "Kind",
    "StateBackend",
]

Change = Callable[[Any], Any]
"""Given a key's stored value (None when absent), return the value to store (None: delete)."""


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of state."""

    name: str
    """The ``kind`` column of the store's ``local_state`` table."""


DRAFTS = Kind("draft")
READ_BASELINE = Kind("read_baseline")
"""One entry, key ``baseline``: the first run's time (everything before it counts as read)."""
READ_SEEN = Kind("read_seen")
READ_FLAGGED = Kind("read_flagged")
MUTES = Kind("mute")
OPT_OUTS = Kind("opt_out")
OUTBOX = Kind("outbox")
KINDS = (DRAFTS, READ_BASELINE, READ_SEEN, READ_FLAGGED, MUTES, OPT_OUTS, OUTBOX)
"""Every kind."""


@dataclass(frozen=True, slots=True)
class Entries:
    """What reading one kind gave."""

    entries: dict[str, Any]
    """Key → value (values unchecked: each class skips what it cannot use)."""
    problem: str = ""
    """Why the stored entries could not be read, ready to show; "" when all went well."""


class StateBackend(Protocol):
    """Where the user's own state is kept: the narrow interface both backends offer."""

    def entries(self, kind: Kind) -> Entries:
        """Every entry of one kind as stored now; never raises."""
        ...

    def merge(self, kind: Kind, key: str, change: Change) -> dict[str, Any]:
        """Replace one key's value by ``change(stored)`` atomically; return every entry now.

        Raises:
            OSError: The state could not be written.
        """
        ...

    def version(self) -> tuple[int, ...]:
        """A token that changes when what is stored may have changed since it was read.

        Cheap enough to ask before every read; it may lag other processes by a second or two.
        """
        ...

    def not_kept(self) -> str:
        """Why what is written is lost when this run ends, ready to show; "" when it is kept.

        Opens the store when that has not happened yet (the answer is known only then).
        """
        ...

    def close(self) -> None:
        """Let go of what is open (a later use opens it again)."""
        ...
