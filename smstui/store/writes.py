"""Writing messages: identities for inbox and sent rows, the upsert, and conversation summaries.

Everything here runs inside a write transaction the store holds.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable

from smstui.domain.folding import fold
from smstui.domain.models import Contact, InboxItem, Message, SentItem, message_key
from smstui.domain.phones import conversation_key, conversation_number
from smstui.store.folding import index_text, safe_text
from smstui.store.rows import (
    MESSAGE_COLUMNS,
    StoredMessage,
    attachments_json,
    merge,
    message_from_row,
    text_columns,
)
from smstui.store.schema import (
    ID_SLOTS,
    conversation_haystack,
    digits_of,
    time_id_range,
)
from smstui.store.small_state import Connection

# A pure function called for every inbox and sent row, with a few thousand distinct arguments.
conversation_key_of = functools.lru_cache(maxsize=8192)(conversation_key)

__all__ = [
    "HAYSTACK_SEPARATOR",
    "NEWEST_FIRST",
    "Batch",
    "anchor",
    "contact_row",
    "in_gateway_order",
    "inbox_message",
    "refresh_conversation",
    "refresh_conversations",
    "remove",
    "sent_message",
    "upsert",
]

NEWEST_FIRST = "ORDER BY timestamp DESC, id DESC"
"""The one message order, newest first: ``(timestamp, id)`` descending.

