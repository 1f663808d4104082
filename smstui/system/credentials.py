"""Finding, storing and removing the API credentials: environment, OS keyring, opt-in file.

Resolution order (first hit wins): ``SMSTOOLS_CLIENT_ID`` + ``SMSTOOLS_CLIENT_SECRET``, then
the OS keyring (service ``smstui``), then the opt-in plain-text ``credentials.toml``.

Keyring calls can hang (a locked Secret Service waiting for an unlock prompt nobody sees), so
every one runs in a daemon thread joined with a timeout. Not ``asyncio.to_thread`` or an
executor: a stuck thread there keeps the interpreter from exiting. A timeout, any keyring
error, or the ``fail``/``null`` backends mean "keyring unusable", with the reason recorded.
The ``keyring`` package itself is imported lazily: it costs ~50 ms and ``--help`` needs none of it.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from smstui.system import paths
from smstui.system.config import Settings
from smstui.system.keyring_calls import (
    CLIENT_ID_USERNAME,
    SERVICE,
    KeyringProblem,
    KeyringStatus,
    keyring_status,
    run_keyring_call,
)
from smstui.system.secret import Credentials, Secret

__all__ = [
    "CLIENT_ID_ENV",
    "CLIENT_SECRET_ENV",
    "DEFAULT_KEYRING_TIMEOUT",
    "SERVICE",
    "CredentialError",
    "CredentialLookup",
    "Credentials",
    "KeyringStatus",
    "KeyringUnavailable",
    "Removal",
    "Secret",
    "delete_stored",
    "file_warnings",
    "keyring_status",
    "no_keyring_help",
    "resolve_credentials",
    "shorten_client_id",
    "store_in_file",
    "store_in_keyring",
    "stored_client_id",
]

CLIENT_ID_ENV = "SMSTOOLS_CLIENT_ID"
CLIENT_SECRET_ENV = "SMSTOOLS_CLIENT_SECRET"
DEFAULT_KEYRING_TIMEOUT = 5.0


class CredentialError(Exception):
    """Credentials are inconsistent, unreadable or cannot be stored; the text holds no secret."""


class KeyringUnavailable(CredentialError):
    """The OS keyring cannot be used; :attr:`status` says which backend and why."""

    def __init__(self, status: KeyringStatus) -> None:
        super().__init__(f"The OS keyring is not usable: {status.reason}")
        self.status = status


@dataclass(frozen=True)
class CredentialLookup:
    """What :func:`resolve_credentials` found, and the state of the keyring on the way."""

    credentials: Credentials | None
    keyring: KeyringStatus
    warnings: tuple[str, ...] = field(default=())
    """Things the user should know, e.g. a credentials file readable by others."""


def resolve_credentials(
    settings: Settings,
    env: Mapping[str, str] = os.environ,
    keyring_timeout: float = DEFAULT_KEYRING_TIMEOUT,
) -> CredentialLookup:
    """Find the credentials: environment, then OS keyring, then the opt-in file.

    Args:
        settings: Supplies ``client_id`` when the keyring holds a secret but no id.
        env: Where to read ``SMSTOOLS_CLIENT_ID`` / ``SMSTOOLS_CLIENT_SECRET``.
        keyring_timeout: Seconds to wait for each keyring call before giving up on it.

    Returns:
        The credentials (or None) with their ``source``, the keyring status and warnings.

    Raises:
        CredentialError: Only one of the two environment variables is set, or the
            credentials file exists but cannot be read.
    """
    from_env = _from_environment(env)
    if from_env is not None:
        # Don't touch the keyring at all: it may hang, and the environment wins anyway.
        skipped = KeyringStatus(
            usable=False,
            backend="",
            reason=f"not used: {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV} take precedence",
        )
        return CredentialLookup(from_env, skipped)

    status = keyring_status(keyring_timeout)
    if status.usable:
        try:
            found = _from_keyring(settings.client_id, keyring_timeout)
        except KeyringProblem as problem:
            status = dataclasses.replace(
                status, usable=False, reason=problem.reason, problem=problem.kind
            )
        else:
            if found is not None:
                return CredentialLookup(found, status, file_warnings())

    return CredentialLookup(_from_file(), status, file_warnings())


def _from_environment(env: Mapping[str, str]) -> Credentials | None:
    """Both variables, or neither; one alone is an error rather than a mix of sources."""
    client_id = env.get(CLIENT_ID_ENV, "").strip()
    secret = env.get(CLIENT_SECRET_ENV, "").strip()
    if client_id and secret:
        return Credentials(client_id, Secret(secret), source="environment")
    if client_id:
        raise CredentialError(
            f"{CLIENT_SECRET_ENV} is not set ({CLIENT_ID_ENV} is); set both or neither"
        )
    if secret:
        raise CredentialError(
            f"{CLIENT_ID_ENV} is not set ({CLIENT_SECRET_ENV} is); set both or neither"
        )
    return None


def _get(username: str, timeout: float) -> str | None:
    import keyring

    return run_keyring_call(lambda: keyring.get_password(SERVICE, username), timeout)


def _from_keyring(config_client_id: str, timeout: float) -> Credentials | None:
    """Read the stored client id (or use the config's) and the secret stored under it."""
    client_id = _get(CLIENT_ID_USERNAME, timeout) or config_client_id
    if not client_id:
        return None
    secret = _get(client_id, timeout)
    if not secret:
        return None
    return Credentials(client_id, Secret(secret), source="keyring")


def stored_client_id(timeout: float = DEFAULT_KEYRING_TIMEOUT, *, use_keyring: bool = True) -> str:
    """Return the client id stored in the keyring or the credentials file, or ``""``.

    Used as the default at the ``auth login`` prompt; never raises.

    Args:
        timeout: Seconds allowed for each keyring call.
        use_keyring: False to look only at the credentials file.
    """
    if use_keyring and keyring_status(timeout).usable:
        try:
            client_id = _get(CLIENT_ID_USERNAME, timeout)
        except KeyringProblem:
            client_id = None
        if client_id:
            return client_id
    try:
        from_file = _from_file()
    except CredentialError:
        return ""
    return from_file.client_id if from_file else ""


def store_in_keyring(credentials: Credentials, timeout: float = DEFAULT_KEYRING_TIMEOUT) -> None:
    """Store the credentials in the OS keyring: the id under ``client-id``, the secret under it.

    A secret stored earlier under a different client id is removed afterwards.

    Raises:
        KeyringUnavailable: The keyring is unusable, locked, failed or timed out.
    """
    import keyring

    status = keyring_status(timeout)
    if not status.usable:
        raise KeyringUnavailable(status)
    client_id, secret = credentials.client_id, credentials.secret.reveal()
    hide = (secret,)  # a backend's error text should not echo the password, but make sure
    try:
        previous = _get(CLIENT_ID_USERNAME, timeout)
        run_keyring_call(lambda: keyring.set_password(SERVICE, client_id, secret), timeout, hide)
        run_keyring_call(
            lambda: keyring.set_password(SERVICE, CLIENT_ID_USERNAME, client_id), timeout, hide
        )
        if previous and previous != client_id:
            _delete(previous, timeout)
    except KeyringProblem as problem:
        raise KeyringUnavailable(
            dataclasses.replace(status, usable=False, reason=problem.reason, problem=problem.kind)
        ) from None


def _delete(username: str, timeout: float) -> bool:
    """Delete one keyring entry; False when there was none."""
    import keyring
    import keyring.errors

    def delete() -> bool:
        try:
            keyring.delete_password(SERVICE, username)
        except keyring.errors.PasswordDeleteError:
            return False
        return True

    return run_keyring_call(delete, timeout)


def _credentials_toml(credentials: Credentials) -> str:
    return (
        "# Written by `smstui auth login --insecure-storage`: the secret is in PLAIN TEXT.\n"
        "# Keep this file mode 0600. `smstui auth logout` deletes it.\n"
        f"client_id = {_toml_string(credentials.client_id)}\n"
        f"client_secret = {_toml_string(credentials.secret.reveal())}\n"
    )


def _toml_string(value: str) -> str:
    """Quote ``value`` as a TOML basic string (controls and DEL escaped as TOML requires)."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or char == "\x7f":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def store_in_file(credentials: Credentials) -> Path:
    """Write the credentials to the opt-in plain-text file (mode 0600, directory 0700).

    Returns:
        The path written.
    """
    path = paths.credentials_file()
    paths.write_private_file(path, _credentials_toml(credentials))
    return path


def _from_file() -> Credentials | None:
    """Read the opt-in credentials file when it exists."""
    path = paths.credentials_file()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        # TOMLDecodeError names the line and column, never the content.
        detail = str(error) if isinstance(error, tomllib.TOMLDecodeError) else type(error).__name__
        raise CredentialError(f"{path}: cannot read the credentials file ({detail})") from None
    client_id, secret = document.get("client_id"), document.get("client_secret")
    if not isinstance(client_id, str) or not isinstance(secret, str) or not client_id or not secret:
        raise CredentialError(
            f'{path}: the credentials file needs "client_id" and "client_secret" strings'
        )
    return Credentials(client_id.strip(), Secret(secret.strip()), source="file")


def file_warnings() -> tuple[str, ...]:
    """Warn about the plain-text credentials file: that it exists, and a lax mode."""
    path = paths.credentials_file()
    if not path.exists():
        return ()
    warnings = [f"Credentials are stored in plain text in {path}"]
    mode = paths.file_mode(path)
    if mode != paths.PRIVATE_FILE_MODE:
        warnings.append(
            f"{path} has mode {mode:04o}, not 0600: other users may read it (chmod 600 {path})"
        )
    return tuple(warnings)


@dataclass(frozen=True)
class Removal:
    """What :func:`delete_stored` removed, and whether the keyring could be checked at all."""

    removed: tuple[str, ...] = ()
    """One line per thing removed, e.g. ``"the client secret for abcd…wxyz (OS keyring)"``."""
    unchecked: str = ""
    """Why a keyring that may hold credentials could not be checked; "" when it was checked
    or cannot hold any (no backend, switched off)."""


def delete_stored(
    timeout: float = DEFAULT_KEYRING_TIMEOUT,
    *,
    client_ids: Iterable[str] = (),
    keyring: KeyringStatus | None = None,
) -> Removal:
    """Remove stored credentials from the keyring and the credentials file.

    Args:
        timeout: Seconds allowed for each keyring call.
        client_ids: More client ids whose keyring secret should go too (e.g. the config's).
        keyring: The keyring's status when the caller already checked it.

    Returns:
        What was removed, and why the keyring was not checked when it may hold credentials
        (locked, timed out, failing): then "nothing removed" does not mean "nothing stored".
    """
    status = keyring if keyring is not None else keyring_status(timeout)
    removed: list[str] = []
    unchecked = "" if status.usable or not status.may_hold_credentials else status.reason
    if status.usable:
        where = "plain-text keyring file" if status.plaintext else "OS keyring"
        try:
            stored = _get(CLIENT_ID_USERNAME, timeout)
            for client_id in dict.fromkeys([stored or "", *client_ids]):
                if client_id and _delete(client_id, timeout):
                    removed.append(
                        f"the client secret for {shorten_client_id(client_id)} ({where})"
                    )
            if _delete(CLIENT_ID_USERNAME, timeout):
                removed.append(f"the client id ({where})")
        except KeyringProblem as problem:
            unchecked = problem.reason
    path = paths.credentials_file()
    if path.exists():
        path.unlink()
        removed.append(f"the credentials file {path}")
    return Removal(tuple(removed), unchecked)


def shorten_client_id(client_id: str) -> str:
    """Show enough of a client id to recognise it: ``abcd…wxyz``."""
    if len(client_id) > 10:
        return f"{client_id[:4]}…{client_id[-4:]}"
    if len(client_id) > 4:
        return f"{client_id[:2]}…"
    return "…"


def no_keyring_help() -> str:
    """Explain the ways to run smstui when no OS keyring is usable."""
    return (
        "Ways to provide the credentials without an OS keyring:\n"
        f"  • set {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV} in the environment;\n"
        "  • install a keyring backend into smstui's own environment:\n"
        "      pipx inject smstui keyrings.alt\n"
        "      uv tool install --reinstall . --with keyrings.alt   (in the smstui checkout)\n"
        "    or run a Secret Service (e.g. gnome-keyring) in a D-Bus session;\n"
        "  • or store them in a plain-text file readable only by you (mode 0600):\n"
        "      smstui auth login --insecure-storage"
    )
