"""Ending the app cleanly when its terminal goes away or it is told to stop.

Without this, SIGHUP (the SSH connection dropped, the terminal window closed) and SIGTERM kill
the process on the spot: the draft being typed is lost and the terminal is left in the alternate
screen with mouse tracking on. A terminal that is gone without a signal (the pty closed while
smstui is not its session's controlling process) is seen only as end of input, which Textual's
input thread does not report, so the process would poll the gateway forever.

:class:`TerminalWatch` turns all three into one call, ``stop(exit_code)``, on the event loop;
the app saves its drafts and exits the normal way, which restores the terminal. Should that
shutdown hang (a terminal that is gone can block writes), the process ends anyway a few seconds
later.

Exit codes follow the shell's convention for a death by signal, ``128 + signal``: 129 for a
hangup or a terminal that went away, 143 for SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import os
import select
import signal
import threading
from collections.abc import Callable
from types import FrameType

from smstui.system.exit_codes import EXIT_HANGUP, EXIT_TERMINATED

log = logging.getLogger(__name__)

GRACE_SECONDS = 5.0
"""How long a clean shutdown may take after the stop before the process is ended regardless."""
POLL_SECONDS = 0.25
"""How often the watcher thread wakes up to see whether it should end."""

_HANGUP_EVENTS = select.POLLHUP | select.POLLERR | select.POLLNVAL


class TerminalWatch:
    """Calls ``stop(exit_code)`` on the event loop once, on SIGHUP, SIGTERM or terminal hangup.

    Args:
        stop: Saves what must not be lost and asks the app to exit with the code it is given.
            Called on the event loop's thread.
        fd: The terminal's file descriptor to watch for a hangup (standard input).
        grace: Seconds a clean shutdown may take before the process is ended with ``os._exit``.
        hard_exit: Ends the process (replaced in tests).
    """

    def __init__(
        self,
        stop: Callable[[int], None],
        *,
        fd: int = 0,
        grace: float = GRACE_SECONDS,
        hard_exit: Callable[[int], None] = os._exit,
    ) -> None:
        self._stop = stop
        self._fd = fd
        self._grace = grace
        self._hard_exit = hard_exit
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous: dict[int, object] = {}
        self._closed = threading.Event()
        self._stopping = threading.Lock()
        self._deadline: threading.Timer | None = None
        self.exit_code: int | None = None
        """The code the stop was asked with; None while nothing happened."""

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Install the signal handlers and start watching the terminal (main thread only).

        Args:
            loop: The running event loop ``stop`` is called on.
        """
        self._loop = loop
        for signum in (signal.SIGHUP, signal.SIGTERM):
            try:
                self._previous[signum] = signal.signal(signum, self._on_signal)
            except ValueError:  # not the main thread: leave the signals alone
                log.warning("cannot handle %s outside the main thread", signum)
        threading.Thread(target=self._watch, name="smstui-terminal-watch", daemon=True).start()

    def close(self) -> None:
        """Put the previous signal handlers back and stop watching; safe to call twice."""
        self._closed.set()
        if self._deadline is not None:
            self._deadline.cancel()  # the app ended in time
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]  # what signal() returned
        self._previous.clear()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        # Runs in the main thread between two bytecodes, maybe inside the event loop's own
        # code: only hand over to the loop (thread-safe) and arm the deadline.
        reason = "hangup" if signum == signal.SIGHUP else "SIGTERM"
        code = EXIT_HANGUP if signum == signal.SIGHUP else EXIT_TERMINATED
        self.trigger(code, reason)

    def trigger(self, code: int, reason: str) -> None:
        """Ask the app to stop with ``code``; the first request wins, later ones are ignored."""
        if not self._stopping.acquire(blocking=False):
            return
        self.exit_code = code
        log.warning("stopping: %s", reason)
        deadline = threading.Timer(self._grace, self._too_late, args=(code,))
        deadline.name = "smstui-stop-deadline"
        deadline.daemon = True
        deadline.start()
        self._deadline = deadline
        loop = self._loop
        if loop is None or loop.is_closed():
            self._hard_exit(code)
            return
        try:
            loop.call_soon_threadsafe(self._stop, code)
        except RuntimeError:  # the loop closed in between
            self._hard_exit(code)

    def _too_late(self, code: int) -> None:
        if not self._closed.is_set():
            log.error("the app did not end within %g s of the stop; ending it now", self._grace)
            logging.shutdown()
            self._hard_exit(code)

    def _watch(self) -> None:
        """Wait for the terminal to hang up (end of input on a tty reports POLLHUP)."""
        poller = select.poll()
        poller.register(self._fd, 0)  # no events asked: only hangup and errors are reported
        while not self._closed.is_set():
            try:
                events = poller.poll(POLL_SECONDS * 1000)
            except OSError:
                return
            if any(mask & _HANGUP_EVENTS for _, mask in events):
                self.trigger(EXIT_HANGUP, "the terminal went away")
                return
