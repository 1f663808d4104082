"""The message pane as a user sees it: rows read back from the screen, keys, clicks, paging."""

from __future__ import annotations

import itertools
import random
import re
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

import pytest
from rich.cells import cell_len
from textual import on
from textual.app import App, ComposeResult
from textual.message import Message as TextualMessage
from textual.pilot import Pilot

from smstui.domain.models import Attachment, Message
from smstui.domain.sanitize import clean_text
from smstui.domain.timefmt import day_key
from smstui.system.clock import FixedClock
from smstui.ui.widgets.message_pane import MessagePane
from smstui.ui.widgets.thread_layout import ThreadLayout
from smstui.ui.widgets.wrap import _wrap_ascii, _wrap_cells, body_height, body_lines, wrap_text
from tests.unit.hostile import HOSTILE_CORPUS

PostedT = TypeVar("PostedT", bound=TextualMessage)

NOW = 1_749_124_800  # 2025-06-05 12:00 UTC, a Thursday (the suite pins TZ=UTC)
HOUR = 3_600
SIZE = (80, 24)


def make_messages(
    count: int,
    *,
    first: int = 0,
    start: int = NOW - 10 * HOUR,
    step: int = 60,
    text: str = "message {i}",
    status: str = "DELIVERED",
) -> list[Message]:
    """Alternating inbound (even) and outbound (odd) messages, oldest first, keys ``id:<i>``."""
    return [
        Message(
            key=f"id:{i}",
            message_id=str(i),
            outbound=i % 2 == 1,
            sender="48500100200" if i % 2 == 0 else "me",
            receiver="me" if i % 2 == 0 else "48500100200",
            text=text.format(i=i),
            attachments=(),
            timestamp=start + (i - first) * step,
            status=status if i % 2 == 1 else "",
        )
        for i in range(first, first + count)
    ]


def one(key: int, text: str, *, outbound: bool = False, **changes: object) -> Message:
    fields: dict[str, object] = {
        "key": f"id:{key}",
        "message_id": str(key),
        "outbound": outbound,
        "sender": "me" if outbound else "48500100200",
        "receiver": "48500100200" if outbound else "me",
        "text": text,
        "attachments": (),
        "timestamp": NOW - HOUR,
        "status": "SUBMITTED" if outbound else "",
    }
    fields.update(changes)
    return Message(**fields)  # type: ignore[arg-type]


class Host(App[None]):
    """A bare app around one pane that records everything the pane posts."""

    def __init__(self) -> None:
        super().__init__()
        self.posted: list[TextualMessage] = []
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield MessagePane(clock=FixedClock(NOW), id="pane")

    def on_mount(self) -> None:
        self.query_one(MessagePane).focus()

    def bell(self) -> None:
        self.bells += 1

    @on(MessagePane.OlderMessagesWanted)
    @on(MessagePane.CursorMoved)
    @on(MessagePane.AttachmentsRequested)
    @on(MessagePane.CopyRequested)
    @on(MessagePane.NewMessagesPending)
    def record(self, message: TextualMessage) -> None:
        self.posted.append(message)

    def of(self, kind: type[PostedT]) -> list[PostedT]:
        return [message for message in self.posted if isinstance(message, kind)]

    @property
    def pane(self) -> MessagePane:
        return self.query_one(MessagePane)


def rows(pane: MessagePane) -> list[str]:
    """The pane's visible rows as text (scrollbar excluded)."""
    return [pane.render_line(y).text for y in range(pane.size.height)]


def row_of(pane: MessagePane, needle: str) -> int:
    found = [y for y, text in enumerate(rows(pane)) if needle in text]
    assert found, f"{needle!r} not on screen:\n" + "\n".join(rows(pane))
    return found[0]


async def open_thread(
    pilot: Pilot[None], app: Host, messages: Sequence[Message], *, complete: bool = False
) -> MessagePane:
    app.pane.show_conversation("k1", messages, complete=complete, title="Alice")
    await pilot.pause()
    return app.pane


