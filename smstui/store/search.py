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
insertion order rather than by key.

A time budget for the message part
----------------------------------
A query whose terms are all common but never occur together ("komt dziekuje") has no early
stop: FTS5 walks both doclists to the end looking for a row with both (40–50 ms of CPU at a
million messages). Search runs on every keystroke, so the message query gets a budget of
:data:`MESSAGE_BUDGET_S` of wall time: a SQLite progress handler interrupts it once the budget
is spent, the hits found so far are returned, and :attr:`SearchResults.truncated` says more
may match (the search screen then asks for more letters, which usually makes the walk short).
A budget was chosen over "search the newest N messages first": that would cut *every* query to
recent history, including the rare words whose few hits are years old and cost almost nothing
to find; the budget only cuts what is actually slow. The price is that on a heavily loaded
machine a query that would have finished in 40 ms of wall time is cut at 30 ms; its hits up to
then are still shown, newest first, and typing one more letter runs it again. Other rules that
stop early (the short-word budget below) set the same flag.

Measured with ``benchmarks/bench_store.py`` on 1,000,000 synthetic messages in 5,000
conversations (99 MB of text, 765 MB file, 3,000 contacts), one ``MessageStore.search`` (50
hits, conversation search and snippets included), CPU p50 / p95: single common or rare words,
accent-folded words and digit substrings 4.7–6.5 / 6.5–7.8 ms; two words of one message
6.8 / 13 ms; two common words that never meet 12 / 37 ms (the budget stops them). "Newest 50"
of a trigram matching 738,000 rows costs 0.5 ms in the index, where ordering the matches by a
timestamp column took 175 ms.

Queries shorter than three characters cannot use trigrams: they search conversations only
(a scan of at most a few thousand rows) and the result says message texts were not searched.
A short word next to a longer one ("jo kowal") is checked in Python on the longer word's
matches, with a budget so a rare combination cannot scan the whole history.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smstui.domain.conversations import ConversationSummary
from smstui.domain.folding import fold
from smstui.store.folding import index_text, safe_text, snippet, term_pattern
from smstui.store.rows import MESSAGE_COLUMNS, SUMMARY_COLUMNS, message_from_row, summary_from_row
from smstui.store.schema import digits_of

if TYPE_CHECKING:
    from smstui.store.small_state import Connection

__all__ = [
    "MessageHit",
    "Query",
    "SearchResults",
    "message_hit",
    "parse_query",
    "run_search",
    "search_conversations",
]

CONVERSATION_LIMIT = 20
"""Conversation hits returned at most (they come before message hits)."""
MIN_TRIGRAM = 3
"""Shortest term the trigram index can look up."""
SHORT_TERM_BUDGET = 5000
"""Candidate messages checked in Python at most when a query also has short words."""
MESSAGE_BUDGET_S = 0.030
"""Wall time the message part of one search may take before it stops with what it found."""
_PROGRESS_STEPS = 1000
"""SQLite virtual-machine steps between two looks at the clock (a few µs each)."""

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
    truncated: bool = False
    """True when the message search stopped early (time or candidate budget): more messages
    may match than :attr:`messages` holds."""


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


def now() -> float:
    """The clock the message-search budget is measured on (``time.perf_counter``)."""
    return time.perf_counter()


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


def search_conversations(
    connection: Connection, query: Query, *, contains: str = "instr"
) -> list[ConversationSummary]:
    """Find conversations by contact name or number (folded, substring), newest first.

    A plain scan of one precomputed column, ``haystack`` (folded contact name and number, kept
    by the store): no join or concatenation per row, and ``+c.timestamp`` keeps SQLite from
    walking the rows in time order through an index (a lookup per row); only the matches are
    sorted. About 1–3 ms for 5,000 conversations, where the joined, index-ordered scan took 10.
    ``contains`` names the engine's substring function (``instr``; PostgreSQL's ``strpos``).
    """
    if not query.terms:
        return []
    if query.digits:
        where = f"({contains}(c.digits, ?) > 0 OR {contains}(c.haystack, ?) > 0)"
        params: list[object] = [query.digits, query.phrase]
    else:
        where = " AND ".join(f"{contains}(c.haystack, ?) > 0" for _ in query.terms)
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
    """Newest matching message rows first: the index walk described in the module docstring.

    The index is the outer loop (``CROSS JOIN`` keeps it there) and its descending rowid
    order is the result's order, so rows stream out of the walk one by one: no temporary
    table, no sort, and whatever came out before a budget stop is kept.
    """
    columns = ", ".join(f"m.{column.strip()}" for column in MESSAGE_COLUMNS.split(","))
    params: tuple[object, ...] = (expression,) if limit is None else (expression, limit)
    return connection.execute(
        f"SELECT {columns}, coalesce(c.number, ''), coalesce(k.name, '') "
        "FROM message_fts f CROSS JOIN messages m ON m.id = f.rowid "
        "LEFT JOIN conversations c ON c.key = m.conversation_key "
        "LEFT JOIN contacts k ON k.key = m.conversation_key "
        "WHERE message_fts MATCH ? ORDER BY f.rowid DESC" + ("" if limit is None else " LIMIT ?"),
        params,
    )


