"""The operators' own state in the account's PostgreSQL schema (team mode).

:class:`PgState` is the :class:`smstui.store.personal.StateBackend` of an app (or command) whose
store is on PostgreSQL: one table in the account's schema,
``local_state(operator, kind, key, value, at, PRIMARY KEY (operator, kind, key))``, created when
missing under the account's write lock.

**Whose state.** Read markers (seen times, manual unread flags, the first-run baseline),
drafts and the outbox are *personal*: each operator reads with their own eyes and writes their
own replies, so they are kept under the operator's name (the ``operator`` setting) and one
operator's reading never marks a conversation read for another. Mutes and opt-outs are the
*line's*: a customer who wrote STOP has opted out of the number, whoever answers, and a
muted conversation is noise for the whole team; they are kept under the operator ``''``,
shared by everyone.

**Writes.** Each :meth:`PgState.merge` is one short transaction that takes a
transaction-scoped advisory lock on the row (so the read-modify-write of ``change`` is atomic
against every other process, including for a row not yet there, which ``SELECT … FOR UPDATE``
could not lock), re-reads the value, writes the result, and counts the change in
``local_state_changes`` (one counter per operator, ``''`` included). :meth:`PgState.version`
reads the counters of this operator and of the shared rows (once a second at most), so what
another process wrote is taken in within about a second.

**Read notes.** When a write moves this operator's read marker of a conversation, the same
transaction publishes a note on the account's channel (:mod:`smstui.domain.readers`), so the
other operators show "read by Anna 10:42" at once; :meth:`PgState.latest_readers` gives the
stored ones at start.

A server that cannot be reached at the first use keeps the state in memory for the run
(:class:`smstui.store.local_state.SqliteState` without a file, the same code as any SQLite
store), and :meth:`PgState.not_kept` says so; a later failure raises :class:`OSError` from
:meth:`PgState.merge` (the callers report it) and the connection is opened again on the next use.
No JSON state files are imported (see :mod:`smstui.store.local_state`).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import sql

from smstui.domain.readers import ReadNote, encode
from smstui.store.changes import channel_name
from smstui.store.errors import StoreError
from smstui.store.local_state import SqliteState, decoded, not_kept_text, stored_value
from smstui.store.personal import MUTES, OPT_OUTS, READ_SEEN, Change, Entries, Kind
from smstui.store.pg_schema import lock_key
from smstui.store.postgres_store import PostgresStore, connect
from smstui.system.clock import wall_time
from smstui.system.secret import SecretUrl

__all__ = ["REFRESH_S", "SHARED_KINDS", "PgState"]

REFRESH_S = 1.0
"""Seconds :meth:`PgState.version` reuses its last look at the change counters."""

SHARED_KINDS = frozenset({MUTES.name, OPT_OUTS.name})
"""Kinds kept under the operator ``''``: the line's, not one operator's (see module)."""

_CREATE = """
CREATE TABLE IF NOT EXISTS local_state (
    operator TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    key TEXT COLLATE "C" NOT NULL,
    value TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (operator, kind, key)
);
CREATE TABLE IF NOT EXISTS local_state_changes (
    operator TEXT COLLATE "C" PRIMARY KEY,
    n BIGINT NOT NULL
)
"""

_ERRORS = (psycopg.Error, StoreError)


def _encode(value: Any) -> str:
    # Text, not jsonb: ASCII escapes keep lone surrogates (a pasted draft) round-tripping.
    return json.dumps(value, ensure_ascii=True, sort_keys=True)


class PgState:
    """Local state of one operator in the account's schema (see module).

    Args:
        url: The PostgreSQL server.
        schema: The account's schema.
        operator: This operator's name (personal kinds are kept under it).
        now: The clock of the read notes' times (the app's clock); the real clock by default.
    """

    def __init__(
        self,
        url: SecretUrl,
        schema: str,
        operator: str,
        *,
        now: Callable[[], float] = wall_time,
    ) -> None:
        self.url = url
        self.schema = schema
        self.operator = operator
        self._now = now
        self._lock = threading.RLock()
        self._connection: psycopg.Connection[Any] | None = None
        self._fallback: SqliteState | None = None
        self._writes = 0
        self._seen: tuple[int, ...] = ()
        self._looked_at = float("-inf")

    def owner(self, kind: Kind) -> str:
        """Whose rows a kind is kept under: ``''`` for the line's, else this operator's."""
        return "" if kind.name in SHARED_KINDS else self.operator

    # Connection ---------------------------------------------------------------------------------

    def _open(self) -> psycopg.Connection[Any] | None:
        if self._connection is not None or self._fallback is not None:
            return self._connection
        try:
            PostgresStore.open(self.url, self.schema).close()  # the schema exists, up to date
            connection = connect(self.url, self.schema)
            with connection.transaction():
                connection.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key(self.schema),))
                for statement in filter(str.strip, _CREATE.split(";")):
                    connection.execute(sql.SQL(statement))
        except _ERRORS as error:
            first = str(error).splitlines()[:1]
            reason = (
                f"the team's store could not be reached ({''.join(first) or type(error).__name__})"
            )
            self._fallback = SqliteState(None, not_kept=not_kept_text(reason))
            return None
        self._connection = connection
        return connection

    def _lost(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(psycopg.Error):
                connection.close()

    # Rows ---------------------------------------------------------------------------------------

    def _all(self, connection: psycopg.Connection[Any], kind: Kind) -> dict[str, Any]:
        rows = connection.execute(
            "SELECT key, value FROM local_state WHERE operator = %s AND kind = %s",
            (self.owner(kind), kind.name),
        ).fetchall()
        return decoded(rows)

    def _merge_row(
        self, connection: psycopg.Connection[Any], kind: Kind, key: str, change: Change
    ) -> None:
        """One read-modify-write, inside the caller's transaction."""
        owner = self.owner(kind)
        lock = lock_key(f"{self.schema}:state:{owner}:{kind.name}:{key}")
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (lock,))
        row = connection.execute(
            "SELECT value FROM local_state WHERE operator = %s AND kind = %s AND key = %s",
            (owner, kind.name, key),
        ).fetchone()
        value = change(stored_value(row[0] if row is not None else None))
        text = None if value is None else _encode(value)
        if text == (row[0] if row is not None else None):
            return
        at = self._now()
        if text is None:
            connection.execute(
                "DELETE FROM local_state WHERE operator = %s AND kind = %s AND key = %s",
                (owner, kind.name, key),
            )
        else:
            connection.execute(
                "INSERT INTO local_state (operator, kind, key, value, at)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (operator, kind, key)"
                " DO UPDATE SET value = EXCLUDED.value, at = EXCLUDED.at",
                (owner, kind.name, key, text, at),
            )
        connection.execute(
            "INSERT INTO local_state_changes (operator, n) VALUES (%s, 1)"
            " ON CONFLICT (operator) DO UPDATE SET n = local_state_changes.n + 1",
            (owner,),
        )
        if kind is READ_SEEN and text is not None and owner and at:
            note = encode(ReadNote(owner, key, at))  # delivered when, and if, this commits
            connection.execute("SELECT pg_notify(%s, %s)", (channel_name(self.schema), note))

    # The backend protocol -----------------------------------------------------------------------

    def entries(self, kind: Kind) -> Entries:
        """Every entry of one kind (this operator's, or the line's); never raises."""
        with self._lock:
            connection = self._open()
            if connection is None:
                assert self._fallback is not None
                return self._fallback.entries(kind)
            try:
                return Entries(self._all(connection, kind))
            except _ERRORS as error:
                self._lost()
                return Entries({}, problem=f"could not read the local state: {error}")

    def merge(self, kind: Kind, key: str, change: Change) -> dict[str, Any]:
        """Change one entry in one transaction; return every entry of the kind after it.

        Raises:
            OSError: The server could not be written (its error, as an OSError).
        """
        with self._lock:
            connection = self._open()
            if connection is None:
                assert self._fallback is not None
                return self._fallback.merge(kind, key, change)
            try:
                with connection.transaction():
                    self._merge_row(connection, kind, key, change)
                self._writes += 1
                return self._all(connection, kind)
            except _ERRORS as error:
                self._lost()
                first = str(error).splitlines()[:1]
                raise OSError(f"could not write the local state: {''.join(first)}") from error

    def version(self) -> tuple[int, ...]:
        """This operator's and the line's change counters (looked at once a second at most)."""
        with self._lock:
            connection = self._open()
            if connection is None:
                assert self._fallback is not None
                return self._fallback.version()
            now = time.monotonic()
            if now - self._looked_at >= REFRESH_S:
                self._looked_at = now
                try:
                    rows = connection.execute(
                        "SELECT operator, n FROM local_state_changes WHERE operator IN (%s, '')",
                        (self.operator,),
                    ).fetchall()
                except _ERRORS:
                    self._lost()
                else:
                    counts = dict(rows)
                    self._seen = (int(counts.get(self.operator, 0)), int(counts.get("", 0)))
            return (*self._seen, self._writes)

    def not_kept(self) -> str:
        """Why the state is lost when this run ends ("" when it is kept on the server)."""
        with self._lock:
            self._open()
            return self._fallback.not_kept() if self._fallback is not None else ""

    def close(self) -> None:
        """Close the connection (it opens again on the next use)."""
        with self._lock:
            self._lost()

    # Team ---------------------------------------------------------------------------------------

    def latest_readers(self) -> dict[str, tuple[str, float]]:
        """Per conversation, the operator other than this one whose marker moved last, and when.

        Blocking (run it in a thread); empty when the server cannot be read.
        """
        with self._lock:
            connection = self._open()
            if connection is None:
                return {}
            try:
                rows = connection.execute(
                    "SELECT DISTINCT ON (key) key, operator, at FROM local_state"
                    " WHERE kind = %s AND operator <> %s AND operator <> '' AND at > 0"
                    " ORDER BY key, at DESC",
                    (READ_SEEN.name, self.operator),
                ).fetchall()
            except _ERRORS:
                self._lost()
                return {}
            return {str(key): (str(name), float(at)) for key, name, at in rows}
