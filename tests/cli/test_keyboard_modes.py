"""The keyboard modes smstui asks of its terminal are given back whenever it lets go of it.

xterm tells Shift+Enter and Ctrl+Enter from Enter once modifyOtherKeys is set; the app sets it
(``CSI > 4 ; 1 m``) beside the kitty protocol Textual pushes (``CSI > 25 u``), and must undo
both (``CSI > 4 m``, ``CSI < u``) on exit, on Ctrl+Z, while the external editor runs and after a
crash: a shell left in modifyOtherKeys gets ``CSI 27 ; 5 ; 99 ~`` where it expected Ctrl+C.
Each test runs ``smstui`` as a child process on a real pty and reads what it wrote there.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smstui.fake import FakeGateway
from tests.cli.test_terminal import (
    ALT_SCREEN_OFF,
    ALT_SCREEN_ON,
    DEADLINE,
    PtyApp,
    wait_until,
    wait_until_ready,
)

MODIFY_OTHER_KEYS_ON = b"\x1b[>4;1m"
MODIFY_OTHER_KEYS_OFF = b"\x1b[>4m"
KITTY_PUSH = b"\x1b[>25u"
KITTY_POP = b"\x1b[<u"

REPO = Path(__file__).resolve().parents[2]
"""This checkout: the child imports smstui from here, not from wherever it is installed."""

CRASHING = """
import smstui.ui.app

def broken(self):
    raise RuntimeError("a bug behind the help key")

smstui.ui.app.SmsApp.action_help = broken
"""
"""A ``sitecustomize`` for the child: a bug behind ``?``, to crash the app once it is running."""


@pytest.fixture
def pty_app(
    gateway: FakeGateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., PtyApp]]:
    started: list[PtyApp] = []

    def start(*, crash: bool = False) -> PtyApp:
        home = tmp_path / "child-home"
        home.mkdir(exist_ok=True)
        paths = [str(REPO)]
        if crash:
            hook = tmp_path / "crash-hook"
            hook.mkdir(exist_ok=True)
            (hook / "sitecustomize.py").write_text(CRASHING, encoding="utf-8")
            paths.insert(0, str(hook))
        monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))  # the child's environment
        app = PtyApp(gateway.url, home)
        started.append(app)
        return app

    yield start
    for app in started:
        app.close()


def given_back(output: bytes) -> bool:
    """modifyOtherKeys and the kitty protocol are both off after the last time they went on."""
    return (
        output.rfind(MODIFY_OTHER_KEYS_OFF) > output.rfind(MODIFY_OTHER_KEYS_ON) >= 0
        and output.rfind(KITTY_POP) > output.rfind(KITTY_PUSH) >= 0
    )


def test_set_at_start_and_given_back_on_quit(pty_app: Callable[..., PtyApp]) -> None:
    app = pty_app()
    wait_until_ready(app)
    seen = app.seen()
    assert MODIFY_OTHER_KEYS_ON in seen[seen.find(ALT_SCREEN_ON) :]
    assert KITTY_PUSH in seen
    assert not given_back(seen)
    app.type("q")
    assert app.wait_exit() == 0
    output = app.all_output()
    assert given_back(output)
    # Given back before the alternate screen is left, with the rest of Textual's restore.
    assert output.rfind(MODIFY_OTHER_KEYS_OFF) < output.rfind(ALT_SCREEN_OFF)


def test_given_back_while_the_editor_runs_and_asked_again_after(
    pty_app: Callable[..., PtyApp],
) -> None:
    app = pty_app()
    wait_until_ready(app)
    mark = len(app.seen())
    app.type("\t\t")
    wait_until(lambda: b"Editor" in app.seen()[mark:], DEADLINE, "the composer's focus")
    mark = len(app.seen())
    app.type("\x05")  # Ctrl+E: $EDITOR (here `true`) runs while the app is suspended
    wait_until(
        lambda: MODIFY_OTHER_KEYS_ON in app.seen()[mark:], DEADLINE, "the app back from the editor"
    )
    during = app.seen()[mark:]
    assert MODIFY_OTHER_KEYS_OFF in during[: during.find(MODIFY_OTHER_KEYS_ON)]
    assert KITTY_POP in during[: during.find(MODIFY_OTHER_KEYS_ON)]
    os.kill(app.process.pid, signal.SIGTERM)
    assert app.wait_exit() == 143
    assert given_back(app.all_output())


def test_given_back_on_ctrl_z_and_asked_again_on_fg(pty_app: Callable[..., PtyApp]) -> None:
    app = pty_app()
    wait_until_ready(app)
    mark = len(app.seen())
    os.kill(app.process.pid, signal.SIGTSTP)  # what Ctrl+Z sends where the terminal handles it
    wait_until(
        lambda: MODIFY_OTHER_KEYS_OFF in app.seen()[mark:] and KITTY_POP in app.seen()[mark:],
        DEADLINE,
        "the modes given back on suspend",
    )
    mark = len(app.seen())
    os.kill(app.process.pid, signal.SIGCONT)  # fg
    wait_until(
        lambda: MODIFY_OTHER_KEYS_ON in app.seen()[mark:], DEADLINE, "the mode asked for again"
    )
    os.kill(app.process.pid, signal.SIGTERM)
    assert app.wait_exit() == 143
    assert given_back(app.all_output())


def test_given_back_when_the_app_crashes(pty_app: Callable[..., PtyApp]) -> None:
    app = pty_app(crash=True)
    wait_until_ready(app)
    app.type("?")
    assert app.wait_exit() == 1
    output = app.all_output()
    assert b"unexpected error: RuntimeError: a bug behind the help key" in output
    assert given_back(output)
