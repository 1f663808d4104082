"""TerminalWatch: one stop per signal or hangup, on the loop, and a deadline if shutdown hangs."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from smstui.system.terminal_watch import TerminalWatch


def wait_until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


class Harness:
    """A running event loop in a thread, a pipe standing in for the terminal, and recorders."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.read_end, self.write_end = os.pipe()
        self.write_closed = False
        self.stops: list[tuple[int, bool]] = []
        self.hard_exits: list[int] = []

    def stop(self, code: int) -> None:
        on_the_loop = threading.current_thread() is self.thread
        self.stops.append((code, on_the_loop))

    def watch(self, grace: float = 30.0) -> TerminalWatch:
        watch = TerminalWatch(
            self.stop, fd=self.read_end, grace=grace, hard_exit=self.hard_exits.append
        )
        watch.start(self.loop)
        return watch

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()
        os.close(self.read_end)
        if not self.write_closed:
            os.close(self.write_end)

    def close_write_end(self) -> None:
        """The other side of the "terminal" goes away."""
        os.close(self.write_end)
        self.write_closed = True


@pytest.fixture
def harness() -> Iterator[Harness]:
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGHUP, signal.SIGTERM)}
    made = Harness()
    yield made
    made.close()
    for signum, handler in before.items():
        signal.signal(signum, handler)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_stops_once_on_the_loop(harness, signum, code):
    previous = signal.getsignal(signum)
    watch = harness.watch()
    os.kill(os.getpid(), signum)
    wait_until(lambda: harness.stops == [(code, True)])
    os.kill(os.getpid(), signal.SIGTERM)  # a second request changes nothing
    os.kill(os.getpid(), signal.SIGHUP)
    watch.close()
    assert harness.stops == [(code, True)]
    assert watch.exit_code == code
    assert harness.hard_exits == []
    assert signal.getsignal(signum) is previous


def test_end_of_input_on_the_terminal_stops_with_129(harness):
    watch = harness.watch()
    harness.close_write_end()  # the read end now reports a hangup, as a vanished tty does
    wait_until(lambda: harness.stops == [(129, True)])
    watch.close()


def test_a_shutdown_that_hangs_is_ended_after_the_grace_period(harness):
    watch = harness.watch(grace=0.2)
    os.kill(os.getpid(), signal.SIGTERM)
    wait_until(lambda: harness.hard_exits == [143])
    watch.close()
    assert harness.stops == [(143, True)]


def test_a_clean_shutdown_is_not_cut_short(harness):
    watch = harness.watch(grace=0.2)
    os.kill(os.getpid(), signal.SIGTERM)
    wait_until(lambda: bool(harness.stops))
    watch.close()  # the app ended in time
    wait_until(lambda: not any(t.name == "smstui-stop-deadline" for t in threading.enumerate()))
    assert harness.hard_exits == []
