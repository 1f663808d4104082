"""The app's way into the message store: opened lazily, every call off the event loop.

The store is SQLite or PostgreSQL (:mod:`smstui.store.location` picks): each call blocks for a
moment (longer when another smstui process holds the write lock), so :class:`StoreAccess` runs
every call in a thread and never lets a store failure end the app. Each failure the README
promises to handle turns into one line in :attr:`StoreAccess.problem`:

- a file that cannot be used (a read-only directory): the messages are kept in memory;
- a file found damaged while in use ("database disk image is malformed"): it is set aside as
  ``<name>.corrupt-<time>`` and a fresh one is rebuilt from the gateway;
- a full disk: the reserve beside the store is given up so drafts and the outbox can still be
  written, and writes of messages wait until there is room again (:mod:`smstui.store.reserve`).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from smstui.domain.models import InboxItem, SentItem
from smstui.store import MessageStore
from smstui.store.files import is_damage, set_aside
from smstui.store.location import (
    STORE_ERRORS,
    StoreLocation,
    open_message_store,
    store_file_name,
)
from smstui.store.reserve import DiskStillFull, SpaceReserve, is_disk_full

__all__ = ["CurrentStore", "StoreAccess", "store_file_name"]

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
        # The whole file is checked only after an unclean stop (it reads every page, and the
        # list waits for the store); damage found later, by a call, is handled there.
        self._opener = opener or open_message_store
        self._store: MessageStore | None = None
        self._reserve: SpaceReserve | None = None
        self.disk_full = False
        """A write found the disk full; writes of messages wait for room (drafts don't)."""
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
                    await self._opened(self._store)
        return self._store

    async def _opened(self, store: MessageStore) -> None:
        if store.in_memory:
            where = store.path.parent if store.path is not None else "the data directory"
            self.problem = (
                f"Messages are kept in memory only this time: {where} cannot be written "
                f"({store.in_memory})"
            )
        elif store.set_aside is not None:
            self.problem = (
                "The message store was damaged; it was set aside as "
                f"{store.set_aside.name} and is being rebuilt from the gateway"
            )
        if store.path is not None and not store.in_memory:
            self._reserve = SpaceReserve(store.path)
            await asyncio.to_thread(self._reserve.keep)

    async def call(self, action: Callable[[MessageStore], T], *, writes: bool = False) -> T | None:
        """Run ``action(store)`` in a thread; None when there is no store or the call failed.

        Args:
            action: What to do with the store.
            writes: It writes messages: it waits (None at once) while the disk is full.
        """
        try:
            return await self.run(action, writes=writes)
        except STORE_ERRORS as error:
            logger.warning("store call failed: %s", error)
            if not self.problem.startswith("The disk is full"):
                self.problem = f"Could not update the message store: {_one_line(error)}"
            return None

    async def run(
        self, action: Callable[[MessageStore], T], *, writes: bool = False, again: bool = True
    ) -> T | None:
        """Like :meth:`call`, but a failure is raised (after being noted in :attr:`problem`).

        A damaged file is set aside and the action tried once more on the fresh store.

        Raises:
            sqlite3.Error, StoreError: The store failed (disk full, busy …).
        """
        store = await self.open()
        if store is None:
            return None
        if writes and self.disk_full and not await self._room_again():
            raise DiskStillFull("database or disk is full (waiting for room)")
        try:
            return await asyncio.to_thread(action, store)
        except STORE_ERRORS as error:
            if is_disk_full(error):
                await self._full(error)
            elif again and is_damage(error) and await self._rebuild(store, error):
                return await self.run(action, writes=writes, again=False)  # once, on the new
            raise

    async def offload(self, function: Callable[..., T], *args: object) -> T | None:
        """Run a :class:`CurrentStore` method through :meth:`run` (the backfill's offload)."""
        return await self.run(lambda _: function(*args), writes=function.__name__ != "cursor")

    async def _full(self, error: BaseException) -> None:
        self.disk_full = True
        self.problem = (
            "The disk is full: messages are not being stored until there is room "
            "(drafts and unsent messages are kept)"
        )
        logger.warning("the disk is full: %s", error)
        if self._reserve is not None:
            await asyncio.to_thread(self._reserve.release)

    async def _room_again(self) -> bool:
        if self._reserve is None or not await asyncio.to_thread(self._reserve.room):
            return False
        await asyncio.to_thread(self._reserve.keep)
        self.disk_full = False
        self.problem = ""
        logger.info("there is room on the disk again")
        return True

    async def _rebuild(self, damaged: MessageStore, error: BaseException) -> bool:
        """Set a store found damaged aside and open a fresh one; False when it cannot be."""
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:
            if self._store is not damaged:
                return self._store is not None  # another call has rebuilt it already
            path = damaged.path
            if path is None or damaged.in_memory or self.location is None:
                return False
            logger.warning("store %s is damaged (%s); setting it aside", path, error)
            self._store = None
            await asyncio.to_thread(damaged.close)
            try:
                aside = await asyncio.to_thread(set_aside, path)
                self._store = await asyncio.to_thread(self._opener, self.location)
            except _OPEN_ERRORS as failure:
                self._failed = True
                self.problem = f"Messages are not kept on this machine: {_one_line(failure)}"
                return False
            self.problem = (
                f"The message store was damaged; it was set aside as {aside.name} and is "
                "being rebuilt from the gateway"
            )
        return True

    def close(self) -> None:
        """Close the store (blocking; called when the app ends)."""
        if self._store is not None:
            self._store.close()
            self._store = None


class CurrentStore:
    """The store :class:`StoreAccess` holds at the moment of each call (it may be rebuilt).

    For long-running writers (the backfill) that would otherwise keep writing to a store that
    was found damaged and closed. Call its methods through :meth:`StoreAccess.run`.
    """

    def __init__(self, access: StoreAccess) -> None:
        self._access = access

    def _store(self) -> MessageStore:
        store = self._access.store
        if store is None:
            raise sqlite3.OperationalError("the message store is not open")
        return store

    def add_inbox_items(self, items: list[InboxItem]) -> list[str]:
        """:meth:`MessageStore.add_inbox_items` of the current store."""
        return self._store().add_inbox_items(items)

    def add_sent_items(self, items: list[SentItem]) -> list[str]:
        """:meth:`MessageStore.add_sent_items` of the current store."""
        return self._store().add_sent_items(items)

    def cursor(self, name: str) -> str | None:
        """:meth:`MessageStore.cursor` of the current store."""
        return self._store().cursor(name)

    def set_cursor(self, name: str, value: str | None) -> None:
        """:meth:`MessageStore.set_cursor` of the current store."""
        self._store().set_cursor(name, value)


def _one_line(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:160]
