"""Unsent drafts, one per conversation, kept across conversation switches and restarts.

A draft belongs to exactly one conversation key (digits-only number or lower-cased sender
name), so text typed for one person never appears in another conversation. Drafts live in the
account's message store (see :mod:`smstui.store.personal`).

The store writes on every :meth:`DraftStore.set` that changes something; debouncing keystrokes
is the caller's job. A write re-reads what is stored and changes only that one conversation's
draft, so two smstui processes never erase each other's drafts.
"""

from __future__ import annotations

from typing import Any

from smstui.store.personal import DRAFTS, StateBackend

__all__ = ["DraftStore"]


class DraftStore:
    """Drafts by conversation key, persisted in the account's store.

    Nothing is read until the first use: :meth:`load` reads the drafts, and any other method
    loads them first if that has not happened yet (or again, when another process wrote
    since), so a :meth:`set` can never overwrite drafts that were not read.

    Args:
        backend: Where the drafts are kept (shared with the other local state of the screen).
    """

    def __init__(self, backend: StateBackend) -> None:
        self.backend = backend
        """Where the drafts are kept (shared with the other local state of the screen)."""
        self._drafts: dict[str, str] = {}
        self._loaded = False
        self._version: tuple[int, ...] = ()
        self.problem = ""
        """Why the stored drafts could not be read at load, ready to show; "" when they could."""

    def load(self) -> None:
        """(Re)read the drafts, replacing what is in memory; never raises.

        Entries that are not text are skipped.
        """
        self._loaded = True
        self._version = self.backend.version()
        result = self.backend.entries(DRAFTS)
        self.problem = result.problem
        self._drafts = _drafts_in(result.entries)

    def _ensure_loaded(self) -> None:
        if not self._loaded:
            self.load()
        elif (version := self.backend.version()) != self._version:
            # Another process wrote: take its drafts in (the load's problem stays to be told).
            self._version = version
            self._drafts = _drafts_in(self.backend.entries(DRAFTS).entries)

    def get(self, key: str) -> str:
        """Return the draft of a conversation, or "" when it has none.

        Args:
            key: The conversation key.
        """
        self._ensure_loaded()
        return self._drafts.get(key, "")

    def set(self, key: str, text: str) -> bool:
        """Store (or, for blank text, delete) a conversation's draft.

        Nothing is written when the draft is unchanged, so calling this often is cheap.
        Whitespace-only text counts as blank: it deletes the draft.

        Args:
            key: The conversation key.
            text: The draft, exactly as typed.

        Returns:
            True when the stored drafts changed (and were written).

        Raises:
            OSError: The store could not be written; the draft is still kept in memory.
        """
        self._ensure_loaded()
        blank = not text.strip()
        if (blank and key not in self._drafts) or (not blank and self._drafts.get(key) == text):
            return False
        if blank:
            self._drafts.pop(key, None)
        else:
            self._drafts[key] = text

        # Only this conversation's draft changes: another process's drafts stay.
        written = self.backend.merge(DRAFTS, key, lambda _stored: None if blank else text)
        self._drafts = _drafts_in(written)
        self._version = self.backend.version()
        return True

    def keys(self) -> list[str]:
        """Return the keys of the conversations that have a draft, sorted."""
        self._ensure_loaded()
        return sorted(self._drafts)

    def __contains__(self, key: object) -> bool:
        self._ensure_loaded()
        return key in self._drafts


def _drafts_in(stored: dict[str, Any]) -> dict[str, str]:
    """The usable drafts of what is stored (blank and non-text entries skipped)."""
    return {
        key: text
        for key, text in stored.items()
        if isinstance(key, str) and key and isinstance(text, str) and text.strip()
    }
