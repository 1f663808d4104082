"""Ctrl+P finds conversations by name or number, beside the commands.

The palette asks every provider as the user types; this one answers from the inbox's
conversation list (names folded for accents, numbers by any run of digits), so "wojcik" or
"4499" opens a conversation straight from the palette.
"""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider
from textual.content import Content

from smstui.phones import display_number

__all__ = ["ConversationCommands"]

MAX_HITS = 12
"""Conversations offered at most: the palette is for jumping, the search screen for browsing."""


class ConversationCommands(Provider):
    """Offers "open conversation" hits for conversations that match what is typed."""

    async def search(self, query: str) -> Hits:
        """Conversations matching ``query`` by name or number, newest first."""
        screen = self.screen
        index = getattr(screen, "index", None)
        opener = getattr(screen, "open_conversation", None)
        if index is None or opener is None or not query.strip():
            return
        for rank, summary in enumerate(index.filter(query)[:MAX_HITS]):
            number = display_number(summary.number)
            label = f"{summary.name} · {number}" if summary.name else number
            yield Hit(
                # Above most commands, in list order: an exact conversation is what was meant.
                score=0.9 - rank * 0.01,
                match_display=Content(f"Open {label}"),
                command=partial(opener, summary.key),
                text=f"Open {label}",
                help="Open this conversation",
            )
