"""Finding web links in message text, so ``o`` can offer them beside the attachments.

Only ``http://`` and ``https://`` links are found: text without a scheme (``example.com``,
``www.example.com``) is not a link, and neither is ``javascript:`` or ``file:``. A link ends at
whitespace, at a control or invisible formatting character (bidi, zero-width), at a control
picture or replacement character left by :mod:`smstui.domain.sanitize`, and at ``<``, ``>``, ``"``
or
a backtick. Punctuation that ends the sentence rather than the link (``.`` ``,`` ``!`` ``?``
closing quotes, an unmatched ``)``) is left out. Each link is then checked by
:func:`smstui.domain.urls.validate_url`; one that fails is still returned, with the reason, so the
user sees why it is not offered. Pure: no Textual, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from smstui.domain.urls import validate_url

__all__ = ["MAX_LINKS", "FoundLink", "find_links", "has_links"]

MAX_LINKS = 20
"""At most this many distinct links are offered for one message."""

_START = re.compile(r"(?<![\w.+-])https?://", re.IGNORECASE)
_STOPS = frozenset('<>"`')
_TRAILING = frozenset(".,;:!?'\"…‚„“”‘’«»。、，！？；：")
_CLOSING = {")": "(", "]": "[", "}": "{"}
_SHOWN_LENGTH = 200
"""A link too long to use is shown cut to this many characters."""


@dataclass(frozen=True, slots=True)
class FoundLink:
    """One link found in a message's text."""

    url: str
    """The link as written (trailing punctuation removed)."""
    problem: str = ""
    """Why it cannot be opened or copied ("" when it passed validation)."""


def _ends_link(char: str) -> bool:
    if char in _STOPS or char.isspace():
        return True
    if "\u2400" <= char <= "\u243f" or char == "\ufffd":  # control pictures, replacement char
        return True
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs")


def _trim(candidate: str) -> str:
    """Drop punctuation that belongs to the sentence, not the link (in linear time)."""
    opened = {closing: candidate.count(opening) for closing, opening in _CLOSING.items()}
    closed = {closing: candidate.count(closing) for closing in _CLOSING}
    end = len(candidate)
    while end:
        last = candidate[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last in _CLOSING and closed[last] > opened[last]:
            closed[last] -= 1
            end -= 1
        else:
            break
    return candidate[:end]


@lru_cache(maxsize=512)
def find_links(text: str) -> tuple[FoundLink, ...]:
    """Every distinct http(s) link in ``text``, in the order written.

    Args:
        text: A message's text (untrusted).

    Returns:
        Up to :data:`MAX_LINKS` links; a link that fails validation carries its ``problem``.
    """
    found: dict[str, FoundLink] = {}
    position = 0
    while len(found) < MAX_LINKS:
        match = _START.search(text, position)
        if match is None:
            break
        end = match.end()
        while end < len(text) and not _ends_link(text[end]):
            end += 1
        position = end
        url = _trim(text[match.start() : end])
        if len(url) == match.end() - match.start() or url in found:  # a scheme alone: no link
            continue
        try:
            validate_url(url)
        except ValueError as error:
            shown = url if len(url) <= _SHOWN_LENGTH else url[:_SHOWN_LENGTH] + "…"
            found[url] = FoundLink(shown, str(error))
        else:
            found[url] = FoundLink(url)
    return tuple(found.values())


def has_links(text: str) -> bool:
    """Whether ``text`` has a link to offer (a usable one, or one whose problem to show)."""
    return bool(find_links(text))
