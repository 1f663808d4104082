"""The search over everything stored, pinned at both sizes.

The app runs with a store in the test's own directory, so the backfill has filled it before the
search opens; the results are conversations by name or number, then messages with the match
highlighted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from smstui.fake import FakeGateway
from smstui.ui.screens.search import SearchScreen
from tests.app.compose_helpers import inbox_of, wait_for
from tests.app.test_store_inbox import store_app
from tests.app_fixtures import NARROW, STANDARD, settle

SIZES = pytest.mark.parametrize("size", [STANDARD, NARROW], ids=["100x30", "60x20"])


def searched(query: str) -> Any:
    """A ``run_before`` that lets the backfill finish, opens the search and types ``query``."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await inbox_of(pilot.app).store.settled()  # type: ignore[arg-type]
        await pilot.press("s")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*query)
        await wait_for(pilot, lambda: screen.query_done == query, what="the results")
        await settle(pilot)

    return run_before


@SIZES
def test_search_results_for_a_word_typed_without_accents(
    size: tuple[int, int], fresh_gateway: FakeGateway, tmp_path: Path, snap_compare: Any
) -> None:
    """ "zamow" finds "Zamówienie" in message text: who, when, and the match highlighted."""
    app = store_app(fresh_gateway, tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=searched("zamow"))


@SIZES
def test_search_for_a_number_nobody_has(
    size: tuple[int, int], fresh_gateway: FakeGateway, tmp_path: Path, snap_compare: Any
) -> None:
    """A full number in no conversation offers a new conversation instead of "No match"."""
    app = store_app(fresh_gateway, tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=searched("+48 500 004 499"))
