"""On a wide terminal the thread keeps a reading width; the focused pane's title is calm."""

from __future__ import annotations

from tests.app.compose_helpers import inbox_of, wait_for
from tests.app_fixtures import STANDARD, MakeApp, settle

READING_WIDTH = 100


async def test_the_thread_keeps_a_reading_width_at_200_columns(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: inbox.message_pane.has_focus, what="the thread")
        await settle(pilot)
        pane, column = inbox.message_pane.region, inbox.query_one("#thread-pane").region
        assert pane.width <= READING_WIDTH
        assert column.width > READING_WIDTH + 20, "the terminal is wide enough to cap"
        left, right = pane.x - column.x, column.right - pane.right
        assert abs(left - right) <= 1, "centred in the thread's column"
        assert inbox.composer.region.width == column.width, "the composer keeps the width"


async def test_the_focused_title_is_not_tinted_red(make_app: MakeApp) -> None:
    """textual-dark's orange accent at 15% reads as dark red: an error, not focus."""
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        inbox.conversation_list.focus()
        await pilot.pause()
        title = inbox.query_one("#list-title")
        _, background = title.background_colors
        assert background.r < max(background.g, background.b), background
