"""The faults the README promises to handle, on real SQLite files.

- The whole file is checked (``quick_check``) only when a process stopped without closing it,
  never at every open by a reading command.
- A file that cannot be written (a read-only directory) gives a store in memory, said once.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import smstui.store.files
from smstui.store.location import open_message_store
from smstui.store.sqlite_store import SqliteStore
from tests.store.helpers import THEIRS, inbound, read_only


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every SQL statement the store's connections run (SQLite's own trace callback)."""
    seen: list[str] = []
    connect = smstui.store.files._connect

    def traced(path: Path) -> sqlite3.Connection:
        connection = connect(path)
        connection.set_trace_callback(seen.append)
        return connection

    monkeypatch.setattr(smstui.store.files, "_connect", traced)
    return seen


def checks(statements: list[str]) -> int:
    return sum(1 for statement in statements if "quick_check" in statement.lower())


def filled(path: Path) -> None:
    with SqliteStore.open(path) as store:
        store.add_messages(THEIRS, [inbound(f"message {n}", 1_760_000_000 + n) for n in range(50)])


def test_opening_after_a_clean_close_checks_nothing(tmp_path: Path, statements: list[str]) -> None:
    path = tmp_path / "messages.sqlite3"
    filled(path)
    for _ in range(3):  # what `smstui search` does at every call: open, read, close
        with open_message_store(path) as store:
            assert store.search("message 4").messages
    assert checks(statements) == 0
    assert [p.name for p in tmp_path.iterdir() if ".open-" in p.name] == []


def test_opening_after_an_unclean_stop_checks_the_whole_file_once(
    tmp_path: Path, statements: list[str]
) -> None:
    path = tmp_path / "messages.sqlite3"
    filled(path)
    # A writer that is killed with the store open (no close: os._exit).
    code = (
        "import os, sys; from pathlib import Path; from smstui.store.sqlite_store import "
        "SqliteStore; s = SqliteStore.open(Path(sys.argv[1])); s.set_cursor('x', '1'); "
        "os._exit(9)"
    )
    child = subprocess.run([sys.executable, "-c", code, str(path)], check=False, timeout=60)
    assert child.returncode == 9
    with open_message_store(path) as store:
        assert store.cursor("x") == "1"
    assert checks(statements) == 1
    with open_message_store(path):
        pass
    assert checks(statements) == 1, "checked once: the dead process's mark is gone"


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """A data directory holding a store, that no one can write into."""
    directory = tmp_path / "data"
    directory.mkdir()
    filled(directory / "messages.sqlite3")
    with read_only(directory):
        yield directory


def test_a_read_only_directory_gives_a_store_in_memory(read_only_dir: Path) -> None:
    store = open_message_store(read_only_dir / "messages.sqlite3")
    try:
        assert store.in_memory, "it says why"
        store.add_messages(THEIRS, [inbound("kept for this run", 1_760_000_100)])
        assert [m.text for m in store.messages(THEIRS)] == ["kept for this run"]
    finally:
        store.close()
    with pytest.raises((OSError, sqlite3.Error)):
        open_message_store(read_only_dir / "messages.sqlite3", memory_fallback=False)
