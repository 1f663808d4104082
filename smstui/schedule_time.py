"""When to send a message later, as the user types it in the "Send later" dialog.

Accepted, read in the local time zone (the dialog names it): ``9:30`` (today, or tomorrow
when that time has passed), ``tomorrow 9:30``, ``2026-12-01 9:30``, ISO 8601 with an offset,
and ``+45m`` / ``+2h`` / ``+1d`` from now. A time less than a minute ahead is refused: the
gateway schedules by the minute.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from smstui.commands.timeparse import describe_zone, parse_time

__all__ = ["describe_send_time", "read_send_time"]

_CLOCK = re.compile(r"(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})")
_RELATIVE = re.compile(r"\+\s*(?P<amount>\d{1,4})\s*(?P<unit>[mhd])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def read_send_time(text: str, now: float) -> datetime:
    """Read a send time; return it as an aware local time.

    Args:
        text: What the user typed.
        now: The current time (epoch seconds; the app's clock).

    Raises:
        ValueError: With a message fit to show, when it is not a time or not in the future.
    """
    cleaned = " ".join(text.lower().split())
    here = datetime.fromtimestamp(now).astimezone()
    moment: datetime | None = None
    relative = _RELATIVE.fullmatch(cleaned)
    if relative:
        moment = here + timedelta(**{_UNITS[relative["unit"]]: int(relative["amount"])})
    else:
        day_offset = 0
        rest = cleaned
        if rest.startswith("tomorrow "):
            day_offset, rest = 1, rest.removeprefix("tomorrow ")
        clock = _CLOCK.fullmatch(rest)
        if clock:
            moment = _at(here, int(clock["hour"]), int(clock["minute"]), day_offset)
            if day_offset == 0 and moment <= here:
                moment = _at(here, int(clock["hour"]), int(clock["minute"]), 1)
        elif cleaned:
            moment = parse_time(text)
    if moment is None:
        raise ValueError("Type a time: 9:30, tomorrow 9:30, 2026-12-01 9:30 or +2h")
    if moment.timestamp() < now + 60:
        raise ValueError("That time has passed (or is less than a minute away)")
    return moment.replace(second=0, microsecond=0)


def _at(here: datetime, hour: int, minute: int, days: int) -> datetime:
    if hour > 23 or minute > 59:
        raise ValueError(f"{hour}:{minute:02d} is not a time of day")
    day = here + timedelta(days=days)
    # Built from the date and the wall-clock time, then given this place's offset for that
    # day, so "9:30" stays 9:30 across a daylight-saving change.
    naive = datetime(day.year, day.month, day.day, hour, minute)
    return naive.astimezone()


def describe_send_time(moment: datetime, now: float) -> str:
    """``Mon 1 Dec 09:30, CET (UTC+01:00)``: the day, the time and the zone, for the dialog."""
    here = datetime.fromtimestamp(now).astimezone()
    if moment.date() == here.date():
        day = "today"
    elif moment.date() == (here + timedelta(days=1)).date():
        day = "tomorrow"
    else:
        day = f"{moment:%a} {moment.day} {moment:%b}" + (
            f" {moment.year}" if moment.year != here.year else ""
        )
    return f"{day} {moment:%H:%M}, {describe_zone(moment)}"
