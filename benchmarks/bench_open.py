"""Open a conversation in the running app → first frame showing its messages.

Run one configuration per fresh process::

    .venv/bin/python benchmarks/bench_open.py --latency-ms 50

The whole ``SmsApp`` runs (headless, 120×40) against ``FakeGateway(scale="full")`` over
loopback HTTP. After start-up has settled, a small thread and the 50,000-message thread are
opened alternately with ``InboxScreen.open_conversation``; each open is timed from the call to:
the client's request (``SmsClient.conversation`` called), the gateway receiving it, the parsed
response (the call returns), and the first frame in which the pane shows that conversation's
messages. Prints the figures and one ``RESULT {json}`` line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

import harness

OPENS_PER_THREAD = 5
SECRET = "bench-secret-0123456789"


@dataclass
class OpenTimeline:
    """Moments (perf_counter) of one open."""

    name: str
    key: str
    start: float
    returned: float = 0.0
    request: float | None = None
    received: float | None = None
    response: float | None = None
    painted: float | None = None
    messages: int = 0


@dataclass
class Probe:
    """Hooks that stamp the current open's timeline."""

    current: OpenTimeline | None = None
    done: list[OpenTimeline] = field(default_factory=list)


def install_request_probes(probe: Probe, gateway: Any) -> None:
    """Stamp the conversation request client-side (call, return) and server-side (received).

    Call before ``gateway.start()``: the server binds ``gateway._record`` then.
    """
    from smstui.api.client import SmsClient

    original = SmsClient.conversation

    async def conversation(self: Any, number: str, **kwargs: Any) -> Any:
        timeline = probe.current
        if timeline is not None and timeline.request is None:
            timeline.request = time.perf_counter()
        page = await original(self, number, **kwargs)
        if timeline is not None and timeline.response is None:
            timeline.response = time.perf_counter()
        return page

    SmsClient.conversation = conversation  # type: ignore[method-assign]

    record = gateway._record

    def stamped(request: Any) -> None:
        timeline = probe.current
        if timeline is not None and timeline.received is None and "/conversation/" in request.path:
            timeline.received = time.perf_counter()
        record(request)

    gateway._record = stamped


def install_frame_probe(probe: Probe, app: Any) -> None:
    """Stamp the first frame in which the pane shows the opened conversation's messages."""
    from smstui.ui.widgets.message_pane import MessagePane

    def on_frame(frame: harness.Frame) -> None:
        timeline = probe.current
        if timeline is None or timeline.painted is not None:
            return
        with contextlib.suppress(Exception):  # the inbox screen may not exist yet
            pane = app.screen.query_one(MessagePane)
            if pane.conversation_key == timeline.key and pane.message_count:
                timeline.painted = frame.end
                timeline.messages = pane.message_count

    app.frame_log.listeners.append(on_frame)


async def wait_for_workers(app: Any) -> None:
    from textual.worker import WorkerCancelled

    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await harness.settle(app, time.perf_counter(), no_frame_timeout=0.1)


def pick_small_thread(gateway: Any, largest: str) -> str:
    """A conversation of 10–40 messages: one page, complete."""
    for number in gateway.conversation_numbers():
        if number != largest and 10 <= gateway.message_count(number) <= 40:
            return str(number)
    raise RuntimeError("no small conversation in the fake data")


async def run(latency_ms: int) -> dict[str, Any]:
    from smstui.domain.phones import conversation_key
    from smstui.fake import FakeGateway
    from smstui.system.clock import FixedClock
    from smstui.system.config import Settings
    from smstui.system.opener import Environment
    from smstui.system.secret import Credentials, Secret
    from smstui.ui.app import SmsApp
    from smstui.ui.screens.inbox import InboxScreen

    gateway = FakeGateway(
        client_id="bench", client_secret=SECRET, seed=7, scale="full", anchor=harness.ANCHOR
    )
    probe = Probe()
    install_request_probes(probe, gateway)
    url = gateway.start()
    app = harness.instrumented(SmsApp)(
        settings=Settings(base_url=url),
        credentials=Credentials("bench", Secret(SECRET), source="bench"),
        clock=FixedClock(harness.ANCHOR),
        environment=Environment(remote=True, has_display=False),
    )
    install_frame_probe(probe, app)
    if latency_ms:
        gateway.add_fault("latency", "*", times=0, ms=latency_ms)
    largest = gateway.largest_conversation
    small = pick_small_thread(gateway, largest)
    targets = {
        "small": (conversation_key(small), gateway.message_count(small)),
        "50k": (conversation_key(largest), gateway.message_count(largest)),
    }
    result: dict[str, Any] = {"bench": "open", "latency_ms": latency_ms}
    with harness.GcMonitor() as gc_monitor:
        try:
            async with app.run_test(size=harness.SIZE):
                await harness.first_idle(app)
                await wait_for_workers(app)
                screen = app.screen
                assert isinstance(screen, InboxScreen), type(screen)
                gc_monitor.mark()
                for _ in range(OPENS_PER_THREAD):
                    for name, (key, _count) in targets.items():
                        timeline = OpenTimeline(name, key, time.perf_counter())
                        probe.current = timeline
                        timeline.start = time.perf_counter()
                        screen.open_conversation(key)
                        timeline.returned = time.perf_counter()
                        await wait_for_workers(app)
                        probe.current = None
                        probe.done.append(timeline)
                open_gc = gc_monitor.largest_since_mark()
        finally:
            gateway.stop()

    for name, (_key, count) in targets.items():
        opens = [t for t in probe.done if t.name == name]
        missing = [t for t in opens if t.painted is None or t.response is None]
        assert not missing, f"{len(missing)} opens of {name} never painted"
        prefix = f"{name}_"
        result[prefix + "thread_messages"] = count
        result[prefix + "loaded"] = opens[-1].messages
        result[prefix + "call_ms"] = harness.median_ms(t.returned - t.start for t in opens)
        result[prefix + "request_ms"] = harness.median_ms(
            None if t.request is None else t.request - t.start for t in opens
        )
        result[prefix + "received_ms"] = harness.median_ms(
            None if t.received is None else t.received - t.start for t in opens
        )
        result[prefix + "response_ms"] = harness.median_ms(t.response - t.start for t in opens)  # type: ignore[operator]
        result[prefix + "painted_ms"] = harness.median_ms(t.painted - t.start for t in opens)  # type: ignore[operator]
        after = [t.painted - t.response for t in opens]  # type: ignore[operator]
        result[prefix + "paint_after_response_ms"] = harness.median_ms(after)
        result[prefix + "paint_after_response_worst_ms"] = harness.worst_ms(after)
    result["gc_open_ms"] = harness.ms(open_gc[0])
    result["rss_peak_mb"] = round(harness.rss_mb(), 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every request")
    args = parser.parse_args()
    harness.isolate_home()
    result = asyncio.run(run(args.latency_ms))
    for name, value in result.items():
        print(f"  {name:<36} {value}")
    harness.emit(result)


if __name__ == "__main__":
    main()
