"""Messages of the same second: the gateway's order, the same in every process and every view.

The gateway lists newest first; within a second its order is the only one there is. The store
keeps it (``ORDER BY timestamp, id``), so the thread, the paging and the conversation's preview
agree in every process reading the store, whatever order the pages arrived in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from smstui.domain.conversations import ConversationIndex
from smstui.domain.models import Page
from smstui.store import MessageStore
from tests.store.helpers import THEIRS, inbound, inbox_item, sent_item

SECOND = 1_795_780_800
PARTS = [f"Part {n} of 5" for n in range(1, 6)]
"""As the sender wrote them, oldest first; all five in one second."""


@pytest.fixture
def reopen(engine: str, request: pytest.FixtureRequest) -> Iterator[Callable[[], MessageStore]]:
    """Another connection to the same store, as a second process opens it."""
    opened: list[MessageStore] = []

    def open_again() -> MessageStore:
        if engine == "sqlite":
            from smstui.store.sqlite_store import SqliteStore

            again: MessageStore = SqliteStore.open(request.getfixturevalue("store_path"))
        else:
            from smstui.store.postgres_store import PostgresStore

            again = PostgresStore.open(
                request.getfixturevalue("pg_url"), request.getfixturevalue("pg_schema")
            )
        opened.append(again)
        return again

    yield open_again
    for again in opened:
        again.close()


def texts(store: MessageStore) -> list[str]:
    return [message.text for message in store.messages(THEIRS)]


def preview(store: MessageStore) -> str:
    summary = store.conversation(THEIRS)
    assert summary is not None
    return summary.preview


def test_the_key_order_is_not_the_gateways() -> None:
    """The texts are chosen so that a tie-break by message key would scramble them."""
    keys = [inbound(text, SECOND).key for text in PARTS]
    assert sorted(keys) != keys
    assert sorted(keys, reverse=True) != keys


@pytest.mark.parametrize(
    "pages",
    [
        [[4, 3, 2, 1, 0]],  # one page, newest first
        [[1, 0], [4, 3, 2, 1, 0]],  # two arrived first; a later poll brings all five
        [[0], [1, 0], [2, 1], [4, 3, 2]],  # one or two at a time, overlapping
    ],
    ids=["one-page", "then-all", "trickle"],
)
def test_one_second_keeps_the_gateways_order_in_every_connection(
    store: MessageStore, reopen: Callable[[], MessageStore], pages: list[list[int]]
) -> None:
    for page in pages:
        store.add_messages(THEIRS, [inbound(PARTS[n], SECOND) for n in page])
    other = reopen()
    assert texts(store) == PARTS
    assert texts(other) == PARTS
    assert preview(store) == preview(other) == "Part 5 of 5"
    # Paging by the same rule: a window around the middle, and the count after a message.
    middle = store.messages(THEIRS)[2]
    assert [m.text for m in other.messages_around(THEIRS, middle.key, 3)] == PARTS[1:4]
    assert other.newer_count(THEIRS, middle.key) == 2
    assert [m.text for m in other.messages(THEIRS, limit=2, before=1)] == PARTS[2:4]


def test_the_inbox_page_gives_the_same_preview_in_memory_and_in_the_store(
    store: MessageStore, reopen: Callable[[], MessageStore]
) -> None:
    newest_first = [inbox_item(text, SECOND) for text in reversed(PARTS)]
    store.add_inbox_items(newest_first)
    # One process merges the inbox page it fetched, then the store's rows; another has only
    # the store's rows. Both show the newest of the second.
    fetched = ConversationIndex()
    fetched.add_inbox_page(Page(tuple(newest_first), total=5, page=1, limit=50))
    fetched.add_stored(store.conversations())
    stored_only = ConversationIndex()
    stored_only.add_stored(reopen().conversations())
    assert [row.preview for row in fetched.summaries()] == ["Part 5 of 5"]
    assert [row.preview for row in stored_only.summaries()] == ["Part 5 of 5"]
    assert texts(reopen()) == PARTS


def test_a_reply_in_the_same_second_previews_the_same_whichever_list_came_first(
    store: MessageStore, reopen: Callable[[], MessageStore]
) -> None:
    received = inbox_item("Are you open today?", SECOND)
    replied = sent_item("Yes, until 18:00", SECOND, message_id="m-1")
    store.add_inbox_items([received])
    store.add_sent_items([replied])
    inbox_page = Page((received,), total=1, page=1, limit=50)
    sent_page = Page((replied,), total=1, page=1, limit=50)
    first, second = ConversationIndex(), ConversationIndex()
    first.add_inbox_page(inbox_page)
    first.add_sent_page(sent_page)
    second.add_sent_page(sent_page)
    second.add_inbox_page(inbox_page)
    for index in (first, second):
        index.add_stored(reopen().conversations())
    shown = {index.summaries()[0].preview for index in (first, second)}
    assert shown == {preview(store)}


def test_the_rows_a_write_changed_give_every_list_the_store_preview(store: MessageStore) -> None:
    received = inbox_item("Are you open today?", SECOND)
    replied = sent_item("Yes, until 18:00", SECOND, message_id="m-1")
    inbox_page = Page((received,), total=1, page=1, limit=50)
    sent_page = Page((replied,), total=1, page=1, limit=50)
    first, second = ConversationIndex(), ConversationIndex()
    first.add_inbox_page(inbox_page)
    first.add_sent_page(sent_page)
    second.add_sent_page(sent_page)
    second.add_inbox_page(inbox_page)
    store.add_inbox_items([received])
    store.add_sent_items([replied])
    store.add_messages("48500004499", [inbound("Elsewhere", SECOND, sender="48500004499")])
    changed = store.changed_summaries()  # what the engine announces after the writes
    for index in (first, second):
        index.refresh_listed(changed)
    shown = {index.summaries()[0].preview for index in (first, second)}
    assert shown == {preview(store)}
    # A conversation the list has not loaded a page of stays out of it.
    assert [len(index) for index in (first, second)] == [1, 1]
