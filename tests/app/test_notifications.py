"""Terminal notifications from the running app: the exact bytes it writes for each terminal kind
and inside tmux, privacy levels, bursts, quiet hours, mutes, focus, and hostile text.

What the app writes is captured by wrapping its driver's ``write`` (the headless driver drops
the bytes; a real one queues them between frames) and ``App.bell``, which writes BEL through the
same driver on a real terminal. Polling runs every 0.2 s; every wait is on a condition.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual import events

from smstui.domain.phones import display_number
from smstui.fake import FakeGateway
from smstui.store.mutes import MuteState
from smstui.store.personal import MUTES
from smstui.system.clock import FixedClock
from smstui.ui.app import SmsApp
from smstui.ui.screens.inbox import InboxScreen
from tests.app.compose_helpers import (
    account_state,
    pane_words,
    seed_read_state,
    start,
    used_gateways,
    wait_for,
)
from tests.app_fixtures import ANCHOR, STANDARD, MakeApp

FAST = {"poll_interval": 0.2, "status_refresh": 0.2}
OSC_PREFIXES = ("\x1b]", "\x1bPtmux;", "\a")


@pytest.fixture(autouse=True)
def earlier_first_run(request: pytest.FixtureRequest) -> None:
    """smstui first ran an hour before "now", so messages arriving now are unread."""
    if gateways := used_gateways(request):  # a test of pure wording has none
        seed_read_state(ANCHOR - 3600, *gateways)


def capture(app: SmsApp) -> list[str]:
    """Record the notification bytes the app writes from now on (frames are left out)."""
    written: list[str] = []
    driver = app._driver
    assert driver is not None
    original = driver.write

    def write(data: str) -> None:
        # The window title (OSC 2) is the title tests' business, not a notification.
        if data.startswith(OSC_PREFIXES) and not data.startswith("\x1b]2;"):
            written.append(data)
        original(data)

    driver.write = write  # type: ignore[method-assign]
    app.bell = lambda: written.append("\a")  # type: ignore[method-assign]
    return written


def jens(inbox: InboxScreen) -> Any:
    return next(r for r in inbox.conversation_list.rows if r.name == "Jens Janssens")


def row(inbox: InboxScreen, key: str) -> Any:
    return next(r for r in inbox.conversation_list.rows if r.key == key)


async def arrive(
    pilot: Any, gateway: FakeGateway, inbox: InboxScreen, number: str, text: str
) -> None:
    """Deliver a message and wait until the app has taken it in (it moved to the top)."""
    polls = gateway.count("GET", "/message/inbox")
    gateway.deliver_inbound(number, text)
    # The second poll after the delivery starts only when the first, which saw it, is done
    # (polls never overlap): its toast and notification have been posted by then.
    await wait_for(
        pilot,
        lambda: (
            gateway.count("GET", "/message/inbox") >= polls + 2
            and inbox.conversation_list.rows[0].number == number
        ),
        what="the arrival",
    )
    await pilot.pause()


def tmux_wrap(sequence: str) -> str:
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


KITTY = "\x1b]99;i=smstui-1:d=1;New message from Jens Janssens\x1b\\"
URXVT = "\x1b]777;notify;New message from Jens Janssens;\x1b\\"
ITERM = "\x1b]9;New message from Jens Janssens\x1b\\"


@pytest.mark.parametrize(
    ("environ", "method", "expected"),
    [
        ({"TERM": "xterm-kitty"}, "auto", [KITTY]),
        ({"TERM_PROGRAM": "WezTerm"}, "auto", [URXVT]),
        ({"TERM": "foot"}, "auto", [URXVT]),
        ({"TERM_PROGRAM": "iTerm.app"}, "auto", [ITERM]),
        ({"WT_SESSION": "1"}, "auto", [ITERM]),
        ({}, "auto", ["\a"]),
        ({}, "osc777", [URXVT]),
        ({}, "osc9", [ITERM]),
        ({}, "osc99", [KITTY]),
        ({}, "bell", ["\a"]),
        ({}, "off", []),
        ({"TMUX": "/tmp/tmux-1000/default,1,0", "KITTY_WINDOW_ID": "1"}, "auto", [
            tmux_wrap(KITTY), "\a"
        ]),
        ({"TMUX": "/tmp/tmux-1000/default,1,0"}, "osc777", [tmux_wrap(URXVT), "\a"]),
        ({"TMUX": "/tmp/tmux-1000/default,1,0"}, "osc9", [tmux_wrap(ITERM), "\a"]),
        ({"TMUX": "/tmp/tmux-1000/default,1,0"}, "auto", ["\a"]),
    ],
)  # fmt: skip
async def test_the_bytes_written_for_each_terminal(
    make_app: MakeApp,
    fresh_gateway: FakeGateway,
    monkeypatch: pytest.MonkeyPatch,
    environ: dict[str, str],
    method: str,
    expected: list[str],
) -> None:
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    app = make_app(fresh_gateway, notification_method=method, **FAST)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.message_pane.focus()
        written = capture(app)
        person = jens(inbox)
        await arrive(pilot, fresh_gateway, inbox, person.number, "Pickup at five")
        if expected:
            await wait_for(pilot, lambda: len(written) >= len(expected), what="the notification")
        assert written == expected
        assert app.terminal_title == "smstui (1)"


@pytest.mark.parametrize(
    ("preview", "expected"),
    [
        ("none", "\x1b]777;notify;New message;\x1b\\"),
        ("sender", "\x1b]777;notify;New message from Jens Janssens;\x1b\\"),
        ("full", "\x1b]777;notify;New message from Jens Janssens;Pickup at 5, gate B\x1b\\"),
    ],
)
async def test_privacy_levels(
    make_app: MakeApp, fresh_gateway: FakeGateway, preview: str, expected: str
) -> None:
    app = make_app(
        fresh_gateway, notification_method="osc777", notification_preview=preview, **FAST
    )
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.message_pane.focus()
        written = capture(app)
        await arrive(pilot, fresh_gateway, inbox, jens(inbox).number, "Pickup at 5; gate B")
        await wait_for(pilot, lambda: bool(written), what="the notification")
        assert written == [expected]


async def test_messages_arriving_together_make_one_notification(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Three messages from two people in one poll: one notification. A fourth within the burst
    window (the app's clock stands still) is held for the window's end, then comes alone."""
    app = make_app(fresh_gateway, notification_method="osc9", notification_burst=60, **FAST)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.message_pane.focus()
        written = capture(app)
        open_key = inbox.thread.key if inbox.thread else ""
        first, second = [r for r in inbox.conversation_list.rows if r.key != open_key][:2]
        with fresh_gateway._state.lock:  # one poll sees all three
            fresh_gateway.deliver_inbound(first.number, "one")
            fresh_gateway.deliver_inbound(second.number, "two")
            fresh_gateway.deliver_inbound(first.number, "three")
        await wait_for(pilot, lambda: bool(written), what="the notification")
        names = f"{_name(first)}, {_name(second)}"
        assert written == [f"\x1b]9;3 new messages from 2 people: {names}\x1b\\"]
        await arrive(pilot, fresh_gateway, inbox, second.number, "four")
        assert len(written) == 1, "held: within the burst window"
        live = inbox.live
        assert live.notifier.wait() == 60
        assert live._burst_timer is not None, "a timer ends the burst"
        live._burst_over()  # what the timer does after 60 s
        await wait_for(pilot, lambda: len(written) == 2, what="the end of the burst")
        assert written[1] == f"\x1b]9;New message from {_name(second)}\x1b\\"


