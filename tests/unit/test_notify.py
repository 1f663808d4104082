"""Terminal notifications: exact bytes per terminal kind, detection, bursts, quiet hours, privacy,
and hostile text that must never become a sequence."""

from __future__ import annotations

import base64
import re
import time

import pytest

from smstui.system.clock import FixedClock
from smstui.system.notifications import (
    Arrival,
    Notice,
    Notifier,
    clean_field,
    compose_notice,
    detect_method,
    in_quiet_hours,
    osc9,
    osc99,
    osc777,
    parse_quiet_hours,
    resolve_method,
    tmux_passthrough,
)
from tests.unit.hostile import HOSTILE_CORPUS

NOON = 1795780800  # 2026-11-27 12:00 UTC; the suite pins TZ=UTC

ANNA = Arrival("48512345678", "Anna", "See you at 5")
BOB = Arrival("48600100200", "Bob", "ok")


def notifier(method: str = "osc777", **options: object) -> tuple[Notifier, FixedClock]:
    clock = FixedClock(NOON)
    settings: dict[str, object] = {
        "tmux": False,
        "bell": True,
        "preview": "sender",
        "quiet_hours": None,
        "clock": clock,
        "window": 2.0,
    }
    settings.update(options)
    return Notifier(method=method, **settings), clock  # type: ignore[arg-type]


# Bytes per terminal kind ------------------------------------------------------------------


def test_osc777_bytes() -> None:
    assert osc777(Notice("New message from Anna", "See you at 5")) == (
        "\x1b]777;notify;New message from Anna;See you at 5\x1b\\"
    )
    assert osc777(Notice("New message")) == "\x1b]777;notify;New message;\x1b\\"


def test_osc9_bytes() -> None:
    assert osc9(Notice("New message from Anna")) == "\x1b]9;New message from Anna\x1b\\"
    assert osc9(Notice("New message from Anna", "See you")) == (
        "\x1b]9;New message from Anna: See you\x1b\\"
    )


def test_osc99_bytes_title_then_body_under_one_id() -> None:
    assert osc99(Notice("New message from Anna", "See you at 5"), "smstui-1") == (
        "\x1b]99;i=smstui-1:d=0;New message from Anna\x1b\\"
        "\x1b]99;i=smstui-1:d=1:p=body;See you at 5\x1b\\"
    )
    assert osc99(Notice("New message"), "smstui-2") == "\x1b]99;i=smstui-2:d=1;New message\x1b\\"


def test_osc99_sends_anything_but_plain_ascii_as_base64() -> None:
    sequence = osc99(Notice("New message from Łucja", "Zażółć"), "smstui-3")
    title = base64.b64encode("New message from Łucja".encode()).decode()
    body = base64.b64encode("Zażółć".encode()).decode()
    assert sequence == (
        f"\x1b]99;i=smstui-3:d=0:e=1;{title}\x1b\\\x1b]99;i=smstui-3:d=1:p=body:e=1;{body}\x1b\\"
    )


def test_tmux_passthrough_doubles_every_escape() -> None:
    assert tmux_passthrough("\x1b]9;hi\x1b\\") == "\x1bPtmux;\x1b\x1b]9;hi\x1b\x1b\\\x1b\\"


@pytest.mark.parametrize(
    ("method", "tmux", "sequence", "bell"),
    [
        ("osc777", False, "\x1b]777;notify;New message from Anna;\x1b\\", False),
        ("osc9", False, "\x1b]9;New message from Anna\x1b\\", False),
        ("osc99", False, "\x1b]99;i=smstui-1:d=1;New message from Anna\x1b\\", False),
        ("bell", False, "", True),
        (
            "osc777",
            True,
            "\x1bPtmux;\x1b\x1b]777;notify;New message from Anna;\x1b\x1b\\\x1b\\",
            True,
        ),
        ("osc9", True, "\x1bPtmux;\x1b\x1b]9;New message from Anna\x1b\x1b\\\x1b\\", True),
        (
            "osc99",
            True,
            "\x1bPtmux;\x1b\x1b]99;i=smstui-1:d=1;New message from Anna\x1b\x1b\\\x1b\\",
            True,
        ),
        ("bell", True, "", True),
    ],
)
def test_the_notifier_writes_each_kind(method: str, tmux: bool, sequence: str, bell: bool) -> None:
    notify, _ = notifier(method, tmux=tmux)
    signal = notify.arrived([ANNA])
    assert signal is not None
    assert (signal.sequence, signal.bell) == (sequence, bell)


def test_off_writes_nothing_and_no_bell_means_no_bell() -> None:
    assert notifier("off")[0].arrived([ANNA]) is None
    assert notifier("bell", bell=False)[0].arrived([ANNA]) is None
    signal = notifier("osc9", tmux=True, bell=False)[0].arrived([ANNA])
    assert signal is not None
    assert signal.bell is False


