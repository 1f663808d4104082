"""Where am I: the cursor row and the highlighted message are marked by a glyph, not colour alone.

Every check reads the rendered lines with the colours stripped (``Strip.text``): what someone
on a monochrome terminal, or who cannot tell the colours apart, would see.
"""

from __future__ import annotations

from smstui.ui.widgets.conversation_list import ConversationList
from smstui.ui.widgets.message_pane import MessagePane
from tests.widgets.test_conversation_list import SIZE, many, start
from tests.widgets.test_conversation_list import Host as ListHost
from tests.widgets.test_message_pane import Host as PaneHost
from tests.widgets.test_message_pane import make_messages

OPEN_BAR = "▌"
CURSOR_MARKER = "❯"


def marked_rows(widget: ConversationList) -> list[int]:
    """Screen lines whose marker column holds the cursor mark."""
    height = widget.scrollable_content_region.height
    return [y for y in range(height) if widget.render_line(y).text.startswith(CURSOR_MARKER)]


async def test_the_cursor_row_alone_carries_the_mark_and_it_moves_with_j_and_k() -> None:
    app = ListHost()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, many(20))
        await pilot.pause()
        assert marked_rows(widget) == [0]  # the first line of the first row, nothing else
        await pilot.press("j", "j")
        assert marked_rows(widget) == [4]
        await pilot.press("k")
        assert marked_rows(widget) == [2]
        # The preview line under it stays clear of the mark: one mark per row.
        assert not widget.render_line(3).text.startswith(CURSOR_MARKER)


async def test_the_open_conversation_keeps_its_bar_apart_from_the_cursor_mark() -> None:
    app = ListHost()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, rows := many(5))
        widget.set_open_key(rows[0].key)
        await pilot.press("j")
        await pilot.pause()
        first = [widget.render_line(y).text[0] for y in range(6)]
        # Open row: a bar on both lines; cursor row: the mark on its first line.
        assert first == [OPEN_BAR, OPEN_BAR, CURSOR_MARKER, " ", " ", " "]
        await pilot.press("k")
        first = [widget.render_line(y).text[0] for y in range(4)]
        assert first == [CURSOR_MARKER, OPEN_BAR, " ", " "]  # both: the mark, then the bar


async def test_the_mark_stays_when_the_list_loses_focus() -> None:
    app = ListHost()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, many(5))
        await pilot.press("j")
        widget.blur()
        await pilot.pause()
        assert marked_rows(widget) == [2]


def bar_rows(pane: MessagePane) -> list[int]:
    """Lines of the pane that show the cursor bar in an edge column."""
    width = pane.scrollable_content_region.width
    rows = []
    for y in range(pane.scrollable_content_region.height):
        text = pane.render_line(y).text
        if text[:1] in ("▌", "▐") or text[width - 1 : width] in ("▌", "▐"):
            rows.append(y)
    return rows


async def test_the_highlighted_message_alone_has_the_bar_and_it_moves_with_k() -> None:
    messages = make_messages(6)  # theirs and ours in turn: bars on both sides
    app = PaneHost()
    async with app.run_test(size=(60, 30)) as pilot:
        pane = app.query_one(MessagePane)
        pane.show_conversation("c", messages, complete=True)
        pane.focus()
        await pilot.pause()
        newest = bar_rows(pane)
        assert newest
        assert any("message 5" in pane.render_line(y).text for y in newest)
        assert not any("message 4" in pane.render_line(y).text for y in newest)
        await pilot.press("k")
        older = bar_rows(pane)
        assert older
        assert max(older) < min(newest)
        assert any("message 4" in pane.render_line(y).text for y in older)
        assert not any("message 5" in pane.render_line(y).text for y in older)
