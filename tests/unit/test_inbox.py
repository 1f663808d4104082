"""The conversation list and the open thread, as the user would see them after each page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from smstui.domain.conversations import ConversationIndex, ConversationSummary, ThreadState
from smstui.domain.folding import fold
from smstui.domain.models import Contact, InboxItem, Message, Page, SentItem

T = TypeVar("T")


def page(items: Sequence[T], number: int = 1, limit: int = 50, total: int | None = None) -> Page[T]:
    return Page(
        items=tuple(items), total=len(items) if total is None else total, page=number, limit=limit
    )


def inbox(sender: str, text: str, ts: int | None, receiver: str = "32460123456") -> InboxItem:
    return InboxItem(
        id=f"in-{sender}-{ts}",
        sender=sender,
        receiver=receiver,
        text=text,
        type="sms",
        date="",
        timestamp=ts,
    )


def sent(
    to: str, text: str, ts: int | None, kind: str = "single", status: str = "DELIVERED"
) -> SentItem:
    return SentItem(
        id=f"s-{to}-{ts}",
        message_id="",
        text=text,
        to=to,
        sender="32460123456",
        date="",
        timestamp=ts,
        type=kind,
        status=status,
    )


def msg(
    key: str, ts: int, *, outbound: bool = False, text: str = "", status: str = "DELIVERED"
) -> Message:
    return Message(
        key=key,
        message_id=key if outbound else None,
        outbound=outbound,
        sender="32460123456" if outbound else "48512345678",
        receiver="48512345678" if outbound else "32460123456",
        text=text or f"text {key}",
        attachments=(),
        timestamp=ts,
        status=status,
    )


def keys(rows: Sequence[ConversationSummary]) -> list[str]:
    return [row.key for row in rows]


# ConversationIndex ------------------------------------------------------------------------


def test_one_row_per_counterparty_newest_first() -> None:
    index = ConversationIndex()
    index.add_inbox_page(
        page(
            [
                inbox("+48 512 345 678", "newest from Anna", 300, receiver="32460000001"),
                inbox("32470123456", "from Jan", 200),
                inbox("0048512345678", "older from Anna", 100, receiver="32460000002"),
            ]
        )
    )
    rows = index.summaries()
    assert keys(rows) == ["48512345678", "32470123456"]
    anna = rows[0]
    assert (anna.number, anna.preview, anna.timestamp, anna.own_number) == (
        "48512345678",
        "newest from Anna",
        300,
        "32460000001",
    )


def test_newest_wins_whatever_the_order() -> None:
    index = ConversationIndex()
    index.add_inbox_page(page([inbox("48512345678", "old", 100, receiver="32460123456")]))
    index.add_inbox_page(page([inbox("48512345678", "new", 500, receiver="48732104455")], number=2))
    row = index.get("48512345678")
    assert row is not None
    assert (row.preview, row.timestamp, row.own_number) == ("new", 500, "48732104455")
    index.add_inbox_page(page([inbox("48512345678", "older still", 50)], number=3))
    assert index.get("48512345678").preview == "new"  # type: ignore[union-attr]


def test_undated_items_sort_last() -> None:
    index = ConversationIndex()
    index.add_inbox_page(
        page([inbox("111111111", "no date", None), inbox("222222222", "dated", 10)])
    )
    assert keys(index.summaries()) == ["222222222", "111111111"]


def test_alphanumeric_senders_are_keyed_lower_case() -> None:
    index = ConversationIndex()
    index.add_inbox_page(page([inbox("MyBank", "code 1234", 10), inbox("MYBANK", "code 9", 20)]))
    (row,) = index.summaries()
    assert (row.key, row.preview) == ("mybank", "code 9")


def test_paging_progress() -> None:
    index = ConversationIndex()
    index.add_inbox_page(page([inbox("111111111", "a", 1)] * 2, number=1, limit=2, total=3))
    assert (index.inbox_pages_loaded, index.inbox_complete, index.inbox_next_page) == (1, False, 2)
    index.add_inbox_page(page([inbox("222222222", "b", 0)], number=2, limit=2, total=3))
    assert (index.inbox_pages_loaded, index.inbox_complete) == (2, True)


def test_sent_history_adds_people_who_never_replied() -> None:
    index = ConversationIndex()
    index.add_inbox_page(page([inbox("48512345678", "hi", 100)]))
    index.add_sent_page(
        page(
            [
                sent("31612345678", "are you there?", 150, status="SUBMITTED"),
                sent("12", "to a group", 900, kind="group"),
                sent("48512345678", "older reply", 50),
            ]
        )
    )
    assert keys(index.summaries()) == ["31612345678", "48512345678"]
    silent = index.get("31612345678")
    assert silent is not None
    assert (silent.last_outbound, silent.last_status, silent.own_number) == (
        True,
        "SUBMITTED",
        "32460123456",
    )
    assert index.get("48512345678").preview == "hi"  # type: ignore[union-attr]


def test_newer_sent_row_updates_the_preview() -> None:
    index = ConversationIndex()
    index.add_inbox_page(page([inbox("48512345678", "hi", 100, receiver="48732104455")]))
    index.add_sent_page(page([sent("+48 512 345 678", "hello back", 200, status="delivered")]))
    row = index.get("48512345678")
    assert row is not None
    assert (row.preview, row.timestamp, row.last_outbound, row.own_number) == (
        "hello back",
        200,
        True,
        "48732104455",  # the number it came in on, not the one our reply names
    )


def test_contacts_name_conversations_before_and_after_they_appear() -> None:
    index = ConversationIndex()
    index.add_inbox_page(page([inbox("48512345678", "hi", 100)]))
    index.add_contacts(
        [
            Contact(id="1", phone="48512345678", first_name="Anna", last_name="Wójcik"),
            Contact(id="2", phone="32470123456", first_name="Jan", last_name=""),
            Contact(id="3", phone="31612345678", first_name="", last_name=""),
        ]
    )
    assert index.get("48512345678").name == "Anna Wójcik"  # type: ignore[union-attr]
    index.add_inbox_page(page([inbox("+32 470 12 34 56", "later", 200)], number=2))
    assert index.get("32470123456").name == "Jan"  # type: ignore[union-attr]


def test_record_message_moves_conversation_to_top() -> None:
    index = ConversationIndex()
    index.add_inbox_page(
        page([inbox("32470123456", "newest", 300), inbox("48512345678", "old", 100)])
    )
    index.record_message(
        "48512345678", msg("id:x", 400, outbound=True, text="sent now", status="SUBMITTED")
    )
    top = index.summaries()[0]
    assert (top.key, top.preview, top.last_outbound, top.last_status) == (
        "48512345678",
        "sent now",
        True,
        "SUBMITTED",
    )
    # An older message seen while scrolling back does not change the row.
    index.record_message("48512345678", msg("h:old", 50, text="ancient"))
    assert index.get("48512345678").preview == "sent now"  # type: ignore[union-attr]


def test_record_message_of_the_same_second_takes_the_preview() -> None:
    """A reply sent within the second of the last received text is the conversation's last."""
    index = ConversationIndex()
    index.add_inbox_page(page([inbox("48512345678", "their question", 100)]))
    index.record_message(
        "48512345678", msg("id:r", 100, outbound=True, text="our answer", status="SUBMITTED")
    )
    row = index.get("48512345678")
    assert row is not None
    assert (row.preview, row.last_outbound, row.timestamp) == ("our answer", True, 100)


