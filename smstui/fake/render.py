"""JSON shapes of the fake gateway's answers (contract §2–§4), including the chaos modes."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from smstui.fake.content import StoredMessage
from smstui.fake.dataset import Contact

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

JsonObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Modes:
    """Global response-shape switches (``FakeGateway.set_mode``).

    Attributes:
        plain_400: every error, including 401 and 404, is sent as HTTP 400.
        error_int: numeric ``error`` codes are JSON integers instead of strings.
        file_single: ``file`` is one attachment object instead of a list.
        mine_missing: conversation items carry no ``mine`` key.
        placeholder_sender: our messages name the word ``Sender`` as their sender, as the real
            gateway does for some of them, instead of the number they went out from
            (conversation items and sent history).
    """

    plain_400: bool = False
    error_int: bool = False
    file_single: bool = False
    mine_missing: bool = False
    placeholder_sender: bool = False


PLACEHOLDER_SENDER = "Sender"
"""What the real gateway puts where our number should be on some of our messages."""


def _sender(msg: StoredMessage, modes: Modes) -> str:
    return PLACEHOLDER_SENDER if msg.outbound and modes.placeholder_sender else msg.sender


def conversation_datetime(ts: int) -> str:
    """``05 jun 2025, 10:10:00`` in UTC, as the conversation endpoint writes it."""
    t = time.gmtime(ts)
    return (
        f"{t.tm_mday:02d} {_MONTHS[t.tm_mon - 1]} {t.tm_year}, "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"
    )


def list_date(ts: int) -> str:
    """``2025-06-05 10:10:00`` in UTC, as inbox and history write it."""
    t = time.gmtime(ts)
    return (
        f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"
    )


def file_url(origin: str, name: str) -> str:
    """Absolute URL of an attachment served by the fake itself."""
    return f"{origin}/files/{quote(name)}"


def conversation_item(msg: StoredMessage, status: str, modes: Modes, origin: str) -> JsonObject:
    """One ``GET /conversation/{phone}`` item."""
    files: object = None
    if msg.files:
        refs = [
            {"name": f.name, "image": file_url(origin, f.name), "mime": f.mime} for f in msg.files
        ]
        files = refs[0] if modes.file_single else refs
    item: JsonObject = {
        "messageId": msg.message_id,
        "direction": "outbound" if msg.outbound else "inbound",
        "mine": msg.outbound,
        "sender": _sender(msg, modes),
        "receiver": msg.receiver,
        "message": msg.text,
        "file": files,
        "datetime": conversation_datetime(msg.ts),
        "unixDatetime": msg.ts,
        "deliveryStatus": status,
    }
    if modes.mine_missing:
        del item["mine"]
    return item


def inbox_item(msg: StoredMessage, *, with_receiver: bool) -> JsonObject:
    """One ``GET /message/inbox`` item (no ``receiver`` on ``/message/inbox/{nr}``)."""
    item: JsonObject = {
        "ID": msg.row_id,
        "message": msg.text,
        "sender": msg.sender,
        "type": "sms",
        "date": list_date(msg.ts),
    }
    if with_receiver:
        item["receiver"] = msg.receiver
    return item


def history_item(msg: StoredMessage, status: str, modes: Modes) -> JsonObject:
    """One ``GET /message/logging`` (= ``/message/history``) item."""
    return {
        "ID": msg.row_id,
        "message_ID": msg.message_id,
        "message": msg.text,
        "to": msg.receiver,
        "sender": _sender(msg, modes),
        "date": list_date(msg.ts),
        "amount": str(msg.parts),
        "type": "single",
        "status": status,
    }


def contact_item(contact: Contact) -> JsonObject:
    """One ``GET /contact`` item."""
    item: JsonObject = {
        "ID": str(contact.id),
        "phone": contact.phone,
        "firstname": contact.firstname,
        "lastname": contact.lastname,
        "groupid": "1",
        "unsubscribed": False,
        "email": contact.email,
        "memo": contact.memo,
        "birthday": contact.birthday,
    }
    for n in range(1, 11):
        item[f"extra{n}"] = ""
    return item


def envelope(total: int, page: int, limit: int, key: str, items: list[JsonObject]) -> JsonObject:
    """The paging envelope of contract §2.1."""
    return {"total": total, "shown": len(items), "page": page, "limit": limit, key: items}


def error_body(code: int | None, message: str, modes: Modes) -> JsonObject:
    """``{"error": "<code>", "errorMsg": "..."}``; a bare text ``error`` when there is no code."""
    if code is None:
        return {"error": message}
    return {"error": code if modes.error_int else str(code), "errorMsg": message}
