"""``q`` in a thread goes back to the list, as in mutt and aerc; ``q`` on the list quits."""

from __future__ import annotations

from smstui.domain.keymap import Keymap
from tests.app.compose_helpers import inbox_of, wait_for
from tests.app_fixtures import NARROW, STANDARD, MakeApp, settle


async def test_q_in_the_thread_goes_back_and_q_on_the_list_quits(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        screen = inbox_of(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.message_pane.has_focus, what="the thread")
        await pilot.press("q")
        await wait_for(pilot, lambda: screen.conversation_list.has_focus, what="the list")
        assert app.is_running
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, what="the app to quit")


async def test_q_and_escape_leave_the_thread_on_a_narrow_terminal(make_app: MakeApp) -> None:
    """One pane at a time: back shows the list again."""
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = inbox_of(app)
        for key in ("q", "escape"):
            await pilot.press("enter")
            await wait_for(pilot, lambda: screen.has_class("-thread"), what="the thread")
            await pilot.press(key)
            await wait_for(pilot, lambda: not screen.has_class("-thread"), what="the list")
            assert screen.conversation_list.has_focus
        assert app.is_running


async def test_moving_the_back_key_lets_q_quit_from_the_thread(make_app: MakeApp) -> None:
    app = make_app(keys=Keymap({"message_pane.back": "h"}))
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        screen = inbox_of(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.message_pane.has_focus, what="the thread")
        await pilot.press("h")
        await wait_for(pilot, lambda: screen.conversation_list.has_focus, what="the list")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.message_pane.has_focus, what="the thread")
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, what="the app to quit")
