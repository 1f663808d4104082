"""Keys as a terminal sends them, through the parser the app's driver uses: Alt+Enter never sends.

Pilot's ``press("alt+enter")`` would skip the part that was broken: Textual's parser reads the
ESC CR a real terminal sends for Alt+Enter as a plain Enter. These tests feed raw bytes through
the app's own parser and deliver the events it makes to a running app, as the driver would.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.message import Message
from textual.pilot import Pilot

from smstui.fake import FakeGateway
from smstui.ui.app import SmsApp
from smstui.ui.widgets.composer import Composer
from tests.app import terminal_bytes
from tests.app.compose_helpers import inbox_of, start, wait_for
from tests.app_fixtures import STANDARD, MakeApp, screen_text

if sys.platform == "win32":
    pytest.skip("smstui's key parser rides on the Linux/macOS driver", allow_module_level=True)

from smstui.ui.terminal_input import KeyParser, KeyParsingDriver

MODIFIED_ENTER = {
    "ESC CR (Alt+Enter in most terminals)": b"\x1b\r",
    "ESC LF": b"\x1b\n",
    "kitty Alt+Enter": b"\x1b[13;3u",
    "kitty Shift+Enter": b"\x1b[13;2u",
    "kitty Ctrl+Enter": b"\x1b[13;5u",
    "kitty Alt+Enter, press event": b"\x1b[13;3:1u",
    "kitty Shift+Enter, repeat event": b"\x1b[13;2:2u",
    "kitty keypad Enter with Alt": b"\x1b[57414;3u",
    "modifyOtherKeys Alt+Enter": b"\x1b[27;3;13~",
    "modifyOtherKeys Shift+Enter": b"\x1b[27;2;13~",
    "modifyOtherKeys Ctrl+Enter": b"\x1b[27;5;13~",
}


def parse(data: bytes, parser_class: type[XTermParser] = KeyParser) -> list[Message]:
    return terminal_bytes.parse(data, parser_class)


def keys(data: bytes) -> list[str]:
    return [event.key for event in parse(data) if isinstance(event, events.Key)]


# The parser ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x1b\r", ["alt+enter"]),
        (b"\x1b\n", ["alt+enter"]),
        (b"\x1b\r\x1b\r", ["alt+enter", "alt+enter"]),  # Textual alone: "^", enter, enter
        (b"\x1b\rok", ["alt+enter", "o", "k"]),
        (b"\x1b[13;3u", ["alt+enter"]),
        (b"\x1b[13;2u", ["shift+enter"]),
        (b"\x1b[13;5u", ["ctrl+enter"]),
        (b"\x1b[13;3:1u", ["alt+enter"]),  # Textual alone raises in the input thread
        (b"\x1b[13;2:2u", ["shift+enter"]),
        (b"\x1b[13;1:3u", []),  # the release of Enter is not a second Enter
        (b"\x1b[13;3:3u", []),
        (b"\x1b[1;3:1A", ["alt+up"]),
        (b"\x1b[27;3;13~", ["alt+enter"]),  # Textual alone: a key named "\r"
        (b"\x1b[27;2;13~", ["shift+enter"]),
        (b"\x1b[27;5;13~", ["ctrl+enter"]),
        (b"\x1b[27;6;13~", ["ctrl+shift+enter"]),
        # Unchanged: plain Enter sends, a lone ESC is Escape, other keys are Textual's.
        (b"\r", ["enter"]),
        (b"\n", ["ctrl+j"]),
        (b"\x1b", ["escape"]),
        (b"\x1b\x1b", ["escape", "escape"]),
        (b"\x1ba", ["alt+a"]),
        (b"\x1b[13u", ["enter"]),
        (b"\x1b[A", ["up"]),
        (b"\x1b[27;2;65~", ["A"]),  # modifyOtherKeys Shift+A still types "A"
        (b"hi\r", ["h", "i", "enter"]),
    ],
)
def test_parser_reports_modified_enter_as_such(data: bytes, expected: list[str]) -> None:
    assert keys(data) == expected


def test_textual_alone_reads_alt_enter_as_enter() -> None:
    """Why the parser exists; if Textual fixes this, KeyParser may be retired."""
    parsed = [e.key for e in parse(b"\x1b\r", XTermParser) if isinstance(e, events.Key)]
    assert parsed == ["enter"]


def test_the_app_reads_the_terminal_with_the_key_parser(make_app: MakeApp) -> None:
    assert make_app().driver_class is KeyParsingDriver
    assert KeyParsingDriver.parser_class is KeyParser


def test_input_loop_is_textuals_own_with_only_the_parser_swapped() -> None:
    """KeyParsingDriver.run_input_thread copies Textual 8.2.8's; re-check it on an upgrade."""
    from textual.drivers.linux_driver import LinuxDriver

    upstream = inspect.getsource(LinuxDriver.run_input_thread)
    assert "parser = XTermParser(self._debug)" in upstream
    digest = hashlib.sha256(upstream.encode()).hexdigest()[:16]
    assert digest == "d796af6d69db337d", "Textual's input loop changed: update KeyParsingDriver"