# Detection --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "method"),
    [
        ({"TERM": "xterm-kitty"}, "osc99"),
        ({"TERM": "xterm-256color", "KITTY_WINDOW_ID": "3"}, "osc99"),
        ({"TERM_PROGRAM": "iTerm.app"}, "osc9"),
        ({"LC_TERMINAL": "iTerm2", "TERM": "xterm-256color"}, "osc9"),
        ({"WT_SESSION": "0b9d…"}, "osc9"),
        ({"ConEmuPID": "1234"}, "osc9"),
        ({"TERM_PROGRAM": "WezTerm"}, "osc777"),
        ({"WEZTERM_PANE": "0", "TERM": "xterm-256color"}, "osc777"),
        ({"TERM_PROGRAM": "ghostty"}, "osc777"),
        ({"TERM": "xterm-ghostty"}, "osc777"),
        ({"TERM": "foot"}, "osc777"),
        ({"TERM": "foot-extra"}, "osc777"),
        ({"TERM": "rxvt-unicode-256color"}, "osc777"),
        ({"VTE_VERSION": "7600", "TERM": "xterm-256color"}, "osc777"),
        ({"TERM": "xterm-256color"}, "bell"),
        ({"TERM": "screen-256color", "TMUX": "/tmp/tmux-1000/default,1,0"}, "bell"),
        ({"TERM": "linux"}, "bell"),
        ({}, "bell"),
    ],
)
def test_auto_detection_from_the_environment(environ: dict[str, str], method: str) -> None:
    assert detect_method(environ) == method
    assert resolve_method("auto", environ) == method
    assert resolve_method("osc9", environ) == "osc9"


# What it says -----------------------------------------------------------------------------


def test_privacy_levels_for_one_message() -> None:
    assert compose_notice([ANNA], "none") == Notice("New message")
    assert compose_notice([ANNA], "sender") == Notice("New message from Anna")
    assert compose_notice([ANNA], "full") == Notice("New message from Anna", "See you at 5")


def test_privacy_levels_for_a_burst() -> None:
    burst = [Arrival(ANNA.key, "Anna", "newest"), BOB, ANNA]
    assert compose_notice(burst, "none") == Notice("3 new messages")
    assert compose_notice(burst, "sender") == Notice("3 new messages from 2 people", "Anna, Bob")
    assert compose_notice(burst, "full") == Notice("3 new messages from 2 people", "Anna: newest")
    assert compose_notice([ANNA, ANNA], "sender") == Notice("2 new messages from Anna")
    many = [Arrival(str(n), f"P{n}", "x") for n in range(5)]
    assert compose_notice(many, "sender").body == "P0, P1, P2 and 2 more"


def test_none_never_shows_who_or_what() -> None:
    signal = notifier("osc777", preview="none")[0].arrived([ANNA, BOB])
    assert signal is not None
    assert signal.sequence == "\x1b]777;notify;2 new messages;\x1b\\"
    assert "Anna" not in signal.sequence
    assert "See you" not in signal.sequence


def test_long_text_is_capped() -> None:
    notice = compose_notice([Arrival("1", "A" * 300, "x " * 500)], "full")
    assert len(notice.title) <= 80
    assert notice.title.endswith("…")
    assert len(notice.body) <= 200
    assert notice.body.endswith("…")


# Bursts -----------------------------------------------------------------------------------


def test_a_burst_combines_into_one_notification() -> None:
    notify, clock = notifier("osc9")
    first = notify.arrived([ANNA])
    assert first is not None
    assert first.notice.title == "New message from Anna"
    clock.advance(0.5)
    assert notify.arrived([BOB]) is None, "held: within the window"
    clock.advance(0.5)
    assert notify.arrived([Arrival(ANNA.key, "Anna", "again")]) is None
    assert notify.wait() == pytest.approx(1.0)
    clock.advance(1.0)
    combined = notify.flush()
    assert combined is not None
    assert combined.sequence == "\x1b]9;2 new messages from 2 people: Anna, Bob\x1b\\"
    assert notify.flush() is None
    assert notify.wait() is None


def test_after_the_window_a_new_message_notifies_at_once() -> None:
    notify, clock = notifier("osc9")
    assert notify.arrived([ANNA]) is not None
    clock.advance(2.0)
    assert notify.arrived([BOB]) is not None


def test_one_poll_with_several_messages_is_one_notification() -> None:
    notify, _ = notifier("osc777", preview="sender")
    signal = notify.arrived([ANNA, BOB, ANNA])
    assert signal is not None
    assert signal.sequence == "\x1b]777;notify;3 new messages from 2 people;Anna, Bob\x1b\\"


