"""The app's way into the message store: opened lazily, every call off the event loop.

The store is SQLite or PostgreSQL (:mod:`smstui.store.location` picks): each call blocks for a
moment (longer when another smstui process holds the write lock), so :class:`StoreAccess` runs
every call in a thread and never lets a store failure end the app. A store that cannot be
opened or written (a full disk, a read-only directory) turns into one line in
:attr:`StoreAccess.problem`; the app goes on as a live view of the gateway, as it did before it
had a store.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from smstui.store import MessageStore
from smstui.store.location import (
    STORE_ERRORS,
    StoreLocation,
    open_message_store,
    store_file_name,
)

__all__ = ["StoreAccess", "store_file_name"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

_OPEN_ERRORS: tuple[type[BaseException], ...] = (*STORE_ERRORS, OSError)


class StoreAccess:
    """Opens the store on first use and runs each call in a thread.

    Args:
        where: The account's store (a bare path: its SQLite file), or None for no store
            (every call then returns None).
        opener: Opens it (tests may pass one that fails).
    """

    def __init__(
        self,
        where: StoreLocation | Path | None,
        *,
        opener: Callable[[StoreLocation], MessageStore] | None = None,
    ) -> None:
        self.location = StoreLocation(path=where) if isinstance(where, Path) else where
        """Where the store is (``str()`` masks a password), or None."""
        self.path = self.location.path if self.location is not None else None
        """The SQLite file (also named when the store is on a server), or None."""
        # No full quick_check when opening: it reads the whole file (about a second per GB)
        # and the list waits for the store. A file that is not a database is still caught
        # when it opens; damage deeper in shows as a failed call, which is reported.
        self._opener = opener or (lambda location: open_message_store(location, verify=False))
        self._store: MessageStore | None = None
        self._opening: asyncio.Lock | None = None
        self._failed = where is None
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
            if self._store is None and not self._failed and self.location is not None:
                try:
                    self._store = await asyncio.to_thread(self._opener, self.location)
                except _OPEN_ERRORS as error:
                    self._failed = True
                    self.problem = f"Messages are not kept on this machine: {_one_line(error)}"
                    logger.warning("store %s could not be opened: %s", self.location, error)
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
        except STORE_ERRORS as error:
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
