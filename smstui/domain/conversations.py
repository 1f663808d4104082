"""Pure inbox state: the conversation list (contract §7) and one thread's loaded messages.

Nothing here does I/O or imports Textual; screens feed it pages and widgets render from it.
The API has no "list conversations" call, so :class:`ConversationIndex` builds the list from
inbox pages, sent history, contacts and messages seen in open threads. :class:`ThreadState`
(from :mod:`smstui.domain.thread`, re-exported here) holds the open conversation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from smstui.domain.folding import fold
from smstui.domain.models import Contact, InboxItem, Message, Page, SentItem
from smstui.domain.phones import (
    conversation_key,
    conversation_number,
    is_phone_number,
    normalise_number,
)
from smstui.domain.thread import ThreadState

__all__ = ["ConversationIndex", "ConversationSummary", "ThreadState"]


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    """One row of the conversation list."""

    key: str
    """The conversation's identity: the counterparty's digits-only number, or the
    alphanumeric sender name lower-cased."""
    number: str
    """The counterparty as the API spells it (digits-only number or alphanumeric sender)."""
    name: str
    """Contact name, or "" when the number is not in the address book."""
    preview: str
    """The last message's text (may contain newlines; widgets show one line)."""
    timestamp: int
    """Epoch seconds of the last activity."""
    own_number: str
    """Which of our numbers the conversation runs on ("" when unknown; a real number, never
    the gateway's placeholder "Sender": :func:`smstui.domain.phones.conversation_number`)."""
    unread: int = 0
    last_outbound: bool = False
    """True when the last message was sent by us."""
    last_status: str = ""
    """Delivery status of the last message when it is outbound."""
    assignee: str = ""
    """Team mode: the operator who looks after it ("" nobody; set only for the list)."""


_NO_TIME = 0
"""``timestamp`` of a conversation whose last activity has no parseable date: sorts last."""

_NUMBER_QUERY = re.compile(r"[\d\s+\-.()/]+")


def _sort_key(summary: ConversationSummary) -> tuple[int, str]:
    return (-summary.timestamp, summary.key)


