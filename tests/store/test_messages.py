"""Messages in the store: de-duplication across endpoints, merging, windows and positions."""

from __future__ import annotations

import dataclasses

from smstui.domain.models import Contact
from smstui.store import MessageStore
from tests.store.helpers import OUR, PHOTO, THEIRS, inbound, inbox_item, outbound, sent_item

OTHER = "48500004499"


def test_add_returns_only_new_keys_and_keeps_order(store: MessageStore) -> None:
    first = inbound("one", 1000)
    second = outbound("two", 1001, message_id="m2")
    assert store.add_messages(THEIRS, [second, first]) == [second.key, first.key]
    assert store.add_messages(THEIRS, [first, second]) == []
    assert [m.key for m in store.messages(THEIRS)] == [first.key, second.key]
    assert store.message_count(THEIRS) == 2
    assert store.message(first.key) == first


def test_inbox_copy_then_thread_copy_is_one_row_with_the_attachment(store: MessageStore) -> None:
    thread_copy = inbound("Here is the photo", 1_748_431_020, attachments=(PHOTO,))
    assert store.add_inbox_items([inbox_item("Here is the photo", 1_748_431_020)]) == [
        thread_copy.key
    ]
    assert store.add_messages(THEIRS, [thread_copy]) == []
    [row] = store.messages(THEIRS)
    assert row.attachments == (PHOTO,)
    assert row.status == "DELIVERED"


def test_thread_copy_then_inbox_copy_keeps_the_attachment(store: MessageStore) -> None:
    thread_copy = inbound("Here is the photo", 1_748_431_020, attachments=(PHOTO,))
    store.add_messages(THEIRS, [thread_copy])
    assert store.add_inbox_items([inbox_item("Here is the photo", 1_748_431_020)]) == []
    assert store.messages(THEIRS) == [thread_copy]


def test_sent_history_status_update_replaces_but_empty_status_does_not(
    store: MessageStore,
) -> None:
    thread_copy = outbound(
        "Could you send it?", 1_748_361_731, message_id="5v2", status="SUBMITTED"
    )
    store.add_messages(THEIRS, [thread_copy])
    assert (
        store.add_sent_items(
            [sent_item("Could you send it?", 1_748_361_731, message_id="5v2", status="delivered")]
        )
        == []
    )
    assert store.messages(THEIRS)[0].status == "DELIVERED"
    store.add_sent_items(
        [sent_item("Could you send it?", 1_748_361_731, message_id="5v2", status="")]
    )
    assert store.messages(THEIRS)[0].status == "DELIVERED"
    assert store.conversation(THEIRS) is not None
    assert store.conversation(THEIRS).last_status == "DELIVERED"  # type: ignore[union-attr]


def test_thread_copy_with_a_corrected_time_moves_the_message(store: MessageStore) -> None:
    # The sent history's date is a local time string; the thread's unixDatetime is exact.
    store.add_sent_items([sent_item("moved", 5000, message_id="x1")])
    store.add_messages(THEIRS, [outbound("older", 4000, message_id="x0")])
    corrected = outbound("moved", 3000, message_id="x1", status="DELIVERED")
    store.add_messages(THEIRS, [corrected])
    assert [m.text for m in store.messages(THEIRS)] == ["moved", "older"]
    assert store.messages(THEIRS)[0].timestamp == 3000
    assert [h.message_key for h in store.search("moved").messages] == [corrected.key]
    assert store.conversation(THEIRS).preview == "older"  # type: ignore[union-attr]


def test_thinner_copy_does_not_overwrite_the_thread_copy(store: MessageStore) -> None:
    thread_copy = outbound("same id", 1000, message_id="k", status="DELIVERED")
    store.add_messages(THEIRS, [dataclasses.replace(thread_copy, reference="ref-1")])
    store.add_sent_items([sent_item("same id", 1100, message_id="k", status="")])
    [row] = store.messages(THEIRS)
    assert row.timestamp == 1000
    assert row.reference == "ref-1"


def test_items_without_a_date_and_group_sends_are_skipped(store: MessageStore) -> None:
    assert store.add_inbox_items([inbox_item("no date", None)]) == []
    assert store.add_sent_items([sent_item("no date", None, message_id="a")]) == []
    assert store.add_sent_items([sent_item("to a group", 10, message_id="b", kind="group")]) == []
    assert store.conversation_count() == 0


