"""The inbox on poorer terminals: 16 colours (``TERM=screen``) and the Linux console (ASCII).

The terminal is announced the way Textual reads it, through ``TERM`` with no ``COLORTERM``, set
before the app is built; the suite otherwise pins a 24-bit ``xterm-256color``. The SVG shows the
terminal's 16 colours in the exporter's palette, so the pictures show which colour roles are
used, not exactly how a given terminal paints them.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from smstui.fake import FakeGateway
from tests.app.compose_helpers import seed_read_state
from tests.app_fixtures import ANCHOR, NARROW, STANDARD, MakeApp, settle

SIZES = pytest.mark.parametrize("size", [STANDARD, NARROW], ids=["100x30", "60x20"])


def terminal(monkeypatch: pytest.MonkeyPatch, term: str) -> None:
    monkeypatch.setenv("TERM", term)
    monkeypatch.delenv("COLORTERM", raising=False)


@SIZES
def test_inbox_in_16_colours(
    size: tuple[int, int],
    make_app: MakeApp,
    gateway: FakeGateway,
    monkeypatch: pytest.MonkeyPatch,
    snap_compare: Any,
) -> None:
    """TERM=screen: the terminal's own palette; ours white on blue, theirs plain, unread cyan.

    The thread has the focus (its title is marked); a rejected message shows its status in red.
    Narrow: the thread alone.
    """
    terminal(monkeypatch, "screen")
    seed_read_state(ANCHOR - 14 * 86400, gateway)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_inbox_on_the_linux_console(
    size: tuple[int, int],
    make_app: MakeApp,
    gateway: FakeGateway,
    monkeypatch: pytest.MonkeyPatch,
    snap_compare: Any,
) -> None:
    """TERM=linux: 16 colours, statuses as words, ASCII stand-ins (| bars, > cursor, - rules).

    The list has the focus, its cursor on the second row. Narrow: the list alone.
    """
    terminal(monkeypatch, "linux")
    seed_read_state(ANCHOR - 14 * 86400, gateway)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("j")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
