"""Store fixtures: a real SQLite file under the test's temporary directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smstui.store import MessageStore


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "account" / "store.sqlite3"


@pytest.fixture
def store(store_path: Path) -> Iterator[MessageStore]:
    opened = MessageStore.open(store_path)
    yield opened
    opened.close()