# Opening and layout ---------------------------------------------------------------------------


async def test_opens_at_the_newest_message_with_the_cursor_on_it() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(pilot, app, make_messages(60))
        assert "message 59" in "\n".join(rows(pane)[-4:])
        assert pane.scroll_offset.y == pane.max_scroll_y > 0
        assert pane.cursor_message is not None
        assert pane.cursor_message.key == "id:59"
        moved = app.of(MessagePane.CursorMoved)
        assert moved
        assert moved[-1].message.key == "id:59"
        assert moved[-1].key == "k1"


async def test_inbound_sits_left_outbound_right_with_status_and_time() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(pilot, app, make_messages(4, text="hello number {i}"))
        width = pane.scrollable_content_region.width
        inbound = rows(pane)[row_of(pane, "hello number 2")]
        outbound = rows(pane)[row_of(pane, "hello number 1")]  # 3 has the cursor bar
        assert inbound.index("hello number 2") == 2  # edge column + one cell of padding
        assert outbound.index("hello number 1") > width // 2
        status = rows(pane)[row_of(pane, "✓✓ delivered")]
        assert len(status.rstrip()) == width - 2  # right-aligned, padding + edge column after
        assert status.rstrip().endswith("✓✓ delivered")
        assert "02:01" in status  # message 1: 10 h before 12:00, plus a minute


async def test_every_status_reads_as_a_word() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        statuses = ["SUBMITTED", "NOT DELIVERED", "rejected", "BUFFERED", "EXPIRED"]
        messages = [one(i, f"text {i}", outbound=True, status=s) for i, s in enumerate(statuses)]
        pane = await open_thread(pilot, app, messages)
        screen = "\n".join(rows(pane))
        for shown in ("✓ sent", "✗ not delivered", "⊘ rejected", "◷ buffered", "? EXPIRED"):
            assert shown in screen


async def test_day_separators_head_each_day() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        yesterday = make_messages(2, start=NOW - 26 * HOUR)
        today = make_messages(2, first=2, start=NOW - 2 * HOUR)
        pane = await open_thread(pilot, app, yesterday + today)
        screen = rows(pane)
        assert [line.strip() for line in screen if "────" in line] == [
            "──── Yesterday ────",
            "──── Today ────",
        ]
        assert row_of(pane, "Yesterday") < row_of(pane, "message 1") < row_of(pane, "Today")
        centred = screen[row_of(pane, "Today")]
        left = len(centred) - len(centred.lstrip())
        right = len(centred) - len(centred.rstrip())
        assert abs(left - right) <= 1


async def test_attachments_are_listed_and_an_empty_body_takes_no_line() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        photo = Attachment("cat.jpg", "https://example.com/cat.jpg", "image/jpeg")
        doc = Attachment("plan.pdf", "https://example.com/plan.pdf", "application/pdf")
        pane = await open_thread(pilot, app, [one(1, "", attachments=(photo, doc))])
        photo_row = row_of(pane, "📎 cat.jpg · image")
        assert rows(pane)[photo_row + 1].strip("▌ ") == "📎 plan.pdf · application/pdf"
        assert rows(pane)[photo_row - 1].strip() == "──── Today ────"


async def test_clear_shows_a_centred_hint() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(pilot, app, make_messages(3))
        pane.clear("Pick someone")
        await pilot.pause()
        screen = rows(pane)
        assert [line.strip() for line in screen if line.strip()] == ["Pick someone"]
        assert pane.conversation_key is None
        assert pane.cursor_message is None
        assert pane.message_count == 0


# Older pages --------------------------------------------------------------------------------------


async def test_prepend_keeps_every_visible_row_exactly() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(pilot, app, make_messages(40, first=100))
        await pilot.press("pageup", "pageup")
        before = rows(pane)
        older = make_messages(25, first=75, start=NOW - 10 * HOUR - 25 * 60)
        pane.prepend_older(older, complete=False)
        assert rows(pane) == before  # in the same frame, before any repaint
        await pilot.pause()
        assert rows(pane) == before
        assert pane.message_count == 65