def _name(summary: Any) -> str:
    return str(summary.name or display_number(summary.key))


async def test_quiet_hours_write_nothing_but_the_title_still_counts(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """11:00-13:00 around the clock's 12:00 UTC: no notification, no bell; after 13:00 again."""
    app = make_app(fresh_gateway, notification_method="osc777", quiet_hours="11:00-13:00", **FAST)
    async with app.run_test(size=STANDARD, notifications=True) as pilot:
        inbox = await start(pilot)
        inbox.message_pane.focus()
        written = capture(app)
        person = jens(inbox)
        await arrive(pilot, fresh_gateway, inbox, person.number, "Quiet please")
        await wait_for(pilot, lambda: app.terminal_title == "smstui (1)", what="the title")
        assert len(app._notifications) == 1, "the toast shows; the terminal is not told"
        assert written == []
        assert isinstance(app.clock, FixedClock)
        app.clock.advance(3600)  # 13:00
        await arrive(pilot, fresh_gateway, inbox, person.number, "Loud again")
        await wait_for(pilot, lambda: bool(written), what="the notification")
        assert written == [URXVT]
        assert app.terminal_title == "smstui (2)"


async def test_a_muted_conversation_neither_notifies_nor_counts_in_the_title(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    app = make_app(fresh_gateway, notification_method="osc777", **FAST)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.message_pane.focus()
        await wait_for(pilot, lambda: inbox.session.unread_total == 0, what="all read")
        written = capture(app)
        person = jens(inbox)
        inbox.conversation_list.focus()
        inbox.conversation_list.highlight_key(person.key)
        await pilot.press("M")
        assert person.key in inbox.session.muted
        with account_state(fresh_gateway) as state:  # as another smstui reads it
            assert state.entries(MUTES).entries == {person.key: True}
        await arrive(pilot, fresh_gateway, inbox, person.number, "Muted news")
        assert row(inbox, person.key).unread == 1, "the list still counts it"
        assert inbox.session.unread_total == 1
        assert app.terminal_title == "smstui"
        others = [r for r in inbox.conversation_list.rows if r.key != person.key]
        other = next(r for r in others if r.key != (inbox.thread.key if inbox.thread else ""))
        await arrive(pilot, fresh_gateway, inbox, other.number, "Not muted")
        await wait_for(pilot, lambda: bool(written), what="the other's notification")
        assert written == [f"\x1b]777;notify;New message from {_name(other)};\x1b\\"]
        assert app.terminal_title == "smstui (1)"
        inbox.conversation_list.focus()
        inbox.conversation_list.highlight_key(person.key)
        await pilot.press("M")  # unmuted: counted again
        assert person.key not in inbox.session.muted
        await wait_for(pilot, lambda: app.terminal_title == "smstui (2)", what="the title")
        await pilot.press("M")  # and muted again, for the next start

    again = make_app(fresh_gateway)
    async with again.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert person.key in inbox.session.muted
        assert row(inbox, person.key).unread == 1
        assert again.terminal_title == "smstui (1)", "the other one only"


async def test_a_mute_from_another_process_applies_at_the_next_poll(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """(No burst window here: an arrival that is not muted would notify at once.)"""
    app = make_app(fresh_gateway, notification_method="osc777", notification_burst=0, **FAST)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.message_pane.focus()
        written = capture(app)
        person = jens(inbox)
        await arrive(pilot, fresh_gateway, inbox, person.number, "Before the mute")
        await wait_for(pilot, lambda: bool(written), what="the notification")
        assert app.terminal_title == "smstui (1)"
        with account_state(fresh_gateway) as state:  # another smstui
            MuteState(state).set_muted(person.key, True)
        await wait_for(pilot, lambda: app.terminal_title == "smstui", what="the title")
        await arrive(pilot, fresh_gateway, inbox, person.number, "After the mute")
        assert len(written) == 1
        assert row(inbox, person.key).unread == 2


async def test_the_open_conversation_notifies_only_while_the_terminal_is_in_the_background(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    app = make_app(fresh_gateway, notification_method="osc9", notification_burst=0, **FAST)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        key = inbox.thread.key
        number = row(inbox, key).number
        inbox.message_pane.focus()
        written = capture(app)
        await arrive(pilot, fresh_gateway, inbox, number, "Seen at once")
        await wait_for(pilot, lambda: "Seen at once" in pane_words(app), what="on screen")
        await wait_for(pilot, lambda: row(inbox, key).unread == 0, what="read")
        assert written == []

        app.post_message(events.AppBlur())
        await wait_for(pilot, lambda: not app.app_focus, what="the blur")
        await arrive(pilot, fresh_gateway, inbox, number, "While away")
        await wait_for(pilot, lambda: bool(written), what="the notification")
        assert written == [f"\x1b]9;New message from {_name(row(inbox, key))}\x1b\\"]
        await wait_for(pilot, lambda: "While away" in pane_words(app), what="on screen")
        assert row(inbox, key).unread == 1, "not read while the terminal is in the background"
        assert app.terminal_title == "smstui (1)"

        app.post_message(events.AppFocus())
        await wait_for(pilot, lambda: row(inbox, key).unread == 0, what="read on return")
        assert app.terminal_title == "smstui"


async def test_hostile_text_never_reaches_the_terminal_as_a_sequence(
    make_app: MakeApp, fresh_gateway: FakeGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMUX", "/tmp/tmux-1000/default,1,0")
    app = make_app(fresh_gateway, notification_method="osc777", notification_preview="full", **FAST)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        inbox.message_pane.focus()
        written = capture(app)
        hostile = (
            "hi\x1b]777;notify;pwned;x\x07\x1b\\\x1bPtmux;\x1b\x1b]52;c;AAAA\x07\x1b\\;\x9d0;t\x9c"
        )
        await arrive(pilot, fresh_gateway, inbox, jens(inbox).number, hostile)
        await wait_for(pilot, lambda: bool(written), what="the notification")
        sequence, bell = written
        assert bell == "\a"
        inner = sequence.removeprefix("\x1bPtmux;").removesuffix("\x1b\\")
        osc = inner.replace("\x1b\x1b", "\x1b")
        assert osc.startswith("\x1b]777;notify;New message from Jens Janssens;")
        assert osc.endswith("\x1b\\")
        payload = osc.removeprefix("\x1b]777;notify;").removesuffix("\x1b\\")
        assert payload.count(";") == 1
        assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in payload), payload
