"""The user's own state in an SQLite store: drafts, read markers, mutes, opt-outs, the outbox.

:class:`SqliteState` is the :class:`smstui.store.personal.StateBackend` the app and the commands use
with a SQLite store. It opens its own connection to the store file, lazily on first use (same
pragmas and permissions as the store: WAL, busy timeout, 0600), because the classes using it run
synchronously on the app's event loop while the store's connection belongs to a worker thread;
a one-row upsert in WAL mode takes well under a millisecond.

Several smstui processes (the TUI, a second TUI, the command-line tools) may write at once:
every write is one ``BEGIN IMMEDIATE`` transaction that re-reads the row it changes, so nothing
one process writes is lost by another; :meth:`SqliteState.version` follows SQLite's
``data_version``, so what one process writes shows in the others within about a second.

**Where no file can be used** (a read-only data directory, a file that cannot be opened, or no
store at all), the same table lives in an in-memory database for the run: everything works, and
:meth:`SqliteState.not_kept` says that it is lost at the end, so the user is told.

**No JSON import.** Before the state moved into the store, development builds kept it in JSON
files of the state directory (``drafts.json`` …). No release ever wrote them (smstui has not been
published), so they are not imported: such files are left where they are, untouched and unread.
Reading them would have meant a second way into the state in both backends, run at every open,
for files nobody who installed a release can have.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from smstui.store.files import open_memory, open_shared
from smstui.store.personal import Change, Entries, Kind

__all__ = ["REFRESH_S", "SqliteState", "decoded", "merge_row", "not_kept_text", "stored_value"]

REFRESH_S = 1.0
"""Seconds :meth:`SqliteState.version` reuses its last look at ``data_version``."""


def stored_value(text: str | None) -> Any:
    """A stored row's value; None (as if absent) when there is none or it is not JSON."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def decoded(rows: list[tuple[str, str]]) -> dict[str, Any]:
    """Key → value of stored rows; a value that is not JSON is skipped, like any unusable one."""
    entries = {str(key): stored_value(text) for key, text in rows}
    return {key: value for key, value in entries.items() if value is not None}


def _encode(value: Any) -> str:
    # ASCII escapes keep lone surrogates (a pasted draft can hold them) round-tripping.
    return json.dumps(value, ensure_ascii=True, sort_keys=True)


def merge_row(connection: sqlite3.Connection, kind: Kind, key: str, change: Change) -> None:
    """Replace one entry by ``change(stored)`` (None deletes); inside the caller's transaction."""
    row = connection.execute(
        "SELECT value FROM local_state WHERE kind = ? AND key = ?", (kind.name, key)
    ).fetchone()
    value = change(stored_value(row[0] if row is not None else None))
    if value is None:
        if row is not None:
            connection.execute(
                "DELETE FROM local_state WHERE kind = ? AND key = ?", (kind.name, key)
            )
        return
    connection.execute(
        "INSERT INTO local_state (kind, key, value) VALUES (?, ?, ?) "
        "ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value",
        (kind.name, key, _encode(value)),
    )


def _all(connection: sqlite3.Connection, kind: Kind) -> dict[str, Any]:
    rows = connection.execute(
        "SELECT key, value FROM local_state WHERE kind = ?", (kind.name,)
    ).fetchall()
    return decoded(rows)


@contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    # IMMEDIATE: take the write lock before reading the row, so the read-modify-write is atomic
    # against other processes (they wait up to the busy timeout).
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _one_line(error: BaseException) -> str:
    lines = str(error).splitlines()
    return lines[0] if lines and lines[0] else type(error).__name__


def not_kept_text(reason: str) -> str:
    """What the user is told when their own state lives in memory only this run."""
    return f"Drafts, read markers, mutes and unsent messages are not kept after this run: {reason}"


class SqliteState:
    """Local state in the ``local_state`` table of one store file, or of memory.

    Args:
        path: The account's store file (created 0600 in a 0700 directory when missing); None
            when there is no store file, which keeps the state in memory from the start.
        not_kept: Without a file, what :meth:`not_kept` tells the user (why there is none).
    """

    def __init__(self, path: Path | None, *, not_kept: str = "") -> None:
        self.path = path
        self._lock = threading.RLock()
        self._connection: sqlite3.Connection | None = None
        self._memory: sqlite3.Connection | None = None
        self._not_kept = (
            "" if path is not None else not_kept or not_kept_text("there is no message store")
        )
        self._writes = 0
        self._seen_version = 0
        self._looked_at = float("-inf")

    def _open(self) -> sqlite3.Connection:
        """The connection, opened on first use; an in-memory one when the file can't be used."""
        if self._memory is not None:
            return self._memory
        if self._connection is not None:
            return self._connection
        if self.path is not None:
            try:
                self._connection = open_shared(self.path)
                return self._connection
            except (sqlite3.Error, OSError) as error:
                # Same code, same rules, in memory: the run goes on and the user is told once.
                where = self.path.parent
                self._not_kept = not_kept_text(f"{where} cannot be used ({_one_line(error)})")
        self._memory = open_memory()
        return self._memory

    def not_kept(self) -> str:
        """Why the state is lost when this run ends ("" when it is kept in the store file)."""
        with self._lock:
            self._open()
            return self._not_kept

    def entries(self, kind: Kind) -> Entries:
        """Every entry of one kind; a failed read gives none, and says why."""
        with self._lock:
            try:
                return Entries(_all(self._open(), kind))
            except sqlite3.Error as error:
                return Entries({}, problem=f"could not read the local state: {error}")

    def merge(self, kind: Kind, key: str, change: Change) -> dict[str, Any]:
        """Change one entry in one transaction; return every entry of the kind after it.

        Raises:
            OSError: The store could not be written (SQLite's error, turned into an OSError
                so callers report it as they report a failed file write).
        """
        with self._lock:
            connection = self._open()
            try:
                with _transaction(connection):
                    merge_row(connection, kind, key, change)
                self._writes += 1
                return _all(connection, kind)
            except sqlite3.Error as error:
                raise OSError(f"could not write the local state: {error}") from error

    def version(self) -> tuple[int, ...]:
        """SQLite's ``data_version`` (looked at once a second at most), and own writes.

        It changes when any process, this one included, wrote.
        """
        with self._lock:
            connection = self._open()
            now = time.monotonic()
            if now - self._looked_at >= REFRESH_S:
                self._looked_at = now
                with contextlib.suppress(sqlite3.Error):
                    row = connection.execute("PRAGMA data_version").fetchone()
                    self._seen_version = int(row[0])
            return (self._seen_version, self._writes)

    def close(self) -> None:
        """Close the file's connection (it opens again on the next use).

        An in-memory database stays open: closing it would throw the run's state away.
        """
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
