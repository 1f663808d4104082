"""The app and the commands answer the same store the same way: which of our numbers a
conversation runs on and our messages went out from (never the gateway's placeholder
"Sender"), a contact's name, and the unread counts."""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

from smstui.domain.phones import conversation_key, display_number
from smstui.fake import FakeGateway
from smstui.system.exit_codes import EXIT_OK
from smstui.system.secret import Credentials, Secret
from smstui.ui.app import SmsApp
from smstui.ui.widgets.thread_title import ThreadTitle
from tests.app.compose_helpers import (
    inbox_of,
    seed_read_state,
    start,
    type_and_send,
    wait_for,
)
from tests.app_fixtures import STANDARD, MakeApp, screen_text, settle
from tests.commands.conftest import ANCHOR, CLIENT_ID, SECRET, Result, Run


def app_for(make_app: MakeApp, gateway: FakeGateway, **settings: Any) -> SmsApp:
    """The terminal app on the commands' account: the same store file."""
    credentials = Credentials(CLIENT_ID, Secret(SECRET), source="test")
    return make_app(gateway, credentials=credentials, **settings)


async def command(run: Run, *args: str) -> Result:
    """``smstui ARGS`` (it runs its own event loop: in a thread, beside the test's)."""
    return await asyncio.to_thread(run, *args)


def title_text(app: SmsApp) -> str:
    return " ".join(str(inbox_of(app).query_one(ThreadTitle).render()).split())


async def test_our_number_is_the_same_in_the_app_show_and_export(
    gateway: FakeGateway, make_app: MakeApp, run: Run
) -> None:
    """The gateway names our messages' sender "Sender": the app's title, ``show --json`` and
    ``export`` (jsonl and csv) all name the number the conversation runs on instead."""
    gateway.set_mode(placeholder_sender=True)
    app = app_for(make_app, gateway)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        assert inbox.thread is not None
        key = inbox.thread.key
        summary = inbox.session.summary(key)
        assert summary is not None
        title = title_text(app)
    assert " via " in title, title
    shown_own = title.rsplit(" via ", 1)[1]
    shown = await command(run, "show", summary.number, "--json", "--limit", "200")
    assert shown.code == EXIT_OK, shown.err
    answer = shown.json()
    own = answer["conversation"]["own_number"]
    assert own in gateway.own_numbers
    assert shown_own.replace(" ", "").lstrip("+") == own
    ours = [m for m in answer["messages"] if m["direction"] == "out"]
    assert ours, "the conversation has messages of ours"
    assert {m["from"] for m in ours} == {own}
    exported = await command(run, "export", summary.number, "--format", "jsonl", "--offline")
    assert exported.code == EXIT_OK, exported.err
    assert {m["from"] for m in exported.lines() if m["direction"] == "out"} == {own}
    table = await command(run, "export", summary.number, "--format", "csv", "--offline")
    assert table.code == EXIT_OK, table.err
    rows = list(csv.DictReader(io.StringIO(table.out)))
    assert {r["from"] for r in rows if r["direction"] == "out"} == {own}
    everything = await command(run, "export", "--format", "jsonl", "--offline")
    assert "Sender" not in {m["from"] for m in everything.lines()}


FAST = {"poll_interval": 0.2, "status_refresh": 0.2}


