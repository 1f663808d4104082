"""On a 256-colour terminal the default theme keeps its colours' look (no maroon titles).

``TERM=xterm-256color`` without ``COLORTERM``: Textual draws 24-bit colours and Rich rounds each
channel to the colour cube, whose lowest step above 0 is 95. The focused title's dark orange
tint (#352815) became maroon #5f0000, dark blue tints teal. The app now picks the nearest
palette colour by eye (:class:`smstui.ui.widgets.theme.Palette256Filter`).
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from rich.color import Color, ColorSystem, ColorType
from rich.style import Style

from smstui.ui.app import SmsApp
from smstui.ui.widgets.theme import _lab, nearest_256
from tests.app.compose_helpers import inbox_of
from tests.app_fixtures import STANDARD, MakeApp, settle

RGB = tuple[int, int, int]


def palette(number: int) -> RGB:
    red, green, blue = Color.from_ansi(number).get_truecolor()
    return red, green, blue


def shown_on_256(colour: Color) -> RGB:
    """What a 256-colour terminal paints: a palette entry as sent, else Rich's rounding."""
    if colour.type == ColorType.EIGHT_BIT and colour.number is not None:
        return palette(colour.number)
    downgraded = colour.downgrade(ColorSystem.EIGHT_BIT)
    assert downgraded.number is not None
    return palette(downgraded.number)


def delta_e(one: RGB, other: RGB) -> float:
    return math.dist(_lab(*one), _lab(*other))


def drawn_colours(app: SmsApp) -> dict[str, Color]:
    colours: dict[str, Color] = {}
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            style = segment.style or Style()
            for colour in (style.color, style.bgcolor):
                if colour is not None and colour.type != ColorType.DEFAULT:
                    colours.setdefault(colour.name, colour)
    return colours


async def look_around(app: SmsApp, pilot: Any) -> dict[str, Color]:
    """Every colour drawn: the list focused, then the thread (its title marked)."""
    await settle(pilot)
    colours = drawn_colours(app)
    inbox_of(app).message_pane.focus()
    await settle(pilot)
    colours.update(drawn_colours(app))
    return colours


def announce(monkeypatch: pytest.MonkeyPatch, colorterm: str) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    if colorterm:
        monkeypatch.setenv("COLORTERM", colorterm)
    else:
        monkeypatch.delenv("COLORTERM", raising=False)


async def test_the_focused_title_is_not_maroon_on_a_256_colour_terminal(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    announce(monkeypatch, "")
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await settle(pilot)
        assert app.console.color_system == "256"
        title = inbox_of(app).query_one("#list-title")
        region = title.region
        strip = app.screen._compositor.render_strips()[region.y].crop(region.x + 2, region.right)
        backgrounds = {shown_on_256(s.style.bgcolor) for s in strip if s.style and s.style.bgcolor}
        assert backgrounds, strip
        for red, green, blue in backgrounds:
            assert max(red, green, blue) - min(red, green, blue) < 40, "a grey, not maroon"


async def test_every_colour_keeps_its_look_in_256_colours(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The theme's real colours (drawn in 24 bits) against what the 256-colour app draws.

    Every colour then is a palette entry (nothing left to Rich's rounding), never farther
    from the 24-bit one than Rich's rounding and at most 22 CIELAB units away (the darkest blue
    tints, 21, as a grey; Rich's rounding put the title's tint 38 away, as maroon, and a
    grey-blue 62 away, as navy).
    """
    announce(monkeypatch, "truecolor")
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        originals = await look_around(app, pilot)
    announce(monkeypatch, "")
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        drawn = await look_around(app, pilot)
    left_to_rich = sorted(
        name for name, colour in drawn.items() if colour.type == ColorType.TRUECOLOR
    )
    assert left_to_rich == []
    far: list[str] = []
    for name, colour in sorted(originals.items()):
        if colour.triplet is None:
            continue
        original: RGB = (colour.triplet.red, colour.triplet.green, colour.triplet.blue)
        ours = delta_e(original, palette(nearest_256(*original)))
        rounded = delta_e(original, shown_on_256(colour))
        if ours > min(rounded, 22.0) + 0.01:
            far.append(f"{name}: {ours:.1f} away (Rich's rounding: {rounded:.1f})")
    assert far == []
