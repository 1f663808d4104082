"""``smstui auth login | status | logout``: managing the stored credentials on a plain terminal.

These run before (and without) the terminal UI, so keyring backends that prompt on the terminal
work normally. ``login`` checks the credentials with exactly one authenticated request and
stores them only when the gateway accepts them; a rejection is never retried, because repeated
failures lock the account (error 1002).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from smstui.system import paths
from smstui.system.account_state import forget_login, remember_login, remembered_login
from smstui.system.config import DEFAULT_BASE_URL, Settings
from smstui.system.credentials import (
    CLIENT_ID_ENV,
    CLIENT_SECRET_ENV,
    DEFAULT_KEYRING_TIMEOUT,
    Credentials,
    KeyringStatus,
    KeyringUnavailable,
    Secret,
    delete_stored,
    file_warnings,
    keyring_status,
    no_keyring_help,
    resolve_credentials,
    shorten_client_id,
    store_in_file,
    store_in_keyring,
    stored_client_id,
)
from smstui.system.exit_codes import EXIT_CREDENTIALS, EXIT_OK, EXIT_UNREACHABLE
from smstui.system.keyring_calls import LOCKED, UNLOCK_HELP
from smstui.system.logs import register_secret

SOURCE_DESCRIPTIONS = {
    "environment": f"the environment ({CLIENT_ID_ENV}, {CLIENT_SECRET_ENV})",
}
PLAINTEXT_WARNING = (
    "Warning: {backend} keeps the secret in PLAIN TEXT in a file, not in an OS keyring: anyone "
    'who can read your files can use the account. "smstui auth logout" removes it.'
)


def add_auth_parser(subcommands: Any, common: argparse.ArgumentParser) -> None:
    """Add ``auth`` and its three subcommands to the main parser's subcommands.

    Args:
        subcommands: The object returned by ``ArgumentParser.add_subparsers``.
        common: Parent parser with the options every subcommand also accepts.
    """
    auth = subcommands.add_parser(
        "auth",
        help="sign in, show or remove the stored credentials",
        description="Manage the Smstools API credentials smstui uses.",
    )
    actions = auth.add_subparsers(dest="auth_command", metavar="ACTION", required=True)
    login = actions.add_parser(
        "login",
        parents=[common],
        help="check a client id and secret with the gateway, then store them",
        description="Ask for the client id and secret, check them with the gateway once, "
        "and store them in the OS keyring.",
    )
    login.add_argument(
        "--insecure-storage",
        action="store_true",
        help="store them in a plain-text file (mode 0600) instead of the OS keyring",
    )
    actions.add_parser(
        "status",
        parents=[common],
        help="say where the credentials come from (never the secret)",
        description="Say where the credentials come from and whether the OS keyring works.",
    )
    actions.add_parser(
        "logout",
        parents=[common],
        help="remove the stored credentials",
        description="Remove the credentials from the OS keyring and the plain-text file.",
    )


def run_auth(
    args: argparse.Namespace, settings: Settings, timeout: float = DEFAULT_KEYRING_TIMEOUT
) -> int:
    """Run ``smstui auth <action>`` and return the exit code."""
    if args.auth_command == "login":
        return login(settings, insecure_storage=args.insecure_storage, timeout=timeout)
    if args.auth_command == "status":
        return status(settings, timeout=timeout)
    return logout(settings, timeout=timeout)


def _say(text: str) -> None:
    print(text, flush=True)


def _complain(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _environment_note() -> None:
    if os.environ.get(CLIENT_ID_ENV) or os.environ.get(CLIENT_SECRET_ENV):
        _complain(
            f"Note: {CLIENT_ID_ENV}/{CLIENT_SECRET_ENV} are set in this environment; "
            "they take precedence over stored credentials."
        )


def login(settings: Settings, *, insecure_storage: bool, timeout: float) -> int:
    """Prompt for the credentials, check them once with the gateway, and store them."""
    _environment_note()
    keyring = None
    if not insecure_storage:
        keyring = keyring_status(timeout)
        if not keyring.usable:
            # Say so before the user types a secret that could not be kept.
            _complain(f"The OS keyring is not usable: {keyring.reason}.")
            _complain(UNLOCK_HELP if keyring.problem == LOCKED else no_keyring_help())
            return EXIT_CREDENTIALS

    default_id = stored_client_id(timeout, use_keyring=not insecure_storage) or settings.client_id
    credentials = _prompt(default_id)
    if credentials is None:
        return EXIT_CREDENTIALS
    register_secret(credentials.secret)

    outcome = _verify(settings.base_url, credentials)
    if outcome != EXIT_OK:
        _complain(
            f"Is the account on another gateway than {settings.base_url}? Give its API "
            'address: "smstui auth login --base-url URL" (smstui remembers it).'
        )
        return outcome

    if insecure_storage:
        path = store_in_file(credentials)
        _remember(settings, credentials)
        _complain(
            f"Warning: the secret is stored in PLAIN TEXT in {path} (mode 0600). Anyone who can "
            'read your files can use the account; "smstui auth logout" deletes it.'
        )
        return EXIT_OK
    try:
        store_in_keyring(credentials, timeout)
    except KeyringUnavailable as error:
        _complain(f"Could not store the credentials: {error.status.reason}.")
        _complain(no_keyring_help())
        return EXIT_CREDENTIALS
    assert keyring is not None
    _remember(settings, credentials)
    if keyring.plaintext:
        _say(f"Stored by the keyring backend {keyring.backend}.")
        _complain(PLAINTEXT_WARNING.format(backend=keyring.backend))
    elif keyring.storage != "the OS keyring":
        _say(f"Stored in {keyring.storage}.")
    else:
        _say(f"Stored in the OS keyring ({keyring.backend}).")
    if paths.credentials_file().exists():
        _complain(
            f"Note: the plain-text file {paths.credentials_file()} still exists; the keyring "
            "now takes precedence. Delete the file if you no longer need it."
        )
    return EXIT_OK


def _remember(settings: Settings, credentials: Credentials) -> None:
    """Keep the gateway and client id of a login that worked (in `account_state`)."""
    remember_login(settings.base_url, credentials.client_id)
    if settings.base_url != DEFAULT_BASE_URL:
        _say(f"Gateway remembered: {settings.base_url} (used when no --base-url is given).")


def _prompt(default_id: str) -> Credentials | None:
    """Ask for the client id (visible, with a default) and the secret (hidden)."""
    try:
        shown = f" [{default_id}]" if default_id else ""
        client_id = input(f"Client id{shown}: ").strip() or default_id
        if not client_id:
            _complain("A client id is needed; nothing was stored.")
            return None
        secret = getpass.getpass("Client secret (typing is hidden): ").strip()
    except EOFError:
        _complain("\nNo input; nothing was stored.")
        return None
    if not secret:
        _complain("A client secret is needed; nothing was stored.")
        return None
    return Credentials(client_id, Secret(secret), source="login")


def _verify(base_url: str, credentials: Credentials) -> int:
    """One authenticated request; EXIT_OK when the gateway accepts the credentials."""
    # Imported here: asyncio and httpx are not needed for "auth status", "logout" or "--help".
    import asyncio

    from smstui.api.errors import AuthError, SmsError, one_line
    from smstui.sync.gateway import check_login, connect

    async def check() -> str:
        # retries=0: a rejected secret must not be sent twice (error 1002 locks the account).
        return await check_login(connect(base_url, credentials, retries=0))

    _say(f"Checking the credentials with {base_url} …")
    try:
        username = asyncio.run(check())
    except AuthError as error:
        if error.code in (None, 104):
            _complain("Wrong client id or secret: the gateway did not accept them.")
        else:
            _complain(f"{error.user_message}.")
        _complain("Nothing was stored.")
        return EXIT_CREDENTIALS
    except SmsError as error:
        _complain(f"{error.user_message}. Nothing was stored.")
        return EXIT_UNREACHABLE
    who = one_line(username) if username else shorten_client_id(credentials.client_id)
    _say(f"Signed in as {who}.")
    return EXIT_OK


def status(settings: Settings, *, timeout: float) -> int:
    """Say where the credentials come from, never their value; EXIT_OK when found."""
    lookup = resolve_credentials(settings, keyring_timeout=timeout)
    found = lookup.credentials
    keyring = lookup.keyring
    if found is not None and found.source == "environment":
        keyring = keyring_status(timeout)  # resolve_credentials skipped it; report it anyway

    source = "none found"
    if found is not None:
        source = SOURCE_DESCRIPTIONS.get(found.source, f"the file {paths.credentials_file()}")
        if found.source == "keyring":
            source = keyring.storage
    elif not keyring.usable and keyring.may_hold_credentials:
        source = f"unknown: the keyring could not be checked ({keyring.reason})"
    login = remembered_login()
    remembered = login is not None and login.base_url == settings.base_url
    _say(f"Gateway:      {settings.base_url}{' (remembered at login)' if remembered else ''}")
    _say(f"Config file:  {settings.source or 'none (built-in defaults)'}")
    _say(f"Credentials:  {source}")
    if found is not None:
        _say(f"Client id:    {shorten_client_id(found.client_id)}")
    usable = "usable" if keyring.usable else f"not usable: {keyring.reason}"
    if keyring.plaintext:
        usable += "; it keeps secrets in PLAIN TEXT, it is not an OS keyring"
    _say(f"OS keyring:   {keyring.backend or 'unknown'} ({usable})")
    for warning in file_warnings():
        _complain(f"Warning: {warning}.")
    if found is not None and found.source == "keyring" and keyring.plaintext:
        _complain(PLAINTEXT_WARNING.format(backend=keyring.backend))
    if found is None:
        _explain_nothing_found(keyring)
        return EXIT_CREDENTIALS
    return EXIT_OK


def _explain_nothing_found(keyring: KeyringStatus) -> None:
    if keyring.problem == LOCKED:
        _complain(f"The keyring is locked, so stored credentials cannot be read. {UNLOCK_HELP}")
        return
    if not keyring.usable and keyring.may_hold_credentials:
        _complain(
            "The keyring could not be checked; credentials may be stored there. Try again "
            f"once it answers, or set {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV}."
        )
        return
    _complain(f'Run "smstui auth login", or set {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV}.')
    if not keyring.usable:
        _complain(no_keyring_help())


def logout(settings: Settings, *, timeout: float) -> int:
    """Remove the credentials from the keyring and the plain-text file; say what went.

    Returns:
        EXIT_OK, or EXIT_CREDENTIALS when a keyring that may hold credentials (locked, timed
        out, failing) could not be checked: then nothing can be said about what is left.
    """
    keyring = keyring_status(timeout)
    extra_ids = [settings.client_id] if settings.client_id else []
    removal = delete_stored(timeout, client_ids=extra_ids, keyring=keyring)
    for item in removal.removed:
        _say(f"Removed {item}.")
    login = remembered_login()
    if forget_login() and login is not None:
        _say(f"Forgot the gateway remembered at login ({login.base_url}).")
    _environment_note()
    if removal.unchecked:
        _complain(
            f"Could not check the keyring: {removal.unchecked}. Credentials may still be "
            'stored there; run "smstui auth logout" again once it answers.'
        )
        if keyring.problem == LOCKED:
            _complain(UNLOCK_HELP)
        return EXIT_CREDENTIALS
    if not removal.removed:
        _say("No stored credentials were found.")
    if not keyring.usable:
        _complain(f"The OS keyring was not checked: {keyring.reason}.")
    return EXIT_OK
