"""Writing messages: identities for inbox and sent rows, the upsert, and conversation summaries.

Everything here runs inside a write transaction the store holds.
"""

from __future__ import annotations

import sqlite3

from smstui.api.models import Contact, InboxItem, Message, SentItem
from smstui.api.parse import message_key
from smstui.phones import conversation_key as conversation_key_of
from smstui.store.folding import fold, index_text, safe_text
from smstui.store.rows import (
    MESSAGE_COLUMNS,
    StoredMessage,
    attachments_json,
    merge,
    message_from_row,
    text_columns,
)
from smstui.store.schema import HAYSTACK_SQL, conversation_haystack, digits_of, time_id_range

__all__ = [
    "NEWEST_FIRST",
    "anchor",
    "contact_row",
    "inbox_message",
    "refresh_conversation",
    "remove",
    "sent_message",
    "unindex",
    "upsert",
]

NEWEST_FIRST = "ORDER BY timestamp DESC, key DESC"
"""The one message order, newest first: ``(timestamp, key)`` descending."""


def inbox_message(item: InboxItem) -> tuple[str, Message] | None:
    """Return ``(conversation key, message)`` for an inbox row, or None to skip it.

    The key is the one the conversation endpoint gives the same inbound message, so both copies
    are one row. Rows without a parseable date are skipped: their key would not match the
    thread's copy, and they could not be placed in time.
    """
    key = conversation_key_of(item.sender)
    if item.timestamp is None or not key:
        return None
    identity = _key(None, False, item.sender, item.receiver, item.timestamp, item.text)
    message = Message(
        key=identity,
        message_id=None,
        outbound=False,
        sender=item.sender,
        receiver=item.receiver,
        text=item.text,
        attachments=(),
        timestamp=item.timestamp,
        status="",
    )
    return key, message


def sent_message(item: SentItem) -> tuple[str, Message] | None:
    """Return ``(conversation key, message)`` for a sent-history row, or None to skip it.

    Rows without a parseable date are skipped, and so are group sends: their ``to`` is a group
    id, not a counterparty.
    """
    key = conversation_key_of(item.to)
    if item.timestamp is None or not key or item.type.strip().lower() == "group":
        return None
    message_id = item.message_id or None
    identity = _key(message_id, True, item.sender, item.to, item.timestamp, item.text)
    message = Message(
        key=identity,
        message_id=message_id,
        outbound=True,
        sender=item.sender,
        receiver=item.to,
        text=item.text,
        attachments=(),
        timestamp=item.timestamp,
        status=item.status.strip().upper(),
    )
    return key, message


def _key(
    message_id: str | None, outbound: bool, sender: str, receiver: str, timestamp: int, text: str
) -> str:
    """Return :func:`message_key`, also for text holding a lone surrogate.

    Such text cannot be hashed as UTF-8; the parser would have turned the surrogate into U+FFFD
    (``clean_text``), so hashing that spelling gives the key the thread's copy would get.
    """
    try:
        return message_key(message_id, outbound, sender, receiver, timestamp, text)
    except UnicodeEncodeError:
        return message_key(
            message_id, outbound, safe_text(sender), safe_text(receiver), timestamp,
            safe_text(text),
        )  # fmt: skip


