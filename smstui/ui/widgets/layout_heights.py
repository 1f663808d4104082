"""The measuring half of the message pane's layout: heights at one width, exact or estimated.

:class:`MeasuredLayout` keeps, aligned with the loaded messages, the height of each block at the
current width and their prefix sums, and knows which heights are measured and which are
estimates after a lazy width change (see :mod:`smstui.ui.widgets.thread_layout`, which adds the
messages themselves: loading, editing, finding).
"""

from __future__ import annotations

import time
from array import array
from itertools import accumulate

from smstui.domain.models import Message
from smstui.domain.timefmt import day_key
from smstui.ui.widgets.wrap import message_height, text_width_for, wrap_text

__all__ = ["DayKeys", "MeasuredLayout"]

_SAFE_DAY = 23 * 3_600
"""Seconds after local midnight that surely still belong to the same local date (DST aside)."""


class DayKeys:
    """``day_key`` for a run of timestamps in order, computed once per day instead of per message.

    After one call it knows how long the same local date surely lasts (its wall-clock time
    of day, minus an hour of slack for a daylight-saving change), and answers later timestamps
    inside that window without asking again. That halves the cost of opening 100,000 messages.
    """

    def __init__(self) -> None:
        self._since = 1
        self._until = 0
        self._key = 0

    def __call__(self, timestamp: int) -> int:
        """Return ``day_key(timestamp)``, from the last answer while inside its day."""
        if self._since <= timestamp < self._until:
            return self._key
        key = day_key(timestamp)
        try:
            local = time.localtime(timestamp)
        except (OverflowError, OSError, ValueError):
            self._since, self._until = 1, 0
            return key
        wall = local.tm_hour * 3_600 + local.tm_min * 60 + local.tm_sec
        self._since, self._until, self._key = timestamp, timestamp + _SAFE_DAY - wall, key
        return key


