"""A running ``smstui serve`` against a fake gateway, and a headless Chromium to open it with.

The server runs as its own process (``python -m smstui serve``) against a fake gateway started
here; every websocket it accepts makes it start one more ``smstui``, which inherits the
credentials from the server's environment. Nothing is downloaded: Debian's Chromium with its
own chromedriver.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from smstui.fake import FakeGateway
from smstui.system import paths
from smstui.system.clock import FixedClock
from tests.serve.browser import Browser, missing_browser, profile_dir, wait_for

ANCHOR = 1795780800  # 2026-11-27 12:00 UTC
CLIENT_ID = "served-client"
SECRET = "served-s3cret-0123456789abcdef"
SERVE = (sys.executable, "-m", "smstui", "serve")
SIGN_IN = re.compile(r"(https?://\S+/\?token=([A-Za-z0-9_-]+))")


def free_port() -> int:
    """A port nothing listens on right now (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    """A small fake gateway of the test's own, on a fixed clock."""
    with FakeGateway(
        client_id=CLIENT_ID,
        client_secret=SECRET,
        seed=7,
        scale="small",
        anchor=ANCHOR,
        clock=FixedClock(ANCHOR),
    ) as gw:
        yield gw


class Served:
    """A running ``smstui serve``: its address, what it printed, its log."""

    def __init__(self, url: str, process: subprocess.Popen[bytes], output: Path) -> None:
        self.url = url
        self.process = process
        self.output = output

    def printed(self) -> str:
        """Everything the server wrote to stdout and stderr so far."""
        return self.output.read_text(encoding="utf-8", errors="replace")

    def sign_in_url(self) -> str:
        """The sign-in link the server printed (waits for it)."""
        found = wait_for(lambda: SIGN_IN.search(self.printed()), "the printed sign-in link")
        return found.group(1)

    @property
    def token(self) -> str:
        """The token in the printed sign-in link."""
        return self.sign_in_url().rsplit("=", 1)[1]

    @property
    def origin(self) -> str:
        """The server's own origin, as a browser on its page sends it."""
        return self.url.rstrip("/")

    def log(self) -> str:
        """smstui's log file: the server's records and its tabs' (they share the state dir)."""
        path = paths.log_file()
        return path.read_text(encoding="utf-8") if path.exists() else ""


@pytest.fixture
def serve(
    gateway: FakeGateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Served]]:
    """Start ``smstui serve`` on a free loopback port (extra options allowed); stop it after."""
    # HOME and the XDG directories already point into tmp_path (tests/conftest.py): the
    # server's tabs inherit them, so they share a store there and nowhere else.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.setenv("SMSTOOLS_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("SMSTOOLS_CLIENT_SECRET", SECRET)
    started: list[subprocess.Popen[bytes]] = []

    def start(*options: str) -> Served:
        port = free_port()
        output = tmp_path / f"serve-{port}.log"
        with output.open("wb") as sink:
            process = subprocess.Popen(
                [*SERVE, "--port", str(port), "--base-url", gateway.url, *options],
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started.append(process)
        server = Served(f"http://127.0.0.1:{port}/", process, output)

        def answers() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"smstui serve ended early:\n{server.printed()}")
            try:
                httpx.get(server.url, timeout=1)  # any answer: it listens
            except httpx.HTTPError:
                return False
            return True

        wait_for(answers, "smstui serve to answer", timeout=30)
        return server

    try:
        yield start
    finally:
        for process in started:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the server and the tabs' processes (its children, in its process group)."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # any tab that outlived the server


@pytest.fixture
def served(serve: Callable[..., Served]) -> Served:
    """``smstui serve`` with its default options."""
    return serve()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    """Headless Chromium; fails (never skips) when Debian's packages are missing."""
    reason = missing_browser()
    if reason is not None:
        pytest.fail(reason)
    chromium = Browser(profile_dir(tmp_path))
    try:
        yield chromium
    finally:
        chromium.close()


def tab_processes(server: Served) -> list[int]:
    """The ``smstui`` processes serving browser tabs: in the server's process group, not it."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == server.process.pid:
            continue
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # ended meanwhile
            continue
        group = int(stat.rsplit(")", 1)[1].split()[2])
        if group == server.process.pid and argv[:3] == [sys.executable.encode(), b"-m", b"smstui"]:
            found.append(int(entry.name))
    return found


def command_line_and_environment(pid: int) -> bytes:
    """What ``ps`` and ``/proc`` show of a process: its arguments and its environment."""
    return Path(f"/proc/{pid}/cmdline").read_bytes() + Path(f"/proc/{pid}/environ").read_bytes()
