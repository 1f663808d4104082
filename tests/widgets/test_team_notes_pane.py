"""Internal notes (team mode) among a thread's messages: in time order, kept through paging.

A note is a thread item keyed ``note:<id>`` (:func:`smstui.ui.screens.note_flow.note_item`); the
pane weaves the conversation's notes in by time, within the loaded span only, so older notes
join as older pages arrive and never land out of order.
"""

from __future__ import annotations

from smstui.domain.team_shared import TeamNote
from smstui.ui.screens.note_flow import note_item
from smstui.ui.widgets.message_pane import MessagePane
from smstui.ui.widgets.wrap import is_team_note
from tests.widgets.test_message_pane import HOUR, NOW, SIZE, Host, make_messages, open_thread, rows


def note(id_: int, at: int, text: str = "", who: str = "Anna") -> TeamNote:
    return TeamNote(id_, "k1", who, text or f"note {id_}", float(at))


def order(pane: MessagePane) -> list[str]:
    return [m.key for m in pane._layout.messages]


async def test_notes_sit_among_messages_by_time_and_older_ones_wait_for_their_page() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        start = NOW - 10 * HOUR
        pane = await open_thread(pilot, app, make_messages(10, first=10, start=start))
        older_note = note(1, start - 300)  # before the loaded page
        middle = note(2, start + 4 * 60 + 30)  # between message 14 and 15
        pane.set_team_notes("k1", [note_item(older_note), note_item(middle)])
        await pilot.pause()
        keys = order(pane)
        assert "note:1" not in keys, "older than what is loaded: waits"
        assert keys.index("note:2") == keys.index("id:14") + 1
        cursor = pane.cursor_message
        assert cursor is not None
        assert cursor.key == "id:19", "the cursor stays on its message"

        pane.prepend_older(make_messages(10, first=0, start=start - 600), complete=True)
        await pilot.pause()
        keys = order(pane)
        assert keys.index("note:1") == keys.index("id:5") + 1, "after messages of its second"
        assert keys.index("note:2") == keys.index("id:14") + 1
        assert [k for k in keys if not k.startswith("note:")] == [f"id:{i}" for i in range(20)]
        assert sum(map(is_team_note, pane._layout.messages)) == 2

        # Another conversation drops them; opening this one again (notes kept) shows them.
        pane.show_conversation("k2", make_messages(3, first=50), complete=True)
        await pilot.pause()
        assert not any(map(is_team_note, pane._layout.messages))
        pane.show_conversation("k1", make_messages(10, first=10, start=start), complete=False)
        await pilot.pause()
        assert "note:2" in order(pane)


async def test_a_note_draws_centred_and_literal_with_who_and_internal() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        start = NOW - 10 * HOUR
        pane = await open_thread(pilot, app, make_messages(5, start=start))
        hostile = "[@click=app.quit]boom[/] \x1b[31mred"
        pane.set_team_notes("k1", [note_item(note(7, start + 3600, hostile, who="[b]Ben"))])
        await pilot.pause()
        shown = "\n".join(rows(pane))
        assert "[b]Ben · " in shown
        assert "(internal)" in shown
        assert "[@click=app.quit]boom[/]" in shown, "markup shown literally"
        assert "\x1b" not in shown
        pane.select_message("note:7")
        assert pane.check_action("opt_out", ()) is False
        assert pane.check_action("resend", ()) is False
