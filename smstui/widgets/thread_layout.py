"""Where every loaded message's lines are, at one width: the message pane's index.

The pane never builds anything for messages off screen. It keeps, aligned with the loaded
messages (oldest first): a day-separator flag per message (width-independent), the height of
each message's block in lines at the current width (``array('q')``) and their prefix sums, so
"which message is on line y" is one bisection whatever the length. Prepending a page measures
only the new messages and rebuilds the integer prefix sums once (about 6 ms per 100,000).

A new width need not wrap everything at once (:meth:`ThreadLayout.set_width` with ``lazy``):
every height is then an *estimate* (the height at the previous width, which is right for most
short messages) until it is measured. The view measures the messages it shows right away
(:meth:`ThreadLayout.measure_range`, :meth:`ThreadLayout.measure_around`) and the rest in small
slices between frames (:meth:`ThreadLayout.refine`); once :attr:`ThreadLayout.stale` is 0 the
layout is exactly what a full measure gives.

Plain data and arithmetic: the widget maps these lines to the screen and scrolls.
"""

from __future__ import annotations

import time
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate

from smstui.api.models import Message
from smstui.timefmt import day_key
from smstui.widgets.wrap import message_height, text_width_for, wrap_text

__all__ = ["ThreadLayout"]

_SAFE_DAY = 23 * 3_600
"""Seconds after local midnight that surely still belong to the same local date (DST aside)."""


class _DayKeys:
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


