"""Run every smstui benchmark, each configuration in a fresh process, and print one table.

Run::

    .venv/bin/python benchmarks/run_all.py [--quick] [--markdown PATH] [--store]

``--quick`` runs each configuration once (about half the time); ``--markdown`` also writes the
table as Markdown (for README.md); ``--store`` also runs ``bench_store.py`` (the local store,
about 4–5 minutes more) and prints its report. The method is described in README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import harness
from table import Row, Section, fmt, goal_row, pair, render_markdown, render_text, with_gc

HERE = Path(__file__).resolve().parent
PANE_SIZES = (1000, 10000, 50000, 100000)
LIST_SIZES = (1000, 10000)
LATENCIES = (0, 50)
KEYS = (("pageup", "PgUp"), ("home", "Home"), ("end", "End"), ("up", "cursor up"))

Result = dict[str, Any]


# Running -----------------------------------------------------------------------------------------


def run_script(script: str, *args: str) -> tuple[Result, str]:
    """Run one benchmark script in a fresh interpreter; return its RESULT and its output."""
    argv = [sys.executable, str(HERE / script), *args]
    print(f"  … {script} {' '.join(args)}", flush=True)
    done = subprocess.run(
        argv, capture_output=True, text=True, env=os.environ.copy(), timeout=600, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith(harness.RESULT_PREFIX):
            return json.loads(line[len(harness.RESULT_PREFIX) :]), done.stdout
    raise RuntimeError(f"{script} {args} failed ({done.returncode}):\n{done.stderr[-3000:]}")


def merge(runs: list[Result]) -> Result:
    """Combine fresh-process runs: medians of medians, worst of worsts, all() of checks."""
    merged: Result = {}
    for key in runs[0]:
        values = [run[key] for run in runs if run.get(key) is not None]
        if not values:
            merged[key] = None
        elif all(value == values[0] for value in values):
            merged[key] = values[0]  # configuration, or a figure every run agrees on
        elif isinstance(values[0], bool):
            merged[key] = all(values)
        elif isinstance(values[0], int | float):
            worst = "worst" in key or key.startswith(("gc_", "rss_", "requests"))
            merged[key] = max(values) if worst else round(statistics.median(values), 1)
        else:
            merged[key] = values[0]
    return merged


# The sections ----------------------------------------------------------------------------------


def pane_section(pane: list[Result]) -> Section:
    rows = []
    for key, name in KEYS:
        rows.append(
            goal_row(
                f"{name}: key → frame, median / worst (ms)",
                pane,
                lambda r, k=key: with_gc(
                    r[f"{k}_median_ms"], r[f"{k}_worst_ms"], r[f"{k}_worst_gc_ms"]
                ),
                "median ≤ 8",
                lambda r, k=key: r[f"{k}_median_ms"] <= 8,
            )
        )
        rows.append(
            goal_row(
                f"{name}: app CPU per key, median (ms)",
                pane,
                lambda r, k=key: fmt(r[f"{k}_cpu_ms"]),
                "",
                None,
            )
        )
    small, large = pane[0], pane[-1]
    ratios = []
    for key, name in KEYS:
        ratio = large[f"{key}_median_ms"] / small[f"{key}_median_ms"]
        ratios.append(f"{name} {ratio:.2f}")
    worst_ratio = max(large[f"{k}_median_ms"] / small[f"{k}_median_ms"] for k, _ in KEYS)
    rows.append(
        Row(
            "key median, 100k / 1k ratio",
            ["", "", "", "; ".join(ratios)],
            "≤ 1.2",
            worst_ratio <= 1.2,
        )
    )
    rows.append(
        goal_row(
            "prepend 500 older: call → final frame, median / worst (ms)",
            pane,
            lambda r: with_gc(
                r["prepend_frame_ms"], r["prepend_worst_ms"], r["prepend_worst_gc_ms"]
            ),
            "median ≤ 50",
            lambda r: r["prepend_frame_ms"] <= 50,
        )
    )
    rows.append(
        goal_row("prepend: app CPU (ms)", pane, lambda r: fmt(r["prepend_cpu_ms"]), "", None)
    )
    rows.append(
        goal_row(
            "prepend: same message on the same screen row",
            pane,
            lambda r: fmt(r["prepend_kept_row"]),
            "yes",
            lambda r: r["prepend_kept_row"],
        )
    )
    rows.append(
        goal_row(
            "data arrives (show_conversation N) → first / final frame (ms)",
            pane,
            lambda r: pair(r["arrive_first_frame_ms"], r["arrive_frame_ms"]),
            "(anchors: ≤ 800 at 100k)",
            None,
        )
    )
    rows.append(
        goal_row(
            "  of which the show_conversation call (ms)",
            pane,
            lambda r: fmt(r["arrive_call_ms"]),
            "",
            None,
        )
    )
    rows.append(
        Row(
            "peak RSS, whole process (MB)",
            [fmt(r["rss_peak_mb"]) for r in pane],
            "≤ 120 at 100k",
            large["rss_peak_mb"] <= 120,
        )
    )
    rows.append(
        goal_row(
            "largest GC pause: loading / interaction (ms)",
            pane,
            lambda r: pair(r["gc_load_ms"], r["gc_interaction_ms"]),
            "interaction ≤ 50",
            lambda r: r["gc_interaction_ms"] <= 50,
        )
    )
    rows.append(
        goal_row(
            "GC-tracked objects after loading",
            pane,
            lambda r: fmt(r["gc_tracked_objects"]),
            "",
            None,
        )
    )
    return Section(
        "Message pane, N messages loaded, 120×40",
        [f"{r['n'] // 1000}k" for r in pane],
        rows,
    )


def freeze_section(frozen: Result) -> Section:
    return Section(
        "As the product does it: gc.freeze() after each page is taken in (100k)",
        ["100k"],
        [
            Row("largest GC pause, interaction (ms)", [fmt(frozen["gc_interaction_ms"])]),
            Row(
                "PgUp median / worst (ms)",
                [pair(frozen["pageup_median_ms"], frozen["pageup_worst_ms"])],
            ),
        ],
    )


def list_section(lists: list[Result]) -> Section:
    large = lists[-1]
    return Section(
        "Conversation list, N rows, 40 columns wide",
        [f"{r['n'] // 1000}k" for r in lists],
        [
            Row(
                "set_conversations → first frame with rows, cold (ms)",
                [fmt(r["set_cold_first_frame_ms"]) for r in lists],
                "≤ 150 at 10k",
                large["set_cold_first_frame_ms"] <= 150,
            ),
            goal_row(
                "  … → final frame, cold / warm median (ms)",
                lists,
                lambda r: pair(r["set_cold_final_frame_ms"], r["set_warm_final_frame_ms"]),
                "",
                None,
            ),
            goal_row(
                "  of which the set_conversations call, cold (ms)",
                lists,
                lambda r: fmt(r["set_cold_call_ms"]),
                "",
                None,
            ),
            goal_row(
                "cursor down: key → frame, median / worst (ms)",
                lists,
                lambda r: pair(r["down_median_ms"], r["down_worst_ms"]),
                "",
                None,
            ),
            goal_row(
                "End: key → frame, median / worst (ms)",
                lists,
                lambda r: pair(r["end_median_ms"], r["end_worst_ms"]),
                "",
                None,
            ),
            goal_row(
                "peak RSS (MB) / largest GC pause (ms)",
                lists,
                lambda r: pair(r["rss_peak_mb"], max(r["gc_load_ms"], r["gc_keys_ms"])),
                "",
                None,
            ),
        ],
    )


def open_section(opens: list[Result]) -> Section:
    columns, cells = [], []
    for result in opens:
        for thread in ("small", "50k"):
            columns.append(f"+{result['latency_ms']} ms, {thread}")
            cells.append((result, thread + "_"))

    def row(label: str, key: str, goal: str = "", limit: float | None = None) -> Row:
        values = [r[p + key] for r, p in cells]
        met = None if limit is None else all(v <= limit for v in values)
        return Row(label, [fmt(v) for v in values], goal, met)

    return Section(
        "Open a conversation in the running app (FakeGateway full, 120×40)",
        columns,
        [
            Row(
                "messages in the thread / loaded by the open",
                [pair(r[p + "thread_messages"], r[p + "loaded"]) for r, p in cells],
            ),
            row("open call → request sent (ms)", "request_ms"),
            row("open call → gateway received it (ms)", "received_ms"),
            row("open call → response parsed (ms)", "response_ms"),
            row("open call → first frame with the messages (ms)", "painted_ms"),
            row(
                "response → first frame with the messages, median (ms)",
                "paint_after_response_ms",
                "≤ 100",
                100,
            ),
            row(
                "response → first frame, worst (ms)", "paint_after_response_worst_ms", "≤ 100", 100
            ),
        ],
    )


def cold_section(cold: Result) -> Section:
    def row(label: str, value: Any, goal: str = "", met: bool | None = None) -> Row:
        return Row(label, [fmt(value)], goal, met)

    return Section(
        f"Cold start of `smstui --demo` (median of {cold['runs']} fresh processes)",
        ["value"],
        [
            row("spawn → interpreter running the child (ms)", cold["interpreter_ms"]),
            row("spawn → textual.app imported (ms)", cold["textual_imported_ms"]),
            row("spawn → demo gateway serving (ms)", cold["gateway_ready_ms"]),
            row("spawn → first frame (ms)", cold["first_frame_ms"]),
            row(
                "spawn → first frame with conversation rows (ms)",
                cold["rows_frame_ms"],
                "≤ 600",
                cold["rows_frame_ms"] <= 600,
            ),
            row("  worst of the runs (ms)", cold["rows_frame_worst_ms"]),
            row("spawn → first frame with the newest thread (ms)", cold["thread_frame_ms"]),
            row(
                "HTTP requests when the rows were painted",
                cold["requests_at_rows"],
                "≤ 6",
                cold["requests_at_rows"] <= 6,
            ),
            row(
                "HTTP requests of the settled first screen",
                cold["requests_first_screen"],
                "≤ 6",
                cold["requests_first_screen"] <= 6,
            ),
            row("empty Textual app: spawn → first frame (ms)", cold["empty_app_first_frame_ms"]),
        ],
    )


# Main --------------------------------------------------------------------------------------------


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC · {platform.node()} · "
        f"{os.cpu_count()} CPUs · Python {platform.python_version()} · "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one process per configuration")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown here")
    parser.add_argument(
        "--store",
        action="store_true",
        help="also run bench_store.py (the 1M-message store, about 4-5 min more)",
    )
    args = parser.parse_args()
    runs = 1 if args.quick else 2
    pane_runs = 1 if args.quick else 3  # the 100k/1k key ratio needs the extra samples
    home = harness.isolate_home()
    began = time.perf_counter()
    header = machine()
    print(f"smstui benchmarks — {header}", flush=True)
    try:
        pane = [
            merge([run_script("bench_message_pane.py", str(n))[0] for _ in range(pane_runs)])
            for n in PANE_SIZES
        ]
        frozen = run_script("bench_message_pane.py", str(PANE_SIZES[-1]), "--gc-freeze")[0]
        lists = [
            merge([run_script("bench_conversation_list.py", str(n))[0] for _ in range(runs)])
            for n in LIST_SIZES
        ]
        opens = [
            merge([run_script("bench_open.py", "--latency-ms", str(ms))[0] for _ in range(runs)])
            for ms in LATENCIES
        ]
        cold = run_script("bench_cold_start.py", "--runs", "5")[0]
        print("  … fake_gateway_rps.py --seconds 2", flush=True)
        rps = subprocess.run(
            [sys.executable, str(HERE / "fake_gateway_rps.py"), "--seconds", "2"],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            timeout=600,
            check=True,
        ).stdout
        store = ""
        if args.store:
            print("  … bench_store.py", flush=True)
            store = subprocess.run(
                [sys.executable, str(HERE / "bench_store.py")],
                capture_output=True,
                text=True,
                env=os.environ.copy(),
                timeout=1200,
                check=True,
            ).stdout
            store = "\n".join(
                line for line in store.splitlines() if not line.startswith(harness.RESULT_PREFIX)
            )
    finally:
        shutil.rmtree(home, ignore_errors=True)

    sections = [
        pane_section(pane),
        freeze_section(frozen),
        list_section(lists),
        open_section(opens),
        cold_section(cold),
    ]
    footer = f"first-screen requests: {', '.join(cold['request_list'] or [])}"
    print(render_text(sections))
    print(f"\n{footer}\n")
    print(rps.rstrip())
    if store:
        print(f"\n{store.rstrip()}")
    total = time.perf_counter() - began
    print(f"\ntotal {total:.0f} s; load average at the end {os.getloadavg()[0]:.2f}")
    if args.markdown:
        args.markdown.write_text(
            f"Measured {header}; total {total:.0f} s.\n\n"
            + render_markdown(sections)
            + f"\n{footer}\n\n```\n{rps.rstrip()}\n```\n"
            + (f"\n```\n{store.rstrip()}\n```\n" if store else "")
        )


if __name__ == "__main__":
    main()
