"""The conversation list as a user sees it: rows, cursor, choosing, paging and hostile text."""

from __future__ import annotations

import calendar
from collections.abc import Sequence

import pytest
from textual import events, on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.strip import Strip

import smstui.ui.widgets.conversation_list as conversation_list_module
from smstui.domain.conversations import ConversationSummary
from smstui.domain.delivery import describe_status
from smstui.domain.sanitize import clean_text
from smstui.system.clock import FixedClock
from smstui.ui.widgets.conversation_list import ConversationList
from smstui.ui.widgets.conversation_row import CURSOR_MARKER as CURSOR

try:
    from tests.unit.hostile import HOSTILE_CORPUS
except ImportError:  # pragma: no cover - the shared corpus is written by another engineer
    HOSTILE_CORPUS = (
        "[/x]",
        "[@click=app.quit]q[/]",
        "wide 漢字",
        "👨\u200d👩\u200d👧",
        "x" * 3000,
    )

# Thursday 28 November 2024, 12:00 UTC (the suite pins TZ=UTC).
NOW = calendar.timegm((2024, 11, 28, 12, 0, 0))
SIZE = (60, 20)


def convo(index: int, **changes: object) -> ConversationSummary:
    fields: dict[str, object] = {
        "key": f"4851234{index:04d}",
        "number": f"4851234{index:04d}",
        "name": f"Person {index}",
        "preview": f"Message {index}",
        "timestamp": NOW - 60 * (index + 1),
        "own_number": "48500000000",
    }
    fields.update(changes)
    return ConversationSummary(**fields)  # type: ignore[arg-type]


def many(count: int) -> list[ConversationSummary]:
    return [convo(index) for index in range(count)]


class Host(App[None]):
    """A bare app holding one list and recording what it posts."""

    def __init__(self) -> None:
        super().__init__()
        self.posted: list[Message] = []

    def compose(self) -> ComposeResult:
        yield ConversationList(clock=FixedClock(NOW), id="conversations")

    @on(ConversationList.ConversationHighlighted)
    @on(ConversationList.ConversationChosen)
    @on(ConversationList.MoreConversationsWanted)
    def record(self, message: Message) -> None:
        self.posted.append(message)

    def of(self, kind: type[Message]) -> list[Message]:
        return [message for message in self.posted if isinstance(message, kind)]

    def keys(self, kind: type[Message]) -> list[str]:
        return [message.key for message in self.of(kind)]  # type: ignore[attr-defined]


def lines(widget: ConversationList) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.scrollable_content_region.height)]


def strips(widget: ConversationList) -> list[Strip]:
    return [widget.render_line(y) for y in range(widget.scrollable_content_region.height)]


async def start(
    app: Host, rows: Sequence[ConversationSummary], *, complete: bool = True
) -> ConversationList:
    widget = app.query_one(ConversationList)
    widget.set_conversations(rows, complete=complete)
    widget.focus()
    return widget


async def test_row_shows_name_number_time_preview_and_unread_badge() -> None:
    anna = convo(
        0, name="Anna", number="48512345678", key="48512345678", unread=3, preview="See you\nsoon"
    )
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, [anna, convo(1)])
        await pilot.pause()
        first, second, *_ = lines(widget)
        width = widget.scrollable_content_region.width
        assert first.startswith(CURSOR + "Anna +48 512 345 678")
        assert first.endswith(" 11:59 ")
        assert second.startswith(" See you soon ")
        assert second.endswith(" 3  ")
        assert len(first) == len(second) == width


async def test_older_times_and_number_without_name() -> None:
    yesterday = convo(0, name="", number="48512345678", timestamp=NOW - 86_400)
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, [yesterday])
        await pilot.pause()
        first = lines(widget)[0]
        assert first.startswith(CURSOR + "+48 512 345 678 ")
        assert first.rstrip().endswith("Yesterday")