def test_conversation_summary_follows_the_newest_message(store: MessageStore) -> None:
    store.add_inbox_items([inbox_item("hi there", 1000)])
    summary = store.conversation(THEIRS)
    assert summary is not None
    assert (summary.number, summary.own_number, summary.preview) == (THEIRS, OUR, "hi there")
    assert (summary.timestamp, summary.last_outbound, summary.last_status) == (1000, False, "")
    store.add_messages(THEIRS, [outbound("reply", 2000, message_id="r", status="SUBMITTED")])
    summary = store.conversation(THEIRS)
    assert summary is not None
    assert (summary.preview, summary.timestamp) == ("reply", 2000)
    assert (summary.last_outbound, summary.last_status) == (True, "SUBMITTED")
    # An older message arriving later (backfill) does not take over the summary.
    store.add_messages(THEIRS, [inbound("ancient", 10)])
    assert store.conversation(THEIRS).preview == "reply"  # type: ignore[union-attr]
    # Removing the newest falls back to the one before; removing all drops the conversation.
    store.remove_message(outbound("reply", 2000, message_id="r").key)
    assert store.conversation(THEIRS).preview == "hi there"  # type: ignore[union-attr]
    for message in store.messages(THEIRS):
        store.remove_message(message.key)
    assert store.conversation(THEIRS) is None
    assert store.search("there").messages == ()


def test_conversations_newest_first_with_paging_and_contact_names(store: MessageStore) -> None:
    numbers = [f"4850000{n:04d}" for n in range(25)]
    for n, number in enumerate(numbers):
        store.add_inbox_items([inbox_item(f"text {n}", 1000 + n, sender=number)])
    # Two conversations with the same time are ordered by key.
    store.add_inbox_items([inbox_item("tie", 1024, sender="48499999999")])
    store.set_contacts([Contact(id="1", phone="+48 500 000 003", first_name="Zoë", last_name="")])
    assert store.conversation_count() == 26
    everything = store.conversations()
    assert [c.key for c in everything[:3]] == ["48499999999", numbers[24], numbers[23]]
    pages = [store.conversations(limit=10, offset=o) for o in (0, 10, 20)]
    assert [len(page) for page in pages] == [10, 10, 6]
    assert [c for page in pages for c in page] == everything
    named = store.conversation(numbers[3])
    assert named is not None
    assert named.name == "Zoë"
    assert store.conversations()[-4].name == "Zoë"
    # Contacts update in place.
    store.set_contacts([Contact(id="1", phone=numbers[3], first_name="Zoë", last_name="Nowak")])
    assert store.conversation(numbers[3]).name == "Zoë Nowak"  # type: ignore[union-attr]


