"""The sync engine against the fake gateway over loopback, writing to a real store file.

What a read brings is in the store once the engine has settled, and every subscriber is told
once, in the order the pages were read; a store that cannot be opened or written changes
nothing about what the reads return.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from smstui.api.errors import AuthError
from smstui.domain.phones import conversation_key
from smstui.fake import FakeGateway
from smstui.store import MessageStore, SqliteStore
from smstui.store.location import StoreLocation
from smstui.sync.access import StoreAccess
from smstui.sync.engine import (
    BackfillProgressed,
    ContactsStored,
    InboxPageStored,
    SentPageStored,
    StoredListChanged,
    StoreTrouble,
    SummariesStored,
    SyncEngine,
    SyncEvent,
    ThreadPageStored,
)
from smstui.system.clock import FixedClock
from tests.api.conftest import ANCHOR, ClientFactory


def _engine(client: object, access: StoreAccess) -> SyncEngine:
    engine = SyncEngine(client, access, clock=FixedClock(ANCHOR))  # type: ignore[arg-type]
    engine.start()
    return engine


@pytest.fixture
def access(tmp_path: Path) -> StoreAccess:
    """A real store file, opened on first use (closed by the test's engine)."""
    return StoreAccess(tmp_path / "store" / "messages.sqlite3")


async def test_an_inbox_page_is_stored_and_announced_once(
    gateway: FakeGateway, make_client: ClientFactory, access: StoreAccess
) -> None:
    engine = _engine(make_client(), access)
    events: list[SyncEvent] = []
    engine.subscribe(events.append)

    page = await engine.inbox(page=1, limit=20)
    await engine.settled()

    assert page.items
    store = access.store
    assert store is not None
    senders = {conversation_key(item.sender) for item in page.items}
    listed = {summary.key: summary for summary in store.conversations()}
    assert senders <= set(listed)
    # The page, then the store's rows of the conversations it changed: the list's one rule.
    assert events == [
        InboxPageStored(page),
        SummariesStored(tuple(listed[key] for key in sorted(senders))),
    ]
    engine.close()


async def test_a_conversation_page_is_stored_under_its_key(
    gateway: FakeGateway, make_client: ClientFactory, access: StoreAccess
) -> None:
    engine = _engine(make_client(), access)
    inbox = await engine.inbox(page=1, limit=5)
    await engine.settled()
    number = inbox.items[0].sender
    key = conversation_key(number)
    events: list[SyncEvent] = []
    engine.subscribe(events.append)

    page = await engine.conversation(key, number, page=1, limit=10)
    await engine.settled()

    store = access.store
    assert store is not None
    # The thread's copies are richer than the inbox's: the summary was refreshed.
    assert events == [ThreadPageStored(key, page), SummariesStored((store.conversation(key),))]
    stored = {message.key for message in store.messages(key, limit=100)}
    assert {message.key for message in page.items} <= stored
    engine.close()


async def test_subscribers_see_the_events_in_the_order_of_the_reads(
    gateway: FakeGateway, make_client: ClientFactory, access: StoreAccess
) -> None:
    engine = _engine(make_client(), access)
    first: list[SyncEvent] = []
    second: list[SyncEvent] = []
    engine.subscribe(first.append)
    stop_second = engine.subscribe(second.append)

    inbox = await engine.inbox(page=1, limit=10)
    sent = await engine.sent_history(page=1, limit=10)
    contacts = await engine.contacts(page=1, limit=10)
    await engine.settled()  # each event is told once its page is in the store
    stop_second()
    older = await engine.inbox(page=2, limit=10)
    await engine.settled()

    def pages(events: list[SyncEvent]) -> list[SyncEvent]:
        return [event for event in events if not isinstance(event, SummariesStored)]

    expected = [InboxPageStored(inbox), SentPageStored(sent), ContactsStored(contacts)]
    assert pages(first) == [*expected, InboxPageStored(older)]
    assert pages(second) == expected, "an unsubscribed listener hears nothing more"
    engine.close()


async def test_a_store_that_cannot_be_opened_does_not_break_reads(
    gateway: FakeGateway, make_client: ClientFactory, tmp_path: Path
) -> None:
    def fail(path: Path) -> MessageStore:
        raise sqlite3.OperationalError("unable to open database file")

    access = StoreAccess(tmp_path / "messages.sqlite3", opener=fail)
    engine = _engine(make_client(), access)
    events: list[SyncEvent] = []
    engine.subscribe(events.append)

    page = await engine.inbox(page=1, limit=10)
    await engine.settled()
    again = await engine.inbox(page=1, limit=10)  # no store now: announced at once

    assert page.items
    assert events[0] == InboxPageStored(page)
    assert isinstance(events[1], StoreTrouble)
    assert "not kept on this machine" in events[1].problem
    assert events[2:] == [InboxPageStored(again)], "the problem is told once"
    engine.close()


async def test_a_store_whose_writes_fail_does_not_break_reads(
    gateway: FakeGateway, make_client: ClientFactory, tmp_path: Path
) -> None:
    def closed(location: StoreLocation) -> MessageStore:
        store = SqliteStore.open(location.path)
        store.close()  # every write now raises sqlite3.ProgrammingError
        return store

    access = StoreAccess(tmp_path / "messages.sqlite3", opener=closed)
    engine = _engine(make_client(), access)
    events: list[SyncEvent] = []
    engine.subscribe(events.append)

    inbox = await engine.inbox(page=1, limit=10)
    sent = await engine.sent_history(page=1, limit=10)
    await engine.settled()

    assert inbox.items
    assert sent.items
    # Both reads are announced in order; the trouble is said once, whenever the writer found
    # it (after the first failed write, or after both: it depends on when the second came).
    assert [e for e in events if not isinstance(e, StoreTrouble)] == [
        InboxPageStored(inbox),
        SentPageStored(sent),
    ]
    assert sum(isinstance(event, StoreTrouble) for event in events) == 1
    assert "Could not update the message store" in access.problem


async def test_without_a_store_reads_are_announced_at_once(
    gateway: FakeGateway, make_client: ClientFactory
) -> None:
    engine = _engine(make_client(), StoreAccess(None))
    events: list[SyncEvent] = []
    engine.subscribe(events.append)

    page = await engine.inbox(page=1, limit=10)

    assert events == [InboxPageStored(page)]


async def test_a_gateway_failure_reaches_the_caller_and_announces_nothing(
    gateway: FakeGateway, make_client: ClientFactory, access: StoreAccess
) -> None:
    engine = _engine(make_client(secret="wrong"), access)
    events: list[SyncEvent] = []
    engine.subscribe(events.append)

    with pytest.raises(AuthError):
        await engine.inbox(page=1, limit=10)
    await engine.settled()

    assert events == []
    engine.close()


async def test_a_broken_listener_does_not_silence_the_others(
    gateway: FakeGateway, make_client: ClientFactory
) -> None:
    engine = _engine(make_client(), StoreAccess(None))
    heard: list[SyncEvent] = []

    def broken(event: SyncEvent) -> None:
        raise RuntimeError("bug in a listener")

    engine.subscribe(broken)
    engine.subscribe(heard.append)

    page = await engine.inbox(page=1, limit=10)

    assert heard == [InboxPageStored(page)]


async def test_the_backfill_announces_progress_then_the_stored_list(
    gateway: FakeGateway, make_client: ClientFactory, access: StoreAccess
) -> None:
    engine = _engine(make_client(), access)
    events: list[SyncEvent] = []
    engine.subscribe(events.append)

    await engine.backfill(page_size=2000)

    progress = [event.progress for event in events if isinstance(event, BackfillProgressed)]
    assert progress
    assert progress[-1].done
    assert isinstance(events[-1], StoredListChanged)
    store = access.store
    assert store is not None
    assert len(events[-1].conversations) == store.conversation_count()
    engine.close()


async def test_another_writer_is_noticed_by_the_data_version(
    gateway: FakeGateway, make_client: ClientFactory, access: StoreAccess
) -> None:
    engine = _engine(make_client(), access)
    await engine.note_data_version()
    events: list[SyncEvent] = []
    engine.subscribe(events.append)

    await engine.check_other_writers()
    assert events == [], "nothing changed yet"

    assert access.path is not None
    other = SqliteStore.open(access.path)  # a second smstui process on the same file
    try:
        other.add_inbox_items((await make_client().inbox(page=1, limit=5)).items)
    finally:
        other.close()
    await engine.check_other_writers()

    assert [type(event) for event in events] == [StoredListChanged]
    engine.close()


async def test_a_read_in_order_sees_the_store_as_the_earlier_writes_left_it(
    gateway: FakeGateway, make_client: ClientFactory, access: StoreAccess
) -> None:
    """The start-up read of the stored list is queued before this run's first page is
    written, so its newest conversation is the last run's (a CI run opened the wrong one)."""
    engine = _engine(make_client(), access)
    await access.open()
    earlier = await engine.inbox(page=2, limit=5)  # what a last run left (older messages)
    await engine.settled()
    stored = engine.read_in_order(lambda store: [row.key for row in store.conversations()])
    newest = await engine.inbox(page=1, limit=5)  # this run's first page, written after
    await engine.settled()  # written before the answer is even looked at
    seen = await stored
    assert seen is not None
    assert set(seen) == {conversation_key(item.sender) for item in earlier.items}
    now_listed = {row.key for row in access.store.conversations()} if access.store else set()
    assert {conversation_key(item.sender) for item in newest.items} <= now_listed
    engine.close()
