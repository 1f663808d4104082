r"""Make untrusted network text safe to keep in the model and to show in a terminal.

Textual passes ESC sequences in content straight to the terminal (DESIGN §9), so every string
that comes from the network goes through :func:`clean_text` once, where it enters the model.
The rules, in order:

1. Whole escape sequences are removed: CSI (``ESC [`` … final byte), OSC (``ESC ]`` … BEL or
   ST), DCS/SOS/PM/APC (``ESC P``/``X``/``^``/``_`` … ST), two-character ``ESC x`` sequences
   (``ESC c``, ``ESC 7``, ``ESC ( B`` …) and the same sequences opened by the 8-bit C1
   introducers U+009B, U+009D, U+0090, U+0098, U+009E and U+009F. A string sequence (OSC, DCS
   …) without its terminator is not removed; its introducer becomes a visible placeholder and
   the rest stays as inert text, so a stray ``ESC ]`` never swallows a whole message.
2. ``\r\n`` and ``\r`` become ``\n``; U+0085 (NEL), U+2028 and U+2029 also become ``\n``;
   ``\t`` becomes one space; NUL is removed.
3. Every other C0 control and DEL is replaced by its Unicode *control picture* (ESC → ``␛``,
   BEL → ``␇``, DEL → ``␡``), so the user sees that something was there. Other C1 controls
   (U+0080–U+009F) and lone surrogates become U+FFFD ``�``.
4. Bidi embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) and the marks
   LRM, RLM and ALM (U+200E, U+200F, U+061C) are removed: they can disguise names and URLs.

ZWJ, ZWNJ and variation selectors are kept so emoji sequences survive in the model (they are
stored and sent as received). Markup-like text such as ``[b]`` is *not* touched: widgets render
untrusted text through ``Content``, never as markup.

:func:`display_text` is the last step before text is measured and drawn: it takes joined emoji
apart, because Rich measures a joined cluster as one 2-cell glyph while xterm, kitty, alacritty,
foot and urxvt draw each member in its own cells (a family of three: 2 cells counted, 6 drawn).

:func:`clean_text` never raises, is idempotent and returns the very same string object for
the common case of ordinary printable text.
"""

from __future__ import annotations

import re

__all__ = ["clean_line", "clean_text", "clean_url", "display_text"]

# One alternation, tried at each position; CSI first so "ESC [" is never read as a 2-char ESC.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"  # CSI
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"  # OSC, ended by BEL or ST
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"  # DCS SOS PM APC
    # Two-character (nF, Fp, Fe, Fs) sequences. The introducers of the sequences above are
    # excluded, so an unterminated "ESC ]" keeps a visible placeholder instead of vanishing.
    r"|\x1b[\x20-\x2f]*[\x30-\x4f\x51-\x57\x59-\x5a\x5c\x60-\x7e]"
)

# Anything that needs a second look: C0 but LF, DEL, C1, bidi controls, line/paragraph
# separators and lone surrogates. Ordinary text has none of these and takes the fast path.
_SUSPECT_CHARS = (
    "\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
)
_SUSPECT = re.compile(f"[{_SUSPECT_CHARS}\ud800-\udfff]")
_CHAR_FIX = re.compile(f"\r\n|[{_SUSPECT_CHARS}\ud800-\udfff]")

_REPLACEMENT = "\ufffd"
_NEWLINE_CHARS = ("\r\n", "\r", "\x85", "\u2028", "\u2029")
_REMOVED_CHARS = "\x00\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _build_char_map() -> dict[str, str]:
    """Map every suspect character (and CRLF) to what replaces it."""
    table: dict[str, str] = {}
    for code in range(0x20):
        table[chr(code)] = chr(0x2400 + code)  # control pictures: ␀ … ␟
    table["\x7f"] = "\u2421"  # ␡
    for code in range(0x80, 0xA0):
        table[chr(code)] = _REPLACEMENT
    for surrogate in range(0xD800, 0xE000):
        table[chr(surrogate)] = _REPLACEMENT
    for newline in _NEWLINE_CHARS:
        table[newline] = "\n"
    table["\t"] = " "
    for removed in _REMOVED_CHARS:
        table[removed] = ""
    return table


