"""The user's own state on this machine behind one narrow interface, with two places to keep it.

Drafts, read markers, mutes, opt-outs and the outbox.

Each kind of state is a set of entries ``key → value`` (a JSON value). The classes that use it
(:class:`smstui.store.drafts.DraftStore`, :class:`smstui.store.read_state.ReadState`,
:class:`smstui.store.mutes.MuteState`, :class:`smstui.store.opt_outs.OptOutList`,
:class:`smstui.store.outbox_file.OutboxFile`) hold their rules — which value wins when two processes
write the same key — in the ``change`` function they hand to :meth:`StateBackend.merge`; the
backend only guarantees that the function sees the key's value as stored *now* and that its
result is written in the same lock or transaction. So the rules exist once, whatever the backend:

- :class:`JsonFiles`: the JSON files of the state directory as smstui always wrote them
  (``drafts.json`` …), each write re-reading its file under a lock
  (:mod:`smstui.system.state_file`).
  Used when there is no message store (tests, a store that cannot be opened).
- :class:`smstui.store.local_state.SqliteState`: one table in the account's message store, each
  write one short transaction; the JSON files are imported into it once and renamed aside.
- :class:`smstui.store.pg_state.PgState`: a team's PostgreSQL store; personal kinds per
  operator, mutes and opt-outs shared by the line.

Pure: no Textual. Writes raise :class:`OSError` (SQLite errors are turned into one), which the
callers already report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from smstui.system.state_file import load_json_object, update_json_object

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
    "JsonFiles",
    "Kind",
    "StateBackend",
    "keep_stored",
]

_FORMAT_VERSION = 1

Change = Callable[[Any], Any]
"""Given a key's stored value (None when absent), return the value to store (None: delete)."""


def keep_stored(stored: Any, imported: Any) -> Any:
    """The import rule of most kinds: what is already stored is newer than an old file."""
    return imported if stored is None else stored


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _later(stored: Any, imported: Any) -> Any:
    """Import rule of times that only move forward (a read marker): the later one."""
    if not _is_int(imported):
        return stored
    return max(stored, imported) if _is_int(stored) else imported


def _earlier(stored: Any, imported: Any) -> Any:
    """Import rule of the first-run baseline: the earlier start is the real first run."""
    if not _is_int(imported):
        return stored
    return min(stored, imported) if _is_int(stored) else imported


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of state: its name in the store and where it sat in its JSON file."""

    name: str
    """The ``kind`` column of the store's ``local_state`` table."""
    file_name: str
    """The JSON file of the state directory that held it."""
    field: str
    """The member of that file's object holding the entries."""
    shape: str = "object"
    """``object`` (key → value), ``list`` (a list of keys; value True) or ``single`` (one
    value, whose key is :attr:`field`)."""
    combine: Callable[[Any, Any], Any] = keep_stored
    """Import rule: ``combine(stored, imported)`` is what stays (``stored`` None when absent)."""

    def extract(self, data: dict[str, Any] | None) -> dict[str, Any]:
        """The entries of this kind in a JSON file's object (keys that are not text skipped)."""
        raw = data.get(self.field) if data is not None else None
        if self.shape == "single":
            return {} if raw is None else {self.field: raw}
        if self.shape == "list":
            keys = raw if isinstance(raw, list) else []
            return {key: True for key in keys if isinstance(key, str) and key}
        items = raw if isinstance(raw, dict) else {}
        return {key: value for key, value in items.items() if isinstance(key, str) and key}

    def inject(self, data: dict[str, Any], entries: dict[str, Any]) -> None:
        """Write this kind's entries into a JSON file's object (other members stay)."""
        data["version"] = _FORMAT_VERSION
        if self.shape == "single":
            if self.field in entries:
                data[self.field] = entries[self.field]
            else:
                data.pop(self.field, None)
        elif self.shape == "list":
            data[self.field] = sorted(entries)
        else:
            data[self.field] = dict(sorted(entries.items()))


DRAFTS = Kind("draft", "drafts.json", "drafts")
READ_BASELINE = Kind("read_baseline", "read_state.json", "baseline", "single", _earlier)
READ_SEEN = Kind("read_seen", "read_state.json", "seen", combine=_later)
READ_FLAGGED = Kind("read_flagged", "read_state.json", "unread", "list")
MUTES = Kind("mute", "mutes.json", "muted", "list")
OPT_OUTS = Kind("opt_out", "opt_outs.json", "numbers")
OUTBOX = Kind("outbox", "outbox.json", "messages")
KINDS = (DRAFTS, READ_BASELINE, READ_SEEN, READ_FLAGGED, MUTES, OPT_OUTS, OUTBOX)
"""Every kind; kinds sharing a file are listed together, baseline first."""


@dataclass(frozen=True, slots=True)
class Entries:
    """What reading one kind gave."""

    entries: dict[str, Any]
    """Key → value (values unchecked: each class skips what it cannot use)."""
    found: bool = False
    """True when there was anything to read (a parsed file, or rows)."""
    problem: str = ""
    """Why something could not be used, ready to show; "" when all went well."""
    kept_as: Path | None = None
    """Where an unusable file was moved, when one was."""


class StateBackend(Protocol):
    """Where the local state is kept: the narrow interface both backends offer."""

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

    def close(self) -> None:
        """Let go of what is open (a later use opens it again)."""
        ...


class JsonFiles:
    """The JSON files in the state directory, as smstui kept its state before the store.

    Args:
        directory: The state directory (created 0700 on the first write).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def entries(self, kind: Kind) -> Entries:
        """Read the kind's file (an unusable one is renamed aside by `state_file`)."""
        result = load_json_object(self.directory / kind.file_name)
        return Entries(
            kind.extract(result.data),
            found=result.data is not None,
            problem=result.problem,
            kept_as=result.kept_as,
        )

    def merge(self, kind: Kind, key: str, change: Change) -> dict[str, Any]:
        """Re-read the file under its lock, change one key, write it back atomically."""
        after: dict[str, Any] = {}

        def apply(data: dict[str, Any]) -> None:
            entries = kind.extract(data)
            value = change(entries.get(key))
            if value is None:
                entries.pop(key, None)
            else:
                entries[key] = value
            kind.inject(data, entries)
            after.update(entries)

        update_json_object(self.directory / kind.file_name, apply)
        return after

    def version(self) -> tuple[int, ...]:
        """Always the same: the files are re-read only where smstui always re-read them."""
        return (0,)

    def close(self) -> None:
        """Nothing stays open between two uses of a file."""
