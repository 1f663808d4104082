"""The conversation list with N rows: set_conversations → frame, cursor keys, RSS, GC.

Run one configuration per fresh process::

    .venv/bin/python benchmarks/bench_conversation_list.py 10000

The list is 40 columns wide beside a filler pane, as in the app (perf-anchors §3).
Prints the figures and one ``RESULT {json}`` line.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

import harness

DOWN_PRESSES = 20
END_PRESSES = 3
LOADS = 3


def build_app_class() -> type[Any]:
    from textual.app import App, ComposeResult
    from textual.containers import Horizontal
    from textual.widgets import Static

    from smstui.system.clock import FixedClock
    from smstui.ui.widgets.conversation_list import ConversationList

    class ListApp(App[None]):
        CSS = """
        ConversationList { width: 40; height: 1fr; }
        #filler { width: 1fr; height: 1fr; }
        """

        def compose(self) -> ComposeResult:
            with Horizontal():
                yield ConversationList(clock=FixedClock(harness.ANCHOR))
                yield Static("", id="filler")

    return harness.instrumented(ListApp)


async def run(count: int) -> dict[str, Any]:
    from smstui.ui.widgets.conversation_list import ConversationList

    app = build_app_class()()
    rows = harness.make_summaries(count)
    result: dict[str, Any] = {"bench": "conversation_list", "n": count}
    with harness.GcMonitor() as gc_monitor:
        async with app.run_test(size=harness.SIZE):
            await harness.first_idle(app)
            widget = app.query_one(ConversationList)
            widget.focus()
            await harness.settle(app, time.perf_counter(), no_frame_timeout=0.2)
            gc_monitor.mark()
            loads = []
            for _ in range(LOADS):
                cpu0 = time.process_time()
                t0 = time.perf_counter()
                # A new sequence each time, as the inbox screen passes after every page.
                widget.set_conversations(list(rows), complete=True)
                call = time.perf_counter() - t0
                last = await harness.settle(app, t0)
                assert last is not None, "set_conversations painted nothing"
                first = app.frame_log.since(t0)[0]
                loads.append((call, first.end - t0, last.end - t0, last.cpu - cpu0))
                await harness.press(app, "home")
            load_gc = gc_monitor.largest_since_mark()

            gc_monitor.mark()
            downs = [await harness.press(app, "down") for _ in range(DOWN_PRESSES)]
            ends = []
            for _ in range(END_PRESSES):
                ends.append(await harness.press(app, "end"))
                await harness.press(app, "home")
            key_gc = gc_monitor.largest_since_mark()
            assert widget.highlighted_key == rows[0].key

    # The first call meets cold caches (styles, row strips): that is what a user sees once.
    cold_call, cold_first, cold_final, cold_cpu = loads[0]
    result["set_cold_call_ms"] = harness.ms(cold_call)
    result["set_cold_first_frame_ms"] = harness.ms(cold_first)
    result["set_cold_final_frame_ms"] = harness.ms(cold_final)
    result["set_cold_cpu_ms"] = harness.ms(cold_cpu)
    warm = loads[1:]
    result["set_warm_first_frame_ms"] = harness.median_ms(first for _, first, _, _ in warm)
    result["set_warm_final_frame_ms"] = harness.median_ms(final for _, _, final, _ in warm)
    result["down_median_ms"] = harness.median_ms(p.latency for p in downs)
    result["down_worst_ms"] = harness.worst_ms(p.latency for p in downs)
    result["down_cpu_ms"] = harness.median_ms(p.cpu for p in downs)
    result["end_median_ms"] = harness.median_ms(p.latency for p in ends)
    result["end_worst_ms"] = harness.worst_ms(p.latency for p in ends)
    result["rss_peak_mb"] = round(harness.rss_mb(), 1)
    result["gc_load_ms"] = harness.ms(load_gc[0])
    result["gc_keys_ms"] = harness.ms(key_gc[0])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, help="conversations")
    args = parser.parse_args()
    harness.isolate_home()
    result = asyncio.run(run(args.count))
    for name, value in result.items():
        print(f"  {name:<24} {value}")
    harness.emit(result)


if __name__ == "__main__":
    main()
