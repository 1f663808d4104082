"""The JSON state files of earlier releases are imported into the store once and set aside.

Real files: a state directory with the five files as smstui wrote them, and a real store file.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from smstui.domain.outbox import FAILED
from smstui.store import SqliteStore
from smstui.store.drafts import DraftStore
from smstui.store.local_state import SqliteState
from smstui.store.mutes import MuteState
from smstui.store.opt_outs import OptOutList
from smstui.store.outbox_file import OutboxFile
from smstui.store.read_state import ReadState
from smstui.store.schema import CURRENT_VERSION
from smstui.system.paths import file_mode

OUTGOING = {
    "key": "local:1700000000-1",
    "conversation": "48600111222",
    "to": "48600111222",
    "sender": "",
    "text": "Your glasses are ready",
    "created": 1_700_000_000,
    "reference": "ref-1",
    "earlier_references": [],
    "status": FAILED,
    "reason": "Not enough credit",
    "known": [],
    "attempts": 1,
}

OLD_FILES: dict[str, dict[str, Any]] = {
    "drafts.json": {
        "version": 1,
        "drafts": {"48600111222": "See you at 5 \U0001f44b", "acme": "Stop sending\ud800 me"},
    },
    "read_state.json": {
        "version": 1,
        "baseline": 1_699_000_000,
        "seen": {"48600111222": 1_700_000_100, "acme": 1_699_500_000},
        "unread": ["48700333444"],
    },
    "mutes.json": {"version": 1, "muted": ["acme", "48700333444"]},
    "opt_outs.json": {
        "version": 1,
        "numbers": {"48511222333": {"since": 1_699_900_000, "reason": "reply"}},
    },
    "outbox.json": {"version": 1, "messages": {OUTGOING["key"]: OUTGOING}},
}


def write_old_files(directory: Path, files: dict[str, dict[str, Any]] = OLD_FILES) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (directory / name).write_text(json.dumps(content), "utf-8")
        (directory / name).chmod(0o600)


def everything(directory: Path, backend: SqliteState) -> dict[str, Any]:
    """What each class reads back through the store."""
    read = ReadState(directory, now=1_800_000_000, backend=backend)
    drafts = DraftStore(directory, backend=backend)
    opt_outs = OptOutList(directory, backend=backend)
    keys = drafts.keys()
    return {
        "drafts": {key: drafts.get(key) for key in keys},
        "baseline": read.baseline,
        "seen": {key: read.seen_until(key) for key in ("48600111222", "acme")},
        "flagged": read.is_flagged("48700333444"),
        "muted": set(MuteState(directory, backend=backend).keys),
        "opt_outs": {n: (e.since, e.reason) for n in opt_outs.numbers() if (e := opt_outs.get(n))},
        "outbox": [
            (i.key, i.text, i.status) for i in OutboxFile(directory, backend=backend).load()
        ],
    }


EXPECTED = {
    "drafts": {"48600111222": "See you at 5 \U0001f44b", "acme": "Stop sending\ud800 me"},
    "baseline": 1_699_000_000,
    "seen": {"48600111222": 1_700_000_100, "acme": 1_699_500_000},
    "flagged": True,
    "muted": {"acme", "48700333444"},
    "opt_outs": {"48511222333": (1_699_900_000, "reply")},
    "outbox": [(OUTGOING["key"], "Your glasses are ready", FAILED)],
}


def test_every_old_file_is_imported_and_renamed_aside(tmp_path: Path, store_path: Path) -> None:
    state = tmp_path / "state-dir"
    write_old_files(state)
    backend = SqliteState(store_path, legacy_dir=state)
    assert everything(state, backend) == EXPECTED
    backend.close()
    for name, content in OLD_FILES.items():
        assert not (state / name).exists(), f"{name} still in use"
        kept = state / f"{name}.imported"
        assert json.loads(kept.read_text("utf-8")) == content, "set aside unchanged"
        assert file_mode(kept) == 0o600
    # A new process on the same store: everything is there without the files.
    assert everything(state, SqliteState(store_path, legacy_dir=state)) == EXPECTED


def test_an_import_that_runs_again_neither_duplicates_nor_overwrites(
    tmp_path: Path, store_path: Path
) -> None:
    state = tmp_path / "state-dir"
    write_old_files(state)
    backend = SqliteState(store_path, legacy_dir=state)
    drafts = DraftStore(state, backend=backend)
    read = ReadState(state, now=1_800_000_000, backend=backend)
    # Newer than the old files: edited after the import.
    drafts.set("48600111222", "Make it 6 instead")
    read.mark_read("acme", 1_750_000_000)
    backend.close()
    # The old files come back (restored from a backup, or written by a run without a store).
    write_old_files(state)
    again = SqliteState(store_path, legacy_dir=state)
    found = everything(state, again)
    assert found["drafts"]["48600111222"] == "Make it 6 instead", "a newer draft stays"
    assert found["drafts"]["acme"] == EXPECTED["drafts"]["acme"]
    assert found["seen"]["acme"] == 1_750_000_000, "a read marker keeps the later time"
    assert found["seen"]["48600111222"] == 1_700_000_100
    assert len(found["outbox"]) == 1, "no duplicate"
    assert (state / "drafts.json.1.imported").exists(), "the second copy is kept too"
    again.close()


def test_a_file_already_imported_but_not_renamed_is_not_imported_twice(
    tmp_path: Path, store_path: Path, monkeypatch: Any
) -> None:
    """The rename failed after the import (say, a read-only directory): the next open must not
    bring a deleted draft back."""
    state = tmp_path / "state-dir"
    write_old_files(state, {"drafts.json": OLD_FILES["drafts.json"]})
    import smstui.store.local_state as module

    def no_rename(source: object, target: object) -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr(module.os, "replace", no_rename)
    backend = SqliteState(store_path, legacy_dir=state)
    DraftStore(state, backend=backend).set("acme", "")  # the user deleted it after the import
    backend.close()
    monkeypatch.undo()
    assert (state / "drafts.json").exists()
    again = SqliteState(store_path, legacy_dir=state)
    assert DraftStore(state, backend=again).keys() == ["48600111222"]
    assert (state / "drafts.json.imported").exists(), "set aside this time"
    again.close()


def test_a_corrupt_file_is_set_aside_and_reported_and_the_rest_imported(
    tmp_path: Path, store_path: Path
) -> None:
    state = tmp_path / "state-dir"
    write_old_files(state)
    (state / "drafts.json").write_bytes(b'{"drafts": {"1": "half a dr')
    backend = SqliteState(store_path, legacy_dir=state)
    drafts = DraftStore(state, backend=backend)
    assert drafts.keys() == []
    assert "drafts.json was unreadable" in drafts.problem
    assert drafts.kept_as == state / "drafts.json.corrupt"
    assert (state / "drafts.json.corrupt").read_bytes() == b'{"drafts": {"1": "half a dr'
    assert MuteState(state, backend=backend).keys == {"acme", "48700333444"}
    assert (state / "mutes.json.imported").exists()
    backend.close()


def test_a_version_4_store_opens_and_migrates(tmp_path: Path, store_path: Path) -> None:
    with SqliteStore.open(store_path) as store:
        store.set_cursor("inbox", "42")
    connection = sqlite3.connect(store_path)
    connection.execute("DROP TABLE local_state")  # as version 4 left it
    connection.execute("PRAGMA user_version = 4")
    connection.commit()
    connection.close()
    state = tmp_path / "state-dir"
    write_old_files(state)
    backend = SqliteState(store_path, legacy_dir=state)
    assert everything(state, backend) == EXPECTED
    backend.close()
    with SqliteStore.open(store_path) as store:
        assert store.cursor("inbox") == "42"
        version = store._connection.execute("PRAGMA user_version").fetchone()[0]
        assert version == CURRENT_VERSION == 5
    assert file_mode(store_path) == 0o600


def test_no_old_files_means_an_empty_state_and_a_first_baseline(
    tmp_path: Path, store_path: Path
) -> None:
    state = tmp_path / "state-dir"
    backend = SqliteState(store_path, legacy_dir=state)
    read = ReadState(state, now=1_800_000_000, backend=backend)
    assert read.baseline == 1_800_000_000
    assert read.problem == ""
    assert DraftStore(state, backend=backend).keys() == []
    backend.close()
    assert not state.exists() or list(state.iterdir()) == []
