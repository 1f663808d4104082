"""The user's own state in the account's store file: drafts, read markers, mutes, opt-outs, outbox.

:class:`SqliteState` is the :class:`smstui.store.personal.StateBackend` the app and the commands use
when there is a message store. It opens its own connection to the store file, lazily on first
use (same pragmas and permissions as the store: WAL, busy timeout, 0600), because the classes
using it run synchronously on the app's event loop while the store's connection belongs to a
worker thread; a one-row upsert in WAL mode takes well under a millisecond.

Several smstui processes (the TUI, a second TUI, the command-line tools) may write at once:
every write is one ``BEGIN IMMEDIATE`` transaction that re-reads the row it changes, so nothing
one process writes is lost by another; :meth:`SqliteState.version` follows SQLite's
``data_version``, so what one process writes shows in the others within about a second.

**The JSON files of earlier releases** (``drafts.json`` … in the state directory) are imported
when the connection opens, file by file, each in one transaction, with rules that never overwrite
what the store already holds (a read marker keeps the later time, the rest keeps the stored
entry); the file is then renamed ``<name>.imported`` (``<name>.N.imported`` when that exists),
never deleted. A fingerprint of each imported file is recorded, so a file whose rename failed is
not imported twice. A corrupt file is renamed ``<name>.corrupt`` and reported, and the rest goes
on. The state directory is shared by every account while stores are per account: the first
account whose store opens takes the import.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from smstui.store.files import open_shared
from smstui.store.location import StoreLocation
from smstui.store.personal import KINDS, Change, Entries, JsonFiles, Kind, StateBackend
from smstui.system.clock import wall_time
from smstui.system.paths import PRIVATE_FILE_MODE
from smstui.system.state_file import free_aside_name, load_json_object

__all__ = [
    "IMPORTED_SUFFIX",
    "REFRESH_S",
    "SqliteState",
    "import_files",
    "merge_row",
    "state_backend",
]

IMPORTED_SUFFIX = "imported"
"""An imported JSON file is renamed ``<name>.imported``."""

REFRESH_S = 1.0
"""Seconds :meth:`SqliteState.version` reuses its last look at ``data_version``."""

_IMPORT = Kind("import", "", "")
"""Rows recording which JSON file (by size and modification time) was imported."""


def _decode(text: str) -> Any:
    return json.loads(text)


def _encode(value: Any) -> str:
    # ASCII escapes keep lone surrogates (a pasted draft can hold them) round-tripping.
    return json.dumps(value, ensure_ascii=True, sort_keys=True)


def merge_row(connection: sqlite3.Connection, kind: Kind, key: str, change: Change) -> None:
    """Replace one entry by ``change(stored)`` (None deletes); inside the caller's transaction."""
    row = connection.execute(
        "SELECT value FROM local_state WHERE kind = ? AND key = ?", (kind.name, key)
    ).fetchone()
    value = change(_decode(row[0]) if row is not None else None)
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
    return {key: _decode(value) for key, value in rows}


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


def import_files(connection: sqlite3.Connection, directory: Path) -> dict[str, Entries]:
    """Import the JSON state files of ``directory`` that are still there, and rename them aside.

    Args:
        connection: An autocommit connection to a store at the current schema version.
        directory: The state directory.

    Returns:
        By file name, what went wrong with it (its ``problem`` and where it was kept), for the
        files that could not be imported.
    """
    problems: dict[str, Entries] = {}
    files: dict[str, list[Kind]] = {}
    for kind in KINDS:
        files.setdefault(kind.file_name, []).append(kind)
    for name, kinds in files.items():
        path = directory / name
        if not path.is_file():
            continue
        try:
            outcome = _import_file(connection, path, kinds)
        except OSError as error:
            outcome = Entries({}, problem=f"could not import {name}: {error}")
        if outcome.problem:
            problems[name] = outcome
    return problems


def _import_file(connection: sqlite3.Connection, path: Path, kinds: list[Kind]) -> Entries:
    with _transaction(connection):
        # Looked at under the write lock: a second process opening at the same moment waits
        # here, then finds the file gone or its fingerprint already recorded.
        try:
            info = path.stat()
        except FileNotFoundError:
            return Entries({})
        fingerprint = f"{info.st_size}:{info.st_mtime_ns}"
        done = _all(connection, _IMPORT).get(path.name) == fingerprint
        if not done:
            result = load_json_object(path)
            if result.data is None:  # unusable: load_json_object moved it to <name>.corrupt
                return Entries({}, problem=result.problem, kept_as=result.kept_as)
            for kind in kinds:
                for key, value in kind.extract(result.data).items():
                    merge_row(connection, kind, key, _combiner(kind, value))
            merge_row(connection, _IMPORT, path.name, lambda _stored: fingerprint)
    target = free_aside_name(path, IMPORTED_SUFFIX)
    try:
        os.replace(path, target)
    except FileNotFoundError:
        return Entries({})  # another process set it aside first
    with contextlib.suppress(OSError):
        os.chmod(target, PRIVATE_FILE_MODE)
    return Entries({})


