"""The errors a store raises, on either engine (kept apart so every store module can use them)."""

from __future__ import annotations

import sqlite3

__all__ = ["STORE_ERRORS", "StoreError"]


class StoreError(Exception):
    """A store on a server failed: one line of text, password masked.

    The driver's error, if any, is its cause.
    """


STORE_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, StoreError)
"""What a store call may raise when the database fails, on either engine: catch these."""
