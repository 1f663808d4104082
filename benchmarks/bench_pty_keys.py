"""Key → frame, resize and open, measured from outside: the installed app in a real pty.

Run::

    .venv/bin/python benchmarks/bench_pty_keys.py [--rounds 20] [--latency-ms 200]

``smstui fake-server`` (scale full, a fixed anchor) runs in its own process, with its request
log on a pipe that this script timestamps line by line. The app is the console script of this
venv under a fresh 120×40 pseudo-terminal, a private ``HOME``/``XDG_*`` and the null keyring;
this script plays the terminal: it answers Textual's query for synchronized output
(``CSI ? 2026 $ p`` → supported), so every frame ends with ``CSI ? 2026 l``.

What is measured (issue 9):

- **key → frame**: the 50,000-message conversation (the fake's largest; it offers no larger, so
  "100k loaded" is not possible here) opened through the filter and every older page loaded
  (Home until "Start of conversation" is drawn). Then rounds of Home, Down, End, Up, PgUp
  (each changes the screen), the key's bytes written to the pty and the clock stopped at the
  last frame end before the output has been quiet for :data:`QUIET`. The same keys go, round by
  round interleaved, to a trivial Textual app (an ``OptionList`` of 1,000 lines) started the
  same way: the reference. Goal: median ≤ 1.3× the reference. Once with the background history
  backfill off (idle), once in a second app with it on (during backfill; only the newest page
  of the thread is loaded there, the backfill being what runs meanwhile).
- **RSS** with the thread loaded (``VmRSS``); goal ≤ 120 MB (at 100k; here 50k).
- **resize**: the pty narrowed 120→80 columns and widened back (``TIOCSWINSZ``, the kernel
  sends SIGWINCH) with 50k loaded: to the settled frame, and an Up written right after the
  resize: to its frame (a key must not wait for the re-layout). Goal: ≤ 50 ms.
- **open**: Esc, Down, Enter (the next conversation) → the first frame burst that ends after
  the gateway answered the page request, against a second gateway with a ``latency`` fault of
  ``--latency-ms``; goal ≤ 1.5× latency + 50 ms. And, without latency, Enter → the request's
  log line (an upper bound on the request leaving: it is logged when the answer head is sent);
  goal ≤ 20 ms.

Prints the figures with the load average and one ``RESULT {json}`` line.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import queue
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_pty_memory import (  # noqa: E402
    CLIENT_ID,
    SECRET,
    SEED,
    environment,
    rss_mb,
    stop_child,
)
from benchmarks.harness import emit  # noqa: E402

BIN = Path(sys.executable).parent
COLUMNS, ROWS = 120, 40
NARROW = 80
QUIET = 0.05
"""Seconds without output after which the screen counts as settled (three 60 Hz frames)."""
SYNC_QUERY, SYNC_REPLY, SYNC_END = b"\x1b[?2026$p", b"\x1b[?2026;2$y", b"\x1b[?2026l"
KEYS = {"Home": b"\x1b[H", "Down": b"\x1b[B", "End": b"\x1b[F", "Up": b"\x1b[A", "PgUp": b"\x1b[5~"}
ESC, ENTER, CLEAR = b"\x1b", b"\r", b"\x15"
KEY_GOAL, RSS_GOAL_MB, RESIZE_GOAL_MS, LEAVE_GOAL_MS = 1.3, 120.0, 50.0, 20.0

REFERENCE_APP = """
from textual.app import App
from textual.widgets import OptionList

class Lines(App):
    def compose(self):
        yield OptionList(*(f"line {i} of the reference list" for i in range(1000)))

    def on_mount(self):
        self.query_one(OptionList).focus()

