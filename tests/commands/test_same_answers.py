"""The app and the commands answer the same store the same way: which of our numbers a
conversation runs on and our messages went out from (never the gateway's placeholder
"Sender"), a contact's name, and the unread counts."""

from __future__ import annotations

import asyncio
import csv
import io

from smstui.fake import FakeGateway
from smstui.system.exit_codes import EXIT_OK
from smstui.system.secret import Credentials, Secret
from smstui.ui.app import SmsApp
from smstui.ui.widgets.thread_title import ThreadTitle
from tests.app.compose_helpers import inbox_of, start
from tests.app_fixtures import STANDARD, MakeApp
from tests.commands.conftest import CLIENT_ID, SECRET, Result, Run


def app_for(make_app: MakeApp, gateway: FakeGateway) -> SmsApp:
    """The terminal app on the commands' account: the same store file."""
    return make_app(gateway, credentials=Credentials(CLIENT_ID, Secret(SECRET), source="test"))


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
        summary = inbox.index.get(key)
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
