"""Browsing does not leak: many conversation switches leave the footer's keys, the painted
strips and the objects kept out of the garbage collector's passes where they were.

The counts are taken after a full collection with nothing frozen, so that what the app froze is
counted too. A leak shows as growth per switch: before the fix the footer kept every key it
ever built (about 29 per switch, each with its strips), and ``gc.freeze()`` after every page
kept the garbage of the moment out of reach for good (about 8,500 objects per switch).
Two rounds through the same conversations take about 20 s: 200 switches would take minutes.
"""

from __future__ import annotations

import gc
from typing import Any

from textual._styles_cache import StylesCache
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets._footer import FooterKey

from smstui.system.gc_policy import MIN_GROWTH
from smstui.ui.app import SmsApp
from smstui.ui.widgets.message_pane import MessagePane
from tests.app_fixtures import STANDARD, MakeApp, settle

ROUND = ["down"] * 5 + ["up"] * 5
"""Esc, Down or Up, Enter: a round of switches through the same conversations (about 0.7 s
each here). One round warms the caches up (they hold rows and strips of what was shown), so the
next round finds everything it shows already cached and any growth is a leak."""
SWITCHES = len(ROUND)


async def switch_conversations(pilot: Pilot[Any]) -> None:
    """Go back to the list, move one conversation down or up and open it, for a round."""
    for move in ROUND:
        await pilot.press("escape", move, "enter")
        await settle(pilot)
    assert pilot.app.focused is pilot.app.screen.query_one(MessagePane)


def live(kind: type) -> int:
    return sum(isinstance(item, kind) for item in gc.get_objects())


def collect_everything() -> int:
    """Unfreeze and collect fully; return how many tracked objects are left (all live).

    Textual's ``StylesCache.get_inner_outer`` is an ``lru_cache(1024)`` on a method, so it keeps
    the styles caches (and their strips) of up to 1,024 widgets alive after they are gone: it
    fills in about 40 switches and then stays full. It is emptied here, so that the strips
    counted are the ones something of ours holds.
    """
    StylesCache.get_inner_outer.cache_clear()
    gc.unfreeze()
    gc.collect()
    return len(gc.get_objects())


async def test_switching_conversations_leaks_no_keys_strips_or_frozen_garbage(
    make_app: MakeApp,
) -> None:
    app: SmsApp = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        await switch_conversations(pilot)
        live_before = collect_everything()
        keys_before, strips_before = live(FooterKey), live(Strip)

        await switch_conversations(pilot)
        frozen = gc.get_freeze_count()
        live_after = collect_everything()
        keys, strips = live(FooterKey), live(Strip)
        shown = len(app.screen.query(FooterKey))

    figures = (
        f"after {SWITCHES} switches: {keys} footer keys live ({keys_before} before, {shown} "
        f"shown), {strips} strips ({strips_before} before), {frozen:,} objects frozen "
        f"({live_before:,} live before, {live_after:,} after)"
    )
    assert shown, figures
    assert keys <= keys_before + 2, figures
    assert strips - strips_before < 10 * SWITCHES, figures
    # Frozen garbage waits for the next full pass, which is due once a quarter more than was
    # live (at least MIN_GROWTH) has been frozen since the last: bounded, whatever the switches.
    assert frozen - live_after <= max(MIN_GROWTH, live_before // 4) + 5_000, figures
