"""Reading "send later" times, in a fixed zone and at a fixed now."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from smstui.domain.schedule_time import NonexistentTime, describe_send_time, read_send_time
from smstui.domain.timeparse import parse_time

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


WARSAW = ZoneInfo("Europe/Warsaw")
ZONES = pytest.mark.parametrize("zone", [WARSAW, None], ids=["zoneinfo", "TZ"])
"""Each daylight-saving test runs with the zone injected, and with the local zone (TZ)."""


@ZONES
def test_a_time_the_clocks_skip_is_refused_and_the_time_after_suggested(
    zone: ZoneInfo | None,
) -> None:
    # 2027-03-28: Warsaw's clocks jump from 02:00 to 03:00; 02:30 never happens.
    with pytest.raises(NonexistentTime, match=r"2027-03-28 02:30 does not exist.*03:30\?"):
        read_send_time("2027-03-28 02:30", NOW, zone)
    assert f"{read_send_time('2027-03-28 03:30', NOW, zone):%H:%M %z}" == "03:30 +0200"
    assert f"{read_send_time('2027-03-28 01:59', NOW, zone):%H:%M %z}" == "01:59 +0100"


@ZONES
def test_a_skipped_time_typed_as_tomorrow_or_iso_is_refused_too(zone: ZoneInfo | None) -> None:
    night_before = 1806138000  # 2027-03-27 09:00 UTC: "tomorrow" is the 28th
    with pytest.raises(NonexistentTime, match="03:30"):
        read_send_time("tomorrow 2:30", night_before, zone)
    with pytest.raises(NonexistentTime, match="03:30"):
        read_send_time("2027-03-28T02:30", NOW, zone)


@ZONES
def test_a_time_the_clocks_show_twice_is_the_first_and_says_so(zone: ZoneInfo | None) -> None:
    # 2027-10-31: 03:00 summer time becomes 02:00 winter time; 02:30 happens twice.
    first = read_send_time("2027-10-31 02:30", NOW, zone)
    assert first.isoformat() == "2027-10-31T02:30:00+02:00"
    assert describe_send_time(first, NOW, zone) == (
        "Sun 31 Oct 2027 02:30, CEST (UTC+02:00) (the first 02:30: the clocks go back that night)"
    )
    second = read_send_time("2027-10-31T02:30+01:00", NOW, zone)
    assert second.timestamp() - first.timestamp() == 3600
    assert describe_send_time(second, NOW, zone).endswith(
        "(the second 02:30: the clocks go back that night)"
    )
    assert "clocks" not in describe_send_time(read_send_time("2027-10-31 03:00", NOW, zone), NOW)


def test_two_hours_ahead_across_the_change_is_two_hours() -> None:
    before = 1806192000  # 2027-03-28 00:00 UTC = 01:00 CET
    moment = read_send_time("+2h", before, WARSAW)
    assert moment.timestamp() == before + 7200
    assert f"{moment:%H:%M %z}" == "04:00 +0200"


def test_since_and_until_read_wall_times_by_the_same_rule() -> None:
    """``--since``/``--until`` give a zone to a time typed without one as send times do."""
    with pytest.raises(NonexistentTime, match="03:30"):
        parse_time("2027-03-28 02:30", WARSAW)
    assert parse_time("2027-10-31 02:30", WARSAW).isoformat() == "2027-10-31T02:30:00+02:00"
    assert parse_time("2026-11-28", WARSAW).isoformat() == "2026-11-28T00:00:00+01:00"
