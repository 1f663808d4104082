"""Hostile text that must come through every layer inert: shared by unit and UI tests.

Each entry is something a counterparty (or a compromised gateway) could put in a message body,
a sender name, a contact name, a file name or a URL.
"""

from __future__ import annotations

HOSTILE_CORPUS: tuple[str, ...] = (
    # Textual markup: must be shown literally, never parsed.
    "price is 5 [/usd]",
    "[/x]",
    "[@click=app.quit]q[/]",
    "[$accent]accent[/]",
    "[BOLD]loud[/BOLD]",
    "[link='https://evil.example']click me[/link]",
    "\\[escaped] and [b]bold[/b]",
    # Terminal escape sequences.
    "\x1b[31mred\x1b[0m text",
    "before\x1b[2Jafter",
    "\x1b[?1049h\x1b[Halternate screen",
    "\x1b]8;;https://evil.example\x1b\\innocent link\x1b]8;;\x1b\\",
    "\x1b]8;;https://evil.example\x07bel link\x1b]8;;\x07",
    "\x1b]52;c;SGVsbG8gY2xpcGJvYXJk\x07clipboard write",
    "\x1b]52;c;SGVsbG8=\x1b\\clipboard write with ST",
    "\x1b]0;new window title\x07",
    "\x1bPq#0;2;0;0;0#1!7~\x1b\\sixel dcs",
    "\x1b_Gf=100;AAAA\x1b\\kitty graphics apc",
    "\x1bcfull reset",
    "\x1b[6ndevice status report",
    "\x9b31m8-bit CSI",
    "\x9d52;c;AAAA\x9c8-bit OSC",
    "\x90qdata\x9c8-bit DCS",
    "unterminated OSC \x1b]52;c;AAAA",
    "trailing escape \x1b",
    "\x1b\x1b[31mdouble escape",
    # Bidi tricks.
    "invoice\u202egpj.exe",
    "\u202dforced LTR\u202c \u202bembedding\u202c",
    "\u2066isolate\u2069 \u2067rtl\u2069 \u2068first strong\u2069",
    "mark\u200e\u200fs",
    # C0, DEL, C1 and NUL.
    "nul\x00byte",
    "bell\x07 backspace\x08 vt\x0b ff\x0c",
    "crlf\r\nline\rreturn\ttab",
    "del\x7f and c1\x85\x8d\x96",
    # Unicode that must survive.
    "family 👨\u200d👩\u200d👧 joined",
    "flags 🇵🇱🇧🇪🇳🇱",
    "wide 漢字 かな 한국어",
    "combining e\u0301 a\u0308 n\u0303",
    "zwnj \u200c and variation \u2764\ufe0f",
    "Zażółć gęślą jaźń",
    "مرحبا بالعالم",
    # Size.
    "x" * 3000,
    "https://example.com/" + "a" * 2990,
    # Lone surrogates (representable in a Python str, not in UTF-8).
    "lone \ud800 high and \udfff low",
)

JOINED_EMOJI: tuple[str, ...] = (
    # Clusters Rich measures as one glyph while terminals draw every code point in its own cells.
    "family 👨\u200d👩\u200d👧\u200d👦 of four",
    "👨\u200d👩\u200d👧" * 12,
    "coder 👩🏽\u200d💻 rainbow 🏳\ufe0f\u200d🌈 eye 👁\ufe0f\u200d🗨\ufe0f",
    "thumbs 👍🏽👍🏿👍🏻 " * 4,
    "🏽🏽🏽🏽🏽🏽🏽🏽🏽🏽 lone skin tones",
    "keycaps 1\ufe0f\u20e3 2\ufe0f\u20e3 #\ufe0f\u20e3 *\ufe0f\u20e3",
    "hearts \u2764\ufe0f\u2764\ufe0f\u2764\ufe0f \u2714\ufe0f \u2600\ufe0f",
    "flags 🇵🇱🇧🇪🇳🇱 odd 🇵",
    "watch \u231a\ufe0e text style",
    "fillers \u3164\u3164\u3164 \uffa0\uffa0 blank names",
    "indic \u0915\u094d\u200d\u0937 joiner",
    "🧑\u200d🤝\u200d🧑" + "x" * 40,
)
"""Joined emoji and their relatives (skin tones, keycaps, VS16, flags, Hangul fillers)."""

_DRAWN_WIDER = {"\u3164": 2, "\uffa0": 1} | {chr(code): 2 for code in range(0x1F3FB, 0x1F400)}
"""Code points Rich counts as 0 cells that xterm and friends draw (East Asian width W or H)."""


def terminal_cells(text: str) -> int:
    """Cells a terminal that draws each code point on its own (xterm, urxvt …) gives ``text``.

    A ZWJ sequence counts per member, a variation selector adds nothing to its base, a skin-tone
    modifier is its own 2-cell swatch: what the issue saw in xterm, kitty, alacritty, foot, urxvt.
    """
    from rich.cells import get_character_cell_size

    return sum(_DRAWN_WIDER.get(char) or get_character_cell_size(char) for char in text)
