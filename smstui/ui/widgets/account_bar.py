"""The header line: app name, the account's sender, its balance and a dry-run badge."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from smstui.domain.phones import display_number
from smstui.domain.sanitize import clean_line

APP_NAME = "smstui"
LOADING = "…"
"""Shown in place of a value that has not arrived yet."""


class AccountBar(Horizontal):
    """One line across the top: ``smstui   From +48 512 345 678   Balance 42.50 EUR  DRY RUN``.

    Values arrive later from the network, so until :meth:`set_account` gives them the sender
    and balance read "…". Everything is shown as plain content, never markup.
    """

    DEFAULT_CSS = """
    AccountBar {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
    }
    AccountBar > Static {
        width: auto;
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    AccountBar > #account-app-name {
        color: $text-accent;
        text-style: bold;
    }
    AccountBar > #account-sender {
        width: 1fr;
    }
    AccountBar > #account-balance {
        color: $text-muted;
    }
    AccountBar > #account-dry-run {
        display: none;
        background: $warning;
        color: $text;
        text-style: bold;
        margin-right: 1;
    }
    AccountBar.-dry-run > #account-dry-run {
        display: block;
    }
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._sender = ""
        self._balance = ""
        self._dry_run = False

    @property
    def sender(self) -> str:
        """The sender as shown (formatted), or "" while loading."""
        return self._sender

    @property
    def balance(self) -> str:
        """The balance as shown, or "" while loading."""
        return self._balance

    @property
    def dry_run(self) -> bool:
        """Whether the dry-run badge is shown."""
        return self._dry_run

    def compose(self) -> ComposeResult:
        """App name, sender (takes the free space), balance and the hidden dry-run badge."""
        yield Static(Content(APP_NAME), id="account-app-name")
        yield Static(self._sender_content(), id="account-sender")
        yield Static(self._balance_content(), id="account-balance")
        yield Static(Content("DRY RUN"), id="account-dry-run")

    def set_account(self, sender: str, balance: str, dry_run: bool = False) -> None:
        """Show the account's details; pass "" for anything not known yet.

        Args:
            sender: The number (any spelling) or name messages are sent from.
            balance: The credit as text, e.g. ``"42.50 EUR"``.
            dry_run: Whether sends are only simulated; shows a badge.
        """
        self._sender = display_number(sender) if sender else ""
        self._balance = clean_line(balance)
        self._dry_run = dry_run
        self.set_class(dry_run, "-dry-run")
        if self.is_mounted:
            self.query_one("#account-sender", Static).update(self._sender_content())
            self.query_one("#account-balance", Static).update(self._balance_content())

    def _sender_content(self) -> Content:
        return Content.assemble(("From ", "dim"), self._sender or LOADING)

    def _balance_content(self) -> Content:
        return Content.assemble(("Balance ", "dim"), self._balance or LOADING)
