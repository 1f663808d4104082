"""``smstui serve`` in a real headless browser: the inbox, keys, a conversation, a reload.

The server runs as its own process (``python -m smstui serve``) against a fake gateway started
here; every browser tab makes it start one more ``smstui``, which inherits the credentials from
the server's environment. Nothing is downloaded: Debian's Chromium with its own chromedriver.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from selenium.webdriver.common.keys import Keys

from smstui.clock import FixedClock
from smstui.fake import FakeGateway
from tests.serve.browser import Browser, missing_browser, profile_dir, wait_for

ANCHOR = 1795780800  # 2026-11-27 12:00 UTC
CLIENT_ID = "served-client"
SECRET = "served-s3cret-0123456789abcdef"


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
    """A running ``smstui serve``: its URL and what it printed."""

    def __init__(self, url: str, process: subprocess.Popen[bytes], output: Path) -> None:
        self.url = url
        self.process = process
        self.output = output

    def printed(self) -> str:
        """Everything the server wrote to stdout and stderr so far."""
        return self.output.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def served(
    gateway: FakeGateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Served]:
    """``smstui serve`` on a free loopback port, in a process group of its own."""
    # HOME and the XDG directories already point into tmp_path (tests/conftest.py): the
    # server's tabs inherit them, so they share a store there and nowhere else.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.setenv("SMSTOOLS_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("SMSTOOLS_CLIENT_SECRET", SECRET)
    port = free_port()
    output = tmp_path / "serve.log"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "smstui",
                "serve",
                "--port",
                str(port),
                "--base-url",
                gateway.url,
            ],
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Served(f"http://127.0.0.1:{port}/", process, output)
    try:

        def answers() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"smstui serve ended early:\n{server.printed()}")
            try:
                return httpx.get(server.url, timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(answers, "smstui serve to answer", timeout=30)
        yield server
    finally:
        # The tabs' processes are the server's children, in its process group.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # any tab that outlived the server


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


def named_conversation(gateway: FakeGateway) -> tuple[str, str]:
    """A conversation with a contact, not the newest one: (number, "First Last")."""
    names = {c.phone: f"{c.firstname} {c.lastname}" for c in gateway._state.contacts()}
    numbers = gateway.conversation_numbers()
    for number in numbers[2:]:
        name = names.get(number)
        if name and sum(name.split()[-1] in other for other in names.values()) == 1:
            return number, name
    raise AssertionError("no named conversation with a unique last name in the data set")


def pane_title(screen: str) -> str:
    """The conversation pane's title: the right-hand side of the screen's second row."""
    rows = screen.splitlines()
    return rows[1].split("▕", 1)[-1] if len(rows) > 1 else ""


def test_the_inbox_in_a_browser_opens_a_conversation_and_survives_a_reload(
    served: Served, gateway: FakeGateway, browser: Browser
) -> None:
    """See the inbox, filter to a contact with keys, open it and its photo; a reload reopens it.

    The contact's newest message carries one photo, so ``o`` opens it at once; another
    conversation gets a newer message, so the contact's is not the one open at start.
    """
    number, name = named_conversation(gateway)
    gateway.deliver_inbound(number, "Here is the photo of the parcel", attachments=1)
    gateway.deliver_inbound(gateway.conversation_numbers()[1], "Thanks, see you tomorrow")
    browser.open(served.url)
    screen = browser.wait_for_text("Conversations")
    wait_for(lambda: gateway.count("GET", "/conversation/"), "the newest conversation to load")
    first_tab = wait_for(lambda: tab_processes(served), "the tab's smstui process")
    newest = gateway.conversation_numbers()[0]
    assert {r.path for r in gateway.requests if r.path.startswith("/conversation/")} == {
        f"/conversation/{newest}"
    }
    screen = browser.wait_for_text("/ Filter")
    assert SECRET not in screen

    last_name = name.split()[-1]
    # "/" and the name at once, as a fast typist or a paste sends them: each key waits until
    # the one before is handled, so the name lands in the filter box "/" just opened (it went
    # to the list, whose "n" opened "New message", before the web driver kept keys in order).
    browser.press("/" + last_name.lower())
    browser.wait_for_text(last_name.lower())
    browser.press(Keys.ENTER)  # open the top match
    wait_for(
        lambda: name in pane_title(browser.screen()),
        f"{name}'s conversation to open (screen:\n{browser.screen()})",
    )
    wait_for(
        lambda: gateway.count("GET", f"/conversation/{number}"),
        f"the served app to ask the gateway for /conversation/{number}",
    )
    browser.wait_for_text("Here is the photo of the parcel")

    # o: the photo opens in the viewer's browser (a new tab), not on the server.
    files_before = gateway.count("GET", "/files/")
    browser.press("o")
    tab = browser.wait_for_new_tab()
    origin = urlsplit(gateway.url)
    assert tab.startswith(f"{origin.scheme}://{origin.netloc}/files/photo-"), tab
    wait_for(lambda: gateway.count("GET", "/files/") > files_before, "the browser to fetch it")

    # A reload is a new page, a new websocket and a new smstui process on the same store.
    starts = gateway.count("GET", "/balance")
    browser.open(served.url)
    wait_for(lambda: gateway.count("GET", "/balance") > starts, "a new process after the reload")
    wait_for(
        lambda: (tabs := tab_processes(served)) and len(tabs) == 1 and tabs != first_tab,
        "the old page's process to end, leaving the new page's",
    )
    screen = browser.wait_for_text("Conversations")
    wait_for(
        lambda: name in pane_title(browser.screen()),
        f"the reload to reopen {name}'s conversation (screen:\n{browser.screen()})",
    )
    assert "Traceback" not in served.printed()