class PipeDriver(KeyParsingDriver):
    """The real input loop reading a pipe; skips LinuxDriver.__init__ (no terminal, no signals)."""

    def __init__(self, fileno: int) -> None:
        self.fileno = fileno
        self._debug = False
        self.exit_event = threading.Event()
        self.received: list[Message] = []

    def process_message(self, message: Message) -> None:
        self.received.append(message)


def test_driver_input_loop_reads_through_the_key_parser() -> None:
    """Bytes written to the driver's input come out as alt+enter, then a plain enter."""
    read_end, write_end = os.pipe()
    driver = PipeDriver(read_end)
    thread = threading.Thread(target=driver.run_input_thread, daemon=True)
    thread.start()
    try:
        os.write(write_end, b"a\x1b\rb\x1b[27;3;13~\r")
        for _ in range(250):  # wait for the events, at most 5 s
            if len(driver.received) >= 5:
                break
            thread.join(0.02)
        got = [m.key for m in driver.received if isinstance(m, events.Key)]
        assert got == ["a", "alt+enter", "b", "alt+enter", "enter"]
    finally:
        driver.exit_event.set()
        thread.join(5)
        os.close(write_end)
        os.close(read_end)


# The app ---------------------------------------------------------------------------------------


def deliver(app: SmsApp, data: bytes) -> None:
    assert app.driver_class is KeyParsingDriver
    terminal_bytes.deliver(app, data)


def sends(gateway: FakeGateway) -> int:
    return gateway.count("POST", "/message/send")


def has_text(composer: Composer, text: str) -> Callable[[], bool]:
    return lambda: composer.text == text


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    await wait_for(pilot, condition, what=what)


