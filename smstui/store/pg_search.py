"""Search on PostgreSQL: the same rules, results and order as :mod:`smstui.store.search`.

There is no trigram index to rely on (``pg_trgm`` is contrib and not always installed), so the
folded text the SQLite index holds is a column, ``messages.body``, and a message matches when
``strpos(body, term) > 0`` for every term (or, for a number-like query, for its digits or the
whole phrase): exactly the substrings FTS5's trigram index finds, with the same rule that terms
shorter than three characters are not looked up but checked in Python on the candidates.

Order is the SQLite one too: newest first by the time-ordered id, walking the primary key
backwards, so "newest 50 matches" stops after 50 matches. What the trigram index made cheap
and this does not: a rare term is a scan of the account's messages. The time budget keeps
search-while-typing responsive: rows come through a server-side cursor in small batches, the
clock is looked at before each batch (the same clock as SQLite's budget) and each ``FETCH``
runs under a ``statement_timeout`` of what is left, so a slow scan stops with the hits found so
far and :attr:`~smstui.store.search.SearchResults.truncated` set.
"""

from __future__ import annotations

import psycopg

from smstui.store import search as shared
from smstui.store.pg_schema import PgConnection, placeholders
from smstui.store.rows import MESSAGE_COLUMNS
from smstui.store.search import (
    MIN_TRIGRAM,
    SHORT_TERM_BUDGET,
    MessageHit,
    Query,
    SearchResults,
    message_hit,
    parse_query,
    search_conversations,
)

__all__ = ["FETCH_ROWS", "needles", "run_pg_search"]

FETCH_ROWS = 50
"""Rows per ``FETCH`` from the search cursor: the clock is looked at between two."""


def needles(query: Query) -> tuple[tuple[str, ...], str]:
    """Return the substrings a message must contain and how they combine (``AND``/``OR``).

    The same choice as :meth:`~smstui.store.search.Query.fts_expression`: for a number-like
    query its digits or the phrase, otherwise every term of three characters or more.
    """
    if query.digits:
        options = {query.digits, query.phrase}
        return tuple(sorted(o for o in options if len(o) >= MIN_TRIGRAM)), " OR "
    return query.long_terms, " AND "


def _message_sql(terms: tuple[str, ...], joiner: str, limited: bool) -> str:
    columns = ", ".join(f"m.{column.strip()}" for column in MESSAGE_COLUMNS.split(","))
    where = joiner.join("strpos(m.body, ?) > 0" for _ in terms)
    return (
        f"SELECT {columns}, coalesce(c.number, ''), coalesce(k.name, '') FROM messages m "
        "LEFT JOIN conversations c ON c.key = m.conversation_key "
        "LEFT JOIN contacts k ON k.key = m.conversation_key "
        f"WHERE {where} ORDER BY m.id DESC" + (" LIMIT ?" if limited else "")
    )


def search_messages(
    connection: PgConnection, query: Query, limit: int, budget_s: float | None
) -> tuple[list[MessageHit], bool]:
    """Find messages containing every term, newest first (see the module docstring).

    Runs inside the store's read transaction; a cancelled ``FETCH`` rolls back to a savepoint.

    Returns:
        The hits, and whether the search stopped early (budget spent) so more may match.
    """
    terms, joiner = needles(query)
    if not terms or limit <= 0:
        return [], False
    short = query.short_terms if not query.digits else ()
    patterns = query.highlight_patterns()
    sql = _message_sql(terms, joiner, limited=not short)
    params: list[object] = [*terms] if short else [*terms, limit]
    clock = shared.now  # one clock for both engines (tests replace search.time)
    deadline = None if budget_s is None else clock() + budget_s
    hits: list[MessageHit] = []
    checked = 0
    truncated = False
    raw = connection.raw
    try:
        with raw.transaction(), raw.cursor(name="smstui_search") as cursor:
            cursor.execute(placeholders(sql), params)
            while len(hits) < limit:
                if deadline is not None:
                    left = deadline - clock()
                    if left <= 0:
                        truncated = True
                        break
                    raw.execute(f"SET LOCAL statement_timeout = {max(1, int(left * 1000))}")
                rows = cursor.fetchmany(FETCH_ROWS)
                if not rows:
                    break
                for row in rows:
                    if checked >= SHORT_TERM_BUDGET:
                        truncated = True
                        break
                    checked += 1
                    hit = message_hit(row, short, patterns)
                    if hit is not None:
                        hits.append(hit)
                        if len(hits) >= limit:
                            break
                if truncated:
                    break
    except psycopg.errors.QueryCanceled:
        truncated = True
    return hits, truncated


def run_pg_search(
    connection: PgConnection, query: str, limit: int, budget_s: float | None = None
) -> SearchResults:
    """Search conversations and messages (see :func:`smstui.store.search.run_search`).

    Args:
        connection: The store's connection, in a read transaction (the caller holds its lock).
        query: What the user typed.
        limit: Most message hits to return.
        budget_s: Wall time the message search may take; None for no limit.

    Returns:
        Conversation hits, then message hits, each newest first.
    """
    parsed = parse_query(query)
    if not parsed.terms:
        return SearchResults(searched_messages=False)
    conversations = search_conversations(connection, parsed, contains="strpos")
    searched = bool(needles(parsed)[0])
    messages, truncated = (
        search_messages(connection, parsed, limit, budget_s) if searched else ([], False)
    )
    return SearchResults(
        conversations=tuple(conversations),
        messages=tuple(messages),
        searched_messages=searched,
        truncated=truncated,
    )