def test_windows_and_newer_count(store: MessageStore) -> None:
    ordered = [inbound(f"m{n}", 1000 + n // 2) for n in range(10)]  # pairs share a second
    store.add_messages(THEIRS, ordered[::-1])  # newest first, as the gateway lists them
    assert store.messages(THEIRS) == ordered
    assert store.messages(THEIRS, limit=3) == ordered[-3:]
    assert store.messages(THEIRS, limit=3, before=2) == ordered[-5:-2]
    for position, message in enumerate(ordered):
        assert store.newer_count(THEIRS, message.key) == len(ordered) - 1 - position
    assert store.newer_count(THEIRS, "id:unknown") is None
    assert store.newer_count(OTHER, ordered[0].key) is None
    around = store.messages_around(THEIRS, ordered[5].key, 4)
    assert around == ordered[3:7]
    assert store.messages_around(THEIRS, "id:unknown", 4) == ordered[-4:]
    assert store.messages(OTHER) == []


def test_cursors_positions_last_open_and_own_numbers(store: MessageStore) -> None:
    assert store.cursor("inbox") is None
    store.set_cursor("inbox", "42")
    store.set_cursor("sent", "7")
    store.set_cursor("inbox", "43")
    assert (store.cursor("inbox"), store.cursor("sent")) == ("43", "7")
    store.set_cursor("inbox", None)
    assert store.cursor("inbox") is None
    store.set_position(THEIRS, "id:5")
    assert store.position(THEIRS) == "id:5"
    store.set_position(THEIRS, None)
    assert store.position(THEIRS) is None
    store.set_last_open(THEIRS)
    assert store.last_open() == THEIRS
    store.set_last_open(None)
    assert store.last_open() is None
    # last_open is not a cursor a sync engine could clobber by name.
    store.set_cursor("last_open", "x")
    assert store.last_open() is None
    store.set_own_numbers([OUR, "32460000000", OUR])
    assert store.own_numbers() == ("32460000000", OUR)
    store.set_own_numbers([OUR])
    assert store.own_numbers() == (OUR,)


def test_hostile_text_round_trips(store: MessageStore) -> None:
    from tests.unit.hostile import HOSTILE_CORPUS

    lone = "broken \ud83d half and \udc00 low, żółw"
    texts = [lone, *HOSTILE_CORPUS, "nul\x00inside", "\x1b[31mred\x1b[0m"]
    # Keys by id: message_key() itself cannot hash a lone surrogate.
    messages = [
        dataclasses.replace(inbound("x", 1000 + n), text=text, key=f"id:hostile-{n}")
        for n, text in enumerate(texts)
    ]
    store.add_messages(THEIRS, messages)
    stored = {m.key: m for m in store.messages(THEIRS)}
    assert stored == {m.key: m for m in messages}
    # The lone surrogates survive exactly; the index holds U+FFFD and still finds the text.
    assert store.message("id:hostile-0").text == lone  # type: ignore[union-attr]
    hits = store.search("zolw").messages
    assert [h.message_key for h in hits] == ["id:hostile-0"]
    assert "\ufffd" in hits[0].snippet
    # An inbox row with a lone surrogate gets the key its cleaned thread copy would get.
    store.add_inbox_items([inbox_item("odd \udfff text", 9000)])
    cleaned = inbound("odd \ufffd text", 9000)
    assert store.add_messages(THEIRS, [cleaned]) == []
    # Control characters in the search query are harmless too.
    store.search("\x00\x1b[2J\ud800")


def test_hostile_sender_and_contact_names(store: MessageStore) -> None:
    sender = "Bank\ud800\x1b]0;x\x07"
    store.add_inbox_items([inbox_item("hello", 1000, sender=sender)])
    store.set_contacts([Contact(id="1", phone=THEIRS, first_name="\x1b[2J\udc00", last_name="")])
    assert store.conversation_count() == 1
    store.conversations()


def test_as_stored_is_the_page_span_in_the_store_order(store: MessageStore) -> None:
    ordered = [inbound(f"m{n}", 1000 + n // 2) for n in range(10)]  # pairs share a second
    store.add_messages(THEIRS, ordered[::-1])
    page = [ordered[6].key, ordered[2].key, ordered[4].key, "id:unknown"]  # any order
    # Every stored message between the page's oldest and newest, newest first; not the
    # messages sharing a second with either end beyond it (m7 and m1's second partner).
    assert store.as_stored(THEIRS, page) == ordered[2:7][::-1]
    assert store.as_stored(THEIRS, [ordered[3].key]) == [ordered[3]]
    assert store.as_stored(OTHER, page) == []
    assert store.as_stored(THEIRS, []) == []
    assert store.as_stored(THEIRS, ["id:unknown"]) == []
    # The caller that just stored the page knows its seconds: the same span, no key lookups.
    assert store.as_stored(THEIRS, page, seconds=(1001, 1003)) == ordered[2:7][::-1]
    # Seconds that miss part of the page only cut the span short (the caller checks).
    assert store.as_stored(THEIRS, page, seconds=(1002, 1003)) == ordered[4:7][::-1]
    assert store.as_stored(THEIRS, page, seconds=(2000, 2001)) == []


def test_a_window_read_again_shows_what_changed(store: MessageStore) -> None:
    sent = [outbound(f"s{n}", 2000 + n, message_id=f"s{n}") for n in range(6)]
    store.add_messages(THEIRS, sent[::-1])
    keys = [m.key for m in sent]
    assert store.as_stored(THEIRS, keys) == sent[::-1]
    assert store.messages(THEIRS, limit=2, before=1) == sent[3:5]
    delivered = dataclasses.replace(sent[3], status="DELIVERED")
    store.add_messages(THEIRS, [delivered])
    assert store.as_stored(THEIRS, keys)[2] == delivered
    assert store.messages(THEIRS, limit=2, before=1) == [delivered, sent[4]]
    assert store.messages_around(THEIRS, delivered.key, 2) == [sent[2], delivered]


def test_changed_summaries_are_the_store_rows_of_what_writes_changed(
    store: MessageStore,
) -> None:
    assert store.changed_summaries() == []
    first, second = inbound("first", 5000), inbound("second", 5000)  # one second
    store.add_messages(THEIRS, [second, first])  # newest first: "second" is the newest
    store.add_messages(OTHER, [inbound("elsewhere", 4000, sender=OTHER)])
    changed = store.changed_summaries()
    assert changed == store.summaries(sorted([OTHER, THEIRS]))
    assert {summary.key: summary.preview for summary in changed} == {
        THEIRS: "second",
        OTHER: "elsewhere",
    }
    assert store.changed_summaries() == [], "each change is told once"
    store.add_messages(THEIRS, [second])  # nothing new: nothing changed
    assert store.changed_summaries() == []
    store.remove_message(second.key)
    assert [summary.preview for summary in store.changed_summaries()] == ["first"]
    assert store.summaries(["unknown", THEIRS, THEIRS]) == [store.conversation(THEIRS)]