def search_messages(
    connection: sqlite3.Connection, query: Query, limit: int, budget_s: float | None
) -> tuple[list[MessageHit], bool]:
    """Find messages containing every term, newest first (see the module docstring).

    Args:
        connection: The store's connection (the caller holds its lock).
        query: The parsed query.
        limit: Most hits.
        budget_s: Wall time allowed before stopping with the hits so far; None: no limit.

    Returns:
        The hits, and whether the search stopped early (budget spent) so more may match.
    """
    expression = query.fts_expression()
    if expression is None or limit <= 0:
        return [], False
    short = query.short_terms if not query.digits else ()
    patterns = query.highlight_patterns()
    hits: list[MessageHit] = []
    if budget_s is not None:
        deadline = time.perf_counter() + budget_s

        def over_budget() -> bool:
            return time.perf_counter() > deadline

        connection.set_progress_handler(over_budget, _PROGRESS_STEPS)
    checked = 0
    truncated = False
    cursor = None
    try:
        cursor = _message_rows(connection, expression, None if short else limit)
        # One row at a time: when the budget interrupts a step, the hits so far are kept.
        for row in cursor:
            if checked >= SHORT_TERM_BUDGET:
                truncated = True
                break
            checked += 1
            hit = message_hit(row, short, patterns)
            if hit is not None:
                hits.append(hit)
            if len(hits) >= limit:
                break
    except sqlite3.OperationalError as error:
        if getattr(error, "sqlite_errorcode", None) != sqlite3.SQLITE_INTERRUPT:
            raise
        truncated = True
    finally:
        if cursor is not None:
            cursor.close()
        connection.set_progress_handler(None, 0)
    return hits, truncated


def message_hit(
    row: tuple[Any, ...], short: tuple[str, ...], patterns: tuple[str, ...]
) -> MessageHit | None:
    """Build the hit of one matching row (message columns, number, name), with its snippet.

    Args:
        row: :data:`~smstui.store.rows.MESSAGE_COLUMNS`, then the number and contact name.
        short: Query terms too short for the index: the message must contain them too.
        patterns: :meth:`Query.highlight_patterns`.

    Returns:
        The hit, or None when a short term is missing from the message.
    """
    stored = message_from_row(row[:-2])
    text = stored.message.text
    if short and not all(term in index_text(text) for term in short):
        return None
    excerpt, spans = snippet(text, patterns)
    return MessageHit(
        conversation_key=stored.conversation_key,
        message_key=stored.message.key,
        number=row[-2],
        name=row[-1],
        timestamp=stored.message.timestamp,
        outbound=stored.message.outbound,
        snippet=excerpt,
        spans=spans,
    )


def run_search(
    connection: sqlite3.Connection, query: str, limit: int, budget_s: float | None = None
) -> SearchResults:
    """Search conversations and messages.

    Args:
        connection: The store's connection (the caller holds its lock).
        query: What the user typed.
        limit: Most message hits to return.
        budget_s: Wall time the message search may take (see the module docstring); None
            for no limit.

    Returns:
        Conversation hits (at most :data:`CONVERSATION_LIMIT`) and message hits.
    """
    parsed = parse_query(query)
    if not parsed.terms:
        return SearchResults(searched_messages=False)
    conversations = search_conversations(connection, parsed)
    searched = parsed.fts_expression() is not None
    messages, truncated = (
        search_messages(connection, parsed, limit, budget_s) if searched else ([], False)
    )
    return SearchResults(
        conversations=tuple(conversations),
        messages=tuple(messages),
        searched_messages=searched,
        truncated=truncated,
    )
