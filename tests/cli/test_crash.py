"""Crashes are loud: exit 1, one line on the terminal, the traceback (masked) in the log."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from textual.app import App

import smstui.cli.main
from smstui.cli.main import main
from smstui.system import paths
from smstui.system.clock import FixedClock
from smstui.system.config import Settings
from smstui.system.logs import register_secret, setup_logging
from smstui.system.secret import Credentials, Secret
from smstui.ui.app import SmsApp
from smstui.ui.screens.inbox import InboxScreen
from tests.app.compose_helpers import wait_for
from tests.app_fixtures import ANCHOR, SECRET, ssh


@pytest.fixture
def headless(monkeypatch) -> None:
    """Run the real app start-up from ``main`` without a terminal (headless, in-process)."""
    monkeypatch.setattr(smstui.cli.main, "has_terminal", lambda: True)
    monkeypatch.setattr(SmsApp, "run", functools.partialmethod(App.run, headless=True))


@pytest.fixture
def log_file(tmp_path) -> Path:
    path = tmp_path / "smstui.log"
    setup_logging(debug=False, path=path)
    register_secret(Secret(SECRET))
    return path


def test_an_app_crash_exits_1_with_the_traceback_in_the_log(
    headless, fresh_gateway, monkeypatch, capsys
):
    monkeypatch.setenv("SMSTOOLS_CLIENT_ID", "test-client")
    monkeypatch.setenv("SMSTOOLS_CLIENT_SECRET", SECRET)

    def crash(self: SmsApp) -> None:
        raise RuntimeError(f"boom with {SECRET}")

    monkeypatch.setattr(SmsApp, "on_mount", crash)
    assert main(["--base-url", fresh_gateway.url]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"smstui: unexpected error: RuntimeError: boom with ********; details in {paths.log_file()}"
    ]
    logged = paths.log_file().read_text()
    assert "Traceback (most recent call last)" in logged
    assert "in crash" in logged
    assert "RuntimeError: boom with ********" in logged
    assert SECRET not in logged


async def test_a_worker_error_is_logged_with_its_traceback(fresh_gateway, log_file):
    app = SmsApp(
        settings=Settings(base_url=fresh_gateway.url),
        credentials=Credentials("test-client", Secret(SECRET), source="test"),
        clock=FixedClock(ANCHOR),
        environment=ssh(),
    )

    async def broken() -> None:
        raise ValueError(f"worker broke near {SECRET}")

    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen), what="the inbox")
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        inbox.run_worker(broken(), name="broken-task", exit_on_error=False)
        await wait_for(pilot, lambda: "broken-task" in log_file.read_text(), what="the log")
        assert app.return_code in (None, 0)
    logged = log_file.read_text()
    assert "background task 'broken-task' failed" in logged
    assert "Traceback (most recent call last)" in logged
    assert "in broken" in logged
    assert "ValueError: worker broke near ********" in logged
    assert SECRET not in logged