def test_record_message_adds_a_new_conversation() -> None:
    index = ConversationIndex()
    index.record_message("48512345678", msg("id:x", 10, outbound=True, text="first ever"))
    row = index.get("48512345678")
    assert row is not None
    assert (row.number, row.own_number, row.preview) == ("48512345678", "32460123456", "first ever")


def test_unread_counts() -> None:
    index = ConversationIndex()
    index.add_inbox_page(page([inbox("48512345678", "hi", 100), inbox("32470123456", "yo", 50)]))
    before = index.summaries()
    index.increment_unread("48512345678", 2)
    index.increment_unread("48512345678")
    assert index.get("48512345678").unread == 3  # type: ignore[union-attr]
    after = index.summaries()
    assert after is not before
    assert keys(after) == keys(before)
    assert after[0].unread == 3
    index.set_unread("32470123456", 5)
    index.mark_read("48512345678")
    assert [row.unread for row in index.summaries()] == [0, 5]
    index.set_unread("unknown", 4)  # ignored
    assert index.get("unknown") is None


def test_summaries_are_cached_until_something_changes() -> None:
    index = ConversationIndex()
    index.add_inbox_page(page([inbox("48512345678", "hi", 100)]))
    first = index.summaries()
    assert index.summaries() is first
    index.add_inbox_page(page([inbox("32470123456", "new", 200)], number=2))
    assert keys(index.summaries()) == ["32470123456", "48512345678"]


def filtered(index: ConversationIndex, query: str) -> list[str]:
    return keys(index.filter(query))


def test_filter_by_name_and_digits() -> None:
    index = ConversationIndex()
    index.add_inbox_page(
        page(
            [
                inbox("48512345678", "a", 300),
                inbox("32470123456", "b", 200),
                inbox("InfoShop", "c", 100),
            ]
        )
    )
    index.add_contacts(
        [Contact(id="1", phone="48512345678", first_name="Anna", last_name="Wójcik")]
    )
    assert filtered(index, "wojcik") == ["48512345678"]
    assert filtered(index, "WÓJ") == ["48512345678"]
    assert filtered(index, "512 345") == ["48512345678"]
    assert filtered(index, "+48512") == ["48512345678"]
    assert filtered(index, "470-12") == ["32470123456"]
    assert filtered(index, "infosh") == ["infoshop"]
    assert filtered(index, "5 anna") == []
    assert filtered(index, "") == ["48512345678", "32470123456", "infoshop"]
    assert filtered(index, "zzz") == []


