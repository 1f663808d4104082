"""The account ``smstui auth login`` signed in to: its gateway URL and client id.

The config file is only ever read (never rewritten), and the keyring holds credentials, not
settings, so the login's gateway is remembered in a small private file in the state directory
(``login.json``). It counts as a default: ``--base-url``, ``SMSTOOLS_BASE_URL`` and the config
file's ``base_url`` all win over it. The client id in it lets ``--offline`` commands find the
account's local store without asking the keyring for anything (a locked keyring would prompt).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from smstui.system import paths
from smstui.system.state_file import load_json_object, save_json_object

__all__ = ["Login", "forget_login", "login_file", "remember_login", "remembered_login"]

LOGIN_FILE_NAME = "login.json"


@dataclass(frozen=True)
class Login:
    """What a successful ``auth login`` used."""

    base_url: str
    client_id: str


def login_file() -> Path:
    """The file the last login is remembered in."""
    return paths.state_dir() / LOGIN_FILE_NAME


def remember_login(base_url: str, client_id: str) -> None:
    """Remember a successful login (mode 0600); a failure to write is not the login's failure."""
    with contextlib.suppress(OSError):
        save_json_object(login_file(), {"base_url": base_url, "client_id": client_id})


def remembered_login() -> Login | None:
    """The last login, or None when there was none (or the file is unusable)."""
    data = load_json_object(login_file()).data or {}
    base_url, client_id = data.get("base_url"), data.get("client_id")
    if not isinstance(base_url, str) or not isinstance(client_id, str) or not base_url:
        return None
    return Login(base_url.rstrip("/"), client_id)


def forget_login() -> bool:
    """Remove the remembered login; True when there was one."""
    try:
        login_file().unlink()
    except FileNotFoundError:
        return False
    return True
