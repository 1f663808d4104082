"""Suite-wide isolation: no test touches the real home, keyring, browser or clock."""

from __future__ import annotations

import os
import time
import webbrowser
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from textual.app import App

from tests.fakes import MemoryKeyring

pytest_plugins = ["tests.app_fixtures", "tests.pg_fixtures"]

# Times are rendered in local time; pin it so snapshots are the same on every machine.
os.environ["TZ"] = "UTC"
time.tzset()
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME and every XDG directory into the test's temporary folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    for var in (
        "SMSTOOLS_CLIENT_ID",
        "SMSTOOLS_CLIENT_SECRET",
        "SMSTOOLS_CONFIG",
        "SMSTOOLS_BASE_URL",
        "SSH_CONNECTION",
        "SSH_CLIENT",
        "SSH_TTY",
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "BROWSER",
        "NO_COLOR",
        "TMUX",  # never ask the real tmux server (smstui.system.clipboard runs tmux inside tmux)
        # What smstui.system.notifications reads to pick a notification method: tests set their own.
        "TERM_PROGRAM",
        "LC_TERMINAL",
        "ITERM_SESSION_ID",
        "KITTY_WINDOW_ID",
        "WT_SESSION",
        "ConEmuPID",
        "VTE_VERSION",
        "GHOSTTY_RESOURCES_DIR",
        *(name for name in os.environ if name.startswith("WEZTERM_")),
    ):
        monkeypatch.delenv(var, raising=False)
    # The theme and the glyphs follow the terminal (TERM, COLORTERM): pin a 24-bit one so
    # the look does not depend on where the tests run; tests of other terminals set their own.
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    # Letters and glyphs also follow the locale (a terminal that is not UTF-8): pin UTF-8.
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_CTYPE", raising=False)
    return home


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Install an in-memory keyring backend for every test and restore the old one after."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record, instead of opening, every URL handed to a browser by any code path."""
    opened: list[str] = []

    def record(url: str, *args: object, **kwargs: object) -> bool:
        opened.append(url)
        return True

    def record_app(self: App[object], url: str, *, new_tab: bool = True) -> None:
        opened.append(url)

    monkeypatch.setattr(webbrowser, "open", record)
    monkeypatch.setattr(webbrowser, "open_new_tab", record)
    monkeypatch.setattr(App, "open_url", record_app)
    return opened