async def test_prepend_at_the_top_keeps_the_first_message_on_its_row() -> None:
    """The old first message loses its day separator (same day) but stays put."""
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(pilot, app, make_messages(30, first=100))
        await pilot.press("home")
        pane.set_loading(True)
        await pilot.pause()
        assert rows(pane)[0].strip() == "Loading older messages…"
        row = row_of(pane, "message 100")
        pane.set_loading(False)
        pane.prepend_older(make_messages(10, first=90, start=NOW - 10 * HOUR - 600), complete=True)
        await pilot.pause()
        assert row_of(pane, "message 100") == row
        assert "Loading older" not in "\n".join(rows(pane))
        # Same day: no separator any more; the page's newest message ends just above.
        assert rows(pane)[row - 1].strip() == ""
        assert rows(pane)[row - 2].strip().startswith("01:59  ✓✓ delivered")


async def test_loading_row_and_start_marker() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(pilot, app, make_messages(30))
        await pilot.press("home")
        assert rows(pane)[0].strip() == ""
        pane.set_loading(True)
        await pilot.pause()
        assert rows(pane)[0].strip() == "Loading older messages…"
        assert pane.loading_older
        pane.set_loading(False)
        await pilot.pause()
        assert rows(pane)[0].strip() == ""
        pane.prepend_older([], complete=True)
        await pilot.pause()
        assert rows(pane)[0].strip() == "Start of conversation with Alice"


async def test_older_messages_are_wanted_only_near_the_top() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(pilot, app, make_messages(120))
        height = pane.scrollable_content_region.height
        while pane.scroll_offset.y > 0:
            if pane.scroll_offset.y > height:
                assert not app.of(MessagePane.OlderMessagesWanted), pane.scroll_offset
            await pilot.press("pageup")
            await pilot.pause()
        wanted = app.of(MessagePane.OlderMessagesWanted)
        assert len(wanted) == 1
        assert wanted[0].key == "k1"
        await pilot.press("pageup", "home", "up")
        await pilot.pause()
        assert len(app.of(MessagePane.OlderMessagesWanted)) == 1, "asked twice for one state"
        # A failed load (loading on, then off, nothing added) does not ask again by itself ...
        pane.set_loading(True)
        pane.set_loading(False)
        await pilot.pause()
        assert len(app.of(MessagePane.OlderMessagesWanted)) == 1
        # ... but a page that arrived is a new state.
        pane.prepend_older(make_messages(5, first=-5, start=NOW - 11 * HOUR), complete=False)
        await pilot.pause()
        assert len(app.of(MessagePane.OlderMessagesWanted)) == 2


async def test_a_short_thread_asks_for_older_at_once_but_not_while_loading_or_complete() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await open_thread(pilot, app, make_messages(3), complete=True)
        assert not app.of(MessagePane.OlderMessagesWanted)
        app.pane.show_conversation("k1", [], complete=False)
        app.pane.set_loading(True)  # what the screen does when it opens a thread
        await pilot.pause()
        assert not app.of(MessagePane.OlderMessagesWanted)
        assert "Loading messages…" in "\n".join(rows(app.pane))
        app.pane.set_loading(False)
        app.pane.show_conversation("k1", make_messages(3), complete=False)
        await pilot.pause()
        assert len(app.of(MessagePane.OlderMessagesWanted)) == 1


# New messages and updates -------------------------------------------------------------------------


async def test_new_messages_are_followed_at_the_bottom() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(pilot, app, make_messages(30))
        pane.append_new(make_messages(1, first=30, start=NOW - HOUR, text="just arrived"))
        await pilot.pause()
        assert "just arrived" in "\n".join(rows(pane)[-5:])
        assert pane.pending_new == 0


