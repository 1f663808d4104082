"""What every message store does, whatever engine holds it: the shared SQL and the rules.

:class:`MessageStore` is the one interface the app, the sync engine and the commands use. Its
engines are :class:`smstui.store.sqlite_store.SqliteStore` (one file per account, the default)
and :class:`smstui.store.postgres_store.PostgresStore` (one schema per account on a shared
server). The SQL here runs unchanged on both: ``?`` placeholders (the PostgreSQL connection
translates them), ``ON CONFLICT`` upserts, row-value comparisons, plain joins. What differs is
behind a narrow seam each engine fills in:

- :meth:`MessageStore._read` / :meth:`MessageStore._write`: a snapshot for reads, one serialised
  write transaction for writes (SQLite ``BEGIN IMMEDIATE``; PostgreSQL an advisory lock).
- :meth:`MessageStore._batch`: the write batch; it owns the text index (FTS5 rows on SQLite, a
  folded ``body`` column on PostgreSQL) and the engine's JSON-list table function.
- :attr:`MessageStore._UNLIMITED`: the ``LIMIT`` value meaning "no limit".
- :meth:`MessageStore.data_version`, :meth:`MessageStore.search` and :meth:`MessageStore.close`.

Ordering of messages is ``(timestamp, id)`` everywhere: the gateway's time, then the gateway's
order within a second, kept in the id (see :data:`~smstui.store.writes.NEWEST_FIRST`).
"""

from __future__ import annotations

import json
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any

from smstui.domain.conversations import ConversationSummary
from smstui.domain.models import Contact, InboxItem, Message, SentItem
from smstui.store.folding import safe_text
from smstui.store.rows import (
    MESSAGE_COLUMNS,
    SUMMARY_COLUMNS,
    BuiltMessages,
    message_from_row,
    summary_from_row,
)
from smstui.store.search import MESSAGE_BUDGET_S, SearchResults
from smstui.store.small_state import Connection, Rows, SmallState
from smstui.store.writes import (
    HAYSTACK_SEPARATOR,
    NEWEST_FIRST,
    Batch,
    anchor,
    contact_row,
    in_gateway_order,
    inbox_message,
    refresh_conversations,
    remove,
    sent_message,
    upsert,
)

__all__ = ["Connection", "MessageStore", "Rows"]

_THREAD_TOTAL = "thread_total:"


