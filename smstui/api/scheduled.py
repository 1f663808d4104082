"""Scheduled messages: ``GET /outbox`` and ``DELETE /outbox/{id}`` (contract §4.7).

The vendor's own example spells the reference key ``refence`` and writes ``date`` as
``11/10/2024/10/30``; both spellings are read, and ``date`` is kept as the text the gateway
gave. :func:`scheduled_time` reads it as a time only when it has the ``yyyy-MM-dd HH:mm`` form
smstui sends (in UTC, like every date the gateway writes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from smstui.api.fields import as_id, as_line, as_number, as_text
from smstui.api.parse import page_of
from smstui.domain.models import Page

__all__ = ["ScheduledMessage", "parse_outbox", "scheduled_time"]


@dataclass(frozen=True, slots=True)
class ScheduledMessage:
    """One message waiting at the gateway to be sent later."""

    id: str
    """The outbox id (what ``DELETE /outbox/{id}`` takes)."""
    to: str
    text: str
    date: str
    """When it goes out, as the gateway wrote it."""
    reference: str
    message_id: str


def parse_outbox(data: object, *, page: int, limit: int) -> Page[ScheduledMessage]:
    """Parse ``GET /outbox``: an envelope (§2.1) with ``messages``.

    Args:
        data: The decoded JSON body.
        page: The page asked for.
        limit: The page size asked for.
    """
    return page_of(data, "messages", _scheduled, page=page, limit=limit)


def _scheduled(item: dict[str, Any]) -> ScheduledMessage:
    return ScheduledMessage(
        id=as_id(item.get("ID", item.get("id"))),
        to=as_number(item.get("to")),
        text=as_text(item.get("message")),
        date=as_line(item.get("date")),
        reference=as_line(item.get("reference", item.get("refence"))),
        message_id=as_id(item.get("messageid", item.get("messageId"))),
    )


def scheduled_time(date: str) -> int | None:
    """Epoch seconds of a ``yyyy-MM-dd HH:mm`` date (UTC); None for any other form."""
    try:
        moment = datetime.strptime(date.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        return None
    return int(moment.replace(tzinfo=UTC).timestamp())
