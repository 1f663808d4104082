"""Team mode: ``a`` assigns a conversation (every list shows who, ``@me`` filters); ``N`` notes.

Two operators' apps on one PostgreSQL schema and one fake gateway (the fixtures of
:mod:`tests.app.test_team_inbox`); what the second app shows came by NOTIFY, not a poll.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import OptionList

from smstui.domain.models import Message
from smstui.fake import FakeGateway
from smstui.system.secret import SecretUrl
from smstui.ui.screens.assign import AssignScreen
from smstui.ui.screens.inbox import InboxScreen
from smstui.ui.screens.note_entry import NoteEntryScreen
from smstui.ui.widgets.wrap import is_team_note
from tests.app.compose_helpers import wait_for
from tests.app.test_store_inbox import started
from tests.app.test_team_inbox import anna_and_ben, team_app, team_schema
from tests.app_fixtures import STANDARD, MakeApp, screen_text

__all__ = ["team_schema"]


def assignee(inbox: InboxScreen, key: str) -> str | None:
    for row in inbox.conversation_list.rows:
        if row.key == key:
            return row.assignee
    return None


async def open_dialog(pilot: Pilot[Any]) -> AssignScreen:
    """Press ``a`` and wait for the dialog, its list focused."""
    await pilot.press("a")
    await wait_for(
        pilot,
        lambda: isinstance(pilot.app.screen, AssignScreen) and pilot.app.focused is not None,
        what="the assign dialog",
    )
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AssignScreen)
    return screen


async def test_an_assignment_shows_in_the_others_list_and_at_me_filters(
    fresh_gateway: FakeGateway, pg_url: SecretUrl, team_schema: str, tmp_path: Path
) -> None:
    first = team_app(fresh_gateway, tmp_path / "a", pg_url, operator="Anna")
    second = team_app(fresh_gateway, tmp_path / "b", pg_url, operator="Ben")
    async with first.run_test(size=STANDARD) as lead:
        anna = await started(lead)
        async with second.run_test(size=STANDARD) as follow:
            ben = await started(follow)
            anna.conversation_list.focus()
            await lead.pause()
            key = anna.conversation_list.highlighted_key
            assert key is not None
            assert anna.check_action("assign", ()) is True

            await open_dialog(lead)
            assert "To me (Anna)" in screen_text(lead.app)
            await lead.press("enter")  # "To me" is the first choice
            await wait_for(lead, lambda: assignee(anna, key) == "Anna", what="Anna's row")
            await wait_for(follow, lambda: assignee(ben, key) == "Anna", seconds=10)
            assert "→ Anna" in screen_text(follow.app), "Ben's row names Anna"

            # Ben gives another conversation to a name typed in the dialog.
            ben.conversation_list.focus()
            await follow.press("j")
            other = ben.conversation_list.highlighted_key
            assert other is not None
            assert other != key
            await open_dialog(follow)
            assert "To Anna" in screen_text(follow.app), "the operators seen so far"
            await follow.press("tab", *"Cleo", "enter")
            await wait_for(lead, lambda: assignee(anna, other) == "Cleo", seconds=10)

            # "@me" in the filter: Anna's conversations only.
            await lead.press("slash", *"@me")
            await wait_for(lead, lambda: [r.key for r in anna.conversation_list.rows] == [key])
            await lead.press("escape", "escape")
            await wait_for(lead, lambda: len(anna.conversation_list.rows) > 1)

            # Nobody: the name goes from both lists.
            anna.conversation_list.highlight_key(key)
            anna.conversation_list.focus()
            dialog = await open_dialog(lead)
            options = dialog.query_one("#choices", OptionList)
            options.highlighted = options.option_count - 1  # "Nobody", the last choice
            await lead.press("enter")
            await wait_for(follow, lambda: assignee(ben, key) == "", seconds=10)


async def test_assign_without_a_team_says_so_and_opens_nothing(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await started(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(app.screen, AssignScreen)
        said = [notice.message for notice in app._notifications]
        assert "Assigning needs team mode (store_url)" in said


async def test_a_note_shows_in_the_others_thread_unlike_a_message_and_is_never_sent(
    fresh_gateway: FakeGateway, pg_url: SecretUrl, team_schema: str, tmp_path: Path
) -> None:
    gw = fresh_gateway
    async with anna_and_ben(gw, tmp_path, pg_url) as (lead, anna, follow, ben, key):
        posts = gw.count("POST", "/")

        anna.set_focus(anna.message_pane)
        await lead.press("N")
        await wait_for(lead, lambda: isinstance(lead.app.screen, NoteEntryScreen))
        await lead.pause()
        assert "Internal note — not sent" in screen_text(lead.app)
        await lead.press(*"Called her back [b]Friday[/b]", "enter")

        def notes(inbox: InboxScreen) -> list[Message]:
            return [m for m in inbox.message_pane._layout.messages if is_team_note(m)]

        await wait_for(follow, lambda: len(notes(ben)) == 1, seconds=10, what="the note")
        await wait_for(lead, lambda: len(notes(anna)) == 1, seconds=10)
        note = notes(ben)[0]
        assert note.text == "Called her back [b]Friday[/b]"
        assert note.sender == "Anna"
        layout = ben.message_pane._layout
        index = layout.find(note.key)
        assert index is not None
        assert index == len(layout) - 1, "the newest item: written after every message"
        drawn = [strip.text for strip in ben.message_pane._block(index)]
        header = next(line for line in drawn if "📝" in line)
        assert "📝 Anna · " in header
        assert header.rstrip().endswith("(internal)")
        assert any("Called her back [b]Friday[/b]" in line for line in drawn), "literal"
        # Centred, not a bubble: the text line has blank room on both sides.
        text_line = next(line for line in drawn if "Friday" in line)
        assert text_line.startswith("   ")
        assert text_line.endswith("   ")
        message_lines = [strip.text for strip in ben.message_pane._block(index - 1)]
        assert not any("(internal)" in line for line in message_lines)
        await wait_for(
            follow, lambda: "(internal)" in screen_text(follow.app), what="on Ben's screen"
        )
        assert gw.count("POST", "/") == posts, "a note never reaches the gateway"

        # A conversation opened later reads its notes too.
        other = next(r.key for r in ben.conversation_list.rows if r.key != key)
        ben.open_conversation(other, focus=False)
        await wait_for(follow, lambda: not notes(ben), seconds=10)
        ben.open_conversation(key, focus=False)
        await wait_for(follow, lambda: len(notes(ben)) == 1, seconds=10)
