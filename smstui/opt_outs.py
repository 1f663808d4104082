"""Opt-outs: numbers that asked not to get messages, and telling such a request when it comes.

A received message that is *only* a stop word — ``STOP``, ``stop!``, ``Stopp``, ``NIE``,
``ARRÊT``, ``UNSUBSCRIBE``, ``STOP ALL`` — is an opt-out request (:func:`is_opt_out_request`);
a sentence with the word inside it ("Don't stop the order") is not. The thread marks such a
message and offers a key to add the number to the list.

The list lives in ``opt_outs.json`` in the state directory, written like the mutes (see
:mod:`smstui.state_file`): mode 0600, atomically, under a lock, each change re-reading the file
first so two smstui processes keep each other's entries. Each entry keeps when and why it was
added (a STOP on 12 Nov, the gateway's error 131), so the composer can say so. The gateway's
own opt-out list has no endpoint in the API contract (only error 131 on a send), so this list
is local to this machine.

Pure: no Textual. Writing may raise :class:`OSError`; the caller reports it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smstui.state_file import load_json_object, update_json_object

__all__ = [
    "OPT_OUTS_FILE_NAME",
    "REASON_GATEWAY",
    "REASON_REPLY",
    "STOP_WORDS",
    "OptOut",
    "OptOutList",
    "is_opt_out_request",
]

OPT_OUTS_FILE_NAME = "opt_outs.json"
_FORMAT_VERSION = 1
REASON_REPLY = "reply"
"""They replied with a stop word."""
REASON_GATEWAY = "gateway"
"""The gateway refused a send with error 131 (the recipient opted out)."""
REASON_MANUAL = "manual"

STOP_WORDS = frozenset(
    {
        "stop",
        "stopp",
        "stoppen",
        "stop all",
        "stopall",
        "nie",
        "arret",
        "unsubscribe",
        "uitschrijven",
        "opt out",
        "optout",
        "opt-out",
        "afmelden",
        "wypisz",
        "odhlasit",
    }
)
"""Whole messages (folded: lower case, no accents, no punctuation at the ends) that ask to stop."""

_LONGEST = max(map(len, STOP_WORDS)) + 12
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


def is_opt_out_request(text: str) -> bool:
    """Whether a received message, as a whole, asks not to get messages any more.

    Case, accents, surrounding spaces and punctuation do not matter (``" Stop! "``,
    ``"ARRÊT."``); a word inside a sentence does not count.

    Args:
        text: The received message's text.
    """
    text = text.strip()
    if len(text) > _LONGEST or not text:  # the fast way out for ordinary messages
        return False
    folded = _SPACES.sub(" ", _EDGES.sub("", _fold(text)))
    return folded in STOP_WORDS


@dataclass(frozen=True, slots=True)
class OptOut:
    """One number on the list."""

    number: str
    """Digits only."""
    since: int
    """When it was added (epoch seconds)."""
    reason: str
    """:data:`REASON_REPLY`, :data:`REASON_GATEWAY` or ``"manual"``."""


def _entries(data: dict[str, Any] | None) -> dict[str, OptOut]:
    raw = data.get("numbers") if data is not None else None
    if not isinstance(raw, dict):
        return {}
    found: dict[str, OptOut] = {}
    for number, entry in raw.items():
        if not isinstance(number, str) or not number.isdigit() or not isinstance(entry, dict):
            continue
        since = entry.get("since")
        reason = entry.get("reason")
        found[number] = OptOut(
            number=number,
            since=since if isinstance(since, int) and not isinstance(since, bool) else 0,
            reason=reason if isinstance(reason, str) else REASON_MANUAL,
        )
    return found


def _dump(entries: dict[str, OptOut]) -> dict[str, Any]:
    return {
        "version": _FORMAT_VERSION,
        "numbers": {
            number: {"since": entry.since, "reason": entry.reason}
            for number, entry in sorted(entries.items())
        },
    }


class OptOutList:
    """Numbers (digits only) that must not get messages, read on first use.

    Args:
        directory: The state directory.
    """

    def __init__(self, directory: Path) -> None:
        self._path = directory / OPT_OUTS_FILE_NAME
        self._entries: dict[str, OptOut] = {}
        self._loaded = False
        self.problem = ""
        """Why the file could not be used, ready to show; "" when fine."""

    @property
    def path(self) -> Path:
        """The opt-outs file."""
        return self._path

    def load(self) -> None:
        """(Re)read the file; never raises."""
        self._loaded = True
        result = load_json_object(self._path)
        self.problem = result.problem
        self._entries = _entries(result.data)

    def get(self, number: str) -> OptOut | None:
        """The entry of a number (digits only), or None when it may get messages."""
        if not self._loaded:
            self.load()
        return self._entries.get(number)

    def numbers(self) -> frozenset[str]:
        """Every number on the list."""
        if not self._loaded:
            self.load()
        return frozenset(self._entries)

    def add(self, number: str, *, now: int, reason: str) -> OptOut:
        """Put a number on the list (an entry already there is kept as it was).

        Raises:
            OSError: The file could not be written (the change is kept in memory).
        """
        if not self._loaded:
            self.load()
        entry = self._entries.get(number) or OptOut(number=number, since=now, reason=reason)
        self._entries[number] = entry

        def change(data: dict[str, Any]) -> None:
            on_disk = _entries(data)
            on_disk.setdefault(number, entry)
            self._entries = on_disk
            data.clear()
            data.update(_dump(on_disk))

        update_json_object(self._path, change)
        return self._entries[number]

    def remove(self, number: str) -> None:
        """Take a number off the list: it may get messages again.

        Raises:
            OSError: The file could not be written (the change is kept in memory).
        """
        if not self._loaded:
            self.load()
        self._entries.pop(number, None)

        def change(data: dict[str, Any]) -> None:
            on_disk = _entries(data)
            on_disk.pop(number, None)
            self._entries = on_disk
            data.clear()
            data.update(_dump(on_disk))

        update_json_object(self._path, change)
