"""Faults that spoil one record of a good answer, for the client's "one bad record" rules.

The client must keep a page when one of its items is unreadable, and must never store a time
that is no time (a ``unixDatetime`` of ``1e20`` once stopped the app at every start). These
faults take the answer the fake would give and spoil its first item only:

- ``bad_time``: its time becomes ``value`` (default ``1e20``): ``unixDatetime`` in a
  conversation; ``date`` (as text) in the inbox and sent history;
- ``bad_utf8``: bytes that are not UTF-8 go into its text (the rest of the body stays valid);
- ``bad_item``: it is replaced by ``null``, which no parser can read as a message.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from smstui.fake.faults import ParamValue
from smstui.fake.routes import Reply

__all__ = ["TAMPERING", "tamper"]

TAMPERING = frozenset({"bad_time", "bad_utf8", "bad_item"})
_LIST_KEYS = ("conversation", "messages", "contacts")
_MARK = "\u0000spoil\u0000"
_NOT_UTF8 = b"caf\xe9 \xff\xfe"  # Latin-1 "café" and two bytes no UTF-8 text holds


def tamper(kind: str, params: dict[str, ParamValue], reply: Reply) -> Reply:
    """Return ``reply`` with its first list item spoiled as ``kind`` says (or as it was)."""
    try:
        body: Any = json.loads(reply.body)
    except ValueError:
        return reply
    items = next((body[key] for key in _LIST_KEYS if isinstance(body, dict) and key in body), None)
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        return reply
    first = items[0]
    if kind == "bad_item":
        items[0] = None
    elif kind == "bad_time":
        value = params.get("value", 1e20)
        if "unixDatetime" in first:
            first["unixDatetime"] = value
        elif "date" in first:
            first["date"] = str(value)
    elif kind == "bad_utf8":
        first["message"] = _MARK
    encoded = json.dumps(body, ensure_ascii=False).encode("utf-8", "backslashreplace")
    if kind == "bad_utf8":
        marker = json.dumps(_MARK, ensure_ascii=False)[1:-1].encode()
        encoded = encoded.replace(marker, _NOT_UTF8, 1)
    return replace(reply, body=encoded)
