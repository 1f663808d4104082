"""Running the ``[[hooks]]`` for new messages: argv only, JSON on stdin, rate limit, timeout.

Each run of a hook is a child process started without a shell, in a session (and so a process
group) of its own, with the message's JSON object on its standard input. Its standard output is
discarded (``watch`` owns ours); the end of its standard error goes to the log when it fails. A
hook still running at its ``timeout`` is killed with its whole process group (SIGTERM, then
SIGKILL a moment later) and logged. Each rule runs at most ``max_per_minute`` times in any
60 seconds; the runs it skips are logged. The client secret is not passed to hooks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from smstui.cli.output import dumps
from smstui.system.credentials import CLIENT_SECRET_ENV
from smstui.system.hook_config import HookRule

__all__ = ["HookResult", "HookRunner"]

logger = logging.getLogger(__name__)

KILL_GRACE = 1.0
"""Seconds between SIGTERM and SIGKILL for a hook past its timeout."""

STDERR_KEPT = 2000
"""Characters of a failed hook's standard error written to the log."""


@dataclass(frozen=True)
class HookResult:
    """How one run of a hook ended."""

    rule: str
    returncode: int | None
    """The exit status (negative: killed by that signal); None when it could not start."""
    timed_out: bool = False
    error: str = ""


class HookRunner:
    """Fires the matching rules for each new message.

    Args:
        rules: The configured rules.
        monotonic: Clock for the rate limit (tests pass their own).
        report: Told one line about each run that failed, timed out or was skipped.
        env: The hooks' environment (``os.environ`` without the client secret by default).
    """

    def __init__(
        self,
        rules: tuple[HookRule, ...],
        *,
        monotonic: Callable[[], float] = time.monotonic,
        report: Callable[[str], None] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._rules = rules
        self._monotonic = monotonic
        self._report = report
        base = os.environ if env is None else env
        self._env = {k: v for k, v in base.items() if k != CLIENT_SECRET_ENV}
        self._runs: dict[int, deque[float]] = {index: deque() for index in range(len(rules))}
        self._tasks: set[asyncio.Task[HookResult]] = set()
        self.results: list[HookResult] = []
        """Every finished run, in the order they ended."""

    def fire(self, message: Mapping[str, object]) -> list[asyncio.Task[HookResult]]:
        """Start every rule that matches a message (a JSON object of ``--json``'s schema)."""
        started = []
        for index, rule in enumerate(self._rules):
            if not rule.matches(
                str(message.get("direction", "")),
                str(message.get("conversation", "")),
                str(message.get("text", "")),
            ):
                continue
            if not self._allowed(index, rule):
                self._say(f"hook {rule.name}: skipped, over {rule.max_per_minute} runs a minute")
                continue
            task = asyncio.create_task(self._run(rule, dumps(message) + "\n"))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            started.append(task)
        return started

    def _allowed(self, index: int, rule: HookRule) -> bool:
        now = self._monotonic()
        runs = self._runs[index]
        while runs and runs[0] <= now - 60:
            runs.popleft()
        if len(runs) >= rule.max_per_minute:
            return False
        runs.append(now)
        return True

    async def drain(self) -> None:
        """Wait for the hooks still running (each ends by its timeout at the latest)."""
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _run(self, rule: HookRule, payload: str) -> HookResult:
        try:
            process = await asyncio.create_subprocess_exec(
                *rule.run,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
                env=self._env,
                start_new_session=True,  # its own process group: a timeout kills all of it
            )
        except OSError as error:
            return self._done(HookResult(rule.name, None, error=f"cannot start: {error}"))
        try:
            _, stderr = await asyncio.wait_for(
                process.communicate(payload.encode("utf-8", "surrogatepass")), rule.timeout
            )
        except TimeoutError:
            await _kill_group(process)
            return self._done(HookResult(rule.name, process.returncode, timed_out=True,
                                         error=f"killed after {rule.timeout:g} s"))  # fmt: skip
        except asyncio.CancelledError:
            await _kill_group(process)
            raise
        tail = stderr.decode("utf-8", "replace")[-STDERR_KEPT:].strip()
        failure = f"exit status {process.returncode}" + (f": {tail}" if tail else "")
        return self._done(HookResult(rule.name, process.returncode,
                                     error="" if process.returncode == 0 else failure))  # fmt: skip

    def _done(self, result: HookResult) -> HookResult:
        self.results.append(result)
        if result.error:
            self._say(f"hook {result.rule}: {result.error}")
        else:
            logger.info("hook %s: done", result.rule)
        return result

    def _say(self, text: str) -> None:
        logger.warning("%s", text)
        if self._report is not None:
            self._report(text)


async def _kill_group(process: asyncio.subprocess.Process) -> None:
    """SIGTERM the hook's process group, SIGKILL it if it lingers, and reap the hook."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            await asyncio.wait_for(process.wait(), KILL_GRACE)
        except TimeoutError:
            continue
        if sig == signal.SIGTERM:
            # The leader is gone; children that ignored SIGTERM are still in the group.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
        return