async def test_outbound_preview_has_you_prefix_and_status_glyph_in_its_tone() -> None:
    failed = convo(1, last_outbound=True, last_status="failed", preview="Call me")
    look = describe_status("failed")
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, [convo(0), failed])
        await pilot.pause()
        preview_line = widget.render_line(3)
        expected = f"You: {look.glyph} Call me" if look.glyph else "You: Call me"
        assert preview_line.text.startswith(" " + expected)
        if look.glyph:
            glyph_styles = [
                segment.style for segment in preview_line if segment.text.strip() == look.glyph
            ]
            tone = widget.get_visual_style(f"conversation-list--status-{look.tone}").rich_style
            assert glyph_styles
            assert glyph_styles[0] is not None
            assert glyph_styles[0].color == tone.color


async def test_alphanumeric_sender_is_shown_as_is() -> None:
    shop = convo(0, key="myshop", number="MyShop", name="")
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, [shop])
        await pilot.pause()
        assert lines(widget)[0].startswith(CURSOR + "MyShop ")


async def test_cursor_keys_move_highlight_and_post_highlighted() -> None:
    rows = many(30)
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, rows)
        await pilot.pause()
        assert widget.highlighted_key == rows[0].key
        await pilot.press("down", "j")
        assert widget.highlighted_key == rows[2].key
        await pilot.press("k")
        assert widget.highlighted_key == rows[1].key
        await pilot.press("G")
        assert widget.highlighted_key == rows[-1].key
        assert widget.scroll_offset.y == widget.max_scroll_y
        await pilot.press("g")
        assert widget.highlighted_key == rows[0].key
        assert widget.scroll_offset.y == 0
        await pilot.press("pagedown")
        page = widget.scrollable_content_region.height // 2
        assert widget.highlighted_key == rows[page].key
        await pilot.press("end", "up", "home")
        await pilot.pause()
        assert app.keys(ConversationList.ConversationHighlighted) == [
            rows[0].key,  # the first rows arrived: the cursor rests on the newest
            rows[1].key,
            rows[2].key,
            rows[1].key,
            rows[-1].key,
            rows[0].key,
            rows[page].key,
            rows[-1].key,
            rows[-2].key,
            rows[0].key,
        ]


async def test_cursor_row_stays_visible_when_moving_down() -> None:
    rows = many(30)
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, rows)
        await pilot.pause()
        height = widget.scrollable_content_region.height
        for _ in range(height // 2):
            await pilot.press("down")
        await pilot.pause()
        # Scrolled by exactly one row: the cursor row is the last one on screen.
        assert widget.scroll_offset.y == 2
        assert lines(widget)[height - 2].startswith(CURSOR + f"Person {height // 2} ")


async def test_new_rows_above_keep_the_cursor_row_on_the_same_screen_line() -> None:
    rows = many(30)
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, rows)
        for _ in range(15):
            await pilot.press("down")
        await pilot.pause()
        before = lines(widget)
        screen_line = before.index(next(line for line in before if "Person 15 " in line))
        newcomer = convo(99, name="Newcomer", key="newcomer", timestamp=NOW)
        widget.set_conversations([newcomer, *rows], complete=True)
        await pilot.pause()
        after = lines(widget)
        assert widget.highlighted_key == rows[15].key
        assert "Person 15 " in after[screen_line]
        await pilot.press("home")
        await pilot.pause()
        assert lines(widget)[0].startswith(CURSOR + "Newcomer ")


async def test_mouse_wheel_scrolls_and_asks_for_more_near_the_end() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, many(30), complete=False)
        await pilot.pause()
        # Pilot has no public wheel helper; this is how its click() delivers mouse events.
        await pilot._post_mouse_events([events.MouseScrollDown], ConversationList, (5, 5))
        await pilot.pause()
        assert widget.scroll_offset.y > 0
        assert widget.highlighted_key == "48512340000"  # the wheel moves the view, not the cursor
        assert app.of(ConversationList.MoreConversationsWanted) == []
        for _ in range(20):
            await pilot._post_mouse_events([events.MouseScrollDown], ConversationList, (5, 5))
        await pilot.pause()
        assert widget.scroll_offset.y == widget.max_scroll_y
        assert len(app.of(ConversationList.MoreConversationsWanted)) == 1


