"""Which conversations the user has read: local state, since the Smstools API has none.

For each conversation the store remembers the newest message timestamp the user has seen
(:meth:`ReadState.mark_read`, called when a conversation is viewed). An inbound message newer
than that is unread. :meth:`ReadState.mark_unread` flags a conversation unread by hand until it
is viewed again.

On the very first run there is no history, and treating every old message as unread would
greet a new user with hundreds of unread conversations. So the first run stores a *baseline*
(the time of that start): anything at or before it counts as read. The baseline is persisted,
so messages that arrive while smstui is closed still show as unread on the next start.

The state lives in the account's message store (see :mod:`smstui.store.personal`). Each write
re-reads what is stored and changes only the conversation it is about (a seen time only moves
forward), so two smstui processes keep each other's read markers; what another process marked is
taken in on the next use once the store says it changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeGuard

from smstui.store.personal import READ_BASELINE, READ_FLAGGED, READ_SEEN, StateBackend

__all__ = ["ReadState"]

_BASELINE = "baseline"
"""The one key of :data:`READ_BASELINE`."""


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


class ReadState:
    """Per conversation: the newest timestamp seen, and a manual "unread" flag.

    Nothing is read until the first use (:meth:`load`, or any method, which loads first).

    Args:
        backend: Where the state is kept.
        now: The current time in epoch seconds. Used as the baseline only when none is stored
            (the first run): everything up to it counts as read.
    """

    def __init__(self, backend: StateBackend, *, now: int) -> None:
        self._backend = backend
        self._version: tuple[int, ...] = ()
        self._now = int(now)
        self._baseline = self._now
        self._seen: dict[str, int] = {}
        self._flagged: set[str] = set()
        self._loaded = False
        self.problem = ""
        """Why the stored state could not be read (or written at first run); "" when fine."""

    @property
    def baseline(self) -> int:
        """Epoch seconds up to which every message counts as read."""
        self._ensure_loaded()
        return self._baseline

    def load(self) -> None:
        """(Re)read the state; never raises.

        Without a stored baseline it becomes ``now`` (from the constructor) and is written
        straight away, so the next start keeps it; a failure to write is reported in
        :attr:`problem`, not raised. Malformed entries are skipped.
        """
        self._loaded = True
        self._seen, self._flagged, self._baseline = {}, set(), self._now
        self._version = self._backend.version()
        result = self._backend.entries(READ_BASELINE)
        self.problem = result.problem
        baseline = result.entries.get(_BASELINE)
        if _is_int(baseline):
            self._baseline = baseline
            self._read_entries()
            return
        try:
            self._save_baseline()
        except OSError as error:
            self.problem = self.problem or f"could not write the read markers: {error}"

    def _read_entries(self) -> None:
        self._seen = _seen_in(self._backend.entries(READ_SEEN).entries)
        self._flagged = set(self._backend.entries(READ_FLAGGED).entries)

    def _ensure_loaded(self) -> None:
        if not self._loaded:
            self.load()
        elif (version := self._backend.version()) != self._version:
            # Another process wrote: take its markers in (the load's problem stays to be told).
            self._version = version
            baseline = self._backend.entries(READ_BASELINE).entries.get(_BASELINE)
            if _is_int(baseline):
                self._baseline = baseline
            self._read_entries()

    def seen_until(self, key: str) -> int:
        """Return the timestamp up to which the conversation counts as read.

        Args:
            key: The conversation key.
        """
        self._ensure_loaded()
        return max(self._baseline, self._seen.get(key, self._baseline))

    def mark_read(self, key: str, ts: int) -> bool:
        """Record that the user has seen a conversation up to ``ts``; clears a manual flag.

        The remembered time only moves forward, so viewing with a stale page loaded never makes
        older messages unread again.

        Args:
            key: The conversation key.
            ts: Timestamp of the newest message shown (epoch seconds).

        Returns:
            True when something changed (and it was written).

        Raises:
            OSError: The store could not be written; the change is kept in memory.
        """
        self._ensure_loaded()
        unflag = key in self._flagged
        self._flagged.discard(key)
        later = ts > self.seen_until(key)
        if later:
            self._seen[key] = int(ts)
        self._save(key, seen=later, flag=unflag)
        return unflag or later

    def mark_unread(self, key: str) -> bool:
        """Flag a conversation unread until it is viewed (marked read) again.

        Args:
            key: The conversation key.

        Returns:
            True when the flag was not already set (and it was written).

        Raises:
            OSError: The store could not be written; the flag is kept in memory.
        """
        self._ensure_loaded()
        if key in self._flagged:
            return False
        self._flagged.add(key)
        self._save(key, seen=False, flag=True)
        return True

    def is_flagged(self, key: str) -> bool:
        """Return True when the conversation was marked unread by hand."""
        self._ensure_loaded()
        return key in self._flagged

    def is_unread(self, key: str, last_ts: int) -> bool:
        """Return True when the conversation should show as unread.

        Args:
            key: The conversation key.
            last_ts: Timestamp of its newest *inbound* message (our own replies never make a
                conversation unread).
        """
        self._ensure_loaded()
        return key in self._flagged or last_ts > self.seen_until(key)

    def unread_count(self, key: str, inbound_timestamps: Iterable[int]) -> int:
        """Count inbound messages newer than what the user has seen.

        A conversation flagged unread by hand counts at least 1, so the badge shows.

        Args:
            key: The conversation key.
            inbound_timestamps: Timestamps of the conversation's inbound messages.
        """
        seen = self.seen_until(key)
        count = sum(1 for ts in inbound_timestamps if ts > seen)
        if key in self._flagged:
            return max(count, 1)
        return count

    def _save(self, key: str, *, seen: bool, flag: bool) -> None:
        """Write one conversation's seen time and/or flag into what is stored now.

        What other processes wrote meanwhile is taken in; a stored seen time that is later
        than ours stays.
        """
        if seen:
            mine = self._seen[key]
            stored = self._backend.merge(
                READ_SEEN, key, lambda old: max(mine, old) if _is_int(old) else mine
            )
            self._seen = _seen_in(stored)
        if flag:
            flagged = key in self._flagged
            stored = self._backend.merge(READ_FLAGGED, key, lambda _old: True if flagged else None)
            self._flagged = set(stored)
        self._version = self._backend.version()

    def _save_baseline(self) -> None:
        """Store the first-run baseline, or adopt the one another process stored first."""
        mine = self._baseline
        stored = self._backend.merge(
            READ_BASELINE, _BASELINE, lambda old: old if _is_int(old) else mine
        )
        baseline = stored.get(_BASELINE)
        self._baseline = baseline if _is_int(baseline) else mine
        if self._baseline != mine:
            self._read_entries()
        self._version = self._backend.version()


def _seen_in(stored: dict[str, Any]) -> dict[str, int]:
    """The usable seen times of what is stored (values that are not whole numbers skipped)."""
    return {key: value for key, value in stored.items() if _is_int(value)}
