"""Older-page requests start exactly where the loaded history ends and grow to the cap."""

from __future__ import annotations

import pytest

from smstui.domain.paging import MissedPages, older_page_request


def test_first_request_is_the_small_first_page() -> None:
    assert older_page_request(0, 50, 500) == (1, 50)


@pytest.mark.parametrize(("first", "cap"), [(50, 500), (50, 200), (30, 2000), (7, 100)])
def test_requests_are_contiguous_and_grow_to_the_cap(first: int, cap: int) -> None:
    offset, limits = 0, []
    for _ in range(40):
        page, limit = older_page_request(offset, first, cap)
        assert (page - 1) * limit == offset
        assert 1 <= limit <= cap
        limits.append(limit)
        offset += limit
    assert max(limits) > first
    assert limits[-1] >= cap // 2


def test_a_missed_page_is_due_at_the_next_chance_and_then_done() -> None:
    missed = MissedPages()
    missed.failed(2, 20)
    assert 2 in missed
    assert missed.due() == [(2, 20)]
    assert missed.due() == [], "not handed out twice while on its way"
    missed.done(2)
    assert len(missed) == 0
    assert missed.due() == []


def test_a_page_that_keeps_failing_is_asked_for_less_and_less_often() -> None:
    missed = MissedPages(max_skip=5)
    missed.failed(1, 100)
    tried: list[int] = []
    for chance in range(30):
        if missed.due():
            tried.append(chance)
            missed.failed(1, 100)
    # Waits of 0, 1, 3 and then 5 chances (the cap) between tries.
    assert tried == [0, 2, 6, 12, 18, 24]


def test_a_cancelled_try_is_due_again() -> None:
    missed = MissedPages()
    missed.failed(3, 50)
    assert missed.due() == [(3, 50)]
    missed.release(3)
    assert missed.due() == [(3, 50)]
    missed.release(99)  # unknown pages are ignored
