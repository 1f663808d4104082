"""``smstui auth login | status | logout`` against the real fake gateway."""

from __future__ import annotations

import os
from argparse import Namespace

import keyring
import keyring.backends.fail
import pytest

from smstui.cli.auth import run_auth
from smstui.cli.main import main
from smstui.system import paths
from smstui.system.config import Settings
from tests.cli.conftest import CLIENT_ID, SECRET
from tests.fakes import HangingKeyring, LockedKeyring, MemoryKeyring


def login(gateway, *extra: str) -> int:
    return main(["--base-url", gateway.url, "auth", "login", *extra])


def test_login_checks_once_and_stores_in_the_keyring(gateway, terminal, memory_keyring, capsys):
    assert login(gateway) == 0
    out, err = capsys.readouterr()
    assert f"Signed in as {CLIENT_ID}" in out
    assert "Stored in the OS keyring (tests.fakes.MemoryKeyring)" in out
    assert [(r.method, r.path) for r in gateway.requests] == [("GET", "/auth")]
    assert memory_keyring.passwords == {
        ("smstui", "client-id"): CLIENT_ID,
        ("smstui", CLIENT_ID): SECRET,
    }
    assert terminal.prompts == ["Client id: ", "Client secret (typing is hidden): "]
    assert SECRET not in out + err


def test_login_offers_the_stored_client_id(gateway, terminal, memory_keyring):
    memory_keyring.set_password("smstui", "client-id", CLIENT_ID)
    terminal.client_id = ""  # the user just presses Enter
    assert login(gateway) == 0
    assert terminal.prompts[0] == f"Client id [{CLIENT_ID}]: "
    assert memory_keyring.passwords[("smstui", CLIENT_ID)] == SECRET


def test_wrong_secret_is_tried_once_and_nothing_is_stored(
    gateway, terminal, memory_keyring, capsys
):
    terminal.secret = "not-the-secret"
    assert login(gateway) == 4
    out, err = capsys.readouterr()
    assert "Wrong client id or secret" in err
    assert "Nothing was stored." in err
    assert len(gateway.requests) == 1  # a 104 is never retried (repeats lock the account)
    assert memory_keyring.passwords == {}
    assert not paths.credentials_file().exists()
    assert "not-the-secret" not in out + err


def test_unusable_keyring_is_explained_before_asking(gateway, terminal, capsys):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    assert login(gateway) == 4
    _, err = capsys.readouterr()
    assert "The OS keyring is not usable: no keyring backend is available" in err
    assert "pipx inject smstui keyrings.alt" in err
    assert "smstui auth login --insecure-storage" in err
    assert terminal.prompts == []  # no secret typed in vain
    assert gateway.requests == []


def test_insecure_storage_writes_a_private_file(gateway, terminal, capsys):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    assert login(gateway, "--insecure-storage") == 0
    _, err = capsys.readouterr()
    path = paths.credentials_file()
    assert f"PLAIN TEXT in {path}" in err
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert SECRET in path.read_text()


def test_unreachable_gateway_exits_5(gateway, terminal, memory_keyring, capsys):
    url = gateway.url
    gateway.stop()
    assert main(["--base-url", url, "auth", "login"]) == 5
    _, err = capsys.readouterr()
    assert "Can't reach the gateway" in err
    assert memory_keyring.passwords == {}


def test_empty_secret_stores_nothing(gateway, terminal, memory_keyring, capsys):
    terminal.secret = ""
    assert login(gateway) == 4
    assert "A client secret is needed" in capsys.readouterr().err
    assert gateway.requests == []


def test_status_after_login_names_the_source_never_the_secret(
    gateway, terminal, memory_keyring, capsys
):
    assert login(gateway) == 0
    capsys.readouterr()
    assert main(["auth", "status"]) == 0
    out, err = capsys.readouterr()
    assert "Credentials:  the OS keyring" in out
    assert "Client id:    cli-…0001" in out
    assert "OS keyring:   tests.fakes.MemoryKeyring (usable)" in out
    assert SECRET not in out + err
    assert CLIENT_ID not in out + err


