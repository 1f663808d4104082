"""The outbox on disk: ``outbox.json`` in the state directory, one entry per unsent message.

Failed, not-confirmed and in-flight messages are the one thing a user cannot type again from
memory, so they are written before the request leaves and on every change, and read back at
start. Every write re-reads the file under a lock and changes only its own entry, so several
smstui processes on one state directory never drop each other's messages. A file that cannot be
read is moved aside (``outbox.json.corrupt``), never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from smstui.outbox import SENDING, Outgoing
from smstui.state_file import load_json_object, update_json_object

__all__ = ["OUTBOX_FILE_NAME", "OutboxFile"]

OUTBOX_FILE_NAME = "outbox.json"
_FORMAT_VERSION = 1


class OutboxFile:
    """Unsent messages by bubble key in ``<directory>/outbox.json`` (0600, atomic writes).

    Args:
        directory: The state directory (created 0700 on the first write).
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / OUTBOX_FILE_NAME
        self.problem = ""
        """Why the file could not be read at load (it was moved aside); "" when it could."""

    def load(self) -> list[Outgoing]:
        """Every message stored; entries that cannot be read are skipped. Never raises."""
        result = load_json_object(self.path)
        self.problem = result.problem
        return [item for raw in _entries(result.data).values() if (item := _decode(raw))]

    def save(self, item: Outgoing) -> None:
        """Store one message, replacing its earlier state.

        Raises:
            OSError: The file could not be written.
        """
        encoded = _encode(item)
        self._change(lambda entries: entries.__setitem__(item.key, encoded))

    def remove(self, key: str) -> None:
        """Forget one message (it was confirmed, found or edited away).

        Raises:
            OSError: The file could not be written.
        """
        if self.path.exists():
            self._change(lambda entries: entries.pop(key, None))

    def _change(self, change: Callable[[dict[str, Any]], object]) -> None:
        def apply(data: dict[str, Any]) -> None:
            entries = _entries(data)
            change(entries)
            data.clear()
            data.update({"version": _FORMAT_VERSION, "messages": entries})

        update_json_object(self.path, apply)


def _entries(data: dict[str, Any] | None) -> dict[str, Any]:
    stored = data.get("messages") if data is not None else None
    return dict(stored) if isinstance(stored, dict) else {}


def _encode(item: Outgoing) -> dict[str, Any]:
    return {
        "key": item.key,
        "conversation": item.conversation,
        "to": item.to,
        "sender": item.sender,
        "text": item.text,
        "created": item.created,
        "reference": item.reference,
        "earlier_references": list(item.earlier_references),
        "status": item.status,
        "reason": item.reason,
        "known": sorted(item.known),
        "attempts": item.attempts,
    }


def _decode(raw: object) -> Outgoing | None:
    """An entry as written by :func:`_encode`, or None when it is not one."""
    if not isinstance(raw, dict):
        return None
    text_fields = ("key", "conversation", "to", "sender", "text", "reference", "status", "reason")
    if not all(isinstance(raw.get(name), str) for name in text_fields):
        return None
    created, attempts = raw.get("created"), raw.get("attempts", 1)
    if not isinstance(created, int) or not isinstance(attempts, int):
        return None
    known = raw.get("known", [])
    earlier = raw.get("earlier_references", [])
    if not isinstance(known, list) or not isinstance(earlier, list):
        return None
    return Outgoing(
        key=raw["key"],
        conversation=raw["conversation"],
        to=raw["to"],
        sender=raw["sender"],
        text=raw["text"],
        created=created,
        reference=raw["reference"],
        earlier_references=tuple(r for r in earlier if isinstance(r, str)),
        status=raw["status"] or SENDING,
        reason=raw["reason"],
        known=frozenset(k for k in known if isinstance(k, str)),
        attempts=attempts,
    )
