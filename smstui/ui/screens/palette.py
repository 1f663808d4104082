"""Ctrl+P finds conversations by name or number, beside the commands.

The palette asks every provider as the user types; this one answers from the inbox's
conversation list (names folded for accents, numbers by any run of digits), so "wojcik" or
"4499" opens a conversation straight from the palette.
"""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider
from textual.content import Content

from smstui.domain.conversations import ConversationSummary
from smstui.domain.folding import fold
from smstui.domain.phones import display_number
from smstui.ui.screens.inbox import InboxScreen

__all__ = ["ConversationCommands", "exact_word", "top_score"]

MAX_HITS = 12
"""Conversations offered at most: the palette is for jumping, the search screen for browsing."""


def exact_word(name: str, query: str) -> bool:
    """Whether every word typed is a whole word of the name ("jan" in "Jan Peeters").

    Case and accents are ignored.

    Args:
        name: The contact's name ("" for none).
        query: What was typed in the palette.
    """
    typed, words = fold(query).split(), fold(name).split()
    return bool(typed) and all(word in words for word in typed)


def top_score(query: str) -> float:
    """More than Textual's fuzzy matcher gives any command for ``query``.

    Its score is (letters matched + first letters matched) × (1 + grouping²), ×2 for an exact
    match: at most 8 per letter typed.
    """
    return 8.0 * len(query) + 1.0


class ConversationCommands(Provider):
    """Offers "open conversation" hits for conversations that match what is typed."""

    async def search(self, query: str) -> Hits:
        """Conversations matching ``query`` by name or number, newest first."""
        screen = self.screen
        # The inbox, by its class: when the list moved into the session, a getattr of the old
        # attribute silently found nothing and Ctrl+P offered no conversation; mypy sees this.
        if not isinstance(screen, InboxScreen) or not query.strip():
            return
        index, opener = screen.session.conversations, screen.open_conversation
        matcher = self.matcher(query)

        def score(summary: ConversationSummary) -> float:
            # An exact word of a name wins over every command ("Jan" is Jan Peeters, not "Jump
            # to conversation…"); other matches compete with the commands on Textual's own
            # terms; a number found by its digits, which no command has, ranks above none.
            if exact_word(summary.name, query):
                return top_score(query)
            return max(matcher.match(summary.name or summary.number), 1.0)

        scored = [(score(summary), summary) for summary in index.filter(query)]
        # Best first; list order among equals (sorted() keeps it).
        scored = sorted(scored, key=lambda pair: -pair[0])[:MAX_HITS]
        for rank, (points, summary) in enumerate(scored):
            number = display_number(summary.number)
            label = f"{summary.name} · {number}" if summary.name else number
            yield Hit(
                score=points - rank * 0.001,
                match_display=Content(f"Open {label}"),
                command=partial(opener, summary.key),
                text=f"Open {label}",
                help="Open this conversation",
            )