_CHAR_MAP = _build_char_map()


def _fix_char(match: re.Match[str]) -> str:
    return _CHAR_MAP.get(match.group(), _REPLACEMENT)


def clean_text(value: str) -> str:
    """Return network text with escape sequences, controls and bidi overrides neutralised.

    See the module docstring for the exact rules. Newlines are kept; everything else that a
    terminal would interpret is removed or replaced by a visible placeholder.

    Args:
        value: Untrusted text. ``None`` or a non-string is tolerated (``""`` / ``str(value)``).

    Returns:
        Text that is safe to render; the same object when nothing needed changing.
    """
    raw: object = value
    if not isinstance(raw, str):
        return clean_text("" if raw is None else str(raw))
    # isprintable() is False for every control, bidi (Cf) and surrogate (Cs) character, so a
    # True answer means there is nothing to do; it is far cheaper than any regex.
    if value.isprintable() or _SUSPECT.search(value) is None:
        return value
    without_sequences = _ESCAPE_SEQUENCE.sub("", value)
    return _CHAR_FIX.sub(_fix_char, without_sequences)


def clean_line(value: str) -> str:
    """Return untrusted text flattened to one line, for names, numbers, file names and previews.

    After :func:`clean_text`, every run of whitespace (newlines included) becomes one space and
    the ends are stripped. A space reads more naturally than a ``⏎`` marker in a one-line
    preview, and names or file names should never contain line breaks anyway.

    Args:
        value: Untrusted text.

    Returns:
        One line of safe text.
    """
    text = clean_text(value)
    # Printable text has no whitespace but the ASCII space; skip the split/join if it is tidy.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def clean_url(value: str) -> str:
    """Return an untrusted URL cleaned by :func:`clean_text` and stripped of outer whitespace.

    This does not validate the URL; use :func:`smstui.domain.urls.validate_url` before opening it.

    Args:
        value: A URL as received from the network.

    Returns:
        The cleaned URL.
    """
    return clean_text(value).strip()


# Characters on whose width Rich and the terminals disagree (measured with Rich 15 against
# xterm, kitty, alacritty, foot and urxvt, which draw every code point on its own):
# - ZWJ: Rich joins the next character into the cluster (a family counts 2 cells; drawn 6);
# - VS16 and VS15: Rich makes "❤️" 2 cells and "1️⃣" 2, most terminals draw 1;
# - skin-tone modifiers: Rich counts them 0 cells, the terminals draw a 2-cell swatch;
# - the Hangul fillers U+3164 and U+FFA0: Rich counts 0 cells, the terminals 2 and 1.
# Without them every remaining piece is a glyph of its own, measured alike by both.
_JOINERS = re.compile("[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff\u3164\uffa0]")
_JOINER_MAP = {"\u3164": "  ", "\uffa0": " "}


def _unjoin(match: re.Match[str]) -> str:
    return _JOINER_MAP.get(match.group(), "")


def display_text(value: str) -> str:
    """Return already cleaned text as it is drawn, so it takes the cells it is counted to take.

    Emoji ZWJ sequences come apart into their members (👨‍👩‍👧 is drawn as 👨👩👧, 6 cells,
    which is what the terminals draw anyway); variation selectors and skin-tone modifiers are
    dropped (❤️ is drawn as ❤, 👍🏽 as 👍, 1️⃣ as 1⃣); the Hangul fillers become spaces of their
    drawn width. Flags (pairs of regional indicators) and tag sequences are measured alike
    already and stay. For display only: the stored and sent text keep every character.

    Args:
        value: Text that went through :func:`clean_text` (or :func:`clean_line`).

    Returns:
        The text to measure and draw; the same object when nothing needed changing.
    """
    if value.isascii() or _JOINERS.search(value) is None:
        return value
    return _JOINERS.sub(_unjoin, value)
