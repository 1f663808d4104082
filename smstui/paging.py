"""Which page to ask for next when reading a thread backwards with growing page sizes.

The API pages by offset (``page`` × ``limit``). A small first page paints fast; deeper history
comes in bigger pages so scrolling to the start of a 50,000-message thread takes few requests.
Each request must start exactly where the loaded history ends, so the limit is chosen to divide
the current offset. :class:`MissedPages` keeps pages that failed while the rest of their load
succeeded, so they are asked for again (with backoff) rather than never.
"""

from __future__ import annotations

from dataclasses import dataclass


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