async def test_new_messages_while_reading_older_ones_do_not_move_the_view() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(pilot, app, make_messages(40))
        await pilot.press("pageup", "pageup")
        await pilot.pause()
        before = rows(pane)
        pane.append_new(make_messages(2, first=40, start=NOW - HOUR))
        await pilot.pause()
        after = rows(pane)
        assert after[:-1] == before[:-1]
        assert after[-1].strip() == "↓ 2 new messages"
        assert pane.pending_new == 2
        pending = app.of(MessagePane.NewMessagesPending)
        assert pending[-1].count == 2
        await pilot.press("G")
        await pilot.pause()
        assert pane.pending_new == 0
        assert app.of(MessagePane.NewMessagesPending)[-1].count == 0
        assert "message 41" in "\n".join(rows(pane)[-4:])


async def test_a_status_update_changes_the_word_in_place() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        messages = make_messages(30, status="SUBMITTED")
        pane = await open_thread(pilot, app, messages)
        await pilot.press("pageup")
        await pilot.pause()
        before = rows(pane)
        target = next(y for y, line in enumerate(before) if "✓ sent" in line)
        offset = pane.scroll_offset.y
        replaced = [
            replace(message, status="DELIVERED") for message in messages if message.outbound
        ]
        pane.update_messages(replaced)
        await pilot.pause()
        after = rows(pane)
        assert pane.scroll_offset.y == offset
        assert "✓✓ delivered" in after[target]
        assert [line for line in after if "✓ sent" in line] == []
        # Only outbound bubbles changed (their meta line, and their width with it).
        changed = [y for y, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
        outbound = re.compile(r"delivered|message \d*[13579]\b")
        assert changed
        assert all(outbound.search(after[y]) for y in changed)


async def test_a_taller_update_above_keeps_the_view_anchored() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        messages = make_messages(40)
        pane = await open_thread(pilot, app, messages)
        await pilot.press("pageup", "pageup")
        await pilot.pause()
        first_visible = next(
            int(m.group(1)) for line in rows(pane) if (m := re.search(r"message (\d+)", line))
        )
        row = row_of(pane, f"message {first_visible}")
        edited = messages[first_visible - 3]
        pane.update_messages([replace(edited, text="long " * 60)])
        await pilot.pause()
        assert row_of(pane, f"message {first_visible}") == row


# Cursor, keys and mouse ---------------------------------------------------------------------------


def cursor_rows(pane: MessagePane) -> list[int]:
    width = pane.scrollable_content_region.width
    return [y for y, line in enumerate(rows(pane)) if line[:1] == "▌" or line[width - 1 :] == "▐"]


async def test_cursor_keys_move_the_highlight_by_message() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(pilot, app, make_messages(30))
        assert cursor_rows(pane) == [row_of(pane, "message 29"), row_of(pane, "message 29") + 1]
        await pilot.press("up", "k")
        await pilot.pause()
        assert pane.cursor_message is not None
        assert pane.cursor_message.key == "id:27"
        assert cursor_rows(pane)[0] == row_of(pane, "message 27")
        assert [m.message.key for m in app.of(MessagePane.CursorMoved)][-2:] == ["id:28", "id:27"]
        await pilot.press("j")
        await pilot.pause()
        assert pane.cursor_message is not None
        assert pane.cursor_message.key == "id:28"
        for _ in range(12):
            await pilot.press("up")
        await pilot.pause()
        assert pane.cursor_message is not None
        assert pane.cursor_message.key == "id:16"
        assert cursor_rows(pane), "the highlighted message scrolled out of view"
        await pilot.press("g")
        await pilot.pause()
        assert pane.cursor_message is not None
        assert pane.cursor_message.key == "id:0"
        assert pane.scroll_offset.y == 0


async def test_open_and_copy_ask_the_screen() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        photo = Attachment("cat.jpg", "https://example.com/cat.jpg", "image/jpeg")
        pane = await open_thread(
            pilot,
            app,
            [one(1, "with a photo", attachments=(photo,)), one(2, "plain", outbound=True)],
        )
        assert pane.offers_hint("open_attachments") is False  # nothing to open: not offered
        await pilot.press("o")
        await pilot.pause()
        assert not app.of(MessagePane.AttachmentsRequested)
        await pilot.press("y")
        await pilot.pause()
        copied = app.of(MessagePane.CopyRequested)
        assert [m.message.text for m in copied] == ["plain"]
        await pilot.press("up", "o")
        await pilot.pause()
        requested = app.of(MessagePane.AttachmentsRequested)
        assert len(requested) == 1
        assert requested[0].message.attachments == (photo,)
        assert requested[0].key == "k1"
        assert pane.cursor_message is not None


async def test_open_is_offered_for_a_link_in_the_text() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(
            pilot,
            app,
            [one(1, "track: https://inpost.example/t/1."), one(2, "www.no-link.example")],
        )
        assert pane.offers_hint("open_attachments") is False
        await pilot.press("up")
        await pilot.pause()
        assert pane.offers_hint("open_attachments") is True
        await pilot.press("o")
        await pilot.pause()
        requested = app.of(MessagePane.AttachmentsRequested)
        assert [m.message.text for m in requested] == ["track: https://inpost.example/t/1."]


async def test_clicking_a_bubble_selects_its_message() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(pilot, app, make_messages(30))
        row = row_of(pane, "message 26")
        await pilot.click(MessagePane, offset=(5, row))
        await pilot.pause()
        assert pane.cursor_message is not None
        assert pane.cursor_message.key == "id:26"
        assert cursor_rows(pane)[0] == row


async def test_resize_keeps_the_message_at_the_top() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(pilot, app, make_messages(60, text="short {i}"))
        await pilot.press("pageup", "pageup", "pageup")
        await pilot.pause()
        top_text = next(m.group(1) for line in rows(pane) if (m := re.search(r"short (\d+)", line)))
        row = row_of(pane, f"short {top_text}")
        await pilot.resize_terminal(50, 24)
        await pilot.pause()
        assert pane.scrollable_content_region.width == 49
        assert row_of(pane, f"short {top_text}") == row
        await pilot.press("end")
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert pane.scroll_offset.y == pane.max_scroll_y
        assert "short 59" in "\n".join(rows(pane)[-4:])


# Hostile text, wrapping and the cache -----------------------------------------------------------


async def test_hostile_text_is_drawn_literally_and_stays_inert() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        texts = [clean_text(text) for text in HOSTILE_CORPUS]
        messages = [one(i, text, outbound=i % 2 == 0) for i, text in enumerate(texts)]
        evil = Attachment("[@click=app.quit]x[/].jpg", "https://e.example/x", "image/[/b]")
        messages.append(one(999, "[/x]", attachments=(evil,)))
        pane = await open_thread(pilot, app, messages)
        width = pane.scrollable_content_region.width
        seen: list[str] = []
        await pilot.press("home")
        for _ in range(200):
            await pilot.pause()
            for y in range(pane.size.height):
                strip = pane.render_line(y)
                assert strip.cell_length == width
                for segment in strip:
                    style = segment.style
                    assert style is None or (not style.link and "@click" not in style.meta)
                seen.append(strip.text)
            if pane.scroll_offset.y >= pane.max_scroll_y:
                break
            await pilot.press("pagedown")
        screen = "\n".join(seen)
        for literal in (
            "[@click=app.quit]q[/]",
            "[/x]",
            "[$accent]accent[/]",
            "漢字",
            "📎 [@click",
        ):
            assert literal in screen
        assert app.is_running


def test_wrap_never_exceeds_the_width_and_measures_what_it_draws() -> None:
    rng = random.Random(20250605)
    pieces = ["a", "bc", " ", " ", "  ", "中", "漢字", "👨\u200d👩\u200d👧", "e\u0301", "❤\ufe0f"]
    pieces += ["🇵🇱", "\n", "ź", "x" * 25, "[/x]", "https://example.com/" + "a" * 40]
    corpus = [clean_text(text) for text in HOSTILE_CORPUS]
    for case in range(3000):
        if case < len(corpus):
            text = corpus[case]
        else:
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        width = rng.randint(2, 40)
        lines = wrap_text(text, width)
        assert lines, text
        assert all(cell_len(line) <= width for line in lines), (text, width, lines)
        for has_attachments in (False, True):
            assert body_height(text, width, has_attachments=has_attachments) == len(
                body_lines(text, width, has_attachments=has_attachments)
            )
    assert wrap_text("one two three", 7) == ["one two", "three"]
    assert wrap_text("a\n\nb", 10) == ["a", "", "b"]
    assert wrap_text("x" * 7, 3) == ["xxx", "xxx", "x"]
    assert wrap_text("漢字漢字漢", 4) == ["漢字", "漢字", "漢"]


def test_the_ascii_fast_path_wraps_like_the_general_one() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice("ab  xyz ") for _ in range(rng.randint(0, 70)))
        width = rng.randint(2, 16)
        fast: list[str] = []
        general: list[str] = []
        _wrap_ascii(text, width, fast)
        _wrap_cells(text, width, general)
        assert fast == general, (text, width)


