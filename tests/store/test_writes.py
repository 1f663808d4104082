"""The write path: index rows in ascending rowid order, dense time-ordered ids, bursts."""

from __future__ import annotations

import dataclasses

from smstui.store import MessageStore, SqliteStore
from smstui.store.schema import ID_SLOTS, time_id_range
from tests.store.helpers import THEIRS, inbound, inbox_item, outbound, sqlite_only

# FTS5 numbers a segment's pages (segment id << 37) + ...; rowids 1 and 10 are bookkeeping.
_SEGMENTS = "SELECT count(DISTINCT id >> 37) FROM message_fts_data WHERE id >= (1 << 37)"


def _segments(store: MessageStore) -> int:
    return int(store._connection.execute(_SEGMENTS).fetchone()[0])


@sqlite_only
def test_a_newest_first_page_is_indexed_as_one_segment(store: MessageStore) -> None:
    # Without merging, every flush of FTS5's pending terms stays a segment of its own.
    store._connection.execute("INSERT INTO message_fts (message_fts, rank) VALUES ('automerge', 0)")
    page = [inbox_item(f"parcel number {n} arrived", 10_000 - n) for n in range(12)]
    assert len(store.add_inbox_items(page)) == 12  # newest first, as the gateway pages
    assert _segments(store) == 1
    assert len(store.search("parcel").messages) == 12


@sqlite_only
def test_index_stays_exact_through_merges_and_removals(store: MessageStore) -> None:
    # One message twice in one batch, the second copy at a corrected time: it moves to a new
    # rowid, and the index entry written for the first copy in this batch is never written.
    sent = outbound("moved text", 1000, message_id="m1")
    store.add_messages(THEIRS, [sent, dataclasses.replace(sent, timestamp=1005)])
    [hit] = store.search("moved").messages
    assert hit.timestamp == 1005
    store.add_messages(THEIRS, [inbound("again text", 2000), inbound("other text", 1500)])
    store.remove_message(sent.key)
    assert store.search("moved").messages == ()
    assert [h.snippet for h in store.search("text").messages] == ["again text", "other text"]
    # Every index row is the one the store meant: none deleted that was never inserted.
    store._connection.execute("INSERT INTO message_fts (message_fts) VALUES ('optimize')")
    rows = store._connection.execute("SELECT count(*) FROM message_fts_data").fetchone()[0]
    fresh = SqliteStore.open(store.path.with_name("fresh.sqlite3"))
    fresh.add_messages(THEIRS, [inbound("again text", 2000), inbound("other text", 1500)])
    fresh._connection.execute("INSERT INTO message_fts (message_fts) VALUES ('optimize')")
    expected = fresh._connection.execute("SELECT count(*) FROM message_fts_data").fetchone()[0]
    fresh.close()
    assert rows == expected
    store._connection.execute(
        "INSERT INTO message_fts (message_fts, rank) VALUES ('integrity-check', 0)"
    )


def _id_of(store: MessageStore, key: str) -> int:
    return int(
        store._connection.execute("SELECT id FROM messages WHERE key = ?", (key,)).fetchone()[0]
    )


def test_a_merge_that_changes_the_text_reindexes_it_and_keeps_the_id(store: MessageStore) -> None:
    sent = outbound("see you at noon", 1000, message_id="m1")
    store.add_messages(THEIRS, [sent])
    first_id = _id_of(store, sent.key)
    # A later copy of the same message (same gateway id, so the same key) with corrected text.
    store.add_messages(THEIRS, [dataclasses.replace(sent, text="see you at three")])
    assert store.search("noon", budget_s=None).messages == (), "the old text no longer matches"
    [hit] = store.search("three", budget_s=None).messages
    assert (hit.message_key, hit.snippet) == (sent.key, "see you at three")
    assert _id_of(store, sent.key) == first_id, "same time: the message keeps its place"