def anchor(connection: sqlite3.Connection, conversation: str, key: str) -> tuple[int, str] | None:
    """Return the ``(timestamp, key)`` of a message of a conversation, or None."""
    row = connection.execute(
        "SELECT timestamp, key FROM messages WHERE key = ? AND conversation_key = ?",
        (safe_text(key), conversation),
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def _allocate_id(connection: sqlite3.Connection, timestamp: int) -> int:
    """Return a free, time-ordered message id for a message of this second."""
    first, end = time_id_range(timestamp)
    row = connection.execute(
        "SELECT max(id) FROM messages WHERE id >= ? AND id < ?", (first, end)
    ).fetchone()
    if row[0] is None:
        return first
    if row[0] + 1 < end:
        return int(row[0]) + 1
    # 16 million messages in one second: give up on the exact order, not on the message.
    return int(connection.execute("SELECT max(id) + 1 FROM messages").fetchone()[0])


def _index(connection: sqlite3.Connection, stored: StoredMessage) -> None:
    connection.execute(
        "INSERT INTO message_fts (rowid, body) VALUES (?, ?)",
        (stored.id, index_text(stored.message.text)),
    )


def unindex(connection: sqlite3.Connection, stored: StoredMessage) -> None:
    """Remove a message's entry from the full-text index."""
    # A contentless FTS5 table deletes a row only when given the exact text it indexed.
    connection.execute(
        "INSERT INTO message_fts (message_fts, rowid, body) VALUES ('delete', ?, ?)",
        (stored.id, index_text(stored.message.text)),
    )


def _row_values(stored: StoredMessage) -> tuple[object, ...]:
    message = stored.message
    text, text_raw = text_columns(message.text)
    return (
        stored.id,
        safe_text(message.key),
        stored.conversation_key,
        None if message.message_id is None else safe_text(message.message_id),
        int(message.outbound),
        safe_text(message.sender),
        safe_text(message.receiver),
        text,
        text_raw,
        attachments_json(message.attachments),
        message.timestamp,
        safe_text(message.status),
        safe_text(message.reference),
        stored.source,
    )


def upsert(
    connection: sqlite3.Connection,
    conversation: str,
    message: Message,
    source: str,
    touched: set[str],
) -> bool:
    """Insert or merge one message; return True when it is new. Adds affected conversations."""
    row = connection.execute(
        f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE key = ?", (safe_text(message.key),)
    ).fetchone()
    placeholders = ", ".join("?" * len(MESSAGE_COLUMNS.split(",")))
    if row is None:
        stored = StoredMessage(
            _allocate_id(connection, message.timestamp), conversation, source, message
        )
        connection.execute(
            f"INSERT INTO messages ({MESSAGE_COLUMNS}) VALUES ({placeholders})",
            _row_values(stored),
        )
        _index(connection, stored)
        touched.add(conversation)
        return True
    old = message_from_row(row)
    merged = merge(old, message, conversation, source)
    if merged is None:
        return False
    # Replace the row rather than UPDATE each column: one code path with the insert.
    connection.execute("DELETE FROM messages WHERE id = ?", (old.id,))
    if merged.message.timestamp != old.message.timestamp:
        # The id orders the search index by time: a new time needs a new id.
        merged = StoredMessage(
            _allocate_id(connection, merged.message.timestamp),
            merged.conversation_key,
            merged.source,
            merged.message,
        )
    connection.execute(
        f"INSERT INTO messages ({MESSAGE_COLUMNS}) VALUES ({placeholders})", _row_values(merged)
    )
    if merged.id != old.id or merged.message.text != old.message.text:
        unindex(connection, old)
        _index(connection, merged)
    touched.update((old.conversation_key, merged.conversation_key))
    return False


def refresh_conversation(connection: sqlite3.Connection, key: str) -> None:
    """Recompute a conversation's summary from its newest message (or drop it if none)."""
    row = connection.execute(
        f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_key = ? {NEWEST_FIRST} LIMIT 1",
        (key,),
    ).fetchone()
    if row is None:
        connection.execute("DELETE FROM conversations WHERE key = ?", (key,))
        return
    last = message_from_row(row).message
    counterparty, own = (
        (last.receiver, last.sender) if last.outbound else (last.sender, last.receiver)
    )
    number = safe_text(counterparty) or key
    folded = conversation_haystack(number, key)
    connection.execute(
        "INSERT INTO conversations (key, number, own_number, timestamp, preview, last_key, "
        "last_outbound, last_status, folded, digits, haystack) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + _HAYSTACK_VALUE + ") "
        "ON CONFLICT (key) DO UPDATE SET number = excluded.number, "
        # A thread's copy may not say which of our numbers it ran on: keep what we knew.
        "own_number = CASE WHEN excluded.own_number != '' THEN excluded.own_number "
        "ELSE conversations.own_number END, timestamp = excluded.timestamp, "
        "preview = excluded.preview, last_key = excluded.last_key, "
        "last_outbound = excluded.last_outbound, last_status = excluded.last_status, "
        "folded = excluded.folded, digits = excluded.digits, haystack = excluded.haystack",
        (
            key,
            number,
            safe_text(own),
            last.timestamp,
            safe_text(last.text),
            safe_text(last.key),
            int(last.outbound),
            safe_text(last.status) if last.outbound else "",
            folded,
            digits_of(number),
            key,
            folded,
        ),
    )


_HAYSTACK_VALUE = HAYSTACK_SQL.format(key="?", folded="?")


def remove(connection: sqlite3.Connection, message_key: str) -> None:
    """Delete a message and its index entry, then refresh its conversation's summary."""
    row = connection.execute(
        f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE key = ?", (safe_text(message_key),)
    ).fetchone()
    if row is None:
        return
    stored = message_from_row(row)
    unindex(connection, stored)
    connection.execute("DELETE FROM messages WHERE id = ?", (stored.id,))
    refresh_conversation(connection, stored.conversation_key)


def contact_row(contact: Contact) -> tuple[str, str, str, str] | None:
    """Return the ``(key, phone, name, folded name)`` row of a contact; None without a number."""
    key = safe_text(conversation_key_of(contact.phone))
    if not key:
        return None
    name = safe_text(contact.display_name)
    return key, safe_text(contact.phone), name, fold(name)
