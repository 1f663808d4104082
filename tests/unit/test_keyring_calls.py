"""Keyring calls: what a backend's error text, a locked keyring and a plaintext backend become."""

from __future__ import annotations

import keyring
import keyring.errors
import pytest

from smstui.system.config import Settings
from smstui.system.credentials import (
    Credentials,
    KeyringUnavailable,
    Secret,
    delete_stored,
    keyring_status,
    resolve_credentials,
    store_in_keyring,
)
from smstui.system.keyring_calls import DETAIL_LENGTH, LOCKED, TIMED_OUT, describe_keyring_error
from tests.fakes import HangingKeyring, LockedKeyring, MemoryKeyring

SECRET = "kr-secret-0123456789"


class EchoingKeyring(MemoryKeyring):
    """A backend whose error message repeats what it was asked to store, laid out as given."""

    def __init__(self, layout: str) -> None:
        super().__init__()
        self.layout = layout

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError(self.layout.format(password=password))


@pytest.mark.parametrize(
    ("secret", "layout"),
    [
        # Whitespace inside the secret would be collapsed before a later mask could match it.
        ("tab\tand  two  spaces-0123456789", "could not store {password}"),
        ("line\nbreak-in-the-secret-0123", "could not store\n{password}\n"),
        # The secret straddles the cut: its first characters would survive a mask after it.
        (SECRET, "x" * (DETAIL_LENGTH - 8) + " {password} tail"),
    ],
    ids=["spaces", "newline", "at-the-cut"],
)
def test_a_secret_echoed_by_the_backend_is_masked_before_the_text_is_cut(secret, layout):
    keyring.set_keyring(EchoingKeyring(layout))
    with pytest.raises(KeyringUnavailable) as caught:
        store_in_keyring(Credentials("some-id", Secret(secret)), timeout=1)
    text = str(caught.value) + caught.value.status.reason
    assert "PasswordSetError" in text
    for piece in secret.split():
        assert piece[:6] not in text
    assert "********" in text or "x" * 20 in text


def test_describe_masks_first_then_collapses_and_cuts():
    error = RuntimeError("value: " + "ab  cd\tef-secret".replace("  ", "\n  "))
    reason = describe_keyring_error(error, hide=["ab\n  cd\tef-secret"])
    assert reason == "the keyring failed (RuntimeError: value: ********)"


def test_a_locked_keyring_is_marked_locked():
    keyring.set_keyring(LockedKeyring())
    lookup = resolve_credentials(Settings(client_id="cfg"), env={})
    assert lookup.keyring.problem == LOCKED
    assert lookup.keyring.may_hold_credentials


def test_a_hanging_keyring_is_marked_timed_out():
    hanging = HangingKeyring()
    keyring.set_keyring(hanging)
    try:
        status = keyring_status(0.1)
    finally:
        hanging.release.set()
    assert status.problem == TIMED_OUT
    assert status.may_hold_credentials


class PlaintextKeyring(MemoryKeyring):
    """Stands in for ``keyrings.alt.file.PlaintextKeyring`` (not installed here)."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_a_keyrings_alt_plaintext_backend_is_not_called_the_os_keyring():
    keyring.set_keyring(PlaintextKeyring())
    status = keyring_status(1)
    assert status.usable
    assert status.plaintext
    assert status.backend == "keyrings.alt.file.PlaintextKeyring"
    assert "OS keyring" not in status.storage
    assert "PLAIN-TEXT" in status.storage


def test_a_real_os_keyring_is_the_os_keyring(memory_keyring):
    status = keyring_status(1)
    assert not status.plaintext
    assert status.storage == "the OS keyring"


def test_delete_stored_says_when_the_keyring_could_not_be_checked():
    keyring.set_keyring(LockedKeyring())
    removal = delete_stored(1)
    assert removal.removed == ()
    assert removal.unchecked == "the keyring is locked"
