"""The template picker and the opt-out warning as users see them, at a standard and a narrow size.

Same rules as ``test_compose_snapshots.py``: the small deterministic fake gateway, its clock
pinned to the anchor (a STOP delivered during the test gets a fixed time), a screenshot only
after every worker has finished.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from smstui.fake import FakeGateway
from smstui.system import paths
from smstui.ui.screens.inbox import InboxScreen
from tests.app_fixtures import ANCHOR, NARROW, STANDARD, MakeApp, settle

SIZES = pytest.mark.parametrize("size", [STANDARD, NARROW], ids=["100x30", "60x20"])


def inbox(pilot: Pilot[Any]) -> InboxScreen:
    screen = pilot.app.screen
    assert isinstance(screen, InboxScreen)
    return screen


@pytest.fixture
def still_gateway(fresh_gateway: FakeGateway, monkeypatch: pytest.MonkeyPatch) -> FakeGateway:
    """A gateway whose clock stands at the anchor, so new messages get fixed times."""
    monkeypatch.setattr(fresh_gateway._state, "_wall", lambda: float(ANCHOR))
    return fresh_gateway


async def open_newest(pilot: Pilot[Any]) -> InboxScreen:
    await settle(pilot)
    screen = inbox(pilot)
    if screen.thread is None:  # narrow: nothing opens by itself
        await pilot.press("enter")
        await settle(pilot)
    return screen


@SIZES
def test_template_picker(size: tuple[int, int], make_app: MakeApp, snap_compare: Any) -> None:
    """Ctrl+T, "pick" typed: the match, its text filled in, its meter and the blank to fill."""
    folder = paths.config_dir() / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pickup.txt").write_text(
        "Hi {first_name|there}, order {order_no} is ready for pickup on {pickup_day|Monday}. "
        "Questions? Call {our_number}.",
        encoding="utf-8",
    )
    (folder / "hours.txt").write_text("We are open Mon-Fri 9-17, Sat 10-14.", encoding="utf-8")
    (folder / "thanks.txt").write_text("Dziękujemy, {first_name|}!", encoding="utf-8")

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await open_newest(pilot)
        screen.composer.text_area.focus()
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press(*"pick")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_opt_out_warning(
    size: tuple[int, int], make_app: MakeApp, still_gateway: FakeGateway, snap_compare: Any
) -> None:
    """A STOP reply marked in the thread; after x the composer says sending is blocked."""
    number = still_gateway.conversation_numbers()[3]
    still_gateway.deliver_inbound(number, "STOP")

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await open_newest(pilot)
        screen.message_pane.focus()
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        screen.composer.text_area.focus()
        screen.composer.text_area.insert("Last chance: 20% off")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        pilot.app.clear_notifications()  # the toast would cover the composer's lines
        await pilot.pause()

    assert snap_compare(make_app(still_gateway), terminal_size=size, run_before=run_before)
