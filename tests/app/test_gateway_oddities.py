"""One bad record from the gateway costs only itself: the app starts, shows the rest, says so.

The whole app runs against the fake gateway over loopback with a real store file; the fake
spoils the first item of its answers (``bad_time``: ``unixDatetime`` 1e20, which once stopped
the app at every start; ``bad_item``: ``null`` in the list; ``bad_utf8``: bytes that are not
UTF-8 in a text, which once blocked the whole page).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smstui.domain.phones import conversation_key
from smstui.fake import FakeGateway
from smstui.system.clock import FixedClock
from smstui.system.config import Settings
from smstui.system.secret import Credentials, Secret
from smstui.ui.app import SmsApp
from tests.app.compose_helpers import gateway_messages, inbox_of, wait_for
from tests.app_fixtures import (
    ANCHOR,
    SECRET,
    STANDARD,
    PopenRecorder,
    screen_text,
    settle,
    ssh,
)


def store_app(gw: FakeGateway, directory: Path, **settings: Any) -> SmsApp:
    """An app whose state and store live in ``directory`` (kept between two starts)."""
    return SmsApp(
        settings=Settings(base_url=gw.url, **settings),
        credentials=Credentials("test-client", Secret(SECRET), source="test"),
        clock=FixedClock(ANCHOR),
        environment=ssh(),
        state_dir=directory,
        popen=PopenRecorder(),
    )


async def start_and_look(
    gw: FakeGateway, directory: Path, number: str, wanted: list[str]
) -> SmsApp:
    """Start the app, wait for the newest conversation and the note about its time, quit."""
    app = store_app(gw, directory)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = inbox_of(app)
        await wait_for(
            pilot,
            lambda: inbox.thread is not None and len(inbox.thread.messages) >= 5,
            seconds=30,
            what="the newest conversation",
        )
        thread = inbox.thread
        assert thread is not None
        assert thread.key == conversation_key(number)
        shown = [m.text for m in thread.messages]
        assert set(wanted) <= set(shown), "the spoiled message and the others are all shown"
        await wait_for(
            pilot,
            lambda: any(  # both notes on the status line, in the order they came
                "1 message could not be read" in line
                and "1 message had an impossible time (guessed)" in line
                for line in screen_text(app).splitlines()
            ),
            what="the status line to say a record was skipped and a time was guessed",
        )
        await settle(pilot)
        await inbox.store.settled()
    return app


async def test_a_message_dated_1e20_neither_stops_the_app_nor_a_restart(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    newest = fresh_gateway.conversation_numbers()[0]
    wanted = [m.text for m in await gateway_messages(fresh_gateway, newest, limit=5)]
    fresh_gateway.add_fault("bad_time", "/conversation/*", times=0, value=1e20)
    fresh_gateway.add_fault("bad_item", "/message/inbox", times=0)
    for _ in ("first start", "restart"):
        app = await start_and_look(fresh_gateway, tmp_path, newest, wanted)
        assert app.crash is None
        assert app.return_code in (None, 0)


async def test_an_unreadable_item_costs_only_itself(
    fresh_gateway: FakeGateway, tmp_path: Path
) -> None:
    """A ``null`` in the inbox page and broken UTF-8 in a thread: the rest is kept."""
    fresh_gateway.add_fault("bad_item", "/message/inbox", times=0)
    fresh_gateway.add_fault("bad_utf8", "/conversation/*", times=0)
    numbers = fresh_gateway.conversation_numbers()
    app = store_app(fresh_gateway, tmp_path, inbox_page_size=10)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = inbox_of(app)
        await wait_for(
            pilot,
            lambda: "1 message could not be read" in screen_text(app),
            seconds=30,
            what="the status line to count the unreadable message",
        )
        await wait_for(
            pilot,
            lambda: (
                inbox.thread is not None
                and any("caf\ufffd" in m.text for m in inbox.thread.messages)
            ),
            seconds=30,
            what="the message whose text is not UTF-8, kept with its bad bytes replaced",
        )
        assert inbox.thread is not None
        assert len(inbox.thread.messages) > 1, "and the rest of its page"
        listed = {row.key for row in inbox.conversation_list.rows}
        # The first inbox item was spoiled; the conversations behind the others are listed.
        assert {conversation_key(n) for n in numbers[1:5]} <= listed
    assert app.crash is None
