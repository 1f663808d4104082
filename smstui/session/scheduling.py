"""How the session gets its background work run: given to it, so it needs no event framework.

The app adapts Textual's workers and timers to :class:`Scheduler` (work then ends with the
screen, and a test's "wait until idle" includes it); headless code and tests use
:class:`AsyncioScheduler`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

__all__ = ["AsyncioScheduler", "Cancellable", "Scheduler"]


class Cancellable(Protocol):
    """Work or a timer that can be called off."""

    def cancel(self) -> object:
        """Call it off (nothing happens when it is over already)."""


class Scheduler(Protocol):
    """Runs the session's background work and its timers."""

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> Cancellable:
        """Run ``work`` in the background; ``name`` says what it is in logs and failures."""

    def call_later(self, delay: float, callback: Callable[[], None]) -> Cancellable:
        """Call ``callback`` once, ``delay`` seconds from now."""


class AsyncioScheduler:
    """Tasks and timers on the running asyncio loop; failures are kept for the owner to check."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self.failures: list[BaseException] = []
        """Exceptions background work ended with (cancellation is not a failure)."""

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        """Run ``work`` as a task, kept until it ends."""
        task = asyncio.get_running_loop().create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._ended)
        return task

    def call_later(self, delay: float, callback: Callable[[], None]) -> asyncio.TimerHandle:
        """Call ``callback`` after ``delay`` seconds on the running loop."""
        return asyncio.get_running_loop().call_later(delay, callback)

    def _ended(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.failures.append(task.exception())  # type: ignore[arg-type]

    async def idle(self) -> None:
        """Wait until no work is running (work started meanwhile included)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def close(self) -> None:
        """Cancel what still runs and wait for it to end."""
        for task in self._tasks:
            task.cancel()
        await self.idle()
