"""Defensive readers for single JSON values from the gateway (text, numbers, ids, dates).

Every reader accepts any JSON value and never raises, except the ``expect_*`` shape checks,
which raise :class:`~smstui.api.errors.BadResponse`. Text always passes through
:mod:`smstui.domain.sanitize`, so nothing read here can carry terminal escape sequences.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from smstui.api.errors import BadResponse
from smstui.domain.phones import normalise_number
from smstui.domain.sanitize import clean_line, clean_text, clean_url

_MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_abbr) if name}
_CONVERSATION_DATETIME = re.compile(
    r"^\s*(\d{1,2})\s+([a-z]{3})[a-z]*\.?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$",
    re.IGNORECASE,
)


_WRONG_SHAPE = "The gateway sent an answer in an unexpected shape"

EARLIEST_TIME = 946_684_800
"""2000-01-01 00:00 UTC: no SMS in an account's history is older; anything before is garbage."""

FUTURE_SLACK = 10 * 366 * 86_400
"""How far past "now" a time may lie (about ten years; a gateway clock may be wrong, but not
by more). Later times are garbage: ``1e20`` would not fit a SQLite INTEGER."""

_MAX_DIGITS = 40
"""Longer digit strings are not numbers we use (and ``int()`` of 4,300+ digits raises)."""


def expect_object(data: object) -> dict[str, Any]:
    """Return ``data`` if it is a JSON object.

    Raises:
        BadResponse: It is not.
    """
    if not isinstance(data, dict):
        raise BadResponse(_WRONG_SHAPE)
    return data


def expect_list(data: object) -> list[Any]:
    """Return ``data`` if it is a JSON array.

    Raises:
        BadResponse: It is not.
    """
    if not isinstance(data, list):
        raise BadResponse(_WRONG_SHAPE)
    return data


def objects_of(items: list[Any]) -> list[dict[str, Any]]:
    """Keep only the JSON objects of a list; null or scalar entries are skipped."""
    return [item for item in items if isinstance(item, dict)]


def is_present(value: object) -> bool:
    """Tell whether an optional value was really given (not null, "" or a boolean)."""
    return value is not None and value != "" and not isinstance(value, bool)


def as_text(value: object) -> str:
    """Return network text as a sanitised string ("" for null, containers and booleans)."""
    return clean_text(_scalar_text(value))


def as_line(value: object) -> str:
    """Return network text flattened to one sanitised line ("" for null and containers)."""
    return clean_line(_scalar_text(value))


def _scalar_text(value: object) -> str:
    """A JSON scalar as text: "" for null, containers, booleans and unprintable numbers."""
    if value is None or isinstance(value, dict | list | bool):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        value = int(value)
    try:
        return str(value)
    except ValueError:  # an int of more than 4,300 digits cannot be printed
        return ""


def as_url(value: object) -> str:
    """Return a URL from the network, sanitised (not validated)."""
    if not isinstance(value, str):
        return ""
    return clean_url(value)


def as_number(value: object) -> str:
    """Return a number or sender from the network, normalised (and sanitised) by phones.

    A conversation repeats the same two numbers on every message, so they are normalised once
    (``normalise_number`` sanitises as ``as_line`` does, so it is not done twice) and every
    message shares the same two strings instead of holding copies of its own.
    """
    if isinstance(value, str):
        return _number(value)
    return _number(as_line(value))


@lru_cache(maxsize=4_096)
def _number(text: str) -> str:
    return normalise_number(text)


def as_id(value: object) -> str:
    """Return an identifier as an opaque, sanitised string ("" when absent)."""
    return as_line(value)


def as_int(value: object) -> int | None:
    """Read an int from an int, an integral float or a numeric string; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        stripped = value.strip()
        if len(stripped) > _MAX_DIGITS:
            return None
        if stripped.lstrip("+-").isascii() and stripped.lstrip("+-").isdigit():
            return int(stripped)
        try:
            number = float(stripped)
        except ValueError:
            return None
        return int(number) if number.is_integer() else None
    return None


def sane_time(value: int | None, now: float) -> int | None:
    """Return epoch seconds if they lie from 2000-01-01 to about ten years after ``now``.

    Anything outside is not a time an SMS was sent or received at, and some of it (``1e20``)
    cannot even be stored: None, so the caller falls back to another source.
    """
    if value is None or value < EARLIEST_TIME or value > now + FUTURE_SLACK:
        return None
    return value


def as_positive_int(value: object) -> int | None:
    """Read an int like :func:`as_int`; None unless it is at least 1."""
    number = as_int(value)
    return number if number is not None and number > 0 else None


def parse_conversation_datetime(value: str) -> int | None:
    """Parse a conversation ``datetime`` such as ``05 jun 2025, 10:10:00`` as UTC.

    Month names are matched in English whatever the locale, in any letter case.

    Args:
        value: The ``datetime`` string.

    Returns:
        Epoch seconds, or None when the string does not match.
    """
    match = _CONVERSATION_DATETIME.match(value)
    if match is None:
        return None
    day, month_name, year, hour, minute, second = match.groups()
    month = _MONTHS.get(month_name.lower())
    if month is None:
        return None
    try:
        moment = datetime(
            int(year), month, int(day), int(hour), int(minute), int(second or 0), tzinfo=UTC
        )
    except ValueError:
        return None
    return int(moment.timestamp())


def parse_api_date(value: str) -> int | None:
    """Parse an inbox/history ``date`` (``yyyy-MM-dd HH:mm:ss``) as UTC.

    Args:
        value: The ``date`` string.

    Returns:
        Epoch seconds, or None when the string cannot be parsed.
    """
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())
