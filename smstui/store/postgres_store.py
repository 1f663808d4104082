"""The message store on PostgreSQL (psycopg 3): one schema per account on a shared server.

Same interface and behaviour as the SQLite store (:class:`smstui.store.base.MessageStore`);
what differs lives here and in :mod:`smstui.store.pg_schema` / :mod:`smstui.store.pg_search`:

- **Writers, one at a time per account.** Each write transaction first takes the account's
  transaction-level advisory lock (:func:`~smstui.store.pg_schema.lock_key`), as SQLite's
  ``BEGIN IMMEDIATE`` does: the merge rules read, then write, and the time-ordered ids are
  allocated from what is stored, so two writers must not interleave. Waiting is bounded by
  ``lock_timeout``. Reads are ``REPEATABLE READ`` snapshots and never wait.
- **data_version.** Every write transaction bumps ``store_info.changes``; the store counts its
  own bumps and returns the difference, so only other connections' commits move it (as
  SQLite's ``PRAGMA data_version``).
- **Change notifications.** A write transaction that changed messages or contacts publishes
  ``pg_notify(<schema>, <json>)`` (:mod:`smstui.store.changes`) before it commits, so other
  processes listening on the account's channel hear of it exactly when, and only if, the write
  commits (team mode: :mod:`smstui.sync.listener`). Nobody listening costs nothing.
- **Errors.** Every psycopg error leaves the store as a :class:`StoreError` with one line of
  text and no password, so callers catch one type for both engines
  (:data:`smstui.store.errors.STORE_ERRORS`).

The connection factory (:func:`connect`) is separate from the store so later team-mode parts
(a listener connection, a leader holding a session advisory lock) open theirs the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from smstui.store.base import MessageStore
from smstui.store.changes import channel_name, encode
from smstui.store.errors import StoreError
from smstui.store.pg_schema import PgBatch, PgConnection, SchemaTooNewError, lock_key, migrate
from smstui.store.pg_search import run_pg_search
from smstui.store.search import MESSAGE_BUDGET_S, SearchResults
from smstui.store.writes import Batch
from smstui.system.secret import SecretUrl

__all__ = ["PostgresStore", "connect"]

CONNECT_TIMEOUT_S = 10
"""How long opening the store waits for the server."""
LOCK_TIMEOUT_MS = 5000
"""How long a write waits for another process's write transaction (SQLite's busy timeout)."""

_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _problem(error: BaseException, url: SecretUrl) -> StoreError:
    lines = str(error).strip().splitlines()
    text = lines[0] if lines else type(error).__name__
    if url.password:
        text = text.replace(url.password, "********")
    return StoreError(text)


KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 1,
    "keepalives_count": 3,
}
"""libpq's TCP keepalives for long-lived connections (a leader's lock, a listener): a lost
network shows as an error within about 8 s instead of a hang (no effect on Unix sockets)."""


def connect(url: SecretUrl, schema: str, *, keepalive: bool = False) -> psycopg.Connection[Any]:
    """Open an autocommit connection to ``url`` whose ``search_path`` is the account's schema.

    With ``keepalive``, TCP keepalives are on at both ends (:data:`KEEPALIVES`, and the server's
    ``tcp_keepalives_*`` for this session), so either side notices the other gone in seconds.

    Raises:
        StoreError: The server could not be reached or refused us (password masked).
    """
    if not _SCHEMA_NAME.fullmatch(schema):
        raise ValueError(f"not a schema name smstui makes: {schema!r}")
    try:
        options: dict[str, Any] = KEEPALIVES if keepalive else {}
        connection = psycopg.connect(
            url.reveal(), autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, **options
        )
    except (psycopg.Error, ValueError) as error:  # ValueError: a URL libpq cannot parse
        raise _problem(error, url) from None
    try:
        connection.execute("SELECT set_config('search_path', %s, false)", (schema,))
        connection.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
        if keepalive:
            for name in ("idle", "interval", "count"):
                value = KEEPALIVES[f"keepalives_{name}"]
                connection.execute(f"SET tcp_keepalives_{name} = {value}")
    except psycopg.Error as error:
        connection.close()
        raise _problem(error, url) from None
    return connection


class PostgresStore(MessageStore):
    """One account's messages in a schema of a PostgreSQL database.

    Create it with :meth:`open`. Safe to share between threads (one lock serialises the
    connection); any number of processes and machines may open the same account at once.
    """

    _UNLIMITED = None

    def __init__(self, connection: psycopg.Connection[Any], url: SecretUrl, schema: str) -> None:
        super().__init__()
        self._raw = connection
        self._connection = PgConnection(connection)
        self.url = url
        """Where the store is (``str()`` masks the password)."""
        self.schema = schema
        """The account's schema."""
        self._lock_key = lock_key(schema)
        self.backend_pid = connection.info.backend_pid
        """The server process of this store's connection (its change notifications carry it)."""
        self._own_changes = 0

    @classmethod
    def open(cls, url: SecretUrl, schema: str) -> PostgresStore:
        """Connect, and create the account's schema or bring it up to date.

        Args:
            url: A ``postgresql://`` URL.
            schema: The account's schema (:func:`smstui.store.location.account_schema`).

        Returns:
            The open store.

        Raises:
            StoreError: The server is unreachable, refused the connection, or holds a schema
                from a newer release.
        """
        connection = connect(url, schema)
        try:
            migrate(PgConnection(connection), schema)
        except (psycopg.Error, SchemaTooNewError) as error:
            connection.close()
            raise _problem(error, url) from None
        return cls(connection, url, schema)

    def __repr__(self) -> str:
        return f"PostgresStore({str(self.url)!r}, schema={self.schema!r})"

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        with self._lock:
            self._raw.close()

    def data_version(self) -> int:
        """Return the count of write transactions other connections committed (see module)."""
        with self._lock, self._errors():
            row = self._connection.execute(
                "SELECT value FROM store_info WHERE name = 'changes'"
            ).fetchone()
            return int(row[0]) - self._own_changes

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as error:
            raise _problem(error, self.url) from error

    @contextmanager
    def _read(self) -> Iterator[PgConnection]:
        """Hold the lock for reads; one snapshot across the statements inside."""
        with self._lock, self._errors(), self._raw.transaction():
            self._raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield self._connection

    @contextmanager
    def _write(self) -> Iterator[PgConnection]:
        """Hold the lock and the account's write lock in one transaction; roll back on error."""
        with self._lock, self._errors():
            with self._raw.transaction():
                self._connection.execute("SELECT pg_advisory_xact_lock(?)", (self._lock_key,))
                yield self._connection
                self._connection.execute(
                    "UPDATE store_info SET value = value + 1 WHERE name = 'changes'"
                )
            self._own_changes += 1

    def _batch(self, connection: Any) -> Batch:
        return PgBatch(connection)

    def _changed(self, connection: Any, kind: str, keys: Iterable[str] | None) -> None:
        """Publish the write's change on the account's channel; delivered at commit."""
        connection.execute(
            "SELECT pg_notify(?, ?)", (channel_name(self.schema), encode(kind, keys))
        )

    def search(
        self, query: str, *, limit: int = 50, budget_s: float | None = MESSAGE_BUDGET_S
    ) -> SearchResults:
        """Find conversations and messages (see :meth:`MessageStore.search`).

        How it works on PostgreSQL: :mod:`smstui.store.pg_search`.
        """
        with self._read() as connection:
            return run_pg_search(connection, query, limit, budget_s)
