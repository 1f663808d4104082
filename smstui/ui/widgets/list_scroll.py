"""Scroll arithmetic of the conversation list (pure: rows are a fixed number of lines)."""

from __future__ import annotations

__all__ = ["kept_top", "top_showing"]


def top_showing(cursor: int, current: int, height: int, row_height: int) -> int | None:
    """The least scroll that shows the whole cursor row; None when it already shows."""
    top = cursor * row_height
    if top < current:
        return top
    if top + row_height > current + height:
        return top + row_height - height
    return None


def kept_top(old_cursor: int, new_cursor: int, old_top: int, height: int, row_height: int) -> int:
    """The scroll that keeps the cursor row on its screen line after rows came in above it.

    ``old_top`` when the cursor row was not in view (nothing to keep).
    """
    old_line = old_cursor * row_height
    if old_top <= old_line < old_top + height:
        return old_top + (new_cursor - old_cursor) * row_height
    return old_top
