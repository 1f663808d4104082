"""Team mode on the inbox screen: one leader polls the gateway, the others follow the store.

A PostgreSQL store means a team (no setting of its own): every operator's app on the same
account shares the schema, and :class:`~smstui.sync.team.TeamSync` elects one process to read
the gateway while the others answer their reads from the store (:mod:`smstui.sync.team`).

- **Start.** The election's first round is waited for (a second or two at most) before the
  first inbox read, so two apps starting together do not both read the gateway.
- **Others' writes.** What another operator's process stored comes as
  :class:`~smstui.sync.engine.StoredListChanged` (the list: shown by the store flow) and
  :class:`~smstui.sync.engine.StoredThreadChanged`; the open conversation merges its page the
  way a live poll does, at once. A follower also polls its (stored) inbox then, so unread
  counts and notifications follow without waiting for the next poll; it costs the gateway
  nothing.
- **Own sends.** The sender keeps its confirmed message in the store itself
  (:meth:`TeamFlow.keep_sent`): the write tells the others, and the sender's own checks of the
  conversation (answered from the store while following) find it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from smstui.api.models import Message
from smstui.screens.inbox_parts import InboxParts
from smstui.store.location import StoreLocation
from smstui.sync.engine import StoredThreadChanged, SyncEngine, SyncEvent
from smstui.sync.team import TeamSync

__all__ = ["TeamFlow", "team_for"]


def team_for(store_path: StoreLocation | Path | None) -> TeamSync | None:
    """The team mode of a store: on for a PostgreSQL store, None (off) otherwise."""
    return TeamSync.for_location(store_path if isinstance(store_path, StoreLocation) else None)


class TeamFlow:
    """Starts and stops team mode with the screen and shows what the others stored.

    Args:
        screen: The inbox screen, as its helpers see it.
        engine: The sync engine (its :attr:`~SyncEngine.team` is None outside team mode).
    """

    def __init__(self, screen: InboxParts, engine: SyncEngine) -> None:
        self._screen = screen
        self._engine = engine
        self.team: TeamSync | None = engine.team if isinstance(engine.team, TeamSync) else None
        """Team mode, or None (a SQLite store: every process reads the gateway)."""
        if self.team is not None:
            engine.subscribe(self._announced)

    @property
    def active(self) -> bool:
        """Whether this screen is one operator of a team."""
        return self.team is not None

    def start(self, then: Callable[[], None]) -> None:
        """Join the team (waiting for the first election round), then call ``then``."""
        if self.team is None:
            then()
            return
        team = self.team

        async def join() -> None:
            try:
                await self._engine.access.open()
                await team.start()
            finally:
                then()

        self._screen.run_worker(join(), name="join team", group="team", exit_on_error=False)

    def stop(self) -> None:
        """Leave the team (blocking, about a second at most)."""
        if self.team is not None:
            self.team.stop()

    def keep_sent(self, conversation: str, message: Message) -> None:
        """Keep a message this operator sent in the shared store now (it tells the others)."""
        if self.team is not None:
            self._engine.keep(lambda store: store.add_messages(conversation, [message]))

    def _announced(self, event: SyncEvent) -> None:
        if not isinstance(event, StoredThreadChanged):
            return
        screen = self._screen
        thread = screen.thread
        if thread is not None and thread.key == event.key and thread.pages_loaded:
            screen.live.merge_page(thread, event.page)
        if self._engine.following:
            screen.live.poll_now()
