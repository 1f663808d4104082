"""Enter in the filter box (``/``) opens the top match; Esc still closes the filter."""

from __future__ import annotations

import pytest

from tests.app.compose_helpers import inbox_of
from tests.app_fixtures import NARROW, STANDARD, MakeApp, settle


@pytest.mark.parametrize("size", [STANDARD, NARROW])
async def test_enter_in_the_filter_opens_the_top_match(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    """/ name Enter: the first conversation listed opens with the focus on it; / Esc closes."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        target = next(r for r in inbox.conversation_list.rows[3:] if r.name)
        await pilot.press("slash", *target.name.split()[-1].lower())
        await pilot.pause()
        top = inbox.conversation_list.rows[0]
        assert target.key in {r.key for r in inbox.conversation_list.rows}
        assert inbox.thread is None or inbox.thread.key != top.key
        await pilot.press("enter")
        await settle(pilot)
        assert inbox.thread is not None
        assert inbox.thread.key == top.key
        assert inbox.message_pane.has_focus
        assert inbox.conversation_list.highlighted_key == top.key
        await pilot.press("slash")
        await pilot.pause()
        assert inbox.query_one("#filter").has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert not inbox.query_one("#filter").display
        assert inbox.conversation_list.has_focus


async def test_enter_in_a_filter_without_matches_keeps_the_filter(make_app: MakeApp) -> None:
    """No match: Enter only rings; the filter keeps the focus and what was typed."""
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        opened = inbox.thread.key if inbox.thread else None
        await pilot.press("slash", *"zzqx")
        await pilot.pause()
        assert not inbox.conversation_list.rows
        await pilot.press("enter")
        await pilot.pause()
        assert inbox.query_one("#filter").has_focus
        assert (inbox.thread.key if inbox.thread else None) == opened


async def test_opening_a_conversation_from_the_filter_ends_the_filter(make_app: MakeApp) -> None:
    """The filter stays on no longer: the next conversation opened (here with n, a number
    the filter would not match) is in the list, under the cursor."""
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        everyone = len(inbox.conversation_list.rows)
        target = next(r for r in inbox.conversation_list.rows[3:] if r.name)
        await pilot.press("slash", *target.name.split()[-1].lower(), "down", "enter")
        await settle(pilot)
        assert inbox.thread is not None
        assert not inbox.query_one("#filter").display
        assert inbox.conversation_list.filter_query == ""
        assert len(inbox.conversation_list.rows) == everyone
        assert inbox.conversation_list.highlighted_key == inbox.thread.key
        inbox.start_conversation("48500000777")
        await settle(pilot)
        assert inbox.thread is not None
        assert inbox.thread.key in {row.key for row in inbox.conversation_list.rows}
        assert inbox.conversation_list.highlighted_key == inbox.thread.key


async def test_a_narrow_start_puts_the_cursor_on_the_last_open_conversation(
    make_app: MakeApp,
) -> None:
    """At 60 columns the list comes first; its cursor is where the user was last time."""
    first = make_app()
    async with first.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        inbox = inbox_of(first)
        last = inbox.conversation_list.rows[4].key
        inbox.open_conversation(last)
        await settle(pilot)
    again = make_app()
    async with again.run_test(size=NARROW) as pilot:
        await settle(pilot)
        inbox = inbox_of(again)
        assert inbox.conversation_list.highlighted_key == last
        assert inbox.conversation_list.has_focus
        await pilot.press("enter")
        await settle(pilot)
        assert inbox.thread is not None
        assert inbox.thread.key == last
