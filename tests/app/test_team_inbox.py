"""Two operators' apps on one PostgreSQL store and one gateway: one poller, both see everything.

Each app is the whole :class:`SmsApp` (``App.run_test``) with a state directory of its own; the
PostgreSQL server is the session's test server (:mod:`tests.pg_fixtures`). Polls are far apart, so
what shows in the second app came by NOTIFY, not by its own poll.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from smstui.domain.timefmt import bubble_time
from smstui.fake import FakeGateway
from smstui.store.location import account_schema
from smstui.store.pg_state import PgState
from smstui.store.read_state import ReadState
from smstui.system.secret import SecretUrl
from smstui.ui.app import SmsApp
from smstui.ui.screens.inbox import InboxScreen
from smstui.ui.widgets.thread_title import ThreadTitle
from tests.app.compose_helpers import wait_for
from tests.app.test_store_inbox import started, store_app
from tests.app_fixtures import ANCHOR, STANDARD, screen_text

GATEWAY_READS = ("/inbox", "/sent", "/conversation/")


def gateway_reads(gw: FakeGateway) -> int:
    """How many inbox, sent-history and conversation reads the gateway answered."""
    return sum(1 for r in gw.requests if r.path.startswith(GATEWAY_READS))


@pytest.fixture
def team_schema(fresh_gateway: FakeGateway, pg_url: SecretUrl) -> Iterator[str]:
    """The account's schema on the test server, dropped afterwards."""
    import psycopg

    name = account_schema("test-client", fresh_gateway.url)
    yield name
    with psycopg.connect(pg_url.reveal(), autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def team_app(gw: FakeGateway, directory: Path, url: SecretUrl, **settings: Any) -> SmsApp:
    """An operator's app: state of its own, the team's store, polls 5 minutes apart."""
    directory.mkdir()
    options: dict[str, Any] = {"poll_interval": 300.0, "backfill": False, **settings}
    return store_app(gw, directory, store_url=url, **options)


@contextlib.asynccontextmanager
async def two_operators(
    gw: FakeGateway, directory: Path, url: SecretUrl, **settings: Any
) -> AsyncIterator[tuple[Pilot[Any], InboxScreen, Pilot[Any], InboxScreen]]:
    """The leader's app (started first) and a follower's, both settled."""
    first = team_app(gw, directory / "a", url, **settings)
    second = team_app(gw, directory / "b", url, **settings)
    async with first.run_test(size=STANDARD) as lead:
        leader = await started(lead)
        async with second.run_test(size=STANDARD) as follow:
            follower = await started(follow)
            yield lead, leader, follow, follower


@contextlib.asynccontextmanager
async def anna_and_ben(
    gw: FakeGateway, directory: Path, url: SecretUrl
) -> AsyncIterator[tuple[Pilot[Any], InboxScreen, Pilot[Any], InboxScreen, str]]:
    """Anna's app (the leader) and Ben's, with Ben in the conversation Anna has open."""
    first = team_app(gw, directory / "a", url, operator="Anna")
    second = team_app(gw, directory / "b", url, operator="Ben")
    async with first.run_test(size=STANDARD) as lead:
        anna = await started(lead)
        async with second.run_test(size=STANDARD) as follow:
            ben = await started(follow)
            assert anna.thread is not None
            key = anna.thread.key
            ben.open_conversation(key, focus=False)
            await wait_for(follow, lambda: bool(texts(ben)), what="Ben's thread")
            yield lead, anna, follow, ben, key


def texts(inbox: InboxScreen) -> list[str]:
    thread = inbox.thread
    return [m.text for m in thread.messages] if thread is not None else []


async def test_one_operator_polls_and_both_see_a_new_message_at_once(
    fresh_gateway: FakeGateway, pg_url: SecretUrl, team_schema: str, tmp_path: Path
) -> None:
    gw = fresh_gateway
    first = team_app(gw, tmp_path / "a", pg_url)
    second = team_app(gw, tmp_path / "b", pg_url)
    async with first.run_test(size=STANDARD) as lead:
        leader = await started(lead)
        assert leader.team.active
        assert not leader.engine.following, "the first app leads"
        reads_before_follower = gateway_reads(gw)
        async with second.run_test(size=STANDARD) as follow:
            follower = await started(follow)
            assert follower.engine.following, "the second app follows"
            assert gateway_reads(gw) == reads_before_follower, "the follower read the store"
            assert follower.conversation_list.rows, "the follower lists the stored inbox"

            assert leader.thread is not None
            key = leader.thread.key
            follower.open_conversation(key, focus=False)
            await wait_for(follow, lambda: bool(texts(follower)), what="the follower's thread")
            summary = leader.session.summary(key)
            assert summary is not None

            gw.deliver_inbound(summary.number, "Team hello from the customer")
            leader.live.poll_now()
            started_at = time.monotonic()
            for pilot, inbox in ((lead, leader), (follow, follower)):
                await wait_for(
                    pilot,
                    lambda inbox=inbox: "Team hello from the customer" in texts(inbox),  # type: ignore[misc]
                    seconds=10,
                    what="the new message in the open conversation",
                )
                await wait_for(
                    pilot,
                    lambda inbox=inbox: (
                        inbox.conversation_list.rows[0].preview  # type: ignore[misc]
                        == "Team hello from the customer"
                    ),
                    seconds=10,
                    what="the new message at the top of the list",
                )
            assert time.monotonic() - started_at < 5, "not a poll: NOTIFY"
            await lead.pause(0.2)
            assert gateway_reads(gw) - reads_before_follower <= 3, "only the leader polled"


async def test_a_followers_send_shows_in_the_leaders_open_conversation(
    fresh_gateway: FakeGateway, pg_url: SecretUrl, team_schema: str, tmp_path: Path
) -> None:
    gw = fresh_gateway
    async with two_operators(gw, tmp_path, pg_url) as (lead, leader, follow, follower):
        assert leader.thread is not None
        key = leader.thread.key
        follower.open_conversation(key, focus=False)
        await wait_for(follow, lambda: bool(texts(follower)), what="the follower's thread")
        reads = gateway_reads(gw)

        follower.sending.send(key, "On my way, Anna here")
        await wait_for(
            lead,
            lambda: "On my way, Anna here" in texts(leader),
            seconds=5,
            what="the follower's send in the leader's conversation",
        )
        await wait_for(
            follow,
            lambda: not follower.sending.outbox.in_conversation(key),
            seconds=5,
            what="the follower's send confirmed",
        )
        assert texts(follower).count("On my way, Anna here") == 1
        assert texts(leader).count("On my way, Anna here") == 1
        assert gateway_reads(gw) == reads, "nobody read the gateway for it"


async def test_each_operators_name_shows_beside_their_sent_message(
    fresh_gateway: FakeGateway, pg_url: SecretUrl, team_schema: str, tmp_path: Path
) -> None:
    gw = fresh_gateway
    async with anna_and_ben(gw, tmp_path, pg_url) as (lead, anna, follow, ben, key):
        ben.sending.send(key, "Ben answers this one")
        anna.sending.send(key, "Anna adds a word")
        for pilot in (lead, follow):
            # Each pilot's own app: ``inbox.app`` is the active app of this task (the one
            # started last, Ben's), so it would look at Ben's screen twice.
            await wait_for(
                pilot,
                lambda app=pilot.app: (  # type: ignore[misc]
                    "sent · Ben" in screen_text(app) and "sent · Anna" in screen_text(app)
                ),
                seconds=10,
                what="both names beside the statuses",
            )
        signatures = anna.message_pane._layout.signatures
        by_text = {m.text: signatures.get(m.key) for m in anna.thread.messages}
        assert by_text["Ben answers this one"] == "Ben"
        assert by_text["Anna adds a word"] == "Anna"


async def test_an_operator_writing_a_reply_shows_in_the_others_title_within_a_second(
    fresh_gateway: FakeGateway, pg_url: SecretUrl, team_schema: str, tmp_path: Path
) -> None:
    gw = fresh_gateway
    async with anna_and_ben(gw, tmp_path, pg_url) as (lead, anna, follow, ben, key):
        title = anna.query_one(ThreadTitle)
        assert title.replying == ""

        ben.set_focus(ben.composer.text_area)
        typed = time.monotonic()
        await follow.press("o", "k")
        # The issue asks for "within a second": that figure is printed, not asserted (a
        # timed assertion fails on a busy machine for no fault of the app).
        await wait_for(lead, lambda: title.replying == "Ben is replying…", seconds=10.0)
        latency = time.monotonic() - typed
        assert "Ben is replying…" in str(title.render()), "in Anna's thread title"
        assert ben.query_one(ThreadTitle).replying == "", "not of oneself"

        await follow.press("backspace", "backspace")  # the draft is cleared
        await wait_for(lead, lambda: title.replying == "", seconds=10.0)

        await follow.press("h", "i")
        await wait_for(lead, lambda: title.replying == "Ben is replying…", seconds=10.0)
        ben.sending.send(key, "hi")  # sent: the composer empties
        await wait_for(lead, lambda: title.replying == "", seconds=10.0)
    print(f"presence latency: {latency * 1000:.0f} ms")


def row_text(inbox: InboxScreen, key: str) -> str:
    """The two lines of a conversation's row in the list, as painted."""
    listing = inbox.conversation_list
    index = next(i for i, row in enumerate(listing.rows) if row.key == key)
    width = listing.scrollable_content_region.width
    return " / ".join(strip.text for strip in listing._row_strips(index, width))


def anna_first_ran_an_hour_ago(url: SecretUrl, schema: str) -> None:
    """Anna's own read state starts an hour before "now": the last hour is unread for her."""
    state = PgState(url, schema, "Anna")
    ReadState(state, now=int(ANCHOR) - 3600).load()  # her first run
    state.close()


async def test_an_operator_reading_a_conversation_shows_read_by_in_the_others_title_and_row(
    fresh_gateway: FakeGateway, pg_url: SecretUrl, team_schema: str, tmp_path: Path
) -> None:
    gw = fresh_gateway
    anna_first_ran_an_hour_ago(pg_url, team_schema)
    first = team_app(gw, tmp_path / "a", pg_url, operator="Anna")
    second = team_app(gw, tmp_path / "b", pg_url, operator="Ben")
    async with first.run_test(size=STANDARD) as lead:
        anna = await started(lead)
        async with second.run_test(size=STANDARD) as follow:
            ben = await started(follow)
            assert anna.thread is not None
            opened = anna.thread.key
            key = anna.conversation_list.rows[0].key
            assert key == opened, "the newest conversation is shown at start"
            assert _unread(anna, key) > 0, "shown with the focus in the list: unread for Anna"
            ben.open_conversation(key, focus=False)
            await wait_for(follow, lambda: bool(texts(ben)), what="Ben's thread")
            title = ben.query_one(ThreadTitle)
            assert title.read_by == ""
            assert ben.session.unread_count(key) == 0, "Ben's reading is his own"

            anna.conversation_list.focus()
            await lead.press("enter")  # into it: Anna reads it
            await wait_for(lead, lambda: anna.conversation_list.rows and _unread(anna, key) == 0)
            expected = f"read by Anna {bubble_time(ANCHOR)}"  # the app's clock
            await wait_for(follow, lambda: title.read_by == expected, seconds=10.0)
            assert expected in str(title.render()), "in Ben's thread title"
            assert expected in row_text(ben, key), "on the row, the width allowing"
            assert anna.query_one(ThreadTitle).read_by == "", "not of oneself"
            assert expected not in row_text(anna, key)

        # Ben starting later finds it in the stored markers.
        third = team_app(gw, tmp_path / "c", pg_url, operator="Ben")
        async with third.run_test(size=STANDARD) as later:
            ben_again = await started(later)
            await wait_for(
                later,
                lambda: expected in row_text(ben_again, key),
                seconds=10.0,
                what="read by Anna from the store",
            )


def _unread(inbox: InboxScreen, key: str) -> int:
    summary = inbox.session.summary(key)
    return summary.unread if summary is not None else -1


async def test_an_operator_writing_a_reply_shows_on_the_others_row(
    fresh_gateway: FakeGateway, pg_url: SecretUrl, team_schema: str, tmp_path: Path
) -> None:
    gw = fresh_gateway
    first = team_app(gw, tmp_path / "a", pg_url, operator="Anna")
    second = team_app(gw, tmp_path / "b", pg_url, operator="Ben")
    async with first.run_test(size=STANDARD) as lead:
        anna = await started(lead)
        async with second.run_test(size=STANDARD) as follow:
            ben = await started(follow)
            assert anna.thread is not None
            other = next(r.key for r in anna.conversation_list.rows if r.key != anna.thread.key)
            ben.open_conversation(other, focus=False)  # not the one Anna has open
            await wait_for(follow, lambda: bool(texts(ben)), what="Ben's thread")
            assert "replying" not in row_text(anna, other)

            ben.set_focus(ben.composer.text_area)
            await follow.press("o", "k")
            await wait_for(
                lead,
                lambda: "Ben is replying…" in row_text(anna, other),
                seconds=10.0,
                what="Ben replying, on Anna's row",
            )
            assert anna.query_one(ThreadTitle).replying == "", "Anna's open thread is another"
            assert "replying" not in row_text(ben, other), "not of oneself"

            await follow.press("backspace", "backspace")
            await wait_for(lead, lambda: "replying" not in row_text(anna, other), seconds=10.0)
