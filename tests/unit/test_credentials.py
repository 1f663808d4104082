"""Credential resolution: environment, keyring (with every way it fails), the opt-in file."""

from __future__ import annotations

import os
import threading

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest

from smstui.system import paths
from smstui.system.config import Settings
from smstui.system.credentials import (
    CredentialError,
    Credentials,
    KeyringUnavailable,
    Secret,
    delete_stored,
    keyring_status,
    no_keyring_help,
    resolve_credentials,
    shorten_client_id,
    store_in_file,
    store_in_keyring,
    stored_client_id,
)
from tests.fakes import HangingKeyring, LockedKeyring

SECRET = "kr-secret-0123456789"
ENV = {"SMSTOOLS_CLIENT_ID": "env-id", "SMSTOOLS_CLIENT_SECRET": "env-secret-value"}


def store_everywhere(memory_keyring) -> None:
    memory_keyring.set_password("smstui", "client-id", "keyring-id")
    memory_keyring.set_password("smstui", "keyring-id", SECRET)
    store_in_file(Credentials("file-id", Secret("file-secret-value")))


def test_environment_wins_over_keyring_and_file(memory_keyring):
    store_everywhere(memory_keyring)
    lookup = resolve_credentials(Settings(), env=ENV)
    assert lookup.credentials == Credentials("env-id", Secret("env-secret-value"), "environment")


def test_keyring_wins_over_file(memory_keyring):
    store_everywhere(memory_keyring)
    lookup = resolve_credentials(Settings(), env={})
    assert lookup.credentials == Credentials("keyring-id", Secret(SECRET), "keyring")
    assert lookup.keyring.usable
    assert lookup.keyring.backend == "tests.fakes.MemoryKeyring"


def test_file_is_the_last_resort(memory_keyring):
    store_everywhere(memory_keyring)
    memory_keyring.passwords.clear()
    lookup = resolve_credentials(Settings(), env={})
    assert lookup.credentials == Credentials("file-id", Secret("file-secret-value"), "file")


def test_nothing_stored_means_none():
    lookup = resolve_credentials(Settings(), env={})
    assert lookup.credentials is None
    assert lookup.keyring.usable
    assert lookup.warnings == ()


def test_os_environ_is_the_default(monkeypatch):
    monkeypatch.setenv("SMSTOOLS_CLIENT_ID", "from-os")
    monkeypatch.setenv("SMSTOOLS_CLIENT_SECRET", "os-secret-value")
    found = resolve_credentials(Settings()).credentials
    assert found is not None
    assert (found.client_id, found.source) == ("from-os", "environment")


@pytest.mark.parametrize(
    ("present", "missing"),
    [
        ("SMSTOOLS_CLIENT_ID", "SMSTOOLS_CLIENT_SECRET"),
        ("SMSTOOLS_CLIENT_SECRET", "SMSTOOLS_CLIENT_ID"),
    ],
)
def test_one_environment_variable_alone_is_an_error(memory_keyring, present, missing):
    store_everywhere(memory_keyring)  # stored credentials must not be mixed in silently
    with pytest.raises(CredentialError) as caught:
        resolve_credentials(Settings(), env={present: ENV[present]})
    message = str(caught.value)
    assert message.startswith(f"{missing} is not set ({present} is)")
    assert "set both or neither" in message
    assert "env-secret-value" not in message


def test_config_client_id_finds_a_keyring_secret(memory_keyring):
    memory_keyring.set_password("smstui", "config-id", SECRET)
    lookup = resolve_credentials(Settings(client_id="config-id"), env={})
    assert lookup.credentials == Credentials("config-id", Secret(SECRET), "keyring")


def test_stored_client_id_wins_over_config(memory_keyring):
    store_everywhere(memory_keyring)
    found = resolve_credentials(Settings(client_id="config-id"), env={}).credentials
    assert found is not None
    assert found.client_id == "keyring-id"


def test_store_in_keyring_round_trips_and_replaces_an_old_id(memory_keyring):
    store_in_keyring(Credentials("first-id", Secret("first-secret")), timeout=1)
    store_in_keyring(Credentials("second-id", Secret(SECRET)), timeout=1)
    assert memory_keyring.passwords == {
        ("smstui", "client-id"): "second-id",
        ("smstui", "second-id"): SECRET,
    }
    found = resolve_credentials(Settings(), env={}).credentials
    assert found == Credentials("second-id", Secret(SECRET), "keyring")
    assert stored_client_id(1) == "second-id"


