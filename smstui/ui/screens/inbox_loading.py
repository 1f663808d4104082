"""Loading the inbox screen's list and header: inbox pages, our numbers, balance, contacts.

The first inbox page paints as soon as it arrives (with the matching sent-history page);
further pages come when the list is scrolled near its end. A sent-history page that failed
while its inbox page arrived is asked for again at the next chance (a poll or a further page),
with backoff while it keeps failing, so the people only it names still join the list.
Contacts page through in the background and name conversations as they arrive. Workers run
on the screen, so they end with it; failures are reported on the status line by
:meth:`InboxScreen.call`. Every read goes through the sync engine, which keeps the pages in
the store.
"""

from __future__ import annotations

import asyncio

from textual.worker import Worker

from smstui.api.errors import Offline, SmsError
from smstui.domain.models import Page, SentItem
from smstui.domain.paging import MissedPages
from smstui.sync.engine import SyncEngine
from smstui.system.config import Settings
from smstui.ui.screens.inbox_parts import InboxParts
from smstui.ui.widgets.account_bar import AccountBar

__all__ = ["InboxLoader"]


class InboxLoader:
    """Fetches inbox pages, the account details and contacts for the inbox screen.

    Args:
        screen: The inbox screen, as its helpers see it.
        engine: The sync engine (reads the gateway and keeps what it reads).
        settings: Page sizes, default sender, dry run.
    """

    def __init__(self, screen: InboxParts, *, engine: SyncEngine, settings: Settings) -> None:
        self._screen = screen
        self._engine = engine
        self._settings = settings
        self._loading = False
        self._reloading = False
        self._page_worker: Worker[None] | None = None
        self.pages_loaded = 0
        """Inbox pages loaded since start (or since the last reload)."""
        self.missed_sent = MissedPages(
            max_skip=int(settings.poll_backoff_max // max(settings.poll_interval, 1.0))
        )
        """Sent-history pages that failed while their inbox page arrived."""
        self.own_numbers: tuple[str, ...] = ()
        """Our receiving numbers, digits only (empty until loaded)."""
        self.numbers_error: SmsError | None = None
        """Why asking for our numbers failed (None: not asked yet, or they came)."""
        self._account_worker: Worker[None] | None = None
        self.own_countries: tuple[str, ...] = ()
        """The country code ``/vmn`` gives for each of our numbers ("PL"; "" when none)."""

    def start(self) -> None:
        """Load the first inbox page, the account and the contacts."""
        self.load_next_page()
        self._account_worker = self._screen.run_worker(
            self._account(), name="account", group="account", exit_on_error=False
        )
        self._screen.run_worker(
            self._contacts(), name="contacts", group="contacts", exit_on_error=False
        )

    def reload(self) -> None:
        """Fetch the first inbox page again (the list keeps what it has meanwhile).

        A page already on its way is cancelled: its answer would otherwise set the page count
        back and the reload would be lost.
        """
        if self._page_worker is not None:  # at most one is on its way (see load_next_page)
            self._page_worker.cancel()
        self._loading = False
        self._reloading = True
        self.pages_loaded = 0
        self.load_next_page()
        self.retry_account()

    def load_next_page(self) -> None:
        """Fetch the next inbox page unless one is already on its way."""
        if not self._loading:
            self._loading = True
            self._page_worker = self._screen.run_worker(
                self._next_page(), name="inbox page", group="inbox-pages", exit_on_error=False
            )

    async def _next_page(self) -> None:
        """Fetch the next inbox page and the matching sent-history page together."""
        screen = self._screen
        page_number = self.pages_loaded + 1
        screen.conversation_list.set_loading_more(page_number > 1)
        limit = self._settings.inbox_page_size
        engine = self._engine
        failed = "Refresh failed: " if self._reloading and page_number == 1 else ""
        try:
            inbox, sent, _ = await asyncio.gather(
                screen.call(lambda: engine.inbox(page=page_number, limit=limit), failed=failed),
                screen.call(lambda: engine.sent_history(page=page_number, limit=limit)),
                self.retry_sent_pages(),
            )
        finally:
            self._loading = False
            screen.conversation_list.set_loading_more(False)
        if page_number == 1:
            self._reloading = False
        if inbox is None:
            screen.live.refresh_failed = screen.live.refresh_failed or bool(failed)
            screen.conversation_list.rearm_more_wanted()
            if page_number == 1:
                screen.conversation_list.set_empty_text("Not loaded · r to retry")
            return
        self.pages_loaded = page_number
        screen.unread_flow.add_inbox_page(inbox)
        if sent is not None:
            self._add_sent_page(sent)
        else:  # the list moves on: ask for this sent page again later
            self.missed_sent.failed(page_number, limit)
        screen.show_conversations()
        screen.conversation_list.set_empty_text("No conversations yet")
        if page_number == 1:
            screen.first_page_loaded()

    async def retry_sent_pages(self) -> None:
        """Ask again for the sent-history pages that are due (see :class:`MissedPages`)."""
        due = self.missed_sent.due()
        if not due:
            return
        engine = self._engine
        try:
            answers = await asyncio.gather(
                *(
                    self._screen.attempt(
                        lambda n=number, size=limit: engine.sent_history(page=n, limit=size)  # type: ignore[misc]
                    )
                    for number, limit in due
                )
            )
        finally:
            for number, _ in due:  # a cancelled try is due again at the next chance
                self.missed_sent.release(number)
        for (number, limit), (page, error) in zip(due, answers, strict=True):
            if page is not None:
                self._add_sent_page(page)
            elif error is not None:
                self.missed_sent.failed(number, limit)
        if any(page is not None for page, _ in answers):
            self._screen.show_conversations()

    def _add_sent_page(self, page: Page[SentItem]) -> None:
        self.missed_sent.done(page.page)
        self._screen.index.add_sent_page(page)
        self._screen.unread_flow.add_sent_page(page)

    def retry_account(self) -> None:
        """Ask for our numbers again if they could not be had (the gateway answers again)."""
        if self.numbers_error is None:
            return
        if self._account_worker is not None and not self._account_worker.is_finished:
            return
        self._account_worker = self._screen.run_worker(
            self._account(), name="account", group="account", exit_on_error=False
        )

    async def _account(self) -> None:
        """Our numbers and the balance for the header."""
        screen = self._screen
        (numbers, error), balance = await asyncio.gather(
            screen.attempt(self._engine.own_numbers), screen.call(self._engine.balance)
        )
        if error is not None and not isinstance(error, Offline):
            screen.status_line.show(error.user_message, "error")  # as screen.call would
        if numbers is not None or error is not None:
            self.numbers_error = error
        if numbers:
            self.own_numbers = tuple(number.number for number in numbers)
            self.own_countries = tuple(number.country for number in numbers)
        screen.compose_flow.rebind()  # the composer says why it has no number, or has one now
        own = self.own_numbers
        sender = self._settings.default_sender or (own[0] if own else "")
        amount = f"{balance.amount} {balance.currency}".strip() if balance else "?"
        screen.query_one(AccountBar).set_account(sender, amount, dry_run=self._settings.dry_run)

    async def _contacts(self) -> None:
        """Page through the address book in the background; names appear as they arrive."""
        screen = self._screen
        page_number = 1
        limit = self._settings.contacts_page_size
        while True:
            page = await screen.call(
                lambda n=page_number: self._engine.contacts(page=n, limit=limit)  # type: ignore[misc]
            )
            if page is None:
                return
            screen.index.add_contacts(page.items)
            if self.pages_loaded > 0:
                screen.show_conversations()
            if page.is_last:
                return
            page_number += 1
