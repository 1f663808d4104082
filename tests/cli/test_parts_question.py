"""The question about the parts in a real terminal: text and two Enters in one write never send.

``smstui`` runs as a child process on a pty (importing this checkout) against the fake gateway;
the POSTs are counted there. One write holds the text, its Enter and an Enter typed ahead, as a
paste without bracketed paste or a lagging SSH link delivers them.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from smstui.fake import FakeGateway
from tests.cli.test_terminal import DEADLINE, PtyApp, wait_until, wait_until_ready

REPO = Path(__file__).resolve().parents[2]
POLISH_264 = ("Dzień dobry, paczka będzie jutro między 10 a 12. " * 6)[:264]
QUESTION = "4 parts, charged as 4 messages — send?".encode()


def posts(gateway: FakeGateway) -> int:
    return gateway.count("POST", "/message/send")


@pytest.fixture
def app(gateway: FakeGateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PtyApp]:
    monkeypatch.setenv("PYTHONPATH", str(REPO))  # the child's environment
    home = tmp_path / "child-home"
    home.mkdir()
    started = PtyApp(gateway.url, home)
    yield started
    started.close()


def test_text_enter_enter_in_one_write_asks_and_only_y_sends(
    app: PtyApp, gateway: FakeGateway
) -> None:
    wait_until_ready(app)
    mark = len(app.seen())
    app.type("\t\t")
    wait_until(lambda: b"Editor" in app.seen()[mark:], DEADLINE, "the composer's focus")
    mark = len(app.seen())
    app.type(POLISH_264 + "\r\r")
    wait_until(lambda: QUESTION in app.seen()[mark:], DEADLINE, "the question about the parts")
    app.type("\r")
    mark = len(app.seen())
    app.type("n")
    # The meter said "Send? y/n" while the question was open; it is drawn again without it.
    wait_until(lambda: b"264/268" in app.seen()[mark:], DEADLINE, "the composer back")
    assert posts(gateway) == 0, "an Enter answered the question"
    mark = len(app.seen())
    app.type("\r")
    wait_until(lambda: QUESTION in app.seen()[mark:], DEADLINE, "the question again")
    app.type("y")
    wait_until(lambda: posts(gateway) == 1, DEADLINE, "the send agreed to")
    os.kill(app.process.pid, signal.SIGTERM)
    assert app.wait_exit() == 143
    assert posts(gateway) == 1
