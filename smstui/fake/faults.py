"""Fault injection for the fake gateway: which requests get which misbehaviour.

A fault applies to requests whose path (without ``/v1``) matches its ``endpoint`` pattern
(:func:`fnmatch.fnmatchcase`, so ``"*"`` matches everything, files included). Every matching
request counts towards the fault's ``after``; once that many have passed, the next ``times``
matching requests get the fault (``times=0``: forever), or with ``every=N`` only each N-th of them
(a gateway that fails one request in five). ``latency``, ``shift`` and ``hold``
happen before the request is served and stack with anything else; of the other kinds, the first
one registered that is due wins, and only the winner uses up one of its ``times``.

``hold`` keeps a request waiting, unanswered, until the test releases it (:class:`Gate`), so a
state that lasts only while a request is on its way can be looked at without racing a timer.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from dataclasses import dataclass

PARAMS: dict[str, frozenset[str]] = {
    "latency": frozenset({"ms"}),
    "hold": frozenset(),
    "drip": frozenset({"interval", "bytes"}),
    "hang": frozenset({"seconds"}),
    "status_404_html": frozenset(),
    "status_500": frozenset(),
    "status_401": frozenset(),
    "status_502_html": frozenset(),
    "status_429": frozenset({"retry_after"}),
    "status_503": frozenset({"retry_after"}),
    "error_105": frozenset(),
    "malformed_json": frozenset(),
    "truncated": frozenset(),
    "reset": frozenset(),
    "error_in_200": frozenset(),
    "shift": frozenset({"count"}),
    "drop_after_send": frozenset(),
    "no_message_id": frozenset(),
    "bad_time": frozenset({"value"}),
    "bad_utf8": frozenset(),
    "bad_item": frozenset(),
}
"""Every fault kind and the parameters it accepts."""

KINDS = tuple(PARAMS)
_BEFORE_SERVING = frozenset({"latency", "shift", "hold"})
ParamValue = int | float | str


@dataclass(slots=True)
class Fault:
    """One registered fault and how often it has matched and fired."""

    kind: str
    endpoint: str
    times: int
    after: int
    params: dict[str, ParamValue]
    every: int = 1
    seen: int = 0
    fired: int = 0

    def matches(self, path: str) -> bool:
        """Whether a request path (without ``/v1``) falls under this fault."""
        return fnmatch.fnmatchcase(path, self.endpoint)

    @property
    def exhausted(self) -> bool:
        """True once the fault has fired ``times`` times (never for ``times=0``)."""
        return self.times != 0 and self.fired >= self.times


@dataclass(frozen=True, slots=True)
class Plan:
    """What to do to one request: delays and shifts first, then at most one response fault."""

    latency_ms: float = 0.0
    shift: int = 0
    fault: Fault | None = None
    hold: bool = False


def make_fault(
    kind: str,
    endpoint: str = "*",
    times: int = 1,
    after: int = 0,
    every: int = 1,
    **params: ParamValue,
) -> Fault:
    """Validate the arguments of ``FakeGateway.add_fault`` and build the fault."""
    if kind not in PARAMS:
        raise ValueError(f"unknown fault kind {kind!r}; choose from {', '.join(KINDS)}")
    unknown = set(params) - PARAMS[kind]
    if unknown:
        allowed = ", ".join(sorted(PARAMS[kind])) or "none"
        raise ValueError(f"fault {kind} takes no {', '.join(sorted(unknown))} (allowed: {allowed})")
    if times < 0 or after < 0:
        raise ValueError("times and after must not be negative")
    if every < 1:
        raise ValueError("every must be 1 or more")
    if endpoint.startswith("/v1/"):
        endpoint = endpoint[3:]
    return Fault(kind, endpoint or "*", times, after, dict(params), every)


class Gate:
    """Where requests of the ``hold`` fault wait until :meth:`release` (or the gateway stops)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._held = 0
        self._releases = 0

    @property
    def held(self) -> int:
        """How many requests are waiting right now."""
        with self._condition:
            return self._held

    def wait(self, stopping: threading.Event) -> None:
        """Hold the calling request until the next :meth:`release` or until ``stopping``."""
        with self._condition:
            self._held += 1
            releases = self._releases
            try:
                while self._releases == releases and not stopping.is_set():
                    self._condition.wait(0.05)
            finally:
                self._held -= 1

    def release(self) -> int:
        """Let every waiting request go on; return how many there were."""
        with self._condition:
            waiting = self._held
            self._releases += 1
            self._condition.notify_all()
            return waiting


class FaultBook:
    """The registered faults of one gateway; safe to use from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.gate = Gate()
        """Where held requests wait."""

    def add(self, fault: Fault) -> None:
        """Register a fault after the ones already there."""
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        """Forget every fault."""
        with self._lock:
            self._faults.clear()

    def snapshot(self) -> list[Fault]:
        """The registered faults (live objects: ``seen``/``fired`` keep counting)."""
        with self._lock:
            return list(self._faults)

    def plan(self, path: str) -> Plan:
        """Count a request against every matching fault and decide what happens to it."""
        latency = 0.0
        shift = 0
        hold = False
        chosen: Fault | None = None
        with self._lock:
            for fault in self._faults:
                if fault.exhausted or not fault.matches(path):
                    continue
                fault.seen += 1
                if fault.seen <= fault.after or (fault.seen - fault.after) % fault.every:
                    continue
                if fault.kind in _BEFORE_SERVING:
                    fault.fired += 1
                    if fault.kind == "latency":
                        latency += float(fault.params.get("ms", 500))
                    elif fault.kind == "hold":
                        hold = True
                    else:
                        shift += int(fault.params.get("count", 3))
                elif chosen is None:
                    fault.fired += 1
                    chosen = fault
        return Plan(latency, shift, chosen, hold)


def parse_fault_spec(spec: str) -> Fault:
    """Parse the command line form ``KIND[:ENDPOINT[:TIMES[:k=v,…]]]``.

    ``after`` and ``every`` may be given among the parameters. Values that look like numbers
    become numbers; a ``retry_after`` HTTP date (which contains commas and colons) is kept whole.

    Raises:
        ValueError: with a message fit for the user.
    """
    kind, endpoint, times_text, param_text = [*spec.split(":", 3), "", "", ""][:4]
    try:
        times = int(times_text) if times_text else 1
    except ValueError:
        raise ValueError(f"TIMES must be a whole number in {spec!r}") from None
    params: dict[str, ParamValue] = {}
    # Split on commas that start a new "key=", so an HTTP date keeps its comma.
    for item in filter(None, re.split(r",(?=\s*[A-Za-z_]+\s*=)", param_text)):
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"expected key=value, got {item!r} in {spec!r}")
        params[key.strip()] = _number_or_text(value.strip())
    after = params.pop("after", 0)
    every = params.pop("every", 1)
    if not isinstance(after, int) or not isinstance(every, int):
        raise ValueError(f"after and every must be whole numbers in {spec!r}")
    return make_fault(kind.strip(), endpoint.strip() or "*", times, after, every, **params)


def _number_or_text(value: str) -> ParamValue:
    try:
        return int(value)
    except ValueError:
        pass
    try:
        return float(value)
    except ValueError:
        return value
