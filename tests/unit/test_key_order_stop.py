"""The input thread's wait for a key to be handled ends as soon as the driver stops.

When a key quits the app, the app's loop stops running coroutines and blocks joining the input
thread; a wait that only ended at its limit made ``q`` take five seconds to quit while the
history backfill kept the app busy.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from smstui.ui.key_order import HANDLING_LIMIT, wait_until_handled


def test_the_wait_ends_when_the_driver_stops_not_at_the_limit() -> None:
    loop = asyncio.new_event_loop()
    release = threading.Event()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    # The app's loop is stuck, as it is while it joins the input thread on the way out.
    loop.call_soon_threadsafe(release.wait)
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    app: Any = object()
    try:
        started = time.monotonic()
        assert wait_until_handled(app, loop, stop=stop) is False
        waited = time.monotonic() - started
    finally:
        release.set()
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
    assert stop.is_set()
    assert waited < HANDLING_LIMIT / 2, f"waited {waited:.1f} s for a driver that had stopped"


def test_a_key_handed_over_counts_as_pending_until_the_app_has_it() -> None:
    """Between the app's queue and its handler a key is in no queue: the counter covers it."""
    from types import SimpleNamespace

    from smstui.ui.key_order import KeyCounter, _pending

    counter = KeyCounter()
    app: Any = SimpleNamespace(key_counter=counter)  # no screen: nothing else can be pending
    assert not _pending(app)
    counter.handed()
    assert _pending(app), "handed over, not yet at the app's handler"
    counter.arrived()
    assert not _pending(app)
