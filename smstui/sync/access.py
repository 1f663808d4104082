"""The app's way into the message store: opened lazily, every call off the event loop.

The store is SQLite: each call blocks for a moment (longer when another smstui process holds
the write lock), so :class:`StoreAccess` runs every call in a thread and never lets a store
failure end the app. A store that cannot be opened or written (a full disk, a read-only
directory) turns into one line in :attr:`StoreAccess.problem`; the app goes on as a live view
of the gateway, as it did before it had a store.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from smstui.store import MessageStore

__all__ = ["StoreAccess", "store_file_name"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


def store_file_name(client_id: str, base_url: str) -> str:
    """Return the store's file name for one account: one file per client id and gateway URL.

    The name is a hash, so neither the id nor the URL shows in a directory listing.
    """
    material = f"{client_id}\n{base_url.rstrip('/')}".encode()
    return f"messages-{hashlib.sha256(material).hexdigest()[:16]}.sqlite3"


class StoreAccess:
    """Opens the store on first use and runs each call in a thread.

    Args:
        path: The store file, or None for no store (every call then returns None).
        opener: Opens the file (tests may pass one that fails).
    """

    def __init__(
        self, path: Path | None, *, opener: Callable[[Path], MessageStore] | None = None
    ) -> None:
        self.path = path
        # No full quick_check when opening: it reads the whole file (about a second per GB)
        # and the list waits for the store. A file that is not a database is still caught
        # when it opens; damage deeper in shows as a failed call, which is reported.
        self._opener = opener or (lambda where: MessageStore.open(where, verify=False))
        self._store: MessageStore | None = None
        self._opening: asyncio.Lock | None = None
        self._failed = path is None
        self.problem = ""
        """One line saying why the store is not in use or was rebuilt ("" when all is well)."""

    @property
    def unavailable(self) -> bool:
        """True when there is no store, or it could not be opened (calls return None at once)."""
        return self._failed

    @property
    def store(self) -> MessageStore | None:
        """The open store, or None before it is opened or when it could not be."""
        return self._store

    async def open(self) -> MessageStore | None:
        """Open the store (once; later calls return the same one), or None when it can't be."""
        if self._store is not None or self._failed:
            return self._store
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:
            if self._store is None and not self._failed and self.path is not None:
                try:
                    self._store = await asyncio.to_thread(self._opener, self.path)
                except (sqlite3.Error, OSError) as error:
                    self._failed = True
                    self.problem = f"Messages are not kept on this machine: {_one_line(error)}"
                    logger.warning("store %s could not be opened: %s", self.path, error)
                else:
                    if self._store.set_aside is not None:
                        self.problem = (
                            "The message store was damaged; it was set aside as "
                            f"{self._store.set_aside.name} and is being rebuilt from the gateway"
                        )
        return self._store

    async def call(self, action: Callable[[MessageStore], T]) -> T | None:
        """Run ``action(store)`` in a thread; None when there is no store or the call failed."""
        store = await self.open()
        if store is None:
            return None
        try:
            return await asyncio.to_thread(action, store)
        except sqlite3.Error as error:
            logger.warning("store call failed: %s", error)
            self.problem = f"Could not update the message store: {_one_line(error)}"
            return None

    def close(self) -> None:
        """Close the store (blocking; called when the app ends)."""
        if self._store is not None:
            self._store.close()
            self._store = None


def _one_line(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:160]
