"""Rows ⇄ models, and the rule for merging two copies of the same message.

The same message reaches the store by several endpoints. The conversation endpoint's copy is the
richest (attachments, delivery status, exact time); the inbox and sent-history copies are thinner.
Whichever order they arrive in, the row keeps the best of each.
"""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from smstui.domain.conversations import ConversationSummary
from smstui.domain.models import Attachment, Message
from smstui.store.folding import safe_text

__all__ = [
    "MESSAGE_COLUMNS",
    "BuiltMessages",
    "StoredMessage",
    "attachments_json",
    "merge",
    "message_from_row",
    "message_of_row",
    "source_rank",
    "summary_from_row",
    "text_columns",
]

MESSAGE_COLUMNS = (
    "id, key, conversation_key, message_id, outbound, sender, receiver, text, text_raw, "
    "attachments, timestamp, status, reference, source"
)
"""The columns :func:`message_from_row` expects, in order."""

SUMMARY_COLUMNS = (
    "c.key, c.number, coalesce(k.name, ''), c.preview, c.timestamp, c.own_number, "
    "c.last_outbound, c.last_status"
)
"""Conversation columns (``c``) with the contact name (``k``) for :func:`summary_from_row`."""

_RICHEST_SOURCE = "conversation"


def source_rank(source: str) -> int:
    """Return how complete a source's copy of a message is (higher wins a merge)."""
    return 1 if source == _RICHEST_SOURCE else 0


def text_columns(text: str) -> tuple[str, bytes | None]:
    """Return ``(text, text_raw)`` for storing: UTF-8-safe text and, if needed, the exact text.

    A lone surrogate cannot be encoded as UTF-8 and sqlite3 would raise. The ``text`` column
    gets U+FFFD in its place (what every other reader of the file can show); ``text_raw`` keeps
    the exact string as ``surrogatepass`` bytes so it reads back unchanged.
    """
    safe = safe_text(text)
    if safe is text:
        return text, None
    return safe, text.encode("utf-8", "surrogatepass")


def attachments_json(attachments: tuple[Attachment, ...]) -> str:
    """Encode attachments as a JSON list of ``{name, url, mime}`` objects."""
    if not attachments:
        return "[]"  # most messages: spares json.dumps
    return json.dumps(
        [{"name": a.name, "url": a.url, "mime": a.mime} for a in attachments],
        ensure_ascii=True,  # \\u escapes carry lone surrogates safely too
    )


def _attachments(raw: str) -> tuple[Attachment, ...]:
    try:
        items = json.loads(raw)
    except ValueError:
        return ()
    if not isinstance(items, list):
        return ()
    return tuple(
        Attachment(
            name=str(item.get("name", "")),
            url=str(item.get("url", "")),
            mime=str(item.get("mime", "")),
        )
        for item in items
        if isinstance(item, dict)
    )


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """A message row: the model plus what only the store knows."""

    id: int
    conversation_key: str
    source: str
    message: Message


def message_from_row(row: sqlite3.Row | tuple[Any, ...]) -> StoredMessage:
    """Build a :class:`StoredMessage` from the :data:`MESSAGE_COLUMNS` of one row."""
    return StoredMessage(
        id=row[0], conversation_key=row[2], source=row[13], message=message_of_row(row)
    )


def message_of_row(row: sqlite3.Row | tuple[Any, ...]) -> Message:
    """Build the :class:`Message` of one row of :data:`MESSAGE_COLUMNS` (reads need no more)."""
    (_, key, _, message_id, outbound, sender, receiver, text, text_raw,
     attachments, timestamp, status, reference, _) = row  # fmt: skip
    if text_raw is not None:
        text = bytes(text_raw).decode("utf-8", "surrogatepass")
    # Positional, in the order of Message's fields: a third cheaper than by keyword, and
    # reading a window back builds hundreds (the store's tests compare every field).
    return Message(
        key,
        message_id,
        bool(outbound),
        sender,
        receiver,
        text,
        () if attachments == "[]" else _attachments(attachments),
        int(timestamp),
        status,
        reference,
    )


class BuiltMessages:
    """Messages already built from rows, kept by message key while their row is unchanged.

    Reading a window of a conversation back (the pane draws what the store holds) would
    otherwise build every message of it again on each read; a message whose row comes back
    identical (every column) is the one built before, so only new or changed rows are built.
    At most ``size`` messages are kept, the least recently read going first. The row tuples
    share their strings with the messages built from them: a few hundred bytes an entry.

    Not thread-safe: the store uses it under its lock.

    Args:
        size: How many messages to keep (a few windows' worth).
    """

    def __init__(self, size: int = 2048) -> None:
        self._size = size
        self._built: OrderedDict[str, tuple[tuple[Any, ...], Message]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._built)

    def messages(self, rows: Iterable[sqlite3.Row | tuple[Any, ...]]) -> list[Message]:
        """Return the messages of rows of :data:`MESSAGE_COLUMNS`, in the rows' order."""
        built, found = self._built, []
        for row in rows:
            values = tuple(row)
            key = values[1]
            kept = built.get(key)
            if kept is not None and kept[0] == values:
                built.move_to_end(key)
                found.append(kept[1])
                continue
            message = message_of_row(values)
            built[key] = (values, message)
            built.move_to_end(key)
            found.append(message)
        while len(built) > self._size:
            built.popitem(last=False)
        return found

    def clear(self) -> None:
        """Forget every message (nothing stale can be returned anyway: rows are compared)."""
        self._built.clear()


def merge(
    old: StoredMessage, new: Message, new_conversation: str, new_source: str
) -> StoredMessage | None:
    """Combine the stored copy of a message with a fresh copy of it.

    Rules: the richer source's fields win (a same-rank copy is newer, so it wins too);
    attachments, message id and reference are never erased by a copy that lacks them; a
    non-empty status always replaces the stored one (statuses only move forward).

    Args:
        old: What the store holds.
        new: The copy just received (same key).
        new_conversation: The conversation the new copy was filed under.
        new_source: Where the new copy came from (``conversation``, ``inbox``, ``sent`` …).

    Returns:
        The merged row (keeping ``old.id``; the caller moves it if the timestamp changed), or
        None when nothing changed.
    """
    base = old.message
    richer = source_rank(new_source) >= source_rank(old.source)
    primary = new if richer else base
    merged_message = Message(
        key=base.key,
        message_id=new.message_id or base.message_id,
        outbound=primary.outbound,
        sender=primary.sender,
        receiver=primary.receiver,
        text=primary.text,
        attachments=new.attachments or base.attachments,
        timestamp=primary.timestamp,
        status=new.status or base.status,
        reference=new.reference or base.reference,
    )
    merged = StoredMessage(
        id=old.id,
        conversation_key=new_conversation if richer else old.conversation_key,
        source=new_source if richer else old.source,
        message=merged_message,
    )
    return None if merged == old else merged


def summary_from_row(row: sqlite3.Row | tuple[Any, ...]) -> ConversationSummary:
    """Build a :class:`ConversationSummary` from the :data:`SUMMARY_COLUMNS` of one row."""
    key, number, name, preview, timestamp, own_number, last_outbound, last_status = row
    return ConversationSummary(
        key=key,
        number=number,
        name=name,
        preview=preview,
        timestamp=int(timestamp),
        own_number=own_number,
        last_outbound=bool(last_outbound),
        last_status=last_status,
    )
