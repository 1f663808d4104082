"""Which backend keeps the user's own state for a message store: the store's own engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from smstui.store.local_state import SqliteState
from smstui.store.location import StoreLocation
from smstui.store.personal import StateBackend
from smstui.system.clock import wall_time

__all__ = ["state_backend"]


def state_backend(
    store: StoreLocation | Path | None,
    *,
    operator: str = "",
    now: Callable[[], float] = wall_time,
) -> StateBackend:
    """Where the local state of one app or command run is kept: in the account's store.

    Args:
        store: The account's store (its SQLite file, or its PostgreSQL schema); None when there
            is none, which keeps the state in memory for the run.
        operator: On PostgreSQL, whose personal state it is (the ``operator`` setting):
            :class:`smstui.store.pg_state.PgState` keeps read markers, drafts and the outbox
            per operator, mutes and opt-outs for the whole line.
        now: On PostgreSQL, the clock of "read by …" times (the app's clock).
    """
    if isinstance(store, StoreLocation):
        if store.url is not None:
            from smstui.store.pg_state import PgState  # psycopg loads only when used

            return PgState(store.url, store.schema, operator, now=now)
        store = store.path
    return SqliteState(store)
