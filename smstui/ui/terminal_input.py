r"""Reading keys from the terminal: a modified Enter must never arrive as a plain Enter.

In the composer Enter sends a paid SMS and Alt+Enter (or Shift/Ctrl+Enter) inserts a line break,
so the two must never be confused. Textual 8.2.8's :class:`~textual._xterm_parser.XTermParser`
confuses them in the commonest terminals:

- Alt+Enter arrives as ESC CR (ESC LF on some), which it reports as a plain ``enter``; and two
  of them in one read (key repeat, a lagging SSH link) become ``^``, ``enter``, ``enter``.
- xterm's *modifyOtherKeys* form ``CSI 27 ; mod ; 13 ~`` becomes a key named ``"\r"`` or
  ``"shift+\r"`` instead of ``alt+enter`` / ``shift+enter``.
- A kitty-protocol key with an event type (``CSI 13 ; 3 : 1 u``) raises inside the parser, which
  kills the input thread; a *release* event, if one were parsed, would be a second Enter.

:class:`KeyParser` fixes exactly these and defers to Textual for everything else. The app uses
it through :class:`KeyParsingDriver` (see ``SmsApp.get_driver_class``); nothing in Textual is
patched.

Terminals tell Shift+Enter and Ctrl+Enter from Enter only when asked. Textual asks for the kitty
keyboard protocol (kitty, foot, …: ``CSI > 25 u`` at start, ``CSI < u`` at the end); the driver
also asks xterm for *modifyOtherKeys* level 1 (:data:`MODIFY_OTHER_KEYS_ON`), under which
xterm sends ``CSI 27 ; 2 ; 13 ~`` / ``CSI 27 ; 5 ; 13 ~`` for them (level 1 covers Return
with any modifier; level 2 would also turn Ctrl+letters into sequences Textual reads as plain
letters). Terminals that do not know the request ignore it. It is put back
(:data:`MODIFY_OTHER_KEYS_OFF`) whenever Textual gives the terminal back: on exit, on a crash
(Textual stops application mode in a ``finally``), on Ctrl+Z and while an external editor runs
(``App.suspend``); it is asked for again on resume.

The driver's input loop mirrors ``LinuxDriver.run_input_thread`` of Textual 8.2.8, whose parser
class is hard-coded; a test pins that source so an upgrade is noticed.
"""

from __future__ import annotations

import asyncio
import os
import re
import selectors
import threading
from codecs import getincrementaldecoder
from collections.abc import Iterable
from typing import Any, ClassVar

from textual import events
from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.drivers.web_driver import WebDriver
from textual.keys import Keys
from textual.message import Message

from smstui.ui.key_order import KeyCounter, wait_until_handled

__all__ = [
    "MODIFY_OTHER_KEYS_OFF",
    "MODIFY_OTHER_KEYS_ON",
    "KeyParser",
    "KeyParsingDriver",
    "OrderedWebDriver",
    "normalize_sequence",
]

MODIFY_OTHER_KEYS_ON = "\x1b[>4;1m"
"""xterm's XTMODKEYS: modifyOtherKeys level 1 (a modified Enter is ``CSI 27 ; m ; 13 ~``)."""
MODIFY_OTHER_KEYS_OFF = "\x1b[>4m"
"""XTMODKEYS without a value: modifyOtherKeys back to the terminal's own setting (xterm's
resource; tmux turns it off)."""

_ALT_ENTER = {"\x1b\r", "\x1b\n"}
"""ESC CR and ESC LF: Alt+Enter in terminals that send Alt as an ESC prefix."""
_ENTER_CHARACTERS = {"\r", "\n"}

_MODIFY_OTHER_KEYS_ENTER = re.compile(r"\x1b\[27;(\d+);13~")
"""xterm modifyOtherKeys for Enter: ``CSI 27 ; modifiers ; 13 ~`` is ``CSI 13 ; modifiers u``.

Only Enter is rewritten: Textual reads other keys of this form as their plain character, which
is what typing needs (``CSI 27 ; 2 ; 65 ~`` must still type "A")."""
_CSI_KEY = re.compile(r"\x1b\[([\d:;]*)([u~ABCDEFHPQRS])")
"""A kitty-protocol key; fields may carry ``:``-separated sub-fields Textual cannot read."""
_RELEASE = "3"
"""The kitty event type of a key release (1 is a press, 2 a repeat)."""


