"""Store fixtures: a real SQLite file, or a real PostgreSQL schema (tests/pg_fixtures.py).

``store`` runs a test on both engines (ids ``[sqlite]`` and ``[postgres]``): every test of
behaviour through the public interface takes it. ``sqlite_store`` is for facts about the SQLite
file only (FTS5 segments, query plans, pragmas).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smstui.store import MessageStore
from smstui.store.postgres_store import PostgresStore
from smstui.store.sqlite_store import SqliteStore
from smstui.system.secret import SecretUrl

ENGINES = ["sqlite", "postgres"]


@pytest.fixture(autouse=True)
def searches_run_to_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    """Store searches here take no wall-clock budget unless a test passes ``budget_s``.

    These tests are about what is found; on a busy machine (two test runs on two cores) the
    default 30 ms cut a PostgreSQL search short and a test saw no hits. The budget's own tests
    pass it explicitly, with a clock of their own.
    """
    for engine in (SqliteStore, PostgresStore):
        monkeypatch.setitem(engine.search.__kwdefaults__, "budget_s", None)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "account" / "store.sqlite3"


@pytest.fixture
def sqlite_store(store_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore.open(store_path)
    yield opened
    opened.close()


@pytest.fixture
def pg_store(pg_url: SecretUrl, pg_schema: str) -> Iterator[MessageStore]:
    opened = PostgresStore.open(pg_url, pg_schema)
    yield opened
    opened.close()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(engine: str, request: pytest.FixtureRequest) -> MessageStore:
    fixture = "sqlite_store" if engine == "sqlite" else "pg_store"
    opened: MessageStore = request.getfixturevalue(fixture)
    return opened
