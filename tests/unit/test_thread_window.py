"""Windows in the middle of a conversation: finding the page that holds a message, and the
newer pages that follow it without skipping what arrives meanwhile (pure, no app)."""

from __future__ import annotations

import asyncio

import pytest

from smstui.domain.models import Message, Page
from smstui.domain.paging import PROBES, find_page, newer_page_request, page_holding
from smstui.domain.thread import ThreadState


def message(n: int) -> Message:
    """Message number ``n`` of the conversation (0 is the first; a minute apart)."""
    return Message(
        key=f"id:{n}",
        message_id=str(n),
        outbound=n % 3 == 0,
        sender="48500000001",
        receiver="48500000002",
        text=f"message {n}",
        attachments=(),
        timestamp=1_700_000_000 + 60 * n,
        status="",
    )


class Gateway:
    """The conversation endpoint over ``count`` messages: newest first, paged by offset."""

    def __init__(self, count: int) -> None:
        self.history = [message(n) for n in range(count)]
        self.asked: list[tuple[int, int]] = []

    def arrive(self, how_many: int = 1) -> None:
        start = len(self.history)
        self.history.extend(message(n) for n in range(start, start + how_many))

    def page(self, number: int, limit: int) -> Page[Message]:
        self.asked.append((number, limit))
        newest_first = self.history[::-1]
        items = tuple(newest_first[(number - 1) * limit : number * limit])
        return Page(items=items, total=len(self.history), page=number, limit=limit)

    async def fetch(self, number: int, limit: int) -> Page[Message] | None:
        return self.page(number, limit)


def find(gateway: Gateway, n: int, estimate: int) -> Page[Message] | None:
    target = gateway.history[n]
    return asyncio.run(
        find_page(
            gateway.fetch, key=target.key, timestamp=target.timestamp, estimate=estimate, size=200
        )
    )


def test_page_arithmetic() -> None:
    assert page_holding(0, 200) == (1, 200)
    assert page_holding(199, 200) == (1, 200)
    assert page_holding(200, 200) == (2, 200)
    assert newer_page_request(400, 200) == (2, 200)  # ends where the window starts
    assert newer_page_request(401, 200) == (3, 200)  # moved by an arrival: overlaps instead
    assert newer_page_request(1, 200) == (1, 200)


def test_a_right_guess_costs_one_request() -> None:
    gateway = Gateway(50_000)
    page = find(gateway, 10_000, estimate=39_999)
    assert page is not None
    assert gateway.history[10_000] in page.items
    assert gateway.asked == [(200, 200)]


def test_a_guess_a_few_off_costs_two_requests() -> None:
    gateway = Gateway(50_000)
    # The store had not seen the 3 newest: the message is 3 further from the newest.
    page = find(gateway, 10_000 - 3 + 200, estimate=39_999 - 200 + 3 - 200)
    assert page is not None
    assert len(gateway.asked) == 2


@pytest.mark.parametrize("estimate", [0, 5, 25_000, 49_999, 80_000])
def test_a_wrong_guess_is_corrected_by_halving(estimate: int) -> None:
    gateway = Gateway(50_000)
    page = find(gateway, 1234, estimate=estimate)
    assert page is not None
    assert gateway.history[1234] in page.items
    assert len(gateway.asked) <= 11  # 250 pages: a probe, a step, then at most 8 halvings


def test_a_message_the_gateway_does_not_have_is_not_found() -> None:
    gateway = Gateway(1000)
    ghost = message(500)
    ghost = Message(**{**{f: getattr(ghost, f) for f in ghost.__slots__}, "key": "id:ghost"})
    page = asyncio.run(
        find_page(gateway.fetch, key=ghost.key, timestamp=ghost.timestamp, estimate=499, size=200)
    )
    assert page is None
    assert len(gateway.asked) <= PROBES


# Newest first, pages of 3: the three messages of 12:05:00 straddle the edge of pages 1 and 2.
SAME_SECOND = [("e", 500), ("d", 400), ("c", 300), ("b", 300), ("a", 300), ("z", 200)]


def at(key: str, timestamp: int) -> Message:
    return Message(key=key, message_id=key, outbound=False, sender="48500000001",
                   receiver="48500000002", text=key, attachments=(), timestamp=timestamp,
                   status="")  # fmt: skip


def jump(key: str, estimate: int) -> tuple[Page[Message] | None, list[int]]:
    """Look for ``key`` in :data:`SAME_SECOND` from a guessed offset; the page and pages asked."""
    history = [at(k, t) for k, t in SAME_SECOND]
    asked: list[int] = []

    async def fetch(number: int, limit: int) -> Page[Message]:
        asked.append(number)
        items = tuple(history[(number - 1) * limit : number * limit])
        return Page(items=items, total=len(history), page=number, limit=limit)

    timestamp = dict(SAME_SECOND)[key]
    page = asyncio.run(find_page(fetch, key=key, timestamp=timestamp, estimate=estimate, size=3))
    return page, asked


def test_a_jump_across_a_page_edge_between_messages_of_the_same_second() -> None:
    # "c" is the last of page 1; page 2 starts with "b" of the same second: "c" is newer.
    page, asked = jump("c", estimate=3)
    assert page is not None
    assert [m.key for m in page.items] == ["e", "d", "c"]
    assert asked == [2, 1]
    # "b" starts page 2; page 1 ends with "c" of the same second: "b" is older.
    page, asked = jump("b", estimate=2)
    assert page is not None
    assert [m.key for m in page.items] == ["b", "a", "z"]
    assert asked == [1, 2]


def window_at(gateway: Gateway, number: int) -> ThreadState:
    thread = ThreadState("k")
    thread.open_window(gateway.page(number, 200))
    return thread


def test_newer_pages_meet_the_newest_in_order() -> None:
    gateway = Gateway(1000)
    thread = window_at(gateway, 4)  # offsets 600..799
    assert thread.newer_missing == 600
    assert not thread.complete
    while thread.newer_missing:
        added = thread.add_newer_page(gateway.page(*newer_page_request(thread.newer_missing, 200)))
        assert added
    assert thread.messages == gateway.history[200:]


def test_a_page_shifted_by_arrivals_is_refused_then_asked_again() -> None:
    gateway = Gateway(1000)
    thread = window_at(gateway, 4)
    gateway.arrive(3)
    # The page asked for ends three short of the window now: taking it would skip three.
    assert thread.add_newer_page(gateway.page(*newer_page_request(600, 200))) is None
    assert thread.newer_missing == 603
    while thread.newer_missing:
        page = gateway.page(*newer_page_request(thread.newer_missing, 200))
        assert thread.add_newer_page(page) is not None
    assert thread.messages == gateway.history[200:]


def test_polls_of_the_newest_page_do_not_append_to_a_window_but_count_arrivals() -> None:
    gateway = Gateway(1000)
    thread = window_at(gateway, 4)
    gateway.arrive(2)
    appended, changed = thread.add_newest_page(gateway.page(1, 50))
    assert appended == []
    assert changed == []
    assert thread.newer_missing == 602
    assert thread.messages[-1] == gateway.history[399]
    while thread.newer_missing:
        page = gateway.page(*newer_page_request(thread.newer_missing, 200))
        assert thread.add_newer_page(page) is not None
    assert thread.messages == gateway.history[200:]
