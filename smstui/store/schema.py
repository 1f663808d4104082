"""The store's tables, and the migrations that bring an older file up to date.

The schema version lives in ``PRAGMA user_version``. ``MIGRATIONS[n]`` turns a version-``n``
file into version ``n + 1``; the current version is ``len(MIGRATIONS)``. A new version is one
more function appended to the list, never an edit of an old one: files written by every earlier
release must keep opening.

Message rows use a time-ordered ``id`` (see :func:`time_id_range`): the full-text index shares it as
its rowid, so "newest matches first" is a walk of the index in descending rowid order that stops
after ``LIMIT`` rows instead of sorting every match (see :mod:`smstui.store.search`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from smstui.domain.folding import fold
from smstui.store.folding import index_text

__all__ = [
    "CURRENT_VERSION",
    "HAYSTACK_SQL",
    "ID_SHIFT",
    "ID_SLOTS",
    "MIGRATIONS",
    "SchemaTooNewError",
    "conversation_haystack",
    "digits_of",
    "migrate",
    "time_id_range",
    "user_version",
]

ID_SLOTS = 64
"""Message ids per second: a message's id is ``timestamp * ID_SLOTS + n``.

Small on purpose: FTS5 stores each doclist as varint rowid deltas, so ids a few hundred apart
keep a delta at one or two bytes where ``timestamp << 24`` (schema version 3 and earlier) made
every one 5–8 bytes and the index 2.4 times larger. More than 64 messages in one second take
the next free ids after their second's (see :class:`smstui.store.writes.Batch`)."""
ID_SHIFT = 24
"""The shift of the ids of schema versions 1–3 (``timestamp << 24 | n``); kept for tests."""
_MAX_SECONDS = (1 << 56) - 1
"""Largest second with its own ids; leaves room above it for ids of bursts."""


def time_id_range(timestamp: int) -> tuple[int, int]:
    """Return the half-open range of message ids reserved for one second.

    Args:
        timestamp: Epoch seconds; values outside what fits in an id are clamped (the row keeps
            its real timestamp, only its place in the index order is approximate).

    Returns:
        ``(first, end)``: ids ``first <= id < end`` belong to that second.
    """
    seconds = min(max(timestamp, 0), _MAX_SECONDS)
    first = seconds * ID_SLOTS
    return first, first + ID_SLOTS


_V1 = """
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,            -- time-ordered, see time_id_range()
    key TEXT NOT NULL UNIQUE,          -- Message.key: the identity across endpoints
    conversation_key TEXT NOT NULL,
    message_id TEXT,
    outbound INTEGER NOT NULL,
    sender TEXT NOT NULL,
    receiver TEXT NOT NULL,
    text TEXT NOT NULL,                -- lone surrogates replaced by U+FFFD ...
    text_raw BLOB,                     -- ... and the exact text here (surrogatepass) when so
    attachments TEXT NOT NULL DEFAULT '[]',
    timestamp INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (conversation_key, timestamp, key);

CREATE TABLE conversations (
    key TEXT PRIMARY KEY,
    number TEXT NOT NULL,              -- the counterparty as the API spells it
    own_number TEXT NOT NULL DEFAULT '',
    timestamp INTEGER NOT NULL,
    preview TEXT NOT NULL,
    last_key TEXT NOT NULL,
    last_outbound INTEGER NOT NULL,
    last_status TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX conversations_by_time ON conversations (timestamp DESC, key);

CREATE TABLE contacts (
    key TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    name TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE own_numbers (number TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE state (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE positions (
    conversation_key TEXT PRIMARY KEY,
    message_key TEXT NOT NULL
) WITHOUT ROWID;
"""


def _v1_initial(connection: sqlite3.Connection) -> None:
    """Version 1: messages, conversation summaries, contacts and small state."""
    for statement in _V1.split(";"):
        if statement.strip():
            connection.execute(statement)


def _v2_search(connection: sqlite3.Connection) -> None:
    """Version 2: full-text search, filled from the messages already stored.

    A contentless FTS5 table (``content=''``) holds only the index of folded text, not a
    second copy of it: folding happens in Python, so an external-content table would need the
    folded text stored somewhere anyway. Rows are written by the store in the same transaction
    as the message (not by triggers, which would need a Python ``fold`` function registered on
    every connection, including an sqlite3 shell someone opens on the file). ``columnsize=0``:
    results are ordered by time, never by rank, so per-row token counts are not stored.

    Conversations and contacts get folded columns for name and number matching.
    """
    connection.execute(
        "CREATE VIRTUAL TABLE message_fts USING fts5("
        "body, content='', columnsize=0, tokenize='trigram')"
    )
    rows = connection.execute("SELECT id, text, text_raw FROM messages")
    connection.executemany(
        "INSERT INTO message_fts (rowid, body) VALUES (?, ?)",
        ((row[0], index_text(_text_of(row[1], row[2]))) for row in rows),
    )
    connection.execute("ALTER TABLE contacts ADD COLUMN folded TEXT NOT NULL DEFAULT ''")
    connection.execute("ALTER TABLE conversations ADD COLUMN folded TEXT NOT NULL DEFAULT ''")
    connection.execute("ALTER TABLE conversations ADD COLUMN digits TEXT NOT NULL DEFAULT ''")
    for key, name in connection.execute("SELECT key, name FROM contacts").fetchall():
        connection.execute("UPDATE contacts SET folded = ? WHERE key = ?", (fold(name), key))
    for key, number in connection.execute("SELECT key, number FROM conversations").fetchall():
        connection.execute(
            "UPDATE conversations SET folded = ?, digits = ? WHERE key = ?",
            (conversation_haystack(number, key), digits_of(number), key),
        )


