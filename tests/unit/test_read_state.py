"""Read state in the account's store: a first-run baseline, seen-up-to times, manual flags.

A new :class:`SqliteState` on the same store file is a restart (or another process).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from smstui.store.local_state import SqliteState
from smstui.store.read_state import ReadState
from smstui.system.paths import file_mode

START = 1_732_795_200  # 2024-11-28 12:00 UTC, the first start
HOUR = 3600


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / "smstui" / "messages-test.sqlite3"


def read_in(store_file: Path, now: int) -> ReadState:
    """The read state as a start at ``now`` (or another process) reads it."""
    return ReadState(SqliteState(store_file), now=now)


def test_first_run_counts_everything_before_start_as_read(store_file: Path) -> None:
    state = read_in(store_file, START)
    assert state.is_unread("48512345678", START - 10 * HOUR) is False
    assert state.is_unread("48512345678", START) is False
    assert state.is_unread("48512345678", START + 1) is True
    assert state.unread_count("48512345678", [START - HOUR, START - 5, START + 5]) == 1


def test_baseline_is_persisted_so_messages_arriving_while_closed_stay_unread(
    store_file: Path,
) -> None:
    read_in(store_file, START).load()
    assert file_mode(store_file) == 0o600
    assert file_mode(store_file.parent) == 0o700

    # Next start, a day later: a message from the night is unread, not swallowed by a new
    # baseline.
    later = read_in(store_file, START + 24 * HOUR)
    assert later.baseline == START
    assert later.is_unread("48512345678", START + 8 * HOUR) is True


def test_viewing_marks_read_up_to_the_newest_message(store_file: Path) -> None:
    state = read_in(store_file, START)
    inbound = [START + HOUR, START + 2 * HOUR, START + 3 * HOUR]
    assert state.unread_count("48512345678", inbound) == 3
    assert state.mark_read("48512345678", START + 2 * HOUR) is True
    assert state.unread_count("48512345678", inbound) == 1
    assert state.is_unread("48512345678", START + 3 * HOUR) is True
    assert state.mark_read("48512345678", START + 3 * HOUR) is True
    assert state.unread_count("48512345678", inbound) == 0
    assert state.is_unread("48512345678", START + 3 * HOUR) is False
    # Other conversations are not affected.
    assert state.unread_count("48600000000", inbound) == 3


def test_seen_time_only_moves_forward(store_file: Path) -> None:
    state = read_in(store_file, START)
    state.mark_read("1", START + 3 * HOUR)
    assert state.mark_read("1", START + HOUR) is False
    assert state.seen_until("1") == START + 3 * HOUR
    assert state.is_unread("1", START + 2 * HOUR) is False


def test_mark_unread_flags_until_viewed_again(store_file: Path) -> None:
    state = read_in(store_file, START)
    state.mark_read("1", START + HOUR)
    assert state.mark_unread("1") is True
    assert state.mark_unread("1") is False
    assert state.is_unread("1", START + HOUR) is True
    assert state.is_flagged("1") is True
    # A flagged conversation with nothing new still counts one, so its badge shows.
    assert state.unread_count("1", [START + HOUR]) == 1
    assert state.unread_count("1", []) == 1

    assert read_in(store_file, START + 9 * HOUR).is_unread("1", START + HOUR) is True

    assert state.mark_read("1", START + HOUR) is True  # clears the flag, same timestamp
    assert state.is_unread("1", START + HOUR) is False
    assert read_in(store_file, START).is_flagged("1") is False


def test_round_trip(store_file: Path) -> None:
    state = read_in(store_file, START)
    state.mark_read("48512345678", START + HOUR)
    state.mark_read("acme", START + 2 * HOUR)
    state.mark_unread("32460123456")
    again = read_in(store_file, START + 99 * HOUR)
    assert again.seen_until("48512345678") == START + HOUR
    assert again.seen_until("acme") == START + 2 * HOUR
    assert again.seen_until("never-seen") == START
    assert again.is_flagged("32460123456") is True
    assert again.problem == ""


def test_stored_entries_that_are_not_markers_are_skipped(store_file: Path) -> None:
    read_in(store_file, START).mark_read("1", START + HOUR)
    with sqlite3.connect(store_file) as connection:  # as a later release might have left them
        connection.executemany(
            "INSERT INTO local_state (kind, key, value) VALUES (?, ?, ?)",
            [
                ("read_seen", "2", '"soon"'),
                ("read_seen", "3", "true"),
                ("read_flagged", "4", "true"),
            ],
        )
    state = read_in(store_file, START + 50 * HOUR)
    assert state.seen_until("1") == START + HOUR
    assert state.seen_until("2") == START
    assert state.seen_until("3") == START
    assert state.is_flagged("4") is True
    assert state.problem == ""


def test_where_no_file_can_be_used_markers_work_for_the_run(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the data directory should be", "utf-8")
    state = read_in(blocker / "messages-test.sqlite3", START)
    state.load()
    assert state.is_unread("1", START - 1) is False
    assert state.mark_unread("1") is True
    assert state.is_flagged("1") is True
    assert state.problem == ""


def test_two_instances_on_one_store_keep_each_others_markers(store_file: Path) -> None:
    """Both loaded before either wrote: each one's read markers and flags survive the other's."""
    first, second = read_in(store_file, 1000), read_in(store_file, 1000)
    first.load()
    second.load()
    first.mark_read("a", 2000)
    second.mark_read("b", 3000)
    second.mark_unread("c")
    first.mark_read("b", 2500)  # older than what the second saw: the newer one stays
    again = read_in(store_file, 9999)
    assert again.seen_until("a") == 2000
    assert again.seen_until("b") == 3000
    assert again.is_flagged("c")
    assert again.baseline == 1000
