"""Unread counts per conversation, from received messages and the persisted read state.

The API has no notion of "read", so the read markers (:class:`ReadMarkers`, kept in the
store) remember, per conversation, up to when the user has seen it. :class:`UnreadTracker`
counts the received messages (inbox items, each counted once however often a page is fetched
again) that are newer than that, and says which of them are news: those that made a count go up.

No Textual. Writing the read state may raise :class:`OSError`; the caller reports it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Generic, Protocol, TypeVar

from smstui.domain.models import InboxItem, Message
from smstui.domain.phones import conversation_key

__all__ = ["ReadMarkers", "UnreadTracker", "inbox_item_identity", "note_messages", "unread_in"]


class ReadMarkers(Protocol):
    """What the tracker needs of the persisted read state (the store's ``ReadState``)."""

    def seen_until(self, key: str) -> int:
        """Time up to which the conversation was read."""
        ...

    def mark_read(self, key: str, ts: int) -> bool:
        """Remember the conversation read up to ``ts``; True if that changed anything."""
        ...

    def mark_unread(self, key: str) -> bool:
        """Flag the conversation unread; True if that changed anything."""
        ...

    def is_flagged(self, key: str) -> bool:
        """Whether the user marked the conversation unread by hand."""
        ...


S = TypeVar("S", bound=ReadMarkers)


def inbox_item_identity(item: InboxItem) -> str:
    """Return a stable identity for a received message (its id, else sender, time and text).

    Args:
        item: An item of ``GET /message/inbox``.
    """
    if item.id:
        return f"id:{item.id}"
    digest = hashlib.blake2b(item.text.encode("utf-8", "surrogatepass"), digest_size=8)
    return f"h:{item.sender}:{item.timestamp}:{digest.hexdigest()}"


class UnreadTracker(Generic[S]):
    """Which received messages are unread, by conversation key.

    Args:
        state: The persisted read state (loaded on first use).
    """

    def __init__(self, state: S) -> None:
        self._state = state
        self._unread: dict[str, dict[str, int]] = {}
        """Conversation key → identity → timestamp of each unread received message."""
        self._seen_items: set[str] = set()
        self._newest: dict[str, int] = {}
        """Conversation key → timestamp of the newest received message counted."""
        self._replied: dict[str, int] = {}
        """Conversation key → timestamp of our newest reply: what came before it was read."""

    @property
    def state(self) -> S:
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


def note_messages(tracker: UnreadTracker[S], messages: Iterable[Message]) -> None:
    """Take note of stored messages: ours as replies, received ones as inbox items.

    What the app learns from the gateway's inbox and sent pages, learnt from the store instead
    (``smstui unread``), so both count by :class:`UnreadTracker`'s rules. The order does not
    matter.

    Args:
        tracker: The tracker to feed.
        messages: Messages of one or more conversations.
    """
    for message in messages:
        if message.outbound:
            tracker.note_reply(conversation_key(message.receiver), message.timestamp)
        else:
            tracker.note_inbox_item(
                InboxItem(
                    id=message.key,  # the store's identity: each stored message counts once
                    sender=message.sender,
                    receiver=message.receiver,
                    text=message.text,
                    type="sms",
                    date="",
                    timestamp=message.timestamp,
                )
            )


def unread_in(state: S, key: str, messages: Iterable[Message]) -> int:
    """The unread count of one conversation from its messages, as the app counts it.

    Args:
        state: The persisted read state.
        key: The conversation key.
        messages: The conversation's messages (the newest ones suffice: older ones were read
            when a newer message of ours, or the read state, says so).
    """
    tracker = UnreadTracker(state)
    note_messages(tracker, messages)
    return tracker.count(key)
