"""Fixtures for the sync tests: the fake gateway's client fixtures, and a real store file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smstui.store import MessageStore, SqliteStore
from tests.api.conftest import gateway, make_client, sleeps

__all__ = ["gateway", "make_client", "sleeps", "store"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[MessageStore]:
    """A real SQLite store file, closed afterwards."""
    opened = SqliteStore.open(tmp_path / "data" / "messages.sqlite3")
    try:
        yield opened
    finally:
        opened.close()
