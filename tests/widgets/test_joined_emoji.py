"""Joined emoji in the list, the bubbles and the title never reach past their pane's edge.

Rich measures a ZWJ sequence (👨‍👩‍👧) as one 2-cell glyph; xterm, kitty, alacritty, foot and
urxvt draw each member (6 cells), so lines measured by Rich ran past the pane. Every line is
measured here the way those terminals draw it (:func:`tests.unit.hostile.terminal_cells`).
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.color import Color
from textual.containers import Vertical
from textual.strip import Strip

from smstui.domain.conversations import ConversationSummary
from smstui.domain.models import Attachment, Message
from smstui.system.clock import FixedClock
from smstui.ui.widgets.conversation_list import ConversationList
from smstui.ui.widgets.message_pane import MessagePane
from smstui.ui.widgets.theme import JoinedEmojiFilter, fit_joined
from smstui.ui.widgets.thread_title import ThreadTitle
from tests.unit.hostile import JOINED_EMOJI, terminal_cells

NOW = 1_749_124_800
WIDTHS = (30, 47, 80)


def drawn(strip: Strip) -> int:
    return terminal_cells(strip.text)


class Host(App[None]):
    """The list on the left; the thread's title over the message pane on the right."""

    CSS = """
    Screen { layout: horizontal; }
    ConversationList { width: 30; }
    #right { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield ConversationList(clock=FixedClock(NOW))
        with Vertical(id="right"):
            yield ThreadTitle()
            yield MessagePane(clock=FixedClock(NOW))


def summary(index: int, text: str) -> ConversationSummary:
    return ConversationSummary(
        key=f"48512340{index:03d}",
        number=f"48512340{index:03d}",
        name=text,
        preview=text,
        timestamp=NOW - 60 * (index + 1),
        own_number="48500000000",
        unread=index % 3,
    )


def message(index: int, text: str) -> Message:
    return Message(
        key=f"id:{index}",
        message_id=str(index),
        outbound=index % 2 == 1,
        sender="me" if index % 2 else "48512340000",
        receiver="48512340000" if index % 2 else "me",
        text=text,
        attachments=(Attachment(name=text, mime="image/png", url="https://example.com/a"),)
        if index % 3 == 0
        else (),
        timestamp=NOW - 3_600 + index,
        status="DELIVERED" if index % 2 else "",
    )


@pytest.mark.parametrize("width", WIDTHS)
async def test_no_line_is_drawn_wider_than_its_pane(width: int) -> None:
    app = Host()
    async with app.run_test(size=(width + 60, 40)) as pilot:
        conversations = app.query_one(ConversationList)
        conversations.styles.width = width
        conversations.set_conversations(
            [summary(i, text) for i, text in enumerate(JOINED_EMOJI)], complete=True
        )
        app.query_one("#right").styles.width = width
        title = app.query_one(ThreadTitle)
        title.show(summary(1, " ".join(JOINED_EMOJI)), "48512340001")
        pane = app.query_one(MessagePane)
        pane.show_conversation(
            "48512340000",
            [message(i, text) for i, text in enumerate(JOINED_EMOJI * 2)],
            complete=True,
            title=JOINED_EMOJI[1],
        )
        await pilot.pause()
        for widget in (conversations, pane):
            content = widget.scrollable_content_region.width
            for y in range(widget.virtual_size.height):
                widget.scroll_to(y=y, animate=False, immediate=True)
                strip = widget.render_line(0)
                assert drawn(strip) <= content, (type(widget).__name__, y, strip.text)
        lines = title.render_lines(title.region.reset_offset)
        assert all(drawn(line) <= width for line in lines), [line.text for line in lines]


@pytest.mark.parametrize("text", JOINED_EMOJI)
def test_elsewhere_joined_clusters_are_drawn_in_the_cells_counted_for_them(text: str) -> None:
    """Toasts, inputs and dialogs: the app's line filter keeps Rich's width, drawn alike."""
    fitted = fit_joined(text)
    assert cell_len(fitted) == cell_len(text)
    assert terminal_cells(fitted) == cell_len(fitted)


def test_the_filter_fits_segments_and_keeps_their_styles() -> None:
    style = Style(bold=True)
    line = [Segment("ok "), Segment("👨\u200d👩\u200d👧 1\ufe0f\u20e3", style)]
    fitted = JoinedEmojiFilter().apply(line, Color(0, 0, 0))
    assert fitted == [Segment("ok "), Segment("👨 1\u20e3 ", style)]
