"""``smstui watch`` on a flaky gateway: retries like the app, and stderr says trouble only when
it lasts, "answers again" only after that.

The watch runs in-process on a virtual clock: each of its pauses (between polls, and the client's
between retries) moves the clock instead of waiting, and the script's steps happen when the clock
reaches them. The gateway is real, over loopback HTTP.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import signal
from collections.abc import Callable

from smstui.cli.context import CommandContext
from smstui.cli.watch import run_watch
from smstui.fake import FakeGateway
from smstui.system.config import Settings
from smstui.system.exit_codes import EXIT_TERMINATED
from smstui.system.secret import Credentials, Secret
from tests.commands.conftest import ANCHOR, CLIENT_ID, SECRET


class VirtualTime:
    """A clock that moves only when someone pauses on it, running the script as it goes."""

    def __init__(self, start: float) -> None:
        self._now = start
        self._steps: list[tuple[float, Callable[[], object]]] = []

    def now(self) -> float:
        """Return the virtual time."""
        return self._now

    def at(self, offset: float, step: Callable[[], object]) -> None:
        """Run ``step`` once the clock has reached ``offset`` seconds after the start."""
        self._steps.append((ANCHOR + offset, step))
        self._steps.sort(key=lambda item: item[0])

    async def pause(self, seconds: float) -> None:
        """Move the clock by ``seconds`` at once and run the steps now due."""
        self._now += seconds
        while self._steps and self._steps[0][0] <= self._now:
            self._steps.pop(0)[1]()
        await asyncio.sleep(0)


def stop_watch() -> None:
    """What Ctrl+C or a service manager does: SIGTERM (the watch handles it on its loop)."""
    os.kill(os.getpid(), signal.SIGTERM)


async def test_a_blip_says_nothing_an_outage_once_and_the_return_once(
    gateway: FakeGateway,
) -> None:
    time = VirtualTime(ANCHOR)
    # Polls every 10 s. At 10 s two inbox reads in a row fail (the retries absorb it); from
    # 25 s every read fails until 55 s; the watch is stopped at 100 s.
    time.at(5, lambda: gateway.add_fault("status_502_html", "/message/inbox", times=2))
    time.at(25, lambda: gateway.add_fault("status_502_html", "*", times=0))
    time.at(55, gateway.clear_faults)
    time.at(100, stop_watch)
    err = io.StringIO()
    ctx = CommandContext(
        settings=Settings(base_url=gateway.url),
        credentials=Credentials(CLIENT_ID, Secret(SECRET), source="test"),
        client_id=CLIENT_ID,
        clock=time,
        out=io.StringIO(),
        err=err,
        pause=time.pause,
    )
    code = await run_watch(ctx, argparse.Namespace(json=False, interval=10.0))
    assert code == EXIT_TERMINATED
    assert err.getvalue().splitlines() == [
        "smstui: watching for new messages every 10 s (Ctrl+C to stop)",
        "smstui: the gateway has not answered for 10 s or more "
        "(The gateway is having trouble (HTTP 502); try again later); still trying",
        "smstui: the gateway answers again",
    ]
