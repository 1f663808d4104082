"""Which page to ask for next when reading a thread backwards with growing page sizes.

The API pages by offset (``page`` × ``limit``). A small first page paints fast; deeper history
comes in bigger pages so scrolling to the start of a 50,000-message thread takes few requests.
Each request must start exactly where the loaded history ends, so the limit is chosen to divide
the current offset. :class:`MissedPages` keeps pages that failed while the rest of their load
succeeded, so they are asked for again (with backoff) rather than never.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from smstui.domain.models import Message, Page

PROBES = 20
"""The most pages asked for while looking for one message (a bisection of 2,000,000 needs 14)."""


def older_page_request(offset: int, first_limit: int, max_limit: int) -> tuple[int, int]:
    """Return ``(page, limit)`` for the page that starts at ``offset`` items from the newest.

    Args:
        offset: How many items the previous requests covered (not how many were new: shifted
            pages re-deliver some items, which de-duplication drops).
        first_limit: The size of the first page.
        max_limit: The largest page to ask for (the API allows up to 2,000).

    Returns:
        A 1-based page number and a limit such that ``(page - 1) * limit == offset``.
    """
    if offset <= 0:
        return 1, first_limit
    limit = max(1, min(max_limit, offset))
    while offset % limit:
        limit -= 1
    return offset // limit + 1, limit


def page_holding(offset: int, size: int) -> tuple[int, int]:
    """Return ``(page, limit)`` of the page of ``size`` items that holds item ``offset``."""
    return max(0, offset) // size + 1, size


def newer_page_request(newer_missing: int, size: int) -> tuple[int, int]:
    """Return ``(page, limit)`` for the page just newer than a window (see ThreadState).

    The page holds the item at ``newer_missing - 1``, the next newer message: it ends where
    the window starts when that is on the page grid, and overlaps the window otherwise (after
    new arrivals shifted the offsets), so nothing in between is skipped.
    """
    return page_holding(max(1, newer_missing) - 1, size)


async def find_page(
    fetch: Callable[[int, int], Awaitable[Page[Message] | None]],
    *,
    key: str,
    timestamp: int,
    estimate: int,
    size: int,
) -> Page[Message] | None:
    """Ask for the page that holds one message, starting from a guess of its offset.

    The guess (how many stored messages are newer) is right unless the store misses some;
    a miss compares times to learn which way the message lies, tries the next page that way
    (a few messages arrived since), then halves the range still possible.

    Args:
        fetch: Asks the gateway for ``(page, limit)``; None when the request failed.
        key: The message's key.
        timestamp: The message's time (epoch seconds), to tell newer pages from older ones.
        estimate: Its guessed offset from the newest message.
        size: The page size to ask with.

    Returns:
        The page holding the message; None when it was not found or a request failed.
    """
    low, high = 0, None  # the offsets still possible: low <= offset < high
    offset = estimate
    for attempt in range(PROBES):
        number, limit = page_holding(offset, size)
        page = await fetch(number, limit)
        if page is None:
            return None
        if any(message.key == key for message in page.items):
            return page
        start = (number - 1) * limit
        high = page.total if high is None else min(high, page.total)
        if not page.items or timestamp >= page.items[0].timestamp:
            high = min(high, start)  # newer than the whole page (or past the end)
        elif timestamp <= page.items[-1].timestamp:
            low = max(low, start + len(page.items))  # older than the whole page
        else:
            return None  # inside the page's time span but not on it: not in the conversation
        if low >= high:
            return None
        if attempt == 0:  # most misses are a page off: new messages moved the offsets
            offset = start + limit if low > start else start - 1
            offset = min(max(offset, low), high - 1)
        else:
            offset = (low + high) // 2
    return None


@dataclass(slots=True)
class _Missed:
    limit: int
    failures: int
    skip: int
    """Chances still to skip before the next try."""
    asked: bool = False
    """A try is on its way."""


class MissedPages:
    """Pages that failed while the rest of their load succeeded, to be asked for again.

    The inbox list loads an inbox page and the sent-history page of the same number together;
    when only the sent page fails, the list moves on and that page would never be asked for
    again. It is kept here and retried at the next chance (a poll, a further page), then after
    skipping 1, 3, 7 … chances (at most ``max_skip``) while it keeps failing, so an endpoint
    that stays broken is not asked on every poll.

    Args:
        max_skip: The most chances skipped between two tries of one page.
    """

    def __init__(self, max_skip: int = 15) -> None:
        self._max_skip = max(0, max_skip)
        self._pages: dict[int, _Missed] = {}

    def __len__(self) -> int:
        return len(self._pages)

    def __contains__(self, page: object) -> bool:
        return page in self._pages

    def failed(self, page: int, limit: int) -> None:
        """Note that a page failed (again); it is due at the next chance, or later on repeats.

        Args:
            page: The 1-based page number.
            limit: The page size it was asked with (it is asked again with the same).
        """
        entry = self._pages.get(page)
        failures = 1 if entry is None else entry.failures + 1
        skip = min(2 ** (failures - 1) - 1, self._max_skip)
        self._pages[page] = _Missed(limit, failures, skip)

    def done(self, page: int) -> None:
        """Note that a page arrived: it is no longer missing."""
        self._pages.pop(page, None)

    def release(self, page: int) -> None:
        """A try handed out by :meth:`due` ended without an answer (cancelled): due again."""
        entry = self._pages.get(page)
        if entry is not None:
            entry.asked = False

    def due(self) -> list[tuple[int, int]]:
        """Count one chance; return the ``(page, limit)`` pairs to ask for now.

        Pages handed out are on their way until :meth:`failed`, :meth:`done` or
        :meth:`release` is called for them, and are not handed out twice meanwhile.
        """
        ready: list[tuple[int, int]] = []
        for page, entry in sorted(self._pages.items()):
            if entry.asked:
                continue
            if entry.skip > 0:
                entry.skip -= 1
                continue
            entry.asked = True
            ready.append((page, entry.limit))
        return ready