Lines().run()
"""


class Terminal:
    """A program under a pseudo-terminal; this side answers the synchronized-output query."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the program
            try:
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.resize(COLUMNS, ROWS)
        self.seen = b""
        self.synced = False

    def resize(self, columns: int, rows: int) -> None:
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

    def _read(self, timeout: float) -> bytes:
        if not select.select([self.fd], [], [], max(0.0, timeout))[0]:
            return b""
        try:
            chunk = os.read(self.fd, 262144)
        except OSError:
            return b""
        if SYNC_QUERY in self.seen[-16:] + chunk:
            os.write(self.fd, SYNC_REPLY)
            self.synced = True
        self.seen = self.seen[-8192:] + chunk
        return chunk

    def wait_for(self, text: bytes, timeout: float = 30.0) -> bool:
        """Read until ``text`` has been written (True) or ``timeout`` passed."""
        deadline = time.monotonic() + timeout
        self.seen = b""
        while time.monotonic() < deadline:
            self._read(0.05)
            if text in self.seen:
                return True
        return False

    def settle(self, limit: float = 5.0) -> None:
        """Read until nothing has come for :data:`QUIET` seconds (or ``limit`` passed)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and self._read(QUIET):
            pass

    def frame_after(self, start: float, limit: float = 5.0, first: bool = False) -> float | None:
        """Milliseconds from ``start`` to the end of the last frame before a quiet spell.

        With ``first``, to the end of the first frame instead. The frame end is the
        synchronized-output end when the app uses it, else the last byte.
        """
        deadline = start + limit
        end: float | None = None
        while time.perf_counter() < deadline:
            chunk = self._read(QUIET)
            now = time.perf_counter()
            if not chunk:
                if end is not None:
                    break
                continue
            if SYNC_END in chunk or not self.synced:
                end = now
                if first and SYNC_END in chunk:
                    break
        return None if end is None else (end - start) * 1000

    def press(self, key: bytes) -> float | None:
        self.settle(limit=1.0)
        start = time.perf_counter()
        os.write(self.fd, key)
        return self.frame_after(start)

    def rss_mb(self) -> float:
        return rss_mb(self.pid)

    def stop(self) -> None:
        stop_child(self.pid, self.fd)


class Gateway:
    """``smstui fake-server`` in its own process; its request log lines with arrival times."""

    def __init__(self, anchor: int, env: dict[str, str], faults: list[str]) -> None:
        argv = [str(BIN / "smstui"), "fake-server", "--port", "0", "--scale", "full"]
        argv += ["--seed", str(SEED), "--anchor", str(anchor)]
        argv += ["--client-id", CLIENT_ID, "--client-secret", SECRET]
        for fault in faults:
            argv += ["--fault", fault]
        self.process = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        assert self.process.stdout is not None
        self.url = ""
        for line in self.process.stdout:
            found = re.search(r"listening on (http://\S+)", line)
            if found:
                self.url = found.group(1)
                break
        if not self.url:
            raise RuntimeError("fake-server did not start")
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put((time.perf_counter(), line.strip()))

    def drain(self) -> list[tuple[float, str]]:
        got = []
        with contextlib.suppress(queue.Empty):
            while True:
                got.append(self.lines.get_nowait())
        return got

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def launch(home: Path, url: str, *, backfill: bool) -> Terminal:
    config = home / ".config" / "smstui"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(
        f'base_url = "{url}"\nclient_id = "{CLIENT_ID}"\n\n'
        f"[sync]\nbackfill = {str(backfill).lower()}\n\n[paging]\nolder = 2000\n",
        encoding="utf-8",
    )
    app = Terminal([str(BIN / "smstui")], environment(home, None))
    if not app.wait_for(b"Conversations"):
        app.stop()
        raise RuntimeError("the app did not draw its list within 30 s")
    app.settle(limit=3.0)
    return app


def open_by_filter(app: Terminal, number: str) -> None:
    for key in (b"/", CLEAR):
        os.write(app.fd, key)
        app.settle()
    for digit in number:
        os.write(app.fd, digit.encode())
    app.settle()
    os.write(app.fd, ENTER)
    app.settle(limit=10.0)


def load_everything(app: Terminal, gateway: Gateway, limit: float = 180.0) -> int:
    """Home once: the app loads the rest of the history and goes to its first message.

    Waits until "Start of conversation" is drawn (or ``limit`` seconds); returns how many
    conversation pages the gateway served meanwhile (0 when the start never showed).
    """
    app.seen = b""
    gateway.drain()
    os.write(app.fd, KEYS["Home"])
    served = 0
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        app._read(0.1)
        served += sum(1 for _, line in gateway.drain() if "/conversation" in line)
        if b"Start of conversation" in app.seen:
            app.settle(limit=5.0)
            return max(served, 1)
    return 0


def measure_keys(apps: dict[str, Terminal], rounds: int) -> dict[str, dict[str, list[float]]]:
    """Rounds of every key, each key to every app in turn (interleaved)."""
    times: dict[str, dict[str, list[float]]] = {n: {k: [] for k in KEYS} for n in apps}
    for _ in range(rounds):
        for key, data in KEYS.items():
            for name, app in apps.items():
                elapsed = app.press(data)
                if elapsed is not None:
                    times[name][key].append(elapsed)
    return times


def measure_resize(app: Terminal, times: int) -> dict[str, list[float]]:
    """Narrow and widen in turn.

    Per resize: to the end of the first frame (the visible part re-laid out) and to the
    settled screen (the background measuring published); then, in a second resize, an Up
    written 5 ms after it: to its first frame.
    """
    found: dict[str, list[float]] = {"first_frame": [], "settled": [], "up_first_frame": []}
    for turn in range(times):
        columns = NARROW if turn % 2 == 0 else COLUMNS
        other = COLUMNS if columns == NARROW else NARROW
        app.settle(limit=2.0)
        start = time.perf_counter()
        app.resize(columns, ROWS)
        first = app.frame_after(start, first=True)
        settled = app.frame_after(start)
        if first is not None:
            found["first_frame"].append(first)
            found["settled"].append(max(first, settled or 0.0))
        app.settle(limit=3.0)
        app.resize(other, ROWS)
        time.sleep(0.005)
        start = time.perf_counter()
        os.write(app.fd, KEYS["Up"])
        elapsed = app.frame_after(start, first=True)
        if elapsed is not None:
            found["up_first_frame"].append(elapsed)
        app.settle(limit=3.0)
        app.resize(columns, ROWS)
        app.settle(limit=3.0)
    app.resize(COLUMNS, ROWS)
    app.settle(limit=3.0)
    return found


def measure_opens(app: Terminal, gateway: Gateway, count: int) -> dict[str, list[float]]:
    """Esc, Down, Enter: Enter → request logged, and → the frame after the answer."""
    painted: list[float] = []
    logged: list[float] = []
    missed = 0
    # The thread was opened through the filter, which keeps the list filtered to it: empty the
    # filter and close it, or Down finds no other row and Enter re-opens the same conversation.
    for key in (b"/", CLEAR, ESC, ESC):
        os.write(app.fd, key)
        app.settle()
    for _ in range(count):
        for key in (ESC, KEYS["Down"]):
            os.write(app.fd, key)
            app.settle()
        time.sleep(0.2)
        app.settle()
        gateway.drain()
        start = time.perf_counter()
        os.write(app.fd, ENTER)
        answered: float | None = None
        end: float | None = None
        deadline = start + 5.0
        while time.perf_counter() < deadline:
            chunk = app._read(QUIET)
            now = time.perf_counter()
            for stamp, line in gateway.drain():
                if "/conversation" in line or "/message" in line:
                    answered = stamp if answered is None else answered
            if chunk and (SYNC_END in chunk or not app.synced):
                end = now
            if not chunk and answered is not None and end is not None and end >= answered:
                break
        if answered is None or end is None or end < answered:
            missed += 1
            continue
        logged.append((answered - start) * 1000)
        painted.append((end - start) * 1000)
    return {"painted": painted, "logged": logged, "missed": [float(missed)]}


def stats(values: list[float]) -> tuple[float, float]:
    if not values:
        return float("nan"), float("nan")
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def report_keys(title: str, times: dict[str, dict[str, list[float]]]) -> dict[str, Any]:
    print(f"  {title}")
    print(f"    {'key':<5} {'smstui med/p95':>16} {'reference med/p95':>19}  ratio")
    out: dict[str, Any] = {}
    ratios = []
    for key in KEYS:
        app_med, app_p95 = stats(times["app"][key])
        ref_med, ref_p95 = stats(times["reference"][key])
        ratio = app_med / ref_med if ref_med else float("nan")
        ratios.append(ratio)
        verdict = "met" if ratio <= KEY_GOAL else "NOT MET"
        print(
            f"    {key:<5} {app_med:7.1f} /{app_p95:6.1f} ms {ref_med:8.1f} /{ref_p95:6.1f} ms"
            f"  {ratio:4.2f}× {verdict} (n={len(times['app'][key])})"
        )
        out[key] = {"app": [app_med, app_p95], "reference": [ref_med, ref_p95], "ratio": ratio}
    all_app = [v for values in times["app"].values() for v in values]
    all_ref = [v for values in times["reference"].values() for v in values]
    ratio = statistics.median(all_app) / statistics.median(all_ref)
    print(
        f"    all   median {statistics.median(all_app):.1f} ms vs {statistics.median(all_ref):.1f}"
        f" ms: {ratio:.2f}× (goal ≤ {KEY_GOAL}×: {'met' if ratio <= KEY_GOAL else 'NOT MET'})"
    )
    out["all_ratio"] = ratio
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--latency-ms", type=float, default=200.0)
    parser.add_argument("--opens", type=int, default=10)
    parser.add_argument("--resizes", type=int, default=6)
    args = parser.parse_args()
    anchor = int(time.time()) // 60 * 60
    home = Path(tempfile.mkdtemp(prefix="smstui-pty-keys-"))
    load_before = os.getloadavg()
    env = environment(home, None)
    result: dict[str, Any] = {"benchmark": "pty_keys", "load_before": load_before[0]}
    gateway = Gateway(anchor, env, [])
    slow = Gateway(anchor, env, [f"latency:*:0:ms={args.latency_ms:g}"])
    started: list[Terminal] = []
    try:
        from benchmarks.bench_pty_memory import thread_numbers

        big, _other = thread_numbers(anchor)
        print(f"Keys, resize and open in a real pty ({COLUMNS}x{ROWS}), app {BIN / 'smstui'}")
        print(f"  load average at the start {' '.join(f'{x:.2f}' for x in load_before)}")
        reference = Terminal([sys.executable, "-c", REFERENCE_APP], env)
        started.append(reference)
        reference.wait_for(b"line 0")
        reference.settle(limit=2.0)

        app = launch(home / "idle", gateway.url, backfill=False)
        started.append(app)
        open_by_filter(app, big)
        pages = load_everything(app, gateway)
        app.settle(limit=3.0)
        rss = app.rss_mb()
        loaded = pages > 0
        print(
            f"  thread {big}: 50,000 messages (the fake's largest), "
            + (f"all loaded by one Home ({pages} pages served)" if loaded else "NOT all loaded")
            + f"; synchronized output {'used' if app.synced and reference.synced else 'NOT used'}"
        )
        what = "50k loaded" if loaded else "the thread NOT fully loaded"
        verdict = ("met" if rss <= RSS_GOAL_MB else "NOT MET") if loaded else "not measured"
        print(f"  RSS with {what} {rss:.1f} MB (goal ≤ {RSS_GOAL_MB:.0f} MB at 100k): {verdict}")
        result.update(rss_mb=rss, loaded=loaded, synced=app.synced and reference.synced)

        times = measure_keys({"app": app, "reference": reference}, args.rounds)
        result["idle"] = report_keys(
            f"key → frame, 50k loaded, backfill off, {args.rounds} rounds", times
        )

        resize = measure_resize(app, args.resizes)
        for name, values in resize.items():
            med, p95 = stats(values)
            goal = "" if name == "settled" else f" (goal ≤ {RESIZE_GOAL_MS:.0f} ms)"
            verdict = (
                "" if name == "settled" else (": met" if p95 <= RESIZE_GOAL_MS else ": NOT MET")
            )
            print(
                f"  resize {COLUMNS}↔{NARROW} with 50k loaded, {name.replace('_', ' ')}: "
                f"median {med:.1f} ms, p95 {p95:.1f} ms{goal}{verdict}"
            )
        result["resize"] = resize

        opens = measure_opens(app, gateway, args.opens)
        med, p95 = stats(opens["logged"])
        verdict = "met" if med <= LEAVE_GOAL_MS else "NOT MET"
        print(
            f"  Enter → page request logged by the gateway (no latency): median {med:.1f} ms,"
            f" p95 {p95:.1f} ms (goal: leaves ≤ {LEAVE_GOAL_MS:.0f} ms): {verdict}"
            f" [{int(opens['missed'][0])} of {args.opens} opens sent no request]"
        )
        med, p95 = stats(opens["painted"])
        print(f"  Enter → newest page painted (no latency): median {med:.1f} ms, p95 {p95:.1f} ms")
        result["open_fast"] = opens
        app.stop()
        started.remove(app)

        slow_app = launch(home / "slow", slow.url, backfill=False)
        started.append(slow_app)
        opens = measure_opens(slow_app, slow, args.opens)
        med, p95 = stats(opens["painted"])
        goal = 1.5 * args.latency_ms + 50
        verdict = "met" if med <= goal else "NOT MET"
        print(
            f"  Enter → newest page painted, gateway latency {args.latency_ms:.0f} ms: median"
            f" {med:.1f} ms, p95 {p95:.1f} ms (goal ≤ {goal:.0f} ms): {verdict}"
            f" [{int(opens['missed'][0])} of {args.opens} opens sent no request]"
        )
        result["open_slow"] = opens
        slow_app.stop()
        started.remove(slow_app)

        busy = launch(home / "backfill", gateway.url, backfill=True)
        started.append(busy)
        open_by_filter(busy, big)
        times = measure_keys({"app": busy, "reference": reference}, args.rounds)
        result["backfill"] = report_keys(
            f"key → frame during the history backfill (newest page of the thread), "
            f"{args.rounds} rounds",
            times,
        )
    finally:
        for terminal in started:
            terminal.stop()
        gateway.stop()
        slow.stop()
        shutil.rmtree(home, ignore_errors=True)
    load = os.getloadavg()
    print(f"  load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    result["load"] = [load_before[0], load[0]]
    emit(result)


if __name__ == "__main__":
    main()
