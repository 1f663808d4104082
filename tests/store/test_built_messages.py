"""Messages built from rows are kept while their row is unchanged, and only so many."""

from __future__ import annotations

from smstui.store.rows import BuiltMessages
from tests.store.helpers import THEIRS, inbound


def row(n: int, *, status: str = "DELIVERED") -> tuple[object, ...]:
    """A :data:`MESSAGE_COLUMNS` row of message ``n``."""
    message = inbound(f"m{n}", 1000 + n)
    return (n, message.key, THEIRS, None, 0, message.sender, message.receiver, message.text,
            None, "[]", message.timestamp, status, "", "conversation")  # fmt: skip


def test_an_unchanged_row_gives_the_message_built_before() -> None:
    built = BuiltMessages()
    [first] = built.messages([row(1)])
    [again] = built.messages([row(1)])
    assert again is first
    [changed] = built.messages([row(1, status="FAILED")])
    assert changed is not first
    assert changed.status == "FAILED"
    assert changed.key == first.key


def test_the_least_recently_read_go_first_past_the_size() -> None:
    built = BuiltMessages(size=3)
    kept = built.messages([row(n) for n in range(3)])
    built.messages([row(0)])  # read again: now the most recent
    built.messages([row(3)])
    assert len(built) == 3
    assert built.messages([row(0)])[0] is kept[0]
    assert built.messages([row(1)])[0] is not kept[1]  # it went first, so it is built again
