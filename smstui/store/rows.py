"""Rows ⇄ models, and the rule for merging two copies of the same message.

The same message reaches the store by several endpoints. The conversation endpoint's copy is the
richest (attachments, delivery status, exact time); the inbox and sent-history copies are thinner.
Whichever order they arrive in, the row keeps the best of each.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from smstui.domain.conversations import ConversationSummary
from smstui.domain.models import Attachment, Message
from smstui.store.folding import safe_text

__all__ = [
    "MESSAGE_COLUMNS",
    "StoredMessage",
    "attachments_json",
    "merge",
    "message_from_row",
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
    (row_id, key, conversation, message_id, outbound, sender, receiver, text, text_raw,
     attachments, timestamp, status, reference, source) = row  # fmt: skip
    if text_raw is not None:
        text = bytes(text_raw).decode("utf-8", "surrogatepass")
    message = Message(
        key=key,
        message_id=message_id,
        outbound=bool(outbound),
        sender=sender,
        receiver=receiver,
        text=text,
        attachments=_attachments(attachments),
        timestamp=int(timestamp),
        status=status,
        reference=reference,
    )
    return StoredMessage(id=row_id, conversation_key=conversation, source=source, message=message)


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
