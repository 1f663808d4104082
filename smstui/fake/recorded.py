"""What the fake gateway remembers about each request it received."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request as the fake gateway saw it (headers are not kept: they hold the secret).

    Attributes:
        method: ``GET``, ``POST`` …
        path: the path without the ``/v1`` prefix, percent-decoded (``/message/send``).
        query: query parameters, first value of each.
        body: the decoded JSON body; the raw text when it is not JSON; None when empty.
    """

    method: str
    path: str
    query: dict[str, str]
    body: object | None


def decode_body(raw: bytes) -> object | None:
    """Decode a request body for the record: JSON when possible, else text, None if empty."""
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    try:
        decoded: object = json.loads(text)
    except ValueError:
        return text
    return decoded
