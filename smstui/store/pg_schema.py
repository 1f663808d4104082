"""PostgreSQL: the connection the shared SQL runs on, the account's schema, the write batch.

One schema per account (``smstui_<hash>``, the hash that names the SQLite file), found through
``search_path``: every statement of :mod:`smstui.store.base` runs unchanged, and an account's
data is dropped, dumped or granted as one unit. Key columns use the ``C`` collation, so keys
sort by code point as they do in SQLite (and in Python).

The schema version lives in the ``store_info`` table. ``PG_MIGRATIONS[n]`` turns version ``n``
into ``n + 1``, the same rule as :mod:`smstui.store.schema` (a new version is one more
function, never an edit of an old one).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import psycopg
from psycopg import sql

from smstui.store.folding import index_text
from smstui.store.rows import MESSAGE_COLUMNS, StoredMessage
from smstui.store.small_state import Rows
from smstui.store.writes import Batch, row_values

__all__ = [
    "CURRENT_PG_VERSION",
    "PG_MIGRATIONS",
    "PgBatch",
    "PgConnection",
    "SchemaTooNewError",
    "lock_key",
    "migrate",
    "placeholders",
]

_REPLACEMENT = "\ufffd"


@functools.lru_cache(maxsize=256)
def placeholders(statement: str) -> str:
    """Turn the shared SQL's ``?`` placeholders into psycopg's ``%s`` (``%`` doubled).

    The shared SQL has no ``?`` or ``%`` inside string literals, so a plain replace is exact.
    """
    return statement.replace("%", "%%").replace("?", "%s")


def _clean(value: object) -> object:
    # PostgreSQL text cannot hold NUL; SQLite can. The message text keeps its NUL exactly
    # through ``text_raw`` (see PgBatch.insert); elsewhere NUL becomes U+FFFD.
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", _REPLACEMENT)
    return value


class PgConnection:
    """A psycopg connection speaking the shared SQL (``?`` placeholders, NUL-free text)."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.raw = connection

    def execute(self, statement: str, parameters: Sequence[Any] = (), /) -> Rows:
        """Run one statement; return its cursor."""
        if not parameters:
            return self.raw.execute(statement)  # no placeholders: no % doubling either
        return self.raw.execute(placeholders(statement), [_clean(value) for value in parameters])

    def executemany(self, statement: str, parameters: Iterable[Sequence[Any]], /) -> None:
        """Run one statement for each parameter row."""
        rows = [[_clean(value) for value in row] for row in parameters]
        if rows:
            with self.raw.cursor() as cursor:
                cursor.executemany(placeholders(statement), rows)


class PgBatch(Batch):
    """The write batch on PostgreSQL: the text index is the row's own ``body`` column.

    ``body`` holds :func:`~smstui.store.folding.index_text` of the message, written with the
    row, so there is no separate index to keep in step (the index methods do nothing).
    """

    KEYS_IN = "json_array_elements_text(CAST(? AS json))"
    IDS_IN = (
        "(SELECT CAST(value AS bigint) AS value FROM json_array_elements_text(CAST(? AS json)))"
    )

    def insert(self, stored: StoredMessage) -> None:
        """Insert the row with its folded ``body``; a text with NUL keeps it in ``text_raw``."""
        values = list(row_values(stored))
        text = stored.message.text
        if values[8] is None and "\x00" in text:
            values[8] = text.encode("utf-8", "surrogatepass")
        self.connection.execute(_INSERT, [*values, index_text(text)])

    def index(self, stored: StoredMessage) -> None:
        """Nothing to do: ``body`` was written with the row."""

    def unindex(self, stored: StoredMessage) -> None:
        """Nothing to do: ``body`` goes with the row."""

    def flush(self) -> None:
        """Nothing to do."""


_INSERT = (
    f"INSERT INTO messages ({MESSAGE_COLUMNS}, body) "
    f"VALUES ({', '.join('?' * (len(MESSAGE_COLUMNS.split(',')) + 1))})"
)