class MeasuredLayout:
    """Loaded messages of one conversation and the lines their blocks occupy.

    Lines are counted from the first message's block (line 0); the pane adds its header row.
    Until :meth:`set_width` is called nothing is measured and :attr:`total` is 0.
    """

    def __init__(self) -> None:
        self.messages: list[Message] = []
        """Loaded messages, oldest first. Change them only through the methods."""
        self.separators = array("b")
        """1 where a day separator sits above the message (the first message always has one)."""
        self.heights = array("q")
        """Lines of each message's block at :attr:`width` (empty while unmeasured)."""
        self.tops = array("q", [0])
        """First line of each block; the last item is the total."""
        self.width = 0
        """The pane width the heights were measured at; 0 while unmeasured."""
        self.text_width = 0
        """The wrap width of bodies at :attr:`width`."""
        self.notes: dict[str, str] = {}
        """Message key → a line of explanation drawn under the bubble ("Not enough credit")."""
        self.divider: str | None = None
        """Key of the message the "New messages" divider sits above, or None."""

        self._exact = bytearray()
        """1 where the height is measured at :attr:`width`, 0 where it is an estimate."""
        self.stale = 0
        """How many heights are estimates (0: the layout is exact)."""
        self._dirty = (-1, -1)
        """Messages [low, high] measured by :meth:`refine` whose heights are not yet in
        :attr:`tops` (see :meth:`publish`); (-1, -1) when none."""

    def __len__(self) -> int:
        return len(self.messages)

    @property
    def total(self) -> int:
        """Lines of all blocks together."""
        return self.tops[-1]

    def set_width(self, width: int, *, lazy: bool = False) -> None:
        """Lay the messages out at a new pane width.

        Args:
            width: The pane's content width.
            lazy: Wrap nothing now: every height becomes an estimate (its height at the old
                width, or a one-line body when there was none) to be measured later with
                :meth:`measure_range`, :meth:`measure_around` and :meth:`refine`. Without it,
                every message is wrapped now (the one O(n) pass).
        """
        self.width = width
        if not lazy:
            self._measure_all()
            return
        text_width = text_width_for(width)
        count = len(self.messages)
        if text_width == self.text_width and len(self.heights) == count:
            return  # bodies wrap at the same width: what was measured still is
        self.text_width = text_width
        if len(self.heights) != count:
            # Nothing to go by: a one-line body (separator + body + meta + gap).
            self.heights = array("q", map((3).__add__, self.separators))
            self._rebuild_tops()
        self._exact = bytearray(count)
        self.stale = count

    def _measure_all(self) -> None:
        text_width = self.text_width = text_width_for(self.width)
        count = len(self.messages)
        self.heights = array(
            "q", map(message_height, self.messages, [text_width] * count, self.separators)
        )
        self._exact = bytearray(b"\x01") * count
        self.stale = 0
        self._measure_extras(0, count)
        self._rebuild_tops()

    def _rebuild_tops(self, start: int = 0) -> None:
        """Recompute the prefix sums from message ``start`` on (heights before it unchanged).

        Heights measured but not yet published are published with them.
        """
        low = self._dirty[0]
        if low >= 0:
            start = min(start, low)
            self._dirty = (-1, -1)
        tops = self.tops
        if start <= 0 or start >= len(tops):
            start = 0
            tops = self.tops = array("q")
            tail = list(accumulate(self.heights, initial=0))
        else:
            tail = list(accumulate(self.heights[start:], initial=tops[start]))
            del tops[start:]
        tops.fromlist(tail)

    # Lazy measuring ------------------------------------------------------------------------------

    def is_exact(self, index: int) -> bool:
        """Whether a message's height is measured at the current width (not an estimate)."""
        return bool(self._exact[index])

    def has_estimates(self, start: int, end: int) -> bool:
        """Whether any message in [start, end) is not laid out exactly.

        Its height is an estimate, or measured but not yet published in :attr:`tops`.
        """
        return self._unpublished(start, end) or (
            bool(self.stale) and self._exact.find(0, max(0, start), end) >= 0
        )

    def _unpublished(self, start: int, end: int) -> bool:
        low, high = self._dirty
        return low >= 0 and start <= high and end > low

    def publish(self) -> bool:
        """Put heights measured by :meth:`refine` into :attr:`tops`; True when any were."""
        if self._dirty[0] < 0:
            return False
        self._rebuild_tops(self._dirty[0])
        return True

    def _measure_one(self, index: int) -> bool:
        """Measure one message and mark it exact; True when its height changed."""
        height = self._height(index)
        changed = height != self.heights[index]
        self.heights[index] = height
        if not self._exact[index]:
            self._exact[index] = 1
            self.stale -= 1
        return changed

    def measure_range(self, start: int, end: int) -> bool:
        """Measure the estimated heights among messages [start, end).

        Returns:
            True when a height (and so the line of every later message) changed.
        """
        if not self.width or not self.has_estimates(start, end):
            return False
        exact = self._exact
        start, end = max(0, start), min(end, len(exact))
        lowest = len(exact) if self._unpublished(start, end) else -1
        index = exact.find(0, start, end)
        while index >= 0:
            if self._measure_one(index) and lowest < 0:
                lowest = index
            index = exact.find(0, index + 1, end)
        if lowest >= 0:
            self._rebuild_tops(lowest)
        return lowest >= 0

    def measure_around(self, index: int, before: int, after: int) -> bool:
        """Measure what a view at a message will show.

        The message itself, then the ones below it until ``after`` lines are exact, then the
        ones above it until ``before`` lines are.

        Returns:
            True when a height changed.
        """
        if not self.stale or not self.width or not self.messages:
            return False
        count = len(self.messages)
        index = max(0, min(index, count - 1))
        lowest = count
        lines, below = 0, index
        while below < count and (below == index or lines < after):
            if self._measure_one(below):
                lowest = min(lowest, below)
            lines += self.heights[below]
            below += 1
        lines, above = 0, index - 1
        while above >= 0 and lines < before:
            if self._measure_one(above):
                lowest = above
            lines += self.heights[above]
            above -= 1
        if lowest < count:
            self._rebuild_tops(lowest)
        return lowest < count

    def refine(self, limit: int) -> None:
        """Measure up to ``limit`` estimated heights, the newest first (a background slice).

        The new heights are not put into :attr:`tops` (the lines stay as they were, a
        consistent layout in which these messages keep their estimates) until
        :meth:`publish`, or any other change that rebuilds the prefix sums, so several slices
        can be published at once.
        """
        if not self.stale or not self.width:
            return
        exact = self._exact
        low, high = self._dirty
        end = len(exact)
        for _ in range(limit):
            index = exact.rfind(0, 0, end)
            if index < 0:
                break
            if self._measure_one(index):
                low = index if low < 0 else min(low, index)
                high = max(high, index)
            end = index
        self._dirty = (low, high)

    def _extra_lines(self, key: str) -> int:
        """Lines a message takes beyond its bubble: the divider above, a note below."""
        lines = int(key == self.divider)
        note = self.notes.get(key)
        if note:
            lines += len(wrap_text(note, self.text_width))
        return lines

    def _measure_extras(self, start: int, end: int) -> None:
        """Re-measure the few messages in [start, end) that have a note or the divider.

        Looks only at the range (a page), never searches the whole history.
        """
        extras = {*self.notes, self.divider}
        messages = self.messages
        for index in range(start, end):
            if messages[index].key in extras:
                self._measure_one(index)

    def _height(self, index: int) -> int:
        message = self.messages[index]
        base = message_height(message, self.text_width, self.separators[index])
        return base + self._extra_lines(message.key)

    def lead(self, index: int) -> int:
        """Lines above a message's bubble inside its block: day separator and divider."""
        return self.separators[index] + int(self.messages[index].key == self.divider)
