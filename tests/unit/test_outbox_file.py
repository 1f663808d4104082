"""The outbox in the account's store: private, shared safely by several processes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from smstui.domain.outbox import FAILED, Outgoing
from smstui.store.local_state import SqliteState
from smstui.store.outbox_file import OutboxFile
from smstui.system.paths import file_mode
from tests.unit.hostile import HOSTILE_CORPUS


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    return tmp_path / "messages-test.sqlite3"


def outbox_in(store_file: Path) -> OutboxFile:
    """The outbox as a fresh start (or another process) reads it."""
    return OutboxFile(SqliteState(store_file))


def outgoing(key: str, text: str = "Hi") -> Outgoing:
    return Outgoing(
        key=key,
        conversation="48512345678",
        to="48512345678",
        sender="32460123456",
        text=text,
        created=1_795_780_800,
    )


def test_round_trip_keeps_every_field(store_file: Path) -> None:
    item = outgoing("local:a", "Zażółć gęślą jaźń 😀")
    item.status, item.reason, item.attempts = FAILED, "No credit", 3
    item.earlier_references = ("smstui-one", "smstui-two")
    item.known = frozenset({"id:x", "h:y"})
    outbox_in(store_file).save(item)
    [back] = outbox_in(store_file).load()
    assert back == item
    assert file_mode(store_file) == 0o600


def test_hostile_texts_round_trip(store_file: Path) -> None:
    store = outbox_in(store_file)
    for number, text in enumerate(HOSTILE_CORPUS):
        store.save(outgoing(f"local:{number}", text))
    back = {item.key: item.text for item in outbox_in(store_file).load()}
    assert back == {f"local:{n}": text for n, text in enumerate(HOSTILE_CORPUS)}


def test_entries_that_are_not_messages_are_skipped(store_file: Path) -> None:
    outbox_in(store_file).save(outgoing("local:ok"))
    with sqlite3.connect(store_file) as connection:  # as a later release might have left them
        connection.executemany(
            "INSERT INTO local_state (kind, key, value) VALUES ('outbox', ?, ?)",
            [("a", "3"), ("b", '{"key": "local:b"}'), ("c", "[]")],
        )
    assert [item.key for item in outbox_in(store_file).load()] == ["local:ok"]


_WRITER = """
import sys
from pathlib import Path
from smstui.domain.outbox import Outgoing
from smstui.store.local_state import SqliteState
from smstui.store.outbox_file import OutboxFile
store = OutboxFile(SqliteState(Path(sys.argv[1])))
for i in range(int(sys.argv[3])):
    key = f"local:{sys.argv[2]}-{i}"
    store.save(Outgoing(key=key, conversation="1", to="1", sender="2", text=key, created=0))
    if i % 3 == 0:
        store.remove(key)
"""


def test_two_processes_at_once_lose_nothing(store_file: Path) -> None:
    count = 45
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(store_file), name, str(count)])
        for name in ("left", "right")
    ]
    assert [writer.wait(timeout=60) for writer in writers] == [0, 0]
    keys = {item.key for item in outbox_in(store_file).load()}
    expected = {f"local:{n}-{i}" for n in ("left", "right") for i in range(count) if i % 3}
    assert keys == expected
