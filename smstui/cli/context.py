"""What every command needs: settings, credentials, the gateway connection, the store, a clock.

The store is the TUI's own (``data_dir() / store_file_name(client id, base URL)``, or the
account's schema on the ``store_url`` server), so a command sees what the app stored and the
app sees what a command stored. Reading commands first catch up with the gateway
(:func:`smstui.sync.catch_up.catch_up`, the rule the app's backfill starts with): the newest
inbox and sent-history pages until they reach what is stored. With the gateway unreachable
they answer from the store alone.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from smstui.store import MessageStore
from smstui.store.files import set_aside
from smstui.store.location import StoreLocation, open_message_store, store_file_name
from smstui.sync.gateway import AnswerListener, Gateway, RetryListener, connect
from smstui.system import paths
from smstui.system.account_state import remembered_login
from smstui.system.clock import Clock, SystemClock
from smstui.system.config import Settings
from smstui.system.credentials import (
    CLIENT_ID_ENV,
    CredentialError,
    Credentials,
    resolve_credentials,
)
from smstui.system.logs import register_secret

__all__ = ["CommandContext", "default_clock", "store_path"]

logger = logging.getLogger(__name__)


def default_clock() -> Clock:
    """The clock commands run on (tests replace this function with a fixed clock)."""
    return SystemClock()


def store_path(client_id: str, base_url: str) -> Path:
    """The account's store file, the one the terminal app opens."""
    return paths.data_dir() / store_file_name(client_id, base_url)


@dataclass
class CommandContext:
    """Settings, credentials and the output streams of one command run.

    Args:
        settings: The loaded settings (overrides applied).
        credentials: The credentials, or None (only ``--offline`` reading works then).
        client_id: The account's client id (names the store file even without a secret).
        clock: The wall clock.
        out: Where results go (stdout).
        err: Where notes and errors go (stderr).
        pause: How a command waits (the client between retries, ``watch`` between polls);
            tests pass one that moves their clock instead.
    """

    settings: Settings
    credentials: Credentials | None
    client_id: str
    clock: Clock = field(default_factory=lambda: default_clock())
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    pause: Callable[[float], Awaitable[None]] = asyncio.sleep

    @classmethod
    def resolve(cls, settings: Settings, *, offline: bool = False) -> CommandContext:
        """Find the credentials the app would use.

        Args:
            settings: The loaded settings.
            offline: Only the local store is read: the client id (which names the store) is
                enough, so the config's or the last login's is taken without touching the
                keyring, which may be locked and prompt.

        Raises:
            CredentialError: Neither credentials nor a client id were found.
        """
        if offline and not os.environ.get(CLIENT_ID_ENV):
            login = remembered_login()
            known = login.client_id if login and login.base_url == settings.base_url else ""
            if settings.client_id or known:
                return cls(
                    settings=settings, credentials=None, client_id=settings.client_id or known
                )
        lookup = resolve_credentials(settings)
        for warning in lookup.warnings:
            logger.warning("%s", warning)
        credentials = lookup.credentials
        if credentials is not None:
            register_secret(credentials.secret)
        client_id = credentials.client_id if credentials else settings.client_id
        if not client_id:
            raise CredentialError(
                'No credentials: run "smstui auth login", or set SMSTOOLS_CLIENT_ID and '
                "SMSTOOLS_CLIENT_SECRET"
            )
        return cls(settings=settings, credentials=credentials, client_id=client_id)

    def note(self, text: str) -> None:
        """One line on stderr (notes, warnings and errors; never results)."""
        self.err.write(f"smstui: {text}\n")
        self.err.flush()

    def client(
        self,
        *,
        retries: int = 1,
        on_retry: RetryListener | None = None,
        on_answer: AnswerListener | None = None,
    ) -> Gateway:
        """A connection to the gateway (close it after use), for sync to read and send with.

        Raises:
            CredentialError: There is no secret to sign in with.
        """
        if self.credentials is None:
            raise CredentialError(
                'No client secret: run "smstui auth login", set SMSTOOLS_CLIENT_SECRET, '
                "or use --offline to read the local store only"
            )
        return connect(
            self.settings.base_url,
            self.credentials,
            retries=retries,
            clock=self.clock.now,
            sleep=self.pause,
            on_retry=on_retry,
            on_answer=on_answer,
        )

    def store_location(self) -> StoreLocation:
        """Where the account's store is (the app's: same file, or same server schema)."""
        return StoreLocation.for_account(
            self.client_id, self.settings.base_url, paths.data_dir(), self.settings.store_url
        )

    def open_store(self) -> MessageStore:
        """Open the account's store (created when missing).

        Raises:
            StoreError: The PostgreSQL server is unreachable or refused (one line).
        """
        store = open_message_store(self.store_location())
        if store.set_aside is not None:
            self.note(f"the message store was damaged; it was set aside as {store.set_aside}")
        if store.in_memory:
            self.note(
                f"messages are kept in memory only this time: {store.path} cannot be written "
                f"({store.in_memory})"
            )
        return store

    def set_aside(self, error: BaseException) -> bool:
        """Set the SQLite store aside after ``error`` found it damaged; False if it cannot be."""
        location = self.store_location()
        if location.url is not None:
            return False
        try:
            aside = set_aside(location.path)
        except OSError as failure:
            logger.warning("could not set the damaged store aside: %s", failure)
            return False
        logger.warning("store %s is damaged (%s); set aside as %s", location.path, error, aside)
        self.note(
            f"the message store was damaged ({error}); it was set aside as {aside} and is "
            "rebuilt from the gateway"
        )
        return True
