"""Sending later (Ctrl+S) and the scheduled list (``S``), against the fake gateway.

The app's clock is fixed at 2026-11-27 12:00 UTC and the tests run in UTC, so "+2h" is 14:00
and the gateway is asked for exactly that.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from smstui.fake import FakeGateway
from smstui.ui.screens.confirm import ConfirmScreen
from smstui.ui.screens.inbox import InboxScreen
from smstui.ui.screens.scheduled import ScheduledScreen
from smstui.ui.screens.send_later import SendLaterScreen
from tests.app.compose_helpers import start, wait_for
from tests.app_fixtures import STANDARD, MakeApp, screen_text

DRAFT = "Your order is ready for pickup"


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def sends(gw: FakeGateway) -> list[dict[str, Any]]:
    return [r.body for r in gw.requests if r.method == "POST" and isinstance(r.body, dict)]


async def draft_and_ask(pilot: Pilot[Any], inbox: InboxScreen, text: str) -> SendLaterScreen:
    inbox.composer.text_area.focus()
    inbox.composer.text_area.insert(text)
    await pilot.pause()
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SendLaterScreen), what="dialog")
    screen = pilot.app.screen
    assert isinstance(screen, SendLaterScreen)
    return screen


async def test_a_draft_scheduled_then_listed_then_cancelled(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        await draft_and_ask(pilot, inbox, DRAFT)
        await pilot.press(*"+2h")
        await wait_for(
            pilot, lambda: "today 14:00, UTC" in screen_text(app), what="the time, in words"
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(sends(fresh_gateway)) == 1, what="the POST")
        body = sends(fresh_gateway)[0]
        assert body["date"] == "2026-11-27 14:00"
        assert body["message"] == DRAFT
        await wait_for(
            pilot, lambda: inbox.status_line.text.startswith("Scheduled for today 14:00")
        )
        assert inbox.composer.text == "", "the draft went to the gateway"

        inbox.set_focus(inbox.conversation_list)
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(app.screen, ScheduledScreen), what="the list")
        listed = app.screen
        assert isinstance(listed, ScheduledScreen)
        await wait_for(pilot, lambda: listed.loaded, what="the list loaded")
        assert [m.text for m in listed.messages] == [DRAFT]
        assert listed.only_conversation, "opened beside a conversation: its messages first"
        assert "this conversation; a: all" in screen_text(app)
        await pilot.press("a")
        assert not listed.only_conversation
        assert [m.text for m in listed.messages] == [DRAFT]
        assert "all conversations; a: this conversation" in screen_text(app)
        outbox_id = listed.messages[0].id
        assert DRAFT in screen_text(app)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("y")
        await wait_for(
            pilot, lambda: listed.loaded and not listed.messages, what="the list emptied"
        )
        deletes = [r.path for r in fresh_gateway.requests if r.method == "DELETE"]
        assert deletes == [f"/outbox/{outbox_id}"]
        assert "Nothing is scheduled" in screen_text(app)
        assert listed.query_one("#scheduled-dialog").outer_size.height <= 5, "a small box"


async def test_a_time_that_passed_is_refused_and_nothing_is_sent(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        await draft_and_ask(pilot, inbox, DRAFT)
        await pilot.press(*"2026-11-27 11:00", "enter")
        await wait_for(pilot, lambda: "That time has passed" in screen_text(app))
        assert isinstance(app.screen, SendLaterScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not sends(fresh_gateway)
        assert inbox.composer.text == DRAFT


async def test_a_refused_schedule_keeps_the_draft(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    fresh_gateway.add_fault("status_500", "/message/send", times=0)
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        await draft_and_ask(pilot, inbox, DRAFT)
        await pilot.press(*"tomorrow 9:00", "enter")
        await wait_for(
            pilot,
            lambda: inbox.status_line.text.startswith(("Not scheduled", "Not confirmed")),
            what="the failure on the status line",
        )
        assert inbox.composer.text == DRAFT
        assert len(sends(fresh_gateway)) == 1, "never retried"


async def test_a_time_the_clocks_skip_is_refused_with_the_time_to_use(
    make_app: MakeApp, fresh_gateway: FakeGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Warsaw")  # 2027-03-28: 02:00 becomes 03:00
    time.tzset()
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        await draft_and_ask(pilot, inbox, DRAFT)
        await pilot.press(*"2027-03-28 02:30")
        await wait_for(pilot, lambda: "Did you mean 03:30?" in screen_text(app), what="advice")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SendLaterScreen)
        assert "2027-03-28 02:30 does not exist here" in screen_text(app)
        assert not sends(fresh_gateway)
        await pilot.press("ctrl+u", *"2027-03-28 03:30")  # the time suggested
        await wait_for(pilot, lambda: "28 Mar 2027 03:30, CEST (UTC+02:00)" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(sends(fresh_gateway)) == 1, what="the POST")
        assert sends(fresh_gateway)[0]["date"] == "2027-03-28 01:30"


async def test_a_gateway_without_the_list_says_so_in_a_small_box(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """``S`` where ``GET /outbox`` answers 404: one clear line in a box of its size."""
    fresh_gateway.add_fault("status_404_html", "/outbox", times=0)
    app = make_app(fresh_gateway)
    async with app.run_test(size=STANDARD) as pilot:
        await start(pilot)
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(app.screen, ScheduledScreen), what="the list")
        listed = app.screen
        assert isinstance(listed, ScheduledScreen)
        await wait_for(pilot, lambda: listed.loaded, what="the answer")
        await pilot.pause()
        assert "This gateway keeps no list of scheduled messages" in screen_text(app)
        dialog = listed.query_one("#scheduled-dialog")
        assert dialog.outer_size.height <= 5, "title, one line and the border"
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ScheduledScreen), what="closed")
