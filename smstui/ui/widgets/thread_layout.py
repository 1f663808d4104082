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

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from smstui.domain.delivery import StatusLook, describe_status, is_final
from smstui.domain.models import Message
from smstui.domain.timefmt import bubble_time, day_key, same_day, short_date
from smstui.ui.widgets.layout_heights import DayKeys, MeasuredLayout
from smstui.ui.widgets.wrap import message_height

__all__ = ["SCHEDULE_GRACE", "ThreadLayout", "is_waiting"]

SCHEDULE_GRACE = 120
"""Seconds a message of ours may be dated after "now" and still count as gone: the gateway's
clock may run a little ahead of ours."""


def is_waiting(message: Message, now: float) -> bool:
    """Whether one of our messages is dated later than now: scheduled, not sent yet."""
    return (
        message.outbound
        and message.timestamp > now + SCHEDULE_GRACE
        and not is_final(message.status)
    )


class ThreadLayout(MeasuredLayout):
    """Loaded messages of one conversation and the lines their blocks occupy.

    Lines are counted from the first message's block (line 0); the pane adds its header row.
    Until :meth:`set_width` is called nothing is measured and :attr:`total` is 0.
    """

    def __init__(self) -> None:
        super().__init__()
        self.signatures: dict[str, str] = {}
        """Who sent each of our messages (team mode), by message key; kept across resets."""
        self.status_words = False
        """Statuses as their words alone ("delivered", not "vv delivered"): ASCII glyphs."""

    def status_of(self, message: Message, now: float | None = None) -> StatusLook | None:
        """How a message's delivery status shows (None for inbound), with who sent it.

        A gateway may list a scheduled message among the sent ones, as "submitted", from the
        moment it is scheduled: until its time (``now`` given) it shows "scheduled for 09:30".
        """
        if not message.outbound:
            return None
        look = describe_status(message.status)
        if now is not None and is_waiting(message, now):
            when = bubble_time(message.timestamp)
            if not same_day(message.timestamp, now):
                when = f"{short_date(message.timestamp, now)} {when}"
            look = StatusLook("◷", f"scheduled for {when}", "pending")
        if self.status_words and look.word:
            look = StatusLook("", look.word, look.tone)
        who = self.signatures.get(message.key, "")
        if not who:
            return look
        return StatusLook(look.glyph, f"{look.word} · {who}" if look.word else who, look.tone)

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

    @staticmethod
    def _separators_for(messages: Sequence[Message], previous: Message | None) -> array[int]:
        keys = DayKeys()
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

    def insert(self, message: Message) -> int:
        """Put one item among the loaded ones in time order (after those of its second).

        For a team's internal note; re-measures it and the item after it (day separators).

        Returns:
            Its index.
        """
        index = bisect_right(self.messages, message.timestamp, key=lambda m: m.timestamp)
        self.messages.insert(index, message)
        self.separators.insert(index, 0)
        if self.width:
            self.heights.insert(index, 0)
            self._exact.insert(index, 1)
        for changed in self._resplit_days(index):
            if self.width:
                self._measure_one(changed)
        if self.width:
            self._rebuild_tops()
        return index

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
