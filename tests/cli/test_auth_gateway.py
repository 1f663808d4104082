"""``smstui auth login --base-url URL``: a failure says how to pick the gateway; a success
remembers it, so the app, the commands and ``auth status`` use it without ``--base-url``."""

from __future__ import annotations

import os

from smstui.cli.main import main
from smstui.system import paths
from smstui.system.account_state import login_file
from smstui.system.config import DEFAULT_BASE_URL, load_settings
from smstui.system.exit_codes import EXIT_CREDENTIALS, EXIT_OK, EXIT_UNREACHABLE


def test_a_failed_login_names_base_url(gateway, terminal, memory_keyring, capsys):
    terminal.secret = "not-the-secret"
    assert main(["--base-url", gateway.url, "auth", "login"]) == EXIT_CREDENTIALS
    err = capsys.readouterr().err
    assert f"Is the account on another gateway than {gateway.url}?" in err
    assert "smstui auth login --base-url URL" in err
    assert not login_file().exists()


def test_an_unreachable_gateway_names_base_url(gateway, terminal, memory_keyring, capsys):
    url = gateway.url
    gateway.stop()
    assert main(["--base-url", url, "auth", "login"]) == EXIT_UNREACHABLE
    assert "--base-url URL" in capsys.readouterr().err


def test_a_login_remembers_its_gateway(gateway, terminal, memory_keyring, capsys):
    assert main(["--base-url", gateway.url, "auth", "login"]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"Gateway remembered: {gateway.url}" in out
    assert oct(paths.file_mode(login_file())) == "0o600"
    assert load_settings().base_url == gateway.url
    assert main(["auth", "status"]) == EXIT_OK  # no --base-url: the remembered gateway
    assert f"Gateway:      {gateway.url} (remembered at login)" in capsys.readouterr().out
    # The config file and the overrides still win over what a login remembered.
    paths.default_config_file().write_text('base_url = "https://other.example/v1"\n')
    assert load_settings().base_url == "https://other.example/v1"
    assert load_settings(base_url="https://cli.example/v1").base_url == "https://cli.example/v1"
    os.unlink(paths.default_config_file())
    assert main(["auth", "logout"]) == EXIT_OK
    assert f"Forgot the gateway remembered at login ({gateway.url})" in capsys.readouterr().out
    assert load_settings().base_url == DEFAULT_BASE_URL
