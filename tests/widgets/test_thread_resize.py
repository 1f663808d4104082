"""A width change with a long history: the view is right at once, the rest is measured lazily.

After a resize only the messages in (and near) the view are wrapped before the next frame; the
other heights are estimates refined in slices between frames. These tests check that what is on
screen is right immediately, that the message at the top stays on its row while the rest is
measured, and that the layout ends exactly as a full re-measure would make it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from smstui.domain.models import Message
from smstui.ui.widgets import layout_heights
from smstui.ui.widgets.message_pane import MessagePane
from smstui.ui.widgets.thread_layout import ThreadLayout
from smstui.ui.widgets.thread_view import REFINE_SLICE
from tests.widgets.test_message_pane import Host, make_messages, open_thread, row_of, rows

WORDS = ["ok", "see you", "on my way", "lorem", "ipsum dolor", "sit amet", "consectetur"]


def mixed(count: int, seed: int = 9) -> list[Message]:
    """Messages of mixed lengths (heights change with the width), text ``m<i> …``, about
    2 h 12 min apart (so day separators too)."""
    rng = random.Random(seed)
    return [
        replace(m, text=f"m{i} " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 30))))
        for i, m in enumerate(make_messages(count, step=7_919))
    ]


def full_measure(pane: MessagePane) -> ThreadLayout:
    """The layout a full, eager re-measure gives at the pane's current width."""
    fresh = ThreadLayout()
    fresh.reset(pane._layout.messages)
    for key, note in pane._layout.notes.items():
        fresh.notes[key] = note
    fresh.divider = pane._layout.divider
    fresh.set_width(pane._layout.width)
    return fresh


def top_message(pane: MessagePane) -> tuple[str, int]:
    """The first ``m<i>`` on screen and its row."""
    for y, line in enumerate(rows(pane)):
        if match := re.search(r"\bm(\d+)\b", line):
            return match.group(1), y
    raise AssertionError("no message on screen:\n" + "\n".join(rows(pane)))


def assert_view_exact(pane: MessagePane) -> None:
    """Every message in view is laid out as a full measure would (height and prefix sums)."""
    layout = pane._layout
    fresh = full_measure(pane)
    first = layout.index_at(pane.scroll_offset.y - 1)
    last = layout.index_at(pane.scroll_offset.y + pane.size.height)
    assert not layout.has_estimates(first, last + 1)
    for index in range(first, last + 1):
        assert layout.heights[index] == fresh.heights[index]
        assert layout.tops[index + 1] - layout.tops[index] == fresh.heights[index]


