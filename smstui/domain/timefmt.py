"""Human time labels for bubbles, day separators, the conversation list and status lines.

Every function takes explicit epoch seconds and, where the answer depends on it, an explicit
``now`` (from :mod:`smstui.system.clock`), so output is deterministic in tests. Times are shown in
the
local time zone (``time.localtime``; the test suite pins ``TZ=UTC``). Month and weekday names
are English and independent of the C locale, matching the rest of the interface.

Dates always name the month (``5 Jun 2025``), never ``05/06/25``: day-month and month-day
readers would take that for different days, and the locale of a server reached over SSH says
little about the person reading.
"""

from __future__ import annotations

import time

__all__ = [
    "LIST_TIME_WIDTH",
    "bubble_time",
    "day_key",
    "day_label",
    "list_time",
    "relative_time",
    "same_day",
    "short_date",
]

LIST_TIME_WIDTH = 11
"""The widest :func:`list_time` answer in terminal cells (``"27 Nov 2024"``)."""

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EPOCH_ORDINAL = 719_163
"""``datetime.date(1970, 1, 1).toordinal()``."""
_MAX_TIMESTAMP = 253_402_300_799
"""31 Dec 9999 23:59:59 UTC; later values are clamped so ``localtime`` cannot overflow."""
_WEEK_DAYS = 7


def _local(ts: float) -> time.struct_time:
    """``time.localtime`` that never raises on absurd timestamps from the network."""
    clamped = min(max(ts, 0), _MAX_TIMESTAMP)
    try:
        return time.localtime(clamped)
    except (OverflowError, OSError, ValueError):
        return time.localtime(0)


def _day_key_of(local: time.struct_time, ts: float) -> int:
    offset = local.tm_gmtoff or 0
    return (int(min(max(ts, 0), _MAX_TIMESTAMP)) + offset) // 86_400 + _EPOCH_ORDINAL


def day_key(ts: float) -> int:
    """Return the local calendar date of a timestamp as a proleptic Gregorian ordinal.

    Two messages belong under the same day separator when their keys are equal.

    Args:
        ts: Epoch seconds.

    Returns:
        ``datetime.date.toordinal()`` of the local date.
    """
    return _day_key_of(_local(ts), ts)


def same_day(a: float, b: float) -> bool:
    """Tell whether two timestamps fall on the same local calendar day.

    Args:
        a: Epoch seconds.
        b: Epoch seconds.

    Returns:
        True when both are on the same local date.
    """
    return day_key(a) == day_key(b)


def bubble_time(ts: float) -> str:
    """Return the clock time shown on a message bubble, e.g. ``"14:05"``.

    Args:
        ts: Epoch seconds.

    Returns:
        Local ``HH:MM`` (24-hour).
    """
    local = _local(ts)
    return f"{local.tm_hour:02d}:{local.tm_min:02d}"


def _days_ago(ts: float, now: float) -> tuple[int, time.struct_time, time.struct_time]:
    local = _local(ts)
    local_now = _local(now)
    return _day_key_of(local_now, now) - _day_key_of(local, ts), local, local_now


def day_label(ts: float, now: float) -> str:
    """Return the text of a day separator in a thread.

    Args:
        ts: Epoch seconds of a message.
        now: The current time in epoch seconds.

    Returns:
        ``"Today"``, ``"Yesterday"``, a weekday (``"Tuesday"``) within the last six days,
        ``"27 Nov"`` earlier this year, or ``"27 Nov 2024"``; future dates get the date too.
    """
    days, local, local_now = _days_ago(ts, now)
    if days == 0:
        return "Today"
    if days == 1:
        return "Yesterday"
    if 1 < days < _WEEK_DAYS:
        return _WEEKDAYS[local.tm_wday]
    month = _MONTHS[local.tm_mon - 1]
    if local.tm_year == local_now.tm_year:
        return f"{local.tm_mday} {month}"
    return f"{local.tm_mday} {month} {local.tm_year}"


def list_time(ts: float, now: float) -> str:
    """Return the compact time shown in a conversation-list row (at most 11 cells).

    Args:
        ts: Epoch seconds of the conversation's last activity.
        now: The current time in epoch seconds.

    Returns:
        ``"14:05"`` today, ``"Yesterday"``, a short weekday (``"Tue"``) within the last six
        days, ``"27 Nov"`` earlier this year, and ``"27 Nov 2024"`` before that (the month by
        name: ``27/11/24`` reads differently in different countries). See
        :data:`LIST_TIME_WIDTH`.
    """
    days, local, local_now = _days_ago(ts, now)
    if days == 0:
        return f"{local.tm_hour:02d}:{local.tm_min:02d}"
    if days == 1:
        return "Yesterday"
    if 1 < days < _WEEK_DAYS:
        return _WEEKDAYS[local.tm_wday][:3]
    if local.tm_year == local_now.tm_year:
        return f"{local.tm_mday} {_MONTHS[local.tm_mon - 1]}"
    return f"{local.tm_mday} {_MONTHS[local.tm_mon - 1]} {local.tm_year}"


def short_date(ts: float, now: float) -> str:
    """Return a date as ``"12 Nov"``, with the year (``"12 Nov 2025"``) when not ``now``'s.

    Args:
        ts: Epoch seconds of the event.
        now: The current time in epoch seconds (the app's clock, never the machine's).

    Returns:
        The local day and month name, and the year when it differs from the current one.
    """
    local, local_now = _local(ts), _local(now)
    text = f"{local.tm_mday} {_MONTHS[local.tm_mon - 1]}"
    return text if local.tm_year == local_now.tm_year else f"{text} {local.tm_year}"


_UNITS = (
    (365 * 86_400, "y"),
    (30 * 86_400, "mo"),
    (7 * 86_400, "wk"),
    (86_400, "d"),
    (3_600, "h"),
)


def relative_time(ts: float, now: float) -> str:
    """Return how long ago something happened, e.g. for "synced 5 min ago".

    Args:
        ts: Epoch seconds of the event.
        now: The current time in epoch seconds.

    Returns:
        ``"just now"`` under a minute (either way), else ``"5 min ago"``, ``"3 h ago"``,
        ``"2 d ago"``, ``"3 wk ago"``, ``"4 mo ago"``, ``"2 y ago"`` (whole units, rounded
        down), or ``"in 5 min"`` for times in the future.
    """
    delta = now - ts
    distance = abs(delta)
    if distance < 60:
        return "just now"
    amount = f"{int(distance // 60)} min"
    for seconds, unit in _UNITS:
        if distance >= seconds:
            amount = f"{int(distance // seconds)} {unit}"
            break
    return f"{amount} ago" if delta > 0 else f"in {amount}"
