"""A lazily extended, newest-first merge of many conversations' messages of one direction.

The inbox (all inbound messages) and the sent history (all outbound messages) interleave every
conversation by time. Merging them all up front would mean generating every message, so the
merge is extended only as far as a requested page needs. Each conversation enters the heap
first as a placeholder keyed by its newest timestamp, an upper bound of all its messages, and
its blocks are generated only when that placeholder reaches the top.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator

Position = tuple[int, int]
"""(timestamp, index among the conversation's generated messages)."""


class MergedIndex:
    """Newest-first positions ``(ordinal, index)`` over many conversations, extended on demand.

    Args:
        sources: ``(ordinal, newest timestamp, count)`` for each conversation taking part.
        positions: yields a conversation's ``(timestamp, index)`` pairs newest first.
    """

    def __init__(
        self,
        sources: Iterable[tuple[int, int, int]],
        positions: Callable[[int], Iterator[Position]],
    ) -> None:
        self._positions = positions
        self._iterators: dict[int, Iterator[Position]] = {}
        self.total = 0
        heap: list[tuple[int, int, int]] = []
        for ordinal, newest, count in sources:
            if count:
                self.total += count
                heap.append((-newest, ordinal, -1))  # placeholder, expanded when popped
        heapq.heapify(heap)
        self._heap = heap
        self.items: list[tuple[int, int]] = []

    def ensure(self, wanted: int) -> None:
        """Extend the merge until it holds ``wanted`` items or everything."""
        heap, items = self._heap, self.items
        while len(items) < wanted and heap:
            _, ordinal, index = heapq.heappop(heap)
            if index >= 0:
                items.append((ordinal, index))
            else:
                self._iterators[ordinal] = self._positions(ordinal)
            following = next(self._iterators[ordinal], None)
            if following is not None:
                heapq.heappush(heap, (-following[0], ordinal, following[1]))
            else:
                del self._iterators[ordinal]

    def window(self, offset: int, limit: int) -> list[tuple[int, int]]:
        """Items ``offset .. offset+limit`` of the merged order (fewer past the end)."""
        self.ensure(offset + limit)
        return self.items[offset : offset + limit]
