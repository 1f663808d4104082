"""Which conversation is open at start: chosen once, before "Up to date", and then left alone.

On a first start the gateway's first page used to say "Up to date" a moment before the store's
read opened the newest conversation; Tab typed in that gap went back to the list instead of
into the composer, and the conversation could change under the user. Now the session chooses
once (:class:`~smstui.session.events.StartingConversationChosen`), before it says the page is in.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from smstui.fake import FakeGateway
from smstui.ui.app import SmsApp
from smstui.ui.screens.inbox import InboxScreen
from tests.app.compose_helpers import inbox_of, wait_for
from tests.app.test_store_inbox import store_app
from tests.app_fixtures import STANDARD, settle


def opened_so_far(inbox: InboxScreen, seen: list[str]) -> list[str]:
    """Note the open conversation when it changed since the last look; return every one seen."""
    key = inbox.thread.key if inbox.thread is not None else None
    if key is not None and (not seen or seen[-1] != key):
        seen.append(key)
    return seen


async def until_up_to_date(pilot: Pilot[SmsApp], seen: list[str]) -> InboxScreen:
    """Run until the status line says "Up to date", looking at what is open all along."""
    inbox = inbox_of(pilot.app)

    def up_to_date() -> bool:
        opened_so_far(inbox, seen)
        return inbox.status_line.text == "Up to date"

    await wait_for(pilot, up_to_date, what="Up to date")
    return inbox


async def test_a_first_start_is_up_to_date_with_the_newest_open_and_tab_tab_reaches_the_composer(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD) as pilot:
        seen: list[str] = []
        inbox = await until_up_to_date(pilot, seen)
        # As a user who starts typing the moment the app looks ready: nothing in between.
        assert inbox.thread is not None, "open when 'Up to date' shows"
        assert inbox.composer.conversation_key == inbox.thread.key
        assert inbox.thread.key == inbox.conversation_list.rows[0].key, "the newest"
        await pilot.press("tab", "tab")
        assert inbox.composer.text_area.has_focus, "Tab Tab goes into the composer"
        await settle(pilot)
        assert opened_so_far(inbox, seen) == [inbox.conversation_list.rows[0].key]


async def test_the_next_start_opens_the_last_conversation_and_only_that_one(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        inbox = inbox_of(app)
        last = inbox.conversation_list.rows[2].key
        inbox.open_conversation(last)
        await settle(pilot)
        await inbox.store.settled()

    again = store_app(fresh_gateway, tmp_path)
    async with again.run_test(size=STANDARD) as pilot:
        seen: list[str] = []
        inbox = await until_up_to_date(pilot, seen)
        assert seen == [last], "the last one, from the store, before the gateway's page"
        await pilot.press("tab", "tab")
        assert inbox.composer.text_area.has_focus
        await settle(pilot)
        assert opened_so_far(inbox, seen) == [last], "and never another under the user"
