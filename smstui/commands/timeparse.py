"""Times typed on the command line: ``--at``, ``--since`` and ``--until``.

Accepted: ISO 8601 (``2026-11-28T09:00``, ``2026-11-28T09:00+01:00``, ``…Z``), the same with a
space (``2026-11-28 09:00``), or a date alone (``2026-11-28``: its midnight). Without an offset a
time is read in the local time zone, which the caller names on stderr.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["describe_zone", "gateway_date", "parse_time"]


def parse_time(text: str) -> datetime:
    """Read a time typed by the user; naive times are local.

    Args:
        text: What was typed.

    Returns:
        An aware datetime.

    Raises:
        ValueError: With a message fit to show, when the text is not a time.
    """
    cleaned = text.strip()
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(
            f'"{text}" is not a time: use YYYY-MM-DD HH:MM (local time) or ISO 8601 such as '
            "2026-11-28T09:00+01:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive datetime is taken as local time
    return moment


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
