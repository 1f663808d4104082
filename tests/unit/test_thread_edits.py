"""Local changes to a loaded thread: a bubble swapped for its copy, removed, notes, divider."""

from __future__ import annotations

from smstui.domain.conversations import ConversationIndex, ThreadState
from smstui.domain.models import Message
from smstui.ui.widgets.thread_layout import ThreadLayout
from smstui.ui.widgets.wrap import message_height, text_width_for

NOW = 1_795_780_800


def msg(key: str, ts: int = NOW, *, text: str = "hello", outbound: bool = True) -> Message:
    return Message(
        key=key,
        message_id=None,
        outbound=outbound,
        sender="32460123456",
        receiver="48512345678",
        text=text,
        attachments=(),
        timestamp=ts,
        status="SENDING",
    )


def test_thread_swap_gives_the_bubble_its_gateway_key() -> None:
    thread = ThreadState("k")
    for key in ("id:1", "local:a", "id:2"):
        thread.append(msg(key))
    assert thread.swap("local:a", msg("id:9")) == 1
    assert [m.key for m in thread.messages] == ["id:1", "id:9", "id:2"]
    assert thread.index_of("id:9") == 1
    assert "local:a" not in thread
    assert thread.swap("local:zz", msg("id:8")) is None


def test_thread_swap_to_a_key_already_loaded_removes_the_bubble() -> None:
    thread = ThreadState("k")
    for key in ("id:1", "local:a", "id:9"):
        thread.append(msg(key))
    assert thread.swap("local:a", msg("id:9")) is None
    assert [m.key for m in thread.messages] == ["id:1", "id:9"]
    assert thread.index_of("id:9") == 1


def test_thread_remove_keeps_positions_right() -> None:
    thread = ThreadState("k")
    for key in ("a", "b", "c", "d"):
        thread.append(msg(key))
    assert thread.remove("b") == 1
    assert [thread.index_of(k) for k in ("a", "c", "d")] == [0, 1, 2]
    assert thread.remove("b") is None
    assert thread.append(msg("b"))
    assert thread.index_of("b") == 3


def test_layout_notes_and_divider_take_lines_and_go_with_the_message() -> None:
    layout = ThreadLayout()
    layout.reset([msg("a", NOW - 60), msg("b", NOW - 30), msg("c")])
    layout.set_width(60)
    plain = message_height(layout.messages[1], text_width_for(60), 0)
    assert layout.heights[1] == plain
    assert layout.set_note("b", "Not enough credit to send this message")
    assert layout.heights[1] == plain + 1
    assert layout.set_divider("c")
    assert layout.lead(2) == 1
    assert layout.bubble_line(2) == layout.tops[2] + 1
    assert layout.tops[-1] == sum(layout.heights)
    layout.swap("b", msg("id:b", NOW - 30))
    assert "b" not in layout.notes, "the note went with the bubble"
    assert layout.heights[1] == plain
    layout.remove("c")
    assert layout.divider is None
    assert len(layout) == 2
    assert layout.tops[-1] == sum(layout.heights)


def test_a_long_note_wraps_inside_the_bubble() -> None:
    layout = ThreadLayout()
    layout.reset([msg("a")])
    layout.set_width(30)
    before = layout.heights[0]
    layout.set_note("a", "The recipient has opted out of messages from you")
    assert layout.heights[0] > before + 1


def test_index_adds_an_empty_conversation_once_and_sums_unread() -> None:
    index = ConversationIndex()
    index.add_conversation("48512345678", "48512345678", own_number="", timestamp=NOW)
    index.add_conversation("48512345678", "48512345678", own_number="x", timestamp=NOW + 1)
    row = index.get("48512345678")
    assert row is not None
    assert row.timestamp == NOW
    assert row.preview == ""
    index.set_unread("48512345678", 3)
    assert index.total_unread() == 3