The gateway orders by ``unixDatetime``; within a second its lists keep their own order, and the
store keeps it in the id: a batch is stored oldest first (:func:`in_gateway_order`), and ids of
a second are handed out in increasing order. Every process reading the store sees one order,
the thread, the previews and the paging alike."""


def in_gateway_order(batch: list[tuple[str, Message]]) -> list[tuple[str, Message]]:
    """A batch as the gateway lists it (newest first), reordered oldest first for storing.

    Messages of the same second keep the gateway's order between them, so the ids they get
    (increasing within a second) make ``(timestamp, id)`` the gateway's order.
    """
    oldest_first = batch[::-1]
    oldest_first.sort(key=lambda entry: entry[1].timestamp)  # stable: a second keeps its order
    return oldest_first


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


def anchor(connection: Connection, conversation: str, key: str) -> tuple[int, int] | None:
    """Return the ``(timestamp, id)`` of a message of a conversation (its place), or None."""
    row = connection.execute(
        "SELECT timestamp, id FROM messages WHERE key = ? AND conversation_key = ?",
        (safe_text(key), conversation),
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]))


class Batch:
    """Id allocation and full-text index writes of one write transaction.

    FTS5 flushes its pending terms to a new segment whenever a row's rowid is not larger than
    the previous one. History pages arrive newest first, so indexing each message as it was
    stored made one segment per message (three quarters of the write CPU). The batch keeps
    the index writes and applies them in :meth:`flush`: deletions, then insertions, each in
    ascending rowid order, so a batch becomes one or two segments.

    This is the SQLite batch; an engine with another text index subclasses it (the index
    methods, :meth:`insert`, and the table functions reading a JSON list of parameters).
    """

    KEYS_IN = "json_each(?)"
    """A table function of one JSON-list parameter with a column ``value`` (text)."""
    IDS_IN = "json_each(?)"
    """The same, ``value`` an integer."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._next: dict[int, int] = {}
        self._inserts: dict[int, str] = {}
        self._deletes: list[tuple[int, str]] = []
        self._rows: dict[str, StoredMessage | None] = {}
        self._taken: set[int] = set()
        self._highest: dict[int, int | None] = {}

    def preload(self, messages: Iterable[Message]) -> None:
        """Read, in two statements, what upserting these messages needs to know.

        The stored copies of their keys, and the ids already taken in their seconds: a
        statement per message for each cost more than the rest of the write.
        """
        keys: list[str] = []
        firsts: set[int] = set()
        for message in messages:
            keys.append(safe_text(message.key))
            firsts.add(time_id_range(message.timestamp)[0])
        found = self.connection.execute(
            f"SELECT {MESSAGE_COLUMNS} FROM messages "
            f"WHERE key IN (SELECT value FROM {self.KEYS_IN})",
            (json.dumps(keys),),
        )
        self._rows.update(dict.fromkeys(keys))
        for row in found:
            self._rows[row[1]] = message_from_row(row)
        self._highest.update(dict.fromkeys(firsts))
        taken = self.connection.execute(
            f"SELECT j.value, m.id FROM {self.IDS_IN} j JOIN messages m "
            "ON m.id >= j.value AND m.id < j.value + ?",
            (json.dumps(sorted(firsts)), ID_SLOTS),
        )
        for first, taken_id in taken:
            self._taken.add(taken_id)
            highest = self._highest[first]
            if highest is None or taken_id > highest:
                self._highest[first] = taken_id

    def stored(self, key: str) -> StoredMessage | None:
        """Return the stored copy of a message (as of this batch), or None."""
        if key in self._rows:
            return self._rows[key]
        row = self.connection.execute(
            f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE key = ?", (key,)
        ).fetchone()
        return None if row is None else message_from_row(row)

    def remember(self, key: str, stored: StoredMessage) -> None:
        """Note what was just written for a key, for a later copy in the same batch."""
        self._rows[key] = stored

    def allocate(self, timestamp: int) -> int:
        """Return a free, time-ordered message id for a message of this second.

        A second has :data:`~smstui.store.schema.ID_SLOTS` ids. When they are taken (a burst),
        the message gets the next free id after them, in the slots of the following seconds:
        its place in the index order is then a little late, never lost.
        """
        first, end = time_id_range(timestamp)
        candidate = self._next.get(first)
        if candidate is None:
            if first in self._highest:
                highest = self._highest[first]
            else:
                highest = self.connection.execute(
                    "SELECT max(id) FROM messages WHERE id >= ? AND id < ?", (first, end)
                ).fetchone()[0]
            candidate = first if highest is None else int(highest) + 1
        # Below ``end`` every id taken is known (preloaded, or above the max just read, or
        # allocated here); above it, ids of later seconds not preloaded are asked for.
        while candidate in self._taken or (
            candidate >= end
            and self.connection.execute(
                "SELECT 1 FROM messages WHERE id = ?", (candidate,)
            ).fetchone()
        ):
            candidate += 1
        self._taken.add(candidate)
        self._next[first] = candidate + 1
        return candidate

    def insert(self, stored: StoredMessage) -> None:
        """Insert a message row (not yet indexed: see :meth:`index`)."""
        self.connection.execute(_INSERT, row_values(stored))

    def index(self, stored: StoredMessage) -> None:
        """Add a message to the full-text index (at :meth:`flush`)."""
        self._inserts[stored.id] = index_text(stored.message.text)

    def unindex(self, stored: StoredMessage) -> None:
        """Remove a message's entry from the full-text index (at :meth:`flush`)."""
        body = index_text(stored.message.text)
        if self._inserts.get(stored.id) == body:
            del self._inserts[stored.id]  # indexed in this batch: never written
        else:
            self._deletes.append((stored.id, body))

    def flush(self) -> None:
        """Write the pending index changes, each kind in ascending rowid order."""
        if self._deletes:
            # A contentless FTS5 table deletes a row only when given the exact text it indexed.
            self.connection.executemany(
                "INSERT INTO message_fts (message_fts, rowid, body) VALUES ('delete', ?, ?)",
                sorted(self._deletes),
            )
        if self._inserts:
            self.connection.executemany(
                "INSERT INTO message_fts (rowid, body) VALUES (?, ?)", sorted(self._inserts.items())
            )
        self._deletes.clear()
        self._inserts.clear()


def row_values(stored: StoredMessage) -> tuple[object, ...]:
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


_INSERT = (
    f"INSERT INTO messages ({MESSAGE_COLUMNS}) "
    f"VALUES ({', '.join('?' * len(MESSAGE_COLUMNS.split(',')))})"
)


