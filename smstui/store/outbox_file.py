"""The outbox on disk: one entry per unsent message, kept in the account's store.

Failed, not-confirmed and in-flight messages are the one thing a user cannot type again from
memory, so they are written before the request leaves and on every change, and read back at
start (see :mod:`smstui.store.personal`). Every write re-reads what is stored and changes only its
own entry, so several smstui processes never drop each other's messages.
"""

from __future__ import annotations

from typing import Any

from smstui.domain.outbox import SENDING, Outgoing
from smstui.store.personal import OUTBOX, StateBackend

__all__ = ["OutboxFile"]


class OutboxFile:
    """Unsent messages by bubble key, in the account's store.

    Args:
        backend: Where the outbox is kept.
    """

    def __init__(self, backend: StateBackend) -> None:
        self._backend = backend
        self.problem = ""
        """Why the stored outbox could not be read at load; "" when it could."""

    def load(self) -> list[Outgoing]:
        """Every message stored; entries that cannot be read are skipped. Never raises."""
        result = self._backend.entries(OUTBOX)
        self.problem = result.problem
        return [item for raw in result.entries.values() if (item := _decode(raw))]

    def save(self, item: Outgoing) -> None:
        """Store one message, replacing its earlier state.

        Raises:
            OSError: The store could not be written.
        """
        encoded = _encode(item)
        self._backend.merge(OUTBOX, item.key, lambda _old: encoded)

    def remove(self, key: str) -> None:
        """Forget one message (it was confirmed, found or edited away).

        Raises:
            OSError: The store could not be written.
        """
        self._backend.merge(OUTBOX, key, lambda _old: None)

    def not_kept(self) -> str:
        """Why the outbox is lost when this run ends ("" when it is kept on disk)."""
        return self._backend.not_kept()


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
