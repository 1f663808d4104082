"""Jumping into the middle of a long conversation: only the pages around the place are loaded.

The gateway pages a conversation by offset from the newest message, so the page holding
message *k* of *n* can be asked for directly. A search result (or Home in a long thread) opens
a *window* there: one page, with the newer messages missing below it. Scrolling up loads older
pages as always; scrolling down loads the newer ones page by page until the window meets the
newest message and the conversation is an ordinary one again. End leaves the window for the
newest page, and so does sending (the message sent belongs under the newest).

Where a message is comes from the store (how many stored messages are newer); when the store
misses some, :func:`smstui.domain.paging.find_page` corrects the guess by the messages' times.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from smstui.domain.models import Message, Page
from smstui.domain.paging import find_page, newer_page_request, page_holding
from smstui.domain.thread import ThreadState
from smstui.sync.backfill import MAX_PAGE_SIZE
from smstui.sync.engine import SyncEngine
from smstui.ui.screens.inbox_parts import InboxParts
from smstui.ui.screens.store_flow import STORED_PAINT

__all__ = ["WINDOW_PAGE", "ThreadWindow"]

WINDOW_PAGE = 200
"""Messages per page in a window: a few screens, one quick request."""


class WindowOwner(Protocol):
    """What a window needs of the thread loader that owns the open conversation."""

    @property
    def thread(self) -> ThreadState | None:
        """The open conversation, or None."""

    def load_start(self, thread: ThreadState) -> None:
        """Load a just-opened conversation the usual way (newest page first)."""

    def seek(self, thread: ThreadState, message_key: str) -> None:
        """Put the cursor on a message once the usual loading brings it in."""

    def show_first_page(self, thread: ThreadState, page: Page[Message]) -> None:
        """Show the newest page of a just-opened conversation."""

    def started_window(self, thread: ThreadState) -> None:
        """A window was loaded into the thread."""

    def window_met_newest(self, thread: ThreadState) -> None:
        """A window's newer pages reached the newest message."""


class ThreadWindow:
    """Loads windows of the open conversation for the thread loader.

    Args:
        screen: The inbox screen's parts (pane, store, status line, workers).
        loader: The thread loader that owns the open conversation.
        engine: The sync engine: it reads the pages and keeps them in the store.
    """

    page_size = WINDOW_PAGE

    def __init__(self, screen: InboxParts, loader: WindowOwner, engine: SyncEngine) -> None:
        self._screen = screen
        self._loader = loader
        self._engine = engine
        self._newer_on_its_way = False

    def worth_a_window(self, thread: ThreadState) -> bool:
        """Whether the first message is further than one large page below what is loaded."""
        return thread.total is not None and thread.total - len(thread) > MAX_PAGE_SIZE

    def _fetch(self, thread: ThreadState) -> Callable[[int, int], Awaitable[Page[Message] | None]]:
        summary = self._screen.session.summary(thread.key)
        number = summary.number if summary else thread.key

        async def fetch(page: int, limit: int) -> Page[Message] | None:
            return await self._screen.call(
                lambda: self._engine.conversation(thread.key, number, page=page, limit=limit)
            )

        return fetch

    async def far(self, thread: ThreadState, message_key: str) -> bool:
        """Whether a stored message is further from the newest than the store's first paint."""
        place = await self._screen.store.target_place(thread.key, message_key)
        return place is not None and place[0] >= STORED_PAINT and self._loader.thread is thread

    async def jump(self, thread: ThreadState, message_key: str, *, opening: bool = True) -> None:
        """Open ``thread`` at one message: the page holding it, or the usual way if unknown.

        Args:
            thread: The conversation, just switched to.
            message_key: The message to put the cursor on.
            opening: Nothing is loading yet: when the page is not found, load the newest
                page (whose arrival looks further for the message). False when that load
                is already on its way.
        """
        screen, loader = self._screen, self._loader
        place = await screen.store.target_place(thread.key, message_key)
        if loader.thread is not thread:
            return
        page = None
        if place is not None:
            newer, timestamp = place
            page = await find_page(
                self._fetch(thread),
                key=message_key,
                timestamp=timestamp,
                estimate=newer,
                size=self.page_size,
            )
        if loader.thread is not thread:
            return
        if page is None:
            # Not stored, not found where it should be, or the gateway is out of reach: the
            # newest page first, then older ones until it is in (or the store's copy, offline).
            if opening:
                loader.load_start(thread)
            else:
                loader.seek(thread, message_key)
            return
        screen.message_pane.set_loading(False)
        if page.page == 1:  # it is among the newest: an ordinary opening
            loader.show_first_page(thread, page)
            screen.message_pane.select_message(message_key)
            return
        self._show(thread, page, at=message_key)

    async def oldest(self, thread: ThreadState) -> None:
        """Show the conversation's first page (Home in a long conversation)."""
        total = thread.total
        if total is None:
            return
        screen, loader = self._screen, self._loader
        number, limit = page_holding(total - 1, self.page_size)
        screen.message_pane.set_loading(True)
        page = await self._fetch(thread)(number, limit)
        if loader.thread is not thread:
            return
        screen.message_pane.set_loading(False)
        if page is None or not page.items or not page.is_last:
            return  # failed (said on the status line) or the history changed meanwhile
        self._show(thread, page, at=page.items[-1].key)

    def _show(self, thread: ThreadState, page: Page[Message], *, at: str) -> None:
        thread.open_window(page)
        self._loader.started_window(thread)
        self._newer_on_its_way = False
        self._screen.message_pane.show_window(
            thread.key, thread.messages, complete=thread.complete, at=at
        )

    def load_newer(self, key: str) -> None:
        """Ask for the page just newer than the window (the view neared its bottom)."""
        thread = self._loader.thread
        if thread is None or thread.key != key or not thread.newer_missing:
            return
        if self._newer_on_its_way:
            return
        self._newer_on_its_way = True
        self._screen.run_worker(
            self._load_newer(thread),
            group="newer-messages",
            exclusive=True,
            exit_on_error=False,
            name="newer messages",
        )

    async def _load_newer(self, thread: ThreadState) -> None:
        try:
            await self._fetch_newer(thread)
        finally:
            self._newer_on_its_way = False

    async def _fetch_newer(self, thread: ThreadState) -> None:
        screen = self._screen
        fetch = self._fetch(thread)
        added: list[Message] | None = None
        page: Page[Message] | None = None
        for _ in range(3):  # a refused page moved the offsets by what arrived: ask again
            page = await fetch(*newer_page_request(thread.newer_missing, self.page_size))
            if self._loader.thread is not thread:
                return
            if page is None:
                break
            added = thread.add_newer_page(page)
            if added is not None:
                break
        pane = screen.message_pane
        if page is None or added is None:
            pane.append_newer([], newer_missing=True)  # re-armed: scrolling asks again
            return
        pane.append_newer(added, newer_missing=thread.newer_missing > 0)
        if not thread.newer_missing:
            self._loader.window_met_newest(thread)
