"""Where an account's store is, and opening it: the one place that picks the engine.

Without ``store_url`` (config) or ``SMSTOOLS_STORE_URL`` the store is the SQLite file
``<data dir>/messages-<hash>.sqlite3``, as it always was. With a ``postgresql://`` URL it is
the schema ``smstui_<hash>`` on that server: the same hash of client id and gateway URL, so
each account (and each gateway) keeps its own messages, on either engine.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from smstui.store.base import MessageStore
from smstui.store.errors import STORE_ERRORS, StoreError
from smstui.store.files import cannot_write_here
from smstui.store.sqlite_store import SqliteStore
from smstui.system.secret import SecretUrl

__all__ = [
    "STORE_ERRORS",
    "StoreError",
    "StoreLocation",
    "account_key",
    "account_schema",
    "open_message_store",
    "store_file_name",
]

logger = logging.getLogger(__name__)


def account_key(client_id: str, base_url: str) -> str:
    """Return the 16-hex-digit name of one account: one per client id and gateway URL.

    A hash, so neither the id nor the URL shows in a directory listing or a schema list.
    """
    material = f"{client_id}\n{base_url.rstrip('/')}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


def store_file_name(client_id: str, base_url: str) -> str:
    """Return the account's SQLite file name."""
    return f"messages-{account_key(client_id, base_url)}.sqlite3"


def account_schema(client_id: str, base_url: str) -> str:
    """Return the account's PostgreSQL schema name."""
    return f"smstui_{account_key(client_id, base_url)}"


@dataclass(frozen=True)
class StoreLocation:
    """One account's store: a SQLite file, or a schema on a PostgreSQL server."""

    path: Path
    """The SQLite file (used when :attr:`url` is None)."""
    url: SecretUrl | None = None
    """The PostgreSQL server, or None for SQLite."""
    schema: str = ""
    """The account's schema on the server."""

    @classmethod
    def for_account(
        cls, client_id: str, base_url: str, data_dir: Path, url: SecretUrl | None = None
    ) -> StoreLocation:
        """Return the location of an account's store (PostgreSQL when ``url`` is given)."""
        return cls(
            path=data_dir / store_file_name(client_id, base_url),
            url=url,
            schema=account_schema(client_id, base_url) if url is not None else "",
        )

    def __str__(self) -> str:
        if self.url is None:
            return str(self.path)
        return f"{self.url.masked()} (schema {self.schema})"


def open_message_store(
    where: StoreLocation | Path, *, verify: bool | None = None, memory_fallback: bool = True
) -> MessageStore:
    """Open (or create) an account's store on the engine its location names.

    Args:
        where: The location (a bare path: the SQLite file).
        verify: SQLite only: run ``quick_check`` (see :meth:`.SqliteStore.open`).
        memory_fallback: SQLite only: where the file cannot be used (a read-only directory,
            a full disk), keep the messages in memory for this run instead of failing; the
            store's ``in_memory`` then says why.

    Returns:
        The open store.

    Raises:
        StoreError: The PostgreSQL server is unreachable or refused (one line, password masked).
        sqlite3.Error, OSError: The SQLite file could not be opened.
    """
    if isinstance(where, Path):
        where = StoreLocation(path=where)
    if where.url is None:
        try:
            return SqliteStore.open(where.path, verify=verify)
        except (sqlite3.Error, OSError) as error:
            if not memory_fallback or not cannot_write_here(error):
                raise
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            logger.warning("store %s cannot be used, kept in memory: %s", where.path, reason)
            return SqliteStore.open_memory(where.path, reason[:160])
    from smstui.store.postgres_store import PostgresStore  # psycopg loads only when used

    return PostgresStore.open(where.url, where.schema)
