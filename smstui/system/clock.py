"""Clocks, injected everywhere time is shown, so tests and snapshots are deterministic."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current time as epoch seconds."""

    def now(self) -> float:
        """Return the current time in seconds since the epoch."""
        ...


def wall_time() -> float:
    """Return the real time, ``time.time()``: the one read of the wall clock in smstui.

    The default of parameters that take a clock function; the app passes its own clock.
    """
    return time.time()


class SystemClock:
    """The real wall clock."""

    def now(self) -> float:
        """Return ``time.time()``."""
        return wall_time()


class FixedClock:
    """A clock that only moves when told to; used by tests, snapshots and benchmarks."""

    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        """Return the fixed time."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self._now += seconds
