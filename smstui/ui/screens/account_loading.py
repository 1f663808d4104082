"""The inbox screen's header: our numbers and the balance.

The conversation list's pages and the contacts are the session's
(:class:`~smstui.session.inbox.InboxSession`); what is left here feeds the account bar and
the composer (which number a reply goes out from). Every read goes through the sync engine.
"""

from __future__ import annotations

import asyncio

from textual.worker import Worker

from smstui.api.errors import Offline, SmsError
from smstui.sync.engine import SyncEngine
from smstui.system.config import Settings
from smstui.ui.screens.inbox_parts import InboxParts
from smstui.ui.widgets.account_bar import AccountBar

__all__ = ["AccountLoader"]


class AccountLoader:
    """Fetches our numbers and the balance for the inbox screen.

    Args:
        screen: The inbox screen, as its helpers see it.
        engine: The sync engine (reads the gateway and keeps what it reads).
        settings: Default sender, dry run.
    """

    def __init__(self, screen: InboxParts, *, engine: SyncEngine, settings: Settings) -> None:
        self._screen = screen
        self._engine = engine
        self._settings = settings
        self.own_numbers: tuple[str, ...] = ()
        """Our receiving numbers, digits only (empty until loaded)."""
        self.numbers_error: SmsError | None = None
        """Why asking for our numbers failed (None: not asked yet, or they came)."""
        self._account_worker: Worker[None] | None = None
        self.own_countries: tuple[str, ...] = ()
        """The country code ``/vmn`` gives for each of our numbers ("PL"; "" when none)."""

    def start(self) -> None:
        """Ask for our numbers and the balance."""
        self._account_worker = self._screen.run_worker(
            self._account(), name="account", group="account", exit_on_error=False
        )

    def retry_account(self) -> None:
        """Ask for our numbers again if they could not be had (the gateway answers again)."""
        if self.numbers_error is None:
            return
        if self._account_worker is not None and not self._account_worker.is_finished:
            return
        self.start()

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
