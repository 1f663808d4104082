"""The local message store: one SQLite file per account (design §13).

Pure: stdlib ``sqlite3`` only, no Textual. The sync engine writes to it; the panes read windows
of messages, conversation summaries and search results from it.
"""

from __future__ import annotations

from smstui.store.search import MessageHit, SearchResults
from smstui.store.sqlite_store import MessageStore

__all__ = ["MessageHit", "MessageStore", "SearchResults"]
