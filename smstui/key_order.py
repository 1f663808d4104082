"""Keys one at a time: each reaches the app only after the one before it has been handled.

Textual hands a key to the widget focused *when the app reads it*. A key that moves the focus
(Tab, Enter on the thread to reply, ``n`` opening a dialog) does so only once its widget gets
round to it, so the keys read right behind it (a fast typist, a password manager, a lagging SSH
link: all in one read) go to the old widget, where letters are commands. "⏎quick reply" on the
thread would quit on its ``q`` instead of typing into the composer.

So the terminal driver's input thread hands over a key and waits until the app has dealt with
it (every message on its way through the app's widgets handled, focus changes included) before
it hands over the next: :func:`wait_until_handled`. The wait is bounded (:data:`HANDLING_LIMIT`)
so a busy app only delays keys, never swallows them. Only the real terminal driver does this;
Pilot already presses keys one at a time and waits for each.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from textual.app import App

__all__ = ["HANDLING_LIMIT", "handled", "wait_until_handled"]

HANDLING_LIMIT = 0.25
"""Longest wait in seconds for one key to be handled before the next is handed over anyway."""


async def handled(app: App[Any], limit: float = HANDLING_LIMIT) -> None:
    """Return once every message now on its way through the app has been handled.

    Each round asks every message pump of the app and its screen to run a callback after what
    it has queued; a key bubbling from widget to widget takes a round per step, so rounds repeat
    until a round starts with every queue empty, or ``limit`` seconds have passed.

    Args:
        app: The running app.
        limit: Seconds to wait at most.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while True:
        try:
            pumps = [app, *app.screen.walk_children(with_self=True)]
        except Exception:  # no screen yet, or the app is closing: nothing to wait for
            return
        if all(pump._message_queue.empty() for pump in pumps):
            return
        remaining = deadline - loop.time()
        if remaining <= 0:
            return
        countdown = _Countdown()
        for pump in pumps:
            if pump.call_later(countdown.one_done):
                countdown.pending += 1
        if countdown.pending == 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(countdown.done.wait(), remaining)


class _Countdown:
    """Set :attr:`done` once every callback counted in :attr:`pending` has run."""

    def __init__(self) -> None:
        self.done = asyncio.Event()
        self.pending = 0

    def one_done(self) -> None:
        self.pending -= 1
        if self.pending == 0:
            self.done.set()


def wait_until_handled(
    app: App[Any], loop: asyncio.AbstractEventLoop, limit: float = HANDLING_LIMIT
) -> None:
    """From the input thread: block until the app has handled what it was handed (bounded).

    Args:
        app: The app the driver feeds.
        loop: The app's event loop (the driver's).
        limit: Seconds to wait at most.
    """
    if loop.is_closed() or not loop.is_running():
        return
    with contextlib.suppress(RuntimeError):
        if asyncio.get_running_loop() is loop:
            return  # called on the app's own thread: waiting here would stall the app
    try:
        future = asyncio.run_coroutine_threadsafe(handled(app, limit), loop)
    except RuntimeError:  # the loop closed meanwhile: the app is gone
        return
    with contextlib.suppress(Exception):
        future.result(timeout=limit + 0.5)
