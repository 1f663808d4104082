"""The local message store: one SQLite file per account (design §13), or PostgreSQL (team mode).

:class:`MessageStore` is the interface; ``SqliteStore.open(path)`` opens the default SQLite
file, :func:`smstui.store.location.open_message_store` whichever engine the settings name. No
Textual here; the PostgreSQL driver is imported only when a store URL is used.
"""

from __future__ import annotations

from smstui.store.base import MessageStore
from smstui.store.search import MessageHit, SearchResults
from smstui.store.sqlite_store import SqliteStore

__all__ = ["MessageHit", "MessageStore", "SearchResults", "SqliteStore"]
