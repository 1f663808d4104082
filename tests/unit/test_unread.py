"""Unread counts from inbox pages over the persisted read state."""

from __future__ import annotations

from pathlib import Path

import pytest

from smstui.domain.models import InboxItem
from smstui.domain.unread import UnreadTracker, inbox_item_identity, unread_in
from smstui.store.local_state import SqliteState
from smstui.store.read_state import ReadState
from tests.store.helpers import inbound, outbound

START = 1_000_000
ANNA = "48512345678"


def item(ts: int, sender: str = ANNA, ident: str = "", text: str = "hi") -> InboxItem:
    return InboxItem(ident or f"in-{sender}-{ts}", sender, "32460123456", text, "sms", "", ts)


@pytest.fixture
def tracker(tmp_path: Path) -> UnreadTracker:
    return UnreadTracker(ReadState(SqliteState(tmp_path / "messages.sqlite3"), now=START))


def test_only_messages_after_the_first_run_are_unread(tracker: UnreadTracker) -> None:
    assert tracker.note_inbox_item(item(START - 5)) is None
    assert tracker.note_inbox_item(item(START)) is None, "at the start counts as read"
    assert tracker.note_inbox_item(item(START + 5)) == ANNA
    assert tracker.count(ANNA) == 1


def test_the_same_message_on_a_refetched_page_counts_once(tracker: UnreadTracker) -> None:
    assert tracker.note_inbox_item(item(START + 5)) == ANNA
    assert tracker.note_inbox_item(item(START + 5)) is None
    assert tracker.count(ANNA) == 1


def test_items_without_an_id_are_told_apart_by_sender_time_and_text() -> None:
    a = inbox_item_identity(item(5, ident="x"))
    assert a == "id:x"
    no_id = InboxItem("", ANNA, "", "hi", "sms", "", 5)
    other = InboxItem("", ANNA, "", "ho", "sms", "", 5)
    assert inbox_item_identity(no_id) != inbox_item_identity(other)
    assert inbox_item_identity(no_id) == inbox_item_identity(
        InboxItem("", ANNA, "", "hi", "", "", 5)
    )


def test_viewing_reads_up_to_the_newest_message_listed(tracker: UnreadTracker) -> None:
    tracker.note_inbox_item(item(START + 5))
    tracker.note_inbox_item(item(START + 9))
    assert tracker.count(ANNA) == 2
    # The thread showed up to +5, but the inbox already listed +9 for it: both are read.
    assert tracker.mark_read(ANNA, START + 5)
    assert tracker.count(ANNA) == 0
    assert tracker.seen_until(ANNA) == START + 9
    assert not tracker.mark_read(ANNA, START + 5), "nothing changed"


def test_mark_unread_counts_one_until_viewed(tracker: UnreadTracker) -> None:
    assert tracker.mark_unread(ANNA)
    assert tracker.count(ANNA) == 1
    assert tracker.mark_read(ANNA, START)
    assert tracker.count(ANNA) == 0


def test_state_survives_a_new_tracker(tmp_path: Path) -> None:
    store_file = tmp_path / "messages.sqlite3"
    first = UnreadTracker(ReadState(SqliteState(store_file), now=START))
    first.note_inbox_item(item(START + 5))
    first.note_inbox_item(item(START + 7, sender="32470123456"))
    first.mark_read(ANNA, START + 5)
    later = UnreadTracker(ReadState(SqliteState(store_file), now=START + 1000))
    assert later.note_inbox_item(item(START + 5)) is None
    assert later.note_inbox_item(item(START + 7, sender="32470123456")) == "32470123456"


def test_what_came_before_our_reply_was_read(tracker: UnreadTracker) -> None:
    tracker.note_inbox_item(item(START + 5))
    tracker.note_reply(ANNA, START + 6)
    assert tracker.count(ANNA) == 0
    assert tracker.note_inbox_item(item(START + 4, ident="late")) is None, "listed later, older"
    assert tracker.note_inbox_item(item(START + 9)) == ANNA
    tracker.note_reply(ANNA, None)
    assert tracker.count(ANNA) == 1


def test_stored_messages_count_as_the_pages_do(tmp_path: Path) -> None:
    """``unread_in`` (the commands) counts a conversation's stored messages by the tracker's
    rules: received after the first run and after our last reply, at least 1 when flagged."""
    state = ReadState(SqliteState(tmp_path / "messages.sqlite3"), now=1000)
    them = "32470123456"
    messages = [
        inbound("old", 900, sender=them),
        inbound("before the reply", 1100, sender=them),
        outbound("reply", 1200, message_id="m1", to=them),
        inbound("after", 1300, sender=them),
        inbound("and again", 1400, sender=them),
    ]
    assert unread_in(state, them, reversed(messages)) == 2  # any order
    assert unread_in(state, them, messages[:3]) == 0
    state.mark_unread(them)
    assert unread_in(state, them, messages[:3]) == 1
