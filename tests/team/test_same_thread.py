"""Two operators on one PostgreSQL store see one long conversation line for line.

The leader reads the gateway; the follower reads the store (and, for older history nobody has
stored yet, the gateway). Both draw what the store holds, so their message panes and their
list previews are the same, also after paging up into old history.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from smstui.domain.phones import conversation_key
from smstui.fake import FakeGateway
from smstui.system.secret import SecretUrl
from smstui.ui.screens.inbox import InboxScreen
from tests.app.compose_helpers import wait_for
from tests.app.test_team_inbox import team_schema, two_operators

__all__ = ["team_schema"]

PAGES_UP = 40
"""Page Up presses: far past the first page (50) and the follower's stored copy."""


def pane_lines(inbox: InboxScreen) -> list[str]:
    """The message pane's rendered lines, top to bottom."""
    pane = inbox.message_pane
    return [pane.render_line(y).text for y in range(pane.size.height)]


def previews(inbox: InboxScreen) -> list[tuple[str, str]]:
    """The list's rows: (conversation, preview)."""
    return [(row.key, row.preview) for row in inbox.conversation_list.rows]


async def opened(pilot: Pilot[Any], inbox: InboxScreen, key: str) -> None:
    """Open a conversation and wait until its newest page is shown."""
    inbox.open_conversation(key, focus=True)
    await wait_for(
        pilot,
        lambda: (
            inbox.thread is not None
            and inbox.thread.key == key
            and inbox.thread.pages_loaded > 0
            and not inbox.threads.loading
        ),
        what="the conversation's newest page",
    )


async def page_up(pilot: Pilot[Any], inbox: InboxScreen, times: int) -> None:
    """Press Page Up, each time waiting until an older page asked for is in."""
    for _ in range(times):
        await pilot.press("pageup")
        await pilot.pause()
        await wait_for(pilot, lambda: not inbox.threads.loading, what="an older page")
        await pilot.pause()


async def test_leader_and_follower_draw_a_long_conversation_alike(
    fresh_gateway: FakeGateway, pg_url: SecretUrl, team_schema: str, tmp_path: Path
) -> None:
    gw = fresh_gateway
    number = gw.largest_conversation
    key = conversation_key(number)
    async with two_operators(gw, tmp_path, pg_url) as (lead, leader, follow, follower):
        assert follower.engine.following
        await opened(lead, leader, key)
        await opened(follow, follower, key)
        assert pane_lines(follower) == pane_lines(leader)
        newest = leader.thread.messages[-1]  # type: ignore[union-attr]
        assert follower.thread.messages[-1] == newest  # type: ignore[union-attr]

        await page_up(lead, leader, PAGES_UP)
        await page_up(follow, follower, PAGES_UP)
        loaded = len(leader.thread.messages)  # type: ignore[union-attr]
        assert loaded > 150, "paged well into old history"
        assert len(follower.thread.messages) == loaded  # type: ignore[union-attr]
        assert not follower.message_pane._complete, "no early start of conversation"
        assert pane_lines(follower) == pane_lines(leader)

        await leader.store.settled()
        await follower.store.settled()
        await wait_for(
            follow,
            lambda: previews(follower)[:20] == previews(leader)[:20],
            what="the same previews in both lists",
        )
        row = next(row for row in follower.conversation_list.rows if row.key == key)
        assert row.preview == newest.text