async def test_unread_counts_are_the_apps_badges(
    gateway: FakeGateway, make_app: MakeApp, run: Run
) -> None:
    """Messages arrive, some are read in the app, one is marked unread with u, a reply is
    sent: ``smstui conversations --json`` and ``smstui unread --json`` count what the app's
    list shows."""
    seed_read_state(
        ANCHOR - 3600, gateway, client_id=CLIENT_ID
    )  # smstui first ran an hour ago: what arrives now is unread
    app = app_for(make_app, gateway, **FAST)
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        rows = inbox.conversation_list.rows
        first, second, third, fourth = (r.number for r in rows[1:5])
        for number in (first, second, third):
            gateway.deliver_inbound(number, f"Hello from {number}")
            gateway.deliver_inbound(number, "Are you there?")
        await wait_for(
            pilot,
            lambda: all(row_of(app, n).unread == 2 for n in (first, second, third)),
            what="the new messages counted",
        )
        inbox.open_conversation(conversation_key(first))  # read in the app
        await settle(pilot)
        inbox.message_pane.focus()
        await settle(pilot)
        assert row_of(app, first).unread == 0
        inbox.conversation_list.focus()
        inbox.conversation_list.highlight_key(conversation_key(fourth))
        await pilot.press("u")  # marked unread by hand
        inbox.open_conversation(conversation_key(second))
        await settle(pilot)
        inbox.message_pane.focus()
        await settle(pilot)
        await pilot.press("u")  # read, then kept unread while it stays open
        gateway.deliver_inbound(second, "One more thing")
        gateway.deliver_inbound(second, "And another")
        await wait_for(pilot, lambda: row_of(app, second).unread == 2, what="two more counted")
        for clock in (app.clock, gateway.clock):  # a minute later, on both sides
            clock.advance(60)  # type: ignore[attr-defined]
        await type_and_send(pilot, "On my way")  # a reply: what came before is read
        await wait_for(
            pilot,
            lambda: any(m.text == "On my way" and m.key.startswith("id:")
                        for m in inbox.thread.messages),  # type: ignore[union-attr]
            what="the reply taken",
        )  # fmt: skip
        await settle(pilot)
        badges = {r.key: r.unread for r in inbox.conversation_list.rows}
        total = inbox.session.conversations.total_unread()
    assert badges[conversation_key(fourth)] == 1
    assert badges[conversation_key(third)] == 2
    assert badges[conversation_key(second)] == 1, "replied to, still marked unread"
    listed = await command(run, "conversations", "--json", "--limit", "1000")
    assert listed.code == EXIT_OK, listed.err
    counts = {c["conversation"]: c["unread"] for c in listed.json()["conversations"]}
    assert {k: v for k, v in counts.items() if v} == {k: v for k, v in badges.items() if v}
    totals = await command(run, "unread", "--json")
    assert totals.code == EXIT_OK, totals.err
    answer = totals.json()
    assert answer["unread"] == total
    assert answer["conversations"] == sum(1 for v in badges.values() if v)


def row_of(app: SmsApp, number: str) -> Any:
    key = conversation_key(number)
    return next(r for r in inbox_of(app).conversation_list.rows if r.key == key)


async def test_names_are_the_same_in_the_app_and_in_show(
    gateway: FakeGateway, make_app: MakeApp, run: Run
) -> None:
    """A contact with accents and odd spacing, and a number with no contact: the app's list
    row and title and ``show``'s header name them alike (all from ``Contact.display_name`` of
    the parsed, one-line names)."""
    named, unnamed = gateway.conversation_numbers()[1], "48799111222"
    gateway.name_contact(named, "  Zoë\u00a0 Anna ", "Wójcik-Łęcka   ")
    gateway.deliver_inbound(unnamed, "Hello, a stranger here")  # a new number: no contact
    app = app_for(make_app, gateway)
    seen: dict[str, tuple[str, str, str]] = {}
    async with app.run_test(size=STANDARD) as pilot:
        inbox = await start(pilot)
        for number in (named, unnamed):
            key = conversation_key(number)
            inbox.open_conversation(key)
            await settle(pilot)
            summary = inbox.session.summary(key)
            assert summary is not None
            seen[number] = (summary.name, title_text(app), screen_text(app))
    for number, (name, title, screen) in seen.items():
        header = await command(run, "show", number, "--limit", "1")
        assert header.code == EXIT_OK, header.err
        first_line = header.out.splitlines()[0].split(" · ")[0]
        shown_number = display_number(number)
        if number == named:
            assert name == "Zoë Anna Wójcik-Łęcka"
            assert first_line == f"{shown_number} ({name})"
            assert title.startswith(f"{name} {shown_number}")
            assert f"{name} " in screen, "the list row names it alike"
        else:
            assert name == ""
            assert first_line == shown_number
            assert title.startswith(shown_number)
