"""Fixtures for the session tests: the fake gateway over loopback, a real store file and real
personal state on disk, and a session that records what it tells (no Textual anywhere)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest

from smstui.domain.unread import UnreadTracker
from smstui.session.events import SessionEvent
from smstui.session.inbox import InboxSession
from smstui.session.scheduling import AsyncioScheduler
from smstui.store.drafts import DraftStore
from smstui.store.mutes import MuteState
from smstui.store.own_state import state_backend
from smstui.store.read_state import ReadState
from smstui.sync.access import StoreAccess
from smstui.sync.engine import SyncEngine
from smstui.system.clock import FixedClock
from smstui.system.config import Settings
from tests.api.conftest import ANCHOR, ClientFactory, gateway, make_client, sleeps

__all__ = ["Running", "gateway", "make_client", "running", "sleeps"]

E = TypeVar("E")


@dataclass
class Running:
    """A started session, its engine, scheduler, and every event it told so far."""

    session: InboxSession
    engine: SyncEngine
    scheduler: AsyncioScheduler
    events: list[SessionEvent] = field(default_factory=list)

    def of(self, kind: type[E]) -> list[E]:
        """The events of one kind, in order."""
        return [event for event in self.events if isinstance(event, kind)]

    async def idle(self) -> None:
        """Wait until the session's background work is over; fail on any that failed."""
        await self.scheduler.idle()
        assert not self.scheduler.failures, self.scheduler.failures


Build = Callable[..., Running]


@pytest.fixture
async def running(tmp_path: Path, make_client: ClientFactory) -> AsyncIterator[Build]:
    """Build sessions on one store file under ``tmp_path`` (a second build
    is the next start of the app); everything counts as read up to ``read_until`` at first."""
    built: list[Running] = []

    def build(*, settings: Settings | None = None, read_until: int = ANCHOR) -> Running:
        clock = FixedClock(ANCHOR)
        store_path = tmp_path / "store" / "messages.sqlite3"
        backend = state_backend(store_path, now=clock.now)
        engine = SyncEngine(make_client(), StoreAccess(store_path), clock=clock)
        scheduler = AsyncioScheduler()
        events: list[SessionEvent] = []
        session = InboxSession(
            engine,
            settings=settings or Settings(inbox_page_size=20),
            clock=clock,
            scheduler=scheduler,
            unread=UnreadTracker(ReadState(backend, now=read_until)),
            mutes=MuteState(backend),
            drafts=DraftStore(backend),
            listener=events.append,
        )
        run = Running(session, engine, scheduler, events)
        built.append(run)
        return run

    yield build
    for run in built:
        run.session.close()
        await run.scheduler.close()
        await run.engine.settled()
        run.engine.close()
