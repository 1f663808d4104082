"""Which page to ask for next when reading a thread backwards with growing page sizes.

The API pages by offset (``page`` × ``limit``). A small first page paints fast; deeper history
comes in bigger pages so scrolling to the start of a 50,000-message thread takes few requests.
Each request must start exactly where the loaded history ends, so the limit is chosen to divide
the current offset.
"""

from __future__ import annotations


def older_page_request(offset: int, first_limit: int, max_limit: int) -> tuple[int, int]:
    """Return ``(page, limit)`` for the page that starts at ``offset`` items from the newest.

    Args:
        offset: How many items the previous requests covered (not how many were new: shifted
            pages re-deliver some items, which de-duplication drops).
        first_limit: The size of the first page.
        max_limit: The largest page to ask for (the API allows up to 2,000).

    Returns:
        A 1-based page number and a limit such that ``(page - 1) * limit == offset``.
    """
    if offset <= 0:
        return 1, first_limit
    limit = max(1, min(max_limit, offset))
    while offset % limit:
        limit -= 1
    return offset // limit + 1, limit
