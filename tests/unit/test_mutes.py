"""Muted conversations in the account's store: kept across restarts, shared between processes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from smstui.store.local_state import SqliteState
from smstui.store.mutes import MuteState


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    return tmp_path / "messages-test.sqlite3"


def mutes_in(store_file: Path) -> MuteState:
    """The mutes as a fresh start (or another process) reads them."""
    return MuteState(SqliteState(store_file))


def test_nothing_is_muted_at_first(store_file: Path) -> None:
    state = mutes_in(store_file)
    assert state.keys == frozenset()
    assert not state.is_muted("48512345678")


def test_toggle_persists(store_file: Path) -> None:
    state = mutes_in(store_file)
    assert state.toggle("48512345678") is True
    assert mutes_in(store_file).is_muted("48512345678")
    assert store_file.stat().st_mode & 0o777 == 0o600
    assert state.toggle("48512345678") is False
    assert not mutes_in(store_file).is_muted("48512345678")


def test_two_processes_keep_each_others_mutes(store_file: Path) -> None:
    one, two = mutes_in(store_file), mutes_in(store_file)
    assert one.keys == two.keys == frozenset()
    one.set_muted("1", True)
    two.set_muted("2", True)  # two never saw "1": it must not erase it
    assert mutes_in(store_file).keys == {"1", "2"}
    assert two.keys == {"1", "2"}
    assert one.load() is True, "reloading sees the other's change"
    assert one.keys == {"1", "2"}
    assert one.load() is False


def test_a_stored_value_that_is_not_json_is_skipped_and_can_be_written_over(
    store_file: Path,
) -> None:
    mutes_in(store_file).set_muted("1", True)
    mutes_in(store_file).set_muted("2", True)
    with sqlite3.connect(store_file) as connection:  # a later release's shape, say
        connection.execute("UPDATE local_state SET value = '{not json' WHERE key = '1'")
    state = mutes_in(store_file)
    assert state.keys == {"2"}
    assert state.problem == ""
    state.set_muted("1", True)
    assert mutes_in(store_file).keys == {"1", "2"}
