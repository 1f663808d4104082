"""``smstui watch [--json]``: keep the store in step with the gateway and print what is new.

Every poll interval it reads the newest inbox and sent-history pages into the store (as the app
does), and every second it checks whether anyone wrote to the store (this process, or the app
running beside it on the same file: ``PRAGMA data_version``). A message is *new* when its key
was not in the store's recent window when ``watch`` started: the history already stored, and
history the app's backfill reads later (older than that window), are never printed or handed
to hooks. Each new message is printed once, oldest first, and fires the matching hooks.

Reads are retried with backoff as in the app, and polls that fail back off (doubling up to
``poll_backoff_max``). Trouble with the gateway is noted on stderr by the app's rule
(:mod:`smstui.sync.trouble`): once, when it has lasted, and "answers again" only after that, so a
retry that works stays quiet for anyone alerting on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from dataclasses import dataclass

from smstui.api.errors import SmsError
from smstui.cli.context import CommandContext
from smstui.cli.hooks import HookRunner
from smstui.cli.output import (
    direction_of,
    local_time,
    message_json,
    one_line,
    who,
    write_json,
    write_line,
)
from smstui.domain.conversations import ConversationSummary
from smstui.domain.models import Message
from smstui.domain.outbox import is_local
from smstui.store import MessageStore
from smstui.sync.catch_up import catch_up, refresh_contacts
from smstui.sync.gateway import DEFAULT_RETRIES, Gateway
from smstui.sync.trouble import GRACE, GatewayTrouble, Say
from smstui.system.exit_codes import EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED

__all__ = ["NewMessages", "TroubleNotes", "run_watch", "watch_loop"]

STORE_CHECK = 1.0
"""Seconds between checks for writes to the store by another process."""

RECENT_SLACK = 3600
"""Seconds before the newest stored message that count as "recent": a message this much older
than the newest one that shows up late is still reported; anything older is history."""

RECENT_PER_CONVERSATION = 500
"""Newest messages of a conversation looked at in each scan."""

_PAGE = 50


@dataclass(frozen=True)
class Arrival:
    """A new message and the conversation it belongs to."""

    summary: ConversationSummary
    message: Message


class NewMessages:
    """Tells the messages that appeared in the store since :meth:`baseline` (see module doc)."""

    def __init__(self, store: MessageStore) -> None:
        self._store = store
        self._since = 0
        self._seen: dict[str, int] = {}

    def baseline(self) -> None:
        """Take everything stored now as already known."""
        newest = self._store.conversations(limit=1)
        self._since = max(0, newest[0].timestamp - RECENT_SLACK) if newest else 0
        self._seen = {a.message.key: a.message.timestamp for a in self._recent()}

    def _recent(self) -> list[Arrival]:
        found: list[Arrival] = []
        offset = 0
        while True:
            page = self._store.conversations(limit=_PAGE, offset=offset)
            for summary in page:
                if summary.timestamp < self._since:
                    return found
                for message in self._store.messages(summary.key, limit=RECENT_PER_CONVERSATION):
                    if message.timestamp >= self._since and not is_local(message.key):
                        found.append(Arrival(summary, message))
            if len(page) < _PAGE:
                return found
            offset += _PAGE

    def scan(self) -> list[Arrival]:
        """Return the messages not seen before, oldest first, and remember them."""
        new = [a for a in self._recent() if a.message.key not in self._seen]
        new.sort(key=lambda a: (a.message.timestamp, a.message.key))
        for arrival in new:
            self._seen[arrival.message.key] = arrival.message.timestamp
        if new:
            newest = max(a.message.timestamp for a in new)
            self._since = max(self._since, newest - RECENT_SLACK)
            self._seen = {k: ts for k, ts in self._seen.items() if ts >= self._since}
        return new


class TroubleNotes:
    """Notes gateway trouble on stderr when :class:`GatewayTrouble` says it is worth it."""

    def __init__(self, ctx: CommandContext) -> None:
        self._ctx = ctx
        self.rule = GatewayTrouble(ctx.clock.now)
        self._told = False

    def retrying(self, wait: float, error: SmsError) -> None:
        """The client waits ``wait`` seconds before trying a read again."""
        self._tell(self.rule.failed(error.user_message, self._ctx.clock.now() + wait))

    def failed(self, problem: str, retry_at: float) -> None:
        """A poll gave up; the next is at ``retry_at``."""
        self._tell(self.rule.failed(problem, retry_at))

    def answered(self) -> None:
        """The gateway answered a read."""
        self._tell(self.rule.answered())

    def check(self) -> None:
        """Look again without a new event (the trouble may have lasted long enough now)."""
        self._tell(self.rule.check())

    def _tell(self, say: Say | None) -> None:
        if say is None:
            return
        if say.kind == "trouble" and not self._told:  # once per outage, not per failed attempt
            self._told = True
            self._ctx.note(
                f"the gateway has not answered for {GRACE:g} s or more ({say.problem}); "
                "still trying"
            )
        elif say.kind == "back":
            self._told = False
            self._ctx.note("the gateway answers again")


async def run_watch(ctx: CommandContext, args: argparse.Namespace) -> int:
    """Run ``smstui watch`` until Ctrl+C or SIGTERM; return the exit code."""
    settings = ctx.settings
    interval = args.interval or settings.poll_interval
    runner: HookRunner | None = None
    if settings.hooks and settings.hooks_enabled:
        runner = HookRunner(settings.hooks, report=ctx.note)
    elif settings.hooks:
        ctx.note("hooks are configured but off: set hooks_enabled = true to run them")
    loop = asyncio.get_running_loop()
    stopped = asyncio.Event()
    code = EXIT_OK

    def stop(exit_code: int) -> None:
        nonlocal code
        code = exit_code
        stopped.set()

    loop.add_signal_handler(signal.SIGINT, stop, EXIT_INTERRUPTED)
    loop.add_signal_handler(signal.SIGTERM, stop, EXIT_TERMINATED)
    notes = TroubleNotes(ctx)
    try:
        with ctx.open_store() as store:
            async with ctx.client(
                retries=DEFAULT_RETRIES, on_retry=notes.retrying, on_answer=notes.answered
            ) as client:
                await watch_loop(ctx, args, store, client, runner, interval, stopped, notes)
    finally:
        loop.remove_signal_handler(signal.SIGINT)
        loop.remove_signal_handler(signal.SIGTERM)
        if runner is not None:
            await runner.drain()
    return code


async def watch_loop(ctx: CommandContext, args: argparse.Namespace, store: MessageStore,
                     client: Gateway, runner: HookRunner | None, interval: float,
                     stopped: asyncio.Event, notes: TroubleNotes) -> None:  # fmt: skip
    """Poll and print until ``stopped``; waits go through ``ctx.pause`` and ``ctx.clock``.

    ``client`` should tell ``notes`` about retries and answers (as :func:`run_watch` builds it).
    """
    clock = ctx.clock
    failures = 0

    async def poll() -> float:
        """Catch up once; return the wait before the next poll. AuthError propagates."""
        nonlocal failures
        outcome = await catch_up(client, store)
        if outcome.ok:
            failures = 0
            return interval
        failures += 1
        delay = max(interval, min(interval * 2.0 ** (failures - 1), ctx.settings.poll_backoff_max))
        notes.failed(outcome.problem, clock.now() + delay)
        return delay

    delay = await poll()
    if failures == 0:
        await refresh_contacts(client, store, clock.now())
    detector = NewMessages(store)
    detector.baseline()
    version = store.data_version()
    ctx.note(f"watching for new messages every {interval:g} s (Ctrl+C to stop)")
    next_poll = clock.now() + delay
    while not stopped.is_set():
        now = clock.now()
        next_poll = min(next_poll, now + delay)  # the wall clock was set back: poll anyway
        if await _rest(ctx, stopped, max(0.0, min(STORE_CHECK, next_poll - now))):
            return
        notes.check()
        if clock.now() >= next_poll:
            delay = await poll()
            next_poll = clock.now() + delay
        else:
            current = store.data_version()
            if current == version:
                continue
            version = current
        for arrival in detector.scan():
            item = message_json(arrival.message, conversation=arrival.summary.key,
                                name=arrival.summary.name)  # fmt: skip
            if args.json:
                write_json(item, ctx.out)
            else:
                write_line(_human(arrival), ctx.out)
            if runner is not None:
                runner.fire(item)


async def _rest(ctx: CommandContext, stopped: asyncio.Event, seconds: float) -> bool:
    """Pause ``seconds`` or until ``stopped``; return whether it was stopped."""
    pause = asyncio.ensure_future(ctx.pause(seconds))
    stop = asyncio.ensure_future(stopped.wait())
    await asyncio.wait({pause, stop}, return_when=asyncio.FIRST_COMPLETED)
    for task in (pause, stop):
        task.cancel()
    return stopped.is_set()


def _human(arrival: Arrival) -> str:
    message = arrival.message
    summary = arrival.summary
    arrow = "→" if message.outbound else "←"
    text = one_line(message.text) or "(no text)"
    if message.attachments:
        text += f" [+{len(message.attachments)} file{'s' if len(message.attachments) > 1 else ''}]"
    return (f"{local_time(message.timestamp)}  {direction_of(message):3}  {arrow} "
            f"{who(summary.number, summary.name)}: {text}")  # fmt: skip
