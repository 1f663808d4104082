"""What the inbox session tells its UI: small frozen facts, delivered in the order they happened.

The UI applies each to its widgets and never asks the session to repeat one; a late listener
can ask the session's queries (:meth:`~smstui.session.inbox.InboxSession.listed`, …) instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from smstui.domain.conversations import ConversationSummary

__all__ = [
    "AccountChanged",
    "Alert",
    "ComposerChanged",
    "ConversationsListed",
    "FirstPageLoaded",
    "InboxPageRequested",
    "InboxPageSettled",
    "SessionEvent",
    "SessionListener",
    "SignInNeeded",
    "StartingConversationChosen",
    "StatusChanged",
    "UnreadTotalChanged",
]

StatusKind = Literal["ok", "busy", "error", "info"]
Severity = Literal["information", "warning", "error"]


@dataclass(frozen=True, slots=True)
class ConversationsListed:
    """The conversation list as it should show now: rows in order, muted keys, completeness."""

    rows: tuple[ConversationSummary, ...]
    """Filtered by the current query, newest first; team mode fills in each ``assignee``."""
    complete: bool
    """Nothing more would come by scrolling further (the whole inbox, or a filter's matches)."""
    muted: frozenset[str]


@dataclass(frozen=True, slots=True)
class UnreadTotalChanged:
    """The unread total over all conversations changed."""

    total: int
    """Every conversation's unread messages (what "next unread" can go to)."""
    unmuted: int
    """Without the muted conversations: what the terminal title shows."""


@dataclass(frozen=True, slots=True)
class StartingConversationChosen:
    """Which conversation is open at start: decided once, before :class:`FirstPageLoaded`."""

    key: str
    last_open: bool
    """It was open when the app last closed (else it is simply the newest)."""


@dataclass(frozen=True, slots=True)
class FirstPageLoaded:
    """The gateway's first inbox page is in: at start, and again after each reload.

    At start it always comes after :class:`StartingConversationChosen` (when there is one).
    """


@dataclass(frozen=True, slots=True)
class InboxPageRequested:
    """An inbox page is on its way (page 1 again on a reload)."""

    page: int


@dataclass(frozen=True, slots=True)
class InboxPageSettled:
    """An inbox page request ended: it was loaded (its rows are listed next), or it failed."""

    page: int
    loaded: bool
    refresh: bool = False
    """It was page 1 of a reload the user asked for."""


@dataclass(frozen=True, slots=True)
class ComposerChanged:
    """The composer now belongs to another conversation (None: none), with that one's draft."""

    key: str | None
    draft: str


@dataclass(frozen=True, slots=True)
class StatusChanged:
    """A one-line status to show (loading, up to date, a failure)."""

    text: str
    kind: StatusKind


@dataclass(frozen=True, slots=True)
class Alert:
    """Something to tell the user once, apart from the status line (a toast)."""

    text: str
    severity: Severity = "information"


@dataclass(frozen=True, slots=True)
class AccountChanged:
    """Our numbers and the balance were asked for (again): what the header and composer show.

    Why our numbers could not be had is the session's
    :attr:`~smstui.session.inbox.InboxSession.numbers_error`.
    """

    numbers: tuple[str, ...]
    """Our receiving numbers, digits only (empty while not known)."""
    sender: str
    """The number messages go out from by default ("" when none is known)."""
    balance: str
    """The balance with its currency, "?" when it could not be had."""


@dataclass(frozen=True, slots=True)
class SignInNeeded:
    """The gateway rejected the credentials: the UI asks for new ones."""

    reason: str


SessionEvent = (
    AccountChanged
    | ConversationsListed
    | UnreadTotalChanged
    | StartingConversationChosen
    | FirstPageLoaded
    | InboxPageRequested
    | InboxPageSettled
    | ComposerChanged
    | StatusChanged
    | Alert
    | SignInNeeded
)

SessionListener = Callable[[SessionEvent], None]
