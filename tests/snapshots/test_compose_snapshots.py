"""Composing, sending and live updates as users see them, at a standard and a narrow size.

Same rules as ``test_snapshots.py``: the small deterministic fake gateway, a fixed clock, and a
screenshot only after every worker has finished. Messages the fake receives during a test are
stamped with its wall clock, so these tests pin that clock to the anchor time.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from smstui.domain.phones import can_reply
from smstui.fake import FakeGateway
from smstui.ui.screens.inbox import InboxScreen
from tests.app.compose_helpers import seed_read_state
from tests.app_fixtures import ANCHOR, NARROW, STANDARD, MakeApp, settle

SIZES = pytest.mark.parametrize("size", [STANDARD, NARROW], ids=["100x30", "60x20"])

NEAR_A_PART_BOUNDARY = (
    "Hello! Your order 4417 is packed and leaves our warehouse tomorrow morning. "
    "The courier will call you 30 minutes before arriving. Reply STOP to opt out, thanks"
)
"""159 GSM-7 characters: one short of needing a second part."""

POLISH = "Dzień dobry, paczka będzie jutro"
POLISH_264 = ("Dzień dobry, paczka będzie jutro między 10 a 12. " * 6)[:264]


def inbox(pilot: Pilot[Any]) -> InboxScreen:
    screen = pilot.app.screen
    assert isinstance(screen, InboxScreen)
    return screen


@pytest.fixture
def still_gateway(fresh_gateway: FakeGateway, monkeypatch: pytest.MonkeyPatch) -> FakeGateway:
    """A gateway whose clock stands at the anchor, so new messages get fixed times."""
    monkeypatch.setattr(fresh_gateway._state, "_wall", lambda: float(ANCHOR))
    return fresh_gateway


async def open_composer(pilot: Pilot[Any], text: str) -> None:
    """Open the newest conversation and type ``text`` into the composer."""
    await settle(pilot)
    screen = inbox(pilot)
    if screen.thread is None:  # narrow: nothing opens by itself
        await pilot.press("enter")
        await settle(pilot)
    screen.composer.text_area.focus()
    screen.composer.text_area.insert(text)
    await pilot.pause()


@SIZES
def test_composer_near_a_part_boundary(
    size: tuple[int, int], make_app: MakeApp, snap_compare: Any
) -> None:
    """159 of 160 characters in one part: the meter counts, sender and recipient shown."""
    assert len(NEAR_A_PART_BOUNDARY) == 159

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_composer(pilot, NEAR_A_PART_BOUNDARY)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_composer_forced_to_ucs2(
    size: tuple[int, int], make_app: MakeApp, snap_compare: Any
) -> None:
    """A Polish letter switches to UCS-2 (70 per part); the meter names it and where it is."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_composer(pilot, POLISH)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_composer_too_long_says_why_on_its_own_line(
    size: tuple[int, int], make_app: MakeApp, snap_compare: Any
) -> None:
    """1,623 GSM-7 characters, over hard_max_parts: the meter counts 11 parts in red; the whole
    reason (and how to allow more) wraps below it."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_composer(pilot, "Thanks for your order! " * 70 + "See you soon.")

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_composer_unicode_over_the_limit_warns(
    size: tuple[int, int], make_app: MakeApp, snap_compare: Any
) -> None:
    """264 Polish characters, 4 parts of 67: below the meter, what they cost and that Enter
    asks first."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_composer(pilot, POLISH_264)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_enter_over_max_parts_asks_naming_the_parts(
    size: tuple[int, int], make_app: MakeApp, snap_compare: Any
) -> None:
    """Enter on 264 Polish characters: "4 parts, charged as 4 messages — send?", y or n/Esc."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await open_composer(pilot, POLISH_264)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_composer_for_a_sender_that_takes_no_replies(
    size: tuple[int, int], make_app: MakeApp, snap_compare: Any
) -> None:
    """InPost (a sender name): the text area says once that it cannot get replies, no meter."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        screen = inbox(pilot)
        key = next(
            s.key for s in screen.session.conversations.summaries() if not can_reply(s.number)
        )
        screen.open_conversation(key)
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_failed_message_with_its_reason(
    size: tuple[int, int], make_app: MakeApp, fresh_gateway: FakeGateway, snap_compare: Any
) -> None:
    """Not enough credit: the bubble is marked failed with the reason; R and e are offered."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        screen = inbox(pilot)
        screen.start_conversation("48000000108")
        await settle(pilot)
        screen.composer.text_area.insert("Your order is ready for pickup")
        await pilot.press("enter")
        await settle(pilot)
        screen.message_pane.focus()
        await pilot.pause()

    assert snap_compare(make_app(fresh_gateway), terminal_size=size, run_before=run_before)


@SIZES
def test_new_messages_notice_while_reading_older_ones(
    size: tuple[int, int], make_app: MakeApp, still_gateway: FakeGateway, snap_compare: Any
) -> None:
    """A message arrives while the user reads older ones: "↓ 1 new message", nothing moves."""
    seed_read_state(ANCHOR - 3600, still_gateway)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        screen = inbox(pilot)
        if screen.thread is None:
            await pilot.press("enter")
            await settle(pilot)
        assert screen.thread is not None
        screen.message_pane.focus()
        await pilot.press("pageup", "pageup")
        await settle(pilot)
        still_gateway.deliver_inbound(screen.thread.key, "Are you still open?")
        screen.live.poll_now()
        await settle(pilot)

    app = make_app(still_gateway)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_unread_counts_in_the_list(
    size: tuple[int, int], make_app: MakeApp, gateway: FakeGateway, snap_compare: Any
) -> None:
    """Conversations with messages since the user last looked: bold names and a count."""
    seed_read_state(ANCHOR - 14 * 86400, gateway)
    assert snap_compare(make_app(), terminal_size=size, run_before=settle)