class ThreadLayout:
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

    # Building --------------------------------------------------------------------------------

    def reset(self, messages: Iterable[Message]) -> None:
        """Replace every message, keeping the width (re-measures if one is set).

        Notes and the divider are dropped with the old messages.
        """
        self.messages = list(messages)
        self.notes = {}
        self.divider = None
        self.separators = self._separators_for(self.messages, None)
        if self.width:
            self._measure_all()
        else:
            self.heights = array("q")
            self.tops = array("q", [0])
            self._exact = bytearray()
            self.stale = 0
            self._dirty = (-1, -1)

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

    @staticmethod
    def _separators_for(messages: Sequence[Message], previous: Message | None) -> array[int]:
        keys = _DayKeys()
        last = None if previous is None else keys(previous.timestamp)
        flags = array("b")
        append = flags.append
        for message in messages:
            key = keys(message.timestamp)
            append(key != last)
            last = key
        return flags

    def _day_changes(self, index: int) -> int:
        if index == 0:
            return 1
        before = day_key(self.messages[index - 1].timestamp)
        return int(before != day_key(self.messages[index].timestamp))

    def prepend(self, older: Sequence[Message]) -> None:
        """Put older messages (oldest first) above the loaded ones.

        The previously first message loses its day separator if the page ends on its day;
        its height is re-measured.
        """
        added = len(older)
        if not added:
            return
        flags = self._separators_for(older, None)
        had_messages = bool(self.messages)
        self.messages[0:0] = older
        self.separators[0:0] = flags
        if had_messages:
            self.separators[added] = self._day_changes(added)
        if self.width:
            self.heights[0:0] = array(
                "q", map(message_height, older, [self.text_width] * added, flags)
            )
            self._exact[0:0] = bytearray(b"\x01") * added
            if had_messages:
                self._measure_one(added)
            self._measure_extras(0, added)
            self._rebuild_tops()

    def append(self, newer: Sequence[Message]) -> None:
        """Add newer messages (oldest first) below the loaded ones; O(len(newer))."""
        start = len(self.messages)
        previous = self.messages[-1] if self.messages else None
        self.messages.extend(newer)
        self.separators.extend(self._separators_for(newer, previous))
        if self.width:
            heights, tops, exact = self.heights, self.tops, self._exact
            for index in range(start, len(self.messages)):
                height = self._height(index)
                heights.append(height)
                exact.append(1)
                tops.append(tops[-1] + height)

    def replace(self, messages: Iterable[Message]) -> tuple[list[str], bool]:
        """Swap in new versions of loaded messages, matched by key.

        Searches from the newest end (status updates concern recent messages) and stops once
        every key is found.

        Returns:
            The keys replaced, and whether any block's height changed.
        """
        wanted = {message.key: message for message in messages}
        replaced: list[str] = []
        changed = False
        loaded = self.messages
        for index in range(len(loaded) - 1, -1, -1):
            if not wanted:
                break
            replacement = wanted.pop(loaded[index].key, None)
            if replacement is None:
                continue
            loaded[index] = replacement
            replaced.append(replacement.key)
            changed |= self._remeasure(self._resplit_days(index), rebuild=False)
        if changed:
            self._rebuild_tops()
        return replaced, changed

    def _resplit_days(self, index: int) -> list[int]:
        """Recompute the day separators of a changed message and of the one after it.

        Returns:
            The indexes whose separator may have changed (to re-measure).
        """
        indexes = [i for i in (index, index + 1) if i < len(self.messages)]
        for i in indexes:
            self.separators[i] = self._day_changes(i)
        return indexes

    # Queries ---------------------------------------------------------------------------------

    def index_at(self, line: int) -> int:
        """Return the message whose block holds ``line`` (clamped to the loaded range)."""
        if line <= 0:
            return 0
        return min(bisect_right(self.tops, line) - 1, len(self.messages) - 1)

    def bubble_line(self, index: int) -> int:
        """Return the first line of a message's bubble (below its day separator, if any)."""
        return self.tops[index] + self.lead(index)

    def find(self, key: str, near: int | None = None) -> int | None:
        """Return the position of a message by key, trying ``near`` first."""
        loaded = self.messages
        if near is not None and 0 <= near < len(loaded) and loaded[near].key == key:
            return near
        for index in range(len(loaded) - 1, -1, -1):
            if loaded[index].key == key:
                return index
        return None

    # Local changes ---------------------------------------------------------------------------

    def _remeasure(self, indexes: Iterable[int], *, rebuild: bool = True) -> bool:
        """Re-measure some messages; True when a height changed.

        With ``rebuild`` (the default) the prefix sums are rebuilt on a change; callers that
        re-measure in a loop pass False and rebuild once.
        """
        if not self.width:
            return False
        changed = False
        for index in indexes:
            changed |= self._measure_one(index)
        if changed and rebuild:
            self._rebuild_tops()
        return changed

    def set_note(self, key: str, note: str) -> bool:
        """Set (or, with "", remove) the note under a message.

        Returns:
            True when a height changed.
        """
        if note:
            self.notes[key] = note
        else:
            self.notes.pop(key, None)
        index = self.find(key)
        return index is not None and self._remeasure([index])

    def set_divider(self, key: str | None) -> bool:
        """Put the "New messages" divider above a message (None: no divider).

        Returns:
            True when a height changed.
        """
        old, self.divider = self.divider, key
        indexes = [i for k in (old, key) if k is not None and (i := self.find(k)) is not None]
        return self._remeasure(indexes)

    def swap(self, old_key: str, message: Message) -> int | None:
        """Replace a message by one with a different key (a local bubble by its gateway copy).

        The note goes with the old key; the divider follows the message.

        Returns:
            The index, or None when ``old_key`` is not loaded.
        """
        index = self.find(old_key)
        if index is None:
            return None
        self.messages[index] = message
        self.notes.pop(old_key, None)
        if self.divider == old_key:
            self.divider = message.key
        # The gateway's copy may carry another time (even another day) than the local bubble.
        self._remeasure(self._resplit_days(index))
        return index

    def remove(self, key: str) -> int | None:
        """Remove a message; the next one gets its day separator back if it needs it.

        Returns:
            The index it had, or None when it is not loaded.
        """
        index = self.find(key)
        if index is None:
            return None
        del self.messages[index]
        del self.separators[index]
        self.notes.pop(key, None)
        if self.divider == key:
            self.divider = None
        if self.width:
            del self.heights[index]
            if not self._exact[index]:
                self.stale -= 1
            del self._exact[index]
        if index < len(self.messages):
            self.separators[index] = self._day_changes(index)
            if self.width:
                self._measure_one(index)
        if self.width:
            self._rebuild_tops()
        return index
