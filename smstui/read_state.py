"""Which conversations the user has read: local state, since the Smstools API has none.

For each conversation the store remembers the newest message timestamp the user has seen
(:meth:`ReadState.mark_read`, called when a conversation is viewed). An inbound message newer
than that is unread. :meth:`ReadState.mark_unread` flags a conversation unread by hand until it
is viewed again.

On the very first run there is no history, and treating every old message as unread would
greet a new user with hundreds of unread conversations. So the first run stores a *baseline*
(the time of that start): anything at or before it counts as read. The baseline is persisted,
so messages that arrive while smstui is closed still show as unread on the next start.

The state is one JSON file, ``read_state.json`` in the state directory: mode 0600, written
atomically, moved aside when corrupt (see :mod:`smstui.state_file`). Each write re-reads the
file under a lock and changes only the conversation it is about, so two smstui processes on
one state directory keep each other's read markers.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from smstui.state_file import load_json_object, update_json_object

__all__ = ["READ_STATE_FILE_NAME", "ReadState"]

READ_STATE_FILE_NAME = "read_state.json"
_FORMAT_VERSION = 1


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class ReadState:
    """Per conversation: the newest timestamp seen, and a manual "unread" flag.

    Nothing touches the disk until the first use (:meth:`load`, or any method, which loads
    first).

    Args:
        directory: Where the file lives (normally :func:`smstui.paths.state_dir`).
        now: The current time in epoch seconds. Used as the baseline only when there is no
            usable file (first run, or the file was corrupt): everything up to it counts as read.
    """

    def __init__(self, directory: Path, *, now: int) -> None:
        self._path = directory / READ_STATE_FILE_NAME
        self._now = int(now)
        self._baseline = self._now
        self._seen: dict[str, int] = {}
        self._flagged: set[str] = set()
        self._loaded = False
        self.problem = ""
        """Why the file on disk could not be used (or written at first run); "" when fine."""
        self.kept_as: Path | None = None
        """Where an unreadable file was moved at load, when it was."""

    @property
    def path(self) -> Path:
        """The read-state file."""
        return self._path

    @property
    def baseline(self) -> int:
        """Epoch seconds up to which every message counts as read."""
        self._ensure_loaded()
        return self._baseline

    def load(self) -> None:
        """(Re)read the file; never raises.

        Without a usable file the baseline becomes ``now`` (from the constructor) and is
        written straight away, so the next start keeps it; a failure to write is reported in
        :attr:`problem`, not raised. Malformed entries are skipped.
        """
        self._loaded = True
        self._seen, self._flagged, self._baseline = {}, set(), self._now
        result = load_json_object(self._path)
        self.problem, self.kept_as = result.problem, result.kept_as
        data = result.data
        if data is not None and _is_int(data.get("baseline")):
            self._baseline = data["baseline"]
            self._read_entries(data)
            return
        if data is not None and not self.problem:
            self.problem = f"{self._path.name} had no baseline; starting afresh"
        try:
            self._save(None)
        except OSError as error:
            self.problem = self.problem or f"could not write {self._path.name}: {error}"

    def _read_entries(self, data: dict[str, Any]) -> None:
        seen = data.get("seen")
        if isinstance(seen, dict):
            self._seen = {
                key: value
                for key, value in seen.items()
                if isinstance(key, str) and key and _is_int(value)
            }
        flagged = data.get("unread")
        if isinstance(flagged, list):
            self._flagged = {key for key in flagged if isinstance(key, str) and key}

    def _ensure_loaded(self) -> None:
        if not self._loaded:
            self.load()

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
            True when something changed (and the file was written).

        Raises:
            OSError: The file could not be written; the change is kept in memory.
        """
        self._ensure_loaded()
        changed = key in self._flagged
        self._flagged.discard(key)
        if ts > self.seen_until(key):
            self._seen[key] = int(ts)
            changed = True
        if changed:
            self._save(key)
        return changed

    def mark_unread(self, key: str) -> bool:
        """Flag a conversation unread until it is viewed (marked read) again.

        Args:
            key: The conversation key.

        Returns:
            True when the flag was not already set (and the file was written).

        Raises:
            OSError: The file could not be written; the flag is kept in memory.
        """
        self._ensure_loaded()
        if key in self._flagged:
            return False
        self._flagged.add(key)
        self._save(key)
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

    def _save(self, key: str | None) -> None:
        """Write one conversation's state into the file as it is on disk now.

        What other processes wrote meanwhile is taken in. ``key`` None writes only a first
        baseline (or adopts the one another process wrote first).
        """

        def merge(data: dict[str, Any]) -> None:
            on_disk = ReadState(self._path.parent, now=self._baseline)
            if _is_int(data.get("baseline")):
                on_disk._baseline = data["baseline"]
                on_disk._read_entries(data)
            if key is not None:
                if key in self._seen:
                    on_disk._seen[key] = max(self._seen[key], on_disk._seen.get(key, 0))
                if key in self._flagged:
                    on_disk._flagged.add(key)
                else:
                    on_disk._flagged.discard(key)
            self._baseline, self._seen, self._flagged = (
                on_disk._baseline,
                on_disk._seen,
                on_disk._flagged,
            )
            data.clear()
            data.update(
                {
                    "version": _FORMAT_VERSION,
                    "baseline": self._baseline,
                    "seen": self._seen,
                    "unread": sorted(self._flagged),
                }
            )

        update_json_object(self._path, merge)
