"""Older-page requests start exactly where the loaded history ends and grow to the cap."""

from __future__ import annotations

import pytest

from smstui.paging import older_page_request


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
