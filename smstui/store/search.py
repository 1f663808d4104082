"""Search: conversations by name or number, messages by words, newest first.

How message search stays fast at a million messages
---------------------------------------------------
The index is a contentless FTS5 table with the trigram tokenizer over folded text, so any
substring of three characters or more (words, parts of words, digit runs) is an index lookup.
The hard part is *ordering*: a common trigram ("the", "000") matches 100k rows, and sorting
those by time to keep the newest 50 costs far more than 10 ms.

FTS5 can return matches in rowid order, descending included, and stops early under ``LIMIT``.
So the store gives each message a rowid that *is* its time: ``timestamp * 64 + n`` (``n``
numbers messages within a second; :func:`smstui.store.schema.time_id_range`; a burst of more
than 64 in one second takes the next free ids). The small multiplier keeps doclist deltas
at one or two bytes. "Newest 50
matches" is then a walk down the index that stops after 50 rows, whatever the match count.
Rowids in insertion order would not do: sync backfills old history after new messages.

Trade-offs: a message whose timestamp changes (a richer copy with a corrected time) must move
to a new rowid (delete + insert, done by the store); within one second, matches come in
insertion order rather than by key; and a query whose terms are all common but rarely occur
together still walks far: every match of each term is visited (bounded by the index's doclists,
not by Python work).

Measured on a synthetic store of 1,000,000 messages (99 MB of text, 840 MB file), CPU time per
search: single words, accent-folded words and digit substrings p50 ≈ 4 ms, p95 ≈ 5.5 ms (50 hits,
snippets included); "newest 50" of a trigram matching 738,000 rows 0.5 ms in the index, where
ordering the matches by a timestamp column took 175 ms. Two common words that rarely occur
together: p95 ≈ 13 ms.

Queries shorter than three characters cannot use trigrams: they search conversations only
(a scan of at most a few thousand rows) and the result says message texts were not searched.
A short word next to a longer one ("jo kowal") is checked in Python on the longer word's
matches, with a budget so a rare combination cannot scan the whole history.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from smstui.inbox import ConversationSummary
from smstui.store.folding import fold, index_text, safe_text, snippet, term_pattern
from smstui.store.rows import MESSAGE_COLUMNS, SUMMARY_COLUMNS, message_from_row, summary_from_row
from smstui.store.schema import digits_of

__all__ = ["MessageHit", "Query", "SearchResults", "parse_query", "run_search"]

CONVERSATION_LIMIT = 20
"""Conversation hits returned at most (they come before message hits)."""
MIN_TRIGRAM = 3
"""Shortest term the trigram index can look up."""
SHORT_TERM_BUDGET = 5000
"""Candidate messages checked in Python at most when a query also has short words."""

# The same test as the conversation list filter: only digits and number punctuation.
_NUMBER_QUERY = re.compile(r"[\d\s+\-.()/]+")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class MessageHit:
    """One message matching a search, with an excerpt to show and where to highlight it."""

    conversation_key: str
    message_key: str
    number: str
    """The counterparty as the API spells it."""
    name: str
    """Contact name, or ""."""
    timestamp: int
    outbound: bool
    snippet: str
    """About 70 characters of the original text around the first match, one line, with ``…``
    where it was cut."""
    spans: tuple[tuple[int, int], ...]
    """``(start, end)`` character ranges of the matches inside :attr:`snippet`."""


@dataclass(frozen=True, slots=True)
class SearchResults:
    """What a search found: conversations first, then messages, each newest first."""

    conversations: tuple[ConversationSummary, ...] = ()
    messages: tuple[MessageHit, ...] = ()
    searched_messages: bool = True
    """False when the query was too short for the text index, so only names and numbers
    were searched."""


@dataclass(frozen=True, slots=True)
class Query:
    """A search query, folded and split the way the index needs it."""

    terms: tuple[str, ...]
    """Folded words; a message must contain every one (in any order)."""
    digits: str
    """For a number-like query ("+48 500-004"), its digits; otherwise ""."""
    phrase: str
    """The whole folded query with single spaces."""

    @property
    def long_terms(self) -> tuple[str, ...]:
        """Terms the trigram index can look up."""
        return tuple(term for term in self.terms if len(term) >= MIN_TRIGRAM)

    @property
    def short_terms(self) -> tuple[str, ...]:
        """Terms too short for the index, checked on its candidates instead."""
        return tuple(term for term in self.terms if len(term) < MIN_TRIGRAM)

    def fts_expression(self) -> str | None:
        """Return the FTS5 MATCH expression, or None when nothing can use the index.

        Every term is an FTS5 string (double quotes, inner quotes doubled), so ``AND``,
        ``NEAR``, ``*``, ``(`` or ``"`` in a query are text to find, never syntax.
        """
        if self.digits:
            options = {self.digits, self.phrase}
            usable = sorted(option for option in options if len(option) >= MIN_TRIGRAM)
            return " OR ".join(_quote(option) for option in usable) or None
        if not self.long_terms:
            return None
        return " AND ".join(_quote(term) for term in self.long_terms)

    def highlight_patterns(self) -> tuple[str, ...]:
        """Return the patterns that locate this query's matches in folded text."""
        if self.digits:
            return (term_pattern(self.digits, digits=True), term_pattern(self.phrase))
        return tuple(term_pattern(term) for term in self.terms)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def parse_query(query: str) -> Query:
    """Fold and split what the user typed.

    Args:
        query: Raw search text (any characters).

    Returns:
        The parsed query; ``terms`` is empty for a blank query.
    """
    # Control characters become spaces: nobody searches for them, and FTS5 reads a NUL as the
    # end of the query string ("unterminated string").
    text = " ".join(_CONTROLS.sub(" ", safe_text(query)).split())
    folded = fold(text)
    digits = ""
    if _NUMBER_QUERY.fullmatch(text) and any(char.isdigit() for char in text):
        digits = digits_of(text)
    return Query(terms=tuple(folded.split()), digits=digits, phrase=folded)


def search_conversations(connection: sqlite3.Connection, query: Query) -> list[ConversationSummary]:
    """Find conversations by contact name or number (folded, substring), newest first.

    A plain scan of one precomputed column, ``haystack`` (folded contact name and number, kept
    by the store): no join or concatenation per row, and ``+c.timestamp`` keeps SQLite from
    walking the rows in time order through an index (a lookup per row); only the matches are
    sorted. About 1–3 ms for 5,000 conversations, where the joined, index-ordered scan took 10.
    """
    if not query.terms:
        return []
    if query.digits:
        where = "(instr(c.digits, ?) > 0 OR instr(c.haystack, ?) > 0)"
        params: list[object] = [query.digits, query.phrase]
    else:
        where = " AND ".join("instr(c.haystack, ?) > 0" for _ in query.terms)
        params = list(query.terms)
    rows = connection.execute(
        f"SELECT {SUMMARY_COLUMNS} FROM conversations c LEFT JOIN contacts k ON k.key = c.key "
        f"WHERE {where} ORDER BY +c.timestamp DESC, c.key LIMIT ?",
        (*params, CONVERSATION_LIMIT),
    ).fetchall()
    return [summary_from_row(row) for row in rows]


def _message_rows(
    connection: sqlite3.Connection, expression: str, limit: int | None
) -> sqlite3.Cursor:
    """Newest matching message rows first: the index walk described in the module docstring."""
    columns = ", ".join(f"m.{column.strip()}" for column in MESSAGE_COLUMNS.split(","))
    inner = "SELECT rowid FROM message_fts WHERE message_fts MATCH ? ORDER BY rowid DESC"
    params: tuple[object, ...] = (expression,)
    if limit is not None:
        inner += " LIMIT ?"
        params = (expression, limit)
    return connection.execute(
        f"SELECT {columns}, coalesce(c.number, ''), coalesce(k.name, '') "
        f"FROM ({inner}) f JOIN messages m ON m.id = f.rowid "
        "LEFT JOIN conversations c ON c.key = m.conversation_key "
        "LEFT JOIN contacts k ON k.key = m.conversation_key "
        "ORDER BY m.id DESC",
        params,
    )


def search_messages(connection: sqlite3.Connection, query: Query, limit: int) -> list[MessageHit]:
    """Find messages containing every term, newest first (see the module docstring)."""
    expression = query.fts_expression()
    if expression is None or limit <= 0:
        return []
    short = query.short_terms if not query.digits else ()
    patterns = query.highlight_patterns()
    hits: list[MessageHit] = []
    cursor = _message_rows(connection, expression, None if short else limit)
    checked = 0
    while len(hits) < limit and checked < SHORT_TERM_BUDGET:
        batch = cursor.fetchmany(max(limit, 64))
        if not batch:
            break
        for row in batch:
            checked += 1
            stored = message_from_row(row[:-2])
            text = stored.message.text
            if short and not all(term in index_text(text) for term in short):
                continue
            excerpt, spans = snippet(text, patterns)
            hits.append(
                MessageHit(
                    conversation_key=stored.conversation_key,
                    message_key=stored.message.key,
                    number=row[-2],
                    name=row[-1],
                    timestamp=stored.message.timestamp,
                    outbound=stored.message.outbound,
                    snippet=excerpt,
                    spans=spans,
                )
            )
            if len(hits) >= limit:
                break
    cursor.close()
    return hits


def run_search(connection: sqlite3.Connection, query: str, limit: int) -> SearchResults:
    """Search conversations and messages.

    Args:
        connection: The store's connection (the caller holds its lock).
        query: What the user typed.
        limit: Most message hits to return.

    Returns:
        Conversation hits (at most :data:`CONVERSATION_LIMIT`) and message hits.
    """
    parsed = parse_query(query)
    if not parsed.terms:
        return SearchResults(searched_messages=False)
    conversations = search_conversations(connection, parsed)
    searched = parsed.fts_expression() is not None
    messages = search_messages(connection, parsed, limit) if searched else []
    return SearchResults(
        conversations=tuple(conversations), messages=tuple(messages), searched_messages=searched
    )
