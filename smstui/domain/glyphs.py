"""ASCII stand-ins for the symbols smstui draws, for terminals that cannot draw them.

The Linux console (``TERM=linux``) has a 256- or 512-glyph font: box-drawing lines and a few
blocks at best, no ``✓``, ``◷``, ``📎`` or ``…``. In ASCII mode every symbol on screen is
replaced by ASCII of the same width in cells, so nothing moves: the cursor bar ``▌`` reads
``|``, ``…`` reads ``.``, an emoji ``[]``. Delivery statuses, whose stand-ins (``vv``) would be
cryptic, are shown as their words instead by the widgets ("delivered").
Letters are left alone (the console fonts have Latin letters with accents).

Which mode: the ``glyphs`` setting (``auto``, ``unicode`` or ``ascii``); ``auto`` means ASCII
on the Linux and VT consoles and Unicode everywhere else.

A terminal that is not UTF-8 (``LANG=C``, a Latin-1 xterm) shows each UTF-8 byte as a
character of its own: ``Długa`` reads ``DÅuga`` and rows shift. There letters are drawn as
ASCII too (:func:`grapheme_to_ascii` with ``letters``: ``ł`` → ``l``, ``ó`` → ``o``), unless
``glyphs = "unicode"`` says the terminal copes; :func:`locale_is_utf8` tells which.

Pure: no Textual, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

__all__ = [
    "ASCII_FALLBACK",
    "GLYPH_MODES",
    "grapheme_to_ascii",
    "letters_to_ascii",
    "locale_is_utf8",
    "to_ascii",
    "wants_ascii",
]

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


_LETTERS = {
    "ł": "l", "Ł": "L", "ß": "s", "ẞ": "S", "ø": "o", "Ø": "O", "æ": "a", "Æ": "A",
    "œ": "o", "Œ": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "p", "Þ": "P",
    "ħ": "h", "Ħ": "H", "ı": "i", "ŀ": "l", "Ŀ": "L", "ŧ": "t", "Ŧ": "T",
}  # fmt: skip
"""Letters that do not decompose into a base letter and marks; one cell each, so ``ß`` reads
``s`` (not ``ss``): the replacement happens after layout and must keep every width."""


def letters_to_ascii(grapheme: str, cells: int) -> str:
    """ASCII of ``cells`` width for a letter, digit or mark: its base letter, else ``?``.

    ``ą`` → ``a``, ``Ł`` → ``L``, ``é`` (also decomposed) → ``e``; a letter with no Latin
    base (``Ж``, ``漢``) becomes ``?`` per cell.

    Args:
        grapheme: One grapheme cluster that is not ASCII.
        cells: Its width in cells, as the terminal library measures it.

    Returns:
        ASCII text exactly ``cells`` characters long.
    """
    base = _LETTERS.get(grapheme[0])
    if base is None:
        decomposed = unicodedata.normalize("NFKD", grapheme)
        base = "".join(char for char in decomposed if char.isascii() and char.isprintable())
    return (base + "?" * cells)[:cells] if cells > 0 else ""


def locale_is_utf8(environ: Mapping[str, str]) -> bool:
    """Whether the terminal's locale is UTF-8 (``LC_ALL``, else ``LC_CTYPE``, else ``LANG``).

    Python turns a C locale into ``LC_CTYPE=C.UTF-8`` for itself (PEP 538) before smstui
    runs, so that value beside ``LANG=C`` (or ``POSIX``) and no ``LC_ALL`` is read as the C
    locale it was. ``LC_CTYPE=UTF-8`` (what macOS sends over SSH) is UTF-8. Nothing set at
    all is the C locale.

    Args:
        environ: The process environment.

    Returns:
        True when the effective locale names UTF-8.
    """
    lc_all, lc_ctype, lang = (environ.get(name, "") for name in ("LC_ALL", "LC_CTYPE", "LANG"))
    coerced = not lc_all and lc_ctype in _COERCED and lang in ("C", "POSIX")
    value = lc_all or ("" if coerced else lc_ctype) or lang
    return _UTF8.search(value) is not None


_COERCED = ("C.UTF-8", "C.utf8")
"""What PEP 538 sets ``LC_CTYPE`` to on Linux (its last choice, ``UTF-8``, is also what macOS
sends over SSH, so it is taken at its word)."""
_UTF8 = re.compile(r"utf-?8", re.IGNORECASE)


def grapheme_to_ascii(grapheme: str, cells: int, *, letters: bool = False) -> str:
    """ASCII for one grapheme (what the terminal draws as one character) of ``cells`` width.

    Symbols in :data:`ASCII_FALLBACK` get their stand-in; other symbols and emoji (with their
    joiners, skin tones and flags) become ``*`` or ``[]`` by width; letters, digits and
    punctuation are kept (the console fonts have Latin letters with accents), or with
    ``letters`` lose their accents (:func:`letters_to_ascii`, for terminals that are not UTF-8).

    Args:
        grapheme: One grapheme cluster.
        cells: Its width in cells, as the terminal library measures it.
        letters: Draw letters as ASCII too.

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
        return letters_to_ascii(grapheme, cells) if letters else grapheme
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


def wants_ascii(setting: str, term: str, *, utf8: bool = True) -> bool:
    """Decide whether to draw ASCII stand-ins.

    Args:
        setting: The ``glyphs`` setting: ``auto``, ``unicode`` or ``ascii``.
        term: The ``TERM`` environment variable ("" when unset).
        utf8: Whether the locale is UTF-8 (:func:`locale_is_utf8`).

    Returns:
        True for ``ascii``, and for ``auto`` on the Linux console and VT terminals and where
        the locale is not UTF-8.
    """
    if setting != "auto":
        return setting == "ascii"
    if not utf8:
        return True
    name = term.strip().lower()
    return any(name == console or name.startswith(console + "-") for console in _CONSOLE_TERMS)
