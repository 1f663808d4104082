"""Reading "send later" times, in a fixed zone and at a fixed now."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import pytest

from smstui.schedule_time import describe_send_time, read_send_time

NOW = 1795780800  # 2026-11-27 12:00 UTC = 13:00 in Warsaw (a Friday)


@pytest.fixture(autouse=True)
def warsaw(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Warsaw")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def local(text: str) -> str:
    return f"{read_send_time(text, NOW):%Y-%m-%d %H:%M %z}"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("15:30", "2026-11-27 15:30 +0100"),
        ("9:05", "2026-11-28 09:05 +0100"),  # passed today: tomorrow
        ("tomorrow 9:05", "2026-11-28 09:05 +0100"),
        ("Tomorrow  08.15", "2026-11-28 08:15 +0100"),
        ("2026-12-01 09:30", "2026-12-01 09:30 +0100"),
        ("2026-12-01T09:30Z", "2026-12-01 09:30 +0000"),
        ("+45m", "2026-11-27 13:45 +0100"),
        ("+2h", "2026-11-27 15:00 +0100"),
        ("+1d", "2026-11-28 13:00 +0100"),
    ],
)
def test_times_people_type(typed: str, meant: str) -> None:
    assert local(typed) == meant


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("", "Type a time"),
        ("soon", "is not a time"),
        ("25:00", "not a time of day"),
        ("2026-11-27 12:59", "passed"),
        ("+0m", "passed"),
    ],
)
def test_what_is_refused_says_why(typed: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        read_send_time(typed, NOW)


def test_summer_time_is_kept_for_a_day_after_the_change() -> None:
    """9:00 on a March day after the clocks went forward is 9:00 there, at +02:00."""
    moment = read_send_time("2027-03-29 09:00", NOW)
    assert f"{moment:%H:%M %z}" == "09:00 +0200"


def test_the_dialog_names_the_day_and_the_zone() -> None:
    assert describe_send_time(read_send_time("15:30", NOW), NOW) == "today 15:30, CET (UTC+01:00)"
    assert describe_send_time(read_send_time("9:00", NOW), NOW).startswith("tomorrow 09:00")
    later = read_send_time("2026-12-01 09:30", NOW)
    assert describe_send_time(later, NOW) == "Tue 1 Dec 09:30, CET (UTC+01:00)"
    fixed = datetime.fromisoformat("2027-01-05T09:30+05:30")
    assert describe_send_time(fixed, NOW) == "Tue 5 Jan 2027 09:30, UTC+05:30"
