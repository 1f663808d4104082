"""The message pane with N messages loaded: data arrives, scroll keys, prepending, RSS, GC.

Run one configuration per fresh process::

    .venv/bin/python benchmarks/bench_message_pane.py 100000 [--profile]

Prints the figures and one ``RESULT {json}`` line. ``--profile`` adds a cProfile of the
scroll keys and a prepend (top functions by cumulative time). ``--gc-freeze`` calls
``gc.freeze()`` after the data arrives, as the inbox screen does after each page it takes in
(``screens/thread_loading.py``): without it the largest GC pause is the loaded messages being
re-scanned; the pane alone is measured both ways.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import pstats
import time
from typing import Any

import harness

PAGE = 500
"""Messages per older page prepended."""
PREPENDS = 3
PRESSES = {"up": 30, "pageup": 15, "home": 5, "end": 5}


def build_app_class() -> type[Any]:
    from textual.app import App, ComposeResult

    from smstui.system.clock import FixedClock
    from smstui.ui.widgets.message_pane import MessagePane

    class PaneApp(App[None]):
        CSS = "MessagePane { height: 1fr; width: 1fr; }"

        def compose(self) -> ComposeResult:
            yield MessagePane(clock=FixedClock(harness.ANCHOR))

    return harness.instrumented(PaneApp)


async def data_arrives(app: Any, pane: Any, key: str, messages: list[Any]) -> dict[str, Any]:
    """``show_conversation`` with every message → the final frame."""
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    pane.show_conversation(key, messages, complete=False)
    call = time.perf_counter() - t0
    last = await harness.settle(app, t0)
    assert last is not None, "show_conversation painted nothing"
    first = app.frame_log.since(t0)[0]
    return {
        "call": call,
        "first": first.end - t0,
        "frame": last.end - t0,
        "cpu": last.cpu - cpu0,
    }


async def keys(app: Any, gc_monitor: harness.GcMonitor) -> dict[str, list[harness.KeyTiming]]:
    """Cursor up and Page Up from the bottom, then End/Home alternately."""
    timings: dict[str, list[harness.KeyTiming]] = {key: [] for key in PRESSES}
    await harness.press(app, "end")
    for key in ("up", "pageup"):
        for _ in range(PRESSES[key]):
            timings[key].append(await harness.press(app, key, gc_monitor))
        await harness.press(app, "end")
    for _ in range(PRESSES["home"]):
        timings["home"].append(await harness.press(app, "home", gc_monitor))
        timings["end"].append(await harness.press(app, "end", gc_monitor))
    return timings


def anchor_row(rows: list[tuple[str, str | None]]) -> tuple[str | None, int]:
    """The first message with a line on screen and the row of that line."""
    for row, (_, key) in enumerate(rows):
        if key is not None:
            return key, row
    return None, -1


async def prepend(
    app: Any, pane: Any, older: list[Any], gc_monitor: harness.GcMonitor
) -> dict[str, Any]:
    """Home, then one older page on top: call → final frame, and did the view stay put."""
    await harness.press(app, "home")
    await harness.settle(app, time.perf_counter())
    # The pane fills the screen from x=0; leave its scrollbar out of the comparison.
    width = pane.scrollable_content_region.width
    before = harness.screen_rows(app, width)
    key, row = anchor_row(before)
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    pane.prepend_older(older, complete=False)
    call = time.perf_counter() - t0
    last = await harness.settle(app, t0)
    assert last is not None, "prepend_older painted nothing"
    after = harness.screen_rows(app, width)
    rows_after = [r for r, (_, k) in enumerate(after) if k == key]
    kept = bool(rows_after) and rows_after[0] == row
    # Everything from the anchored message down must be unchanged, pixel for pixel.
    same_below = kept and [t for t, _ in before[row:]] == [t for t, _ in after[row:]]
    return {
        "call": call,
        "frame": last.end - t0,
        "cpu": last.cpu - cpu0,
        "gc": gc_monitor.within(t0, last.end),
        "kept_row": kept and same_below,
        "row": row,
        "row_after": rows_after[0] if rows_after else None,
    }


async def run(count: int, profile: bool, freeze: bool) -> dict[str, Any]:
    app_class = build_app_class()
    messages = harness.make_messages(count + PAGE * PREPENDS)
    older_pages = [messages[i * PAGE : (i + 1) * PAGE] for i in range(PREPENDS)][::-1]
    loaded = messages[PAGE * PREPENDS :]
    del messages
    app = app_class()
    result: dict[str, Any] = {"bench": "message_pane", "n": count, "gc_freeze": freeze}
    with harness.GcMonitor() as gc_monitor:
        async with app.run_test(size=harness.SIZE):
            await harness.first_idle(app)
            from smstui.ui.widgets.message_pane import MessagePane

            pane = app.query_one(MessagePane)
            pane.focus()
            await harness.settle(app, time.perf_counter(), no_frame_timeout=0.2)
            gc_monitor.mark()
            arrivals = [await data_arrives(app, pane, f"k{i}", loaded) for i in range(3)]
            load_gc = gc_monitor.largest_since_mark()
            rss_loaded = harness.rss_mb()
            result["gc_tracked_objects"] = len(gc.get_objects())
            if freeze:
                gc.freeze()

            profiler = cProfile.Profile() if profile else None
            gc_monitor.mark()
            if profiler:
                profiler.enable()
            timings = await keys(app, gc_monitor)
            prepends = []
            for page in older_pages:
                prepends.append(await prepend(app, pane, page, gc_monitor))
            if profiler:
                profiler.disable()
            interaction_gc = gc_monitor.largest_since_mark()
            result["final_count"] = pane.message_count
            result["cache"] = {"hits": pane.cache_hits, "misses": pane.cache_misses}

    result["arrive_frame_ms"] = harness.median_ms(a["frame"] for a in arrivals)
    result["arrive_first_frame_ms"] = harness.median_ms(a["first"] for a in arrivals)
    result["arrive_call_ms"] = harness.median_ms(a["call"] for a in arrivals)
    result["arrive_cpu_ms"] = harness.median_ms(a["cpu"] for a in arrivals)
    for key, presses in timings.items():
        result[f"{key}_median_ms"] = harness.median_ms(p.latency for p in presses)
        result[f"{key}_worst_ms"] = harness.worst_ms(p.latency for p in presses)
        worst = max(presses, key=lambda p: p.latency or 0.0)
        result[f"{key}_worst_gc_ms"] = harness.ms(worst.gc)
        result[f"{key}_cpu_ms"] = harness.median_ms(p.cpu for p in presses)
        result[f"{key}_no_frame"] = sum(p.latency is None for p in presses)
    result["prepend_frame_ms"] = harness.median_ms(p["frame"] for p in prepends)
    result["prepend_worst_ms"] = harness.worst_ms(p["frame"] for p in prepends)
    worst_prepend = max(prepends, key=lambda p: p["frame"])
    result["prepend_worst_gc_ms"] = harness.ms(worst_prepend["gc"])
    result["prepend_cpu_ms"] = harness.median_ms(p["cpu"] for p in prepends)
    result["prepend_call_ms"] = harness.median_ms(p["call"] for p in prepends)
    result["prepend_kept_row"] = all(p["kept_row"] for p in prepends)
    result["prepend_rows"] = [(p["row"], p["row_after"]) for p in prepends]
    result["rss_loaded_mb"] = round(rss_loaded, 1)
    result["rss_peak_mb"] = round(harness.rss_mb(), 1)
    result["gc_load_ms"] = harness.ms(load_gc[0])
    result["gc_load_gen"] = load_gc[1]
    result["gc_interaction_ms"] = harness.ms(interaction_gc[0])
    result["gc_interaction_gen"] = interaction_gc[1]
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        result["profile"] = out.getvalue()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, help="messages loaded")
    parser.add_argument("--profile", action="store_true", help="cProfile keys and prepends")
    parser.add_argument("--gc-freeze", action="store_true", help="gc.freeze() after loading")
    args = parser.parse_args()
    harness.isolate_home()
    result = asyncio.run(run(args.count, args.profile, args.gc_freeze))
    profile = result.pop("profile", None)
    for name, value in result.items():
        print(f"  {name:<22} {value}")
    if profile:
        print(profile)
    harness.emit(result)


if __name__ == "__main__":
    main()