class MessageStore(SmallState, ABC):
    """Messages, conversation summaries, contacts and small sync state of one account.

    Open the default (SQLite) store with :meth:`SqliteStore.open`, or any engine with
    :func:`smstui.store.location.open_message_store`. Safe to share between threads (one lock
    serialises every use of the connection); several processes may use one store at once.
    """

    _UNLIMITED: int | None = -1
    """The ``LIMIT`` parameter meaning "no limit" (SQLite: -1; PostgreSQL: NULL)."""

    path: Path | None = None
    """The database file (None for a store on a server)."""
    set_aside: Path | None = None
    """Where a damaged file was moved when this store was opened, else None: the app says
    "the store was damaged; set aside as …; rebuilding from the gateway"."""
    in_memory: str = ""
    """Why the messages are kept in memory only this run ("" when they are kept on disk)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built = BuiltMessages()
        """Messages read lately, rebuilt only when their row changed (used under the lock)."""
        self._touched: set[str] = set()
        """Conversations whose summary this object's writes may have changed since
        :meth:`changed_summaries` last told them (used under the lock)."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""

    def __enter__(self) -> MessageStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @abstractmethod
    def data_version(self) -> int:
        """Return a number that changes when another connection (process) commits a write.

        Poll it to notice a second process writing; this store's own writes leave it alone.
        """

    @abstractmethod
    def _read(self) -> AbstractContextManager[Connection]:
        """Hold the lock for reads; one snapshot across the statements inside."""

    @abstractmethod
    def _write(self) -> AbstractContextManager[Connection]:
        """Hold the lock and one write transaction (the only writer); roll back on any error."""

    def _batch(self, connection: Connection) -> Batch:
        """Return the write batch of one write transaction (the engine's text index)."""
        return Batch(connection)

    def _changed(self, connection: Connection, kind: str, keys: Iterable[str] | None) -> None:
        """Announce what this write transaction changed (``keys``: conversations; None: any).

        Called inside the transaction. Nothing to do on SQLite; PostgreSQL publishes a
        ``NOTIFY`` that other processes receive when the write commits
        (:mod:`smstui.store.changes`).
        """

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
                (:func:`smstui.domain.phones.conversation_key`).
            messages: The messages, newest first as the gateway lists them: messages of the
                same second keep that order (see :data:`~smstui.store.writes.NEWEST_FIRST`).
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
        added: set[str] = set()
        touched: dict[str, tuple[int, int] | None] = {}
        with self._write() as connection:
            writes = self._batch(connection)
            writes.preload(message for _, message in batch)
            for conversation, message in in_gateway_order(batch):
                if upsert(writes, safe_text(conversation), message, source, touched):
                    added.add(message.key)
            writes.flush()
            refresh_conversations(writes, touched)
            if touched:  # a page that changed nothing announces nothing
                self._changed(connection, "messages", touched)
            self._touched.update(touched)
        return list(dict.fromkeys(message.key for _, message in batch if message.key in added))

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
            The messages, ordered by ``(timestamp, id)`` (the gateway's order).
        """
        window = f"WHERE conversation_key = ? {NEWEST_FIRST} LIMIT ? OFFSET ?"
        if before:
            # The skipped messages are counted in the index alone; only the window's rows are
            # read (an OFFSET over whole rows read and sorted every skipped one: 3 ms deep).
            window = f"WHERE id IN (SELECT id FROM messages {window}) {NEWEST_FIRST}"
        with self._read() as connection:
            rows = connection.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages {window}",
                (
                    safe_text(conversation_key),
                    self._UNLIMITED if limit is None else limit,
                    before or 0,
                ),
            ).fetchall()
            return self._built.messages(reversed(rows))

    def latest(self, *, outbound: bool, limit: int, offset: int = 0) -> tuple[list[Message], int]:
        """Return the newest received (or sent) messages of all conversations, and their count.

        Newest first, as the gateway's inbox and sent history list them (a team follower
        answers those reads from here).
        """
        with self._read() as connection:
            rows = connection.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE outbound = ? "
                f"{NEWEST_FIRST} LIMIT ? OFFSET ?",
                (int(outbound), limit, offset),
            ).fetchall()
            total = connection.execute(
                "SELECT count(*) FROM messages WHERE outbound = ?", (int(outbound),)
            )
            count = int(total.fetchone()[0])
        return [message_from_row(row).message for row in rows], count

    def as_stored(
        self,
        conversation_key: str,
        keys: Sequence[str],
        *,
        seconds: tuple[int, int] | None = None,
    ) -> list[Message]:
        """Return the stored messages a page spans, newest first: how the store orders them.

        The span runs from the oldest to the newest of ``keys`` in the store's order, and
        holds every stored message of the conversation between them (messages another
        process or another endpoint stored there too). A page from the gateway is drawn
        through this, so every process draws a conversation in the one order the store keeps.

        Args:
            conversation_key: The conversation.
            keys: The keys of the page's messages (any order); keys not stored are ignored.
            seconds: The oldest and newest ``timestamp`` of those messages when the caller
                knows them (it just stored the page): spares looking every key up. Wrong ones
                only cut the span short, to the keys found within them.

        Returns:
            The messages, newest first as a gateway page lists them; [] when none is stored.
        """
        conversation = safe_text(conversation_key)
        wanted = {safe_text(key) for key in keys}
        with self._read() as connection:
            if seconds is None:
                # The seconds the page spans, by the unique key index: one lookup a key.
                # (With the conversation in the WHERE clause the planner walks all of it.)
                spans = connection.execute(
                    "SELECT conversation_key, min(timestamp), max(timestamp) FROM messages "
                    f"WHERE key IN (SELECT value FROM {self._batch(connection).KEYS_IN}) "
                    "GROUP BY conversation_key",
                    (json.dumps(list(wanted)),),
                ).fetchall()
                seconds = next((span[1:] for span in spans if span[0] == conversation), None)
                if seconds is None:
                    return []
            # Those seconds are one range of the (conversation_key, timestamp) index, read in
            # its order; the ids order each second's messages here (a sort of a few rows,
            # where SQL sorted every row again). At either end, messages of the first and
            # last seconds outside the page are trimmed (the page does not reach them).
            rows = connection.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_key = ? "
                "AND timestamp BETWEEN ? AND ? ORDER BY timestamp DESC",
                (conversation, *seconds),
            ).fetchall()
            rows.sort(key=_timestamp_and_id, reverse=True)
            inside = [i for i, row in enumerate(rows) if row[1] in wanted]
            if not inside:
                return []
            return self._built.messages(rows[inside[0] : inside[-1] + 1])

    def thread_total(self, conversation_key: str) -> int | None:
        """Return how many messages the gateway said the conversation has, or None.

        As of the last page of it read from the gateway (by any process): the store may
        hold fewer, and a process that reads only the store must not take the start of what
        is stored for the start of the conversation.
        """
        value = self._get(_THREAD_TOTAL + safe_text(conversation_key))
        return None if value is None else int(value)

    def set_thread_total(self, conversation_key: str, total: int) -> None:
        """Note the gateway's message count of a conversation (see :meth:`thread_total`)."""
        self._set(_THREAD_TOTAL + safe_text(conversation_key), str(total))

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
                return self._built.messages(reversed(rows))
            older = connection.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_key = ? "
                f"AND (timestamp, id) < (?, ?) {NEWEST_FIRST} LIMIT ?",
                (conversation, *found, count // 2),
            ).fetchall()
            newer = connection.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_key = ? "
                "AND (timestamp, id) >= (?, ?) ORDER BY timestamp, id LIMIT ?",
                (conversation, *found, count - len(older)),
            ).fetchall()
            return self._built.messages([*reversed(older), *newer])

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
                "AND (timestamp, id) > (?, ?)",
                (conversation, *found),
            ).fetchone()
        return int(row[0])

    def remove_message(self, message_key: str) -> None:
        """Delete a message (and its index entry); its conversation's summary follows."""
        with self._write() as connection:
            conversation = remove(self._batch(connection), message_key)
            self._changed(connection, "messages", None)
            if conversation is not None:
                self._touched.add(conversation)

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
                (self._UNLIMITED if limit is None else limit, offset),
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

    def summaries(self, keys: Iterable[str]) -> list[ConversationSummary]:
        """Return the summaries of some conversations (those with messages stored), in order.

        The store's summary is the one rule for a conversation's row in the list: its preview
        is its newest message in the store's ``(timestamp, id)`` order.
        """
        wanted = [safe_text(key) for key in keys]
        if not wanted:
            return []
        with self._read() as connection:
            rows = connection.execute(
                f"SELECT {SUMMARY_COLUMNS} FROM conversations c "
                "LEFT JOIN contacts k ON k.key = c.key "
                f"WHERE c.key IN (SELECT value FROM {self._batch(connection).KEYS_IN})",
                (json.dumps(wanted),),
            ).fetchall()
        found = {summary.key: summary for summary in map(summary_from_row, rows)}
        return [found[key] for key in dict.fromkeys(wanted) if key in found]

    def changed_summaries(self) -> list[ConversationSummary]:
        """Return the summaries of the conversations this object's writes changed lately.

        Each conversation once: the ones changed since the last call (a conversation left
        without messages has none). The sync engine announces them after each write, so the
        conversation list takes its rows from the store's rule, in every process, instead of
        working previews out itself.
        """
        with self._lock:
            keys, self._touched = self._touched, set()
        return self.summaries(sorted(keys))

    def total_message_count(self) -> int:
        """Return how many messages the store holds, all conversations together."""
        with self._read() as connection:
            return int(connection.execute("SELECT count(*) FROM messages").fetchone()[0])

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
                "UPDATE conversations SET haystack = CAST(? AS TEXT) || folded WHERE key = ?",
                [(folded + HAYSTACK_SEPARATOR, key) for key, _phone, _name, folded in rows],
            )
            if rows:
                self._changed(connection, "contacts", None)

    # -- search ---------------------------------------------------------------------------

    @abstractmethod
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


def _timestamp_and_id(row: tuple[Any, ...]) -> tuple[int, int]:
    """A message row's place in the store's order (:data:`NEWEST_FIRST`, reversed)."""
    return row[10], row[0]
