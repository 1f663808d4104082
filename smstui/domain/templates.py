"""Reply templates: plain-text files with blanks filled in for the contact (Ctrl+T in the composer).

One template per file in the ``templates`` directory beside the config file
(``~/.config/smstui/templates/pickup.txt``): the file name without ``.txt`` is the template's
name, the file's text (UTF-8, the trailing line break dropped) its body. In the body:

- ``{first_name}``, ``{name}``, ``{number}``, ``{our_number}`` are the contact's first name,
  full name, number and the number the reply goes out from;
- any other ``{word}`` is a blank of your own (``{order_no}``), and ``{word|text}`` gives a
  default (``{pickup_day|Monday}``, ``{first_name|there}``);
- ``{{`` and ``}}`` are literal braces; a brace that starts no variable stays as it is.

A variable with no value and no default stays in the text as ``{word}``: the composer refuses to
send while it is there and names it (:func:`unresolved_in`), so a half-filled template never
goes out by accident.

Pure: no Textual.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BUILTIN_VARIABLES",
    "TEMPLATE_SUFFIX",
    "Expansion",
    "Template",
    "contact_values",
    "expand",
    "fuzzy_filter",
    "load_templates",
    "unresolved_in",
    "variables_of",
]

TEMPLATE_SUFFIX = ".txt"
MAX_TEMPLATE_BYTES = 16_384
"""Larger files are not templates (an SMS is at most a few hundred characters)."""
BUILTIN_VARIABLES = ("first_name", "name", "number", "our_number")

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)(?:\|([^{}]*))?\}")
_BLANK = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True, slots=True)
class Template:
    """One template file."""

    name: str
    body: str
    path: Path | None = None

    @property
    def variables(self) -> tuple[str, ...]:
        """Its variables, in order of first use."""
        return variables_of(self.body)


@dataclass(frozen=True, slots=True)
class Expansion:
    """A template filled in."""

    text: str
    """The text to insert; a blank with no value stays as ``{word}``."""
    unresolved: tuple[str, ...]
    """The variables that had no value and no default, in order of first use."""


def variables_of(body: str) -> tuple[str, ...]:
    """The variable names a template body uses, in order of first use, each once."""
    seen: dict[str, None] = {}
    for match in _TOKEN.finditer(body):
        if match.group(1):
            seen.setdefault(match.group(1))
    return tuple(seen)


def expand(body: str, values: Mapping[str, str]) -> Expansion:
    """Fill in a template body.

    Args:
        body: The template's text.
        values: Variable values; a missing or blank value falls back to the default.

    Returns:
        The text and the variables left unfilled.
    """
    unresolved: dict[str, None] = {}

    def fill(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name, default = match.group(1), match.group(2)
        value = values.get(name, "").strip()
        if value:
            return value
        if default is not None and default.strip():
            return default
        unresolved.setdefault(name)
        return f"{{{name}}}"

    return Expansion(_TOKEN.sub(fill, body), tuple(unresolved))


def unresolved_in(text: str, names: Iterable[str]) -> list[str]:
    """The template blanks still in a draft: ``{word}`` for each ``word`` in ``names``.

    Only names of template variables count, so a brace someone types on purpose ("{x}") does
    not block a send.

    Args:
        text: The draft.
        names: The variables of the templates (and the built-in ones).
    """
    if "{" not in text:
        return []
    known = set(names)
    found: dict[str, None] = {}
    for match in _BLANK.finditer(text):
        if match.group(1) in known:
            found.setdefault(match.group(1))
    return list(found)


def contact_values(*, name: str, number: str, our_number: str) -> dict[str, str]:
    """The built-in variables for one conversation.

    Args:
        name: The contact's name ("" when unknown: ``{name}`` and ``{first_name}`` stay blank).
        number: Their number, formatted for display.
        our_number: The number the reply goes out from, formatted ("" when unknown).
    """
    name = " ".join(name.split())
    return {
        "name": name,
        "first_name": name.split(" ", 1)[0] if name else "",
        "number": number,
        "our_number": our_number,
    }


def load_templates(directory: Path) -> tuple[list[Template], list[str]]:
    """Read every ``*.txt`` file of a directory as a template, sorted by name.

    Never raises: a missing directory gives no templates; a file that cannot be read (not
    UTF-8, too large, unreadable) is skipped and named in the problems.

    Args:
        directory: The templates directory.

    Returns:
        The templates and the problems, ready to show.
    """
    templates: list[Template] = []
    problems: list[str] = []
    try:
        paths = sorted(p for p in directory.iterdir() if p.name.endswith(TEMPLATE_SUFFIX))
    except OSError:
        return [], []
    for path in paths:
        try:
            if not path.is_file():
                continue
            if path.stat().st_size > MAX_TEMPLATE_BYTES:
                problems.append(f"{path.name}: larger than {MAX_TEMPLATE_BYTES} bytes")
                continue
            body = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or type(error).__name__
            problems.append(f"{path.name}: {reason}")
            continue
        body = body.replace("\r\n", "\n").removesuffix("\n")
        name = path.name[: -len(TEMPLATE_SUFFIX)]
        if name and body.strip():
            templates.append(Template(name=name, body=body, path=path))
    return templates, problems


def _fold(text: str) -> str:
    """Lower-case without accents, for matching ("Zółw" → "zolw"), one character per character."""
    out = []
    for char in text.lower():
        base = unicodedata.normalize("NFD", char)[0]
        out.append("l" if char == "ł" else base)
    return "".join(out)


def _score(query: str, haystack: str) -> int | None:
    """How well ``query`` matches: substring (best, earlier is better), else in-order letters."""
    at = haystack.find(query)
    if at >= 0:
        return 1000 - min(at, 500)
    position, gaps = 0, 0
    for char in query:
        found = haystack.find(char, position)
        if found < 0:
            return None
        gaps += found - position
        position = found + 1
    return max(1, 400 - gaps)


def fuzzy_filter(query: str, templates: Sequence[Template]) -> list[Template]:
    """The templates that match a query, best first; all of them, in order, for no query.

    Each word of the query must match the name or the body, as a substring or as letters in
    order; a match in the name counts more than one in the body. Case and accents are ignored.

    Args:
        query: What the user typed.
        templates: The templates, in their usual order.
    """
    words = _fold(query).split()
    if not words:
        return list(templates)
    scored: list[tuple[int, int, Template]] = []
    for index, template in enumerate(templates):
        name, body = _fold(template.name), _fold(template.body)
        total = 0
        for word in words:
            in_name, in_body = _score(word, name), _score(word, body)
            if in_name is None and in_body is None:
                break
            total += max(2 * (in_name or 0), in_body or 0)
        else:
            scored.append((-total, index, template))
    scored.sort(key=lambda entry: (entry[0], entry[1]))
    return [template for _, _, template in scored]
