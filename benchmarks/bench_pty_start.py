"""Start-up measured from outside, in a real pty: smstui against an empty Textual app.

Run::

    .venv/bin/python benchmarks/bench_pty_start.py [--runs 5]

Each run spawns the installed ``smstui`` (the console script of this venv) under a fresh
pseudo-terminal of 120×40 and reads what it writes. The clock starts just before the spawn and
stops when the bytes that draw the wanted text have come out of the pty (the terminal would show
them then). Three cases, interleaved run by run so machine load falls on all alike:

- **reference**: an empty Textual app whose only widget says ``READY``, started the same way;
- **warm, offline**: ``smstui`` with a store filled beforehand (a backfill of the small fake
  gateway) and a gateway URL where nothing listens; done when the stored list *and* the last
  open conversation's newest message are drawn;
- **cold, --demo**: ``smstui --demo`` (its own fake gateway in-process, no store yet); done when
  the first conversation row is drawn.

Goals (issues 8 and 9): warm start ≤ 1.3× the reference; cold start ≤ 2.0×. Prints the medians,
the ratios, the load average and one ``RESULT {json}`` line.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import select
import shutil
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_pty_memory import environment, stop_child  # noqa: E402
from benchmarks.harness import emit  # noqa: E402

BIN = Path(sys.executable).parent
COLUMNS, ROWS = 120, 40
TIMEOUT = 30.0
CLIENT_ID = "bench-client"
SECRET = "bench-secret-0123456789"
OFFLINE_URL = "http://127.0.0.1:9/v1"
"""The discard port: nothing listens, so every request is refused at once."""

REFERENCE_APP = """
from textual.app import App
from textual.widgets import Static

class Empty(App):
    def compose(self):
        yield Static("READY")

Empty().run()
"""

WARM_GOAL = 1.3
COLD_GOAL = 2.0


def spawn_and_wait(argv: list[str], env: dict[str, str], wanted: list[bytes]) -> float | None:
    """Spawn ``argv`` in a new pty; return seconds until every ``wanted`` text was written.

    The process is killed afterwards (its exit is not part of the figure). None on timeout.
    """
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the program
        try:
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    seen = b""
    missing = list(wanted)
    elapsed: float | None = None
    try:
        while time.perf_counter() - start < TIMEOUT:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            # Keep a tail of the last chunk too: a text may be split across two reads.
            seen = seen[-4096:] + chunk
            missing = [text for text in missing if text not in seen]
            if not missing:
                elapsed = time.perf_counter() - start
                break
    finally:
        stop_child(pid, fd)
    return elapsed


def _environment(home: Path) -> dict[str, str]:
    # The memory benchmark's private environment; its credentials are replaced per case.
    return environment(home, None)


async def _fill_store(home: Path) -> tuple[bytes, bytes]:
    """Backfill the small fake gateway into the store the offline run will open.

    Returns the texts that show the warm start is drawn: the newest conversation's name or
    number as the list shows it, and that conversation's newest message.
    """
    os.environ.update(XDG_DATA_HOME=str(home / ".local/share"))
    from smstui.api.client import SmsClient
    from smstui.domain.phones import display_number
    from smstui.fake import FakeGateway
    from smstui.store import SqliteStore
    from smstui.sync.access import store_file_name
    from smstui.sync.backfill import HistoryBackfill
    from smstui.system.clock import FixedClock
    from smstui.system.paths import data_dir
    from smstui.system.secret import Credentials, Secret

    anchor = int(time.time()) // 60 * 60
    path = data_dir() / store_file_name(CLIENT_ID, OFFLINE_URL)
    with FakeGateway(CLIENT_ID, SECRET, scale="small", clock=FixedClock(anchor)) as gateway:
        client = SmsClient(gateway.url, Credentials(CLIENT_ID, Secret(SECRET)))
        store = SqliteStore.open(path)
        try:
            await HistoryBackfill(client, store, clock=FixedClock(anchor)).run()
            newest = store.conversations()[0]
            store.set_last_open(newest.key)
            last = store.messages(newest.key, limit=1)[-1]
        finally:
            store.close()
            await client.aclose()
    label = newest.name or display_number(newest.number)
    text = last.text.splitlines()[0][:20]
    return label.encode(), text.encode()


def _write_config(home: Path) -> None:
    config = home / ".config" / "smstui"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(
        f'base_url = "{OFFLINE_URL}"\nclient_id = "{CLIENT_ID}"\n', encoding="utf-8"
    )


def main() -> None:
    """Measure the three cases ``--runs`` times each, interleaved; print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="smstui-pty-start-"))
    try:
        _write_config(home)
        list_label, thread_text = asyncio.run(_fill_store(home))
        env = _environment(home)
        warm_env = {**env, "SMSTOOLS_CLIENT_SECRET": SECRET, "SMSTOOLS_CLIENT_ID": CLIENT_ID}
        smstui = str(BIN / "smstui")
        cases: dict[str, tuple[list[str], dict[str, str], list[bytes]]] = {
            "reference": ([sys.executable, "-c", REFERENCE_APP], env, [b"READY"]),
            "warm_offline": ([smstui], warm_env, [list_label, thread_text]),
            "cold_demo": ([smstui, "--demo"], env, [b"Conversations", b"Up to date"]),
        }
        # One unmeasured round first: the page cache and .pyc files are then as warm for all.
        for argv, environment, wanted in cases.values():
            spawn_and_wait(argv, environment, wanted)
        figures: dict[str, list[float]] = {name: [] for name in cases}
        failures: dict[str, int] = dict.fromkeys(cases, 0)
        for _ in range(args.runs):
            for name, (argv, environment, wanted) in cases.items():
                seconds = spawn_and_wait(argv, environment, wanted)
                if seconds is None:
                    failures[name] += 1
                else:
                    figures[name].append(seconds * 1000)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    _report(figures, failures, args.runs)


def _report(figures: dict[str, list[float]], failures: dict[str, int], runs: int) -> None:
    load = os.getloadavg()
    median = {
        name: statistics.median(values) if values else None for name, values in figures.items()
    }
    reference = median["reference"]
    print(f"Start-up in a real pty ({COLUMNS}x{ROWS}), {runs} runs each, interleaved")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    rows: dict[str, Any] = {}
    for name, goal in (("reference", None), ("warm_offline", WARM_GOAL), ("cold_demo", COLD_GOAL)):
        value = median[name]
        values = ", ".join(f"{v:.0f}" for v in figures[name])
        ratio = value / reference if value is not None and reference else None
        verdict = ""
        if goal is not None and ratio is not None:
            verdict = f"goal ≤ {goal:.1f}×: {'met' if ratio <= goal else 'NOT MET'}"
        shown = f"{value:.0f} ms" if value is not None else "timed out"
        ratio_text = f"{ratio:.2f}×" if ratio is not None else "—"
        print(f"  {name:<13} median {shown:>9}  ratio {ratio_text:>6}  {verdict}  [{values}]")
        if failures[name]:
            print(f"  {name:<13} {failures[name]} run(s) timed out after {TIMEOUT:.0f} s")
        rows[name] = {"median_ms": value, "ratio": ratio, "runs_ms": figures[name]}
    emit({"benchmark": "pty_start", "load": load[0], **rows})


if __name__ == "__main__":
    main()
