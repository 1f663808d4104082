"""What operators of a team tell each other beyond messages: who sent what, who is replying.

One connection of its own per process (autocommit, the account's schema on ``search_path``):

- **Who sent what.** The table ``sent_by(message_key, conversation_key, operator, at)`` in the
  account's schema, created when missing (under a transaction-scoped advisory lock, so two
  operators starting together do not race). The sender records its confirmed message here
  *before* the message itself is stored, so whoever is told of the message finds its sender.
- **Assignments and notes.** ``assignments(conversation_key, operator, "by", at)`` says who
  looks after a conversation (no row: nobody); ``notes(id, conversation_key, operator, text,
  at)`` keeps the team's internal notes (never sent). Each write is followed by a payload on
  the channel (:mod:`smstui.domain.team_shared`), so every operator reloads what changed at once.
- **Presence.** :meth:`OperatorBoard.publish` sends a payload on the account's change channel
  (:mod:`smstui.domain.presence` encodes it); it is not a change of the store, so listeners
  hand it on as it is (:class:`~smstui.sync.listener.ChangeListener`'s ``on_other``).

Failures are logged and swallowed: who sent a message and who is replying are courtesies; a
team whose server hiccups keeps working without them.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import psycopg
from psycopg import sql

from smstui.domain.team_shared import TeamNote, encode_change
from smstui.store.changes import channel_name
from smstui.store.errors import StoreError
from smstui.store.pg_schema import lock_key
from smstui.store.postgres_store import connect
from smstui.system.clock import Clock, SystemClock
from smstui.system.secret import SecretUrl

__all__ = ["OperatorBoard"]

logger = logging.getLogger(__name__)

_CREATE = """
CREATE TABLE IF NOT EXISTS sent_by (
    message_key TEXT COLLATE "C" PRIMARY KEY,
    conversation_key TEXT COLLATE "C" NOT NULL,
    operator TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS sent_by_conversation ON sent_by (conversation_key);
CREATE TABLE IF NOT EXISTS assignments (
    conversation_key TEXT COLLATE "C" PRIMARY KEY,
    operator TEXT NOT NULL,
    "by" TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL
);
CREATE TABLE IF NOT EXISTS notes (
    id BIGSERIAL PRIMARY KEY,
    conversation_key TEXT COLLATE "C" NOT NULL,
    operator TEXT NOT NULL,
    text TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_conversation ON notes (conversation_key, at);
"""


class OperatorBoard:
    """Who sent what, and the presence channel, for one process (see module).

    Args:
        url: The PostgreSQL server.
        schema: The account's schema.
        clock: Stamps what is recorded (a note's time is shown under it); the real clock
            when None.
    """

    def __init__(self, url: SecretUrl, schema: str, *, clock: Clock | None = None) -> None:
        self.url = url
        self.schema = schema
        self._clock: Clock = SystemClock() if clock is None else clock
        self._lock = threading.Lock()
        self._connection: psycopg.Connection[Any] | None = None

    def open(self) -> bool:
        """Connect and create the table when missing (blocking); False when it failed."""
        with self._lock:
            try:
                connection = connect(self.url, self.schema)
                with connection.transaction():
                    connection.execute(
                        "SELECT pg_advisory_xact_lock(%s)", (lock_key(self.schema + ":board"),)
                    )
                    for statement in filter(str.strip, _CREATE.split(";")):
                        connection.execute(statement)
            except (psycopg.Error, StoreError) as error:
                logger.warning("team board: %s", str(error).splitlines()[:1])
                return False
            self._connection = connection
            return True

    def close(self) -> None:
        """Close the connection (blocking)."""
        with self._lock:
            connection, self._connection = self._connection, None
            if connection is not None:
                connection.close()

    def record(self, message_key: str, conversation: str, operator: str) -> None:
        """Note that ``operator`` sent the message ``message_key`` (blocking)."""
        self._run(
            "INSERT INTO sent_by (message_key, conversation_key, operator, at)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (message_key) DO UPDATE"
            " SET operator = EXCLUDED.operator, at = EXCLUDED.at",
            (message_key, conversation, operator, self._clock.now()),
        )

    def names(self, conversation: str) -> dict[str, str]:
        """Who sent each recorded message of a conversation: message key → operator."""
        rows = self._run(
            "SELECT message_key, operator FROM sent_by WHERE conversation_key = %s",
            (conversation,),
            fetch=True,
        )
        return {str(key): str(name) for key, name in rows or ()}

    def assign(self, conversation: str, operator: str, by: str) -> None:
        """Give a conversation to ``operator`` ("": to nobody) and tell the others (blocking)."""
        if operator:
            self._run(
                'INSERT INTO assignments (conversation_key, operator, "by", at)'
                " VALUES (%s, %s, %s, %s) ON CONFLICT (conversation_key) DO UPDATE"
                ' SET operator = EXCLUDED.operator, "by" = EXCLUDED."by", at = EXCLUDED.at',
                (conversation, operator, by, self._clock.now()),
            )
        else:
            self._run("DELETE FROM assignments WHERE conversation_key = %s", (conversation,))
        self.publish(encode_change("assignments", conversation))

    def assignments(self) -> dict[str, str] | None:
        """Who looks after each assigned conversation (None: the server did not answer)."""
        rows = self._run("SELECT conversation_key, operator FROM assignments", (), fetch=True)
        return None if rows is None else {str(key): str(name) for key, name in rows}

    def operators(self) -> set[str]:
        """Every operator the team's tables name (who sent, was assigned, or wrote a note)."""
        rows = self._run(
            "SELECT operator FROM sent_by UNION SELECT operator FROM assignments"
            " UNION SELECT operator FROM notes",
            (),
            fetch=True,
        )
        return {str(name) for (name,) in rows or ()}

    def add_note(self, conversation: str, operator: str, text: str) -> bool:
        """Keep an internal note and tell the others (blocking); False when it failed."""
        rows = self._run(
            "INSERT INTO notes (conversation_key, operator, text, at)"
            " VALUES (%s, %s, %s, %s) RETURNING id",
            (conversation, operator, text, self._clock.now()),
            fetch=True,
        )
        if not rows:
            return False
        self.publish(encode_change("notes", conversation))
        return True

    def notes(self, conversation: str) -> list[TeamNote]:
        """A conversation's internal notes, oldest first."""
        rows = self._run(
            "SELECT id, operator, text, at FROM notes WHERE conversation_key = %s ORDER BY at, id",
            (conversation,),
            fetch=True,
        )
        return [
            TeamNote(int(id_), conversation, str(name), str(text), float(at))
            for id_, name, text, at in rows or ()
        ]

    def publish(self, payload: str) -> None:
        """Send ``payload`` on the account's channel now (delivered at once: autocommit)."""
        self._run("SELECT pg_notify(%s, %s)", (channel_name(self.schema), payload))

    def _run(
        self, statement: str, parameters: tuple[object, ...], *, fetch: bool = False
    ) -> list[tuple[Any, ...]] | None:
        with self._lock:
            connection = self._connection
            if connection is None:
                return None
            try:
                cursor = connection.execute(sql.SQL(statement), parameters)
                return cursor.fetchall() if fetch else None
            except psycopg.Error as error:
                logger.warning("team board: %s", str(error).splitlines()[:1])
                return None
