"""How smstui looks on terminals with few colours or few symbols.

Textual draws with 24-bit colours and lets Rich squeeze them into what the terminal has. On a
16-colour terminal (``TERM=screen``, ``TERM=linux``, plain ``xterm``) that squeeze makes both
kinds of bubble the same grey and turns orange into bright red. So when the ``theme`` setting
is ``auto`` and the terminal has 16 colours or fewer, smstui switches to :data:`ANSI_THEME`,
drawn in the terminal's own palette (the widgets add ``:ansi`` rules for the details).

For terminals that cannot draw symbols, :class:`AsciiFilter` replaces them on their way to the
screen with ASCII of the same width (:mod:`smstui.domain.glyphs`), so the layout does not change.

Joined emoji (👨‍👩‍👧) are measured by Rich as one 2-cell glyph while terminals draw each member;
the list, the bubbles and the title take them apart before measuring
(:func:`smstui.domain.sanitize.display_text`). Everywhere else (toasts, inputs, dialogs)
:class:`JoinedEmojiFilter` draws such a cluster in the cells Rich counted: 👨‍👩‍👧 as 👨, 1️⃣ as
``1⃣`` and a space, so no line runs past its edge.

On a 256-colour terminal (``TERM=xterm-256color`` without ``COLORTERM``) Rich rounds each
channel to the colour cube, whose lowest step above 0 is 95: the focused title's dark orange
tint (#352815) came out maroon (#5f0000), which reads as an error, and dark blue tints teal.
:class:`Palette256Filter` picks the nearest of the 240 standard colours by eye (CIELAB)
instead: that tint becomes a dark grey, our blue bubbles a blue.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import split_graphemes
from rich.color import Color as RichColor
from rich.color import ColorType
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter
from textual.theme import Theme

from smstui.domain.glyphs import grapheme_to_ascii, to_ascii
from smstui.domain.sanitize import display_text

__all__ = [
    "ANSI_THEME",
    "DEFAULT_THEME",
    "AsciiFilter",
    "JoinedEmojiFilter",
    "Palette256Filter",
    "ascii_text",
    "fit_joined",
    "nearest_256",
    "pick_theme",
]

DEFAULT_THEME = "textual-dark"
"""The theme ``auto`` means on terminals with 256 colours or more."""

ANSI_THEME = Theme(
    name="smstui-ansi",
    ansi=True,
    dark=True,
    primary="ansi_blue",
    secondary="ansi_cyan",
    warning="ansi_yellow",
    error="ansi_red",
    success="ansi_green",
    accent="ansi_cyan",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    variables={
        # Every background is one of the eight that every console can show (no bright ones:
        # the Linux console ignores them), and every coloured background has its own text colour,
        # so a light terminal background cannot make text vanish. Text on the terminal's own
        # background is in its own foreground: none of the 16 colours reads on both white and
        # black (bright yellow is 1.1:1 on white), so colour there comes with a background of
        # its own (the widgets' ":ansi" rules: chips, badges, bubbles, the cursor).
        "ansi-background": "ansi_black",
        "ansi-foreground": "ansi_white",
        "text-warning": "ansi_default",
        "text-error": "ansi_bright_red",
        "text-success": "ansi_default",
        "text-accent": "ansi_default",
        "block-cursor-foreground": "ansi_bright_white",
        "block-cursor-background": "ansi_blue",
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-foreground": "ansi_default",
        "block-cursor-blurred-background": "ansi_default",
        "block-cursor-blurred-text-style": "none",
        "border": "ansi_cyan",
        "border-blurred": "ansi_white",
        "footer-key-foreground": "ansi_default",
        "footer-description-foreground": "ansi_default",
        "input-cursor-background": "ansi_white",
        "input-cursor-foreground": "ansi_black",
        "input-cursor-text-style": "none",
        "input-selection-background": "ansi_cyan",
        "input-selection-foreground": "ansi_black",
        "scrollbar": "ansi_white",
        "scrollbar-hover": "ansi_bright_white",
        "scrollbar-active": "ansi_bright_white",
        "scrollbar-background": "ansi_default",
        "scrollbar-background-hover": "ansi_default",
        "scrollbar-background-active": "ansi_default",
        "screen-selection-background": "ansi_cyan",
        "screen-selection-foreground": "ansi_black",
    },
)
"""smstui's 16-colour theme: the terminal's own palette, chosen so roles stay apart."""

_FEW_COLOURS = frozenset({"standard", "windows"})
"""Rich's names for 16- and 8-colour terminals."""


def pick_theme(setting: str, color_system: str | None, available: object) -> str:
    """Turn the ``theme`` setting into the theme to use.

    Args:
        setting: The setting: ``auto`` or a theme name.
        color_system: What Textual found the terminal can show (Rich's name: ``truecolor``,
            ``256``, ``standard``, ``windows``, or None for no colour).
        available: The names of the registered themes (``App.available_themes``).

    Returns:
        A registered theme's name: ``auto`` is :data:`ANSI_THEME` on a terminal with 16 colours
        or fewer, else :data:`DEFAULT_THEME`; an unknown name falls back the same way.
    """
    if setting != "auto" and setting in available:  # type: ignore[operator]
        return setting
    if color_system is None or color_system in _FEW_COLOURS:
        return ANSI_THEME.name
    return DEFAULT_THEME


