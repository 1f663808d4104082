"""Listening for other processes' writes to a PostgreSQL store (team mode).

Every write transaction that changes messages or contacts publishes ``NOTIFY`` on the
account's channel (:mod:`smstui.store.changes`; the store does it inside the transaction, so
a notification arrives exactly when the write commits and never for a rolled-back one).
:class:`ChangeListener` runs ``LISTEN`` on a connection of its own, in a daemon thread that
waits in psycopg's ``notifies()`` generator (no polling: the thread sleeps in the socket), and
calls ``on_change`` with each decoded :class:`~smstui.store.changes.Change` (all of them,
this process's own writes too: their :attr:`~smstui.store.changes.Change.backend` tells).

A lost connection is reopened after a second; whatever was committed meanwhile is not
replayed (NOTIFY is not a queue), so on reconnecting the listener delivers one
``Change(kind="reconnected", keys=None)``: "anything may have changed, read the store again".

:attr:`ChangeListener.latencies` keeps the last NOTIFY → callback delays (seconds, from the
publisher's ``at`` to the moment the callback returned), for measurements.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import psycopg
from psycopg import sql

from smstui.store.changes import Change, channel_name, decode
from smstui.store.errors import StoreError
from smstui.store.postgres_store import connect
from smstui.system.secret import SecretUrl

__all__ = ["RECONNECTED", "ChangeListener"]

logger = logging.getLogger(__name__)

RECONNECTED = "reconnected"
"""The kind of the change delivered after the listener's connection came back."""

_WAKE_S = 0.5
"""How often the listening thread looks up from the socket to see whether it should stop."""


class ChangeListener:
    """Delivers the account's change notifications to ``on_change`` (see module).

    Args:
        url: The PostgreSQL server.
        schema: The account's schema (its channel).
        on_change: Called from the listener thread for each change.
        on_other: Called from the listener thread with any other payload on the channel
            (team presence notes: :mod:`smstui.domain.presence`).
    """

    def __init__(
        self,
        url: SecretUrl,
        schema: str,
        on_change: Callable[[Change], None],
        on_other: Callable[[str], None] | None = None,
    ) -> None:
        self.url = url
        self.schema = schema
        self._on_change = on_change
        self._on_other = on_other
        self._stopping = threading.Event()
        self._listening = threading.Event()
        self._thread: threading.Thread | None = None
        self.latencies: deque[float] = deque(maxlen=1000)
        """NOTIFY → callback delays in seconds, newest last."""

    def start(self, *, wait: float | None = 10.0) -> None:
        """Start listening; wait until ``LISTEN`` is in effect (up to ``wait`` seconds)."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, daemon=True, name=f"listen:{self.schema}"
            )
            self._thread.start()
        if wait:
            self._listening.wait(wait)

    @property
    def listening(self) -> bool:
        """True while ``LISTEN`` is in effect."""
        return self._listening.is_set()

    def stop(self) -> None:
        """Stop listening (within about half a second) and close the connection."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        first = True
        while not self._stopping.is_set():
            try:
                with connect(self.url, self.schema, keepalive=True) as connection:
                    self._listen(connection, first)
            except (psycopg.Error, StoreError) as error:
                logger.warning("change listener: %s", str(error).splitlines()[:1])
            self._listening.clear()
            first = False
            self._stopping.wait(1.0)

    def _listen(self, connection: psycopg.Connection[Any], first: bool) -> None:
        channel = sql.Identifier(channel_name(self.schema))
        connection.execute(sql.SQL("LISTEN {}").format(channel))
        self._listening.set()
        if not first:
            self._deliver(Change(RECONNECTED, None, time.time(), 0))
        while not self._stopping.is_set():
            for notification in connection.notifies(timeout=_WAKE_S):
                change = decode(notification.payload)
                if change is None:
                    self._deliver_other(notification.payload)
                    continue
                self._deliver(replace(change, backend=notification.pid))
                self.latencies.append(time.time() - change.at)
                if self._stopping.is_set():
                    break

    def _deliver_other(self, payload: str) -> None:
        if self._on_other is None:
            return
        try:
            self._on_other(payload)
        except Exception:  # one bad callback must not stop the listening
            logger.exception("a payload callback failed")

    def _deliver(self, change: Change) -> None:
        try:
            self._on_change(change)
        except Exception:  # one bad callback must not stop the listening
            logger.exception("a change callback failed")
