"""Two engines on one PostgreSQL store: the leader reads the gateway, the follower the store."""

from __future__ import annotations

import time
from pathlib import Path

from smstui.domain.phones import conversation_key
from smstui.fake import FakeGateway
from smstui.store.location import StoreLocation
from smstui.sync.access import StoreAccess
from smstui.sync.engine import (
    StoredListChanged,
    StoredThreadChanged,
    SummariesStored,
    SyncEngine,
    SyncEvent,
)
from smstui.sync.team import TeamSync
from smstui.system.clock import FixedClock
from smstui.system.secret import SecretUrl
from tests.api.conftest import ANCHOR, ClientFactory
from tests.team.conftest import wait_for


async def _engine(client: object, location: StoreLocation) -> SyncEngine:
    team = TeamSync(location, interval=0.2)
    engine = SyncEngine(
        client,  # type: ignore[arg-type]
        StoreAccess(location),
        clock=FixedClock(ANCHOR),
        team=team,
    )
    engine.start()
    await engine.access.open()
    await team.start()
    return engine


def _stop(engine: SyncEngine) -> None:
    assert engine.team is not None
    engine.team.stop()  # type: ignore[attr-defined]
    engine.close()


async def test_a_follower_reads_the_store_and_hears_of_new_messages(
    gateway: FakeGateway,
    make_client: ClientFactory,
    pg_url: SecretUrl,
    pg_schema: str,
    tmp_path: Path,
) -> None:
    location = StoreLocation(path=tmp_path / "unused.sqlite3", url=pg_url, schema=pg_schema)
    leader = await _engine(make_client(), location)
    follower = await _engine(make_client(), location)
    try:
        assert leader.team is not None
        assert follower.team is not None
        assert leader.team.is_leader
        assert not follower.team.is_leader
        assert follower.following
        assert not leader.following

        inbox = await leader.inbox(page=1, limit=20)
        number = inbox.items[0].sender
        key = conversation_key(number)
        await leader.conversation(key, number, page=1, limit=20)
        await leader.settled()

        # The follower answers from the store: the gateway sees nothing of it.
        before = len(gateway.requests)
        told: list[SyncEvent] = []
        stop_telling = follower.subscribe(told.append)
        page = await follower.conversation(key, number, page=1, limit=20)
        listed = await follower.inbox(page=1, limit=20)
        stop_telling()
        await follower.backfill(page_size=50)  # waits for leadership instead
        assert len(gateway.requests) == before
        assert page.items
        assert {m.key for m in page.items} <= {
            m.key for m in (await leader.conversation(key, number, page=1, limit=50)).items
        }
        assert [item.text for item in listed.items] == [item.text for item in inbox.items]
        assert follower.team.pending_backfill == 50  # type: ignore[attr-defined]
        # Its list takes the store's rows of the page's conversations, as the leader's does.
        store = follower.access.store
        assert store is not None
        senders = sorted({conversation_key(item.sender) for item in listed.items})
        rows = [event for event in told if isinstance(event, SummariesStored)]
        assert rows[-1].conversations == tuple(store.summaries(senders))

        # A new message: the leader stores it, the follower is told within a second.
        events: list[tuple[float, SyncEvent]] = []
        follower.subscribe(lambda event: events.append((time.monotonic(), event)))
        own: list[SyncEvent] = []
        leader.subscribe(own.append)
        delivered = time.monotonic()
        gateway.deliver_inbound(number, "team mode says hello")
        await leader.inbox(page=1, limit=20)
        await leader.settled()

        def seen() -> bool:
            return any(
                isinstance(e, StoredThreadChanged)
                and e.key == key
                and any(m.text == "team mode says hello" for m in e.page.items)
                for _, e in events
            )

        await wait_for(seen, within=5)
        lists = [(t, e) for t, e in events if isinstance(e, StoredListChanged)]
        assert lists
        assert lists[0][1].conversations[0].key == key
        delay = min(t for t, e in events if isinstance(e, StoredThreadChanged)) - delivered
        print(f"delivered → leader polled and stored → follower told: {delay * 1000:.0f} ms")
        assert delay < 1.0
        # The leader is not told of its own write again by its listener.
        await wait_for(lambda: len(events) >= 2)
        assert not any(isinstance(e, StoredThreadChanged) for e in own)
    finally:
        _stop(follower)
        _stop(leader)
