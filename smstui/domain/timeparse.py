"""Times typed on the command line, and how a wall-clock time gets its time zone.

``--since`` and ``--until`` are read here; send times (the app's dialog and ``send --at``) by
:mod:`smstui.domain.schedule_time`, which uses :func:`parse_time` and :func:`place` from here.

Accepted: ISO 8601 (``2026-11-28T09:00``, ``2026-11-28T09:00+01:00``, ``…Z``), the same with a
space (``2026-11-28 09:00``), or a date alone (``2026-11-28``: its midnight). Without an offset a
time is read in the local time zone, which the caller names on stderr: a time the clocks skip
(daylight saving) is refused with the time to use instead, a repeated one is the first.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

__all__ = [
    "NonexistentTime",
    "aware_at",
    "describe_zone",
    "gateway_date",
    "parse_time",
    "place",
    "stamp_of",
    "wall_at",
]


def parse_time(text: str, zone: tzinfo | None = None) -> datetime:
    """Read a time typed by the user; naive times are in ``zone``.

    Args:
        text: What was typed.
        zone: The zone of a time typed without an offset; None for the local one.

    Returns:
        An aware datetime.

    Raises:
        ValueError: With a message fit to show, when the text is not a time, or names one the
            clocks skip (:class:`NonexistentTime`).
    """
    cleaned = text.strip()
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(
            f'"{text}" is not a time: use YYYY-MM-DD HH:MM (local time) or ISO 8601 such as '
            "2026-11-28T09:00+01:00"
        ) from None
    return place(moment, zone) if moment.tzinfo is None else moment


class NonexistentTime(ValueError):
    """A wall-clock time skipped by a daylight-saving change; the message suggests one after."""


def wall_at(ts: float, zone: tzinfo | None) -> datetime:
    """The naive wall-clock time at ``ts`` in ``zone`` (None: the local zone)."""
    return datetime.fromtimestamp(ts, zone).replace(tzinfo=None)


def aware_at(ts: float, zone: tzinfo | None) -> datetime:
    """``ts`` as an aware time in ``zone`` (None: local, with that instant's offset)."""
    return (
        datetime.fromtimestamp(ts, zone)
        if zone is not None
        else datetime.fromtimestamp(ts).astimezone()
    )


def stamp_of(naive: datetime, zone: tzinfo | None, fold: int) -> float:
    """Epoch seconds of a wall-clock time in ``zone``: its first (0) or second (1) reading."""
    # fold (PEP 495) picks the first (0) or second (1) reading of a wall time; in a gap, 0 uses
    # the offset before the change and 1 the one after, so neither reads back the same.
    moment = naive.replace(fold=fold)
    return (moment if zone is None else moment.replace(tzinfo=zone)).timestamp()


def place(naive: datetime, zone: tzinfo | None = None) -> datetime:
    """Give a wall-clock time its zone: the first of two readings when the hour repeats.

    Args:
        naive: A date and time as read on a clock.
        zone: The time zone; None for the local one.

    Returns:
        The aware time.

    Raises:
        NonexistentTime: Clocks skip this time (going forward); the message suggests one.
    """
    naive = naive.replace(tzinfo=None)
    first = stamp_of(naive, zone, 0)
    if wall_at(first, zone) == naive:
        return aware_at(first, zone)
    second = stamp_of(naive, zone, 1)
    if wall_at(second, zone) == naive:
        return aware_at(second, zone)
    after = wall_at(first, zone)  # the same time on the clock once it has moved on
    suggested = f"{after:%H:%M}" if after.date() == naive.date() else f"{after:%Y-%m-%d %H:%M}"
    raise NonexistentTime(
        f"{naive:%Y-%m-%d %H:%M} does not exist here: the clocks skip it (daylight saving). "
        f"Did you mean {suggested}?"
    )


def describe_zone(moment: datetime) -> str:
    """Name the zone of an aware time as people read it: ``CET (UTC+01:00)``."""
    offset = moment.utcoffset()
    total = int(offset.total_seconds()) if offset is not None else 0
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total) // 60, 60)
    utc = f"UTC{sign}{hours:02d}:{minutes:02d}"
    name = moment.tzname() or ""
    return utc if not name or name == utc or (name == "UTC" and total == 0) else f"{name} ({utc})"


def gateway_date(moment: datetime) -> str:
    """Return a schedule time as the gateway's ``date`` (``yyyy-MM-dd HH:mm``, in UTC).

    The contract names no zone for ``date``; smstui reads every date the gateway writes as UTC
    (as the vendor's own example does), so it writes this one in UTC too. Seconds are dropped.
    """
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
