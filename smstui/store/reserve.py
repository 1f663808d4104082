"""Room kept on the disk for what is small and must not be lost: drafts and unsent messages.

The history backfill can fill a disk with messages the gateway still holds. A file of a few
megabytes beside the store holds space back; when a write finds the disk full, the file is
removed, so drafts and the outbox (a few bytes each) can still be written, and the big writes
wait until there is room again (:meth:`SpaceReserve.room`), then take the reserve back.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from pathlib import Path

from smstui.system.paths import PRIVATE_FILE_MODE

__all__ = ["RESERVE_BYTES", "DiskStillFull", "SpaceReserve", "is_disk_full"]

RESERVE_BYTES = 2 * 1024 * 1024
"""Space held back for drafts and the outbox."""

_SQLITE_FULL = 13


class DiskStillFull(sqlite3.OperationalError):
    """A write of messages was not tried: the disk was full and has no room yet."""


def is_disk_full(error: BaseException) -> bool:
    """Tell whether a store error (or an OS error) says the disk is full."""
    if isinstance(error, DiskStillFull):
        return True
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        return code is not None and code & 0xFF == _SQLITE_FULL
    return isinstance(error, OSError) and error.errno == 28  # ENOSPC


class SpaceReserve:
    """The reserve file beside one store file.

    Args:
        store: The store's database file.
        size: Bytes held back.
    """

    def __init__(self, store: Path, size: int = RESERVE_BYTES) -> None:
        self.path = store.with_name(store.name + ".reserve")
        self._size = size

    def keep(self) -> bool:
        """Make sure the reserve exists (written out, not sparse); False when there is no room."""
        try:
            if self.path.stat().st_size >= self._size:
                return True
        except OSError:
            pass
        if not self.room():
            return False
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
            try:
                os.write(fd, bytes(self._size))  # real blocks: a sparse file frees nothing
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:
            self.release()
            return False
        return True

    def release(self) -> None:
        """Give the space back to the disk (the disk is full: small writes come first)."""
        with contextlib.suppress(OSError):
            os.unlink(self.path)

    def room(self) -> bool:
        """Whether the disk has room for the reserve and as much again for big writes."""
        try:
            return shutil.disk_usage(self.path.parent).free >= 2 * self._size
        except OSError:
            return False
