"""Which conversation is open at start: one choice, from what the store and the gateway say.

The store answers in milliseconds, so its word comes first: the conversation open when the app
last closed (if it is still listed), else the store's newest. Only an empty store leaves the
choice to the gateway's first page (its newest). The first page is said to be in
(:class:`~smstui.session.events.FirstPageLoaded`, "Up to date") only after the choice, so
nothing the user does once the inbox looks ready lands before the conversation opens; and a
conversation the user opened meanwhile is never replaced.
"""

from __future__ import annotations

from smstui.session.events import FirstPageLoaded, StartingConversationChosen

__all__ = ["StartChoice"]


class StartChoice:
    """Collects what the choice needs and says, once, when it is made."""

    def __init__(self) -> None:
        self._store_read = False
        self._stored: StartingConversationChosen | None = None
        self._page_in = False
        self._chosen = False
        self._page_told = False

    def store_read(self, *, last_open: str | None, newest: str | None) -> None:
        """The store's list was read (``newest`` None: it is empty, or there is no store)."""
        self._store_read = True
        if last_open:
            self._stored = StartingConversationChosen(last_open, last_open=True)
        elif newest:
            self._stored = StartingConversationChosen(newest, last_open=False)

    def first_page_in(self) -> None:
        """The gateway's first inbox page is listed."""
        self._page_in = True

    def settle(
        self, *, newest: str | None, anything_open: bool, page_again: bool = False
    ) -> list[StartingConversationChosen | FirstPageLoaded]:
        """What to tell now, in order.

        Args:
            newest: The newest conversation listed now.
            anything_open: The user opened a conversation already.
            page_again: Page 1 came in again (a reload): "Up to date" once more.
        """
        told: list[StartingConversationChosen | FirstPageLoaded] = []
        if not self._store_read:
            return told
        if not self._chosen and (self._stored is not None or self._page_in):
            self._chosen = True
            choice = self._stored
            if choice is None and newest is not None:
                choice = StartingConversationChosen(newest, last_open=False)
            if choice is not None and not anything_open:
                told.append(choice)
        if self._page_in and (page_again or not self._page_told):
            self._page_told = True
            told.append(FirstPageLoaded())
        return told
