"""Below the smallest usable terminal size, one line says so instead of the screens.

At 20×8 the narrow layout still works: a list row fits a short name and the time, and the
open conversation shows a line of its messages under the six rows that are always there
(header, conversation title, composer, message meter, status line, footer). Below that the
panes are unreadable, and widgets break outright: at one or two columns Textual's TextArea
placeholder wraps at width 0 and raises. So every screen's content is hidden
(``App.-too-small`` in ``app.tcss``) and a :class:`TooSmallNotice` shows
"Terminal too small: 1×24, need at least 20×8" instead.

Nothing is unmounted: the open conversation, the draft, the focus and every screen on the
stack come back as they were when the terminal grows again. While the panes are hidden, keys
and pastes do nothing (no message can be sent blind), except the keys that quit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ScreenStackError
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import App

__all__ = ["MIN_HEIGHT", "MIN_WIDTH", "SizeGuard", "TooSmallNotice", "too_small_text"]

MIN_WIDTH = 20
"""The fewest columns the app is usable in (see the module docstring)."""

MIN_HEIGHT = 8
"""The fewest rows the app is usable in (see the module docstring)."""

TOO_SMALL_CLASS = "-too-small"
"""Set on the app while the terminal is below the minimum."""


def too_small_text(size: Size) -> str:
    """Return what to say for a terminal of this size ("" when it is big enough).

    Args:
        size: The terminal size in columns and rows.
    """
    if size.width >= MIN_WIDTH and size.height >= MIN_HEIGHT:
        return ""
    return f"Terminal too small: {size.width}×{size.height}, need at least {MIN_WIDTH}×{MIN_HEIGHT}"


class TooSmallNotice(Static):
    """The line shown instead of a screen's content while the terminal is too small."""

    DEFAULT_CSS = """
    TooSmallNotice {
        display: none;
        width: 1fr;
        height: 1fr;
        overflow: hidden;
    }
    """

    def __init__(self, text: str) -> None:
        super().__init__(text, markup=False)


class SizeGuard:
    """Hides every screen's content below the minimum size and brings it back above it.

    Args:
        app: The app; it calls :meth:`update` on resize and asks :meth:`swallows` per event.
    """

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self.text = ""
        """What the notice says now ("" while the terminal is big enough)."""
        self._focus: dict[Screen[object], Widget | None] = {}

    @property
    def too_small(self) -> bool:
        """Whether the terminal is below the minimum size right now."""
        return bool(self.text)

    def start(self) -> None:
        """Check the current size, and put the notice on each screen that comes on top."""
        self._app.screen_change_signal.subscribe(self._app, self._screen_changed)
        self.update(self._app.size)

    def update(self, size: Size) -> None:
        """The terminal has this size now: hide or show the screens' content."""
        text = too_small_text(size)
        was_small, self.text = self.too_small, text
        if text:
            if not was_small:
                self._focus = {screen: screen.focused for screen in self._app.screen_stack}
            self._app.add_class(TOO_SMALL_CLASS)
            self._show_notice(self._app.screen)
        elif was_small:
            self._app.remove_class(TOO_SMALL_CLASS)
            for screen, widget in self._focus.items():
                if widget is not None and widget.is_attached and screen.focused is None:
                    screen.set_focus(widget, scroll_visible=False)
            self._focus = {}

    def swallows(self, event: events.Event) -> bool:
        """Whether an event must not reach the hidden screens: keys and pastes but quitting."""
        if not self.too_small or not isinstance(event, (events.Key, events.Paste)):
            return False
        if isinstance(event, events.Paste):
            return True
        try:
            active = self._app.screen.active_bindings.get(event.key)
        except ScreenStackError:  # no screen yet
            return True
        return not (active is not None and active.binding.action in ("quit", "app.quit"))

    def _screen_changed(self, screen: Screen[object]) -> None:
        if self.too_small:
            self._show_notice(screen)

    def _show_notice(self, screen: Screen[object]) -> None:
        try:
            notice = screen.query_one(TooSmallNotice)
        except NoMatches:
            screen.mount(TooSmallNotice(self.text))
        else:
            notice.update(self.text)
