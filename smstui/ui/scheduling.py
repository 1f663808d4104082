"""Textual's workers and timers as the session's :class:`~smstui.session.scheduling.Scheduler`.

Work runs as workers of the screen that owns the session, so it ends with that screen and a
test's "wait until idle" waits for it too; failures reach the screen's worker-failure report.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from textual.dom import DOMNode
from textual.timer import Timer
from textual.worker import Worker

__all__ = ["WorkerScheduler"]


@dataclass(frozen=True, slots=True)
class _StoppableTimer:
    timer: Timer

    def cancel(self) -> None:
        self.timer.stop()


class WorkerScheduler:
    """Runs a session's work as workers of ``node`` and its timers as ``node``'s timers."""

    def __init__(self, node: DOMNode, *, group: str = "session") -> None:
        self._node = node
        self._group = group

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> Worker[None]:
        """Run ``work`` as a worker (an exception is reported, it does not end the app)."""
        return self._node.run_worker(work, name=name, group=self._group, exit_on_error=False)

    def call_later(self, delay: float, callback: Callable[[], None]) -> _StoppableTimer:
        """Call ``callback`` once after ``delay`` seconds."""
        return _StoppableTimer(self._node.set_timer(delay, callback))
