"""The sign-in form starts in the client id and Tab walks it top to bottom: id, secret, remember,
Sign in. The Show/Hide toggle is Ctrl+R (and a click), not a stop between the secret and the box;
the scrolling card is no stop either (focus there is invisible).
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from smstui.ui.screens.sign_in import SignInScreen
from tests.app_fixtures import NARROW, STANDARD
from tests.widgets.test_screens import Recorder, ScreenHost

ORDER = ["client-id", "secret", "remember", "submit"]


def focused_id(app: ScreenHost) -> str | None:
    return app.focused.id if app.focused is not None else None


async def walk(app: ScreenHost, pilot: Any, key: str, steps: int) -> list[str | None]:
    seen = [focused_id(app)]
    for _ in range(steps):
        await pilot.press(key)
        seen.append(focused_id(app))
    return seen


@pytest.mark.parametrize("size", [STANDARD, NARROW])
async def test_tab_walks_the_form_top_to_bottom_and_back(size: tuple[int, int]) -> None:
    app = ScreenHost(lambda: SignInScreen(verify=Recorder().verify, store=Recorder().store))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert focused_id(app) == "client-id"
        assert await walk(app, pilot, "tab", 4) == [*ORDER, "client-id"]
        assert await walk(app, pilot, "shift+tab", 4) == ["client-id", *reversed(ORDER)]


async def test_a_disabled_remember_box_is_skipped() -> None:
    app = ScreenHost(
        lambda: SignInScreen(verify=Recorder().verify, store=None, keyring_problem="no backend")
    )
    async with app.run_test(size=STANDARD) as pilot:
        await pilot.pause()
        assert await walk(app, pilot, "tab", 3) == ["client-id", "secret", "submit", "client-id"]


async def test_focus_starts_in_the_client_id_even_when_it_is_filled_in() -> None:
    """After a rejection the saved id is filled in and selected: Enter moves on, typing replaces."""
    app = ScreenHost(
        lambda: SignInScreen(
            verify=Recorder().verify, store=None, reason="Rejected", client_id="client-42"
        )
    )
    async with app.run_test(size=STANDARD) as pilot:
        await pilot.pause()
        assert focused_id(app) == "client-id"
        await pilot.press("enter")
        assert focused_id(app) == "secret"
        await pilot.press("shift+tab", *"client-7")
        await pilot.pause()
        assert app.screen.query_one("#client-id", Input).value == "client-7"


async def test_ctrl_r_still_shows_the_secret() -> None:
    app = ScreenHost(lambda: SignInScreen(verify=Recorder().verify, store=None))
    async with app.run_test(size=STANDARD) as pilot:
        await pilot.pause()
        secret = app.screen.query_one("#secret", Input)
        assert secret.password
        await pilot.press("ctrl+r")
        assert not secret.password
        await pilot.click("#toggle-secret")
        assert secret.password
