"""``smstui serve``: its options, the command each tab runs, and the loopback default.

The server itself is replaced here; tests/serve runs the real one (handshakes and a browser).
"""

from __future__ import annotations

import shlex
import sys

import pytest

import smstui.cli.main
import smstui.cli.serve_server
import smstui.ui.app
from smstui.cli.main import main
from smstui.cli.serve import exposure_warning, is_loopback, served_to_a_browser
from tests.cli.conftest import CLIENT_ID, SECRET


class ServerRecorder:
    """Stands in for the guarded textual-serve server: records how it was made and served."""

    made: list[dict[str, object]]

    def __init__(self, command: str, **options: object) -> None:
        guard = options.pop("guard")
        ServerRecorder.made.append({"command": command, "public_url": guard.public_url, **options})

    def serve(self) -> None:
        ServerRecorder.made[-1]["served"] = True


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    ServerRecorder.made = []
    monkeypatch.setattr(smstui.cli.serve_server, "GuardedServer", ServerRecorder)
    return ServerRecorder.made


def test_serves_on_loopback_by_default_without_secrets_in_the_command(server, monkeypatch, capsys):
    monkeypatch.setenv("SMSTOOLS_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("SMSTOOLS_CLIENT_SECRET", SECRET)
    assert main(["serve", "--base-url", "http://127.0.0.1:9/v1"]) == 0
    [made] = server
    assert made["host"] == "127.0.0.1"
    assert made["port"] == 8000
    assert made["public_url"] == "http://127.0.0.1:8000"
    assert made["served"] is True
    command = shlex.split(str(made["command"]))
    assert command == [sys.executable, "-m", "smstui", "--base-url", "http://127.0.0.1:9/v1"]
    out, err = capsys.readouterr()
    assert SECRET not in out + err + str(made)
    assert "credentials from the environment" in out
    assert "WARNING" not in err


def test_demo_and_options_reach_each_tab(server, tmp_path, capsys):
    config = tmp_path / "smstui.toml"
    config.write_text("")
    assert main(["--config", str(config), "serve", "--demo", "--dry-run", "--port", "8123"]) == 0
    [made] = server
    assert made["port"] == 8123
    command = shlex.split(str(made["command"]))
    assert command[3:] == ["--demo", "--dry-run", "--config", str(config)]


def test_other_addresses_are_served_with_a_loud_warning(server, capsys):
    assert (
        main(["serve", "--demo", "--host", "0.0.0.0", "--public-url", "https://sms.example"]) == 0
    )
    assert server[0]["host"] == "0.0.0.0"
    assert server[0]["public_url"] == "https://sms.example"
    err = capsys.readouterr().err
    assert "cross the network in clear" in err
    assert "reverse proxy with TLS" in err
    assert "--public-url" not in err  # given


def test_a_wildcard_address_without_public_url_says_pages_need_one(server, capsys):
    assert main(["serve", "--demo", "--host", "0.0.0.0"]) == 0
    assert "give --public-url" in capsys.readouterr().err


def test_an_ipv6_address_gets_a_public_url_browsers_can_compare(server):
    assert main(["serve", "--demo", "--host", "::1", "--port", "8123"]) == 0
    assert server[0]["public_url"] == "http://[::1]:8123"


def test_a_public_url_that_is_not_http_is_refused_before_serving(server, capsys):
    assert main(["serve", "--demo", "--public-url", "sms.example"]) == 2
    assert "give --public-url" in capsys.readouterr().err
    assert server == []


def test_no_credentials_is_said_before_serving(server, capsys):
    assert main(["serve"]) == 0
    assert "no credentials found" in capsys.readouterr().err
    assert server[0]["served"] is True


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("sms.example", False),
    ],
)
def test_loopback(host, loopback):
    assert is_loopback(host) is loopback
    assert (exposure_warning(host, 8000) is None) is loopback


def test_a_tab_of_the_server_is_recognised_by_its_driver():
    assert served_to_a_browser({"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"})
    assert not served_to_a_browser({})
    assert not served_to_a_browser({"TEXTUAL_DRIVER": "textual.drivers.linux_driver:LinuxDriver"})


def test_a_served_tab_runs_without_a_terminal(monkeypatch):
    """textual-serve gives each tab pipes, not a terminal: the app starts anyway."""
    calls = []
    monkeypatch.setattr(smstui.cli.main, "has_terminal", lambda: False)
    monkeypatch.setattr(smstui.ui.app, "run_app", lambda **kwargs: calls.append(kwargs) or 0)
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert main(["--demo"]) == 0
    assert len(calls) == 1
    monkeypatch.delenv("TEXTUAL_DRIVER")
    assert main(["--demo"]) == 2
