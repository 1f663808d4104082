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
  conversation (answered from the store while following) find it. It first notes who sent
  it (the ``operator`` setting, by default the login name) in the team's ``sent_by`` table
  (:mod:`smstui.store.team_board`); every operator's thread shows that name beside the status.
- **Assignments.** ``a`` gives a conversation to an operator; the list shows who
  (:mod:`smstui.ui.screens.assign_flow`). ``N`` writes an internal note, never sent, that
  every operator's thread shows among the messages (:mod:`smstui.ui.screens.note_flow`).
- **Replying.** While this operator has a non-empty draft open in a conversation, the others'
  thread title of that conversation, and its row in the list, read "Anna is replying…"
  (:mod:`smstui.domain.presence`: a note on the channel, refreshed every 10 s, forgotten after
  30 s without one).
- **Read by.** When another operator's read marker of a conversation moves (their state is
  their own: :mod:`smstui.store.pg_state`), the title and, where the width allows, the row
  read "read by Anna 10:42" (:mod:`smstui.domain.readers`: a note on the channel; the stored
  markers at start).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from smstui.domain.models import Message
from smstui.domain.presence import REFRESH_S, PresenceBoard, PresenceNote, decode, encode
from smstui.domain.readers import ReadersBoard
from smstui.domain.readers import decode as decode_read
from smstui.domain.sanitize import clean_line
from smstui.domain.team_shared import decode_change
from smstui.store import MessageStore
from smstui.store.location import StoreLocation
from smstui.store.personal import StateBackend
from smstui.sync.engine import StoredThreadChanged, SyncEngine, SyncEvent, ThreadPageStored
from smstui.system.config import Settings, operator_name
from smstui.ui.screens.assign_flow import AssignFlow
from smstui.ui.screens.inbox_parts import InboxParts
from smstui.ui.screens.note_flow import NoteFlow
from smstui.ui.widgets.thread_title import ThreadTitle

if TYPE_CHECKING:  # the PostgreSQL driver loads only in a team: it costs 110 ms at start
    from smstui.store.team_board import OperatorBoard
    from smstui.sync.team import TeamSync

__all__ = ["PRESENCE_TICK", "TeamFlow", "replying_text", "team_for"]

PRESENCE_TICK = 0.25
"""Seconds between two looks at the composer (is a reply being written, and where)."""


def team_for(store_path: StoreLocation | Path | None) -> TeamSync | None:
    """The team mode of a store: on for a PostgreSQL store, None (off) otherwise."""
    if not isinstance(store_path, StoreLocation) or store_path.url is None:
        return None
    from smstui.sync.team import TeamSync

    return TeamSync.for_location(store_path)


def _team_of(engine: SyncEngine) -> TeamSync | None:
    """The engine's team sync (None without a team: then the driver is never imported)."""
    if engine.team is None:
        return None
    from smstui.sync.team import TeamSync

    return engine.team if isinstance(engine.team, TeamSync) else None


def replying_text(names: list[str]) -> str:
    """Who is replying, as the title says it ("Anna is replying…"); "" for nobody."""
    if not names:
        return ""
    if len(names) == 1:
        return f"{names[0]} is replying…"
    return f"{', '.join(names[:-1])} and {names[-1]} are replying…"


