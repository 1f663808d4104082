"""The outbox on disk: private, shared safely by several processes, tolerant of bad files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from smstui.domain.outbox import FAILED, Outgoing
from smstui.store.outbox_file import OUTBOX_FILE_NAME, OutboxFile
from smstui.system.paths import file_mode
from tests.unit.hostile import HOSTILE_CORPUS


def outgoing(key: str, text: str = "Hi") -> Outgoing:
    return Outgoing(
        key=key,
        conversation="48512345678",
        to="48512345678",
        sender="32460123456",
        text=text,
        created=1_795_780_800,
    )


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    item = outgoing("local:a", "Zażółć gęślą jaźń 😀")
    item.status, item.reason, item.attempts = FAILED, "No credit", 3
    item.earlier_references = ("smstui-one", "smstui-two")
    item.known = frozenset({"id:x", "h:y"})
    OutboxFile(tmp_path).save(item)
    [back] = OutboxFile(tmp_path).load()
    assert back == item
    assert file_mode(tmp_path / OUTBOX_FILE_NAME) == 0o600


def test_hostile_texts_round_trip(tmp_path: Path) -> None:
    store = OutboxFile(tmp_path)
    for number, text in enumerate(HOSTILE_CORPUS):
        store.save(outgoing(f"local:{number}", text))
    back = {item.key: item.text for item in OutboxFile(tmp_path).load()}
    assert back == {f"local:{n}": text for n, text in enumerate(HOSTILE_CORPUS)}


def test_a_corrupt_file_is_set_aside_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / OUTBOX_FILE_NAME).write_text("{not json")
    store = OutboxFile(tmp_path)
    assert store.load() == []
    assert "kept as outbox.json.corrupt" in store.problem
    assert (tmp_path / "outbox.json.corrupt").read_text() == "{not json"


def test_entries_that_are_not_messages_are_skipped(tmp_path: Path) -> None:
    (tmp_path / OUTBOX_FILE_NAME).write_text(
        '{"version": 1, "messages": {"a": 3, "b": {"key": "local:b"}, "c": []}}'
    )
    assert OutboxFile(tmp_path).load() == []


_WRITER = """
import sys
from pathlib import Path
from smstui.domain.outbox import Outgoing
from smstui.store.outbox_file import OutboxFile
store = OutboxFile(Path(sys.argv[1]))
for i in range(int(sys.argv[3])):
    key = f"local:{sys.argv[2]}-{i}"
    store.save(Outgoing(key=key, conversation="1", to="1", sender="2", text=key, created=0))
    if i % 3 == 0:
        store.remove(key)
"""


def test_two_processes_at_once_lose_nothing(tmp_path: Path) -> None:
    count = 45
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), name, str(count)])
        for name in ("left", "right")
    ]
    assert [writer.wait(timeout=60) for writer in writers] == [0, 0]
    keys = {item.key for item in OutboxFile(tmp_path).load()}
    expected = {f"local:{n}-{i}" for n in ("left", "right") for i in range(count) if i % 3}
    assert keys == expected
