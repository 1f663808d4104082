"""ASCII stand-ins for the symbols smstui draws, for terminals that cannot draw them.

The Linux console (``TERM=linux``) has a 256- or 512-glyph font: box-drawing lines and a few
blocks at best, no ``✓``, ``◷``, ``📎`` or ``…``. In ASCII mode every symbol on screen is
replaced by ASCII of the same width in cells, so nothing moves: the cursor bar ``▌`` reads
``|``, ``…`` reads ``.``, an emoji ``[]``. Delivery statuses, whose stand-ins (``vv``) would be
cryptic, are shown as their words instead by the widgets ("delivered").
Letters are left alone (the console fonts have Latin letters with accents).

Which mode: the ``glyphs`` setting (``auto``, ``unicode`` or ``ascii``); ``auto`` means ASCII
on the Linux and VT consoles and Unicode everywhere else.

Pure: no Textual, no I/O.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

__all__ = ["ASCII_FALLBACK", "GLYPH_MODES", "grapheme_to_ascii", "to_ascii", "wants_ascii"]

GLYPH_MODES = ("auto", "unicode", "ascii")
"""Values of the ``glyphs`` setting."""

_CONSOLE_TERMS = ("linux", "vt100", "vt102", "vt220", "vt320", "cons25")
"""TERM values (and their ``-suffix`` variants) of consoles without Unicode symbols."""

_SYMBOLS: dict[str, str] = {
    # Delivery statuses and the status line's tone marks.
    "✓": "v",
    "✔": "v",
    "✗": "x",
    "✘": "x",
    "⊘": "X",
    "◷": "~",
    "◌": "*",
    "○": "o",
    "●": "*",
    "⚠": "!",
    # Cursor marks, arrows and keys.
    "›": ">",
    "‹": "<",
    "▶": ">",
    "▸": ">",
    "❯": ">",
    "►": ">",
    "◀": "<",
    "◂": "<",
    "◄": "<",
    "▲": "^",
    "▼": "v",
    "←": "<",
    "→": ">",
    "↑": "^",
    "↓": "v",
    "⏎": "<",
    "↵": "<",
    "⇥": ">",
    "⌫": "<",
    # Typography.
    "…": ".",
    "·": "-",
    "•": "*",
    "—": "-",
    "–": "-",
    "“": '"',
    "”": '"',
    "„": '"',
    "‘": "'",
    "’": "'",
    # Two cells wide, so two characters.
    "📎": "@ ",
    "🔗": "@ ",
}

_HALF_BLOCKS = {"▌": "|", "▐": "|", "▏": "|", "▕": "|", "▎": "|", "▍": "|", "█": "#"}
"""Vertical bars (cursor marks, pane edges) stay visible as ``|``."""


def _box_drawing(char: str) -> str:
    """``-``, ``|`` or ``+`` for a box-drawing character, by what its name says it draws."""
    name = unicodedata.name(char, "")
    horizontal, vertical = "HORIZONTAL" in name, "VERTICAL" in name
    if horizontal and not vertical:
        return "-"
    if vertical and not horizontal:
        return "|"
    return "+"


def _build() -> dict[str, str]:
    table = dict(_SYMBOLS)
    for code in range(0x2500, 0x2580):  # box drawing: borders, rules, the day separator
        table[chr(code)] = _box_drawing(chr(code))
    for code in range(0x2580, 0x25A0):  # block elements: scrollbar ends, tall/wide borders
        table[chr(code)] = " "
    table.update(_HALF_BLOCKS)
    return table


ASCII_FALLBACK: Mapping[str, str] = _build()
"""Character → ASCII of the same cell width."""

_TABLE = str.maketrans(dict(ASCII_FALLBACK))


def grapheme_to_ascii(grapheme: str, cells: int) -> str:
    """ASCII for one grapheme (what the terminal draws as one character) of ``cells`` width.

    Symbols in :data:`ASCII_FALLBACK` get their stand-in; other symbols and emoji (with their
    joiners, skin tones and flags) become ``*`` or ``[]`` by width; letters, digits and
    punctuation are kept (the console fonts have Latin letters with accents).

    Args:
        grapheme: One grapheme cluster.
        cells: Its width in cells, as the terminal library measures it.

    Returns:
        Text of the same width.
    """
    if grapheme.isascii():
        return grapheme
    known = ASCII_FALLBACK.get(grapheme)
    if known is not None:
        return known
    first = grapheme[0]
    if ord(first) < 0x2000 or unicodedata.category(first) != "So":
        return grapheme
    return ("[]" if cells >= 2 else "*" * cells) + " " * max(0, cells - 2)


def to_ascii(text: str) -> str:
    """Replace the symbols of :data:`ASCII_FALLBACK`, one character for one of the same width.

    Emoji and other symbols made of several characters need the terminal library's idea of a
    grapheme: see :func:`grapheme_to_ascii`.

    Args:
        text: Text about to be drawn.

    Returns:
        The text with the same width in cells.
    """
    return text.translate(_TABLE)


def wants_ascii(setting: str, term: str) -> bool:
    """Decide whether to draw ASCII stand-ins.

    Args:
        setting: The ``glyphs`` setting: ``auto``, ``unicode`` or ``ascii``.
        term: The ``TERM`` environment variable ("" when unset).

    Returns:
        True for ``ascii``, and for ``auto`` on the Linux console and VT terminals.
    """
    if setting != "auto":
        return setting == "ascii"
    name = term.strip().lower()
    return any(name == console or name.startswith(console + "-") for console in _CONSOLE_TERMS)
