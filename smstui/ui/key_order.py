"""Keys one at a time: each reaches the app only after the one before it has been handled.

Textual hands a key to the widget focused *when the app reads it*. A key that moves the focus
(Tab, Enter on the thread to reply, ``n`` opening a dialog) does so only once its widget gets
round to it, so the keys read right behind it (a fast typist, a password manager, a lagging SSH
link: all in one read) go to the old widget, where letters are commands. "⏎quick reply" on the
thread would quit on its ``q`` instead of typing into the composer.

So the terminal driver's input thread hands over a key and waits until the app has dealt with
it before it hands over the next: :func:`wait_until_handled`. "Dealt with" means that no key,
no paste, no deferred call (``call_later``, which is how Textual moves the focus) and no message
of smstui's own (the intents widgets post, such as "reply wanted") is still queued anywhere in
the app. Textual's housekeeping (layout, repaint) is not waited for: it would cost a frame per
key. While the focus is in a text field, printable keys only type, so they are handed over
without waiting and typing stays as fast as before. The wait is bounded
(:data:`HANDLING_LIMIT`), so even a stuck app only delays keys, never swallows them. Only the real
terminal driver does this; Pilot already presses one key at a time and waits for each.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
import time
from typing import Any

from textual import events
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widgets import Input, TextArea

__all__ = ["HANDLING_LIMIT", "KeyCounter", "handled", "wait_until_handled"]

HANDLING_LIMIT = 5.0
"""Longest wait in seconds for one key to be handled before the next is handed over anyway.

A key is normally handled within milliseconds. The limit only matters when the app is stuck,
and then a key handed over early could land in the wrong place, so it is generous: the keys
behind are delayed, never lost."""

QUIET_CHECKS = 3
"""How many checks in a row must find nothing pending before a key counts as handled."""

STOP_CHECK = 0.05
"""How often a wait checks whether the driver is stopping (seconds)."""

_OURS = "smstui."


def follows_keys(message: Message) -> bool:
    """Whether a queued message is a key's consequence that the next key must wait for.

    A smstui message class can opt out with ``KEYS_WAIT = False`` (a notification sent on
    every keystroke, such as "the draft changed", which moves no focus).
    """
    if isinstance(message, events.Key | events.Paste | events.Callback):
        return True
    kind = type(message)
    return kind.__module__.startswith(_OURS) and getattr(kind, "KEYS_WAIT", True)


class KeyCounter:
    """How many keys the driver handed over and how many the app has begun to handle.

    Between the two, a key is in no queue: the app's pump has taken it off its queue but not
    yet dispatched it. The driver counts in :meth:`handed`; the app in :meth:`arrived`.
    """

    def __init__(self) -> None:
        self._handed = 0
        self._arrived = 0
        self._lock = threading.Lock()

    def handed(self) -> None:
        """The driver posted a key or paste to the app (input thread)."""
        with self._lock:
            self._handed += 1

    def arrived(self) -> None:
        """The app's ``on_event`` got a key or paste from the driver (event loop)."""
        with self._lock:
            self._arrived += 1

    @property
    def in_transit(self) -> bool:
        """Whether a key handed over has not reached the app's handler yet."""
        with self._lock:
            return self._arrived < self._handed


def _pending(app: App[Any]) -> bool:
    counter = getattr(app, "key_counter", None)
    if isinstance(counter, KeyCounter) and counter.in_transit:
        return True
    try:
        pumps: list[MessagePump] = [app, *app.screen.walk_children(with_self=True)]
    except Exception:  # no screen yet, or the app is closing: nothing to wait for
        return False
    queued: list[Message | None] = []
    for pump in pumps:
        queued.extend(pump._message_queue.values)
    return any(message is not None and follows_keys(message) for message in queued)


async def handled(app: App[Any], limit: float = HANDLING_LIMIT) -> bool:
    """Return once nothing a key caused is still queued in the app (or ``limit`` passed).

    Args:
        app: The running app.
        limit: Seconds to wait at most.

    Returns:
        Whether the focus is then in a text field, where printable keys only type.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    quiet = 0
    # Polled, not awaited on an event: the pumps give no signal when a queue runs dry. A key a
    # widget does not bind is in no queue while that widget's handler runs, before it bubbles
    # on; a few quiet checks in a row (each letting every pump run) see it come back.
    while quiet < QUIET_CHECKS and loop.time() < deadline:
        quiet = 0 if _pending(app) else quiet + 1
        await asyncio.sleep(0)  # let the pumps run; they do the work we are waiting for
    return isinstance(app.focused, Input | TextArea)


def wait_until_handled(
    app: App[Any],
    loop: asyncio.AbstractEventLoop,
    limit: float = HANDLING_LIMIT,
    *,
    stop: threading.Event | None = None,
) -> bool:
    """From the input thread: block until the app has handled what it was handed (bounded).

    Args:
        app: The app the driver feeds.
        loop: The app's event loop (the driver's).
        limit: Seconds to wait at most.
        stop: Set when the driver stops reading input (the app is closing): stop waiting at
            once. The app's loop then blocks joining this thread, so the wait could only end
            at ``limit`` — a quit key would take that long to quit.

    Returns:
        Whether the focus is in a text field now (False when that could not be told).
    """
    if loop.is_closed() or not loop.is_running():
        return False
    with contextlib.suppress(RuntimeError):
        if asyncio.get_running_loop() is loop:
            return False  # on the app's own thread: waiting here would stall the app
    future: concurrent.futures.Future[bool] = concurrent.futures.Future()

    def start() -> None:
        # The coroutine is made only once the loop runs this: a wait given up before then
        # (the app closing) leaves no coroutine behind that was never awaited.
        if future.set_running_or_notify_cancel():
            task = loop.create_task(handled(app, limit))
            task.add_done_callback(lambda done: _settle(future, done))

    try:
        loop.call_soon_threadsafe(start)
    except RuntimeError:  # the loop closed meanwhile: the app is gone
        return False
    deadline = time.monotonic() + limit + 0.5
    while True:
        try:
            return future.result(timeout=STOP_CHECK)
        except concurrent.futures.TimeoutError:
            if (stop is not None and stop.is_set()) or time.monotonic() > deadline:
                future.cancel()
                return False
        except Exception:
            return False


def _settle(future: concurrent.futures.Future[bool], task: asyncio.Task[bool]) -> None:
    """Pass a finished task's outcome to the input thread's future."""
    if task.cancelled():
        future.cancel()
    elif (error := task.exception()) is not None:
        future.set_exception(error)
    else:
        future.set_result(task.result())
