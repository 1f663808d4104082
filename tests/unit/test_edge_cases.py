"""Edge cases that hand-made mutations of the core logic showed no other test pinned down."""

from __future__ import annotations

import pytest

from smstui.api.parse import parse_conversation
from smstui.domain.conversations import ThreadState
from tests.unit.test_inbox import msg, newest_first, page


def test_a_page_that_lists_a_message_twice_adds_it_once() -> None:
    """A gateway that repeats an item within one page (offsets shifting mid-read) must not
    make two bubbles of one message."""
    thread = ThreadState("48512345678")
    twice = [*newest_first(msg("b", 2), msg("a", 1)), msg("a", 1)]
    added = thread.add_older_page(page(twice, limit=3, total=3))
    assert [m.key for m in added] == ["a", "b"]
    assert [m.key for m in thread.messages] == ["a", "b"]
    appended, _ = thread.add_newest_page(page([msg("c", 3), msg("c", 3), msg("b", 2)], limit=3))
    assert [m.key for m in appended] == ["c"]
    assert [m.key for m in thread.messages] == ["a", "b", "c"]


@pytest.mark.parametrize("mine", [0, "0", "false", "False"])
def test_mine_spelled_as_zero_or_false_means_received_whatever_the_id(mine: object) -> None:
    page_ = parse_conversation({"conversation": [{"mine": mine, "messageId": "m-1"}]})
    assert page_.items[0].outbound is False
