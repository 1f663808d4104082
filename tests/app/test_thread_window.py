"""Jumping into the middle of a long conversation: only the pages around the place are asked for.

The whole app runs against the fake gateway over loopback with a real store file. The request
log is the proof: a search result deep in a thread costs the page that holds it, scrolling down
asks for the newer pages one by one, and what the pane ends with is exactly the gateway's
conversation, in order, nothing skipped or doubled, even when messages arrive meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from smstui.api.client import SmsClient
from smstui.domain.models import Message
from smstui.domain.phones import conversation_key
from smstui.fake import FakeGateway
from smstui.store import SqliteStore
from smstui.sync.access import store_file_name
from smstui.system.clock import FixedClock
from smstui.system.secret import Credentials, Secret
from smstui.ui.app import SmsApp
from smstui.ui.screens.inbox import InboxScreen
from smstui.ui.screens.search import SearchChoice
from tests.app.compose_helpers import type_and_send, wait_for
from tests.app.test_store_inbox import conversation_requests, started, store_app
from tests.app_fixtures import ANCHOR, SECRET, STANDARD, screen_text


async def whole_conversation(gw: FakeGateway, number: str) -> list[Message]:
    """Every message of a conversation as the gateway has it, oldest first."""
    client = SmsClient(gw.url, Credentials("test-client", Secret(SECRET)))
    messages: list[Message] = []
    try:
        page_number = 1
        while True:
            page = await client.conversation(number, page=page_number, limit=2000)
            messages.extend(page.items)
            if page.is_last:
                break
            page_number += 1
    finally:
        await client.aclose()
    return messages[::-1]


async def scroll_down_to_the_newest(pilot: Pilot[SmsApp], inbox: InboxScreen) -> None:
    """Page down as a reader would until the window has met the newest message."""
    for _ in range(400):
        thread = inbox.thread
        if thread is not None and not thread.newer_missing and not inbox.threads.loading:
            return
        await pilot.press("pagedown")
        await pilot.pause()
    raise AssertionError(f"the window never met the newest message:\n{screen_text(pilot.app)}")


def jump_to(inbox: InboxScreen, number: str, message: Message) -> None:
    """What Enter on a message's search result does."""
    inbox.commands.go_to_result(
        SearchChoice(conversation_key(number), number, message_key=message.key)
    )


