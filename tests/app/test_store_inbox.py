"""The inbox on its local store: offline start, search over everything, jump into a thread.

Each test runs the whole app against the fake gateway over loopback with a real store file in
the test's own directory; a second app on the same directory is "the next start".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import OptionList

from smstui.api.client import SmsClient
from smstui.domain.models import Message
from smstui.domain.phones import conversation_key
from smstui.fake import FakeGateway
from smstui.store import SqliteStore
from smstui.system.clock import FixedClock
from smstui.system.config import Settings
from smstui.system.secret import Credentials, Secret
from smstui.ui.app import SmsApp
from smstui.ui.screens.inbox import InboxScreen
from smstui.ui.screens.search import SearchScreen
from smstui.ui.screens.store_flow import STORED_PAINT
from tests.app.compose_helpers import inbox_of, wait_for
from tests.app_fixtures import ANCHOR, SECRET, STANDARD, PopenRecorder, settle, ssh


def store_app(gw: FakeGateway, directory: Path, **settings: Any) -> SmsApp:
    """An app whose state and store live in ``directory`` (kept between two apps)."""
    return SmsApp(
        settings=Settings(base_url=gw.url, **settings),
        credentials=Credentials("test-client", Secret(SECRET), source="test"),
        clock=FixedClock(ANCHOR),
        environment=ssh(),
        state_dir=directory,
        popen=PopenRecorder(),
    )


async def started(pilot: Pilot[Any]) -> InboxScreen:
    """Let start-up and the backfill finish, and every store write land."""
    await settle(pilot)
    inbox = inbox_of(pilot.app)  # type: ignore[arg-type]
    await inbox.store.settled()
    return inbox


def conversation_requests(gw: FakeGateway, number: str) -> list[tuple[int, int]]:
    """(page, limit) of every request for one conversation, in order."""
    return [
        (int(request.query["page"]), int(request.query["limit"]))
        for request in gw.requests
        if request.path == f"/conversation/{number}"
    ]


async def test_backfill_fills_the_list_with_every_conversation(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    app = store_app(fresh_gateway, tmp_path, inbox_page_size=5)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        progress = inbox.store.progress
        assert progress is not None
        assert progress.done
        listed = {row.key for row in inbox.conversation_list.rows}
        wanted = {conversation_key(n) for n in fresh_gateway.conversation_numbers()}
        assert wanted <= listed, "conversations beyond the first inbox page are listed"
        assert inbox.status_line.background == ""


async def test_an_offline_start_shows_the_stored_list_and_thread(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        thread = inbox.thread
        assert thread is not None
        open_key = thread.key
        shown = [message.key for message in thread.messages[-5:]]
        rows = [row.key for row in inbox.conversation_list.rows]
    fresh_gateway.add_fault("reset", "*", times=0)
    offline = store_app(fresh_gateway, tmp_path)
    async with offline.run_test(size=STANDARD) as pilot:
        inbox = inbox_of(offline)
        await wait_for(
            pilot,
            lambda: inbox.thread is not None and len(inbox.thread.messages) > 0,
            seconds=30,
            what="the stored thread",
        )
        assert [row.key for row in inbox.conversation_list.rows][: len(rows)] == rows
        thread = inbox.thread
        assert thread is not None
        assert thread.key == open_key
        assert [message.key for message in thread.messages[-5:]] == shown
        await wait_for(
            pilot,
            lambda: "Can't reach the gateway" in inbox.status_line.text,
            seconds=30,
            what="the status line to say the gateway is away",
        )


async def search_for(pilot: Pilot[Any], query: str) -> SearchScreen:
    """Open the search, type a query and wait for its results."""
    await pilot.press("s")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    await pilot.press(*query)
    await wait_for(
        pilot, lambda: screen.query_done == query, seconds=10, what=f"results for {query!r}"
    )
    return screen


async def test_search_finds_message_text_without_accents_and_opens_it(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    number = fresh_gateway.conversation_numbers()[-1]
    fresh_gateway.deliver_inbound(number, "Czy żółw już przyjechał? Wzór umowy w załączniku")
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        search = await search_for(pilot, "zolw")
        results = search.results
        assert results is not None
        assert [hit.conversation_key for hit in results.messages] == [conversation_key(number)]
        assert "żółw" in results.messages[0].snippet
        options = search.query_one(OptionList)
        assert options.option_count == 1
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: (
                inbox.message_pane.cursor_message is not None
                and "żółw" in inbox.message_pane.cursor_message.text
            ),
            seconds=10,
            what="the found message under the cursor",
        )
        assert inbox.thread is not None
        assert inbox.thread.key == conversation_key(number)


async def test_search_by_digits_and_a_new_number(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    number = fresh_gateway.conversation_numbers()[-1]
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD) as pilot:
        await started(pilot)
        search = await search_for(pilot, number[-5:])
        assert search.results is not None
        assert conversation_key(number) in [row.key for row in search.results.conversations]
        await pilot.press("escape")
        search = await search_for(pilot, "+48 500 004 499")
        assert search.results is not None
        assert not search.results.conversations
        assert "New conversation with +48 500 004 499" in str(
            search.query_one(OptionList).get_option_at_index(0).prompt
        )


async def test_home_goes_to_the_first_message_of_a_long_thread(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    number = fresh_gateway.largest_conversation
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        inbox.open_conversation(conversation_key(number))
        await settle(pilot)
        first = (await _gateway_oldest(fresh_gateway, number)).key
        assert inbox.message_pane.cursor_message is not None
        assert inbox.message_pane.cursor_message.key != first
        await pilot.press("home")
        await wait_for(
            pilot,
            lambda: (
                not inbox.threads.showing_stored
                and inbox.thread is not None
                and inbox.thread.complete
                and inbox.message_pane.cursor_message is not None
                and inbox.message_pane.cursor_message.key == first
            ),
            seconds=20,
            what="the first message under the cursor after one Home",
        )
        thread = inbox.thread
        assert thread is not None
        assert thread.complete
        # All 600 are stored now; opening it again paints only the newest of them at once.
        await inbox.store.settled()
        stored = await inbox.store.stored_messages(conversation_key(number))
        assert len(stored) == STORED_PAINT < len(thread.messages)
        assert stored == thread.messages[-STORED_PAINT:]


async def _gateway_oldest(gw: FakeGateway, number: str) -> Message:
    """The conversation's first message, as the gateway has it."""
    client = SmsClient(gw.url, Credentials("test-client", Secret(SECRET)))
    try:
        total = gw.message_count(number)
        page = await client.conversation(number, page=total, limit=1)
    finally:
        await client.aclose()
    return page.items[0]


