"""Cold start of ``smstui --demo``: process spawn → first frame whose list shows rows.

Run::

    .venv/bin/python benchmarks/bench_cold_start.py [--runs 5]

The parent takes ``time.time()`` just before spawning a fresh interpreter and passes it on the
command line. The child runs ``smstui.cli.main.main(["--demo"])`` unchanged, except that ``App.run``
is made headless at 120×40 and ``App._display`` is hooked: it charges ANSI serialisation (as a
terminal would) and notes, in ``time.time()`` since the spawn, the first frame, the first frame
whose conversation list shows rows, and the first frame whose message pane shows the opened
conversation. When start-up has settled the child counts the HTTP requests the first screen
made and exits. A baseline child does the same for an empty Textual app (perf-anchors §4:
365 ms on an idle machine) so a loaded machine can be told apart from a slow app.
Prints the figures and one ``RESULT {json}`` line.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

CHILD_RESULT = "COLD "
SETTLE_TIMEOUT = 5.0


# The child ---------------------------------------------------------------------------------------


def child(spawn: float, baseline: bool) -> None:
    """Run in the fresh process; prints one ``COLD {json}`` line."""
    if "SMSTUI_BENCH_HOME" not in os.environ:
        sys.exit("refusing to run outside the benchmark's private HOME (use the parent)")
    marks: dict[str, Any] = {"interpreter_ms": (time.time() - spawn) * 1000}
    state: dict[str, Any] = {}

    import textual.app
    from textual._compositor import CompositorUpdate

    marks["textual_imported_ms"] = (time.time() - spawn) * 1000
    original_run = textual.app.App.run
    original_display = textual.app.App._display

    def run(self: Any, **kwargs: Any) -> Any:
        kwargs.update(headless=True, size=(120, 40))
        return original_run(self, **kwargs)

    def finish(app: Any) -> None:
        gateway = state.get("gateway")
        if gateway is not None:
            requests = gateway.requests
            marks["requests"] = len(requests)
            marks["request_list"] = [
                f"{r.method} {r.path}" + (f" page={r.query['page']}" if "page" in r.query else "")
                for r in requests
            ]
        if type(app.screen).__name__ == "InboxScreen":
            marks["rows_settled"] = len(app.screen.conversation_list.rows)
        app.exit(0)

    def poll(app: Any) -> None:
        """Finish once the first screen is complete and no worker runs (or on timeout)."""
        waited = time.time() - spawn - marks["rows_frame_ms"] / 1000
        busy = any(worker.is_running for worker in app.workers)
        if (("thread_frame_ms" in marks or baseline) and not busy) or waited > SETTLE_TIMEOUT:
            marks["settled_ms"] = (time.time() - spawn) * 1000
            finish(app)
        else:
            app.set_timer(0.05, lambda: poll(app))

    def display(self: Any, screen: Any, renderable: Any) -> None:
        if isinstance(renderable, CompositorUpdate) and not self._batch_count:
            renderable.render_segments(self.console)  # what writing to a terminal costs
        original_display(self, screen, renderable)
        if renderable is None:
            return
        elapsed = (time.time() - spawn) * 1000
        marks.setdefault("first_frame_ms", elapsed)
        if baseline:
            if "rows_frame_ms" not in marks:
                marks["rows_frame_ms"] = elapsed
                self.set_timer(0.05, lambda: poll(self))
            return
        if type(screen).__name__ != "InboxScreen":
            return
        if "rows_frame_ms" not in marks and screen.conversation_list.rows:
            marks["rows_frame_ms"] = elapsed
            gateway = state.get("gateway")
            marks["requests_at_rows"] = len(gateway.requests) if gateway else None
            marks["rows_at_rows_frame"] = len(screen.conversation_list.rows)
            self.set_timer(0.05, lambda: poll(self))
        if "thread_frame_ms" not in marks and screen.message_pane.message_count:
            marks["thread_frame_ms"] = elapsed

    textual.app.App.run = run  # type: ignore[method-assign]
    textual.app.App._display = display  # type: ignore[method-assign]

    if baseline:

        class Empty(textual.app.App[None]):
            pass

        Empty().run()
    else:
        import smstui.fake

        original_start = smstui.fake.FakeGateway.start

        def start(self: Any) -> str:
            state["gateway"] = self
            url = original_start(self)
            marks["gateway_ready_ms"] = (time.time() - spawn) * 1000
            return url

        smstui.fake.FakeGateway.start = start  # type: ignore[method-assign]
        import smstui.cli.main
        from smstui.cli.main import main

        # The app runs headless here, with pipes for stdin/stdout: let it past the check that
        # refuses to start without a terminal (``ssh host smstui`` without -t).
        smstui.cli.main.has_terminal = lambda: True  # type: ignore[assignment]
        code = main(["--demo"])
        marks["exit_code"] = code
    print(CHILD_RESULT + json.dumps(marks), flush=True)


# The parent --------------------------------------------------------------------------------------


def spawn_child(baseline: bool) -> dict[str, Any]:
    """Start a fresh interpreter and return its marks plus the wall time to its exit."""
    argv = [sys.executable, os.path.abspath(__file__), "--child"]
    if baseline:
        argv.append("--baseline")
    spawn = time.time()
    done = subprocess.run(
        [*argv, repr(spawn)], capture_output=True, text=True, env=os.environ.copy(), check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith(CHILD_RESULT):
            marks: dict[str, Any] = json.loads(line[len(CHILD_RESULT) :])
            marks["process_exit_ms"] = (time.time() - spawn) * 1000
            return marks
    raise RuntimeError(f"child failed ({done.returncode}): {done.stderr[-2000:]}")


def parent(runs: int) -> dict[str, Any]:
    import harness

    harness.isolate_home()
    spawn_child(baseline=False)  # warm the disk cache; not counted
    demo = [spawn_child(baseline=False) for _ in range(runs)]
    empty = [spawn_child(baseline=True) for _ in range(runs)]

    def med(samples: list[dict[str, Any]], name: str) -> float | None:
        values = [s[name] for s in samples if s.get(name) is not None]
        return round(statistics.median(values), 1) if values else None

    result: dict[str, Any] = {"bench": "cold_start", "runs": runs}
    for name in (
        "interpreter_ms",
        "textual_imported_ms",
        "gateway_ready_ms",
        "first_frame_ms",
        "rows_frame_ms",
        "thread_frame_ms",
        "settled_ms",
    ):
        result[name] = med(demo, name)
    result["rows_frame_worst_ms"] = round(max(s["rows_frame_ms"] for s in demo), 1)
    result["rows_frame_all_ms"] = [round(s["rows_frame_ms"], 1) for s in demo]
    result["requests_at_rows"] = max(s.get("requests_at_rows") or 0 for s in demo)
    result["requests_first_screen"] = max(s.get("requests", 0) for s in demo)
    result["requests_first_screen_all"] = [s.get("requests") for s in demo]
    result["rows_at_rows_frame"] = demo[0].get("rows_at_rows_frame")
    result["rows_settled"] = demo[0].get("rows_settled")
    # The largest request list seen, so nothing the first screen can ask for is hidden.
    result["request_list"] = max((s.get("request_list") or [] for s in demo), key=len)
    result["empty_app_first_frame_ms"] = med(empty, "first_frame_ms")
    result["empty_app_textual_imported_ms"] = med(empty, "textual_imported_ms")
    return result


def main() -> None:
    if "--child" in sys.argv:
        child(float(sys.argv[-1]), baseline="--baseline" in sys.argv)
        return
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per figure")
    args = parser.parse_args()
    # An installed smstui has its bytecode compiled (pip does it); a checkout may not, and
    # with PYTHONDONTWRITEBYTECODE set (as on these machines) every start would compile the
    # modules changed since the last compile. Measure what a user's start costs.
    import compileall
    from pathlib import Path

    compileall.compile_dir(Path(__file__).resolve().parent.parent / "smstui", quiet=1)
    result = parent(args.runs)
    for name, value in result.items():
        print(f"  {name:<30} {value}")
    import harness

    harness.emit(result)


if __name__ == "__main__":
    main()