def test_a_merge_that_changes_the_time_moves_the_message_in_the_index(
    store: MessageStore,
) -> None:
    sent = outbound("parcel moved", 1000, message_id="m1")
    store.add_messages(THEIRS, [sent, inbound("parcel waiting", 1002)])
    # The gateway's later copy gives the message its real time: after the other one.
    store.add_messages(THEIRS, [dataclasses.replace(sent, timestamp=1005)])
    hits = store.search("parcel", budget_s=None).messages
    assert [(h.snippet, h.timestamp) for h in hits] == [
        ("parcel moved", 1005),
        ("parcel waiting", 1002),
    ]
    assert time_id_range(1005)[0] <= _id_of(store, sent.key) < time_id_range(1005)[1]
    [hit] = store.search("moved", budget_s=None).messages
    assert hit.message_key == sent.key


def test_ids_are_dense_and_time_ordered(store: MessageStore) -> None:
    store.add_messages(THEIRS, [inbound(f"m{n}", 1_700_000_000 + n) for n in range(3)])
    ids = [row[0] for row in store._connection.execute("SELECT id FROM messages ORDER BY id")]
    assert ids == [time_id_range(1_700_000_000 + n)[0] for n in range(3)]
    assert ids[1] - ids[0] == ID_SLOTS <= 256  # small deltas: 1–2-byte varints in doclists


def test_a_burst_of_a_thousand_messages_in_one_second(store: MessageStore) -> None:
    second = 1_700_000_000
    store.add_messages(THEIRS, [inbound("before", second - 1), inbound("after", second + 5)])
    burst = [inbound(f"burst {n:04d} text", second) for n in range(1000)]
    # In several batches, newest-first pages among them.
    assert len(store.add_messages(THEIRS, burst[:400])) == 400
    assert len(store.add_inbox_items([inbox_item(f"burst x{n} text", second) for n in range(300)]))
    assert len(store.add_messages(THEIRS, burst[400:][::-1])) == 600
    assert store.message_count(THEIRS) == 1302
    ids = [row[0] for row in store._connection.execute("SELECT id FROM messages")]
    assert len(set(ids)) == len(ids)
    # Every one is found; the message of the second before stays older than all of them.
    hits = store.search("text", limit=2000, budget_s=None).messages
    assert len(hits) == 1300
    assert store.search("before").messages[0].timestamp == second - 1
    oldest = store._connection.execute(
        "SELECT min(id) FROM messages WHERE timestamp = ?", (second,)
    )
    assert oldest.fetchone()[0] == time_id_range(second)[0]


def test_a_burst_spilling_into_the_next_second_within_one_batch(store: MessageStore) -> None:
    second = 1_700_000_000
    batch = [
        inbound("next one", second + 1),
        *(inbound(f"burst {n}", second) for n in range(ID_SLOTS + 40)),
        inbound("next two", second + 1),
    ]
    assert len(store.add_messages(THEIRS, batch)) == len(batch)
    assert len(store.search("burst", limit=500, budget_s=None).messages) == ID_SLOTS + 40


def test_summaries_skip_pages_of_older_history_but_follow_newer_messages(
    store: MessageStore,
) -> None:
    store.add_inbox_items([inbox_item("newest", 5000)])
    store.add_inbox_items([inbox_item(f"old {n}", 4000 - n) for n in range(5)])
    [summary] = store.conversations()
    assert (summary.preview, summary.timestamp) == ("newest", 5000)
    # Older and newer in one page, newer in the middle: the summary follows the newest.
    store.add_inbox_items([inbox_item("older", 100), inbox_item("newer", 6000)])
    [summary] = store.conversations()
    assert (summary.preview, summary.timestamp) == ("newer", 6000)
    # A new conversation gets its summary from its first page.
    store.add_inbox_items([inbox_item("hi", 10, sender="48500004499")])
    assert [c.preview for c in store.conversations()] == ["newer", "hi"]
