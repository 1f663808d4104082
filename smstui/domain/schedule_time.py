"""When to send a message later: the one reader of send times, for the app and ``send --at``.

Accepted, read in the local time zone (the dialog and the command name it): ``9:30`` (today,
or tomorrow when that time has passed), ``tomorrow 9:30``, ``2026-12-01 9:30``, ISO 8601 with
or without an offset, and ``+45m`` / ``+2h`` / ``+1d`` from now. A time less than a minute ahead
is refused: the gateway schedules by the minute.

Daylight-saving changes are read deliberately, never silently shifted:

- A wall-clock time that does not exist (the hour skipped when clocks go forward, e.g.
  ``2027-03-28 02:30`` in Europe/Warsaw) is refused, suggesting the same time after the change
  (``03:30``).
- A time that happens twice (the hour repeated when clocks go back) is the first of the two,
  still on summer time; the description names the offset and says so. Type an offset
  (``2027-10-31T02:30+01:00``) for the second.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo

from smstui.domain.timeparse import (
    NonexistentTime,
    aware_at,
    describe_zone,
    parse_time,
    place,
    stamp_of,
)

__all__ = ["NonexistentTime", "describe_send_time", "place", "read_send_time", "repeated_note"]

_CLOCK = r"(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})"
_AT_CLOCK = re.compile(rf"(?:(?P<tomorrow>tomorrow)\s+)?{_CLOCK}")
_ON_DAY = re.compile(rf"(?P<day>\d{{4}}-\d{{2}}-\d{{2}})[ t]{_CLOCK}")
_RELATIVE = re.compile(r"\+\s*(?P<amount>\d{1,4})\s*(?P<unit>[mhd])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
USAGE = "Type a time: 9:30, tomorrow 9:30, 2026-12-01 9:30 or +2h"


def _repeated(moment: datetime, zone: tzinfo | None) -> bool:
    """Whether the wall time of ``moment`` also happens at another instant (clocks go back)."""
    naive = moment.replace(tzinfo=None)
    return stamp_of(naive, zone, 0) != stamp_of(naive, zone, 1)


def _on(day: datetime, hour: int, minute: int, zone: tzinfo | None) -> datetime:
    if hour > 23 or minute > 59:
        raise ValueError(f"{hour}:{minute:02d} is not a time of day")
    # Built from the date and the wall-clock time, then given this place's offset for that
    # day, so "9:30" stays 9:30 across a daylight-saving change.
    return place(datetime(day.year, day.month, day.day, hour, minute), zone)


def _iso(text: str, zone: tzinfo | None) -> datetime:
    try:
        return parse_time(text, zone)  # the command line's reader: one way to read ISO 8601
    except NonexistentTime:
        raise
    except ValueError:
        raise ValueError(f'"{text.strip()}" is not a time. {USAGE}') from None


def read_send_time(text: str, now: float, zone: tzinfo | None = None) -> datetime:
    """Read a send time; return it as an aware time.

    Args:
        text: What the user typed.
        now: The current time (epoch seconds; the app's clock).
        zone: The time zone it is read in; None for the local one.

    Raises:
        ValueError: With a message fit to show, when it is not a time, not in the future, or
            skipped by the clocks (:class:`NonexistentTime`).
    """
    cleaned = " ".join(text.lower().split())
    here = aware_at(now, zone)
    if not cleaned:
        raise ValueError(USAGE)
    if relative := _RELATIVE.fullmatch(cleaned):
        ahead = timedelta(**{_UNITS[relative["unit"]]: int(relative["amount"])})
        moment = aware_at(now + ahead.total_seconds(), zone)  # so far ahead, whatever the clocks
    elif clock := _AT_CLOCK.fullmatch(cleaned):
        hour, minute = int(clock["hour"]), int(clock["minute"])
        tomorrow = here + timedelta(days=1)
        moment = _on(tomorrow if clock["tomorrow"] else here, hour, minute, zone)
        if not clock["tomorrow"] and moment <= here:
            moment = _on(tomorrow, hour, minute, zone)
    elif on_day := _ON_DAY.fullmatch(cleaned):
        day = datetime.fromisoformat(on_day["day"])
        moment = _on(day, int(on_day["hour"]), int(on_day["minute"]), zone)
    else:
        moment = _iso(text, zone)
    if moment.timestamp() < now + 60:
        raise ValueError("That time has passed (or is less than a minute away)")
    return moment.replace(second=0, microsecond=0)


def describe_send_time(moment: datetime, now: float, zone: tzinfo | None = None) -> str:
    """``Mon 1 Dec 09:30, CET (UTC+01:00)``: the day, the time and the zone, for the dialog.

    A time the clocks show twice that night says which of the two it is (:func:`repeated_note`).
    """
    here = aware_at(now, zone)
    if moment.date() == here.date():
        day = "today"
    elif moment.date() == (here + timedelta(days=1)).date():
        day = "tomorrow"
    else:
        day = f"{moment:%a} {moment.day} {moment:%b}" + (
            f" {moment.year}" if moment.year != here.year else ""
        )
    return f"{day} {moment:%H:%M}, {describe_zone(moment)}{repeated_note(moment, zone)}"


def repeated_note(moment: datetime, zone: tzinfo | None = None) -> str:
    """`` (the first 02:30: the clocks go back that night)`` when the hour repeats, else ""."""
    local = aware_at(moment.timestamp(), zone)
    naive = local.replace(tzinfo=None)
    if naive != moment.replace(tzinfo=None) or not _repeated(local, zone):
        return ""
    which = "first" if stamp_of(naive, zone, 0) == moment.timestamp() else "second"
    return f" (the {which} {moment:%H:%M}: the clocks go back that night)"