@lru_cache(maxsize=4096)
def ascii_text(text: str, letters: bool = False) -> str:
    """``text`` with every symbol and emoji drawn as ASCII of the same width in cells.

    With ``letters``, letters too (:func:`smstui.domain.glyphs.letters_to_ascii`).
    """
    quick = to_ascii(text)
    if quick.isascii():
        return quick
    spans, _ = split_graphemes(quick)
    return "".join(
        grapheme_to_ascii(quick[start:end], cells, letters=letters) for start, end, cells in spans
    )


class AsciiFilter(LineFilter):
    """Replaces symbols with ASCII of the same width on every line Textual draws.

    With ``letters`` (a terminal that is not UTF-8) letters lose their accents too.
    """

    def __init__(self, *, letters: bool = False) -> None:
        super().__init__()
        self.letters = letters

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        """Translate the text of every segment; styles and control codes are kept.

        Args:
            segments: One line.
            background: The background colour (unused).

        Returns:
            The line, as wide as before.
        """
        lines: list[Segment] = []
        for segment in segments:
            text, style, control = segment
            if text.isascii():
                lines.append(segment)
            else:
                lines.append(Segment(ascii_text(text, self.letters), style, control))
        return lines


def _lab(red: int, green: int, blue: int) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour: distances there follow what the eye sees."""

    def linear(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = linear(red), linear(green), linear(blue)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


_PALETTE_LAB = [
    (number, _lab(*RichColor.from_ansi(number).get_truecolor())) for number in range(16, 256)
]
"""The colour cube and the grey ramp: fixed colours, unlike the 16 the user may have themed."""


@lru_cache(maxsize=1024)
def nearest_256(red: int, green: int, blue: int) -> int:
    """The number (16-255) of the 256-colour palette entry that looks closest to a colour."""
    lab = _lab(red, green, blue)
    return min(
        _PALETTE_LAB,
        key=lambda entry: sum((a - b) ** 2 for a, b in zip(entry[1], lab, strict=True)),
    )[0]


def _to_256(colour: RichColor | None) -> RichColor | None:
    if colour is None or colour.type != ColorType.TRUECOLOR or colour.triplet is None:
        return colour
    return RichColor.from_ansi(nearest_256(*colour.triplet))


@lru_cache(maxsize=1024)
def _style_256(style: Style) -> Style:
    fore, back = _to_256(style.color), _to_256(style.bgcolor)
    if fore is style.color and back is style.bgcolor:
        return style
    return style + Style(color=fore, bgcolor=back)


class Palette256Filter(LineFilter):
    """Draws 24-bit colours as the nearest (by eye) of the 256-colour palette."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        """Replace every 24-bit colour; text, other styles and control codes are kept.

        Args:
            segments: One line.
            background: The background colour (unused).

        Returns:
            The line with 256-colour styles.
        """
        return [
            Segment(text, _style_256(style), control) if style is not None else segment
            for segment in segments
            for text, style, control in (segment,)
        ]


def _fit_cluster(cluster: str, cells: int) -> str:
    """A cluster taken apart, cut to whole members within ``cells`` and padded to it."""
    shown, used = "", 0
    spans, _ = split_graphemes(display_text(cluster))
    for start, end, width in spans:
        if used + width > cells:
            break
        shown += display_text(cluster)[start:end]
        used += width
    return shown + " " * (cells - used)


@lru_cache(maxsize=4096)
def fit_joined(text: str) -> str:
    """``text`` with every joined cluster drawn in the cells Rich counts for it.

    A cluster that :func:`smstui.domain.sanitize.display_text` would change (a ZWJ sequence, VS16,
    a skin tone) keeps its first members that fit and is padded with spaces; other text is
    kept. The result has the same width in Rich's cells, and terminals draw it that wide.
    """
    if display_text(text) is text:
        return text
    spans, _ = split_graphemes(text)
    parts: list[str] = []
    for start, end, cells in spans:
        cluster = text[start:end]
        changed = display_text(cluster) != cluster
        parts.append(_fit_cluster(cluster, cells) if changed else cluster)
    return "".join(parts)


class JoinedEmojiFilter(LineFilter):
    """Draws joined emoji in the cells Rich counted for them, on every line Textual draws."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        """Fit every joined cluster (see :func:`fit_joined`); widths and styles are kept.

        Args:
            segments: One line.
            background: The background colour (unused).

        Returns:
            The line, as wide as before.
        """
        return [
            segment
            if segment.control or segment.text.isascii()
            else Segment(fit_joined(segment.text), segment.style, segment.control)
            for segment in segments
        ]
