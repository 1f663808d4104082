"""Unread counts per conversation, from received messages and the persisted read state.

The API has no notion of "read", so the store's read state (:class:`ReadMarkers`) remembers,
per conversation, up to when the user has seen it. :class:`UnreadTracker` counts the received
messages (inbox items, each counted once however often a page is fetched again) that are newer
than that, and says which of them are news: those that made a count go up.

Pure: no Textual. Writing the read state may raise :class:`OSError`; the caller reports it.
"""

from __future__ import annotations

import hashlib
from typing import Protocol

from smstui.domain.models import InboxItem
from smstui.domain.phones import conversation_key

__all__ = ["ReadMarkers", "UnreadTracker", "inbox_item_identity"]


def inbox_item_identity(item: InboxItem) -> str:
    """Return a stable identity for a received message (its id, else sender, time and text).

    Args:
        item: An item of ``GET /message/inbox``.
    """
    if item.id:
        return f"id:{item.id}"
    digest = hashlib.blake2b(item.text.encode("utf-8", "surrogatepass"), digest_size=8)
    return f"h:{item.sender}:{item.timestamp}:{digest.hexdigest()}"


class ReadMarkers(Protocol):
    """The persisted read state the tracker counts against (the store's ``ReadState``)."""

    problem: str
    """Why the stored state could not be used, ready to show; "" when fine."""

    def seen_until(self, key: str) -> int:
        """The timestamp up to which the conversation counts as read."""
        ...

    def is_flagged(self, key: str) -> bool:
        """Whether the conversation was marked unread by hand."""
        ...

    def mark_read(self, key: str, ts: int) -> bool:
        """Record it seen up to ``ts``; True when that changed something. Raises OSError."""
        ...

    def mark_unread(self, key: str) -> bool:
        """Flag it unread until viewed; True when newly flagged. Raises OSError."""
        ...


class UnreadTracker:
    """Which received messages are unread, by conversation key.

    Args:
        state: The persisted read state (loaded on first use).
    """

    def __init__(self, state: ReadMarkers) -> None:
        self._state = state
        self._unread: dict[str, dict[str, int]] = {}
        """Conversation key → identity → timestamp of each unread received message."""
        self._seen_items: set[str] = set()
        self._newest: dict[str, int] = {}
        """Conversation key → timestamp of the newest received message counted."""
        self._replied: dict[str, int] = {}
        """Conversation key → timestamp of our newest reply: what came before it was read."""

    @property
    def state(self) -> ReadMarkers:
        """The persisted read state."""
        return self._state

    def note_inbox_item(self, item: InboxItem) -> str | None:
        """Take note of a received message; return its conversation key if it is new and unread.

        Args:
            item: An item of an inbox page (the same item may be noted many times).

        Returns:
            The conversation key when this call made the conversation's count go up, else None.
        """
        identity = inbox_item_identity(item)
        key = conversation_key(item.sender)
        if identity in self._seen_items or not key or item.timestamp is None:
            return None
        self._seen_items.add(identity)
        self._newest[key] = max(self._newest.get(key, 0), item.timestamp)
        if item.timestamp <= max(self._state.seen_until(key), self._replied.get(key, 0)):
            return None
        self._unread.setdefault(key, {})[identity] = item.timestamp
        return key

    def note_reply(self, key: str, ts: int | None) -> None:
        """Take note of a message we sent: whoever replies has read what came before.

        Args:
            key: The conversation key.
            ts: When we sent it (None is ignored).
        """
        if ts is None or ts <= self._replied.get(key, 0):
            return
        self._replied[key] = ts
        unread = self._unread.get(key)
        if unread:
            for identity in [i for i, stamp in unread.items() if stamp <= ts]:
                del unread[identity]

    def seen_until(self, key: str) -> int:
        """Return the timestamp up to which a conversation counts as read."""
        return self._state.seen_until(key)

    def count(self, key: str) -> int:
        """Return the number of unread received messages (at least 1 when marked unread)."""
        count = len(self._unread.get(key, {}))
        if self._state.is_flagged(key):
            return max(1, count)
        return count

    def mark_read(self, key: str, ts: int) -> bool:
        """The user has seen a conversation up to ``ts`` (and anything the inbox listed for it).

        Args:
            key: The conversation key.
            ts: Timestamp of the newest message shown.

        Returns:
            True when the count or the manual flag changed.

        Raises:
            OSError: The read state could not be written (the change is kept in memory).
        """
        before = self.count(key)
        until = max(ts, self._newest.get(key, 0))
        unread = self._unread.get(key)
        if unread:
            for identity in [i for i, stamp in unread.items() if stamp <= until]:
                del unread[identity]
        changed = self._state.mark_read(key, until)
        return changed or self.count(key) != before

    def mark_unread(self, key: str) -> bool:
        """Flag a conversation unread by hand until it is viewed again.

        Raises:
            OSError: The read state could not be written (the flag is kept in memory).
        """
        return self._state.mark_unread(key)
