"""Text folding for the search index, and snippets with highlight spans in the original text.

SQLite 3.40's trigram tokenizer has no ``remove_diacritics`` option (3.45+), so the index holds
a folded copy of every text (:func:`smstui.domain.folding.fold`, the app's one fold:
lower-cased, accents stripped, ``ł`` → ``l``) and queries are folded the same way. What the
user sees is the original text, so matches found in the folded copy are mapped back to
character positions of the original.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smstui.domain.folding import fold

__all__ = ["SNIPPET_WIDTH", "index_text", "safe_text", "snippet", "term_pattern"]

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_REPLACEMENT = "\ufffd"
_ELLIPSIS = "…"

SNIPPET_WIDTH = 72
"""Characters of original text shown around a match (ellipses not counted)."""
_LEAD = 24
"""How much text a snippet keeps before the first match, so the match is seen in context."""

# Separators a number may be written with in a message ("+48 500-004 499"): a digit query
# matches across them when highlighting.
_NUMBER_GAP = r"[\s+\-.()/]*"
_WRITTEN_NUMBER = re.compile(r"\d(?:[ \-.()/]*\d){3,}")
"""Four or more digits, maybe with separators: what people write phone numbers as."""


_FOLD_CACHE_LIMIT = 100_000
_ONE_TO_ONE: set[str] = set()
"""Non-ASCII characters known to fold to exactly one character."""
_ONE_LINE = str.maketrans(dict.fromkeys("\r\n\t\v\f", " "))


def safe_text(text: str) -> str:
    """Return ``text`` with lone surrogates replaced by U+FFFD, so it encodes as UTF-8.

    sqlite3 raises ``UnicodeEncodeError`` on a lone surrogate; models built from the network
    have none (``clean_text`` replaced them) but a model built elsewhere might.

    Args:
        text: Any Python string.

    Returns:
        The same object when it was already safe, else a cleaned copy.
    """
    if text.isascii() or _LONE_SURROGATE.search(text) is None:
        return text
    return _LONE_SURROGATE.sub(_REPLACEMENT, text)


def index_text(text: str) -> str:
    """Return the folded copy of a message text that goes into the full-text index.

    Numbers written with separators ("+48 500-004-499") are added once more as bare digits,
    so a digit query ("500004499", or any part of it) finds them too. NUL becomes a space:
    the tokenizer stops reading at a NUL.

    Changing what this returns needs a migration that rebuilds the index: the contentless
    index can only delete a row when given exactly the text that was inserted.

    Args:
        text: The original message text (lone surrogates allowed).

    Returns:
        Folded, UTF-8-safe text; the same input always gives the same output.
    """
    folded = fold(safe_text(text).replace("\x00", " "))
    numbers = [
        bare for found in _WRITTEN_NUMBER.findall(folded) if (bare := _digits(found)) != found
    ]
    if not numbers:
        return folded
    return folded + "\n" + " ".join(numbers)


def _digits(text: str) -> str:
    return "".join(char for char in text if "0" <= char <= "9")


def _folds_one_to_one(text: str) -> bool:
    """Tell whether every character of ``text`` folds to exactly one character."""
    for char in set(_NON_ASCII.findall(text)) - _ONE_TO_ONE:
        if len(fold(char)) != 1:
            return False
        if len(_ONE_TO_ONE) < _FOLD_CACHE_LIMIT:
            _ONE_TO_ONE.add(char)
    return True


def _fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Fold ``text``, remembering where each folded character came from.

    Returns:
        The folded text and, for each of its characters, the index of the original character
        it came from; None instead of the list when that is the identity (every character
        folds to exactly one), which is the common case and spares a Python loop per hit.
    """
    folded = fold(text)
    if len(folded) == len(text) and _folds_one_to_one(text):
        return folded, None
    pieces: list[str] = []
    offsets: list[int] = []
    for position, char in enumerate(text):
        piece = fold(char)
        pieces.append(piece)
        offsets.extend([position] * len(piece))
    return "".join(pieces), offsets


def term_pattern(term: str, *, digits: bool = False) -> str:
    """Return a regular expression finding a folded term in folded text.

    Args:
        term: The folded query term.
        digits: The term is a run of digits from a number-like query; it then also matches
            when the text writes the number with separators.

    Returns:
        A pattern for :func:`re.finditer`.
    """
    if digits:
        return _NUMBER_GAP.join(re.escape(char) for char in term)
    return re.escape(term)


def snippet(text: str, patterns: Sequence[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Cut a one-line excerpt of ``text`` around its first match and locate every match in it.

    Args:
        text: The original message text (with accents, as the user wrote it).
        patterns: Patterns from :func:`term_pattern`, matched against the folded text.

    Returns:
        The excerpt (newlines and tabs shown as spaces; ``…`` where it was cut) and the
        ``(start, end)`` character spans of the matches inside the excerpt, sorted and merged.
    """
    original = safe_text(text)
    folded, offsets = _fold_with_offsets(original)
    spans: list[tuple[int, int]] = []
    for pattern in patterns:
        for found in re.finditer(pattern, folded):
            if found.end() > found.start():
                if offsets is None:
                    spans.append(found.span())
                else:
                    spans.append((offsets[found.start()], offsets[found.end() - 1] + 1))
    spans.sort()
    first = spans[0][0] if spans else 0
    start = max(0, min(first - _LEAD, len(original) - SNIPPET_WIDTH))
    end = min(len(original), start + SNIPPET_WIDTH)
    # One line, same length: spans computed on the original stay valid.
    excerpt = original[start:end].translate(_ONE_LINE)
    shift = -start
    if start > 0:
        excerpt = _ELLIPSIS + excerpt
        shift += len(_ELLIPSIS)
    if end < len(original):
        excerpt += _ELLIPSIS
    visible: list[tuple[int, int]] = []
    for span_start, span_end in spans:
        clipped = (max(span_start, start) + shift, min(span_end, end) + shift)
        if clipped[0] >= clipped[1]:
            continue
        if visible and clipped[0] <= visible[-1][1]:
            visible[-1] = (visible[-1][0], max(visible[-1][1], clipped[1]))
        else:
            visible.append(clipped)
    return excerpt, tuple(visible)
