"""When gateway trouble is worth saying: one rule for the app's status line and ``smstui watch``.

A GET that fails and works on its retry is the client doing its job; saying so each time makes
a gateway that drops one request in five look broken a fifth of the time. So:

- Trouble starts at the first failed attempt after an answer and is said once it has lasted
  :data:`GRACE` seconds with no answer in between. Time, not a count of failed polls: a poll
  is itself up to four attempts with at most 0.5 + 1 + 2 s of jittered pause between them, so
  a blip the retries absorb ends well inside 10 s, while an outage is said about 10 s after it
  began whatever the poll interval (counting polls would wait two intervals and backoffs,
  a minute or more at the default 15 s).
- "Connected again" is said at the first answer after trouble was said, and only then.
- "Up to date" follows :data:`SETTLE` seconds later, when nothing failed meanwhile.

The caller feeds events in (:meth:`GatewayTrouble.failed`, :meth:`~GatewayTrouble.answered`)
and asks again at :meth:`~GatewayTrouble.due` (:meth:`~GatewayTrouble.check`); each returns
what to say now, or None. Pure: no I/O, no UI, the clock is injected. Sends never come here:
they are never retried, and their failures are told at once by the send flow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = ["GRACE", "SETTLE", "GatewayTrouble", "Say"]

GRACE = 10.0
"""Seconds failures must last, with no answer between them, before they are said."""

SETTLE = 5.0
"""Seconds "Connected again" stays before "Up to date" (if nothing failed meanwhile)."""


@dataclass(frozen=True, slots=True)
class Say:
    """What to tell the user now.

    Attributes:
        kind: ``trouble`` (the gateway has not answered for a while), ``back`` (it answers
            again after trouble was said) or ``settled`` (all is well again: "Up to date").
        problem: For ``trouble``, the latest failure in one line.
        retry_at: For ``trouble``, when the next attempt is due (clock seconds), if known.
    """

    kind: Literal["trouble", "back", "settled"]
    problem: str = ""
    retry_at: float | None = None


class GatewayTrouble:
    """Decides when failures to reach the gateway are worth saying (see the module doc).

    Args:
        clock: Current time in seconds (the app's clock; tests move it).
        grace: Seconds failures must last before they are said.
        settle: Seconds between "Connected again" and "Up to date".
    """

    def __init__(
        self, clock: Callable[[], float], *, grace: float = GRACE, settle: float = SETTLE
    ) -> None:
        self._clock = clock
        self._grace = grace
        self._settle = settle
        self._since: float | None = None
        self._problem = ""
        self._retry_at: float | None = None
        self._said = False
        self._back_at: float | None = None

    @property
    def said(self) -> bool:
        """Whether trouble has been said and the gateway has not answered since."""
        return self._said

    def failed(self, problem: str, retry_at: float | None = None) -> Say | None:
        """An attempt failed (a retry is coming, or a poll gave up).

        Args:
            problem: The failure in one line.
            retry_at: When the next attempt is due, if known.

        Returns:
            ``trouble`` once it has lasted (again while it is said, so a countdown can follow
            the new retry time); otherwise None.
        """
        now = self._clock()
        if self._since is None:
            self._since = now
        self._problem = problem
        self._retry_at = retry_at
        if self._said or now - self._since >= self._grace:
            return self._trouble()
        return None

    def told(self) -> None:
        """A failure was shown another way (one the user asked for): say when it answers."""
        self._said = True
        self._back_at = None

    def answered(self) -> Say | None:
        """The gateway answered a read.

        Returns:
            ``back`` when trouble had been said; ``settled`` when "Connected again" has stood
            long enough; otherwise None.
        """
        now = self._clock()
        self._since = None
        if self._said:
            self._said = False
            self._back_at = now
            return Say("back")
        return self._settled(now)

    def check(self) -> Say | None:
        """Look again without a new event (call it at :meth:`due`)."""
        now = self._clock()
        if self._since is not None and not self._said and now - self._since >= self._grace:
            return self._trouble()
        return self._settled(now)

    def due(self) -> float | None:
        """When :meth:`check` may have something new to say; None when nothing is pending."""
        if self._since is not None and not self._said:
            return self._since + self._grace
        if self._back_at is not None:
            return self._back_at + self._settle
        return None

    def _trouble(self) -> Say:
        self._said = True
        self._back_at = None  # a "Connected again" still showing is overtaken
        return Say("trouble", self._problem, self._retry_at)

    def _settled(self, now: float) -> Say | None:
        if (
            self._back_at is not None
            and self._since is None
            and now - self._back_at >= self._settle
        ):
            self._back_at = None
            return Say("settled")
        return None