async def test_what_another_process_stores_shows_in_the_list(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        path = inbox.store.access.path
        assert path is not None
        # A second smstui (or `smstui watch`) on the same account writes a conversation this one
        # has not fetched: it shows here within a few seconds.
        other = SqliteStore.open(path)
        try:
            other.add_messages(
                "48500004499",
                [
                    Message(
                        key="id:from-the-other-process",
                        message_id="from-the-other-process",
                        outbound=True,
                        sender=fresh_gateway.own_numbers[0],
                        receiver="48500004499",
                        text="Sent from the other window",
                        attachments=(),
                        timestamp=ANCHOR + 60,
                        status="DELIVERED",
                    )
                ],
            )
        finally:
            other.close()
        await wait_for(
            pilot,
            lambda: any(row.key == "48500004499" for row in inbox.conversation_list.rows),
            seconds=15,
            what="the other process's conversation in the list",
        )


def set_aside_contents(directory: Path, name: str) -> list[bytes]:
    """The bytes of every file set aside as damaged next to the store ``name``."""
    return [path.read_bytes() for path in sorted(directory.glob(name + ".corrupt-*"))]


async def test_a_damaged_store_is_set_aside_said_and_rebuilt(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        path = inbox.store.access.path
        assert path is not None
    path.write_bytes(b"this is not a database" * 100)
    again = store_app(fresh_gateway, tmp_path)
    async with again.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        said = [notice.message for notice in again._notifications]
        assert any("set aside" in text and "rebuilt" in text for text in said), said
        assert set_aside_contents(tmp_path, path.name) == [b"this is not a database" * 100]
        store = inbox.store.access.store
        assert store is not None
        assert store.conversation_count() == len(fresh_gateway.conversation_numbers())


async def test_a_conversation_reopens_where_it_was_being_read(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    app = store_app(fresh_gateway, tmp_path)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        rows = inbox.conversation_list.rows
        first, second = rows[0].key, rows[1].key
        inbox.open_conversation(first)
        await settle(pilot)
        for _ in range(4):
            await pilot.press("up")
        place = inbox.message_pane.cursor_message
        assert place is not None
        assert inbox.thread is not None
        assert place.key != inbox.thread.messages[-1].key
        inbox.open_conversation(second)
        await settle(pilot)
        inbox.open_conversation(first)
        await wait_for(
            pilot,
            lambda: not inbox.threads.showing_stored and inbox.message_pane.cursor_message == place,
            seconds=10,
            what="the cursor back where it was",
        )
    # The next start opens the last conversation at the same place.
    again = store_app(fresh_gateway, tmp_path)
    async with again.run_test(size=STANDARD) as pilot:
        inbox = inbox_of(again)
        await wait_for(
            pilot,
            lambda: (
                inbox.thread is not None
                and not inbox.threads.showing_stored
                and inbox.message_pane.cursor_message == place
            ),
            seconds=20,
            what="the last conversation open at the same place after a restart",
        )
