"""Regenerates ``screenshots/*.svg`` from the demo data: ``python3 dev.py screenshots``.

Marked ``screenshots`` and deselected in normal runs; the README shows the files it writes.
The data set and the clock are fixed, so the pictures change only when the UI does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from smstui.fake import FakeGateway
from smstui.system.clock import FixedClock
from smstui.system.config import Settings
from smstui.system.secret import Credentials, Secret
from smstui.ui.app import SmsApp
from smstui.ui.widgets.message_pane import MessagePane
from tests.app_fixtures import ANCHOR, FILES_ORIGIN, settle, ssh

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
SECRET = "demo-screenshot-secret"

pytestmark = pytest.mark.screenshots


async def find_attachment(pilot: Pilot[Any]) -> None:
    """Highlight the newest message with an attachment or a link, going down the list."""
    pane = pilot.app.screen.query_one(MessagePane)
    for _conversation in range(30):
        pane.focus()
        await settle(pilot)
        for _ in range(60):
            if pane.offers_hint("open_attachments"):
                return
            await pilot.press("up")
        await pilot.press("escape", "down", "enter")
        await settle(pilot)
    raise AssertionError("no message with something to open")


async def open_thread(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    pilot.app.screen.query_one(MessagePane).focus()
    await pilot.pause()


async def attachments(pilot: Pilot[Any]) -> None:
    await open_thread(pilot)
    await find_attachment(pilot)
    await pilot.press("o")
    await pilot.pause()


async def help_screen(pilot: Pilot[Any]) -> None:
    await open_thread(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


async def filtered(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("slash", *"van")
    await pilot.pause()


async def narrow_thread(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def palette(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"jump")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*"wo")
    await pilot.pause(0.3)


async def searched(pilot: Pilot[Any]) -> None:
    await settle(pilot)  # the backfill has read the whole history into the store by now
    await pilot.press("s", *"zamow")
    await pilot.pause(0.5)
    await settle(pilot)


STORE_SHOTS = frozenset({"search"})
"""Shots taken with a local store (in a temporary directory), filled by the backfill first."""

SHOTS: list[tuple[str, tuple[int, int], Callable[[Pilot[Any]], Awaitable[None]], bool]] = [
    ("inbox", (120, 36), open_thread, True),
    ("attachments-over-ssh", (120, 36), attachments, True),
    ("help", (120, 36), help_screen, True),
    ("filter", (120, 36), filtered, True),
    ("jump-to-conversation", (120, 36), palette, True),
    ("search", (120, 36), searched, True),
    ("narrow", (64, 24), narrow_thread, True),
    ("sign-in", (100, 30), settle, False),
]


@pytest.mark.parametrize(("name", "size", "setup", "signed_in"), SHOTS, ids=[s[0] for s in SHOTS])
async def test_screenshot(
    name: str,
    size: tuple[int, int],
    setup: Callable[[Pilot[Any]], Awaitable[None]],
    signed_in: bool,
    tmp_path: Path,
) -> None:
    with FakeGateway(
        client_id="demo",
        client_secret=SECRET,
        seed=7,
        scale="full",
        anchor=ANCHOR,
        files_origin=FILES_ORIGIN,
        clock=FixedClock(ANCHOR),
    ) as gw:
        app = SmsApp(
            settings=Settings(base_url=gw.url),
            credentials=Credentials("demo", Secret(SECRET)) if signed_in else None,
            clock=FixedClock(ANCHOR),
            environment=ssh(),
            state_dir=tmp_path if name in STORE_SHOTS else None,
        )
        async with app.run_test(size=size) as pilot:
            await setup(pilot)
            SCREENSHOTS.mkdir(exist_ok=True)
            app.save_screenshot(filename=f"{name}.svg", path=str(SCREENSHOTS))
