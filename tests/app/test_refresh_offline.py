"""Refreshing while the gateway is away: nothing shown is dropped, and it all catches up.

The gateway is made unreachable with connection resets on every path (what a dropped link
looks like to the client, which retries each GET before giving up). Polling runs every 0.2 s,
so the return of the gateway is noticed quickly.
"""

from __future__ import annotations

from collections.abc import Callable

from smstui.fake import FakeGateway
from smstui.ui.app import SmsApp
from smstui.ui.screens.inbox import InboxScreen
from tests.app.compose_helpers import inbox_of, pane_words, seed_read_state, start, wait_for
from tests.app_fixtures import ANCHOR, STANDARD, MakeApp

FAST = {"poll_interval": 0.2, "status_refresh": 0.2}
LOADING_GROUPS = frozenset({"conversation", "thread-refresh", "inbox-pages"})


def record_statuses(inbox: InboxScreen) -> list[str]:
    """Every text the status line is told to show from now on (transient ones included)."""
    shown: list[str] = []
    line = inbox.status_line
    original = line.show

    def show(text: str, tone: str = "info") -> None:
        shown.append(text)
        original(text, tone)  # type: ignore[arg-type]

    line.show = show  # type: ignore[method-assign]
    return shown


def loads_done(app: SmsApp) -> Callable[[], bool]:
    """A condition: no page of the list or the open conversation is on its way."""
    return lambda: (
        not any(worker.group in LOADING_GROUPS and not worker.is_finished for worker in app.workers)
    )


def go_offline(gateway: FakeGateway) -> None:
    gateway.add_fault("reset", "*", times=0)


async def test_refresh_while_offline_keeps_the_thread_and_catches_up_when_back(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """`r` offline: same messages, "Refresh failed"; back online: the thread gets what came."""
    seed_read_state(ANCHOR - 3600, fresh_gateway)
    app = make_app(fresh_gateway, **FAST)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        thread = inbox.thread
        assert thread is not None
        assert thread.messages
        key = thread.key
        texts = [message.text for message in thread.messages]
        count = inbox.message_pane.message_count
        words = pane_words(app)
        statuses = record_statuses(inbox)
        go_offline(fresh_gateway)
        await pilot.press("r")
        await wait_for(
            pilot,
            lambda: (
                any("Can't reach the gateway" in text for text in statuses) and loads_done(app)()
            ),
            seconds=30,
            what="the refresh to fail",
        )
        thread = inbox.thread
        assert thread is not None
        assert thread.key == key
        assert [message.text for message in thread.messages] == texts
        assert inbox.message_pane.message_count == count
        assert pane_words(app) == words, "the pane shows what it showed before"
        assert any(text.startswith("Refresh failed: ") for text in statuses), statuses

        fresh_gateway.deliver_inbound(key, "Sent while you were away")
        fresh_gateway.clear_faults()
        await wait_for(
            pilot,
            lambda: "Sent while you were away" in pane_words(app) and "Connected again" in statuses,
            seconds=30,
            what="the open conversation to catch up",
        )
        assert inbox.message_pane.message_count == count + 1


async def test_a_conversation_opened_offline_loads_when_the_gateway_is_back(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Its first page failed (what the store holds is shown); the poll that finds the gateway
    again loads it, with what came meanwhile, no `r` needed."""
    app = make_app(fresh_gateway, **FAST)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        second = inbox.conversation_list.rows[1].key
        go_offline(fresh_gateway)
        inbox.conversation_list.focus()
        await pilot.press("down", "enter")
        await wait_for(
            pilot,
            lambda: (
                inbox.thread is not None
                and inbox.thread.key == second
                and fresh_gateway.count("GET", "/conversation/") > 1
                and loads_done(app)()
            ),
            seconds=30,
            what="the first page to fail",
        )
        thread = inbox_of(app).thread
        assert thread is not None
        assert thread.pages_loaded == 0, "no page of it came from the gateway"
        assert inbox.message_pane.message_count > 0, "offline, the stored messages show"
        number = inbox.session.summary(second).number  # type: ignore[union-attr]
        fresh_gateway.deliver_inbound(number, "Written while you were offline")
        assert "Written while you were offline" not in pane_words(app)
        fresh_gateway.clear_faults()
        await wait_for(
            pilot,
            lambda: "Written while you were offline" in pane_words(app),
            seconds=30,
            what="the conversation to load",
        )
        thread = inbox_of(app).thread
        assert thread is not None
        assert thread.key == second
        assert thread.pages_loaded > 0