_V1 = """
CREATE TABLE messages (
    id BIGINT PRIMARY KEY,                 -- time-ordered, see schema.time_id_range()
    key TEXT COLLATE "C" NOT NULL UNIQUE,
    conversation_key TEXT COLLATE "C" NOT NULL,
    message_id TEXT,
    outbound INTEGER NOT NULL,
    sender TEXT NOT NULL,
    receiver TEXT NOT NULL,
    text TEXT NOT NULL,                    -- U+FFFD for lone surrogates and NUL ...
    text_raw BYTEA,                        -- ... and the exact text here when so
    attachments TEXT NOT NULL DEFAULT '[]',
    timestamp BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT ''          -- folding.index_text(text): what search looks in
);
CREATE INDEX messages_by_conversation ON messages (conversation_key, timestamp, key);

CREATE TABLE conversations (
    key TEXT COLLATE "C" PRIMARY KEY,
    number TEXT NOT NULL,
    own_number TEXT NOT NULL DEFAULT '',
    timestamp BIGINT NOT NULL,
    preview TEXT NOT NULL,
    last_key TEXT NOT NULL,
    last_outbound INTEGER NOT NULL,
    last_status TEXT NOT NULL,
    folded TEXT NOT NULL DEFAULT '',
    digits TEXT NOT NULL DEFAULT '',
    haystack TEXT NOT NULL DEFAULT ''
);
CREATE INDEX conversations_by_time ON conversations (timestamp DESC, key);

CREATE TABLE contacts (
    key TEXT COLLATE "C" PRIMARY KEY,
    phone TEXT NOT NULL,
    name TEXT NOT NULL,
    folded TEXT NOT NULL DEFAULT ''
);
CREATE TABLE own_numbers (number TEXT COLLATE "C" PRIMARY KEY);
CREATE TABLE state (name TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE positions (
    conversation_key TEXT COLLATE "C" PRIMARY KEY,
    message_key TEXT NOT NULL
);
-- schema_version, and changes: bumped by every write transaction (MessageStore.data_version).
CREATE TABLE store_info (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO store_info (name, value) VALUES ('schema_version', 0), ('changes', 0);
"""


def _v1_initial(connection: PgConnection) -> None:
    """Version 1: the tables of SQLite's version 4, with the search text in ``body``."""
    for statement in _V1.split(";"):
        if statement.strip():
            connection.execute(statement)


PG_MIGRATIONS: tuple[Callable[[PgConnection], None], ...] = (_v1_initial,)
"""``PG_MIGRATIONS[n]`` upgrades a version-``n`` schema to version ``n + 1``."""

CURRENT_PG_VERSION = len(PG_MIGRATIONS)


class SchemaTooNewError(Exception):
    """The account's schema was written by a newer release."""


def lock_key(schema: str) -> int:
    """Return the advisory-lock key that serialises the writers of one account's schema.

    A signed 64-bit number from the schema name. Later uses of advisory locks (leader election)
    take the two-number form ``pg_advisory_lock(int, int)``, which never meets this one.
    """
    digest = hashlib.sha256(schema.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def migrate(connection: PgConnection, schema: str) -> int:
    """Create the account's schema, or bring it to :data:`CURRENT_PG_VERSION`.

    One transaction, under the account's write lock: two processes opening a new account at
    the same moment do not both create it.

    Args:
        connection: An autocommit connection whose ``search_path`` is ``schema``.
        schema: The account's schema name.

    Returns:
        The version the schema had before (0: it was created).

    Raises:
        SchemaTooNewError: The schema comes from a newer release.
    """
    with connection.raw.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(?)", (lock_key(schema),))
        connection.raw.execute(
            sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema))
        )
        exists = connection.execute(
            "SELECT to_regclass(?)", (sql.Identifier(schema, "store_info").as_string(),)
        ).fetchone()[0]
        found = 0
        if exists is not None:
            row = connection.execute(
                "SELECT value FROM store_info WHERE name = 'schema_version'"
            ).fetchone()
            found = int(row[0])
        if found > CURRENT_PG_VERSION:
            raise SchemaTooNewError(f"schema version {found} > {CURRENT_PG_VERSION}")
        for step in PG_MIGRATIONS[found:]:
            step(connection)
        if found != CURRENT_PG_VERSION:
            connection.execute(
                "UPDATE store_info SET value = ? WHERE name = 'schema_version'",
                (CURRENT_PG_VERSION,),
            )
    return found