def hold_refinement(pane: MessagePane, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Stop background slices from running by themselves; returns a list counting requests."""
    requested: list[int] = []
    monkeypatch.setattr(pane, "_schedule_refine", lambda: requested.append(1))
    return requested


def refine_all(pane: MessagePane) -> int:
    steps = 0
    while pane._layout.stale:
        pane._refine_step()
        steps += 1
        assert steps < 10_000
    return steps


async def test_visible_rows_are_right_at_once_and_the_layout_converges_to_a_full_measure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_thread(pilot, app, mixed(6_000))
        for _ in range(40):
            await pilot.press("pageup")
        await pilot.pause()
        cursor = pane.cursor_message
        number, row = top_message(pane)
        requested = hold_refinement(pane, monkeypatch)

        await pilot.resize_terminal(61, 30)
        await pilot.pause()
        layout = pane._layout
        assert layout.width == pane.scrollable_content_region.width
        assert layout.stale > 0, "the whole history was measured synchronously"
        assert requested, "no background measuring was scheduled"
        assert top_message(pane) == (number, row)  # the message at the top kept its row
        assert pane.cursor_message == cursor
        at_once = rows(pane)
        # Every message in view is measured, and drawn where a full measure puts it.
        first = layout.index_at(pane.scroll_offset.y - 1)
        last = layout.index_at(pane.scroll_offset.y + pane.size.height)
        assert not layout.has_estimates(first, last + 1)
        fresh = full_measure(pane)
        assert list(layout.heights[first : last + 1]) == list(fresh.heights[first : last + 1])

        steps = refine_all(pane)
        assert steps >= 6_000 // REFINE_SLICE - 1
        await pilot.pause()
        assert rows(pane) == at_once  # the refinement never moved what the user sees
        assert list(layout.heights) == list(fresh.heights)
        assert list(layout.tops) == list(fresh.tops)
        assert pane.virtual_size.height == 1 + fresh.total
        assert pane.cursor_message == cursor


async def test_keys_after_a_resize_land_on_measured_messages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = Host()
    async with app.run_test(size=(100, 24)) as pilot:
        pane = await open_thread(pilot, app, mixed(5_000, seed=3))
        hold_refinement(pane, monkeypatch)
        await pilot.resize_terminal(50, 24)
        await pilot.pause()
        assert pane._layout.stale > 0
        assert pane.scroll_offset.y == pane.max_scroll_y  # still at the newest message
        assert "m4999" in "\n".join(rows(pane))
        # Two background slices: measured, not yet published; PgUp goes among them.
        stale = pane._layout.stale
        pane._refine_step()
        pane._refine_step()
        assert pane._layout.stale == stale - 2 * REFINE_SLICE
        await pilot.press("pageup", "pageup", "pageup")
        await pilot.pause()
        assert_view_exact(pane)
        await pilot.press("home")
        await pilot.pause()
        assert pane.scroll_offset.y == 0
        assert pane.cursor_message is not None
        assert pane.cursor_message.key == "id:0"
        assert row_of(pane, "m0 ") >= 1
        for _ in range(5):
            await pilot.press("pagedown")
        await pilot.press("down", "down")
        await pilot.pause()
        cursor = pane.cursor_message
        assert cursor is not None
        # The highlighted message is on screen, whole, measured, and drawn as a full measure would.
        assert row_of(pane, f"m{cursor.message_id} ") >= 0
        index = int(cursor.message_id)
        assert pane._layout.is_exact(index)
        fresh = full_measure(pane)
        assert pane._layout.heights[index] == fresh.heights[index]
        assert pane._layout.stale > 0
        refine_all(pane)
        assert list(pane._layout.tops) == list(fresh.tops)
        assert pane.cursor_message == cursor


async def test_a_resize_with_100k_messages_does_no_linear_wrapping_before_the_frame(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Counts wraps, not time: the resize handler and each frame wrap a screenful or so."""
    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_thread(pilot, app, make_messages(100_000, text="message {i} " * 4))
        await pilot.press("pageup", "pageup")
        await pilot.pause()

        wraps = 0
        real = layout_heights.message_height

        def counting(*args: Any) -> int:
            nonlocal wraps
            wraps += 1
            return real(*args)

        monkeypatch.setattr(layout_heights, "message_height", counting)
        per_call: dict[str, list[int]] = {"_sync_width": [], "render_lines": [], "_refine_step": []}

        def counted(name: str) -> None:
            original: Callable[..., Any] = getattr(pane, name)

            def wrapper(*args: Any) -> Any:
                before = wraps
                try:
                    return original(*args)
                finally:
                    per_call[name].append(wraps - before)

            monkeypatch.setattr(pane, name, wrapper)

        for name in per_call:
            counted(name)

        await pilot.resize_terminal(70, 40)
        await pilot.pause()
        assert pane._layout.width == pane.scrollable_content_region.width
        assert per_call["_sync_width"]
        assert per_call["render_lines"]
        synchronous = per_call["_sync_width"] + per_call["render_lines"]
        assert max(synchronous) < 500, synchronous  # a screenful or three, not 100,000
        await pilot.press("up")  # a key is served while the rest is still being measured
        for _ in range(400):
            if not pane._layout.stale:
                break
            await pilot.pause()
        assert pane._layout.stale == 0
        assert max(per_call["_refine_step"]) <= REFINE_SLICE
        assert sum(per_call["_refine_step"]) > 90_000  # the rest was measured in the background
        fresh = full_measure(pane)
        assert list(pane._layout.tops) == list(fresh.tops)


def test_layout_lazy_width_then_refine_equals_an_eager_measure() -> None:
    messages = mixed(3_000, seed=5)
    layout = ThreadLayout()
    layout.reset(messages)
    layout.set_width(90)
    layout.set_note(messages[10].key, "Not enough credit to send this one, top up first")
    layout.set_divider(messages[2_500].key)
    layout.set_width(37, lazy=True)
    assert layout.stale == 3_000
    layout.measure_around(1_200, before=40, after=80)
    assert layout.is_exact(1_200)
    assert not layout.is_exact(0)
    layout.measure_range(5, 15)
    layout.remove(messages[7].key)
    layout.prepend(mixed(10, seed=6)[:0])  # nothing: no change
    while layout.stale:
        layout.refine(REFINE_SLICE // 4)
    before = list(layout.tops)
    assert layout.publish()
    assert list(layout.tops) != before  # measured heights wait for publish()
    eager = ThreadLayout()
    eager.reset(layout.messages)
    eager.notes = dict(layout.notes)
    eager.divider = layout.divider
    eager.set_width(37)
    assert list(layout.heights) == list(eager.heights)
    assert list(layout.tops) == list(eager.tops)
