"""Opt-outs: numbers that asked not to get messages, and telling such a request when it comes.

A received message that is *only* a stop word — ``STOP``, ``stop!``, ``Stopp``, ``NIE``,
``ARRÊT``, ``UNSUBSCRIBE``, ``STOP ALL`` — is an opt-out request (:func:`is_opt_out_request`);
a sentence with the word inside it ("Don't stop the order") is not. The thread marks such a
message and offers a key to add the number to the list.

The list lives in the account's message store (see :mod:`smstui.store.personal`): each change
re-reads what is stored first, so two smstui processes keep each other's entries. Each entry
keeps when and why it was added (a STOP on 12 Nov, the gateway's error 131), so the composer can
say so. The gateway's own opt-out list has no endpoint in the API contract (only error 131 on a
send), so this list is local to this machine (or to a team's store).

Pure: no Textual. Writing may raise :class:`OSError`; the caller reports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from smstui.domain.folding import fold
from smstui.store.personal import OPT_OUTS, StateBackend

__all__ = [
    "REASON_GATEWAY",
    "REASON_REPLY",
    "STOP_WORDS",
    "OptOut",
    "OptOutList",
    "is_opt_out_request",
]

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
    folded = _SPACES.sub(" ", _EDGES.sub("", fold(text)))
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


def _entries(raw: dict[str, Any]) -> dict[str, OptOut]:
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


def _dump(entry: OptOut) -> dict[str, Any]:
    return {"since": entry.since, "reason": entry.reason}


class OptOutList:
    """Numbers (digits only) that must not get messages, read on first use.

    Args:
        backend: Where the list is kept.
    """

    def __init__(self, backend: StateBackend) -> None:
        self._backend = backend
        self._entries: dict[str, OptOut] = {}
        self._loaded = False
        self.problem = ""
        """Why the stored list could not be read, ready to show; "" when fine."""

    def load(self) -> None:
        """(Re)read the list; never raises."""
        self._loaded = True
        result = self._backend.entries(OPT_OUTS)
        self.problem = result.problem
        self._entries = _entries(result.entries)

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
            OSError: The store could not be written (the change is kept in memory).
        """
        if not self._loaded:
            self.load()
        entry = self._entries.get(number) or OptOut(number=number, since=now, reason=reason)
        self._entries[number] = entry

        # An entry already stored (by another process, maybe) is kept as it was.
        stored = self._backend.merge(
            OPT_OUTS, number, lambda old: old if isinstance(old, dict) else _dump(entry)
        )
        self._entries = _entries(stored)
        return self._entries.get(number, entry)

    def remove(self, number: str) -> None:
        """Take a number off the list: it may get messages again.

        Raises:
            OSError: The store could not be written (the change is kept in memory).
        """
        if not self._loaded:
            self.load()
        self._entries.pop(number, None)

        self._entries = _entries(self._backend.merge(OPT_OUTS, number, lambda _old: None))
