"""Local read state: a first-run baseline, seen-up-to timestamps, manual unread flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smstui.store.read_state import READ_STATE_FILE_NAME, ReadState
from smstui.system.paths import file_mode

START = 1_732_795_200  # 2024-11-28 12:00 UTC, the first start
HOUR = 3600


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return tmp_path / "state" / "smstui"


def test_first_run_counts_everything_before_start_as_read(directory: Path) -> None:
    state = ReadState(directory, now=START)
    assert state.is_unread("48512345678", START - 10 * HOUR) is False
    assert state.is_unread("48512345678", START) is False
    assert state.is_unread("48512345678", START + 1) is True
    assert state.unread_count("48512345678", [START - HOUR, START - 5, START + 5]) == 1


def test_baseline_is_persisted_so_messages_arriving_while_closed_stay_unread(
    directory: Path,
) -> None:
    ReadState(directory, now=START).load()
    assert file_mode(directory / READ_STATE_FILE_NAME) == 0o600
    assert file_mode(directory) == 0o700

    # Next start, a day later: a message from the night is unread, not swallowed by a new
    # baseline.
    later = ReadState(directory, now=START + 24 * HOUR)
    assert later.baseline == START
    assert later.is_unread("48512345678", START + 8 * HOUR) is True


def test_viewing_marks_read_up_to_the_newest_message(directory: Path) -> None:
    state = ReadState(directory, now=START)
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


def test_seen_time_only_moves_forward(directory: Path) -> None:
    state = ReadState(directory, now=START)
    state.mark_read("1", START + 3 * HOUR)
    assert state.mark_read("1", START + HOUR) is False
    assert state.seen_until("1") == START + 3 * HOUR
    assert state.is_unread("1", START + 2 * HOUR) is False


def test_mark_unread_flags_until_viewed_again(directory: Path) -> None:
    state = ReadState(directory, now=START)
    state.mark_read("1", START + HOUR)
    assert state.mark_unread("1") is True
    assert state.mark_unread("1") is False
    assert state.is_unread("1", START + HOUR) is True
    assert state.is_flagged("1") is True
    # A flagged conversation with nothing new still counts one, so its badge shows.
    assert state.unread_count("1", [START + HOUR]) == 1
    assert state.unread_count("1", []) == 1

    assert ReadState(directory, now=START + 9 * HOUR).is_unread("1", START + HOUR) is True

    assert state.mark_read("1", START + HOUR) is True  # clears the flag, same timestamp
    assert state.is_unread("1", START + HOUR) is False
    assert ReadState(directory, now=START).is_flagged("1") is False


def test_round_trip(directory: Path) -> None:
    state = ReadState(directory, now=START)
    state.mark_read("48512345678", START + HOUR)
    state.mark_read("acme", START + 2 * HOUR)
    state.mark_unread("32460123456")
    again = ReadState(directory, now=START + 99 * HOUR)
    assert again.seen_until("48512345678") == START + HOUR
    assert again.seen_until("acme") == START + 2 * HOUR
    assert again.seen_until("never-seen") == START
    assert again.is_flagged("32460123456") is True
    assert again.problem == ""


def test_corrupt_file_is_kept_aside_and_a_new_baseline_starts(directory: Path) -> None:
    directory.mkdir(parents=True)
    path = directory / READ_STATE_FILE_NAME
    path.write_bytes(b'{"baseline": 12')
    state = ReadState(directory, now=START)
    state.load()
    assert state.baseline == START
    assert state.kept_as == directory / f"{READ_STATE_FILE_NAME}.corrupt"
    assert state.kept_as.read_bytes() == b'{"baseline": 12'
    assert "kept as" in state.problem
    # The fresh state was written, so the next start keeps the new baseline.
    assert json.loads(path.read_text("utf-8"))["baseline"] == START


def test_file_without_baseline_starts_afresh(directory: Path) -> None:
    directory.mkdir(parents=True)
    path = directory / READ_STATE_FILE_NAME
    path.write_text(json.dumps({"seen": {"1": START}}), "utf-8")
    state = ReadState(directory, now=START + HOUR)
    assert state.baseline == START + HOUR
    assert "no baseline" in state.problem


def test_malformed_entries_are_skipped(directory: Path) -> None:
    directory.mkdir(parents=True)
    data = {
        "version": 1,
        "baseline": START,
        "seen": {"1": START + HOUR, "2": "soon", "3": True, "": START},
        "unread": ["4", 5, None, ""],
    }
    (directory / READ_STATE_FILE_NAME).write_text(json.dumps(data), "utf-8")
    state = ReadState(directory, now=START + 50 * HOUR)
    assert state.seen_until("1") == START + HOUR
    assert state.seen_until("2") == START
    assert state.seen_until("3") == START
    assert state.is_flagged("4") is True
    assert state.problem == ""


def test_unwritable_directory_does_not_break_loading(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the directory should be", "utf-8")
    state = ReadState(blocker, now=START)
    state.load()
    assert state.is_unread("1", START - 1) is False
    assert "could not write" in state.problem
    with pytest.raises(OSError):
        state.mark_unread("1")
    assert state.is_flagged("1") is True


def test_two_instances_on_one_directory_keep_each_others_markers(tmp_path: Path) -> None:
    """Both loaded before either wrote: each one's read markers and flags survive the other's."""
    first, second = ReadState(tmp_path, now=1000), ReadState(tmp_path, now=1000)
    first.load()
    second.load()
    first.mark_read("a", 2000)
    second.mark_read("b", 3000)
    second.mark_unread("c")
    first.mark_read("b", 2500)  # older than what the second saw: the newer one stays
    again = ReadState(tmp_path, now=9999)
    assert again.seen_until("a") == 2000
    assert again.seen_until("b") == 3000
    assert again.is_flagged("c")
    assert again.baseline == 1000
