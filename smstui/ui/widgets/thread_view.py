"""A line-API scroll view over a :class:`~smstui.ui.widgets.thread_layout.ThreadLayout`.

This is the machinery under the message pane: virtual lines, bottom gravity, keeping the
user's place when lines above change, re-wrapping on a width change, and the strip cache.

A width change wraps only what is on screen (and a margin) before the next frame; the other
heights stay estimates that are measured in slices of :data:`REFINE_SLICE` messages between
frames, the message at the top of the view held on its row meanwhile. Whatever comes into view
is measured before it is drawn, so rows are never wrong, only the scrollbar is approximate
until the layout is exact again.
``render_line(y)`` bisects to the message under a row and takes its finished strips from an
LRU cache keyed by message identity (never by position, so prepending costs nothing in the
cache); work per frame follows the visible rows.

Virtual lines: one header row (reserved while there are messages, so changing what it says
never moves the view), then each message's block. Content shorter than the view sits at the
bottom, by the newest message, as in any chat app.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from smstui.domain.timefmt import day_key, day_label
from smstui.system.clock import Clock
from smstui.ui.widgets.bubbles import PaneLook, build_block, centred_strip, resolve_look
from smstui.ui.widgets.note_block import build_note_block, is_team_note
from smstui.ui.widgets.thread_layout import ThreadLayout, is_waiting

__all__ = ["HEADER_ROWS", "ThreadView"]

HEADER_ROWS = 1
"""Rows above the first message while there are messages."""

_CACHED_BLOCKS = 256
"""Messages whose strips are kept; a tall screen shows a few dozen at most."""

REFINE_SLICE = 500
"""Estimated heights measured per background step (about 8 ms: a key waits at most that)."""

REFINE_PAUSE = 0.01
"""Seconds between background steps, so frames and keys come first."""

PUBLISH_EVERY = 0.5
"""Seconds between putting background-measured heights into the layout (each is a frame:
the scroll position moves to hold the view while lines above it change)."""

_BlockKey = tuple[str, int, bool, int, bool, str, bool, int]


@dataclass(frozen=True, slots=True)
class _Anchor:
    """Where the user is looking, to restore after the lines above it change."""

    at_bottom: bool
    index: int = 0
    """The message at the top of the view."""
    offset: int = 0
    """Line within that message, counted from its bubble's first line."""
    row: int = 0
    """The screen row that line was on."""


