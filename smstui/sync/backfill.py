"""Backfill: page through the whole inbox and sent history into the store, politely.

The gateway has no "changes since" call, so the only way to search or browse everything offline
is to read every inbox and sent-history page once. :class:`HistoryBackfill` does that in the
background:

- at the largest page size the contract allows (2,000 per request), so 100,000 messages take
  50 requests per stream;
- one request at a time, inbox and sent pages taking turns, so both histories reach back
  about as far at any moment;
- resumable: where each stream stands is a cursor in the store, written in the same breath as
  the page it follows, so a restart goes on from the next page and asks for no page twice;
- backing off on "slow down" (HTTP 429 and its ``Retry-After``) and on "unavailable" (5xx,
  error 105, the gateway unreachable), doubling the pause up to a ceiling, and stopping for good
  only on rejected credentials or an error that says the request itself is wrong.

New messages arriving meanwhile push older ones onto later pages; a page asked for after such a
shift re-delivers a few messages of the page before it, which the store's stable keys drop. No
message is skipped by a shift, because the offset only moves forward by what was asked for.

Nothing here imports Textual: the inbox screen runs :meth:`HistoryBackfill.run` in a worker and
shows the :class:`BackfillProgress` it reports on the status line.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from smstui.api.errors import (
    AuthError,
    BadResponse,
    Offline,
    RateLimited,
    ServiceUnavailable,
    SmsError,
)
from smstui.domain.models import InboxItem, Page, SentItem
from smstui.store.errors import STORE_ERRORS
from smstui.store.reserve import is_disk_full
from smstui.sync.catch_up import (
    HistorySink,
    HistorySource,
    catch_up_stream,
    fetch_page,
    in_thread,
)
from smstui.system.clock import Clock

__all__ = ["STREAMS", "BackfillProgress", "HistoryBackfill", "HistorySink", "HistorySource"]

logger = logging.getLogger(__name__)

STREAMS = ("inbox", "sent")
"""The two histories that together hold every message of every conversation."""

MAX_PAGE_SIZE = 2000
"""The largest ``limit`` the contract allows (error 135 above it)."""

CURSOR_PREFIX = "backfill."

CATCH_UP_PAGE_SIZE = 200
"""Page size for reading what arrived since the last run (usually a handful of messages)."""

MAX_CATCH_UP_PAGES = 50
"""Catching up stops after this many pages; the live updates and the next run do the rest."""


@dataclass(frozen=True, slots=True)
class StreamPosition:
    """How far one history has been read: the next page to ask for, at which page size."""

    next_page: int = 1
    limit: int = MAX_PAGE_SIZE
    total: int | None = None
    """The history's length as the gateway last gave it (None before the first page)."""
    done: bool = False

    @property
    def covered(self) -> int:
        """How many items the pages asked for so far span."""
        return (self.next_page - 1) * self.limit

    def to_json(self) -> str:
        """The cursor's stored form."""
        return json.dumps(
            {
                "next_page": self.next_page,
                "limit": self.limit,
                "total": self.total,
                "done": self.done,
            }
        )

    @classmethod
    def from_json(cls, text: str | None, limit: int) -> StreamPosition:
        """Read a stored cursor; anything unreadable starts the stream again (keys de-duplicate)."""
        if not text:
            return cls(limit=limit)
        try:
            data = json.loads(text)
            position = cls(
                next_page=max(1, int(data["next_page"])),
                limit=max(1, min(MAX_PAGE_SIZE, int(data["limit"]))),
                total=None if data.get("total") is None else max(0, int(data["total"])),
                done=bool(data.get("done", False)),
            )
        except (ValueError, TypeError, KeyError):
            logger.warning("unreadable backfill cursor %r; starting that history again", text)
            return cls(limit=limit)
        return position


@dataclass(frozen=True, slots=True)
class BackfillProgress:
    """What the status line says about the backfill."""

    stored: int
    """Messages read so far over both histories (including earlier runs)."""
    total: int | None
    """Messages in both histories, once both first pages are in."""
    done: bool
    waiting_until: float | None = None
    """When the backfill will try again after a failure (None while it is working)."""
    problem: str = ""
    """Why it is waiting or why it stopped, in one line."""

    @property
    def percent(self) -> int | None:
        """How far it is, 0–100, or None before the totals are known."""
        if self.total is None:
            return None
        if self.total == 0:
            return 100
        return min(100, int(self.stored * 100 / self.total))


Sleep = Callable[[float], Awaitable[None]]
ProgressListener = Callable[[BackfillProgress], None]
Offload = Callable[..., Awaitable[object]]


def _store_problem(error: BaseException) -> str:
    """The status line's words when the store refused a page."""
    if is_disk_full(error):
        return "the disk is full; going on when there is room"
    first = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"the message store failed ({first[:120]})"


