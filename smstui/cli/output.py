"""What the commands print: the JSON objects (one schema for all) and aligned human tables.

JSON objects (documented in the README, "Command line"): fields may be added in later releases,
never renamed or removed. Times are given twice: ``time`` in ISO 8601 UTC and ``timestamp`` in
epoch seconds. Human output uses the local time zone, one line per row, and no colour.
"""

from __future__ import annotations

import json
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

from smstui.domain.conversations import ConversationSummary
from smstui.domain.models import Message
from smstui.domain.phones import conversation_key, conversation_number, display_number, sent_from
from smstui.domain.sanitize import clean_line
from smstui.domain.segments import analyse

__all__ = [
    "conversation_json",
    "direction_of",
    "dumps",
    "iso_time",
    "local_time",
    "message_json",
    "one_line",
    "table",
    "who",
    "write_json",
    "write_line",
]


def iso_time(ts: int) -> str:
    """Epoch seconds as ISO 8601 in UTC: ``2026-11-27T12:00:00Z``."""
    try:
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return ""


def local_time(ts: int, *, seconds: bool = False) -> str:
    """Epoch seconds as local ``YYYY-MM-DD HH:MM`` (``:SS`` with ``seconds``)."""
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M",
                             time.localtime(ts))  # fmt: skip
    except (OverflowError, OSError, ValueError):
        return "?"


def direction_of(message: Message) -> str:
    """``in`` for a received message, ``out`` for one we sent."""
    return "out" if message.outbound else "in"


def message_json(
    message: Message, *, conversation: str = "", name: str = "", own: str = ""
) -> dict[str, Any]:
    """The JSON object of one message.

    Args:
        message: The message.
        conversation: Its conversation key ("" to derive it from the counterparty).
        name: The counterparty's contact name, when known.
        own: The number of ours the conversation runs on (:func:`conversation_number`), which
            our message went out from when the gateway names none ("Sender"): see
            :func:`sent_from`, the rule the app follows.
    """
    counterparty = message.receiver if message.outbound else message.sender
    info = analyse(message.text)
    return {
        "key": message.key,
        "id": message.message_id,
        "conversation": conversation or conversation_key(counterparty),
        "number": counterparty,
        "name": name,
        "direction": direction_of(message),
        "from": sent_from(message.sender, own) if message.outbound else message.sender,
        "to": message.receiver,
        "text": message.text,
        "time": iso_time(message.timestamp),
        "timestamp": message.timestamp,
        "status": message.status,
        "parts": info.parts,
        "encoding": info.encoding,
        "attachments": [
            {"name": a.name, "url": a.url, "mime": a.mime} for a in message.attachments
        ],
        "reference": message.reference,
    }


def conversation_json(
    summary: ConversationSummary, *, unread: int = 0, own_numbers: Sequence[str] = ()
) -> dict[str, Any]:
    """The JSON object of one conversation (its summary: the newest message's facts).

    ``own_number`` is the number of ours the app's title names (:func:`conversation_number`),
    "" when unknown; ``own_numbers`` are ours, when known.
    """
    return {
        "conversation": summary.key,
        "number": summary.number,
        "name": summary.name,
        "own_number": conversation_number(summary.own_number, own_numbers),
        "time": iso_time(summary.timestamp),
        "timestamp": summary.timestamp,
        "last_direction": "out" if summary.last_outbound else "in",
        "last_status": summary.last_status,
        "preview": summary.preview,
        "unread": unread,
    }


def dumps(value: object) -> str:
    """One line of JSON (UTF-8 text, no ASCII escapes; control characters are escaped)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_line(text: str, stream: TextIO | None = None) -> None:
    """Print one line and flush it (``watch`` output must not wait in a buffer)."""
    out = sys.stdout if stream is None else stream
    out.write(text + "\n")
    out.flush()


def write_json(value: object, stream: TextIO | None = None) -> None:
    """Print one JSON document on one line."""
    write_line(dumps(value), stream)


def one_line(text: str, limit: int = 0) -> str:
    """Untrusted text on one line (escape sequences removed), cut to ``limit`` cells with …."""
    line = clean_line(text)
    if limit and _width(line) > limit:
        cut = []
        used = 0
        for char in line:
            cells = _char_width(char)
            if used + cells > limit - 1:
                break
            cut.append(char)
            used += cells
        line = "".join(cut) + "…"
    return line


def who(number: str, name: str) -> str:
    """A counterparty for people: ``+48 512 345 678 (Anna Nowak)``."""
    shown = display_number(number)
    return f"{shown} ({one_line(name)})" if name else shown


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _width(text: str) -> int:
    return sum(map(_char_width, text))


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """Aligned columns, two spaces apart; the last column is not padded.

    Args:
        headers: Column titles (printed in capitals).
        rows: Cells, already one line each.

    Returns:
        The lines, header first.
    """
    body = [list(row) for row in rows]
    titles = [header.upper() for header in headers]
    widths = [_width(title) for title in titles]
    for row in body:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], _width(cell))
    lines = []
    for row in [titles, *body]:
        cells = [
            cell if index == len(row) - 1 else cell + " " * (widths[index] - _width(cell))
            for index, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines
