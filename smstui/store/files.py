"""The store's file on disk: created private, opened with the right pragmas, set aside if damaged.

The store is a cache of what the gateway holds, so a damaged file is not repaired: it is renamed
out of the way (kept, for a bug report or a manual rescue) and a fresh one is rebuilt by sync.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import sqlite3
import stat
import time
from pathlib import Path

from smstui.store.schema import SchemaTooNewError, migrate
from smstui.system.paths import PRIVATE_FILE_MODE, ensure_private_dir

__all__ = [
    "DamagedStoreError",
    "OpenMarker",
    "cannot_write_here",
    "create_private_file",
    "is_damage",
    "open_file",
    "open_memory",
    "open_shared",
    "set_aside",
]

BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another process's transaction before giving up."""

_SIDE_FILES = ("-wal", "-shm", "-journal")
# SQLite's primary result codes for "this is not (or no longer) a sound database file".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
# … and for "this place cannot be written": no permission, read-only, I/O error, full, can't open.
_CANNOT_WRITE = frozenset({3, 8, 10, 13, 14})
_MARKER = ".open-"


class DamagedStoreError(Exception):
    """The file is not a usable store: not a database, corrupt, or from a newer release."""


def create_private_file(path: Path) -> None:
    """Make sure ``path`` exists with mode 0600 before SQLite opens it.

    SQLite would create a missing file 0644 (filtered by the umask); it gives the ``-wal`` and
    ``-shm`` files the database file's mode, so a 0600 database keeps them private too.

    Args:
        path: The database file; its directory must exist.
    """
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        found = None
    if found is not None:
        # Never open an existing file here: SQLite's locks are POSIX record locks, which this
        # process loses when it closes any descriptor of the file. Another connection of this
        # process would silently lose its locks, and another process, taking itself for the
        # last user, would delete the write-ahead log that connection still writes to.
        if not stat.S_ISREG(found.st_mode):
            raise OSError(f"the store {path} is not a regular file")
        if stat.S_IMODE(found.st_mode) != PRIVATE_FILE_MODE:
            os.chmod(path, PRIVATE_FILE_MODE)  # it may have been made wider
        return
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, PRIVATE_FILE_MODE)
    except FileExistsError:  # another process created it a moment ago
        create_private_file(path)
        return
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)  # the umask may have removed bits
    finally:
        os.close(fd)


def _tighten_side_files(path: Path) -> None:
    """Set the -wal/-shm files to 0600 (belt and braces: SQLite already copies the db's mode)."""
    for suffix in _SIDE_FILES:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(path.with_name(path.name + suffix), PRIVATE_FILE_MODE)


def is_damage(error: BaseException) -> bool:
    """Tell whether an exception means the file is damaged (not merely busy or read-only).

    A locked database must never be mistaken for a corrupt one: setting aside a healthy store
    that another process is writing would throw its data away.

    Args:
        error: What opening or checking the file raised.

    Returns:
        True for "not a database", "malformed" and a schema newer than this release knows.
    """
    if isinstance(error, SchemaTooNewError | DamagedStoreError):
        return True
    if isinstance(error, sqlite3.ProgrammingError | sqlite3.InterfaceError):
        return False  # a misuse (a closed connection), never the file's fault
    if isinstance(error, sqlite3.DatabaseError):
        code = getattr(error, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
        return not isinstance(error, sqlite3.OperationalError)
    return False


def cannot_write_here(error: BaseException) -> bool:
    """Tell whether opening failed because the place cannot hold a store (not busy, not damage).

    A read-only or missing-permission directory, a path under a file, a read-only file system,
    a full disk: the app then keeps its messages in memory instead (:func:`open_memory`).
    """
    if isinstance(error, OSError):
        return True
    if isinstance(error, sqlite3.OperationalError):
        code = getattr(error, "sqlite_errorcode", None)
        return code is not None and code & 0xFF in _CANNOT_WRITE
    return False


class OpenMarker:
    """A file beside the store saying "a process has it open": removed when it closes cleanly.

    A marker whose process is gone means that process stopped without closing (killed, a power
    cut): only then is the whole file checked (``quick_check`` reads all of it, 0.46 s for a
    million messages), and not at every open by a reading command.
    """

    def __init__(self, path: Path) -> None:
        self._store = path
        self.path: Path | None = path.with_name(
            f"{path.name}{_MARKER}{os.getpid()}-{secrets.token_hex(4)}"
        )
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
            os.close(fd)
        except OSError:  # no room or no permission: nothing is marked, nothing is checked
            self.path = None

    @staticmethod
    def unclean_stops(path: Path) -> list[Path]:
        """Markers of processes that are gone without closing the store at ``path``."""
        stale = []
        for marker in path.parent.glob(f"{glob.escape(path.name)}{_MARKER}*"):
            pid = marker.name[len(path.name) + len(_MARKER) :].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                stale.append(marker)
        return stale

    def close(self) -> None:
        """The store was closed cleanly: remove the marker."""
        if self.path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            self.path = None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def open_file(
    path: Path, *, verify: bool | None = None
) -> tuple[sqlite3.Connection, Path | None, OpenMarker]:
    """Open the store file, setting it aside and starting afresh if it is damaged.

    Args:
        path: The database file (created 0600 if missing, its directory 0700).
        verify: Run ``PRAGMA quick_check`` (reads the whole file): True always, False never,
            None (the default) only when a process stopped without closing it.

    Returns:
        An autocommit connection usable from any thread (callers serialise with a lock), where
        a damaged file was moved (None when the file was sound), and this opening's marker
        (close it when the connection is closed cleanly).
    """
    ensure_private_dir(path.parent)
    create_private_file(path)
    stale = OpenMarker.unclean_stops(path)
    check = bool(stale) if verify is None else verify
    connection = _connect(path)
    try:
        _prepare(connection, verify=check)
    except Exception as error:
        if not is_damage(error):
            connection.close()
            raise
        # Rename while SQLite still holds the files: closing first would let it delete the
        # -wal and -shm files it opened, which belong to the evidence being kept.
        aside = set_aside(path)
        connection.close()
    else:
        _forget(stale)
        return connection, None, OpenMarker(path)
    _forget(stale)
    create_private_file(path)
    connection = _connect(path)
    try:
        _prepare(connection, verify=False)
    except BaseException:
        connection.close()
        raise
    return connection, aside, OpenMarker(path)


def _forget(markers: list[Path]) -> None:
    for marker in markers:
        with contextlib.suppress(OSError):
            os.unlink(marker)


def open_memory() -> sqlite3.Connection:
    """A store that lives in memory only, for when no file can be used (read-only, full).

    Returns:
        An autocommit connection to a fresh in-memory database at the current schema.
    """
    connection = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA foreign_keys = ON")
    migrate(connection)
    return connection


def open_shared(path: Path) -> sqlite3.Connection:
    """Open a second connection to a store file, never setting it aside.

    For the local state (:mod:`smstui.store.local_state`), opened beside the message store's
    own connection: deciding that a file is damaged, and moving it, is left to that one, so two
    openers can never both rename the file. The schema is brought up to date all the same
    (under the write lock, so it does not matter which connection comes first).

    Raises:
        sqlite3.Error: The file could not be opened, is damaged or is too new.
        SchemaTooNewError: The file comes from a newer release.
        OSError: The directory or the file could not be created.
    """
    ensure_private_dir(path.parent)
    create_private_file(path)
    connection = _connect(path)
    try:
        _prepare(connection, verify=False)
    except BaseException:
        connection.close()
        raise
    return connection


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions; writes use explicit BEGIN IMMEDIATE so
    # a writer waits for the lock up front (busy_timeout) instead of failing on an upgrade.
    # timeout=0: the wait is set by PRAGMA busy_timeout in _prepare, in one place (Python's
    # default of 5 s would otherwise hide a missing pragma).
    return sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)


def _prepare(connection: sqlite3.Connection, *, verify: bool) -> None:
    """Set the pragmas, check the file and bring its schema up to date.

    Raises:
        DamagedStoreError: ``quick_check`` found a problem.
        SchemaTooNewError: The file comes from a newer release.
        sqlite3.DatabaseError: SQLite could not read the file (see :func:`is_damage`).
    """
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _enter_wal(connection)
    # NORMAL is durable enough in WAL mode (a power cut may lose the last commits, which
    # sync fetches again) and avoids an fsync per transaction.
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA foreign_keys = ON")
    if verify:
        verdict = connection.execute("PRAGMA quick_check").fetchall()
        if verdict != [("ok",)]:
            raise DamagedStoreError(f"quick_check: {verdict[:3]!r}")
    migrate(connection)
    path = Path(connection.execute("PRAGMA database_list").fetchone()[2])
    _tighten_side_files(path)


def _enter_wal(connection: sqlite3.Connection) -> None:
    """Switch the file to WAL, waiting out another process that is switching it at the same time.

    Two processes creating one new store both hold a shared lock when they ask for WAL; SQLite
    answers one of them "database is locked" at once, without the busy handler, rather than
    deadlock. The other one's switch lasts milliseconds: ask again until it is done.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def set_aside(path: Path) -> Path:
    """Rename a damaged store (and its -wal/-shm files) to ``<name>.corrupt-<time>``.

    Args:
        path: The database file.

    Returns:
        The new path of the database file; its side files get the same name plus suffix.
    """
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    for suffix in _SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    os.replace(path, target)
    return target