async def test_modified_enter_from_the_terminal_inserts_a_newline_and_never_sends(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Every form of Alt/Shift/Ctrl+Enter makes a line break; only a plain CR sends."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        composer = inbox.composer
        composer.text_area.focus()
        await pilot.pause()
        expected = ""
        for number, (name, data) in enumerate(MODIFIED_ENTER.items()):
            word = f"w{number}"
            deliver(app, word.encode())
            deliver(app, data)
            expected += word + "\n"
            await until(pilot, has_text(composer, expected), f"a newline from {name}")
        # Two Alt+Enter in one read (key repeat, a lagging SSH link): two newlines, no "^".
        deliver(app, b"end\x1b\r\x1b\r")
        await until(pilot, has_text(composer, expected + "end\n\n"), "two from one read")
        await pilot.pause()
        assert not composer.sending
        assert sends(fresh_gateway) == 0, "a modified Enter sent the message"
        # The same channel does send on a plain CR, so the zero above means something.
        deliver(app, b"last\r")
        await until(pilot, lambda: sends(fresh_gateway) == 1, "the send of a plain Enter")
        assert inbox_of(app).thread is not None


async def test_text_and_enter_read_in_one_go_send_the_whole_text(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """The send key waits for the characters typed before it (fast typing over SSH)."""
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.composer.text_area.focus()
        await pilot.pause()
        deliver(app, b"Hi there\r")
        await until(pilot, lambda: sends(fresh_gateway) == 1, "the send")
        thread = inbox.thread
        assert thread is not None
        await until(
            pilot,
            lambda: any(m.text == "Hi there" for m in thread.messages),
            "the whole text in the conversation",
        )
        assert inbox.composer.text == ""


# Terminal by terminal ----------------------------------------------------------------------

NEWLINE, SEND = "newline", "send"

TERMINALS: dict[str, dict[str, tuple[bytes, str]]] = {
    # xterm 379 once smstui has set modifyOtherKeys (level 1); Alt+Enter is xterm's own
    # fullscreen toggle and never reaches the app.
    "xterm, modifyOtherKeys set": {
        "Shift+Enter": (b"\x1b[27;2;13~", NEWLINE),
        "Ctrl+Enter": (b"\x1b[27;5;13~", NEWLINE),
        "Ctrl+J": (b"\n", NEWLINE),
    },
    # xterm when nothing asked it (before this app did, or with the request filtered out).
    "xterm, modifyOtherKeys not set": {
        "Shift+Enter": (b"\r", SEND),
        "Ctrl+Enter": (b"\r", SEND),
        "Ctrl+J": (b"\n", NEWLINE),
    },
    # kitty and foot speak the kitty keyboard protocol Textual asks for; every key is CSI u.
    "kitty, foot": {
        "Shift+Enter": (b"\x1b[13;2u", NEWLINE),
        "Ctrl+Enter": (b"\x1b[13;5u", NEWLINE),
        "Alt+Enter": (b"\x1b[13;3u", NEWLINE),
        "Ctrl+J": (b"\x1b[106;5u", NEWLINE),
        "Enter": (b"\x1b[13u", SEND),
    },
    # alacritty 0.11 and urxvt 9.30: no way to ask; the modified Enter is a plain CR.
    "alacritty, urxvt": {
        "Shift+Enter": (b"\r", SEND),
        "Ctrl+Enter": (b"\r", SEND),
        "Alt+Enter": (b"\x1b\r", NEWLINE),
        "Ctrl+J": (b"\n", NEWLINE),
    },
    # tmux 3.3a once the app asked: what tmux gave it for send-keys S-Enter / C-Enter. (A real
    # key reaches tmux as Shift+Enter only from an outer terminal that reports it.)
    "tmux": {
        "Shift+Enter": (b"\x1b[13;2u", NEWLINE),
        "Ctrl+Enter": (b"\x1b[13;5u", NEWLINE),
        "Alt+Enter": (b"\x1b\r", NEWLINE),
        "Ctrl+J": (b"\n", NEWLINE),
    },
}


def footer(app: SmsApp) -> str:
    return screen_text(app).splitlines()[-1]


@pytest.mark.parametrize("terminal", list(TERMINALS))
async def test_each_terminals_bytes_make_a_newline_or_a_send_and_the_footer_names_ctrl_j(
    make_app: MakeApp, fresh_gateway: FakeGateway, terminal: str
) -> None:
    """What each terminal sends for the newline keys, through the app's parser: a CR sends
    (there the terminal cannot tell Shift/Ctrl+Enter from Enter), anything else is a newline.
    The footer names Ctrl+J, the newline key that works in all of them."""
    keys = TERMINALS[terminal]
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        composer = inbox.composer
        composer.text_area.focus()
        await pilot.pause()
        assert "^j New line" in footer(app)
        assert "⏎ Send" in footer(app)
        expected_sends = 0
        for name, (data, what) in keys.items():
            word = name.replace("+", "").lower()
            deliver(app, word.encode() + data)
            if what == NEWLINE:
                await until(pilot, has_text(composer, word + "\n"), f"a newline from {name}")
                composer.clear()
            else:
                expected_sends += 1
                await until(
                    pilot, lambda n=expected_sends: sends(fresh_gateway) == n, f"{name} sending"
                )
                await until(pilot, has_text(composer, ""), "the composer emptied by the send")
            await pilot.pause()
            assert sends(fresh_gateway) == expected_sends, f"{name} in {terminal}"
