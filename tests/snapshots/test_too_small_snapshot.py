"""The terminal-too-small notice, pinned as an SVG snapshot."""

from __future__ import annotations

from typing import Any

from tests.app_fixtures import MakeApp, settle


def test_too_small_terminal_shows_one_line(make_app: MakeApp, snap_compare: Any) -> None:
    """60×5 is below the 8-row minimum: the notice alone, on the first line; no panes."""
    assert snap_compare(make_app(), terminal_size=(60, 5), run_before=settle)