def test_status_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("SMSTOOLS_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("SMSTOOLS_CLIENT_SECRET", SECRET)
    assert main(["auth", "status"]) == 0
    out, err = capsys.readouterr()
    assert "Credentials:  the environment (SMSTOOLS_CLIENT_ID, SMSTOOLS_CLIENT_SECRET)" in out
    assert SECRET not in out + err


def test_status_without_credentials_exits_4_with_the_ways_out(capsys):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    assert main(["auth", "status"]) == 4
    out, err = capsys.readouterr()
    assert "Credentials:  none found" in out
    assert "keyring.backends.fail.Keyring (not usable: no keyring backend" in out
    assert 'Run "smstui auth login"' in err
    assert "--insecure-storage" in err


def test_status_warns_about_a_lax_plain_text_file(gateway, terminal, capsys):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    assert login(gateway, "--insecure-storage") == 0
    os.chmod(paths.credentials_file(), 0o644)
    capsys.readouterr()
    assert main(["auth", "status"]) == 0
    out, err = capsys.readouterr()
    assert f"Credentials:  the file {paths.credentials_file()}" in out
    assert "Warning: Credentials are stored in plain text" in err
    assert "mode 0644, not 0600" in err
    assert SECRET not in out + err


@pytest.mark.parametrize("variable", ["SMSTOOLS_CLIENT_ID", "SMSTOOLS_CLIENT_SECRET"])
def test_half_an_environment_exits_4(variable, monkeypatch, capsys):
    monkeypatch.setenv(variable, "x-value")
    assert main(["auth", "status"]) == 4
    assert "set both or neither" in capsys.readouterr().err


def test_logout_removes_everything_and_says_what(gateway, terminal, memory_keyring, capsys):
    assert login(gateway) == 0
    capsys.readouterr()
    assert main(["auth", "logout"]) == 0
    out, _ = capsys.readouterr()
    assert "Removed the client secret for cli-…0001 (OS keyring)." in out
    assert "Removed the client id (OS keyring)." in out
    assert memory_keyring.passwords == {}
    assert main(["auth", "logout"]) == 0
    assert "No stored credentials were found." in capsys.readouterr().out
    assert main(["auth", "status"]) == 4


def test_logout_removes_the_plain_text_file(gateway, terminal, capsys):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    assert login(gateway, "--insecure-storage") == 0
    capsys.readouterr()
    assert main(["auth", "logout"]) == 0
    out, err = capsys.readouterr()
    assert f"Removed the credentials file {paths.credentials_file()}." in out
    assert "The OS keyring was not checked" in err
    assert not paths.credentials_file().exists()


def test_options_work_after_the_subcommand(gateway, terminal, memory_keyring):
    assert main(["auth", "login", "--base-url", gateway.url]) == 0
    assert len(gateway.requests) == 1


class PlaintextKeyring(MemoryKeyring):
    """Stands in for ``keyrings.alt.file.PlaintextKeyring`` (keyrings.alt is not installed)."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_a_plaintext_keyring_backend_is_called_plain_text(gateway, terminal, capsys):
    keyring.set_keyring(PlaintextKeyring())
    assert login(gateway) == 0
    out, err = capsys.readouterr()
    assert "OS keyring" not in out
    assert "keyrings.alt.file.PlaintextKeyring" in out
    assert "PLAIN TEXT" in err
    assert main(["auth", "status"]) == 0
    out, err = capsys.readouterr()
    assert "Credentials:  the OS keyring" not in out
    assert "Credentials:  a PLAIN-TEXT file of the keyring backend" in out
    assert "PLAIN TEXT" in err
    assert main(["auth", "logout"]) == 0
    out, _ = capsys.readouterr()
    assert "(OS keyring)" not in out
    assert "(plain-text keyring file)" in out
    assert SECRET not in out + err


def test_status_with_a_locked_keyring_says_locked_and_how_to_unlock(capsys):
    keyring.set_keyring(LockedKeyring())
    assert main(["auth", "status"]) == 4
    out, err = capsys.readouterr()
    assert "none found" not in out
    assert "Credentials:  unknown: the keyring could not be checked (the keyring is locked)" in out
    assert "auth login" not in err
    assert "The keyring is locked" in err
    assert "Unlock it" in err


def test_login_with_a_locked_keyring_says_how_to_unlock(gateway, terminal, capsys):
    keyring.set_keyring(LockedKeyring())
    assert login(gateway) == 4
    _, err = capsys.readouterr()
    assert "the keyring is locked" in err
    assert "Unlock it" in err
    assert terminal.prompts == []


def test_logout_says_it_could_not_check_a_keyring_that_timed_out(capsys):
    hanging = HangingKeyring()
    keyring.set_keyring(hanging)
    try:
        assert run_auth(Namespace(auth_command="logout"), Settings(), timeout=0.1) == 4
    finally:
        hanging.release.set()
    out, err = capsys.readouterr()
    assert "No stored credentials" not in out + err
    assert "Could not check the keyring" in err
    assert "timed out" in err
    assert "may still be stored" in err