class ConversationIndex:
    """The conversation list, built from inbox pages, sent history, contacts and open threads.

    Rows are keyed by :func:`smstui.domain.phones.conversation_key`. The sorted view is cached and
    rebuilt only after a change, so rendering 10,000 rows many times costs nothing extra.
    """

    def __init__(self) -> None:
        self._rows: dict[str, ConversationSummary] = {}
        self._names: dict[str, str] = {}
        self._sorted: tuple[ConversationSummary, ...] | None = None
        self._positions: dict[str, int] = {}
        self._haystacks: dict[str, tuple[str, str]] = {}
        self.inbox_pages_loaded = 0
        """The highest inbox page number added so far."""
        self.inbox_complete = False
        """True once the last inbox page has been added."""

    # Reading -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def inbox_next_page(self) -> int:
        """The 1-based inbox page to request next."""
        return self.inbox_pages_loaded + 1

    def get(self, key: str) -> ConversationSummary | None:
        """Return the row of one conversation, or None when it is not in the list.

        Args:
            key: A conversation key.

        Returns:
            The summary, or None.
        """
        return self._rows.get(key)

    def summaries(self) -> Sequence[ConversationSummary]:
        """Return every conversation, newest activity first (undated ones last).

        Returns:
            A tuple that stays valid (and is reused) until the index changes.
        """
        if self._sorted is None:
            self._sorted = tuple(sorted(self._rows.values(), key=_sort_key))
            self._positions = {row.key: index for index, row in enumerate(self._sorted)}
        return self._sorted

    def filter(self, query: str) -> Sequence[ConversationSummary]:
        """Return the conversations matching a filter query, newest first.

        Names match case- and accent-insensitively ("wojcik" finds "Wójcik"); a query made of
        digits and separators matches numbers by digits ("512 345" and "+48512" both find
        48512345678).

        Args:
            query: What the user typed in the filter box.

        Returns:
            The matching rows, in list order; all rows for an empty query.
        """
        folded = fold(" ".join(query.split()))
        if not folded:
            return self.summaries()
        digits = "".join(c for c in query if c.isdigit()) if _NUMBER_QUERY.fullmatch(query) else ""
        matches: list[ConversationSummary] = []
        for row in self.summaries():
            name, number = self._haystack(row)
            if folded in name or (digits and digits in number):
                matches.append(row)
        return tuple(matches)

    def _haystack(self, row: ConversationSummary) -> tuple[str, str]:
        cached = self._haystacks.get(row.key)
        if cached is None:
            number = row.number if is_phone_number(row.number) else ""
            text = row.name if number else f"{row.name} {row.number}"
            cached = (fold(text), number)
            self._haystacks[row.key] = cached
        return cached

    # Feeding -------------------------------------------------------------------------------

    def add_inbox_page(self, page: Page[InboxItem]) -> None:
        """Merge one page of received messages (``GET /message/inbox``).

        Args:
            page: The page; its items may come in any order.
        """
        for item in page.items:
            self._merge_activity(
                item.sender, item.text, item.timestamp, item.receiver, outbound=False, status=""
            )
        self.inbox_pages_loaded = max(self.inbox_pages_loaded, page.page)
        self.inbox_complete = self.inbox_complete or page.is_last

    def add_sent_page(self, page: Page[SentItem]) -> None:
        """Merge one page of sent history: people we wrote to, and newer outbound activity.

        Only ``type == "single"`` rows count; group sends do not name a counterparty.

        Args:
            page: The page of sent rows.
        """
        for item in page.items:
            if item.type.lower() == "single":
                self._merge_activity(
                    item.to,
                    item.text,
                    item.timestamp,
                    item.sender,
                    outbound=True,
                    status=item.status,
                )

    def add_contacts(self, contacts: Iterable[Contact]) -> None:
        """Name conversations after address-book entries (now and when they appear later).

        Args:
            contacts: Contacts; those without a number or a name are ignored.
        """
        for contact in contacts:
            key = conversation_key(contact.phone)
            name = contact.display_name
            if not key or not name:
                continue
            self._names[key] = name
            current = self._rows.get(key)
            if current is not None and current.name != name:
                self._put(replace(current, name=name))

    def record_message(self, key: str, message: Message, *, newest: bool = False) -> None:
        """Take note of a message seen in an open thread or just sent by us.

        When it is at least as new as the row's last activity it becomes the preview and the
        conversation moves to the top; an unknown conversation is added.

        Args:
            key: The conversation key.
            message: The message.
            newest: The caller knows it is the conversation's last message (a fresh newest
                page says so): it becomes the preview even when its time is a little older
                than the row's (our clock stamped the row when we sent it; the gateway's
                clock stamps the message). The row keeps its place in the order.
        """
        current = self._rows.get(key)
        if current is None:
            counterparty = message.receiver if message.outbound else message.sender
            own = conversation_number(message.sender if message.outbound else message.receiver)
            self._put(
                ConversationSummary(
                    key=key,
                    number=normalise_number(counterparty) or key,
                    name=self._names.get(key, ""),
                    preview=message.text,
                    timestamp=message.timestamp,
                    own_number=own,
                    last_outbound=message.outbound,
                    last_status=message.status if message.outbound else "",
                )
            )
        elif newest or message.timestamp >= current.timestamp:
            own = conversation_number(message.sender if message.outbound else message.receiver)
            self._put(
                replace(
                    current,
                    preview=message.text,
                    timestamp=max(message.timestamp, current.timestamp),
                    own_number=current.own_number or own,
                    last_outbound=message.outbound,
                    last_status=message.status if message.outbound else "",
                )
            )

    def add_stored(self, rows: Iterable[ConversationSummary]) -> None:
        """Merge conversations read from the local store (at start, or after a backfill).

        A stored row is added when the conversation is not listed yet, and takes over the
        preview when it is at least as new as what is listed; names, unread counts and our number
        already known here are kept.

        Args:
            rows: Summaries from :meth:`smstui.store.MessageStore.conversations`.
        """
        for row in rows:
            current = self._rows.get(row.key)
            name = self._names.get(row.key) or row.name
            if current is None:
                self._put(replace(row, name=name, unread=0))
            elif row.timestamp >= current.timestamp:
                # Same second: the store's pick wins (the gateway's order, kept there), so
                # every process shows the same preview whatever order its own pages came in.
                self._put(
                    replace(
                        current,
                        preview=row.preview,
                        timestamp=row.timestamp,
                        own_number=current.own_number or row.own_number,
                        last_outbound=row.last_outbound,
                        last_status=row.last_status,
                        name=current.name or name,
                    )
                )
            elif not current.name and name:
                self._put(replace(current, name=name))

    def refresh_listed(self, rows: Iterable[ConversationSummary]) -> None:
        """Take the store's rows of conversations already listed (what a write changed).

        As :meth:`add_stored`, but a conversation not listed yet is left out: which rows the
        list holds follows the pages it loaded (and so when it asks for more), and the row
        comes with the page that lists it.

        Args:
            rows: Summaries from :meth:`smstui.store.MessageStore.changed_summaries`.
        """
        self.add_stored(row for row in rows if row.key in self._rows)

    def add_conversation(self, key: str, number: str, *, own_number: str, timestamp: int) -> None:
        """Add an empty conversation (a new message to a number not in the list yet).

        Nothing changes when the key is already listed.

        Args:
            key: The conversation key.
            number: The counterparty, digits only.
            own_number: The number replies go out from ("" when unknown).
            timestamp: Where it sorts: normally now, so it shows at the top.
        """
        if key in self._rows:
            return
        self._put(
            ConversationSummary(
                key=key,
                number=number,
                name=self._names.get(key, ""),
                preview="",
                timestamp=timestamp,
                own_number=own_number,
            )
        )

    def total_unread(self) -> int:
        """Return the sum of every conversation's unread count."""
        return sum(row.unread for row in self._rows.values())

    def set_unread(self, key: str, count: int) -> None:
        """Set how many unread messages a conversation has (ignored for unknown keys).

        Args:
            key: The conversation key.
            count: Unread messages; negative values count as 0.
        """
        current = self._rows.get(key)
        if current is not None and current.unread != max(0, count):
            self._put(replace(current, unread=max(0, count)))

    def increment_unread(self, key: str, by: int = 1) -> None:
        """Add to a conversation's unread count (ignored for unknown keys).

        Args:
            key: The conversation key.
            by: How many new unread messages arrived.
        """
        current = self._rows.get(key)
        if current is not None:
            self.set_unread(key, current.unread + by)

    def mark_read(self, key: str) -> None:
        """Clear a conversation's unread count.

        Args:
            key: The conversation key.
        """
        self.set_unread(key, 0)

    def _merge_activity(
        self,
        counterparty: str,
        text: str,
        timestamp: int | None,
        own_number: str,
        *,
        outbound: bool,
        status: str,
    ) -> None:
        """Fold one message (received or sent) into its conversation's row.

        A newer message takes over the preview, time and status. Which of our numbers the
        conversation runs on comes from received messages first (they name the number the
        counterparty wrote to); a sent row only fills it in when nothing else did.
        """
        key = conversation_key(counterparty)
        if not key:
            return
        own_number = conversation_number(own_number)  # the placeholder "Sender" is none of ours
        timestamp = _NO_TIME if timestamp is None else timestamp
        current = self._rows.get(key)
        if current is None:
            self._put(
                ConversationSummary(
                    key=key,
                    number=normalise_number(counterparty),
                    name=self._names.get(key, ""),
                    preview=text,
                    timestamp=timestamp,
                    own_number=own_number,
                    last_outbound=outbound,
                    last_status=status,
                )
            )
        elif timestamp > current.timestamp:
            preferred = current.own_number if outbound else own_number
            self._put(
                replace(
                    current,
                    preview=text,
                    timestamp=timestamp,
                    own_number=preferred or current.own_number or own_number,
                    last_outbound=outbound,
                    last_status=status,
                )
            )
        elif not current.own_number and own_number and not outbound:
            self._put(replace(current, own_number=own_number))

    def _put(self, row: ConversationSummary) -> None:
        """Store a row and keep the cached views right at the least cost."""
        previous = self._rows.get(row.key)
        self._rows[row.key] = row
        if previous is None or previous.name != row.name or previous.number != row.number:
            self._haystacks.pop(row.key, None)
        position = self._positions.get(row.key) if self._sorted is not None else None
        if previous is not None and position is not None and previous.timestamp == row.timestamp:
            # Same place in the order (unread, status, name …): patch the cached tuple.
            assert self._sorted is not None
            self._sorted = (*self._sorted[:position], row, *self._sorted[position + 1 :])
        else:
            self._sorted = None