class TeamFlow:
    """Starts and stops team mode with the screen and shows what the others do (see module).

    Args:
        screen: The inbox screen, as its helpers see it.
        engine: The sync engine (its :attr:`~SyncEngine.team` is None outside team mode).
        settings: The ``operator`` name.
    """

    def __init__(self, screen: InboxParts, engine: SyncEngine, settings: Settings) -> None:
        self._screen = screen
        self._engine = engine
        self.team: TeamSync | None = _team_of(engine)
        """Team mode, or None (a SQLite store: every process reads the gateway)."""
        self.operator = operator_name(settings)
        """This operator's name, as the others see it."""
        self.presence = PresenceBoard(uuid.uuid4().hex)
        """The other operators' presence notes."""
        self.readers = ReadersBoard(self.operator)
        """Who else read each conversation last."""
        self.board: OperatorBoard | None = None
        self._told: tuple[str, float] | None = None
        """The conversation this session last said it is replying in, and when ("": none)."""
        if self.team is not None:
            from smstui.store.team_board import OperatorBoard

            location = self.team.location
            self.board = OperatorBoard(
                location.url,  # type: ignore[arg-type]  # a team always has a server
                location.schema,
                clock=screen.clock,
            )
            engine.subscribe(self._announced)
        self.assigning = AssignFlow(screen, self.board, self.operator, self.presence.names)
        """Who looks after which conversation (inert outside team mode)."""
        self.notes = NoteFlow(screen, self.board, self.operator)
        """The team's internal notes in the open conversation (inert outside team mode)."""

    @property
    def active(self) -> bool:
        """Whether this screen is one operator of a team."""
        return self.team is not None

    def start(self, then: Callable[[], None], state: StateBackend | None = None) -> None:
        """Join the team (waiting for the first election round), then call ``then``.

        ``state`` is the screen's local state: on PostgreSQL, who read what is loaded from it.
        """
        if self.team is None or self.board is None:
            then()
            return
        team, board = self.team, self.board

        async def join() -> None:
            try:
                await self._engine.access.open()
                await asyncio.to_thread(board.open)
                team.on_payload = self._payload
                self.assigning.reload()
                await team.start()
            finally:
                then()
            self._screen.set_interval(PRESENCE_TICK, self._presence_tick, name="team presence")
            from smstui.store.pg_state import PgState

            if isinstance(state, PgState):
                self.readers.load(await asyncio.to_thread(state.latest_readers))
                self._show_presence()

        self._screen.run_worker(join(), name="join team", group="team", exit_on_error=False)

    def stop(self) -> None:
        """Leave the team (blocking, about a second at most)."""
        if self.team is None or self.board is None:
            return
        if self._told is not None and self._told[0]:
            self.board.publish(self._note(""))  # no longer replying anywhere
        self.team.stop()
        self.board.close()

    # Who sent what -----------------------------------------------------------------------------

    def keep_sent(self, conversation: str, message: Message) -> None:
        """Keep a message this operator sent in the shared store now (it tells the others)."""
        board = self.board
        if board is None:
            return
        operator = self.operator

        def write(store: MessageStore) -> None:
            board.record(message.key, conversation, operator)  # before the others are told
            store.add_messages(conversation, [message])

        self._engine.keep(write)
        self._screen.message_pane.set_signatures({message.key: operator})

    def _load_names(self, key: str) -> None:
        board = self.board
        if board is None:
            return

        async def load() -> None:
            names = await asyncio.to_thread(board.names, key)
            thread = self._screen.thread
            if names and thread is not None and thread.key == key:
                clean = {message: clean_line(name) for message, name in names.items()}
                self._screen.message_pane.set_signatures(clean)

        self._screen.run_worker(load(), name="who sent what", group="team", exit_on_error=False)

    def _announced(self, event: SyncEvent) -> None:
        screen = self._screen
        thread = screen.thread
        if isinstance(event, ThreadPageStored):
            if thread is not None and thread.key == event.key:
                self._load_names(event.key)
            return
        if not isinstance(event, StoredThreadChanged):
            return
        if thread is not None and thread.key == event.key and thread.pages_loaded:
            screen.live.merge_page(thread, event.page)
            self._load_names(event.key)
        if self._engine.following:
            screen.live.poll_now()

    # Who is replying -----------------------------------------------------------------------

    def _note(self, conversation: str) -> str:
        return encode(
            PresenceNote(
                self.presence.session, self.operator, conversation, self._screen.clock.now()
            )
        )

    def _presence_tick(self) -> None:
        screen = self._screen
        composer = screen.composer
        key = composer.conversation_key or ""
        writing = key if composer.text.strip() else ""
        now = time.monotonic()
        told = self._told
        if told is None or told[0] != writing or (writing and now - told[1] >= REFRESH_S):
            if told is not None or writing:
                self._publish(self._note(writing))
            self._told = (writing, now)
        self.presence.expire()
        self._show_presence()
        self.notes.tick()  # another conversation open: its notes

    def _publish(self, payload: str) -> None:
        board = self.board
        if board is not None:
            self._screen.run_worker(
                asyncio.to_thread(board.publish, payload),
                name="presence",
                group="team",
                exit_on_error=False,
            )

    def _payload(self, payload: str) -> None:
        change = decode_change(payload)
        if change is not None:
            if change.kind == "assignments":
                self.assigning.reload()
            elif change.kind == "notes":
                self.notes.changed(change.conversation)
            return
        note = decode(payload)
        if note is not None:
            if self.presence.heard(note):
                self._show_presence()
            return
        read = decode_read(payload)
        if read is not None and self.readers.heard(read):
            self._show_presence()

    def _show_presence(self) -> None:
        """Who else is replying, and who else read last: in the title and the list's rows."""
        notes: dict[str, tuple[str, str]] = {}
        for key, names in self.presence.by_conversation().items():
            notes[key] = (replying_text([clean_line(name) for name in names]), "")
        for key in self.readers.conversations():
            notes[key] = (notes.get(key, ("", ""))[0], clean_line(self.readers.text(key)))
        thread = self._screen.thread
        shown = notes.get(thread.key, ("", "")) if thread is not None else ("", "")
        self._screen.query_one(ThreadTitle).set_team(*shown)
        self._screen.conversation_list.set_team(notes)
