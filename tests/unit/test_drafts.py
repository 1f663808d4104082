"""Drafts survive switching and restarts, stay private, and two processes never lose each other's.

Each test keeps its drafts in a real store file on disk, as the app does; a new
:class:`SqliteState` on the same file is a restart (or another process).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from smstui.store.drafts import DraftStore
from smstui.store.local_state import SqliteState
from smstui.system.paths import file_mode
from tests.unit.hostile import HOSTILE_CORPUS


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / "smstui" / "messages-test.sqlite3"


def drafts_in(store_file: Path) -> DraftStore:
    """The drafts as a fresh start (or another process) reads them from the store file."""
    return DraftStore(SqliteState(store_file))


def test_round_trip_across_restarts(store_file: Path) -> None:
    store = drafts_in(store_file)
    assert store.get("48512345678") == ""
    assert store.set("48512345678", "See you at 8\nBring the keys") is True
    assert store.set("acme", "STOP") is True

    again = drafts_in(store_file)
    assert again.get("48512345678") == "See you at 8\nBring the keys"
    assert again.get("acme") == "STOP"
    assert again.get("32460123456") == ""
    assert again.keys() == ["48512345678", "acme"]
    assert "acme" in again
    assert again.problem == ""


def test_the_store_file_and_its_directory_are_private(store_file: Path) -> None:
    drafts_in(store_file).set("48512345678", "secret plans")
    assert file_mode(store_file) == 0o600
    assert file_mode(store_file.parent) == 0o700


def test_empty_or_blank_text_deletes_the_draft(store_file: Path) -> None:
    store = drafts_in(store_file)
    store.set("1", "hello")
    store.set("2", "keep me")
    assert store.set("1", "") is True
    assert store.set("2", "  \n ") is True
    assert drafts_in(store_file).keys() == []
    assert store.set("1", "") is False  # deleting what is not there changes nothing


def test_an_unchanged_draft_is_not_written_again(store_file: Path) -> None:
    store = drafts_in(store_file)
    store.set("1", "hello")
    written = store.backend.version()
    assert store.set("1", "hello") is False
    assert store.backend.version() == written
    assert store.set("1", "hello!") is True
    assert store.backend.version() != written


def test_drafts_are_per_conversation(store_file: Path) -> None:
    store = drafts_in(store_file)
    store.set("48512345678", "for Anna")
    store.set("48600000000", "for Bob")
    store.set("48512345678", "for Anna, edited")
    assert store.get("48600000000") == "for Bob"
    assert store.get("48512345678") == "for Anna, edited"


def test_set_before_load_does_not_overwrite_existing_drafts(store_file: Path) -> None:
    drafts_in(store_file).set("1", "old draft")
    fresh = drafts_in(store_file)
    fresh.set("2", "new draft")  # no explicit load(): the store reads what is stored first
    assert drafts_in(store_file).keys() == ["1", "2"]


def test_stored_entries_that_are_not_drafts_are_skipped(store_file: Path) -> None:
    drafts_in(store_file).set("1", "ok")
    with sqlite3.connect(store_file) as connection:  # as a later release might have left them
        connection.executemany(
            "INSERT INTO local_state (kind, key, value) VALUES ('draft', ?, ?)",
            [("2", "5"), ("3", "null"), ("", '"no key"'), ("4", '" "')],
        )
    store = drafts_in(store_file)
    assert store.keys() == ["1"]
    assert store.problem == ""


def test_hostile_text_round_trips_exactly(store_file: Path) -> None:
    store = drafts_in(store_file)
    for index, text in enumerate(HOSTILE_CORPUS):
        store.set(str(index), text)
    again = drafts_in(store_file)
    for index, text in enumerate(HOSTILE_CORPUS):
        assert again.get(str(index)) == (text if text.strip() else "")


def test_where_no_file_can_be_used_drafts_work_for_the_run_and_say_they_are_not_kept(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the data directory should be", "utf-8")
    store = drafts_in(blocker / "messages-test.sqlite3")
    assert store.set("1", "typed anyway") is True
    assert store.get("1") == "typed anyway"
    assert "not kept after this run" in store.backend.not_kept()
    assert str(blocker) in store.backend.not_kept()


def test_module_does_not_import_textual() -> None:
    code = (
        "import sys, smstui.store.drafts, smstui.store.read_state, smstui.store.local_state;"
        "print('textual' in sys.modules or 'rich' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_two_stores_on_one_file_keep_each_others_drafts(store_file: Path) -> None:
    """Two instances, each loaded before the other wrote: neither erases the other's draft."""
    first, second = drafts_in(store_file), drafts_in(store_file)
    assert first.get("1") == second.get("2") == ""  # both loaded the (empty) store
    first.set("1", "from the first terminal")
    second.set("2", "from the second terminal")
    second.set("1", "")  # never touched "1" in memory: deleting it must be deliberate
    first.set("3", "more from the first")
    again = drafts_in(store_file)
    assert again.get("2") == "from the second terminal"
    assert again.get("3") == "more from the first"
    assert again.get("1") == ""


_WRITER = """
import sys
from pathlib import Path
from smstui.store.drafts import DraftStore
from smstui.store.local_state import SqliteState
store = DraftStore(SqliteState(Path(sys.argv[1])))
store.get("warm-up")
for i in range(int(sys.argv[3])):
    store.set(f"{sys.argv[2]}-{i}", f"draft {i} of {sys.argv[2]}")
"""


def test_two_processes_writing_at_once_lose_nothing(store_file: Path) -> None:
    """Real processes racing on one store file: every draft of both ends up on disk."""
    count = 60
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(store_file), name, str(count)])
        for name in ("left", "right")
    ]
    assert [writer.wait(timeout=60) for writer in writers] == [0, 0]
    stored = drafts_in(store_file)
    for name in ("left", "right"):
        for i in range(count):
            assert stored.get(f"{name}-{i}") == f"draft {i} of {name}"