def test_fold_handles_letters_without_decomposition() -> None:
    assert fold("Łukasz Żółw") == "lukasz zolw"
    assert fold("STRAßE") == "strasse"


def test_ten_thousand_rows() -> None:
    index = ConversationIndex()
    items = [inbox(str(48500000000 + n), f"m{n}", n) for n in range(10_000)]
    index.add_inbox_page(page(items, limit=10_000))
    rows = index.summaries()
    assert len(rows) == 10_000
    assert rows[0].timestamp == 9_999
    assert rows[-1].timestamp == 0
    assert len(index.filter("4850000012")) == 10


# ThreadState ------------------------------------------------------------------------------


def newest_first(*messages: Message) -> list[Message]:
    return sorted(messages, key=lambda m: -m.timestamp)


def test_first_page_is_shown_oldest_first() -> None:
    thread = ThreadState("48512345678")
    added = thread.add_older_page(
        page(newest_first(msg("a", 1), msg("b", 2), msg("c", 3)), limit=3, total=9)
    )
    assert [m.key for m in added] == ["a", "b", "c"]
    assert [m.key for m in thread.messages] == ["a", "b", "c"]
    assert (thread.next_page, thread.complete) == (2, False)
    assert thread.index_of("c") == 2
    assert thread.index_of("zzz") is None


def test_older_page_prepends_and_drops_shifted_duplicates() -> None:
    thread = ThreadState()
    thread.add_older_page(page(newest_first(msg("c", 3), msg("d", 4)), number=1, limit=2, total=4))
    # Two new messages arrived meanwhile: page 2 now re-delivers c and d.
    added = thread.add_older_page(
        page(newest_first(msg("c", 3), msg("d", 4)), number=2, limit=2, total=6)
    )
    assert added == []
    added = thread.add_older_page(
        page(newest_first(msg("a", 1), msg("b", 2)), number=3, limit=2, total=6)
    )
    assert [m.key for m in added] == ["a", "b"]
    assert [m.key for m in thread.messages] == ["a", "b", "c", "d"]
    assert [thread.index_of(k) for k in "abcd"] == [0, 1, 2, 3]
    assert thread.complete
    assert thread.next_page == 4


def test_newest_page_appends_new_and_updates_status_in_place() -> None:
    thread = ThreadState()
    thread.add_older_page(
        page(
            newest_first(msg("a", 1), msg("b", 2, outbound=True, status="SUBMITTED")),
            limit=2,
            total=5,
        )
    )
    delivered = msg("b", 2, outbound=True, status="DELIVERED")
    appended, changed = thread.add_newest_page(
        page(newest_first(msg("a", 1), delivered, msg("c", 3), msg("d", 4)), limit=4)
    )
    assert [m.key for m in appended] == ["c", "d"]
    assert changed == [delivered]
    assert [m.key for m in thread.messages] == ["a", "b", "c", "d"]
    assert thread.messages[1].status == "DELIVERED"
    assert thread.index_of("d") == 3
    assert thread.add_newest_page(page(newest_first(msg("c", 3), msg("d", 4)), limit=2)) == ([], [])


def test_newest_page_on_an_empty_thread_is_the_first_load() -> None:
    thread = ThreadState()
    appended, changed = thread.add_newest_page(
        page(newest_first(msg("a", 1), msg("b", 2)), limit=2, total=2)
    )
    assert [m.key for m in appended] == ["a", "b"]
    assert changed == []
    assert thread.complete
    assert thread.pages_loaded == 1


def test_local_echo_is_replaced_by_the_server_copy() -> None:
    thread = ThreadState()
    thread.add_older_page(page([msg("a", 1)], limit=50))
    echo = msg("id:new", 5, outbound=True, status="SUBMITTED")
    assert thread.append(echo)
    assert not thread.append(echo)
    server = msg("id:new", 4, outbound=True, status="DELIVERED")
    appended, changed = thread.add_newest_page(page([server, msg("a", 1)], limit=50))
    assert appended == []
    assert changed == [server]
    assert thread.replace(msg("zzz", 1)) is None


def test_indexes_survive_prepends_on_a_long_thread() -> None:
    thread = ThreadState()
    total = 50_000
    size = 2_000
    for number in range(1, total // size + 1):
        newest = total - (number - 1) * size
        items = [msg(f"m{t}", t) for t in range(newest, newest - size, -1)]
        thread.add_older_page(page(items, number=number, limit=size, total=total))
    assert len(thread) == total
    assert thread.complete
    assert thread.messages[0].key == "m1"
    assert thread.messages[-1].key == f"m{total}"
    assert thread.index_of("m1") == 0
    assert thread.index_of("m25000") == 24_999
    assert "m7" in thread
    assert "x" not in thread
