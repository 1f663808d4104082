"""The store's small state, and the connection interface the shared SQL is written against.

Small state: sync cursors, reading positions, the last open conversation, our numbers.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from smstui.store.folding import safe_text

__all__ = ["Connection", "Rows", "SmallState"]

_CURSOR = "cursor:"
_LAST_OPEN = "app:last_open"


class Rows(Protocol):
    """What a statement returns: rows to fetch or iterate (a DB-API cursor)."""

    def fetchone(self) -> Any:
        """Return the next row, or None."""

    def fetchall(self) -> list[Any]:
        """Return the remaining rows."""

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """The part of a DB-API connection the shared SQL uses, with ``?`` placeholders."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Rows:
        """Run one statement."""

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> object:
        """Run one statement for each parameter row."""


class SmallState:
    """Cursors, positions, the last open conversation and our numbers (mixed into the store)."""

    @abstractmethod
    def _read(self) -> AbstractContextManager[Connection]: ...

    @abstractmethod
    def _write(self) -> AbstractContextManager[Connection]: ...

    def set_own_numbers(self, numbers: Iterable[str]) -> None:
        """Replace the list of our receiving numbers (``GET /vmn``)."""
        unique = sorted({safe_text(number) for number in numbers if number})
        with self._write() as connection:
            connection.execute("DELETE FROM own_numbers")
            connection.executemany(
                "INSERT INTO own_numbers (number) VALUES (?)", [(n,) for n in unique]
            )

    def own_numbers(self) -> tuple[str, ...]:
        """Return our receiving numbers, sorted."""
        with self._read() as connection:
            rows = connection.execute("SELECT number FROM own_numbers ORDER BY number").fetchall()
        return tuple(row[0] for row in rows)

    # -- small state ------------------------------------------------------------------------

    def _get(self, name: str) -> str | None:
        with self._read() as connection:
            row = connection.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def _set(self, name: str, value: str | None) -> None:
        with self._write() as connection:
            if value is None:
                connection.execute("DELETE FROM state WHERE name = ?", (name,))
            else:
                connection.execute(
                    "INSERT INTO state (name, value) VALUES (?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    (name, safe_text(value)),
                )

    def cursor(self, name: str) -> str | None:
        """Return a sync cursor (an opaque string the sync engine saved), or None."""
        return self._get(_CURSOR + safe_text(name))

    def set_cursor(self, name: str, value: str | None) -> None:
        """Save a sync cursor; None removes it."""
        self._set(_CURSOR + safe_text(name), value)

    def last_open(self) -> str | None:
        """Return the key of the conversation open when the app last ran, or None."""
        return self._get(_LAST_OPEN)

    def set_last_open(self, key: str | None) -> None:
        """Remember which conversation is open (None: none)."""
        self._set(_LAST_OPEN, key)

    def position(self, conversation_key: str) -> str | None:
        """Return the key of the message the user was reading in a conversation, or None."""
        with self._read() as connection:
            row = connection.execute(
                "SELECT message_key FROM positions WHERE conversation_key = ?",
                (safe_text(conversation_key),),
            ).fetchone()
        return None if row is None else str(row[0])

    def set_position(self, conversation_key: str, message_key: str | None) -> None:
        """Remember the reading position in a conversation; None forgets it."""
        conversation = safe_text(conversation_key)
        with self._write() as connection:
            if message_key is None:
                connection.execute(
                    "DELETE FROM positions WHERE conversation_key = ?", (conversation,)
                )
            else:
                connection.execute(
                    "INSERT INTO positions (conversation_key, message_key) VALUES (?, ?) "
                    "ON CONFLICT (conversation_key) DO UPDATE SET message_key = "
                    "excluded.message_key",
                    (conversation, safe_text(message_key)),
                )
