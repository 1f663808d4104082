"""Leader election per account: the one process that reads the gateway (team mode).

Every operator's process on a PostgreSQL store runs a :class:`LeaderElection`. It holds a
dedicated connection (never the store's) and tries a **session** advisory lock on it,
``pg_try_advisory_lock(classid, objid)``: the two-number form, so it never meets the store's
one-number write lock (:func:`smstui.store.pg_schema.lock_key`). Whoever gets the lock is the
leader until its session ends:

- Followers try again every :attr:`LeaderElection.interval` seconds (1 s by default).
- The leader runs a cheap query at the same pace. That keeps the session busy and notices a
  lost connection: the leader then steps down at once (its lock went with the session) and
  starts again as a follower on a new connection.
- A process that is killed or loses the network loses its session: the kernel closes the
  socket of a killed process (the server ends the session and frees the lock at once), and TCP
  keepalives at both ends (:data:`smstui.store.postgres_store.KEEPALIVES`) end a session whose
  peer vanished within about 8 s. A follower takes over on its next try.

The election runs in a daemon thread (psycopg's blocking calls stay off the event loop);
:attr:`is_leader` is safe to read from anywhere and ``on_change`` is called from that thread
with the new role (the sync layer hops it onto the event loop).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg

from smstui.store.errors import StoreError
from smstui.store.postgres_store import connect
from smstui.system.secret import SecretUrl

__all__ = ["LEADER_CLASS", "LeaderElection", "election_keys"]

logger = logging.getLogger(__name__)

LEADER_CLASS = 0x534D5354  # "SMST"
"""The first number of the leader lock (the second comes from the schema)."""


def election_keys(schema: str) -> tuple[int, int]:
    """The two 32-bit numbers of the account's leader lock."""
    digest = hashlib.sha256(f"leader:{schema}".encode()).digest()
    return LEADER_CLASS, int.from_bytes(digest[:4], "big", signed=True)


class LeaderElection:
    """Competes for the account's leadership until :meth:`stop` (see module).

    Args:
        url: The PostgreSQL server.
        schema: The account's schema.
        on_change: Called (from the election thread) with True when this process becomes the
            leader and False when it stops being one.
        interval: Seconds between tries (follower) and between keep-alive queries (leader).
    """

    def __init__(
        self,
        url: SecretUrl,
        schema: str,
        *,
        on_change: Callable[[bool], None] | None = None,
        interval: float = 1.0,
    ) -> None:
        self.url = url
        self.schema = schema
        self.interval = interval
        self._on_change = on_change
        self._keys = election_keys(schema)
        self._leader = False
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._connection: psycopg.Connection[Any] | None = None
        self.became_leader_at: float | None = None
        """``time.monotonic()`` when this process last became the leader."""
        self.problem = ""
        """The last connection problem (one line), "" when connected."""
        self.rounds = 0
        """Election rounds completed (tests wait on it)."""

    @property
    def is_leader(self) -> bool:
        """True while this process holds the account's leader lock."""
        return self._leader

    def start(self) -> None:
        """Start competing in the background (the first try happens at once)."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, daemon=True, name=f"leader:{self.schema}"
            )
            self._thread.start()

    def stop(self) -> None:
        """Step down (closing the connection frees the lock) and end the thread."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _set(self, leader: bool) -> None:
        if leader == self._leader:
            return
        self._leader = leader
        if leader:
            self.became_leader_at = time.monotonic()
        logger.info("%s: %s", self.schema, "leader" if leader else "follower")
        if self._on_change is not None:
            try:
                self._on_change(leader)
            except Exception:  # the election goes on whatever a listener does
                logger.exception("a leadership listener failed")

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._round()
            except (psycopg.Error, StoreError) as error:
                self.problem = str(error).splitlines()[0] if str(error) else type(error).__name__
                logger.warning("leader election: %s", self.problem)
                self._drop()
            self._stopping.wait(self.interval)
        self._drop()

    def _round(self) -> None:
        """One try (follower) or one keep-alive (leader)."""
        if self._connection is None or self._connection.closed:
            self._set(False)  # a new session holds no lock
            self._connection = connect(self.url, self.schema, keepalive=True)
            self.problem = ""
        if self._leader:
            self._connection.execute("SELECT 1")
            self.rounds += 1
            return
        row = self._connection.execute("SELECT pg_try_advisory_lock(%s, %s)", self._keys).fetchone()
        self._set(bool(row and row[0]))
        self.rounds += 1

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        self._set(False)
        if connection is not None:
            with contextlib.suppress(psycopg.Error):
                connection.close()