def normalize_sequence(sequence: str) -> str | None:
    """Rewrite a key sequence into the form Textual reads correctly.

    - ``CSI 27 ; mod ; 13 ~`` (modifyOtherKeys Enter) becomes ``CSI 13 ; mod u``.
    - Kitty sub-fields are dropped: alternate key codes after the key code, and the event type
      after the modifiers. A press or repeat is then an ordinary key.

    Args:
        sequence: A complete escape sequence as read from the terminal.

    Returns:
        The sequence to parse (the same object when nothing needed rewriting), or None for a
        key *release*, which must not act as a key press.
    """
    if match := _MODIFY_OTHER_KEYS_ENTER.fullmatch(sequence):
        return f"\x1b[13;{match.group(1)}u"
    match = _CSI_KEY.fullmatch(sequence)
    if match is None or ":" not in sequence:
        return sequence
    params, final = match.groups()
    fields = params.split(";")
    if len(fields) > 1:
        modifiers, _, event_type = fields[1].partition(":")
        if event_type == _RELEASE:
            return None
        fields[1] = modifiers
    if final == "u":
        fields[0] = fields[0].partition(":")[0]
    return f"\x1b[{';'.join(fields)}{final}"


class KeyParser(XTermParser):
    """Textual's terminal input parser, with the modified Enter keys reported as such.

    ESC CR and ESC LF are reported as ``alt+enter`` as soon as they are read (no other sequence
    starts with them, so there is nothing to wait for); modifyOtherKeys and kitty forms are
    normalised by :func:`normalize_sequence` before Textual reads them. Plain CR is ``enter``
    and a lone ESC is ``escape``, as before.
    """

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if sequence in _ALT_ENTER or (alt and sequence in _ENTER_CHARACTERS):
            yield events.Key("alt+enter", None)
            return
        normalized = normalize_sequence(sequence)
        if normalized is None:
            yield events.Key(Keys.Ignore, sequence)
            return
        yield from super()._sequence_to_key_events(normalized, alt)


class OrderedKeys:
    """A driver mixin: after each key (or paste) its input thread waits until the app handled it.

    So keys read together never race a focus change: what is typed after Tab (or ``/``) lands
    where that key moved the focus (:func:`smstui.ui.key_order.wait_until_handled`).
    """

    _app: Any
    _loop: asyncio.AbstractEventLoop
    exit_event: threading.Event

    _typing = False
    """Whether the focus was in a text field after the last key we waited for."""

    def process_message(self, message: Message) -> None:
        """Hand an event to the app; after a key or a paste, wait until it has been handled.

        A printable key typed into a text field cannot move the focus: no wait after it.
        """
        counter = getattr(self._app, "key_counter", None)
        if isinstance(message, events.Key | events.Paste) and isinstance(counter, KeyCounter):
            counter.handed()
        super().process_message(message)  # type: ignore[misc]
        if isinstance(message, events.Key | events.Paste):
            if self._typing and isinstance(message, events.Key) and message.is_printable:
                return
            self._typing = wait_until_handled(self._app, self._loop, stop=self.exit_event)


class OrderedWebDriver(OrderedKeys, WebDriver):
    """Textual's web driver (``smstui serve``, one per browser tab) with keys in order."""


class KeyParsingDriver(OrderedKeys, LinuxDriver):
    """Textual's Linux/macOS driver reading input with :class:`KeyParser`, one key at a time."""

    parser_class: ClassVar[type[XTermParser]] = KeyParser
    """The parser the input thread feeds what it reads from the terminal."""

    def start_application_mode(self) -> None:
        """Textual's set-up, then ask xterm to tell modified Enter keys apart."""
        super().start_application_mode()  # type: ignore[no-untyped-call]  # Textual: untyped
        if self._writer_thread is not None:  # None: Textual found it may not use the terminal
            self.write(MODIFY_OTHER_KEYS_ON)
            self.flush()

    def stop_application_mode(self) -> None:
        """Give modifyOtherKeys back, then Textual's restore (exit, crash, suspend)."""
        if self._writer_thread is not None:
            self.write(MODIFY_OTHER_KEYS_OFF)
        super().stop_application_mode()

    def run_input_thread(self) -> None:
        """Wait for input and dispatch events (Textual 8.2.8's loop with our parser)."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = self.parser_class(self._debug)
        feed, tick = parser.feed, parser.tick
        decode = getincrementaldecoder("utf-8")().decode

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]], final: bool = False
        ) -> None:
            for last, (_selector_key, mask) in loop_last(selector_events):
                if mask & selectors.EVENT_READ:
                    unicode_data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        break  # stdin is a pipe that was closed
                    for event in feed(unicode_data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(0.1))
            selector.unregister(self.fileno)
            process_selector_events(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in feed(""):
                    pass
            except (EOFError, ParseError):
                pass
