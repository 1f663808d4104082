"""A sent-history page that failed while its inbox page arrived is asked for again.

The list is built from inbox pages and the sent-history pages of the same numbers (people we
wrote to who never replied are only in the latter). The fault fails exactly one sent-history
request; the app must ask for that same page (same ``page`` and ``limit``) again and end up
with the list it would have had without the fault. The history backfill is off (a user's
setting): it reads every page by itself and would hide a page never asked for again.
"""

from __future__ import annotations

from smstui.api.client import SmsClient
from smstui.domain.conversations import ConversationIndex
from smstui.fake import FakeGateway
from smstui.system.secret import Credentials, Secret
from smstui.ui.app import SmsApp
from tests.app.compose_helpers import inbox_of, start, wait_for
from tests.app_fixtures import SECRET, STANDARD, MakeApp, settle

HISTORY = "/message/logging"


def history_requests(gateway: FakeGateway) -> list[tuple[str, str]]:
    """``(page, limit)`` of every sent-history request, in order."""
    return [
        (r.query["page"], r.query["limit"])
        for r in gateway.requests
        if r.method == "GET" and r.path == HISTORY
    ]


async def expected_keys(gateway: FakeGateway, pages: int, limit: int) -> set[str]:
    """The conversations inbox and sent-history pages 1..``pages`` name, fetched directly."""
    index = ConversationIndex()
    credentials = Credentials("test-client", Secret(SECRET), source="test")
    async with SmsClient(gateway.url, credentials) as client:
        for number in range(1, pages + 1):
            index.add_inbox_page(await client.inbox(page=number, limit=limit))
            index.add_sent_page(await client.sent_history(page=number, limit=limit))
    return {summary.key for summary in index.summaries()}


def shown_keys(app: SmsApp) -> set[str]:
    return {row.key for row in inbox_of(app).conversation_list.rows}


async def test_a_failed_first_sent_page_is_asked_for_again_by_the_poll(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Start-up: inbox page 1 arrives, sent page 1 fails once; a later poll fetches it.

    The terminal is short, so page 1 fills the list and no further page is asked for.
    """
    fresh_gateway.add_fault("status_500", HISTORY, times=1)
    app = make_app(fresh_gateway, poll_interval=0.2, backfill=False)
    async with app.run_test(size=(100, 16)) as pilot:
        await start(pilot)
        await wait_for(
            pilot,
            lambda: history_requests(fresh_gateway).count(("1", "100")) >= 2,
            seconds=10,
            what="sent page 1 asked for again",
        )
        expected = await expected_keys(fresh_gateway, inbox_of(app).session.pages_loaded, 100)
        await wait_for(pilot, lambda: shown_keys(app) == expected, what="the full list")
        assert history_requests(fresh_gateway)[:2] == [("1", "100"), ("1", "100")]
        assert inbox_of(app).session.pages_loaded == 1, "the poll asked again, not a next page"
        assert len(inbox_of(app).session.missed_sent) == 0


async def test_a_failed_later_sent_page_is_asked_for_again_with_the_next_page(
    make_app: MakeApp, fresh_gateway: FakeGateway
) -> None:
    """Sent page 2 fails once; the next list page brings it along (no polling here)."""
    fresh_gateway.add_fault("status_500", HISTORY, times=1, after=1)
    app = make_app(fresh_gateway, inbox_page_size=20, poll_interval=3600, backfill=False)
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)  # the list loads pages until it is full
        session = inbox_of(app).session
        assert session.pages_loaded >= 3
        requests = history_requests(fresh_gateway)
        assert requests.count(("2", "20")) == 2, requests
        # The list asks for each page's inbox and sent history together, and the retry of a
        # missed sent page goes along with the next page's pair; requests of one step reach the
        # gateway in any order, so the retry is placed by steps: after page 2's inbox request
        # (not inside the failed call) and together with page 3's.
        order = [
            (r.path, r.query.get("page"))
            for r in fresh_gateway.requests
            if r.method == "GET" and r.path in (HISTORY, "/message/inbox")
        ]
        retry = order.index((HISTORY, "2"), order.index((HISTORY, "2")) + 1)
        assert retry > order.index(("/message/inbox", "2")), "asked again only in a later step"
        assert abs(retry - order.index(("/message/inbox", "3"))) <= 2, "with page 3's requests"
        expected = await expected_keys(fresh_gateway, session.pages_loaded, 20)
        assert shown_keys(app) == expected
        assert len(session.missed_sent) == 0
