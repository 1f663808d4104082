"""The message store: one SQLite file per account, the single source of truth for the panes.

Every write method is one short transaction (``BEGIN IMMEDIATE`` … ``COMMIT``), so another
process (a second TUI, ``smstui watch``) waits at most a few milliseconds for the lock and sees
either all of a batch or none of it; it notices changes through :meth:`MessageStore.data_version`.
The app calls the store from worker threads: one lock serialises every use of the connection.
Ordering of messages is ``(timestamp, key)`` everywhere.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from smstui.api.models import Contact, InboxItem, Message, SentItem
from smstui.inbox import ConversationSummary
from smstui.store.files import open_file
from smstui.store.folding import safe_text
from smstui.store.rows import MESSAGE_COLUMNS, SUMMARY_COLUMNS, message_from_row, summary_from_row
from smstui.store.search import MESSAGE_BUDGET_S, SearchResults, run_search
from smstui.store.writes import (
    NEWEST_FIRST,
    Batch,
    anchor,
    contact_row,
    inbox_message,
    refresh_conversations,
    remove,
    sent_message,
    upsert,
)

__all__ = ["MessageStore"]

_CURSOR = "cursor:"
_LAST_OPEN = "app:last_open"


class MessageStore:
    """Messages, conversation summaries, contacts and small sync state in one SQLite file.

    Create it with :meth:`open`. Safe to share between threads; several processes may open the
    same file at once.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path, aside: Path | None) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self.path = path
        """The database file."""
        self.set_aside = aside
        """Where a damaged file was moved when this store was opened, else None: the app says
        "the store was damaged; set aside as …; rebuilding from the gateway"."""

    @classmethod
    def open(cls, path: Path, *, verify: bool = True) -> MessageStore:
        """Open (or create) the store at ``path``, setting a damaged file aside.

        The directory is created 0700 and the file 0600 before SQLite touches it. A file that
        is not a database, fails ``PRAGMA quick_check`` or has a schema newer than this
        release is renamed to ``<name>.corrupt-<YYYYmmddTHHMMSS>`` (with its -wal/-shm files)
        and a fresh store is created; :attr:`set_aside` then names the renamed file.

        Args:
            path: The database file.
            verify: Run ``quick_check``, which reads the whole file (about a second per
                gigabyte); a caller that opens the store often may check only at start-up.

        Returns:
            The open store, at the current schema version.
        """
        path = Path(path)
        connection, aside = open_file(path, verify=verify)
        return cls(connection, path, aside)

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        with self._lock:
            self._connection.close()

    def __enter__(self) -> MessageStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

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

    # -- messages ------------------------------------------------------------------------

    def add_messages(
        self,
        conversation_key: str,
        messages: Iterable[Message],
        *,
        source: str = "conversation",
    ) -> list[str]:
        """Store messages of one conversation, merging with copies already stored.

        Args:
            conversation_key: The conversation they belong to
                (:func:`smstui.phones.conversation_key`).
            messages: The messages, in any order.
            source: Where they come from; ``conversation`` (the thread endpoint) is the richest
                copy and wins a merge, other sources never erase its attachments.

        Returns:
            The keys of the messages that were not in the store before.
        """
        return self._add([(conversation_key, message) for message in messages], source)

    def add_inbox_items(self, items: Iterable[InboxItem]) -> list[str]:
        """Store received messages from ``GET /message/inbox``.

        Each gets the key the conversation endpoint gives the same message, so the two copies
        are one row. Items without a parseable date (``timestamp`` None) are skipped: their key
        would not match the thread's copy and they could not be placed in time.

        Args:
            items: Inbox rows.

        Returns:
            The keys of the messages that were new.
        """
        batch = [entry for entry in map(inbox_message, items) if entry is not None]
        return self._add(batch, "inbox")

    def add_sent_items(self, items: Iterable[SentItem]) -> list[str]:
        """Store our sent messages from the sent history (``/message/logging``).

        Rows without a parseable date, and group sends (their ``to`` is a group id, not a
        counterparty), are skipped. A non-empty status replaces the stored one.

        Args:
            items: Sent-history rows.

        Returns:
            The keys of the messages that were new.
        """
        batch = [entry for entry in map(sent_message, items) if entry is not None]
        return self._add(batch, "sent")

    def _add(self, batch: list[tuple[str, Message]], source: str) -> list[str]:
        if not batch:
            return []
        new: list[str] = []
        touched: dict[str, tuple[int, str] | None] = {}
        with self._write() as connection:
            writes = Batch(connection)
            writes.preload(message for _, message in batch)
            for conversation, message in batch:
                if upsert(writes, safe_text(conversation), message, source, touched):
                    new.append(message.key)
            writes.flush()
            refresh_conversations(connection, touched)
        return new

    def message(self, key: str) -> Message | None:
        """Return the stored message with this key, or None."""
        with self._read() as connection:
            row = connection.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE key = ?", (safe_text(key),)
            ).fetchone()
        return None if row is None else message_from_row(row).message

    def messages(
        self, conversation_key: str, *, limit: int | None = None, before: int | None = None
    ) -> list[Message]:
        """Return a window of a conversation's messages, oldest first.

        Args:
            conversation_key: The conversation.
            limit: How many of the newest messages (after skipping ``before``); None for all.
            before: Skip this many newest messages first, so the window ends that many
                messages before the newest (pairs with :meth:`newer_count`).

        Returns:
            The messages, ordered by ``(timestamp, key)``.
        """
        with self._read() as connection:
            rows = connection.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_key = ? "
                f"{NEWEST_FIRST} LIMIT ? OFFSET ?",
                (safe_text(conversation_key), -1 if limit is None else limit, before or 0),
            ).fetchall()
        return [message_from_row(row).message for row in reversed(rows)]

    def messages_around(self, conversation_key: str, key: str, count: int) -> list[Message]:
        """Return about ``count`` messages centred on one message, oldest first.

        Args:
            conversation_key: The conversation.
            key: The message to centre on (for example the reading position).
            count: Window size; when ``key`` is unknown, the newest ``count`` messages.

        Returns:
            Older messages, the message itself, then newer ones.
        """
        conversation = safe_text(conversation_key)
        with self._read() as connection:
            found = anchor(connection, conversation, key)
            if found is None:
                rows = connection.execute(
                    f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_key = ? "
                    f"{NEWEST_FIRST} LIMIT ?",
                    (conversation, count),
                ).fetchall()
                return [message_from_row(row).message for row in reversed(rows)]
            older = connection.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_key = ? "
                f"AND (timestamp, key) < (?, ?) {NEWEST_FIRST} LIMIT ?",
                (conversation, *found, count // 2),
            ).fetchall()
            newer = connection.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_key = ? "
                "AND (timestamp, key) >= (?, ?) ORDER BY timestamp, key LIMIT ?",
                (conversation, *found, count - len(older)),
            ).fetchall()
        return [message_from_row(row).message for row in [*reversed(older), *newer]]

    def message_count(self, conversation_key: str) -> int:
        """Return how many messages a conversation has in the store."""
        with self._read() as connection:
            row = connection.execute(
                "SELECT count(*) FROM messages WHERE conversation_key = ?",
                (safe_text(conversation_key),),
            ).fetchone()
        return int(row[0])

    def newer_count(self, conversation_key: str, message_key: str) -> int | None:
        """Return how many messages of the conversation are newer than this one.

        Args:
            conversation_key: The conversation.
            message_key: A message of it.

        Returns:
            0 for the newest message; None when the key is not in that conversation.
        """
        conversation = safe_text(conversation_key)
        with self._read() as connection:
            found = anchor(connection, conversation, message_key)
            if found is None:
                return None
            row = connection.execute(
                "SELECT count(*) FROM messages WHERE conversation_key = ? "
                "AND (timestamp, key) > (?, ?)",
                (conversation, *found),
            ).fetchone()
        return int(row[0])

    def remove_message(self, message_key: str) -> None:
        """Delete a message (and its index entry); its conversation's summary follows."""
        with self._write() as connection:
            remove(connection, message_key)

    # -- conversations and contacts ---------------------------------------------------------

    def conversations(
        self, *, limit: int | None = None, offset: int = 0
    ) -> list[ConversationSummary]:
        """Return conversation summaries, newest activity first (then by key).

        Args:
            limit: Page size; None for all.
            offset: Rows to skip (paging).

        Returns:
            Summaries named after contacts where the number is in the address book.
        """
        with self._read() as connection:
            rows = connection.execute(
                f"SELECT {SUMMARY_COLUMNS} FROM conversations c "
                "LEFT JOIN contacts k ON k.key = c.key "
                "ORDER BY c.timestamp DESC, c.key LIMIT ? OFFSET ?",
                (-1 if limit is None else limit, offset),
            ).fetchall()
        return [summary_from_row(row) for row in rows]

    def conversation(self, key: str) -> ConversationSummary | None:
        """Return one conversation's summary, or None when it has no messages stored."""
        with self._read() as connection:
            row = connection.execute(
                f"SELECT {SUMMARY_COLUMNS} FROM conversations c "
                "LEFT JOIN contacts k ON k.key = c.key WHERE c.key = ?",
                (safe_text(key),),
            ).fetchone()
        return None if row is None else summary_from_row(row)

    def conversation_count(self) -> int:
        """Return how many conversations have messages in the store."""
        with self._read() as connection:
            return int(connection.execute("SELECT count(*) FROM conversations").fetchone()[0])

    def set_contacts(self, contacts: Iterable[Contact]) -> None:
        """Add or update address-book entries (keyed by the number's conversation key).

        Contacts without a number are ignored; contacts not given are kept.
        """
        rows = [row for row in map(contact_row, contacts) if row is not None]
        with self._write() as connection:
            connection.executemany(
                "INSERT INTO contacts (key, phone, name, folded) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET phone = excluded.phone, name = excluded.name, "
                "folded = excluded.folded",
                rows,
            )
            # The conversation search reads name and number from one precomputed column.
            connection.executemany(
                "UPDATE conversations SET haystack = ? || char(31) || folded WHERE key = ?",
                [(folded, key) for key, _phone, _name, folded in rows],
            )

    def set_own_numbers(self, numbers: Iterable[str]) -> None:
        """Replace the list of our receiving numbers (``GET /vmn``)."""
        unique = sorted({safe_text(number) for number in numbers if number})
        with self._write() as connection:
            connection.execute("DELETE FROM own_numbers")
            connection.executemany(
                "INSERT INTO own_numbers (number) VALUES (?)", [(n,) for n in unique]
            )

    def own_numbers(self) -> tuple[str, ...]:
        """Return our receiving numbers, sorted."""
        with self._read() as connection:
            rows = connection.execute("SELECT number FROM own_numbers ORDER BY number").fetchall()
        return tuple(row[0] for row in rows)

    # -- small state ------------------------------------------------------------------------

    def _get(self, name: str) -> str | None:
        with self._read() as connection:
            row = connection.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def _set(self, name: str, value: str | None) -> None:
        with self._write() as connection:
            if value is None:
                connection.execute("DELETE FROM state WHERE name = ?", (name,))
            else:
                connection.execute(
                    "INSERT INTO state (name, value) VALUES (?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    (name, safe_text(value)),
                )

    def cursor(self, name: str) -> str | None:
        """Return a sync cursor (an opaque string the sync engine saved), or None."""
        return self._get(_CURSOR + safe_text(name))

    def set_cursor(self, name: str, value: str | None) -> None:
        """Save a sync cursor; None removes it."""
        self._set(_CURSOR + safe_text(name), value)

    def last_open(self) -> str | None:
        """Return the key of the conversation open when the app last ran, or None."""
        return self._get(_LAST_OPEN)

    def set_last_open(self, key: str | None) -> None:
        """Remember which conversation is open (None: none)."""
        self._set(_LAST_OPEN, key)

    def position(self, conversation_key: str) -> str | None:
        """Return the key of the message the user was reading in a conversation, or None."""
        with self._read() as connection:
            row = connection.execute(
                "SELECT message_key FROM positions WHERE conversation_key = ?",
                (safe_text(conversation_key),),
            ).fetchone()
        return None if row is None else str(row[0])

    def set_position(self, conversation_key: str, message_key: str | None) -> None:
        """Remember the reading position in a conversation; None forgets it."""
        conversation = safe_text(conversation_key)
        with self._write() as connection:
            if message_key is None:
                connection.execute(
                    "DELETE FROM positions WHERE conversation_key = ?", (conversation,)
                )
            else:
                connection.execute(
                    "INSERT INTO positions (conversation_key, message_key) VALUES (?, ?) "
                    "ON CONFLICT (conversation_key) DO UPDATE SET message_key = "
                    "excluded.message_key",
                    (conversation, safe_text(message_key)),
                )

    # -- search ---------------------------------------------------------------------------

    def search(
        self, query: str, *, limit: int = 50, budget_s: float | None = MESSAGE_BUDGET_S
    ) -> SearchResults:
        """Find conversations by name or number and messages by their words.

        See :mod:`smstui.store.search` for the rules (accent folding, digit substrings,
        queries shorter than three characters) and for how it stays fast.

        Args:
            query: What the user typed; any characters are safe.
            limit: Most message hits.
            budget_s: Wall time the message search may take, for search while typing; past
                it the hits so far come back with ``truncated`` set. None: no limit (a
                script wants every hit, however long it takes).

        Returns:
            Conversation hits, then message hits, each newest first.
        """
        with self._read() as connection:
            return run_search(connection, query, limit, budget_s)
