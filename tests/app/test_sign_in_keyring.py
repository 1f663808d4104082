"""The "remember in the OS keyring" box is never ticked when the keyring can't store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input

from smstui.fake import FakeGateway
from smstui.system.clock import FixedClock
from smstui.system.config import Settings
from smstui.system.credentials import KeyringStatus
from smstui.ui.app import SmsApp
from smstui.ui.screens.inbox import InboxScreen
from smstui.ui.screens.sign_in import SignInScreen
from tests.app.compose_helpers import wait_for
from tests.app_fixtures import ANCHOR, SECRET, STANDARD, MakeApp, screen_text, settle
from tests.fakes import MemoryKeyring


@pytest.fixture
def failing_keyring(memory_keyring: MemoryKeyring) -> Iterator[None]:
    """No usable backend, as on a headless server (the suite's memory keyring comes back after)."""
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(memory_keyring)


def remember_box(app: Any) -> Checkbox:
    screen = app.screen
    assert isinstance(screen, SignInScreen)
    return screen.query_one("#remember", Checkbox)


def shown_words(app: Any) -> str:
    """The screen's text with borders and line wrapping taken out."""
    return " ".join(screen_text(app).replace("│", " ").split())


def remember_row(app: Any) -> str:
    """The checkbox as drawn: its line of the screen."""
    box = remember_box(app)
    lines = screen_text(app).splitlines()
    row = box.content_region.y
    return lines[row][box.content_region.x : box.content_region.right]


async def sign_in(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app.screen, SignInScreen)
    app.screen.query_one("#client-id", Input).value = "test-client"
    app.screen.query_one("#secret", Input).value = SECRET
    app.screen.query_one("#secret", Input).focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen), what="the inbox")


async def test_failing_keyring_unticks_and_disables_remember_with_the_reason(
    make_app: MakeApp, fresh_gateway: FakeGateway, failing_keyring: None
) -> None:
    app = make_app(fresh_gateway, credentials=None)
    async with app.run_test(size=STANDARD, notifications=True) as pilot:
        await settle(pilot)
        box = remember_box(app)
        assert box.value is False
        assert box.disabled
        assert "not usable here: no keyring backend is available" in shown_words(app)
        assert "X" not in remember_row(app), "an unticked box must not look ticked"
        await sign_in(pilot)
        await settle(pilot)
        assert "could not save" not in screen_text(app)


async def test_usable_keyring_ticks_remember_and_stores(
    make_app: MakeApp, fresh_gateway: FakeGateway, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(fresh_gateway, credentials=None)
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        box = remember_box(app)
        assert (box.value, box.disabled) == (True, False)
        assert "X" in remember_row(app)
        assert "not usable" not in shown_words(app)
        await sign_in(pilot)
        await settle(pilot)
        assert memory_keyring.passwords[("smstui", "test-client")] == SECRET


async def test_status_known_at_start_is_used_as_is(fresh_gateway: FakeGateway) -> None:
    """The command line passes the status it found; the screen shows it without asking again."""
    app = SmsApp(
        settings=Settings(base_url=fresh_gateway.url),
        credentials=None,
        keyring=KeyringStatus(usable=False, backend="x", reason="the keyring is locked"),
        clock=FixedClock(ANCHOR),
    )
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        box = remember_box(app)
        assert (box.value, box.disabled) == (False, True)
        assert "not usable here: the keyring is locked" in shown_words(app)
        assert "X" not in remember_row(app)