# Quiet hours ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("22:00-07:00", (1320, 420)),
        ("9:30 - 17:00", (570, 1020)),
        ("00:00-24:00", (0, 1440)),
        ("", None),
        ("  ", None),
    ],
)
def test_quiet_hours_parse(value: str, parsed: tuple[int, int] | None) -> None:
    assert parse_quiet_hours(value) == parsed


@pytest.mark.parametrize("value", ["22-07", "25:00-07:00", "22:60-07:00", "07:00-07:00", "x"])
def test_bad_quiet_hours_are_refused(value: str) -> None:
    with pytest.raises(ValueError):
        parse_quiet_hours(value)


def at(hour: int, minute: int = 0) -> float:
    return NOON - 12 * 3600 + hour * 3600 + minute * 60


def test_quiet_hours_across_midnight_in_local_time() -> None:
    night = parse_quiet_hours("22:00-07:00")
    assert in_quiet_hours(night, at(22))
    assert in_quiet_hours(night, at(3))
    assert in_quiet_hours(night, at(6, 59))
    assert not in_quiet_hours(night, at(7))
    assert not in_quiet_hours(night, at(12))
    assert not in_quiet_hours(None, at(23))
    lunch = parse_quiet_hours("12:00-13:00")
    assert in_quiet_hours(lunch, at(12, 30))
    assert not in_quiet_hours(lunch, at(13))


def test_quiet_hours_follow_the_local_time_function() -> None:
    night = parse_quiet_hours("22:00-07:00")
    plus_eleven = lambda ts: time.gmtime(ts + 11 * 3600)  # noqa: E731
    assert in_quiet_hours(night, NOON, plus_eleven), "12:00 UTC is 23:00 at +11"
    assert not in_quiet_hours(night, NOON)


def test_quiet_hours_write_nothing_and_ring_nothing() -> None:
    notify, clock = notifier("osc9", tmux=True, quiet_hours=parse_quiet_hours("11:00-13:00"))
    assert notify.arrived([ANNA]) is None
    assert notify.wait() is None, "not held for later either"
    clock.advance(3600)  # 13:00: quiet hours are over
    assert notify.arrived([BOB]) is not None
    bell, _ = notifier("bell", quiet_hours=parse_quiet_hours("11:00-13:00"))
    assert bell.arrived([ANNA]) is None


# Hostile text -----------------------------------------------------------------------------

_SEQUENCE_START = re.compile(r"\x1b(?!\\|\]|P)|[\x00-\x1a\x1c-\x1f\x7f-\x9f]")


def payloads(sequence: str) -> str:
    """The sequence without the framing this module writes itself."""
    framing = r"\x1b\](?:777;notify;|9;|99;[^;]*;)|\x1b\\"
    return re.sub(framing, "", sequence)


@pytest.mark.parametrize("method", ["osc777", "osc9", "osc99"])
@pytest.mark.parametrize("text", HOSTILE_CORPUS)
def test_hostile_text_never_becomes_a_sequence(method: str, text: str) -> None:
    notify, _clock = notifier(method, preview="full")
    signal = notify.arrived([Arrival("1", text, text)])
    assert signal is not None
    inner = payloads(signal.sequence)
    assert "\x1b" not in inner
    assert "\x07" not in inner
    assert "\x9c" not in inner
    assert not any("\x00" <= ch < " " or "\x7f" <= ch <= "\x9f" for ch in inner), repr(inner)
    if method == "osc777":
        assert signal.sequence.count(";") == 3, "title and body add no field"
    if method == "osc9":
        assert signal.sequence.count(";") == 1
    signal.sequence.encode("utf-8")  # no lone surrogate


@pytest.mark.parametrize("text", HOSTILE_CORPUS)
def test_hostile_text_through_tmux_stays_inside_the_passthrough(text: str) -> None:
    notify, _ = notifier("osc777", tmux=True, preview="full")
    signal = notify.arrived([Arrival("1", text, text)])
    assert signal is not None
    body = signal.sequence.removeprefix("\x1bPtmux;").removesuffix("\x1b\\")
    assert re.fullmatch(r"(?:[^\x1b]|\x1b\x1b)*", body), "every ESC inside is doubled"


def test_clean_field_strips_controls_and_keeps_text() -> None:
    assert clean_field("a\x1b]9;pwned\x07b\x9c;c\x00d\x07", 80) == "ab\ufffd;cd␇"
    assert clean_field("Zażółć 👨\u200d👩\u200d👧", 80) == "Zażółć 👨\u200d👩\u200d👧"
    assert clean_field("evil\u202eexe.txt", 80) == "evilexe.txt"
    assert clean_field("line\nbreak\ttab", 80) == "line break tab"


def test_a_semicolon_cannot_start_a_terminal_command() -> None:
    assert osc9(Notice("4;3;50")) == "\x1b]9;4,3,50\x1b\\"
    assert osc777(Notice("a;b", "c;d")) == "\x1b]777;notify;a,b;c,d\x1b\\"
