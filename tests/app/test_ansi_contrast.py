"""Every colour pair the 16-colour theme draws stays readable on a light and a dark terminal.

The pairs are read from what is drawn (the list, the thread with its cursor, toasts of every
severity), not from a hand-kept list. A terminal's default colours are resolved both ways:
black on white (stock xterm) and white on black; the 16 colours are xterm's stock palette.
Text on an explicit background needs 4.5:1 (WCAG AA) both ways; text on the terminal's own
background is reported by :func:`default_background_pairs` (see the test's docstring).
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.color import Color, ColorSystem, ColorType
from rich.segment import Segment
from rich.style import Style
from textual.widgets._toast import Toast

from smstui.ui.app import SmsApp
from tests.app.compose_helpers import inbox_of, wait_for
from tests.app_fixtures import STANDARD, MakeApp, settle

XTERM = (
    (0x00, 0x00, 0x00), (0xCD, 0x00, 0x00), (0x00, 0xCD, 0x00), (0xCD, 0xCD, 0x00),
    (0x00, 0x00, 0xEE), (0xCD, 0x00, 0xCD), (0x00, 0xCD, 0xCD), (0xE5, 0xE5, 0xE5),
    (0x7F, 0x7F, 0x7F), (0xFF, 0x00, 0x00), (0x00, 0xFF, 0x00), (0xFF, 0xFF, 0x00),
    (0x5C, 0x5C, 0xFF), (0xFF, 0x00, 0xFF), (0x00, 0xFF, 0xFF), (0xFF, 0xFF, 0xFF),
)  # fmt: skip
"""xterm's stock 16 colours (its default resources)."""
LIGHT = ((0, 0, 0), (0xFF, 0xFF, 0xFF))
DARK = ((0xFF, 0xFF, 0xFF), (0, 0, 0))
"""(default foreground, default background) of a light and a dark terminal."""

RGB = tuple[int, int, int]


def rgb(colour: Color | None, default: RGB) -> RGB:
    """What a 16-colour terminal paints for ``colour`` (its default for none)."""
    if colour is None or colour.type == ColorType.DEFAULT:
        return default
    standard = colour.downgrade(ColorSystem.STANDARD)
    assert standard.number is not None
    return XTERM[standard.number]


def luminance(colour: RGB) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(value) for value in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: RGB, other: RGB) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def painted(style: Style, mode: tuple[RGB, RGB]) -> tuple[RGB, RGB]:
    """Foreground and background as painted; faint text is modelled halfway to the background."""
    fore, back = rgb(style.color, mode[0]), rgb(style.bgcolor, mode[1])
    if style.reverse:
        fore, back = back, fore
    if style.dim:
        fore = (
            (fore[0] + back[0]) // 2,
            (fore[1] + back[1]) // 2,
            (fore[2] + back[2]) // 2,
        )
    return fore, back


def is_text(segment: Segment) -> bool:
    """Letters, digits or symbols; not blanks, bars, borders or scrollbar blocks."""
    return any(not ch.isspace() and not "\u2500" <= ch <= "\u259f" for ch in segment.text)


Pair = tuple[Style, str]


def drawn_pairs(app: SmsApp, pairs: dict[str, Pair]) -> None:
    """Add every (style, example text) drawn on the screen now, keyed by the colours."""
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            style = segment.style or Style()
            if segment.control or not is_text(segment):
                continue
            key = f"{style.color} on {style.bgcolor} dim={style.dim} reverse={style.reverse}"
            pairs.setdefault(key, (style, segment.text.strip()[:24]))


async def pairs_of_the_ansi_theme(app: SmsApp, pilot: Any) -> dict[str, Pair]:
    pairs: dict[str, Pair] = {}
    await settle(pilot)
    assert app.theme == "smstui-ansi"
    drawn_pairs(app, pairs)  # the list focused, its cursor on the first row
    for severity in ("information", "warning", "error"):
        app.notify(f"A {severity} toast", title=severity, severity=severity, timeout=60)
    await wait_for(pilot, lambda: len(app.screen.query(Toast)) == 3, what="three toasts")
    drawn_pairs(app, pairs)
    app.clear_notifications()
    await pilot.press("enter")  # the thread focused, its cursor on the newest message
    await settle(pilot)
    drawn_pairs(app, pairs)
    inbox_of(app).message_pane.focus()
    for _ in range(6):  # older messages under the cursor: failed and pending ones
        await pilot.press("k")
        await pilot.pause()
        drawn_pairs(app, pairs)
    return pairs


@pytest.fixture
def screen_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 16-colour terminal, announced the way Textual reads it."""
    monkeypatch.setenv("TERM", "screen")
    monkeypatch.delenv("COLORTERM", raising=False)


@pytest.mark.usefixtures("screen_terminal")
async def test_text_on_a_coloured_background_is_readable_on_light_and_dark_terminals(
    make_app: MakeApp,
) -> None:
    """4.5:1 both ways for every pair with an explicit background, faint text not allowed there.

    Before: toasts drew the terminal's foreground on black (1:1 on a light terminal), the
    focused pane's title faint black on cyan (3.4:1), the cursor row's number the terminal's
    foreground on blue (2.2:1 on a light terminal), "rejected" bright red on blue (2.3:1).
    """
    app = make_app()
    async with app.run_test(size=STANDARD, notifications=True) as pilot:
        pairs = await pairs_of_the_ansi_theme(app, pilot)
    weak: list[str] = []
    for key, (style, text) in sorted(pairs.items()):
        if style.bgcolor is None or style.bgcolor.type == ColorType.DEFAULT:
            continue
        for name, mode in (("light", LIGHT), ("dark", DARK)):
            ratio = contrast(*painted(style, mode))
            if ratio < 4.5:
                weak.append(f"{text!r}: {key} is {ratio:.1f}:1 on a {name} terminal")
    assert not weak, "\n".join(weak)


@pytest.mark.usefixtures("screen_terminal")
async def test_text_on_the_terminals_own_background_is_in_its_own_colour(
    make_app: MakeApp,
) -> None:
    """On the terminal's background, text is drawn in its foreground (faint allowed).

    None of xterm's 16 colours reaches 4.5:1 on both white and black (magenta comes closest,
    4.4:1), so coloured text there is unreadable on one of them: bright yellow keys 1.1:1,
    bright green ticks 1.4:1, bright cyan 1.3:1 and cyan times 2.0:1 on white. Colour stays
    where it has a background of its own (badges, bubbles, the cursor, chips).
    """
    app = make_app()
    async with app.run_test(size=STANDARD, notifications=True) as pilot:
        pairs = await pairs_of_the_ansi_theme(app, pilot)
    coloured = [
        f"{text!r}: {key}"
        for key, (style, text) in sorted(pairs.items())
        if (style.bgcolor is None or style.bgcolor.type == ColorType.DEFAULT)
        and style.color is not None
        and style.color.type != ColorType.DEFAULT
    ]
    assert not coloured, "\n".join(coloured)
