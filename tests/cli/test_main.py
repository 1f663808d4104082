"""``smstui`` itself: help, version, exit codes, launching the app and the demo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import keyring
import pytest

import smstui
import smstui.cli.main
import smstui.ui.app
from smstui.cli.main import main
from smstui.system import paths
from tests.cli.conftest import CLIENT_ID, SECRET
from tests.fakes import MemoryKeyring


class AppRecorder:
    """Stands in for ``smstui.ui.app.run_app``: records how the app would have been started."""

    def __init__(self, result: int = 0, during=None) -> None:
        self.calls: list[dict] = []
        self.result = result
        self.during = during

    def __call__(self, **kwargs) -> int:
        self.calls.append(kwargs)
        if self.during is not None:
            self.during(kwargs)
        return self.result


@pytest.fixture(autouse=True)
def in_a_terminal(monkeypatch) -> None:
    """These tests run the app's start-up in-process, where pytest's streams are no terminal."""
    monkeypatch.setattr(smstui.cli.main, "has_terminal", lambda: True)


@pytest.fixture
def app(monkeypatch) -> AppRecorder:
    recorder = AppRecorder()
    monkeypatch.setattr(smstui.ui.app, "run_app", recorder)
    return recorder


class TouchyKeyring(MemoryKeyring):
    """Fails the test's expectations loudly if anything reads or writes it."""

    def __init__(self) -> None:
        super().__init__()
        self.touched = False

    def get_password(self, service, username):
        self.touched = True
        return None

    def set_password(self, service, username, password):
        self.touched = True


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"smstui {smstui.__version__}"


def test_help_lists_commands_and_exit_codes(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for text in ("--demo", "--base-url", "--config", "--dry-run", "auth", "fake-server"):
        assert text in out
    assert "exit codes:" in out
    assert "130  interrupted" in out


def test_auth_help(capsys):
    assert main(["auth", "login", "--help"]) == 0
    assert "--insecure-storage" in capsys.readouterr().out


def test_fake_server_options_are_delegated(capsys):
    assert main(["fake-server", "--help"]) == 0
    assert "--port" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--bogus"], ["auth"], ["auth", "dance"], ["frobnicate"]])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert "usage: smstui" in capsys.readouterr().err


def test_config_error_exits_3(app, capsys):
    paths.default_config_file().write_text("[pagin]\ninbox = 5\n")
    assert main([]) == 3
    err = capsys.readouterr().err
    assert 'unknown key "pagin" (did you mean "paging"?)' in err
    assert app.calls == []


def test_missing_explicit_config_exits_3(tmp_path, capsys):
    assert main(["--config", str(tmp_path / "none.toml"), "auth", "status"]) == 3
    assert "none.toml: the config file does not exist" in capsys.readouterr().err


def test_app_gets_settings_and_environment_credentials(app, monkeypatch):
    monkeypatch.setenv("SMSTOOLS_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("SMSTOOLS_CLIENT_SECRET", SECRET)
    app.result = 0
    assert main(["--dry-run", "--base-url", "http://127.0.0.1:9/v1"]) == 0
    (call,) = app.calls
    assert call["demo"] is False
    assert call["settings"].dry_run is True
    assert call["settings"].base_url == "http://127.0.0.1:9/v1"
    assert call["credentials"].client_id == CLIENT_ID
    assert call["credentials"].secret.reveal() == SECRET
    assert call["credentials"].source == "environment"
    assert call["state_dir"] == paths.state_dir()


def test_app_without_credentials_still_starts_for_the_sign_in_screen(app):
    app.result = 4  # the user closed the sign-in screen
    assert main([]) == 4
    (call,) = app.calls
    assert call["credentials"] is None
    assert call["keyring"].usable


def test_half_an_environment_exits_4_before_the_app(app, monkeypatch, capsys):
    monkeypatch.setenv("SMSTOOLS_CLIENT_SECRET", SECRET)
    assert main([]) == 4
    assert "SMSTOOLS_CLIENT_ID is not set" in capsys.readouterr().err
    assert app.calls == []


def test_demo_runs_a_fake_gateway_and_leaves_no_trace(monkeypatch):
    touchy = TouchyKeyring()
    keyring.set_keyring(touchy)
    seen: dict = {}

    def use_the_gateway(call: dict) -> None:
        credentials = call["credentials"]
        headers = {
            "X-Client-Id": credentials.client_id,
            "X-Client-Secret": credentials.secret.reveal(),
        }
        seen["status"] = httpx.get(call["settings"].base_url + "/auth", headers=headers).status_code

    recorder = AppRecorder(during=use_the_gateway)
    monkeypatch.setattr(smstui.ui.app, "run_app", recorder)
    assert main(["--demo"]) == 0
    (call,) = recorder.calls
    assert call["demo"] is True
    assert call["credentials"].source == "demo"
    assert call["settings"].base_url.startswith("http://127.0.0.1:")
    assert not call["keyring"].usable
    assert call["state_dir"] == paths.state_dir() / "demo"
    assert seen["status"] == 200
    assert not touchy.touched
    assert not paths.credentials_file().exists()
    with pytest.raises(httpx.ConnectError):  # the gateway stopped with the app
        httpx.get(call["settings"].base_url + "/auth")


def test_unexpected_error_is_one_line_and_logged(monkeypatch, capsys):
    monkeypatch.setenv("SMSTOOLS_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("SMSTOOLS_CLIENT_SECRET", SECRET)

    def crash(call: dict) -> None:
        raise RuntimeError(f"boom with {SECRET}\nsecond line")

    monkeypatch.setattr(smstui.ui.app, "run_app", AppRecorder(during=crash))
    assert main([]) == 1
    err = capsys.readouterr().err
    log_path = paths.log_file()
    assert err == (
        f"smstui: unexpected error: RuntimeError: boom with ********; details in {log_path}\n"
    )
    logged = Path(log_path).read_text()
    assert "Traceback" in logged
    assert "RuntimeError: boom with ********" in logged
    assert SECRET not in logged


def test_interrupt_exits_130(monkeypatch, capsys):
    def interrupt(call: dict) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(smstui.ui.app, "run_app", AppRecorder(during=interrupt))
    assert main([]) == 130
    assert "Interrupted." in capsys.readouterr().err


def test_umask_is_private():
    main(["auth", "status"])
    probe = paths.state_dir() / "probe"
    probe.write_text("x")
    assert probe.stat().st_mode & 0o777 == 0o600


def run_python(*args: str) -> subprocess.CompletedProcess[str]:
    # A null keyring: a child process must never reach a developer's real one.
    env = {**__import__("os").environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, check=False
    )


def test_python_m_smstui_version():
    result = run_python("-m", "smstui", "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"smstui {smstui.__version__}"


def test_cli_and_auth_commands_do_not_import_textual():
    code = (
        "import sys; from smstui.cli.main import main; rc = main(['auth', 'status']); "
        "print(rc, 'textual' in sys.modules, 'httpx' in sys.modules)"
    )
    result = run_python("-c", code)
    assert result.stdout.splitlines()[-1].split() == ["4", "False", "False"], result.stderr