async def test_repainting_the_same_rows_hits_the_strip_cache() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(pilot, app, make_messages(30))
        rows(pane)
        hits, misses = pane.cache_hits, pane.cache_misses
        rows(pane)
        assert pane.cache_misses == misses
        assert pane.cache_hits > hits


async def test_a_theme_change_repaints_the_bubbles() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(pilot, app, make_messages(4))
        row = row_of(pane, "message 3")

        def bubble_background() -> object:
            strip = pane.render_line(row)
            return next(s.style.bgcolor for s in strip if "message" in s.text and s.style)

        before = bubble_background()
        app.theme = "textual-light"
        await pilot.pause()
        assert bubble_background() != before


@pytest.mark.parametrize("zone", ["Europe/Warsaw", "Australia/Lord_Howe", "America/St_Johns"])
def test_day_separators_match_day_key_across_daylight_saving(
    zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The once-per-day shortcut gives exactly the separators day_key gives, DST days included."""
    rng = random.Random(zone)
    stamps = sorted(rng.randint(1_700_000_000, 1_760_000_000) for _ in range(3000))
    stamps += [stamps[-1] + step for step in range(0, 3 * 86_400, 1_777)]
    messages = [one(i, "x", timestamp=ts) for i, ts in enumerate(sorted(stamps))]
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        layout = ThreadLayout()
        layout.reset(messages)
        keys = [day_key(message.timestamp) for message in messages]
        expected = [1] + [int(a != b) for a, b in itertools.pairwise(keys)]
        assert list(layout.separators) == expected
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


async def test_clicking_the_new_messages_notice_jumps_to_them() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_thread(pilot, app, make_messages(40))
        await pilot.press("pageup", "pageup")
        pane.append_new(make_messages(1, first=40, start=NOW - HOUR, text="fresh one"))
        await pilot.pause()
        notice = rows(pane)[-1]
        await pilot.click(MessagePane, offset=(notice.index("↓") + 2, pane.size.height - 1))
        await pilot.pause()
        assert pane.pending_new == 0
        assert "fresh one" in "\n".join(rows(pane)[-4:])


async def test_a_message_dated_later_shows_when_it_is_scheduled_for() -> None:
    """A gateway that lists a scheduled message among the sent ones, as "submitted", from the
    start: until its time it reads "scheduled for 15:30", not "✓ sent"."""
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        later = NOW + 3 * HOUR + 30 * 60
        tomorrow = NOW + 24 * HOUR
        pane = await open_thread(
            pilot,
            app,
            [
                one(1, "gone already", outbound=True),
                one(2, "goes at half past three", outbound=True, timestamp=later),
                one(3, "goes tomorrow", outbound=True, timestamp=tomorrow),
            ],
        )
        text = "\n".join(rows(pane))
        assert "scheduled for 15:30" in text
        assert "scheduled for 6 Jun 12:00" in text
        assert text.count("✓ sent") == 1, "only the one whose time has passed"
