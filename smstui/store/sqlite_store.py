"""The message store: one SQLite file per account, the single source of truth for the panes.

Every write method is one short transaction (``BEGIN IMMEDIATE`` … ``COMMIT``), so another
process (a second TUI, ``smstui watch``) waits at most a few milliseconds for the lock and sees
either all of a batch or none of it; it notices changes through :meth:`MessageStore.data_version`.
The app calls the store from worker threads: one lock serialises every use of the connection.
Ordering of messages is ``(timestamp, id)`` everywhere (:data:`smstui.store.writes.NEWEST_FIRST`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from smstui.store.base import MessageStore
from smstui.store.files import OpenMarker, open_file, open_memory
from smstui.store.search import MESSAGE_BUDGET_S, SearchResults, run_search

__all__ = ["SqliteStore"]


class SqliteStore(MessageStore):
    """Messages, conversation summaries, contacts and small sync state in one SQLite file.

    Create it with :meth:`open`. Safe to share between threads; several processes may open the
    same file at once.
    """

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        aside: Path | None,
        marker: OpenMarker | None = None,
        *,
        in_memory: str = "",
    ) -> None:
        super().__init__()
        self._connection = connection
        self.path: Path = path
        self.set_aside = aside
        self._marker = marker
        self.in_memory = in_memory

    @classmethod
    def open(cls, path: Path, *, verify: bool | None = None) -> SqliteStore:
        """Open (or create) the store at ``path``, setting a damaged file aside.

        The directory is created 0700 and the file 0600 before SQLite touches it. A file that
        is not a database, fails ``PRAGMA quick_check`` or has a schema newer than this
        release is renamed to ``<name>.corrupt-<YYYYmmddTHHMMSS>`` (with its -wal/-shm files)
        and a fresh store is created; :attr:`set_aside` then names the renamed file.

        Args:
            path: The database file.
            verify: Run ``quick_check``, which reads the whole file (about a second per
                gigabyte): True always, False never, None (default) only when a process that
                had it open stopped without closing it.

        Returns:
            The open store, at the current schema version.
        """
        path = Path(path)
        connection, aside, marker = open_file(path, verify=verify)
        return cls(connection, path, aside, marker)

    @classmethod
    def open_memory(cls, path: Path, reason: str) -> SqliteStore:
        """A store in memory, standing in for the file at ``path``, which cannot be used.

        Args:
            path: The file that could not be opened (named in what is said to the user).
            reason: Why, in one line.
        """
        return cls(open_memory(), Path(path), None, in_memory=reason)

    def close(self) -> None:
        """Close the connection (a clean stop: no check at the next open)."""
        with self._lock:
            self._connection.close()
            if self._marker is not None:
                self._marker.close()

    def data_version(self) -> int:
        """Return SQLite's ``data_version``: it changes when another connection commits.

        Poll it to notice a second process writing; this store's own writes leave it alone.
        """
        with self._lock:
            return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock for reads; one snapshot across the statements inside."""
        with self._lock:
            self._connection.execute("BEGIN")
            try:
                yield self._connection
            finally:
                self._connection.execute("COMMIT")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and one write transaction; roll back on any error."""
        with self._lock:
            # IMMEDIATE takes the write lock now, waiting up to busy_timeout; a deferred
            # transaction that upgrades later can fail at once with "database is locked".
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    # -- search ---------------------------------------------------------------------------

    def search(
        self, query: str, *, limit: int = 50, budget_s: float | None = MESSAGE_BUDGET_S
    ) -> SearchResults:
        """FTS5 trigram search (the contract: :meth:`MessageStore.search`)."""
        with self._read() as connection:
            return run_search(connection, query, limit, budget_s)
