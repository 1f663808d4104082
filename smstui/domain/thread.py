"""The loaded messages of one open conversation, merged from offset pages without duplicates.

``GET /conversation/{phone}`` pages are newest first and offset-based, so when new messages
arrive between two requests the next page re-delivers items already loaded (contract §4.2).
Every message carries a stable :attr:`~smstui.domain.models.Message.key`; this module only compares
keys. Messages are kept oldest → newest, the order the pane draws them.
"""

from __future__ import annotations

from collections.abc import Iterable

from smstui.domain.models import Message, Page

__all__ = ["ThreadState", "first_unread"]


def first_unread(messages: Iterable[Message], since: int) -> str | None:
    """The key of the first received message after ``since``: where "New messages" goes."""
    return next((m.key for m in messages if not m.outbound and m.timestamp > since), None)


class ThreadState:
    """One conversation's loaded history, oldest first, de-duplicated by message key.

    Adding a page costs O(page) plus at most one list splice, and :meth:`index_of` is O(1)
    whatever the length, so threads of 50,000+ messages stay cheap.
    """

    def __init__(self, key: str = "") -> None:
        self.key = key
        """The conversation key this thread belongs to (used to drop stale results)."""
        self.messages: list[Message] = []
        """Loaded messages, oldest → newest. Read it; change it only through the methods."""
        self.complete = False
        """True once the oldest page has been loaded (the start of the history is in)."""
        self.pages_loaded = 0
        """The highest page number loaded by :meth:`add_older_page`."""
        self.newer_missing = 0
        """How many newer messages are not loaded: 0 when the newest is (the usual case); more
        when a jump loaded a window in the middle of the history (see :meth:`add_newer_page`)."""
        self.total: int | None = None
        """The gateway's message count of the conversation at the last page, None before one."""
        # Each message gets a sequence number that never changes: prepending counts down from
        # the first one, appending counts up, so the list index is ``seq - _first_seq``.
        self._sequence: dict[str, int] = {}
        self._first_seq = 0

    def __len__(self) -> int:
        return len(self.messages)

    def __contains__(self, key: object) -> bool:
        return key in self._sequence

    @property
    def next_page(self) -> int:
        """The 1-based page to request for older history (for a constant page size).

        Shifted offsets are harmless: a page that overlaps what is loaded only re-delivers
        messages that de-duplication drops, and the items it pushed back come with the next.
        """
        return self.pages_loaded + 1

    def index_of(self, key: str) -> int | None:
        """Return the position of a message in :attr:`messages`, or None when it is not loaded.

        Args:
            key: A message key.

        Returns:
            The list index, or None.
        """
        sequence = self._sequence.get(key)
        return None if sequence is None else sequence - self._first_seq

    def add_older_page(self, page: Page[Message]) -> list[Message]:
        """Prepend a page of older history (the first call loads the newest page).

        Args:
            page: A conversation page, newest first as the API sends it.

        Returns:
            The messages actually added, oldest first (already-loaded ones are dropped).
        """
        fresh = self._unseen(reversed(page.items))
        if fresh:
            self._first_seq -= len(fresh)
            for offset, message in enumerate(fresh):
                self._sequence[message.key] = self._first_seq + offset
            self.messages[0:0] = fresh
        self.pages_loaded = max(self.pages_loaded, page.page)
        self.complete = self.complete or page.is_last
        self.total = page.total
        return fresh

    def open_window(self, page: Page[Message]) -> None:
        """Start from one page in the middle of the history (a jump), newer messages missing.

        Args:
            page: Any page of the conversation but the first; its items are loaded as they are.
        """
        self.messages.clear()
        self._sequence.clear()
        self._first_seq = 0
        self.newer_missing = (page.page - 1) * page.limit
        self.pages_loaded = page.page
        self.complete = page.is_last
        self.total = page.total
        for message in self._unseen(reversed(page.items)):
            self._append(message)

    def add_newer_page(self, page: Page[Message]) -> list[Message] | None:
        """Append a page that holds the messages just newer than the window, or refuse it.

        The page must overlap the loaded messages or end exactly where they start; with the
        same total as the last page, offsets have not moved, so a page asked for at the right
        offset meets the window. Messages that arrived since shift every offset: a page with
        another total that does not overlap may have left out the messages in between, so it
        is refused (None) and :attr:`newer_missing` is moved by the shift for the next ask.

        Args:
            page: A page newer than the window, newest first.

        Returns:
            The messages appended, oldest first; None when the page was refused.
        """
        shift = 0 if self.total is None else page.total - self.total
        self.total = page.total
        start = (page.page - 1) * page.limit
        overlap = next((i for i, m in enumerate(page.items) if m.key in self._sequence), None)
        if overlap is None and shift:
            self.newer_missing = max(0, self.newer_missing + shift)
            return None
        newer = page.items if overlap is None else page.items[:overlap]
        added = self._unseen(reversed(newer))
        for message in added:
            self._append(message)
        self.newer_missing = start
        return added

    def add_newest_page(self, page: Page[Message]) -> tuple[list[Message], list[Message]]:
        """Merge a fresh copy of page 1 (polling): new messages and changed statuses.

        On an empty thread that has loaded no page yet this is the first load, as
        :meth:`add_older_page`.

        Args:
            page: Page 1 of the conversation, newest first.

        Returns:
            ``(appended, changed)``: messages appended at the end, oldest first, and loaded
            messages replaced in place because something about them changed (e.g. the delivery
            status), in page order.
        """
        if self.pages_loaded == 0 and not self.messages:
            return self.add_older_page(page), []
        if self.newer_missing:
            # A window in the middle: new messages belong after the missing ones, so they
            # are not appended here; they come with the newer pages (statuses still update).
            self.newer_missing += max(0, page.total - (self.total or page.total))
            self.total = page.total
            return [], [message for message in page.items if self._changed(message)]
        changed = [message for message in page.items if self._changed(message)]
        appended = self._unseen(reversed(page.items))
        for message in appended:
            self._append(message)
        return appended, changed

    def _changed(self, message: Message) -> bool:
        """Replace a loaded message by a different copy of it; True when it changed."""
        index = self.index_of(message.key)
        if index is None or self.messages[index] == message:
            return False
        self.messages[index] = message
        return True

    def append(self, message: Message) -> bool:
        """Add one message at the end, e.g. the local copy of a message we just sent.

        Args:
            message: The message.

        Returns:
            True when it was added, False when a message with the same key is already loaded.
        """
        if message.key in self._sequence:
            return False
        self._append(message)
        return True

    def replace(self, message: Message) -> int | None:
        """Replace the loaded message that has the same key (e.g. a status update).

        Args:
            message: The new version.

        Returns:
            Its index, or None when no message with that key is loaded.
        """
        index = self.index_of(message.key)
        if index is not None:
            self.messages[index] = message
        return index

    def swap(self, old_key: str, message: Message) -> int | None:
        """Replace a message by one with another key (a local bubble by the gateway's copy).

        When the new key is already loaded (the copy came with a refresh first), the old
        message is removed instead, so the copy is never shown twice.

        Args:
            old_key: The key of the loaded message to replace.
            message: Its replacement.

        Returns:
            The index the replacement sits at, or None when ``old_key`` is not loaded or the
            old message was removed as a duplicate.
        """
        index = self.index_of(old_key)
        if index is None:
            return None
        if message.key != old_key and message.key in self._sequence:
            self.remove(old_key)
            return None
        self._sequence[message.key] = self._sequence.pop(old_key)
        self.messages[index] = message
        return index

    def remove(self, key: str) -> int | None:
        """Remove a loaded message (a failed local bubble whose text went back to the composer).

        Costs O(messages after it): removal concerns recent messages near the end.

        Args:
            key: The message key.

        Returns:
            The index it had, or None when it is not loaded.
        """
        index = self.index_of(key)
        if index is None:
            return None
        del self._sequence[key]
        del self.messages[index]
        for later in self.messages[index:]:
            self._sequence[later.key] -= 1
        return index

    def _append(self, message: Message) -> None:
        self._sequence[message.key] = self._first_seq + len(self.messages)
        self.messages.append(message)

    def _unseen(self, messages: Iterable[Message]) -> list[Message]:
        """Messages (in the given order) whose keys are not loaded, each key once."""
        fresh: list[Message] = []
        keys: set[str] = set()
        for message in messages:
            if message.key not in self._sequence and message.key not in keys:
                keys.add(message.key)
                fresh.append(message)
        return fresh
