"""A solo app on a SQLite store draws the open conversation as the store holds it."""

from __future__ import annotations

from pathlib import Path

from smstui.domain.phones import conversation_key
from smstui.fake import FakeGateway
from smstui.store import SqliteStore
from smstui.sync.access import store_file_name
from tests.app.test_store_inbox import started, store_app
from tests.app_fixtures import STANDARD
from tests.team.test_same_thread import opened, page_up


async def test_the_pane_shows_the_stored_window_after_paging_up(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    number = fresh_gateway.largest_conversation
    key = conversation_key(number)
    app = store_app(fresh_gateway, tmp_path, backfill=False)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await started(pilot)
        await opened(pilot, inbox, key)
        await page_up(pilot, inbox, 40)
        await inbox.store.settled()
        thread = inbox.thread
        assert thread is not None
        shown = list(thread.messages)
    with SqliteStore.open(tmp_path / store_file_name("test-client", fresh_gateway.url)) as store:
        stored = store.messages(key, limit=len(shown))
        summary = store.conversation(key)
    assert len(shown) > 150
    assert shown == stored, "what is shown is the store's window, in the store's order"
    assert summary is not None
    assert summary.preview == shown[-1].text
