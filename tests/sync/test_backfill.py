"""The history backfill against the fake gateway over loopback, into a real store file.

The request log is the proof: each history page is asked for once, at the largest page size,
one at a time; a second run goes on where the first stopped; failures pause and try again.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from smstui.api.errors import AuthError
from smstui.domain.phones import conversation_key
from smstui.fake import FakeGateway
from smstui.store import MessageStore, SqliteStore
from smstui.sync.backfill import CATCH_UP_PAGE_SIZE, BackfillProgress, HistoryBackfill
from smstui.system.clock import FixedClock
from tests.api.conftest import ANCHOR, ClientFactory

HISTORY_PATHS = ("/message/inbox", "/message/logging")


async def _inline(function, *args):  # type: ignore[no-untyped-def]
    """Run store calls inline: the tests are about which requests are made, not threads."""
    return function(*args)


def _history_requests(gateway: FakeGateway) -> list[tuple[str, int, int]]:
    return [
        (request.path, int(request.query["page"]), int(request.query["limit"]))
        for request in gateway.requests
        if request.path in HISTORY_PATHS
    ]


class Stopped(Exception):
    """Raised by the fake pause to end a backfill that would go on trying (the app quits)."""


def _backfill(
    client: object,
    store: MessageStore,
    sleeps: list[float],
    *,
    stop_after: int | None = None,
    **options: object,
) -> HistoryBackfill:
    clock = FixedClock(ANCHOR)

    async def pause(seconds: float) -> None:
        sleeps.append(seconds)
        clock.advance(seconds)
        if stop_after is not None and len(sleeps) >= stop_after:
            raise Stopped

    return HistoryBackfill(
        client,  # type: ignore[arg-type]
        store,
        clock=clock,
        sleep=pause,
        offload=_inline,
        **options,  # type: ignore[arg-type]
    )


async def test_backfill_stores_every_conversation_asking_each_page_once(
    gateway: FakeGateway, make_client: ClientFactory, store: MessageStore, sleeps: list[float]
) -> None:
    client = make_client()
    reports: list[BackfillProgress] = []
    backfill = _backfill(client, store, sleeps, page_size=40, on_progress=reports.append)
    final = await backfill.run()

    assert final.done
    assert final.total is not None
    assert final.stored == final.total
    requests = _history_requests(gateway)
    assert all(limit == 40 for _, _, limit in requests)
    assert not [key for key, seen in Counter(requests).items() if seen > 1], "a page asked twice"
    inbox_pages = sorted(page for path, page, _ in requests if path == "/message/inbox")
    assert inbox_pages == list(range(1, len(inbox_pages) + 1))
    assert len(inbox_pages) > 1, "the small gateway must need several pages for this test"
    # Every conversation the gateway has is in the store, with its newest message as preview.
    stored = {row.key for row in store.conversations()}
    for number in gateway.conversation_numbers():
        assert conversation_key(number) in stored
    # Progress grew page by page and ended at 100 %.
    percents = [report.percent for report in reports if report.percent is not None]
    assert percents == sorted(percents)
    assert percents[-1] == 100
    assert not sleeps


async def test_a_stopped_backfill_goes_on_from_the_next_page(
    gateway: FakeGateway, make_client: ClientFactory, tmp_path: Path, sleeps: list[float]
) -> None:
    path = tmp_path / "store.sqlite3"
    client = make_client(retries=0)
    gateway.add_fault("status_500", "/message/logging", times=0, after=2)
    gateway.add_fault("status_500", "/message/inbox", times=0, after=2)
    first = SqliteStore.open(path)
    backfill = _backfill(client, first, sleeps, page_size=30, max_backoff=40, stop_after=5)
    # It keeps trying, politely, while the gateway fails; the app would stop it on quitting.
    with pytest.raises(Stopped):
        await backfill.run()
    first.close()
    assert sleeps == [5.0, 10.0, 20.0, 40.0, 40.0], "the pause doubles up to its ceiling"
    before = _history_requests(gateway)
    asked_ok = {(p, page) for p, page, _ in before[:4]}

    gateway.clear_faults()
    second = SqliteStore.open(path)
    final = await _backfill(client, second, sleeps, page_size=30).run()
    assert final.done
    after = _history_requests(gateway)[len(before) :]
    # The catch-up reads page 1 of each history at its own size; then the backfill goes on
    # from page 3: pages 1 and 2 of each history are not asked for again at the backfill size.
    assert ("/message/inbox", 1, CATCH_UP_PAGE_SIZE) in after
    backfill_pages = {(p, page) for p, page, limit in after if limit == 30}
    assert not backfill_pages & asked_ok
    assert min(page for _, page in backfill_pages) == 3
    second.close()


async def test_rate_limit_waits_as_long_as_the_gateway_asks(
    gateway: FakeGateway, make_client: ClientFactory, store: MessageStore, sleeps: list[float]
) -> None:
    client = make_client(retries=0)
    gateway.add_fault("status_429", "/message/inbox", times=1, retry_after=90)
    final = await _backfill(client, store, sleeps, page_size=200).run()
    assert final.done
    assert sleeps == [90.0]


async def test_rejected_credentials_stop_the_backfill(
    gateway: FakeGateway, make_client: ClientFactory, store: MessageStore, sleeps: list[float]
) -> None:
    client = make_client(secret="wrong")
    with pytest.raises(AuthError):
        await _backfill(client, store, sleeps).run()
    assert len(_history_requests(gateway)) == 1


async def test_a_finished_backfill_only_catches_up_with_what_arrived(
    gateway: FakeGateway, make_client: ClientFactory, store: MessageStore, sleeps: list[float]
) -> None:
    client = make_client()
    await _backfill(client, store, sleeps).run()
    asked = len(_history_requests(gateway))
    number = gateway.conversation_numbers()[0]
    gateway.deliver_inbound(number, "Arrived while smstui was closed: żółw")
    final = await _backfill(client, store, sleeps).run()
    assert final.done
    after = _history_requests(gateway)[asked:]
    assert after == [
        ("/message/inbox", 1, CATCH_UP_PAGE_SIZE),
        ("/message/logging", 1, CATCH_UP_PAGE_SIZE),
    ]
    hits = store.search("zolw").messages
    assert [hit.conversation_key for hit in hits] == [conversation_key(number)]
