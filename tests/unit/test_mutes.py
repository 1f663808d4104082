"""Muted conversations on disk: private, shared between processes, tolerant of a bad file."""

from __future__ import annotations

import json
from pathlib import Path

from smstui.store.mutes import MUTES_FILE_NAME, MuteState


def test_nothing_is_muted_at_first_and_nothing_is_written(tmp_path: Path) -> None:
    state = MuteState(tmp_path)
    assert state.keys == frozenset()
    assert not state.is_muted("48512345678")
    assert not (tmp_path / MUTES_FILE_NAME).exists()


def test_toggle_persists_privately(tmp_path: Path) -> None:
    state = MuteState(tmp_path)
    assert state.toggle("48512345678") is True
    assert MuteState(tmp_path).is_muted("48512345678")
    path = tmp_path / MUTES_FILE_NAME
    assert path.stat().st_mode & 0o777 == 0o600
    assert json.loads(path.read_text()) == {"muted": ["48512345678"], "version": 1}
    assert state.toggle("48512345678") is False
    assert not MuteState(tmp_path).is_muted("48512345678")


def test_two_processes_keep_each_others_mutes(tmp_path: Path) -> None:
    one, two = MuteState(tmp_path), MuteState(tmp_path)
    assert one.keys == two.keys == frozenset()
    one.set_muted("1", True)
    two.set_muted("2", True)  # two never saw "1": it must not erase it
    assert MuteState(tmp_path).keys == {"1", "2"}
    assert two.keys == {"1", "2"}
    assert one.load() is True, "reloading sees the other's change"
    assert one.keys == {"1", "2"}
    assert one.load() is False


def test_a_corrupt_file_is_moved_aside(tmp_path: Path) -> None:
    (tmp_path / MUTES_FILE_NAME).write_text("{not json")
    state = MuteState(tmp_path)
    assert state.keys == frozenset()
    assert "unreadable" in state.problem
    assert (tmp_path / f"{MUTES_FILE_NAME}.corrupt").exists()


def test_malformed_entries_are_ignored(tmp_path: Path) -> None:
    (tmp_path / MUTES_FILE_NAME).write_text(json.dumps({"muted": ["1", 2, "", None]}))
    assert MuteState(tmp_path).keys == {"1"}