def test_fail_backend_is_unusable_with_a_plain_reason():
    keyring.set_keyring(keyring.backends.fail.Keyring())
    store_in_file(Credentials("file-id", Secret("file-secret-value")))
    lookup = resolve_credentials(Settings(), env={})
    assert not lookup.keyring.usable
    assert lookup.keyring.backend == "keyring.backends.fail.Keyring"
    assert "no keyring backend is available" in lookup.keyring.reason
    assert "SSH" in lookup.keyring.reason
    assert lookup.credentials is not None
    assert lookup.credentials.source == "file"
    with pytest.raises(KeyringUnavailable) as caught:
        store_in_keyring(Credentials("id", Secret(SECRET)), timeout=1)
    assert "no keyring backend" in str(caught.value)


def test_help_lists_every_way_out():
    text = no_keyring_help()
    for way in (
        "SMSTOOLS_CLIENT_ID",
        "SMSTOOLS_CLIENT_SECRET",
        "pipx inject smstui keyrings.alt",
        "uv tool install --reinstall . --with keyrings.alt",
        "Secret Service",
        "smstui auth login --insecure-storage",
    ):
        assert way in text


def test_null_backend_is_unusable():
    keyring.set_keyring(keyring.backends.null.Keyring())
    status = keyring_status(1)
    assert not status.usable
    assert "switched off" in status.reason


def test_locked_keyring_is_unusable():
    keyring.set_keyring(LockedKeyring())
    lookup = resolve_credentials(Settings(client_id="cfg"), env={})
    assert lookup.credentials is None
    assert not lookup.keyring.usable
    assert lookup.keyring.reason == "the keyring is locked"
    with pytest.raises(KeyringUnavailable, match="locked") as caught:
        store_in_keyring(Credentials("id", Secret(SECRET)), timeout=1)
    assert SECRET not in str(caught.value)


def test_hanging_keyring_times_out_and_is_abandoned():
    hanging = HangingKeyring()
    keyring.set_keyring(hanging)
    try:
        lookup = resolve_credentials(Settings(client_id="cfg"), env={}, keyring_timeout=0.2)
        assert lookup.credentials is None
        assert not lookup.keyring.usable
        assert "timed out" in lookup.keyring.reason
        # We returned while the keyring call was still blocked: its daemon thread lives on.
        stuck = [t for t in threading.enumerate() if t.name == "smstui-keyring"]
        assert stuck
        assert all(t.daemon for t in stuck)
        assert not hanging.release.is_set()
    finally:
        hanging.release.set()


def test_insecure_file_is_private_and_round_trips_awkward_text():
    awkward = Credentials('id "quoted"', Secret('s\\e"c\tr€t\x7f😀'))
    path = store_in_file(awkward)
    assert path == paths.config_dir() / "credentials.toml"
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    keyring.set_keyring(keyring.backends.fail.Keyring())
    found = resolve_credentials(Settings(), env={}).credentials
    assert found == Credentials('id "quoted"', Secret('s\\e"c\tr€t\x7f😀'), "file")


def test_insecure_file_with_a_lax_mode_is_warned_about():
    path = store_in_file(Credentials("file-id", Secret("file-secret-value")))
    assert resolve_credentials(Settings(), env={}).warnings == (
        f"Credentials are stored in plain text in {path}",
    )
    os.chmod(path, 0o644)
    warnings = resolve_credentials(Settings(), env={}).warnings
    assert any("mode 0644, not 0600" in warning for warning in warnings)


def test_a_broken_credentials_file_is_an_error_without_its_content():
    path = paths.credentials_file()
    path.write_text('client_id = "x"\nclient_secret = "leaky-secret\n')
    with pytest.raises(CredentialError) as caught:
        resolve_credentials(Settings(), env={})
    assert str(path) in str(caught.value)
    assert "leaky" not in str(caught.value)


def test_delete_stored_removes_keyring_entries_and_file(memory_keyring):
    store_everywhere(memory_keyring)
    memory_keyring.set_password("smstui", "config-id-0000", "other-secret")
    removal = delete_stored(1, client_ids=["config-id-0000"])
    assert memory_keyring.passwords == {}
    assert not paths.credentials_file().exists()
    assert len(removal.removed) == 4
    assert any("conf…0000" in item for item in removal.removed)
    assert any(str(paths.credentials_file()) in item for item in removal.removed)
    assert delete_stored(1).removed == ()
    assert delete_stored(1).unchecked == ""


def test_nothing_shows_the_secret(memory_keyring):
    store_everywhere(memory_keyring)
    lookup = resolve_credentials(Settings(), env={})
    assert SECRET not in repr(lookup)
    assert SECRET not in str(lookup)


@pytest.mark.parametrize(
    ("client_id", "shown"),
    [("abcdefghijwxyz", "abcd…wxyz"), ("abcdef", "ab…"), ("abc", "…")],
)
def test_client_ids_are_shortened(client_id, shown):
    assert shorten_client_id(client_id) == shown