async def test_enter_chooses_highlighted_conversation() -> None:
    rows = many(5)
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, rows)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.keys(ConversationList.ConversationChosen) == [rows[1].key]


async def test_click_highlights_and_chooses() -> None:
    rows = many(5)
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, rows)
        await pilot.pause()
        await pilot.click(ConversationList, offset=(5, 5))  # second line of the third row
        await pilot.pause()
        assert widget.highlighted_key == rows[2].key
        assert app.keys(ConversationList.ConversationChosen) == [rows[2].key]


async def test_open_conversation_keeps_its_marker_when_cursor_moves() -> None:
    rows = many(5)
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, rows)
        widget.set_open_key(rows[0].key)
        await pilot.press("down", "down")
        await pilot.pause()
        shown = lines(widget)
        assert widget.selected_key == rows[0].key
        assert shown[0].startswith("▌")
        assert shown[1].startswith("▌")
        assert not shown[4].startswith("▌")
        widget.set_open_key(None)
        await pilot.pause()
        assert not lines(widget)[0].startswith("▌")


async def test_cursor_is_dimmer_without_focus() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, many(3))
        await pilot.pause()
        focused = widget.render_line(0)
        app.set_focus(None)
        await pilot.pause()
        blurred = widget.render_line(0)
        assert focused.text == blurred.text
        assert list(focused)[1].style != list(blurred)[1].style


async def test_more_wanted_only_near_the_bottom_and_once() -> None:
    rows = many(100)
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, rows, complete=False)
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert app.of(ConversationList.MoreConversationsWanted) == []
        await pilot.press("end")
        await pilot.pause()
        assert len(app.of(ConversationList.MoreConversationsWanted)) == 1
        await pilot.press("up", "down", "up")
        await pilot.pause()
        assert len(app.of(ConversationList.MoreConversationsWanted)) == 1
        # The next page arrives: the loading row goes, more rows come, the view is no longer
        # near the end, so nothing more is asked for until the user scrolls down again.
        widget.set_loading_more(True)
        await pilot.pause()
        assert lines(widget)[-1].strip() == "Loading more…"
        widget.set_conversations(many(200), complete=False)
        widget.set_loading_more(False)
        await pilot.pause()
        assert widget.highlighted_key == rows[-2].key
        assert len(app.of(ConversationList.MoreConversationsWanted)) == 1
        await pilot.press("end")
        await pilot.pause()
        assert len(app.of(ConversationList.MoreConversationsWanted)) == 2


async def test_more_not_wanted_when_complete_or_while_loading() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, many(40), complete=True)
        await pilot.press("end")
        await pilot.pause()
        widget.set_loading_more(True)
        widget.set_conversations(many(40), complete=False)
        await pilot.press("up", "down")
        await pilot.pause()
        assert app.of(ConversationList.MoreConversationsWanted) == []
        widget.set_loading_more(False)
        await pilot.pause()
        assert len(app.of(ConversationList.MoreConversationsWanted)) == 1


async def test_more_wanted_at_once_when_rows_do_not_fill_the_view() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await start(app, many(3), complete=False)
        await pilot.pause()
        assert len(app.of(ConversationList.MoreConversationsWanted)) == 1


async def test_filtered_subset_keeps_highlighted_conversation() -> None:
    rows = many(20)
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, rows)
        for _ in range(7):
            await pilot.press("down")
        subset = [row for row in rows if row.name.endswith("7") or row.name.endswith("2")]
        widget.filter_query = "7"
        widget.set_conversations(subset, complete=True)
        await pilot.pause()
        assert widget.highlighted_key == rows[7].key
        assert widget.highlighted == rows[7]
        # The key left the subset: the cursor stays at the same (clamped) index.
        widget.set_conversations(subset[:1], complete=True)
        await pilot.pause()
        assert widget.highlighted_key == subset[0].key
        widget.set_conversations(rows, complete=True)
        assert widget.highlight_key(rows[15].key)
        assert not widget.highlight_key("no-such-key")
        assert widget.highlighted_key == rows[15].key


