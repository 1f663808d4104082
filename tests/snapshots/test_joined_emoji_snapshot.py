"""A thread and a list full of joined emoji, drawn as terminals draw them (members apart)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from smstui.ui.widgets.conversation_list import ConversationList
from smstui.ui.widgets.message_pane import MessagePane
from smstui.ui.widgets.thread_title import ThreadTitle
from tests.unit.hostile import JOINED_EMOJI
from tests.widgets.test_joined_emoji import Host, message, summary


def test_joined_emoji_thread(snap_compare: Any) -> None:
    """Families, skin tones, keycaps, VS16 hearts and flags; every member in its own cells.

    👨‍👩‍👧 shows as 👨👩👧, 👍🏽 as 👍, 1️⃣ as 1⃣, ❤️ as ❤; each line ends inside its pane, so
    the bubbles' right edges and the list's times line up.
    """

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        app.query_one(ConversationList).set_conversations(
            [summary(i, text) for i, text in enumerate(JOINED_EMOJI)], complete=True
        )
        app.query_one(ThreadTitle).show(summary(0, JOINED_EMOJI[0]), "48512340000")
        app.query_one(MessagePane).show_conversation(
            "48512340000",
            [message(i, text) for i, text in enumerate(JOINED_EMOJI)],
            complete=True,
            title="family 👨\u200d👩\u200d👧",
        )
        await pilot.pause()

    assert snap_compare(Host(), terminal_size=(100, 30), run_before=run_before)