def _combiner(kind: Kind, imported: Any) -> Change:
    return lambda stored: kind.combine(stored, imported)


class SqliteState:
    """Local state in the ``local_state`` table of one store file.

    Args:
        path: The account's store file (created 0600 in a 0700 directory when missing).
        legacy_dir: The state directory whose JSON files are imported on opening, and where they
            stay in use when the store cannot be opened; None for neither.
    """

    def __init__(self, path: Path, *, legacy_dir: Path | None = None) -> None:
        self.path = path
        self._legacy_dir = legacy_dir
        self._lock = threading.RLock()
        self._connection: sqlite3.Connection | None = None
        self._fallback: StateBackend | None = None
        self._problems: dict[str, Entries] = {}
        self._opening_problem = ""
        self._writes = 0
        self._seen_version = 0
        self._looked_at = float("-inf")

    def _open(self) -> sqlite3.Connection | None:
        """The connection, opened (and the JSON files imported) on first use.

        None after a failure to open: the JSON files are used instead.
        """
        if self._connection is not None or self._fallback is not None:
            return self._connection
        try:
            connection = open_shared(self.path)
        except (sqlite3.Error, OSError) as error:
            # The app goes on with the JSON files, as before the store, and says so once.
            self._fallback = JsonFiles(self._legacy_dir or self.path.parent)
            self._opening_problem = (
                f"Drafts and read markers are kept in files: the message store could not be "
                f"opened ({error})"
            )
            return None
        if self._legacy_dir is not None:
            try:
                self._problems = import_files(connection, self._legacy_dir)
            except sqlite3.Error as error:
                self._opening_problem = f"Could not import the old state files: {error}"
        self._connection = connection
        return connection

    def entries(self, kind: Kind) -> Entries:
        """Every entry of one kind; an import or opening problem is handed over once."""
        with self._lock:
            connection = self._open()
            told = self._problems.pop(kind.file_name, None)
            problem = told.problem if told else ""
            problem, self._opening_problem = problem or self._opening_problem, ""
            if connection is None:
                assert self._fallback is not None
                found = self._fallback.entries(kind)
                return Entries(
                    found.entries,
                    found.found,
                    found.problem or problem,
                    found.kept_as,
                )
            try:
                entries = _all(connection, kind)
            except sqlite3.Error as error:
                return Entries({}, problem=problem or f"could not read the local state: {error}")
            return Entries(entries, bool(entries), problem, told.kept_as if told else None)

    def merge(self, kind: Kind, key: str, change: Change) -> dict[str, Any]:
        """Change one entry in one transaction; return every entry of the kind after it.

        Raises:
            OSError: The store could not be written (SQLite's error, turned into an OSError
                so callers report it as they report a failed file write).
        """
        with self._lock:
            connection = self._open()
            if connection is None:
                assert self._fallback is not None
                return self._fallback.merge(kind, key, change)
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
            if connection is None:
                assert self._fallback is not None
                return self._fallback.version()
            now = time.monotonic()
            if now - self._looked_at >= REFRESH_S:
                self._looked_at = now
                with contextlib.suppress(sqlite3.Error):
                    row = connection.execute("PRAGMA data_version").fetchone()
                    self._seen_version = int(row[0])
            return (self._seen_version, self._writes)

    def close(self) -> None:
        """Close the connection (it opens again on the next use)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


def state_backend(
    state_dir: Path,
    store: StoreLocation | Path | None,
    *,
    operator: str = "",
    now: Callable[[], float] = wall_time,
) -> StateBackend:
    """Where the local state of one app or command run is kept.

    Args:
        state_dir: The state directory (its JSON files are imported, or used when no store).
        store: The account's store (its SQLite file, or its PostgreSQL schema), or None to keep
            using the JSON files.
        operator: On PostgreSQL, whose personal state it is (the ``operator`` setting):
            :class:`smstui.store.pg_state.PgState` keeps read markers, drafts and the outbox
            per operator, mutes and opt-outs for the whole line.
        now: On PostgreSQL, the clock of "read by …" times (the app's clock).
    """
    if isinstance(store, StoreLocation):
        if store.url is not None:
            from smstui.store.pg_state import PgState  # psycopg loads only when used

            return PgState(store.url, store.schema, operator, legacy_dir=state_dir, now=now)
        store = store.path
    if store is None:
        return JsonFiles(state_dir)
    return SqliteState(store, legacy_dir=state_dir)
