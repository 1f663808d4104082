"""The ``n`` dialog, pinned as SVG snapshots at a standard and a narrow terminal size."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from smstui.ui.screens.new_message import NewMessageScreen
from tests.app.compose_helpers import wait_for
from tests.app_fixtures import NARROW, STANDARD, MakeApp, settle


@pytest.mark.parametrize("size", [STANDARD, NARROW], ids=["100x30", "60x20"])
def test_new_message_names_the_country(
    size: tuple[int, int], make_app: MakeApp, snap_compare: Any
) -> None:
    """A Polish mobile typed nationally: read in Poland (one of our countries), and it says so."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, NewMessageScreen), what="n")
        await pilot.press(*"512999888")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
