"""What a write to a PostgreSQL store announces: one ``NOTIFY`` per write transaction.

The channel is the account's schema name (``smstui_<hash>``: already a valid identifier, and
one account's operators all listen on it). The payload is a small JSON object::

    {"kind": "messages", "keys": ["4850…", …], "at": 1795780800.123, "pid": 4242}

- ``kind``: ``messages`` (messages were added, merged or removed) or ``contacts``.
- ``keys``: the conversation keys touched, or ``null`` when unknown or too many to list
  (the listener then treats every conversation as changed).
- ``at``: wall-clock seconds when the write was made (inside the transaction): a listener
  subtracts it from the time of delivery to measure NOTIFY → callback latency.
- ``pid``: the publishing process (for logs and tests).

The listener adds the publishing connection's server process (:attr:`Change.backend`), so a
process can tell its own store's writes from others'.

``pg_notify`` inside the write transaction is delivered when, and only when, it commits.
This module is a leaf (no database code), so the store and the listener both import it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["MAX_KEYS", "Change", "channel_name", "decode", "encode"]

MAX_KEYS = 100
"""More conversation keys than this are announced as ``null`` (PostgreSQL caps payloads at
8000 bytes)."""


@dataclass(frozen=True, slots=True)
class Change:
    """One committed write, as announced."""

    kind: str
    keys: tuple[str, ...] | None
    """The conversations touched; None: any may have changed."""
    at: float
    """When the write was made (wall-clock seconds, the publisher's clock)."""
    pid: int
    """The publishing process."""
    backend: int = 0
    """The server process of the publishing connection (set by the listener)."""

    def touches(self, key: str) -> bool:
        """True when the conversation ``key`` may have changed."""
        return self.keys is None or key in self.keys


def channel_name(schema: str) -> str:
    """The ``LISTEN``/``NOTIFY`` channel of an account's schema (the schema name itself)."""
    return schema


def encode(kind: str, keys: Iterable[str] | None) -> str:
    """The JSON payload of one write's announcement (see module)."""
    listed = None if keys is None else sorted(set(keys))
    if listed is not None and len(listed) > MAX_KEYS:
        listed = None
    payload = {"kind": kind, "keys": listed, "at": time.time(), "pid": os.getpid()}
    return json.dumps(payload, separators=(",", ":"))


def decode(payload: str) -> Change | None:
    """Read a payload back; None when it is not one of ours."""
    try:
        data = json.loads(payload)
        keys = data.get("keys")
        return Change(
            kind=str(data["kind"]),
            keys=None if keys is None else tuple(str(key) for key in keys),
            at=float(data.get("at", 0.0)),
            pid=int(data.get("pid", 0)),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
