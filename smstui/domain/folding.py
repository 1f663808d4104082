"""The one accent fold: lower-cased, accents stripped ("Żółw" → "zolw"), for every match.

The conversation list's filter, the palette, the commands' name lookup, team words, the opt-out
words and the message store's search index (SQLite and PostgreSQL) all fold with :func:`fold`,
so "zolw" finds "żółw" wherever the user types it. The PostgreSQL store does no folding in SQL:
it stores this fold of each message in ``messages.body`` (:func:`smstui.store.folding.index_text`)
and matches with ``strpos``.

Changing what :func:`fold` returns changes the stored index copies: it needs a store migration
that rebuilds them (see :mod:`smstui.store.folding`).

Not a fold: :func:`smstui.domain.accents.remove_accents` fits a draft into GSM-7, keeping case and
the accented letters GSM-7 has; it is a different rule on purpose.

Pure: no Textual.
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold", "fold_char"]

_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ı": "i"})
"""Letters with no Unicode decomposition to their plain letter."""


def fold_char(char: str) -> str:
    """The definition of the fold, for one character (it may give 0, 1 or more characters).

    NFKD decomposes each character on its own, the combining marks it leaves are dropped, and
    casefold has no context: so folding text character by character gives the same result as
    folding it whole, which :func:`fold` relies on.
    """
    decomposed = unicodedata.normalize("NFKD", char.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _FoldTable(dict[int, str]):
    """``str.translate`` table of :func:`fold_char`, filled as characters are met.

    Indexing a million messages through a per-text generator cost half of the insert time.
    """

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        if len(self) < _CACHE_LIMIT:
            self[code] = folded
        return folded


_CACHE_LIMIT = 100_000
_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Return text lower-cased and stripped of accents, for matching ("Wójcik" → "wojcik").

    Args:
        text: Any text.

    Returns:
        The folded text.
    """
    if text.isascii():
        return text.lower()  # casefold and lower agree on ASCII
    return text.translate(_TABLE)
