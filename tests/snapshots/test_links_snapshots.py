"""The links panel pinned as SVG snapshots: links found in a text beside an attachment, over SSH."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from smstui.fake import FakeGateway
from smstui.system.clock import FixedClock
from smstui.ui.screens.attachments import AttachmentsScreen
from tests.app.compose_helpers import inbox_of, wait_for
from tests.app_fixtures import ANCHOR, FILES_ORIGIN, NARROW, SECRET, STANDARD, MakeApp, settle

SIZES = pytest.mark.parametrize("size", [STANDARD, NARROW], ids=["100x30", "60x20"])

TEXT = (
    "Paczka w drodze: https://inpost.example/t/6283?lang=pl. "
    "Zwroty (30 dni): http://sklep.example/zwroty!"
)


@pytest.fixture
def link_gateway() -> Iterator[FakeGateway]:
    """A gateway of the test's own whose newest message has two links and a photo."""
    with FakeGateway(
        client_id="test-client",
        client_secret=SECRET,
        seed=7,
        scale="small",
        anchor=ANCHOR,
        files_origin=FILES_ORIGIN,
        clock=FixedClock(ANCHOR),
    ) as gw:
        gw.deliver_inbound("+48500100200", TEXT, attachments=1)
        yield gw


@SIZES
def test_links_panel_over_ssh(
    size: tuple[int, int], make_app: MakeApp, link_gateway: FakeGateway, snap_compare: Any
) -> None:
    """o: both links of the text and the photo, each with its host; no "Open" over SSH."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        inbox = inbox_of(pilot.app)  # type: ignore[arg-type]
        inbox.conversation_list.focus()
        await pilot.press("home", "enter")
        pane = inbox.message_pane
        await wait_for(
            pilot,
            lambda: (
                pane.has_focus
                and pane.cursor_message is not None
                and pane.cursor_message.text == TEXT
            ),
            what="the message with links highlighted",
        )
        await settle(pilot)
        await pilot.press("o")
        await wait_for(
            pilot, lambda: isinstance(pilot.app.screen, AttachmentsScreen), what="the panel"
        )
        await settle(pilot)

    assert snap_compare(make_app(link_gateway), terminal_size=size, run_before=run_before)
