"""Muted conversations: they never notify and do not count in the title's unread total.

A muted conversation still shows its unread count in the list; only the alerts stop. The set
lives in the account's message store (see :mod:`smstui.store.personal`): each change re-reads
what is stored first, so two smstui processes keep each other's mutes.

Pure: no Textual. Writing may raise :class:`OSError`; the caller reports it.
"""

from __future__ import annotations

from smstui.store.personal import MUTES, StateBackend

__all__ = ["MuteState"]


class MuteState:
    """The set of muted conversation keys, read on first use.

    Args:
        backend: Where the set is kept.
    """

    def __init__(self, backend: StateBackend) -> None:
        self._backend = backend
        self._muted: set[str] = set()
        self._loaded = False
        self.problem = ""
        """Why the stored set could not be read, ready to show; "" when fine."""

    def load(self) -> bool:
        """(Re)read the set; never raises. Returns True when the set changed."""
        before = set(self._muted) if self._loaded else None
        first = not self._loaded
        self._loaded = True
        result = self._backend.entries(MUTES)
        if first or result.problem:  # a reload keeps the first load's problem to be told
            self.problem = result.problem
        self._muted = set(result.entries)
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
            OSError: The store could not be written (the change is kept in memory).
        """
        if not self._loaded:
            self.load()
        if muted:
            self._muted.add(key)
        else:
            self._muted.discard(key)

        self._muted = set(self._backend.merge(MUTES, key, lambda _old: True if muted else None))

    def toggle(self, key: str) -> bool:
        """Mute an unmuted conversation or unmute a muted one; return whether it is muted now.

        Raises:
            OSError: The store could not be written (the change is kept in memory).
        """
        muted = not self.is_muted(key)
        self.set_muted(key, muted)
        return muted
