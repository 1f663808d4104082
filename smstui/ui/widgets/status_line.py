"""The one-line status under the panes: what the app is doing, what went wrong, when it retries.

The widget only shows text it is given; it never decides anything. Text may come from the
network (error messages), so it is always rendered as plain :class:`~textual.content.Content`,
never parsed as markup, and squeezed onto one line that ends with an ellipsis when it is cut.
"""

from __future__ import annotations

import math
from typing import Literal, get_args

from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget

from smstui.domain.sanitize import clean_line
from smstui.system.clock import Clock

Tone = Literal["info", "ok", "warn", "error", "busy"]
"""How a status reads: neutral, good news, a warning, a failure, or work in progress."""

TONES: tuple[Tone, ...] = get_args(Tone)

_TONE_MARKS: dict[Tone, str] = {
    "info": "",
    "ok": "✓ ",
    "warn": "! ",
    "error": "✗ ",
    "busy": "◌ ",
}
"""A leading mark per tone, so the tone still reads without colour (NO_COLOR, ansi themes)."""


class StatusLine(Widget):
    """A single line of status text with a tone (info, ok, warn, error, busy).

    The app docks it above the footer. Besides plain messages it can count down to a retry
    ("Offline — retrying in 12s"), refreshing itself once a second until it is told something
    else.
    """

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    StatusLine.-ok { color: $text-success; }
    StatusLine.-warn { color: $text-warning; }
    StatusLine.-error { color: $text-error; }
    StatusLine.-busy { color: $text-accent; }
    /* 16 colours: trouble on a background of its own, readable on light and dark terminals. */
    StatusLine:ansi.-warn { background: ansi_yellow; color: ansi_black; }
    StatusLine:ansi.-error { background: ansi_red; color: ansi_bright_white; }
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._text = ""
        self._tone: Tone = "info"
        self._countdown_label = ""
        self._retry_at = 0.0
        self._clock: Clock | None = None
        self._timer: Timer | None = None
        self._background = ""
        self._notice = ""

    @property
    def notice(self) -> str:
        """A standing fact shown at the end of the line ("" when none)."""
        return self._notice

    def set_notice(self, text: str) -> None:
        """Say something that stays true while statuses come and go (a skipped message).

        Args:
            text: One line, or "" to take it away.
        """
        text = clean_line(text)
        if text != self._notice:
            self._notice = text
            self.refresh()

    @property
    def background(self) -> str:
        """What background work says after the status ("" when none is running)."""
        return self._background

    def set_background(self, text: str) -> None:
        """Say what background work is doing (the history backfill), after the status.

        Args:
            text: One line, or "" when the work is done.
        """
        text = clean_line(text)
        if text != self._background:
            self._background = text
            self.refresh()

    @property
    def text(self) -> str:
        """The status text shown now, without the tone mark ("" when cleared)."""
        return self._text

    @property
    def tone(self) -> Tone:
        """The tone of the status shown now."""
        return self._tone

    def render(self) -> Content:
        """The tone mark and the text, as plain content (never markup)."""
        after = "".join(f" · {part}" for part in (self._background, self._notice) if part)
        if not self._text:
            return Content(after[3:])
        return Content(_TONE_MARKS[self._tone] + self._text + after)

    def show(self, text: str, tone: Tone = "info") -> None:
        """Show one line of status, replacing whatever was there (and stopping a countdown).

        Args:
            text: What to say; untrusted text is fine, it is cleaned and shown literally.
            tone: How it reads; selects the colour through the ``-<tone>`` CSS class.
        """
        self._stop_countdown()
        self._set(clean_line(text), tone)

    def clear(self) -> None:
        """Show nothing (and stop a countdown)."""
        self._stop_countdown()
        self._set("", "info")

    def offline_until(self, retry_at: float, clock: Clock, *, label: str = "Offline") -> None:
        """Count down to the next attempt: ``"Offline — retrying in 12s"``, updated every second.

        The countdown keeps running until :meth:`show` or :meth:`clear` replaces it; when the
        time is up it reads ``"Offline — retrying now…"``.

        Args:
            retry_at: When the next attempt happens, in the clock's epoch seconds.
            clock: The clock to count with (injected so tests can move time).
            label: What is wrong, shown before the dash ("Offline", "Rate limited" …).
        """
        self._stop_countdown()
        self._countdown_label = clean_line(label)
        self._retry_at = retry_at
        self._clock = clock
        self.update_countdown()
        self._timer = self.set_interval(1.0, self.update_countdown)

    def update_countdown(self) -> None:
        """Recompute the countdown text from the clock; called every second by a timer."""
        if self._clock is None:
            return
        remaining = math.ceil(self._retry_at - self._clock.now())
        when = f"retrying in {remaining}s" if remaining > 0 else "retrying now…"
        self._set(f"{self._countdown_label} — {when}", "warn")

    def _stop_countdown(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._clock = None

    def _set(self, text: str, tone: Tone) -> None:
        for name in TONES:
            self.set_class(name == tone, f"-{name}")
        if text == self._text and tone == self._tone:
            return
        self._text = text
        self._tone = tone
        self.refresh()