def upsert(
    batch: Batch,
    conversation: str,
    message: Message,
    source: str,
    touched: dict[str, tuple[int, int] | None],
) -> bool:
    """Insert or merge one message; return True when it is new.

    Notes affected conversations in ``touched`` for :func:`refresh_conversations`: with the
    newest ``(timestamp, id)`` inserted into them, or None when a message moved or changed.
    """
    connection = batch.connection
    key = safe_text(message.key)
    old = batch.stored(key)
    if old is None:
        stored = StoredMessage(batch.allocate(message.timestamp), conversation, source, message)
        batch.insert(stored)
        batch.index(stored)
        batch.remember(key, stored)
        if conversation not in touched or (
            (newest := touched[conversation]) is not None
            and newest < (message.timestamp, stored.id)
        ):
            touched[conversation] = (message.timestamp, stored.id)
        return True
    merged = merge(old, message, conversation, source)
    if merged is None:
        return False
    # Replace the row rather than UPDATE each column: one code path with the insert.
    connection.execute("DELETE FROM messages WHERE id = ?", (old.id,))
    if merged.message.timestamp != old.message.timestamp:
        # The id orders the search index by time: a new time needs a new id.
        merged = StoredMessage(
            batch.allocate(merged.message.timestamp),
            merged.conversation_key,
            merged.source,
            merged.message,
        )
    batch.insert(merged)
    if merged.id != old.id or merged.message.text != old.message.text:
        batch.unindex(old)
        batch.index(merged)
    batch.remember(key, merged)
    touched.update(dict.fromkeys((old.conversation_key, merged.conversation_key)))
    return False


def refresh_conversations(batch: Batch, touched: dict[str, tuple[int, int] | None]) -> None:
    """Refresh the summaries of the conversations a batch touched, skipping unchanged ones.

    A conversation that only gained messages older than its summary's newest message keeps
    its summary: that is every conversation on a backfill page of old history, where reading
    each one's newest message again cost a seventh of the write time.
    """
    connection = batch.connection
    gained = {key: newest for key, newest in touched.items() if newest is not None}
    current = {
        key: (int(timestamp), int(last_id))
        for key, timestamp, last_id in connection.execute(
            "SELECT c.key, c.timestamp, m.id FROM conversations c "
            "JOIN messages m ON m.key = c.last_key "
            f"WHERE c.key IN (SELECT value FROM {batch.KEYS_IN})",
            (json.dumps(list(gained)),),
        )
    }
    for key, newest in touched.items():
        if newest is None or key not in current or newest >= current[key]:
            refresh_conversation(connection, key)


def refresh_conversation(connection: Connection, key: str) -> None:
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
    own = conversation_number(own)  # the gateway's placeholder "Sender" is no number of ours
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
            HAYSTACK_SEPARATOR + folded,
        ),
    )


HAYSTACK_SEPARATOR = "\x1f"
"""Between a conversation's contact name and number in its search haystack
(:data:`smstui.store.schema.HAYSTACK_SQL`'s ``char(31)``, passed as a parameter here so the
statement runs on every engine)."""

_HAYSTACK_VALUE = (
    "coalesce((SELECT folded FROM contacts WHERE contacts.key = ?), '') || CAST(? AS TEXT)"
)


def remove(batch: Batch, message_key: str) -> str | None:
    """Delete a message and its index entry, then refresh its conversation's summary.

    Returns:
        The conversation it was in; None when it was not stored.
    """
    connection = batch.connection
    row = connection.execute(
        f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE key = ?", (safe_text(message_key),)
    ).fetchone()
    if row is None:
        return None
    stored = message_from_row(row)
    batch.unindex(stored)
    batch.flush()
    connection.execute("DELETE FROM messages WHERE id = ?", (stored.id,))
    refresh_conversation(connection, stored.conversation_key)
    return stored.conversation_key


def contact_row(contact: Contact) -> tuple[str, str, str, str] | None:
    """Return the ``(key, phone, name, folded name)`` row of a contact; None without a number."""
    key = safe_text(conversation_key_of(contact.phone))
    if not key:
        return None
    name = safe_text(contact.display_name)
    return key, safe_text(contact.phone), name, fold(name)
