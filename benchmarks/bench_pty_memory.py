"""Memory while browsing, measured from outside: the installed app in a real pty, RSS from /proc.

Run::

    .venv/bin/python benchmarks/bench_pty_memory.py [--switches 1000] [--long-cycles 100]
    .venv/bin/python benchmarks/bench_pty_memory.py --app-root /tmp/before   # another checkout

``smstui fake-server`` (scale full, a fixed anchor) runs in its own process, so the app's RSS
holds no gateway. The app is the console script of this venv (with ``--app-root``,
``python -m smstui`` with that checkout first on ``PYTHONPATH``) under a fresh 120×40
pseudo-terminal, with a private ``HOME`` and ``XDG_*`` directories and the null keyring. The
keys are the bytes a terminal sends, written to the pty; after each key the script reads until
the app has written nothing for 50 ms (at most 3 s), so the app is not flooded.

Two runs, each in a fresh app process:

- **switches**: Esc, Down, Enter (back to the list, the next conversation, open it), N times;
  after every 50 conversations the cursor goes back up to the top, so the app keeps visiting
  recent conversations as a person browsing does;
- **long thread**: the 50,000-message conversation opened through the filter (``/``, its number,
  Enter), three older pages loaded (Home three times: the view at the top asks for the next),
  then another conversation opened the same way, which lets the long one go; N cycles.

The store's background reading of the whole history (``[sync] backfill``, 80,819 messages of
the full fake gateway, a minute or more here) is switched off unless ``--backfill`` is given:
it raises RSS by tens of megabytes while it runs (pages of 2,000 parsed at once), whatever the
browsing, and would swamp what this measures.

RSS (``VmRSS`` of ``/proc/<pid>/status``) is read when the first screen has settled, after
every 100 switches (10 cycles), and 3 s after the last key. Goal (issue 9): the end within
+10 MB of the start. The app cannot be told to collect from outside; its own policy makes a full
collection on opening a conversation once enough has piled up. Prints the load average and one
``RESULT {json}`` line.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.harness import emit  # noqa: E402

BIN = Path(sys.executable).parent
COLUMNS, ROWS = 120, 40
CLIENT_ID = "bench-client"
SECRET = "bench-secret-0123456789"
SEED = 7
GOAL_MB = 10.0
QUIET = 0.05
"""Seconds without output after which the screen counts as settled."""
KEY_LIMIT = 3.0
"""Longest wait for one key to settle (a slow page load is not waited for beyond this)."""

ESC, DOWN, UP, ENTER, HOME, CLEAR = b"\x1b", b"\x1b[B", b"\x1b[A", b"\r", b"\x1b[H", b"\x15"


class PtyApp:
    """The app running under a pseudo-terminal of its own."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the app
            try:
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.tail = b""

    def read_until(self, texts: list[bytes], timeout: float = 30.0) -> bool:
        """Read output until every text has appeared (True) or ``timeout`` passed."""
        deadline = time.monotonic() + timeout
        seen = b""
        missing = list(texts)
        while missing and time.monotonic() < deadline:
            if select.select([self.fd], [], [], 0.05)[0]:
                seen = seen[-4096:] + os.read(self.fd, 65536)
                missing = [text for text in missing if text not in seen]
        return not missing

    def settle(self, limit: float = KEY_LIMIT) -> None:
        """Read until nothing has come for :data:`QUIET` seconds (or ``limit`` passed)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if not select.select([self.fd], [], [], QUIET)[0]:
                return
            with contextlib.suppress(OSError):
                os.read(self.fd, 65536)

    def press(self, *keys: bytes) -> None:
        """Write each key's bytes and let the screen settle after it."""
        for key in keys:
            os.write(self.fd, key)
            self.settle()

    def idle(self, seconds: float) -> None:
        """Keep reading (so the app never blocks on a full pty) for a while."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.settle(limit=end - time.monotonic())

    def rss_mb(self) -> float:
        return rss_mb(self.pid)

    def stop(self) -> None:
        stop_child(self.pid, self.fd)


def rss_mb(pid: int) -> float:
    """A process's resident memory in MB, from ``/proc/PID/status``."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def stop_child(pid: int, fd: int) -> None:
    """Kill a child started with ``pty.fork`` and close its terminal."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)


def environment(home: Path, app_root: Path | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SMSTOOLS_", "XDG_")) and key not in ("TMUX", "HOME")
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_STATE_HOME=str(home / ".local/state"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local/share"),
        TERM="xterm-256color",
        COLORTERM="truecolor",
        TEXTUAL_ANIMATIONS="none",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        SMSTOOLS_CLIENT_ID=CLIENT_ID,
        SMSTOOLS_CLIENT_SECRET=SECRET,
    )
    if app_root is not None:
        env["PYTHONPATH"] = str(app_root)
    return env


def start_gateway(anchor: int, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """``smstui fake-server`` on a free port; return the process and its base URL."""
    argv = [str(BIN / "smstui"), "fake-server", "--port", "0", "--scale", "full", "--quiet"]
    argv += ["--seed", str(SEED), "--anchor", str(anchor)]
    argv += ["--client-id", CLIENT_ID, "--client-secret", SECRET]
    server = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    assert server.stdout is not None
    for line in server.stdout:
        found = re.search(r"listening on (http://\S+)", line)
        if found:
            return server, found.group(1)
    raise RuntimeError("fake-server did not start")


def thread_numbers(anchor: int) -> tuple[str, str]:
    """The 50,000-message conversation's number and another's (the same data as the server)."""
    from smstui.fake import FakeGateway

    gateway = FakeGateway(CLIENT_ID, SECRET, seed=SEED, scale="full", anchor=anchor)
    big = gateway.largest_conversation
    other = next(n for n in gateway.conversation_numbers() if n != big and n.isdigit())
    return big, other


def launch(home: Path, url: str, app_root: Path | None, *, backfill: bool) -> PtyApp:
    config = home / ".config" / "smstui"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(
        f'base_url = "{url}"\nclient_id = "{CLIENT_ID}"\n\n'
        f"[sync]\nbackfill = {str(backfill).lower()}\n",
        encoding="utf-8",
    )
    installed = [str(BIN / "smstui")]
    argv = installed if app_root is None else [sys.executable, "-m", "smstui"]
    app = PtyApp(argv, environment(home, app_root))
    if not app.read_until([b"Conversations"]):
        app.stop()
        raise RuntimeError("the app did not draw its list within 30 s")
    app.idle(3.0)
    return app


def run_switches(app: PtyApp, switches: int) -> dict[str, Any]:
    start = app.rss_mb()
    samples = [(0, start)]
    began = time.monotonic()
    for done in range(1, switches + 1):
        app.press(ESC, DOWN, ENTER)
        if done % 50 == 0:
            app.press(ESC, *[UP] * 50, ENTER)
        if done % 100 == 0:
            samples.append((done, app.rss_mb()))
            print(f"    {done:>5} switches  RSS {samples[-1][1]:6.1f} MB", flush=True)
    app.idle(3.0)
    end = app.rss_mb()
    return {"start_mb": start, "end_mb": end, "samples": samples, "s": time.monotonic() - began}


def open_by_filter(app: PtyApp, number: str) -> None:
    app.press(b"/", CLEAR)
    for digit in number:
        os.write(app.fd, digit.encode())
    app.settle()
    app.press(ENTER)
    app.settle(limit=5.0)


def run_long_thread(app: PtyApp, cycles: int, big: str, other: str) -> dict[str, Any]:
    start = app.rss_mb()
    samples = [(0, start)]
    began = time.monotonic()
    for done in range(1, cycles + 1):
        open_by_filter(app, big)
        for _ in range(3):
            app.press(HOME)
            app.settle(limit=5.0)
        open_by_filter(app, other)
        if done % 10 == 0:
            samples.append((done, app.rss_mb()))
            print(f"    {done:>5} cycles    RSS {samples[-1][1]:6.1f} MB", flush=True)
    app.idle(3.0)
    end = app.rss_mb()
    return {"start_mb": start, "end_mb": end, "samples": samples, "s": time.monotonic() - began}


def verdict(run: dict[str, Any]) -> str:
    grown = run["end_mb"] - run["start_mb"]
    met = "met" if grown <= GOAL_MB else "NOT MET"
    return (
        f"RSS {run['start_mb']:.1f} → {run['end_mb']:.1f} MB ({grown:+.1f} MB) in "
        f"{run['s']:.0f} s; goal ≤ +{GOAL_MB:.0f} MB: {met}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switches", type=int, default=1000)
    parser.add_argument("--long-cycles", type=int, default=100)
    parser.add_argument("--app-root", type=Path, help="run `python -m smstui` from this checkout")
    parser.add_argument(
        "--backfill",
        action="store_true",
        help="let the store read the whole history (80k messages) in the background meanwhile",
    )
    args = parser.parse_args()
    anchor = int(time.time()) // 60 * 60
    home = Path(tempfile.mkdtemp(prefix="smstui-pty-memory-"))
    load_before = os.getloadavg()
    env = environment(home, None)
    server, url = start_gateway(anchor, env)
    result: dict[str, Any] = {
        "benchmark": "pty_memory",
        "app_root": str(args.app_root or ""),
        "backfill": args.backfill,
    }
    try:
        big, other = thread_numbers(anchor)
        print(f"Memory in a real pty ({COLUMNS}x{ROWS}), app {args.app_root or BIN / 'smstui'}")
        print(f"  load average at the start {' '.join(f'{x:.2f}' for x in load_before)}")
        if args.switches:
            print(f"  {args.switches} conversation switches (Esc, Down, Enter):", flush=True)
            app = launch(home / "switches", url, args.app_root, backfill=args.backfill)
            try:
                result["switches"] = {"n": args.switches, **run_switches(app, args.switches)}
            finally:
                app.stop()
            print(f"    {verdict(result['switches'])}")
        if args.long_cycles:
            print(
                f"  {args.long_cycles} open/close cycles of the {big} thread "
                "(50k messages, 3 older pages each):",
                flush=True,
            )
            app = launch(home / "long", url, args.app_root, backfill=args.backfill)
            try:
                result["long"] = {
                    "n": args.long_cycles,
                    **run_long_thread(app, args.long_cycles, big, other),
                }
            finally:
                app.stop()
            print(f"    {verdict(result['long'])}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)
    load = os.getloadavg()
    print(f"  load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    result["load"] = [load_before[0], load[0]]
    emit(result)


if __name__ == "__main__":
    main()
