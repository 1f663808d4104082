"""Time labels as the user reads them (the suite pins TZ=UTC)."""

from __future__ import annotations

import calendar
import os
import time
from collections.abc import Iterator
from datetime import date

import pytest

from smstui.domain.timefmt import (
    LIST_TIME_WIDTH,
    bubble_time,
    day_key,
    day_label,
    list_time,
    relative_time,
    same_day,
    short_date,
)


def at(text: str) -> int:
    """Epoch seconds of a UTC "YYYY-MM-DD HH:MM" string."""
    return calendar.timegm(time.strptime(text, "%Y-%m-%d %H:%M"))


NOW = at("2025-06-05 12:00")  # a Thursday


def test_short_date_names_the_year_only_when_not_the_clocks() -> None:
    assert short_date(at("2025-11-12 09:00"), NOW) == "12 Nov"
    assert short_date(at("2024-11-12 09:00"), NOW) == "12 Nov 2024"
    # The year compared with is the given now's, whatever the machine's date.
    assert short_date(at("2025-11-12 09:00"), at("2027-01-02 12:00")) == "12 Nov 2025"


def test_bubble_time() -> None:
    assert bubble_time(at("2025-06-05 14:05")) == "14:05"
    assert bubble_time(at("2025-06-05 09:03")) == "09:03"


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2025-06-05 00:00", "Today"),
        ("2025-06-05 23:59", "Today"),
        ("2025-06-04 23:59", "Yesterday"),
        ("2025-06-04 00:00", "Yesterday"),
        ("2025-06-03 10:00", "Tuesday"),
        ("2025-05-30 10:00", "Friday"),  # six days back
        ("2025-05-29 10:00", "29 May"),  # seven days back: a date
        ("2025-01-01 10:00", "1 Jan"),
        ("2024-11-27 10:00", "27 Nov 2024"),
        ("2025-06-09 10:00", "9 Jun"),  # future (clock skew): a date, never "Today"
    ],
)
def test_day_label(when: str, expected: str) -> None:
    assert day_label(at(when), NOW) == expected


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2025-06-05 14:05", "14:05"),
        ("2025-06-04 08:00", "Yesterday"),
        ("2025-06-03 10:00", "Tue"),
        ("2025-05-30 10:00", "Fri"),
        ("2025-05-29 10:00", "29 May"),
        ("2024-11-27 10:00", "27 Nov 2024"),
        ("2009-01-02 10:00", "2 Jan 2009"),  # never 02/01/09: 2 January or February 1?
    ],
)
def test_list_time(when: str, expected: str) -> None:
    label = list_time(at(when), NOW)
    assert label == expected
    assert len(label) <= LIST_TIME_WIDTH


@pytest.mark.parametrize(
    ("seconds_ago", "expected"),
    [
        (0, "just now"),
        (59, "just now"),
        (-30, "just now"),
        (60, "1 min ago"),
        (5 * 60 + 59, "5 min ago"),
        (3 * 3600 + 120, "3 h ago"),
        (2 * 86400, "2 d ago"),
        (15 * 86400, "2 wk ago"),
        (65 * 86400, "2 mo ago"),
        (800 * 86400, "2 y ago"),
        (-5 * 60, "in 5 min"),
        (-2 * 3600, "in 2 h"),
    ],
)
def test_relative_time(seconds_ago: int, expected: str) -> None:
    assert relative_time(NOW - seconds_ago, NOW) == expected


def test_day_key_and_same_day() -> None:
    assert day_key(at("2025-06-05 00:00")) == date(2025, 6, 5).toordinal()
    assert day_key(at("2025-06-05 23:59")) == date(2025, 6, 5).toordinal()
    assert same_day(at("2025-06-05 00:00"), at("2025-06-05 23:59"))
    assert not same_day(at("2025-06-04 23:59"), at("2025-06-05 00:00"))


def test_absurd_timestamps_do_not_raise() -> None:
    assert bubble_time(10**20) == bubble_time(253_402_300_799)
    assert day_label(-(10**20), NOW) == "1 Jan 1970"


@pytest.fixture
def warsaw() -> Iterator[None]:
    os.environ["TZ"] = "CET-1CEST,M3.5.0,M10.5.0/3"  # POSIX rule: no tz database needed
    time.tzset()
    yield
    os.environ["TZ"] = "UTC"
    time.tzset()


@pytest.mark.usefixtures("warsaw")
def test_local_time_zone_decides_the_day() -> None:
    late_utc = at("2025-06-04 22:30")  # already 00:30 on the 5th in Warsaw (UTC+2)
    assert bubble_time(late_utc) == "00:30"
    assert day_key(late_utc) == date(2025, 6, 5).toordinal()
    assert day_label(late_utc, NOW) == "Today"
