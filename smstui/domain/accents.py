"""Removing accents so a message fits GSM-7: ą→a, ł→l, ž→z … (the composer's one key).

Polish, Czech and Slovak users often drop diacritics by hand: one accented letter outside the
GSM 03.38 alphabet turns the whole message into UCS-2 (70 characters per part instead of 160).
:func:`remove_accents` does it in one go, and :func:`accent_saving` says whether it is worth
offering: only when the result is GSM-7 or needs fewer parts. The composer shows the saving
first and applies it only on its key, never by itself.

Letters that are in the GSM alphabet already (é è ù ì ò à Ç Ø ø Å å Ä Ö Ñ Ü ß ä ö ñ ü É Æ æ)
are kept: they cost nothing, and "Müller" must not become "Muller" for no saving. Anything that
is not a Latin letter with an accent (emoji, Cyrillic, curly quotes) is left alone too.

Pure: no Textual.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from smstui.domain.segments import GSM_BASIC, GSM_EXTENSION, SegmentInfo, analyse

__all__ = ["AccentSaving", "accent_saving", "remove_accents"]

_EXPLICIT = {
    # Letters with no Unicode decomposition to a plain base letter.
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ħ": "h",
    "Ħ": "H",
    "ŀ": "l",
    "Ŀ": "L",
    "ı": "i",
    "ŧ": "t",
    "Ŧ": "T",
}


@lru_cache(maxsize=1024)
def _plain(char: str) -> str:
    """The character without its accent, or the character itself when it has none to drop."""
    if char in GSM_BASIC or char in GSM_EXTENSION or char.isascii():
        return char
    if char in _EXPLICIT:
        return _EXPLICIT[char]
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0]
    if (
        len(decomposed) > 1
        and base.isascii()
        and base.isalpha()
        and all(unicodedata.category(mark) == "Mn" for mark in decomposed[1:])
    ):
        return base
    return char


def remove_accents(text: str) -> str:
    """Replace accented Latin letters outside GSM-7 by their plain letters.

    ``Zażółć gęślą jaźń`` → ``Zazolc gesla jazn``; ``Příliš žluťoučký kůň`` → ``Prilis zlutoucky
    kun``; ``Müller, café`` stays as it is (GSM-7 letters). Letters typed as a base letter
    plus a combining accent are composed first, so ``e`` + U+0301 becomes the GSM-7 ``é``.
    Each character maps to one character, so positions in the text stay where they were.

    Args:
        text: The draft.

    Returns:
        The draft with those accents removed.
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    return "".join(_plain(char) for char in text)


@dataclass(frozen=True, slots=True)
class AccentSaving:
    """What removing accents would save, for the meter's hint."""

    before: SegmentInfo
    after: SegmentInfo
    text: str
    """The draft with accents removed."""

    def describe(self) -> str:
        """``UCS-2 · 2 parts → GSM-7 · 1 part``."""
        return f"{_summary(self.before)} → {_summary(self.after)}"


def _summary(info: SegmentInfo) -> str:
    return f"{info.encoding} · {info.parts} {'part' if info.parts == 1 else 'parts'}"


def accent_saving(text: str, max_parts: int) -> AccentSaving | None:
    """Say what removing accents would save, or None when it would save nothing.

    It is worth it when the text turns GSM-7 (more characters fit in each part) or needs
    fewer parts.

    Args:
        text: The draft.
        max_parts: The ``max_parts`` setting (for the analysis).
    """
    if text.isascii():
        return None
    before = analyse(text, max_parts)
    if before.encoding == "GSM-7":
        return None
    plain = remove_accents(text)
    if plain == text:
        return None
    after = analyse(plain, max_parts)
    if after.encoding == before.encoding and after.parts >= before.parts:
        return None
    return AccentSaving(before=before, after=after, text=plain)
