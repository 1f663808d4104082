"""The conversation list (left pane): a line-API widget that paints only the visible rows.

OptionList needs about 1 s to mount 10,000 rows and ListView about 43 s (DESIGN §3). Here
:meth:`ConversationList.set_conversations` only stores the sequence and a key→index dict;
a row is formatted the first time it is painted, and its two strips are kept in an LRU cache
keyed by the row's content and look, never by its position, so re-sorting or filtering the
list costs nothing in the cache.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.dom import DOMNode
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from smstui.domain.conversations import ConversationSummary
from smstui.domain.timefmt import list_time
from smstui.system.clock import Clock
from smstui.ui.widgets.conversation_row import (
    COMPONENT_CLASSES,
    LIST_CSS,
    build_row_strips,
    note_strip,
    resolve_look,
)
from smstui.ui.widgets.list_scroll import kept_top, top_showing

__all__ = ["ConversationList"]

_ROW_HEIGHT = 2
_CACHE_ROWS = 512
"""Rendered rows kept; several screens' worth so scrolling back and forth is free."""

_RowCacheKey = tuple[
    ConversationSummary, int, bool, bool, tuple[str, str], bool, bool, int, str, int
]


class _ListMessage(Message):
    """A message posted by a :class:`ConversationList`."""

    @property
    def control(self) -> DOMNode | None:
        """The list that posted the message (for ``@on`` selectors)."""
        return self._sender if isinstance(self._sender, ConversationList) else None


