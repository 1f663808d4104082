"""Drafts survive switching and restarts, stay private, and are never lost to a bad file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from smstui.store.drafts import DRAFTS_FILE_NAME, DraftStore
from smstui.system.paths import file_mode
from tests.unit.hostile import HOSTILE_CORPUS


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return tmp_path / "state" / "smstui"


def test_round_trip_across_restarts(directory: Path) -> None:
    store = DraftStore(directory)
    assert store.get("48512345678") == ""
    assert store.set("48512345678", "See you at 8\nBring the keys") is True
    assert store.set("acme", "STOP") is True

    again = DraftStore(directory)
    assert again.get("48512345678") == "See you at 8\nBring the keys"
    assert again.get("acme") == "STOP"
    assert again.get("32460123456") == ""
    assert again.keys() == ["48512345678", "acme"]
    assert "acme" in again
    assert again.problem == ""


def test_file_is_private_and_directory_is_created_private(directory: Path) -> None:
    store = DraftStore(directory)
    store.set("48512345678", "secret plans")
    assert store.path == directory / DRAFTS_FILE_NAME
    assert file_mode(store.path) == 0o600
    assert file_mode(directory) == 0o700
    # The atomic write leaves no temporary file behind; the lock file is private too.
    names = sorted(path.name for path in directory.iterdir())
    assert names == [DRAFTS_FILE_NAME, f"{DRAFTS_FILE_NAME}.lock"]
    assert file_mode(directory / f"{DRAFTS_FILE_NAME}.lock") == 0o600


def test_empty_or_blank_text_deletes_the_draft(directory: Path) -> None:
    store = DraftStore(directory)
    store.set("1", "hello")
    store.set("2", "keep me")
    assert store.set("1", "") is True
    assert store.set("2", "  \n ") is True
    assert DraftStore(directory).keys() == []
    assert store.set("1", "") is False  # deleting what is not there changes nothing


def test_unchanged_set_does_not_write(directory: Path) -> None:
    store = DraftStore(directory)
    store.set("1", "hello")
    # Rewrite the file in another layout: a write by set() would show as a layout change.
    compact = json.dumps({"version": 1, "drafts": {"1": "hello"}})
    store.path.write_text(compact, "utf-8")
    assert store.set("1", "hello") is False
    assert store.path.read_text("utf-8") == compact
    assert store.set("1", "hello!") is True
    assert store.path.read_text("utf-8") != compact


def test_drafts_are_per_conversation(directory: Path) -> None:
    store = DraftStore(directory)
    store.set("48512345678", "for Anna")
    store.set("48600000000", "for Bob")
    store.set("48512345678", "for Anna, edited")
    assert store.get("48600000000") == "for Bob"
    assert store.get("48512345678") == "for Anna, edited"


def test_set_before_load_does_not_overwrite_existing_drafts(directory: Path) -> None:
    DraftStore(directory).set("1", "old draft")
    fresh = DraftStore(directory)
    fresh.set("2", "new draft")  # no explicit load(): the store reads the file first
    assert DraftStore(directory).keys() == ["1", "2"]


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe garbage", b"[1, 2, 3]", b""],
    ids=["broken-json", "not-utf8", "not-an-object", "empty"],
)
def test_corrupt_file_is_kept_aside_and_store_starts_empty(directory: Path, content: bytes) -> None:
    directory.mkdir(parents=True)
    path = directory / DRAFTS_FILE_NAME
    path.write_bytes(content)

    store = DraftStore(directory)
    store.load()
    assert store.keys() == []
    assert store.kept_as == directory / f"{DRAFTS_FILE_NAME}.corrupt"
    assert store.kept_as.read_bytes() == content
    assert "kept as drafts.json.corrupt" in store.problem

    store.set("1", "fresh start")
    assert DraftStore(directory).get("1") == "fresh start"
    assert store.kept_as.read_bytes() == content  # the bad file is never overwritten


def test_second_corrupt_file_does_not_replace_the_first(directory: Path) -> None:
    directory.mkdir(parents=True)
    path = directory / DRAFTS_FILE_NAME
    path.write_bytes(b"first bad")
    DraftStore(directory).load()
    path.write_bytes(b"second bad")
    store = DraftStore(directory)
    store.load()
    assert (directory / "drafts.json.corrupt").read_bytes() == b"first bad"
    assert store.kept_as is not None
    assert store.kept_as.read_bytes() == b"second bad"


def test_malformed_entries_are_skipped(directory: Path) -> None:
    directory.mkdir(parents=True)
    data = {"version": 1, "drafts": {"1": "ok", "2": 5, "3": None, "": "no key", "4": " "}}
    (directory / DRAFTS_FILE_NAME).write_text(json.dumps(data), "utf-8")
    store = DraftStore(directory)
    assert store.keys() == ["1"]
    assert store.problem == ""


def test_hostile_text_round_trips_exactly(directory: Path) -> None:
    store = DraftStore(directory)
    for index, text in enumerate(HOSTILE_CORPUS):
        store.set(str(index), text)
    again = DraftStore(directory)
    for index, text in enumerate(HOSTILE_CORPUS):
        assert again.get(str(index)) == (text if text.strip() else "")


def test_write_failure_raises_and_keeps_the_draft_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the directory should be", "utf-8")
    store = DraftStore(blocker)
    with pytest.raises(OSError):
        store.set("1", "unsaved")
    assert store.get("1") == "unsaved"


def test_module_does_not_import_textual() -> None:
    code = (
        "import sys, smstui.store.drafts, smstui.store.read_state, smstui.system.state_file;"
        "print('textual' in sys.modules or 'rich' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_two_stores_on_one_directory_keep_each_others_drafts(directory: Path) -> None:
    """Two instances, each loaded before the other wrote: neither erases the other's draft."""
    first, second = DraftStore(directory), DraftStore(directory)
    assert first.get("1") == second.get("2") == ""  # both loaded the (empty) file
    first.set("1", "from the first terminal")
    second.set("2", "from the second terminal")
    second.set("1", "")  # never touched "1" in memory: deleting it must be deliberate
    first.set("3", "more from the first")
    again = DraftStore(directory)
    assert again.get("2") == "from the second terminal"
    assert again.get("3") == "more from the first"
    assert again.get("1") == ""


_WRITER = """
import sys
from pathlib import Path
from smstui.store.drafts import DraftStore
store = DraftStore(Path(sys.argv[1]))
store.get("warm-up")
for i in range(int(sys.argv[3])):
    store.set(f"{sys.argv[2]}-{i}", f"draft {i} of {sys.argv[2]}")
"""


def test_two_processes_writing_at_once_lose_nothing(directory: Path) -> None:
    """Real processes racing on one drafts file: every draft of both ends up on disk."""
    count = 60
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(directory), name, str(count)])
        for name in ("left", "right")
    ]
    assert [writer.wait(timeout=60) for writer in writers] == [0, 0]
    stored = DraftStore(directory)
    for name in ("left", "right"):
        for i in range(count):
            assert stored.get(f"{name}-{i}") == f"draft {i} of {name}"