async def test_filter_query_is_emphasised() -> None:
    anna = convo(0, name="Anna", number="48512345678", key="48512345678")
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, [anna, convo(1)])
        widget.filter_query = "512345"
        await pilot.pause()
        underlined = "".join(
            segment.text
            for segment in widget.render_line(0)
            if segment.style is not None and segment.style.underline
        )
        assert underlined == "512 345"


async def test_empty_text_is_shown_literally() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, [])
        await pilot.pause()
        assert "No conversations yet" in "".join(lines(widget))
        widget.set_empty_text("No match for “[b]x[/b]”")
        await pilot.pause()
        assert lines(widget)[1].strip() == "No match for “[b]x[/b]”"
        assert widget.highlighted is None
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.posted == []


async def test_hostile_text_renders_literally_on_one_line_within_width() -> None:
    corpus = [clean_text(text) for text in HOSTILE_CORPUS]
    rows = [
        convo(index, name=text, preview=text, number=f"Sender{text}", unread=index)
        for index, text in enumerate(corpus)
    ]
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, rows)
        width = widget.scrollable_content_region.width
        for index in range(len(rows)):
            widget.highlight_key(rows[index].key)
            await pilot.pause()
            for strip in strips(widget):
                assert strip.cell_length == width
                assert "\n" not in strip.text
                assert "\x1b" not in strip.text
        widget.highlight_key(rows[0].key)
        await pilot.pause()
        shown = "\n".join(lines(widget))
        for literal in ("[/x]", "[@click=app.quit]q[/]"):
            assert literal in shown
        # Clicking the would-be action link chooses the row and does not quit.
        row_of_click = next(i for i, text in enumerate(corpus) if text.startswith("[@click"))
        widget.highlight_key(rows[row_of_click].key)
        await pilot.pause()
        screen_row = row_of_click * 2 - widget.scroll_offset.y
        await pilot.click(ConversationList, offset=(3, screen_row))
        await pilot.pause()
        assert app.is_running
        assert app.keys(ConversationList.ConversationChosen) == [rows[row_of_click].key]


async def test_long_token_is_truncated_with_ellipsis() -> None:
    long = convo(0, name="Z" * 3000, preview="漢" * 3000)
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, [long])
        await pilot.pause()
        first, second, *_ = strips(widget)
        width = widget.scrollable_content_region.width
        assert first.cell_length == second.cell_length == width
        assert "…" in first.text
        assert "…" in second.text


async def test_theme_change_repaints_rows() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, many(3))
        await pilot.pause()
        before = widget.render_line(2)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        after = widget.render_line(2)
        assert before.text == after.text
        assert list(before)[1].style != list(after)[1].style


async def test_ten_thousand_rows_render_only_what_is_visible(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[str] = []
    build = conversation_list_module.build_row_strips

    def counting_build(row: ConversationSummary, **kwargs: object) -> tuple[Strip, Strip]:
        built.append(row.key)
        return build(row, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(conversation_list_module, "build_row_strips", counting_build)
    rows = many(10_000)
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        widget = await start(app, rows)
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        assert widget.highlighted_key == rows[-1].key
        height = widget.scrollable_content_region.height
        assert lines(widget)[height - 2].startswith(CURSOR + "Person 9999 ")
        visible_rows = height // 2
        # Two screens were shown (top, then bottom); the cursor row is drawn twice (it moved
        # away from row 0 and onto row 9,999), and focus changes can redraw a few more.
        assert len(set(built)) <= 2 * visible_rows + 2
        assert len(built) <= 4 * visible_rows