async def test_a_search_result_deep_in_a_thread_costs_the_page_that_holds_it(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    number = fresh_gateway.largest_conversation
    whole = await whole_conversation(fresh_gateway, number)
    assert len(whole) == 600
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        before = len(conversation_requests(fresh_gateway, number))
        target = whole[10]  # 589 messages are newer
        jump_to(inbox, number, target)
        await wait_for(
            pilot,
            lambda: inbox.message_pane.cursor_message == target,
            what="the found message under the cursor",
        )
        assert conversation_requests(fresh_gateway, number)[before:] == [(3, 200)]
        thread = inbox.thread
        assert thread is not None
        assert thread.newer_missing == 400
        assert [m.key for m in thread.messages] == [m.key for m in whole[:200]]
        assert thread.complete  # the window holds the first message: nothing older to ask
        assert "Newer messages load as you scroll" in screen_text(app)
        await scroll_down_to_the_newest(pilot, inbox)
        asked = conversation_requests(fresh_gateway, number)[before:]
        assert [a for a in asked if a != (1, 50)] == [(3, 200), (2, 200), (1, 200)]
        assert [m.key for m in thread.messages] == [m.key for m in whole]
        assert "Newer messages load as you scroll" not in screen_text(app)


async def test_messages_that_arrive_meanwhile_are_neither_skipped_nor_doubled(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    number = fresh_gateway.largest_conversation
    whole = await whole_conversation(fresh_gateway, number)
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        jump_to(inbox, number, whole[100])
        await wait_for(
            pilot, lambda: inbox.message_pane.cursor_message == whole[100], what="the window"
        )
        # Three arrive while the user reads the window: every offset moves by three, so the
        # page asked for next no longer meets the window and must not be taken as it is.
        for text in ("one", "two", "three"):
            fresh_gateway.deliver_inbound(number, f"arrived {text}")
        await scroll_down_to_the_newest(pilot, inbox)
        now = await whole_conversation(fresh_gateway, number)
        assert len(now) == 603
        thread = inbox.thread
        assert thread is not None
        assert [m.key for m in thread.messages] == [m.key for m in now]
        assert [m.text for m in thread.messages[-3:]] == [
            "arrived one",
            "arrived two",
            "arrived three",
        ]


async def test_end_leaves_the_window_for_the_newest_page(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    number = fresh_gateway.largest_conversation
    whole = await whole_conversation(fresh_gateway, number)
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        jump_to(inbox, number, whole[5])
        await wait_for(pilot, lambda: inbox.message_pane.cursor_message == whole[5], what="window")
        before = len(conversation_requests(fresh_gateway, number))
        await pilot.press("end")
        await wait_for(
            pilot,
            lambda: inbox.message_pane.cursor_message == whole[-1],
            what="the newest message under the cursor",
        )
        assert conversation_requests(fresh_gateway, number)[before:] == [(1, 50)]
        thread = inbox.thread
        assert thread is not None
        assert not thread.newer_missing
        assert [m.key for m in thread.messages] == [m.key for m in whole[-50:]]


async def test_a_reply_sent_from_a_window_shows_under_the_newest_message(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    number = fresh_gateway.largest_conversation
    whole = await whole_conversation(fresh_gateway, number)
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        jump_to(inbox, number, whole[5])
        await wait_for(pilot, lambda: inbox.message_pane.cursor_message == whole[5], what="window")
        await pilot.press("enter")
        await type_and_send(pilot, "Answer from the middle")
        await wait_for(
            pilot,
            lambda: (
                inbox.thread is not None
                and not inbox.thread.newer_missing
                and len(inbox.thread.messages) > 1
                and inbox.thread.messages[-1].text == "Answer from the middle"
                and inbox.thread.messages[-2].key == whole[-1].key
            ),
            what="the reply under the newest message",
        )
        assert fresh_gateway.count("POST", "/message/send") == 1


@pytest.fixture
def full_gateway() -> Iterator[FakeGateway]:
    """The full-size fake: one supplier conversation of some 50,000 messages."""
    with FakeGateway(
        client_id="test-client",
        client_secret=SECRET,
        seed=7,
        scale="full",
        anchor=ANCHOR,
        clock=FixedClock(ANCHOR),
    ) as gw:
        yield gw


async def seed_newest(gw: FakeGateway, directory: Path, number: str) -> list[Message]:
    """Store the newest 4,000 messages of a conversation (as after part of a backfill)."""
    client = SmsClient(gw.url, Credentials("test-client", Secret(SECRET)))
    try:
        newest = [
            message
            for page_number in (1, 2)
            for message in (await client.conversation(number, page=page_number, limit=2000)).items
        ]
    finally:
        await client.aclose()
    with SqliteStore.open(directory / store_file_name("test-client", gw.url)) as store:
        store.add_messages(conversation_key(number), newest)
    return newest


async def test_reading_far_up_a_long_thread_reopens_there_with_one_page(
    full_gateway: FakeGateway, tmp_path: Path
) -> None:
    number = full_gateway.largest_conversation
    newest = await seed_newest(full_gateway, tmp_path, number)
    place = newest[3100]
    with SqliteStore.open(tmp_path / store_file_name("test-client", full_gateway.url)) as store:
        store.set_position(conversation_key(number), place.key)
        store.set_last_open(conversation_key(number))
    seeded = len(conversation_requests(full_gateway, number))
    app = store_app(full_gateway, tmp_path, backfill=False)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        await wait_for(
            pilot,
            lambda: inbox.message_pane.cursor_message == place,
            what="the reading place under the cursor after a restart",
        )
        asked = conversation_requests(full_gateway, number)[seeded:]
        # The newest page (asked for at once, as every opening does) and the page holding
        # the place, in whichever order they went: not the 3,100 messages between.
        assert sorted(asked) == [(1, 50), (16, 200)]


async def test_a_jump_into_fifty_thousand_messages_and_home_ask_for_one_page_each(
    full_gateway: FakeGateway, tmp_path: Path
) -> None:
    number = full_gateway.largest_conversation
    total = full_gateway.message_count(number)
    assert total > 50_000
    # The store knows the newest 4,000 (as after part of a backfill); no backfill runs here,
    # so the request log holds only what the jump and Home ask for.
    client = SmsClient(full_gateway.url, Credentials("test-client", Secret(SECRET)))
    try:
        newest = [
            message
            for page_number in (1, 2)
            for message in (await client.conversation(number, page=page_number, limit=2000)).items
        ]
        first = (await client.conversation(number, page=total, limit=1)).items[0]
    finally:
        await client.aclose()
    with SqliteStore.open(tmp_path / store_file_name("test-client", full_gateway.url)) as store:
        store.add_messages(conversation_key(number), newest)
    target = newest[3100]  # 3,100 newer: the middle of the 16th page of 200
    app = store_app(full_gateway, tmp_path, backfill=False)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        before = len(conversation_requests(full_gateway, number))
        jump_to(inbox, number, target)
        await wait_for(
            pilot, lambda: inbox.message_pane.cursor_message == target, what="the found message"
        )
        assert conversation_requests(full_gateway, number)[before:] == [(16, 200)]
        thread = inbox.thread
        assert thread is not None
        assert len(thread.messages) == 200
        await pilot.press("home")
        await wait_for(
            pilot, lambda: inbox.message_pane.cursor_message == first, what="the first message"
        )
        last_page = (total - 1) // 200 + 1
        assert conversation_requests(full_gateway, number)[before:] == [
            (16, 200),
            (last_page, 200),
        ]
        assert thread is inbox.thread
        assert thread.complete
        assert len(thread.messages) == total - (last_page - 1) * 200


async def test_a_poll_while_reading_far_back_keeps_the_newest_in_the_list(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    """The list row shows the conversation's newest message, not the window's last one."""
    number = fresh_gateway.largest_conversation
    whole = await whole_conversation(fresh_gateway, number)
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        key = conversation_key(number)
        jump_to(inbox, number, whole[100])
        await wait_for(
            pilot, lambda: inbox.message_pane.cursor_message == whole[100], what="the window"
        )
        thread = inbox.thread
        assert thread is not None
        assert thread.newer_missing
        assert await inbox.live.refresh_open_thread()  # what the next poll does
        summary = inbox.session.summary(key)
        assert summary is not None
        assert summary.preview == whole[-1].text
        assert summary.timestamp == whole[-1].timestamp
