"""Fixtures for the team-mode tests: the fake gateway's client fixtures, and waiting helpers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from tests.api.conftest import gateway, make_client, sleeps

__all__ = ["gateway", "make_client", "sleeps", "wait_for", "wait_until"]


def wait_until(condition: Callable[[], object], timeout: float = 10.0, step: float = 0.01) -> float:
    """Wait for ``condition`` to hold; return the seconds it took (fail after ``timeout``)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout} s")
        time.sleep(step)
    return time.monotonic() - started


async def wait_for(condition: Callable[[], object], within: float = 10.0) -> float:
    """:func:`wait_until` for async tests (the event loop keeps running)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > within:
            raise AssertionError(f"not within {within} s")
        await asyncio.sleep(0.01)
    return time.monotonic() - started