class ThreadView(ScrollView):
    """Scrolls and paints the messages of a :class:`ThreadLayout`; subclasses add behaviour."""

    def __init__(
        self,
        *,
        clock: Clock,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._clock = clock
        self._layout = ThreadLayout()
        self._cursor: int | None = None
        """Position of the highlighted message."""
        self._following = True
        """The view is at the bottom (new messages stay in view)."""
        self._want_bottom = False
        """Go to the bottom as soon as the width is known."""
        self._refine_pending = False
        """A background measuring step is scheduled."""
        self._published = 0.0
        """When background-measured heights were last put into the layout (monotonic)."""
        self._generation = 0
        self._today: int | None = None
        self._look: PaneLook | None = None
        self._blocks: LRUCache[_BlockKey, list[Strip]] = LRUCache(_CACHED_BLOCKS)
        """Finished strips per (message key, width, is cursor, separator, divider, note,
        style generation)."""

    @property
    def cache_hits(self) -> int:
        """Strip-cache hits so far (for tests and benchmarks)."""
        return self._blocks.hits

    @property
    def cache_misses(self) -> int:
        """Strip-cache misses so far (for tests and benchmarks)."""
        return self._blocks.misses

    # Hooks for subclasses ----------------------------------------------------------------------

    def _header_strip(self, width: int, look: PaneLook) -> Strip:
        """The header row above the first message."""
        return Strip.blank(width, look.base)

    def _overlay_strip(self, y: int, width: int, look: PaneLook) -> Strip | None:
        """A row drawn over the content at view row ``y``, or None."""
        return None

    def _empty_hint(self) -> str:
        """What to say in the middle of the view when there are no messages."""
        return ""

    def _scrolled(self) -> None:
        """Called after the scroll position or the layout changed."""

    def _cursor_moved(self) -> None:
        """Called after the user moved the cursor to another message."""

    # Geometry ----------------------------------------------------------------------------------

    def _update_virtual_size(self) -> None:
        layout = self._layout
        height = HEADER_ROWS + layout.total if layout.messages and layout.width else 0
        size = Size(layout.width, height)
        if size != self.virtual_size:
            # Only the scrollbar depends on it (the pane's own size is set by CSS), so update
            # it now instead of through a screen layout pass: that saves a frame per change.
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)

    @property
    def _view_height(self) -> int:
        return self.scrollable_content_region.height

    @property
    def _pad(self) -> int:
        """Blank rows above short content, so it sits at the bottom."""
        return max(0, self._view_height - self.virtual_size.height)

    def _span(self, index: int) -> tuple[int, int]:
        """Virtual lines [start, end) of a message's separator and bubble (gap excluded).

        The oldest message's span includes the header row, so going to it shows that row.
        """
        tops = self._layout.tops
        return (HEADER_ROWS + tops[index] if index else 0), HEADER_ROWS + tops[index + 1] - 1

    def _visible_range(self) -> tuple[int, int]:
        """The first and last message in view, preferring ones seen whole over cut ones."""
        top, height = self.scroll_offset.y, self._view_height
        first = self._layout.index_at(top - HEADER_ROWS)
        last = self._layout.index_at(top + height - 1 - HEADER_ROWS)
        if first < last and self._span(first)[0] < top:
            first += 1
        if last > first and self._span(last)[1] > top + height:
            last -= 1
        return first, last

    def _capture_anchor(self) -> _Anchor:
        layout = self._layout
        if not layout.width or not layout.messages or self._following:
            return _Anchor(at_bottom=True)
        top = self.scroll_offset.y
        index = layout.index_at(top - HEADER_ROWS)
        bubble = HEADER_ROWS + layout.bubble_line(index)
        if bubble < top:  # the bubble started above the view: anchor the row at the top
            return _Anchor(False, index, top - bubble, self._pad)
        return _Anchor(False, index, 0, self._pad + bubble - top)

    def _restore_anchor(self, anchor: _Anchor, *, shift: int = 0) -> None:
        """Scroll so the anchored line is back on its row (``shift``: messages added above)."""
        if anchor.at_bottom:
            self._scroll_to_line(self.max_scroll_y)
            return
        layout = self._layout
        index = min(anchor.index + shift, len(layout) - 1)
        offset = min(anchor.offset, layout.heights[index] - layout.lead(index) - 1)
        self._scroll_to_line(HEADER_ROWS + layout.bubble_line(index) + offset - anchor.row)

    def _scroll_to_line(self, y: int) -> None:
        """Scroll now, in this frame, so nothing flickers."""
        self.scroll_to(y=max(0, min(y, self.max_scroll_y)), animate=False, immediate=True)
        self._following = self.scroll_offset.y >= self.max_scroll_y

    def _sync_width(self) -> None:
        """Re-measure when the usable width changed (resize, or a scrollbar appeared)."""
        today = day_key(self._clock.now())
        if today != self._today:  # "Today"/"Yesterday" are relative: redraw them tomorrow
            self._today = today
            self._generation += 1
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._layout.width:
            return
        anchor = self._capture_anchor()
        self._blocks.clear()
        layout = self._layout
        layout.set_width(width, lazy=True)
        # Wrap now only what the view will show (and a screen's margin either side).
        height = max(1, self._view_height)
        bottom = self._want_bottom or anchor.at_bottom
        if bottom:
            layout.measure_around(len(layout) - 1, before=2 * height, after=0)
        else:
            layout.measure_around(anchor.index, before=height, after=2 * height)
        self._update_virtual_size()
        if bottom:
            self._want_bottom = False
            self._scroll_to_line(self.max_scroll_y)
        else:
            self._restore_anchor(anchor)
        self._settle_view()
        self._published = time.monotonic()
        self._schedule_refine()
        self.refresh()
        self._scrolled()

    # Lazy measuring after a width change -------------------------------------------------------

    def _measure(self, start: int, end: int) -> None:
        """Measure estimated heights among messages [start, end), keeping the user's place."""
        layout = self._layout
        if not layout.stale:
            return
        anchor = self._capture_anchor()
        if layout.measure_range(start, end):
            self._update_virtual_size()
            self._restore_anchor(anchor)

    def _settle_view(self) -> None:
        """Measure every estimated message in view (before it is drawn)."""
        layout = self._layout
        for _ in range(16):  # each round measures at least one message; a few always suffice
            if not layout.stale or not layout.width or not layout.messages:
                return
            top = self.scroll_offset.y - self._pad - HEADER_ROWS
            first = layout.index_at(top)
            last = layout.index_at(top + self._view_height)
            if not layout.has_estimates(first, last + 1):
                return
            self._measure(first, last + 1)

    def _schedule_refine(self) -> None:
        """Measure the remaining estimates later, a slice at a time between frames."""
        if self._layout.stale and not self._refine_pending:
            self._refine_pending = True
            # A timer, not call_later: queued callbacks all run before the next frame, so the
            # first frame after a resize waited for a dozen slices (260 ms with 50k loaded).
            self.set_timer(REFINE_PAUSE, self._refine_step, name="refine layout")

    def _refine_step(self) -> None:
        """One background slice: measure some estimated heights, keep the view where it is."""
        self._refine_pending = False
        layout = self._layout
        if not layout.stale or not layout.width or not self.is_mounted:
            return
        layout.refine(REFINE_SLICE)
        now = time.monotonic()
        if not layout.stale or now - self._published >= PUBLISH_EVERY:
            self._published = now
            anchor = self._capture_anchor()
            if layout.publish():
                self._update_virtual_size()
                self._restore_anchor(anchor)
        self._schedule_refine()

    def on_resize(self, event: events.Resize) -> None:
        """Re-wrap at a new width; stay at the bottom if the view was there."""
        if self._following and self._layout.width == self.scrollable_content_region.width:
            self._scroll_to_line(self.max_scroll_y)
        self._sync_width()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Track whether the view follows the bottom."""
        super().watch_scroll_y(old_value, new_value)
        if self._layout.width and self._layout.messages:
            self._following = round(new_value) >= self.max_scroll_y
            self._scrolled()

    # Painting ----------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        """Theme or CSS changed: every resolved style and cached strip is stale."""
        super().notify_style_update()
        self._generation += 1
        self._look = None
        self._blocks.clear()

    def _resolve_look(self) -> PaneLook:
        if self._look is None:
            self._look = resolve_look(lambda *names: self.get_visual_style(*names).rich_style)
        return self._look

    def _forget_blocks(self, keys: set[str]) -> None:
        """Drop the cached strips of some messages (they changed)."""
        for cache_key in list(self._blocks.keys()):  # LRUCache cannot be iterated directly
            if cache_key[0] in keys:
                self._blocks.discard(cache_key)

    def _block(self, index: int) -> list[Strip]:
        layout = self._layout
        message = layout.messages[index]
        cursor = index == self._cursor
        separator = layout.separators[index]
        divider = message.key == layout.divider
        note = layout.notes.get(message.key, "")
        now = self._clock.now()
        # A scheduled message is drawn again once its time has come (its status changes).
        waiting = is_waiting(message, now)
        cache_key = (
            message.key, layout.width, cursor, separator, divider, note, waiting, self._generation
        )  # fmt: skip
        strips = self._blocks.get(cache_key)
        if strips is None:
            strips = (build_note_block if is_team_note(message) else build_block)(
                message,
                width=layout.width,
                separator=day_label(message.timestamp, now) if separator else None,
                cursor=cursor,
                status=layout.status_of(message, now),
                look=self._resolve_look(),
                divider=divider,
                note=note,
            )
            self._blocks.set(cache_key, strips)
        return strips

    def render_lines(self, crop: Region) -> list[Strip]:
        """Check the width first: a scrollbar change sends no resize."""
        self._sync_width()
        self._settle_view()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """Return row ``y`` of the view: bisect to the message, then a cached strip."""
        # Read the region once: it is recomputed on every access, and this runs per row.
        region = self.scrollable_content_region
        width = self._layout.width
        if not width or width != region.width:
            return Strip.blank(max(0, region.width))
        look = self._resolve_look()
        if not self._layout.messages:
            hint = self._empty_hint()
            if hint and y == (region.height - 1) // 2:
                return centred_strip(hint, width, look.placeholder, look.base)
            return Strip.blank(width, look.base)
        overlay = self._overlay_strip(y, width, look)
        if overlay is not None:
            return overlay
        pad = max(0, region.height - self.virtual_size.height)  # as self._pad, without a re-read
        line = self.scroll_offset.y + y - pad - HEADER_ROWS
        if line < 0:
            if line == -1:
                return self._header_strip(width, look)
            return Strip.blank(width, look.base)
        if line >= self._layout.total:
            return Strip.blank(width, look.base)
        index = self._layout.index_at(line)
        strips = self._block(index)
        row = line - self._layout.tops[index]
        # A message not measured yet (drawn before the view settled) may be shorter than its
        # estimate; render_lines measures everything in view first, so this is a safety net.
        return strips[row] if row < len(strips) else Strip.blank(width, look.base)

    def _refresh_message(self, index: int | None) -> None:
        """Repaint only the rows of one message."""
        if index is not None and self._layout.width:
            start, end = self._span(index)
            row = start + self._pad - self.scroll_offset.y
            self.refresh(Region(0, row, self._layout.width, end - start))

    # Cursor navigation (bound to keys by the subclass) -----------------------------------------

    def _move_cursor(self, index: int, *, scroll: bool = True) -> None:
        index = max(0, min(index, len(self._layout) - 1))
        self._measure(index, index + 1)
        previous, self._cursor = self._cursor, index
        if previous != index:
            self._refresh_message(previous)
            self._refresh_message(index)
        if scroll and self._layout.width:
            # Scroll as little as possible to show the message and its day separator.
            start, end = self._span(index)
            top, height = self.scroll_offset.y, self._view_height
            if start < top or end - start > height:
                self._scroll_to_line(start)
            elif end > top + height:
                self._scroll_to_line(end - height)
        if previous != index:
            self._cursor_moved()

    def action_cursor_up(self) -> None:
        """Highlight the previous (older) message."""
        if self._cursor == 0:
            self._scroll_to_line(0)  # show the loading / start row; this pages older in
        elif self._cursor is not None:
            self._move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        """Highlight the next (newer) message."""
        if self._cursor == len(self._layout) - 1:
            self._scroll_to_line(self.max_scroll_y)
        elif self._cursor is not None:
            self._move_cursor(self._cursor + 1)

    def _page(self, direction: int) -> None:
        if self._cursor is None or not self._layout.width:
            return
        before = self.scroll_offset.y
        self._scroll_to_line(before + direction * max(1, self._view_height - 1))
        self._settle_view()
        first, last = self._visible_range()
        if self.scroll_offset.y == before or not first <= self._cursor <= last:
            self._move_cursor(first if direction < 0 else last, scroll=False)

    def action_page_up(self) -> None:
        """Scroll up a page; the highlight follows into view."""
        self._page(-1)

    def action_page_down(self) -> None:
        """Scroll down a page; the highlight follows into view."""
        self._page(1)

    def select_message(self, key: str) -> bool:
        """Put the cursor on a loaded message and scroll it into view (False: not loaded)."""
        index = self._layout.find(key, self._cursor)
        if index is None:
            return False
        self._move_cursor(index)
        return True

    def action_jump_to_oldest(self) -> None:
        """Go to the oldest loaded message (which asks for older ones)."""
        if self._layout.messages:
            self._move_cursor(0, scroll=False)
        self._scroll_to_line(0)

    def action_jump_to_newest(self) -> None:
        """Go to the newest message."""
        if self._layout.messages:
            self._move_cursor(len(self._layout) - 1, scroll=False)
        self._scroll_to_line(self.max_scroll_y)