class ConversationList(ScrollView, can_focus=True):
    """The list of conversations, newest first, two lines per conversation."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Next", show=False, id="conversation_list.cursor_down"),
        Binding("up,k", "cursor_up", "Previous", show=False, id="conversation_list.cursor_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="conversation_list.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="conversation_list.page_up"),
        Binding("home,g", "first", "First", show=False, id="conversation_list.first"),
        Binding("end,G", "last", "Last", show=False, id="conversation_list.last"),
        Binding("enter", "choose", "Open", show=False, id="conversation_list.choose"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = set(COMPONENT_CLASSES)
    """The parts of a row the theme can style; see :data:`conversation_row.LIST_CSS`."""

    DEFAULT_CSS = LIST_CSS

    class ConversationHighlighted(_ListMessage):
        """The cursor now rests on a different conversation."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key
            """The highlighted conversation's key."""

    class ConversationChosen(_ListMessage):
        """The user asked to open a conversation (Enter or a click)."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key
            """The chosen conversation's key."""

    class MoreConversationsWanted(_ListMessage):
        """The view is near the end of the rows and more inbox pages exist."""

    def __init__(
        self,
        *,
        clock: Clock,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Create an empty list.

        Args:
            clock: Tells the time that row times are relative to ("14:05", "Yesterday").
            name: Textual widget name.
            id: Textual widget id.
            classes: Textual CSS classes.
        """
        super().__init__(name=name, id=id, classes=classes)
        self._clock = clock
        self._rows: Sequence[ConversationSummary] = ()
        self._index: dict[str, int] = {}
        self._cursor: int | None = None
        self._open_key: str | None = None
        self._complete = True
        self._loading = False
        self._received_rows = False
        self._more_asked_for: tuple[int, str] | None = None
        self._empty_text = "No conversations yet"
        self._filter_query = ""
        self._style_generation = 0
        self._strips: LRUCache[_RowCacheKey, tuple[Strip, Strip]] = LRUCache(_CACHE_ROWS)
        self._minute = self._now_minute()
        self._team: Mapping[str, tuple[str, str]] = {}
        self._muted: frozenset[str] = frozenset()
        self._status_words = False

    # Public API ------------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[ConversationSummary]:
        """The conversations shown, in display order."""
        return self._rows

    @property
    def highlighted(self) -> ConversationSummary | None:
        """The conversation under the cursor, or None when the list is empty."""
        return None if self._cursor is None else self._rows[self._cursor]

    @property
    def highlighted_key(self) -> str | None:
        """The key of the conversation under the cursor."""
        row = self.highlighted
        return None if row is None else row.key

    @property
    def selected_key(self) -> str | None:
        """The key of the open conversation (drawn with a marker), set by :meth:`set_open_key`."""
        return self._open_key

    @property
    def filter_query(self) -> str:
        """The filter being typed; its matches are emphasised in names and numbers."""
        return self._filter_query

    @filter_query.setter
    def filter_query(self, query: str) -> None:
        if query != self._filter_query:
            self._filter_query = query
            self.refresh()

    def set_conversations(self, rows: Sequence[ConversationSummary], *, complete: bool) -> None:
        """Replace the rows shown; keep the highlighted conversation when it is still there.

        Only a key→index dict is built here; rows are formatted when painted.

        Args:
            rows: Every conversation to show, already sorted (or filtered) by the caller. The
                sequence is kept, not copied: pass a new one rather than mutating it.
            complete: True when no further inbox page exists.
        """
        old_key, old_cursor = self.highlighted_key, self._cursor
        old_top = self.scroll_offset.y
        self._rows = rows
        self._index = {row.key: index for index, row in enumerate(rows)}
        self._complete = complete
        self._received_rows = True
        self._minute = self._now_minute()
        if not rows:
            self._cursor = None
        elif old_key is not None and old_key in self._index:
            self._cursor = self._index[old_key]
        else:
            self._cursor = min(old_cursor or 0, len(rows) - 1)
        self._update_virtual_size()
        self._keep_place(old_cursor, old_top)
        self.refresh()
        if self.highlighted_key != old_key and self.highlighted_key is not None:
            self.post_message(self.ConversationHighlighted(self.highlighted_key))
        self._maybe_want_more()

    def set_loading_more(self, loading: bool) -> None:
        """Show or hide the "Loading more…" row after the last conversation.

        Args:
            loading: True while the next inbox page is being fetched.
        """
        if loading != self._loading:
            at_end = self.scroll_offset.y >= self.max_scroll_y
            self._loading = loading
            self._update_virtual_size()
            if loading and at_end:
                # The user is at the bottom waiting for more: let them see that it is coming.
                self.scroll_to(y=self.max_scroll_y, animate=False)
            self.refresh()
            self._maybe_want_more()

    def set_empty_text(self, text: str) -> None:
        """Set what the list says when it has no rows ("No match for “x”").

        Args:
            text: Plain text, shown literally.
        """
        self._empty_text = text
        if not self._rows:
            self.refresh()

    def set_team(self, notes: Mapping[str, tuple[str, str]]) -> None:
        """Per conversation, who else is replying and who else read it last (team mode)."""
        if notes != self._team:
            self._team = dict(notes)
            self.refresh()

    def use_status_words(self, words: bool) -> None:
        """Show our last message's status as a word ("You (delivered): …"), not as "vv"."""
        if words != self._status_words:
            self._status_words = words
            self._strips.clear()
            self.refresh()

    def set_muted(self, keys: frozenset[str]) -> None:
        """The muted conversations: their rows say "muted" beside the time."""
        if keys != self._muted:
            self._muted = frozenset(keys)
            self.refresh()

    def set_open_key(self, key: str | None) -> None:
        """Mark which conversation the message pane shows.

        Args:
            key: The open conversation's key, or None when none is open.
        """
        if key != self._open_key:
            old = self._open_key
            self._open_key = key
            for changed in (old, key):
                if changed is not None and changed in self._index:
                    self._refresh_row(self._index[changed])

    def highlight_key(self, key: str) -> bool:
        """Move the cursor to a conversation and scroll it into view.

        Args:
            key: The conversation to highlight.

        Returns:
            False when no row has that key (the cursor does not move).
        """
        index = self._index.get(key)
        if index is None:
            return False
        self._move_cursor(index)
        return True

    def rearm_more_wanted(self) -> None:
        """Allow another :class:`MoreConversationsWanted` for the current rows.

        The list asks once per state (row count and last key); after a failed page
        the screen calls this to let scrolling near the end ask again.
        """
        self._more_asked_for = None
        self._maybe_want_more()

    # Actions ------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        """Highlight the next conversation."""
        self._move_cursor(0 if self._cursor is None else self._cursor + 1)

    def action_cursor_up(self) -> None:
        """Highlight the previous conversation."""
        self._move_cursor(0 if self._cursor is None else self._cursor - 1)

    def action_page_down(self) -> None:
        """Move the highlight down by one screen of rows."""
        self._move_cursor((self._cursor or 0) + self._page_rows())

    def action_page_up(self) -> None:
        """Move the highlight up by one screen of rows."""
        self._move_cursor((self._cursor or 0) - self._page_rows())

    def action_first(self) -> None:
        """Highlight the newest conversation."""
        self._move_cursor(0)

    def action_last(self) -> None:
        """Highlight the last loaded conversation (which may ask for more)."""
        self._move_cursor(len(self._rows) - 1)

    def action_choose(self) -> None:
        """Open the highlighted conversation."""
        if (key := self.highlighted_key) is not None:
            self.post_message(self.ConversationChosen(key))

    # Events -------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        """Highlight and choose the clicked conversation."""
        key = event.style.meta.get("conversation")
        if isinstance(key, str) and key in self._index:
            event.stop()
            self._move_cursor(self._index[key])
            self.action_choose()

    def on_mount(self) -> None:
        """Start the minute tick that keeps row times ("14:05" → "Yesterday") current."""
        self.set_interval(60, self._tick)

    def on_resize(self, event: events.Resize) -> None:
        """Re-fit the rows to the new width and keep the cursor in view."""
        self._update_virtual_size()
        self._scroll_to_cursor()
        self._maybe_want_more()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Ask for more conversations when the view nears the end."""
        super().watch_scroll_y(old_value, new_value)
        self._maybe_want_more()

    def notify_style_update(self) -> None:
        """Forget every rendered row: the theme or CSS changed."""
        super().notify_style_update()
        self._style_generation += 1
        self._strips.clear()
        self.refresh()

    # Rendering ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Return one screen line: half of a conversation row, the loading row or blank.

        Args:
            y: Line relative to the top of the widget.

        Returns:
            A strip exactly as wide as the content region.
        """
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        count = len(self._rows)
        if line < count * _ROW_HEIGHT:
            index, part = divmod(line, _ROW_HEIGHT)
            return self._row_strips(index, width)[part]
        if self._loading and line == count * _ROW_HEIGHT:
            text = "Loading more…" if count else "Loading conversations…"
            return self._note(text, "conversation-list--loading", width, center=False)
        if not count and not self._loading and line == 1:
            return self._note(self._empty_text, "conversation-list--empty", width, center=True)
        return Strip.blank(width, self.get_visual_style().rich_style)

    def _note(self, text: str, component: str, width: int, *, center: bool) -> Strip:
        base, style = self.get_visual_style(), self.get_visual_style(component)
        return note_strip(text, base=base, style=style, width=width, center=center)

    def _row_strips(self, index: int, width: int) -> tuple[Strip, Strip]:
        """The two strips of row ``index``, from the cache or freshly built."""
        row = self._rows[index]
        is_cursor = index == self._cursor
        is_open = row.key == self._open_key
        # Everything that changes the pixels, and nothing positional (the index is not here).
        look_state = (self.has_focus, self._style_generation, self._filter_query, self._minute)
        team = self._team.get(row.key, ("", ""))
        muted = row.key in self._muted
        key: _RowCacheKey = (row, width, is_cursor, is_open, team, muted, *look_state)
        strips = self._strips.get(key)
        if strips is None:
            strips = build_row_strips(
                row,
                width=width,
                look=resolve_look(self.get_visual_style, is_cursor=is_cursor, is_open=is_open),
                time_label=list_time(row.timestamp, self._minute * 60.0),
                query=self._filter_query,
                is_open=is_open,
                is_cursor=is_cursor,
                team=team,
                muted=muted,
                status_words=self._status_words,
            )
            self._strips[key] = strips
        return strips

    # Internals ------------------------------------------------------------------------

    def _now_minute(self) -> int:
        return int(self._clock.now() // 60)

    def _tick(self) -> None:
        minute = self._now_minute()
        if minute != self._minute:
            self._minute = minute
            self.refresh()

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height // _ROW_HEIGHT)

    def _update_virtual_size(self) -> None:
        lines = len(self._rows) * _ROW_HEIGHT + (1 if self._loading else 0)
        size = Size(self.scrollable_content_region.width, lines)
        if size != self.virtual_size:
            self.virtual_size = size
            if self.is_mounted:
                self._scroll_update(size)

    def _refresh_row(self, index: int) -> None:
        self.refresh_lines(index * _ROW_HEIGHT, _ROW_HEIGHT)

    def _move_cursor(self, index: int) -> None:
        """Put the cursor on ``index`` (clamped), repaint both rows, scroll minimally."""
        if not self._rows:
            return
        index = max(0, min(index, len(self._rows) - 1))
        old = self._cursor
        if index == old:
            self._scroll_to_cursor()
            return
        self._cursor = index
        if old is not None:
            self._refresh_row(old)
        self._refresh_row(index)
        self._scroll_to_cursor()
        self.post_message(self.ConversationHighlighted(self._rows[index].key))

    def _scroll_to_cursor(self) -> None:
        """Scroll the least distance that shows the whole cursor row."""
        if self._cursor is None:
            return
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        target = top_showing(self._cursor, self.scroll_offset.y, height, _ROW_HEIGHT)
        if target is not None:
            self.scroll_to(y=target, animate=False)

    def _keep_place(self, old_cursor: int | None, old_top: int) -> None:
        """After new rows, keep the cursor row on the same screen line when it was in view.

        At the very top the view stays at the top, so new conversations show up.
        """
        new_cursor = self._cursor
        height = self.scrollable_content_region.height
        if old_cursor is not None and new_cursor is not None and old_top > 0:
            top = kept_top(old_cursor, new_cursor, old_top, height, _ROW_HEIGHT)
            if top != old_top:
                self.scroll_to(y=top, animate=False)
        self._scroll_to_cursor()

    def _maybe_want_more(self) -> None:
        """Post MoreConversationsWanted within a screen of the end, once per state."""
        height = self.scrollable_content_region.height
        if self._complete or self._loading or not self._received_rows or height <= 0:
            return
        last_key = self._rows[-1].key if self._rows else ""
        state = (len(self._rows), last_key)
        if state == self._more_asked_for:
            return
        remaining = len(self._rows) * _ROW_HEIGHT - (self.scroll_offset.y + height)
        if remaining <= height:
            self._more_asked_for = state
            self.post_message(self.MoreConversationsWanted())