class HistoryBackfill:
    """Reads every inbox and sent-history page once into the store (see the module docstring).

    Args:
        source: The API client.
        sink: The message store.
        clock: Wall clock, for ``Retry-After`` times.
        page_size: Page size for a fresh stream (a resumed one keeps the size it started with,
            so its offsets stay whole pages).
        sleep: Awaitable pause (tests pass one that records and advances a fake clock).
        on_progress: Told after every page and every pause.
        offload: Runs a blocking store call off the event loop (a thread by default).
        first_backoff: The first pause after a failure; it doubles up to ``max_backoff``.
        max_backoff: The longest pause between tries.
    """

    def __init__(
        self,
        source: HistorySource,
        sink: HistorySink,
        *,
        clock: Clock,
        page_size: int = MAX_PAGE_SIZE,
        sleep: Sleep = asyncio.sleep,
        on_progress: ProgressListener | None = None,
        offload: Offload = in_thread,
        first_backoff: float = 5.0,
        max_backoff: float = 300.0,
    ) -> None:
        self._source = source
        self._sink = sink
        self._clock = clock
        self._page_size = max(1, min(MAX_PAGE_SIZE, page_size))
        self._sleep = sleep
        self._on_progress = on_progress
        self._offload = offload
        self._first_backoff = first_backoff
        self._max_backoff = max_backoff
        self.positions: dict[str, StreamPosition] = {}
        """Where each stream stands (filled by :meth:`run`)."""
        self.requests = 0
        """Page requests made by this object (successful or not)."""

    async def run(self) -> BackfillProgress:
        """Read pages until both histories are complete; return the final progress.

        Raises:
            AuthError: The credentials were rejected (the app asks for new ones).
        """
        for stream in STREAMS:
            text = await self._offload(self._sink.cursor, CURSOR_PREFIX + stream)
            self.positions[stream] = StreamPosition.from_json(
                text if isinstance(text, str) else None, self._page_size
            )
        self._report()
        await self._catch_up()
        backoff = self._first_backoff
        while True:
            pending = [stream for stream in STREAMS if not self.positions[stream].done]
            if not pending:
                break
            # The stream that reaches back least goes next, so both advance together.
            stream = min(pending, key=lambda name: self.positions[name].covered)
            try:
                await self._read_page(stream)
            except AuthError:
                raise
            except (RateLimited, ServiceUnavailable, Offline, BadResponse) as error:
                wait = self._pause_after(error, backoff)
                backoff = min(self._max_backoff, backoff * 2)
                self._report(waiting_until=self._clock.now() + wait, problem=error.user_message)
                await self._sleep(wait)
                continue
            except STORE_ERRORS as error:
                # The page is asked for again once the store takes writes: a full disk has
                # room again, a damaged file has been rebuilt. The cursor has not moved.
                wait, backoff = backoff, min(self._max_backoff, backoff * 2)
                self._report(waiting_until=self._clock.now() + wait, problem=_store_problem(error))
                await self._sleep(wait)
                continue
            except SmsError as error:
                # Any other refusal means the request itself is wrong (a bad limit, a missing
                # endpoint): asking again would get the same answer, so this run stops here.
                logger.warning("backfill of %s stopped: %s", stream, error.user_message)
                return self._report(problem=error.user_message)
            backoff = self._first_backoff
            self._report()
        return self._report()

    async def _catch_up(self) -> None:
        """Read the newest pages of each stream read before, until they reach what is stored.

        A history read in an earlier run (finished or not) misses what arrived since; those
        messages sit on its first pages. A failure here is left to the backfill loop and the
        live updates: the next run catches up again.
        """
        for stream in STREAMS:
            if self.positions[stream].covered == 0:
                continue  # a fresh stream: the backfill itself reads page 1
            try:
                await catch_up_stream(self._fetch, stream, pages=MAX_CATCH_UP_PAGES,
                                      page_size=CATCH_UP_PAGE_SIZE)  # fmt: skip
            except AuthError:
                raise
            except SmsError as error:
                logger.info("catching up %s failed: %s", stream, error.user_message)
            except STORE_ERRORS as error:
                logger.info("catching up %s failed: %s", stream, error)

    async def _fetch(
        self, stream: str, page_number: int, limit: int
    ) -> tuple[Page[InboxItem] | Page[SentItem], int]:
        """Ask for one page of a stream and store it; return the page and how many were new."""
        self.requests += 1
        return await fetch_page(self._source, self._sink, stream, page_number, limit, self._offload)

    def _pause_after(self, error: SmsError, backoff: float) -> float:
        retry_at = getattr(error, "retry_at", None)
        if isinstance(retry_at, (int, float)):
            return max(backoff, retry_at - self._clock.now())
        return backoff

    async def _read_page(self, stream: str) -> None:
        position = self.positions[stream]
        page, _ = await self._fetch(stream, position.next_page, position.limit)
        moved = StreamPosition(
            next_page=position.next_page + 1,
            limit=position.limit,
            total=page.total,
            done=page.is_last,
        )
        await self._offload(self._sink.set_cursor, CURSOR_PREFIX + stream, moved.to_json())
        self.positions[stream] = moved

    def _report(self, *, waiting_until: float | None = None, problem: str = "") -> BackfillProgress:
        positions = self.positions.values()
        totals = [position.total for position in positions]
        total = None if any(t is None for t in totals) else sum(t or 0 for t in totals)
        stored = sum(
            (position.total or 0) if position.done else min(position.covered, position.total or 0)
            for position in positions
        )
        done = bool(self.positions) and all(position.done for position in positions)
        progress = BackfillProgress(
            stored=stored, total=total, done=done, waiting_until=waiting_until, problem=problem
        )
        if self._on_progress is not None:
            self._on_progress(progress)
        return progress
