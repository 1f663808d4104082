"""Keys that arrive in one read never race focus on the sign-in screen: the secret is never shown.

Password managers' auto-type and a lagging SSH link deliver "id⇥secret⏎" in one read. The app
reads every key before the focused field has applied the first one, so a Tab (or Enter) that
moves focus only when it reaches the field would leave the secret's characters queued for the
client-id field, where they show in clear text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from smstui.fake import FakeGateway
from smstui.ui.screens.inbox import InboxScreen
from smstui.ui.screens.sign_in import SignInScreen
from tests.app.terminal_bytes import deliver
from tests.app_fixtures import SECRET, STANDARD, MakeApp, screen_text

TYPED_SECRET = "mysecret-0123"


async def watch_until(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str, seconds: float = 5.0
) -> list[str]:
    """Let the app run until ``condition()`` holds; return every screen drawn on the way."""
    screens = [screen_text(pilot.app)]
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}:\n{screens[-1]}")
        await pilot.pause(0.02)
        screens.append(screen_text(pilot.app))
    await pilot.pause()
    screens.append(screen_text(pilot.app))
    return screens


def fields(app: Any) -> tuple[str, str]:
    screen = app.screen
    assert isinstance(screen, SignInScreen)
    return (
        screen.query_one("#client-id", Input).value,
        screen.query_one("#secret", Input).value,
    )


async def sign_in_screen(pilot: Pilot[Any]) -> SignInScreen:
    await watch_until(pilot, lambda: isinstance(pilot.app.screen, SignInScreen), "sign-in")
    screen = pilot.app.screen
    assert isinstance(screen, SignInScreen)
    await watch_until(pilot, lambda: screen.query_one("#client-id", Input).has_focus, "focus")
    return screen


async def test_id_tab_secret_in_one_read_fill_their_own_fields(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    app = make_app(fresh_gateway, credentials=None)
    async with app.run_test(size=STANDARD) as pilot:
        await sign_in_screen(pilot)
        deliver(app, f"myid\t{TYPED_SECRET}".encode())
        screens = await watch_until(
            pilot, lambda: fields(app)[1] == TYPED_SECRET, "the secret in its field"
        )
        assert fields(app) == ("myid", TYPED_SECRET)
        assert not [s for s in screens if TYPED_SECRET in s], "the secret was shown"
        assert "myid" in screens[-1]


async def test_id_enter_secret_in_one_read_fill_their_own_fields(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Enter in the client id moves on to the empty secret before the next key is read."""
    app = make_app(fresh_gateway, credentials=None)
    async with app.run_test(size=STANDARD) as pilot:
        await sign_in_screen(pilot)
        deliver(app, f"myid\r{TYPED_SECRET}".encode())
        screens = await watch_until(
            pilot, lambda: fields(app)[1] == TYPED_SECRET, "the secret in its field"
        )
        assert fields(app) == ("myid", TYPED_SECRET)
        assert not [s for s in screens if TYPED_SECRET in s], "the secret was shown"
        assert fresh_gateway.count("GET", "/auth") == 0


async def test_auto_typed_credentials_sign_in_once(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """ "id⇥secret⏎" as a password manager types it: one check with exactly those values."""
    app = make_app(fresh_gateway, credentials=None)
    async with app.run_test(size=STANDARD) as pilot:
        await sign_in_screen(pilot)
        deliver(app, f"test-client\t{SECRET}\r".encode())
        screens = await watch_until(
            pilot, lambda: isinstance(app.screen, InboxScreen), "the inbox after signing in"
        )
        assert not [s for s in screens if SECRET in s], "the secret was shown"
        assert fresh_gateway.count("GET", "/auth") == 1
        credentials = app._credentials
        assert credentials is not None
        assert (credentials.client_id, credentials.secret.reveal()) == ("test-client", SECRET)
