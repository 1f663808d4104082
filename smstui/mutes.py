"""Muted conversations: they never notify and do not count in the title's unread total.

A muted conversation still shows its unread count in the list; only the alerts stop. The set
lives in ``mutes.json`` in the state directory, written like the read state (see
:mod:`smstui.state_file`): mode 0600, atomically, under a lock, each change re-reading the file
first so two smstui processes on one state directory keep each other's mutes. A file that
cannot be read is moved aside and the set starts empty (:attr:`MuteState.problem` says so).

Pure: no Textual. Writing may raise :class:`OSError`; the caller reports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smstui.state_file import load_json_object, update_json_object

__all__ = ["MUTES_FILE_NAME", "MuteState"]

MUTES_FILE_NAME = "mutes.json"
_FORMAT_VERSION = 1


def _keys(data: dict[str, Any] | None) -> set[str]:
    muted = data.get("muted") if data is not None else None
    if not isinstance(muted, list):
        return set()
    return {key for key in muted if isinstance(key, str) and key}


class MuteState:
    """The set of muted conversation keys, read on first use.

    Args:
        directory: The state directory.
    """

    def __init__(self, directory: Path) -> None:
        self._path = directory / MUTES_FILE_NAME
        self._muted: set[str] = set()
        self._loaded = False
        self.problem = ""
        """Why the file could not be used, ready to show; "" when fine."""

    @property
    def path(self) -> Path:
        """The mutes file."""
        return self._path

    def load(self) -> bool:
        """(Re)read the file; never raises. Returns True when the set changed."""
        before = set(self._muted) if self._loaded else None
        self._loaded = True
        result = load_json_object(self._path)
        self.problem = result.problem
        self._muted = _keys(result.data)
        return before is not None and before != self._muted

    @property
    def keys(self) -> frozenset[str]:
        """The muted conversation keys."""
        if not self._loaded:
            self.load()
        return frozenset(self._muted)

    def is_muted(self, key: str) -> bool:
        """Whether a conversation is muted."""
        return key in self.keys

    def set_muted(self, key: str, muted: bool) -> None:
        """Mute or unmute one conversation, keeping what other processes wrote meanwhile.

        Raises:
            OSError: The file could not be written (the change is kept in memory).
        """
        if not self._loaded:
            self.load()
        if muted:
            self._muted.add(key)
        else:
            self._muted.discard(key)

        def change(data: dict[str, Any]) -> None:
            on_disk = _keys(data)
            if muted:
                on_disk.add(key)
            else:
                on_disk.discard(key)
            self._muted = on_disk
            data.clear()
            data.update({"version": _FORMAT_VERSION, "muted": sorted(on_disk)})

        update_json_object(self._path, change)

    def toggle(self, key: str) -> bool:
        """Mute an unmuted conversation or unmute a muted one; return whether it is muted now.

        Raises:
            OSError: The file could not be written (the change is kept in memory).
        """
        muted = not self.is_muted(key)
        self.set_muted(key, muted)
        return muted
