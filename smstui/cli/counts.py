"""Unread counts from the store and the app's read state, counted by the app's own code.

The rules are the app's (:class:`smstui.domain.unread.UnreadTracker`, fed the stored messages
instead of the gateway's pages): a conversation's unread messages are its received messages
newer than what the user has seen there (:class:`smstui.store.read_state.ReadState`, kept in the
account's store as the app keeps it) and newer than our own last reply in it; a conversation
marked unread by hand (``u`` in the app) counts at least one.
"""

from __future__ import annotations

from collections.abc import Callable

from smstui.domain.conversations import ConversationSummary
from smstui.domain.models import Message
from smstui.domain.unread import unread_in
from smstui.store import MessageStore
from smstui.store.location import StoreLocation
from smstui.store.own_state import state_backend
from smstui.store.read_state import ReadState
from smstui.system.clock import wall_time

__all__ = ["UNREAD_WINDOW", "read_state", "unread_counts"]

UNREAD_WINDOW = 500
"""Newest messages of a conversation looked at when counting (more unread shows as 500)."""


def read_state(
    store: StoreLocation, now: float, *, operator: str, clock: Callable[[], float] = wall_time
) -> ReadState:
    """The app's read state, from the account's store. A first run sets the baseline to ``now``.

    Args:
        store: The account's store, where the app keeps the read state (its SQLite file, or its
            PostgreSQL schema, where read markers are the operator's own).
        now: The current time (epoch seconds).
        operator: This operator's name (a team's store keeps read markers per operator).
        clock: The clock of "read by" times on a team's store.
    """
    state = ReadState(state_backend(store, operator=operator, now=clock), now=int(now))
    state.load()
    return state


def unread_count(store: MessageStore, state: ReadState, summary: ConversationSummary) -> int:
    """Unread received messages of one conversation (at least 1 when marked unread).

    Counted by the app's own rules (:func:`smstui.domain.unread.unread_in`, the app's
    :class:`~smstui.domain.unread.UnreadTracker`) over the newest stored messages. Nothing is
    read from the store when nothing can be unread: the last message is ours, or older than
    what was read.
    """
    key = summary.key
    messages: list[Message] = []
    if not summary.last_outbound and summary.timestamp > state.seen_until(key):
        messages = store.messages(key, limit=UNREAD_WINDOW)
    return unread_in(state, key, messages)


def unread_counts(
    store: MessageStore, state: ReadState, summaries: list[ConversationSummary]
) -> dict[str, int]:
    """Unread counts of conversations by key (zero counts included)."""
    return {summary.key: unread_count(store, state, summary) for summary in summaries}