def _text_of(text: str, raw: bytes | None) -> str:
    """Return a row's exact text: ``text_raw`` when present (it keeps lone surrogates)."""
    if raw is None:
        return text
    return bytes(raw).decode("utf-8", "surrogatepass")


def conversation_haystack(number: str, key: str) -> str:
    """Return the folded text a conversation's number or sender name is searched in."""
    return fold(f"{number} {key}")


def digits_of(value: str) -> str:
    """Return only the ASCII digits of ``value`` (what a number search matches against)."""
    return "".join(char for char in value if "0" <= char <= "9")


HAYSTACK_SQL = (
    "coalesce((SELECT folded FROM contacts WHERE contacts.key = {key}), '') || char(31) || {folded}"
)
"""SQL for a conversation's search haystack: the contact's folded name, U+001F, the folded number
and key. Format it with the SQL expressions of the conversation key and its ``folded`` column."""


def _v3_haystack(connection: sqlite3.Connection) -> None:
    """Version 3: one precomputed haystack per conversation for the name and number search.

    Searching used to join contacts and concatenate their folded name with the conversation's
    folded number for every one of thousands of rows, in time order through an index (about
    10 ms a query). ``haystack`` holds that concatenation; the store keeps it current when a
    conversation or a contact is written.
    """
    connection.execute("ALTER TABLE conversations ADD COLUMN haystack TEXT NOT NULL DEFAULT ''")
    connection.execute(
        "UPDATE conversations SET haystack = "
        + HAYSTACK_SQL.format(key="conversations.key", folded="conversations.folded")
    )


def _v4_dense_ids(connection: sqlite3.Connection) -> None:
    """Version 4: message ids ``timestamp * 64 + n`` instead of ``timestamp << 24 | n``.

    Same order, far smaller full-text index (see :data:`ID_SLOTS`). Every row gets its new id
    in the old order, and the contentless index is rebuilt under the new ids (it cannot be
    renumbered in place).
    """
    rows = connection.execute(
        "SELECT id, timestamp, text, text_raw FROM messages ORDER BY id"
    ).fetchall()
    connection.execute("INSERT INTO message_fts (message_fts) VALUES ('delete-all')")
    # Out of the way first (old ids are >= 0), so no new id meets an old one.
    connection.execute("UPDATE messages SET id = -1 - id")
    taken: set[int] = set()
    following: dict[int, int] = {}
    renumbered: list[tuple[int, int]] = []
    index: list[tuple[int, str]] = []
    for old, timestamp, text, raw in rows:
        first, _end = time_id_range(int(timestamp))
        new = following.get(first, first)
        while new in taken:
            new += 1
        taken.add(new)
        following[first] = new + 1
        renumbered.append((new, -1 - old))
        index.append((new, index_text(_text_of(text, raw))))
    connection.executemany("UPDATE messages SET id = ? WHERE id = ?", renumbered)
    index.sort()
    connection.executemany("INSERT INTO message_fts (rowid, body) VALUES (?, ?)", index)


def _v5_local_state(connection: sqlite3.Connection) -> None:
    """Version 5: the user's own state — drafts, read markers, mutes, opt-outs, the outbox.

    One row per entry, its value JSON text (see :mod:`smstui.store.personal` for the kinds).
    Plain portable SQL on purpose, no ``WITHOUT ROWID`` or JSON functions: a PostgreSQL backend
    creates the same table and runs the same statements (``INSERT … ON CONFLICT … DO UPDATE``).
    The JSON files these kinds lived in are imported by :mod:`smstui.store.local_state`, not
    here: a migration must not depend on files outside the database.
    """
    connection.execute(
        "CREATE TABLE local_state ("
        "kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, "
        "PRIMARY KEY (kind, key))"
    )


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _v1_initial,
    _v2_search,
    _v3_haystack,
    _v4_dense_ids,
    _v5_local_state,
)
"""``MIGRATIONS[n]`` upgrades a version-``n`` file to version ``n + 1``."""

CURRENT_VERSION = len(MIGRATIONS)


class SchemaTooNewError(Exception):
    """The file was written by a newer release whose schema this one does not know."""


def user_version(connection: sqlite3.Connection) -> int:
    """Return the file's schema version (``PRAGMA user_version``; 0 for a new file)."""
    value = connection.execute("PRAGMA user_version").fetchone()[0]
    return int(value)


def migrate(connection: sqlite3.Connection) -> int:
    """Bring the file to :data:`CURRENT_VERSION`, in one write transaction.

    The version is read again once the write lock is held: two processes opening a new file at
    the same moment must not both create the tables.

    Args:
        connection: An autocommit connection (``isolation_level=None``).

    Returns:
        The version the file had before.

    Raises:
        SchemaTooNewError: The file's version is newer than :data:`CURRENT_VERSION`.
    """
    if user_version(connection) == CURRENT_VERSION:
        return CURRENT_VERSION
    connection.execute("BEGIN IMMEDIATE")
    try:
        found = user_version(connection)
        if found > CURRENT_VERSION:
            raise SchemaTooNewError(f"schema version {found} > {CURRENT_VERSION}")
        for step in MIGRATIONS[found:]:
            step(connection)
        # PRAGMA user_version is part of the transaction: the upgrade is all or nothing.
        connection.execute(f"PRAGMA user_version = {CURRENT_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return found
