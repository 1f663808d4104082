"""An operator's internal note among the messages (team mode), at a standard and a narrow size.

The pane is given the note directly (what team mode's note flow hands it after reading the
team's table), so the picture needs no PostgreSQL server: a centred dim italic block headed
"📝 Anna · 10:42 (internal)", never a bubble. Same rules as ``test_snapshots.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from smstui.domain.team_shared import TeamNote
from smstui.ui.screens.inbox import InboxScreen
from smstui.ui.screens.note_flow import note_item
from tests.app_fixtures import NARROW, STANDARD, MakeApp, settle

SIZES = pytest.mark.parametrize("size", [STANDARD, NARROW], ids=["100x30", "60x20"])


@SIZES
def test_a_thread_with_an_internal_note(
    size: tuple[int, int], make_app: MakeApp, snap_compare: Any
) -> None:
    """The note sits after the newest message, centred, unlike the bubbles around it."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, InboxScreen)
        if screen.thread is None:  # narrow: nothing opens by itself
            await pilot.press("enter")
            await settle(pilot)
        thread = screen.thread
        assert thread is not None
        at = thread.messages[-1].timestamp + 120
        text = "Called her back: she wants Friday morning. [b]Not[/b] a message!"
        note = TeamNote(1, thread.key, "Anna", text, float(at))
        screen.message_pane.set_team_notes(thread.key, [note_item(note)])
        screen.message_pane.focus()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
