"""The sign-in card fits the terminal sizes people use, and its answer is always on screen."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.backends.fail
import pytest

from smstui.ui.screens.sign_in import SignInScreen
from tests.app.compose_helpers import wait_for
from tests.app_fixtures import MakeApp, screen_text, settle
from tests.fakes import MemoryKeyring

REJECTED = "The client id or secret was not accepted"


@pytest.fixture
def failing_keyring(memory_keyring: MemoryKeyring) -> Iterator[None]:
    """No usable backend: the card grows by the keyring's note."""
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(memory_keyring)


async def reject_a_wrong_secret(
    make_app: MakeApp, size: tuple[int, int], *, button_shown: bool = True
) -> str:
    """Type a wrong secret at this size; return the screen once the gateway answered."""
    app = make_app(credentials=None)
    async with app.run_test(size=size) as pilot:
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, SignInScreen) and app.screen.keyring_answered,
            what="the sign-in screen",
        )
        if button_shown:
            below_title = screen_text(app).split("Sign in to Smstools", 1)[1]
            assert "Sign in" in below_title, "the Sign in button is off screen"
        await pilot.press(*"test-client", "tab", *"wrong-secret", "enter")
        await settle(pilot)
        await wait_for(pilot, lambda: REJECTED in screen_text(app), what="the rejection")
        return screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (60, 20)], ids=str)
async def test_a_rejected_secret_is_said_on_screen(
    size: tuple[int, int], make_app: MakeApp
) -> None:
    """The Sign in button and the gateway's refusal are both inside the terminal."""
    await reject_a_wrong_secret(make_app, size)


@pytest.mark.usefixtures("failing_keyring")
async def test_the_refusal_scrolls_into_view_below_the_keyring_note(make_app: MakeApp) -> None:
    """At 60×20 the keyring's ways out make the card taller than the screen: it scrolls."""
    await reject_a_wrong_secret(make_app, (60, 20), button_shown=False)
