"""Opening attachment URLs safely: validate, decide whether to launch, launch detached.

Measured traps (DESIGN §7, reliability notes B): ``webbrowser.open`` with no display runs a
console browser *inside our terminal* and blocks the event loop, and over SSH ``xdg-open``
would open a browser on the server. So this module never uses :mod:`webbrowser`; it starts an
opener only on a local desktop (or when the user configured one), in its own session with no
stdin/stdout, and never waits for it. Everywhere else the UI shows the link (OSC 8) and copies
it (OSC 52) instead.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from smstui.domain.urls import validate_url

__all__ = [
    "Environment",
    "detect_environment",
    "launch",
    "opener_command",
]

_REMOTE_VARIABLES = ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")
_DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY")
_WSL_VARIABLES = ("WSL_DISTRO_NAME", "WSL_INTEROP")
_DESKTOP_PLATFORMS = frozenset({"darwin", "win32", "cygwin"})


@dataclass(frozen=True, slots=True)
class Environment:
    """Where smstui runs, as far as opening links is concerned."""

    remote: bool
    """True in an SSH session: a program we start would open on the server, not for the user."""
    has_display: bool
    """True when a graphical desktop is reachable (X11/Wayland, macOS, Windows, WSL)."""
    wsl: bool = False
    """True under Windows Subsystem for Linux, where ``wslview`` opens the Windows browser."""

    @property
    def can_launch(self) -> bool:
        """Whether starting the platform opener shows the link to the user."""
        return self.has_display and not self.remote

    @property
    def description(self) -> str:
        """A few words for the UI: ``"SSH session"``, ``"no display"`` or ``"desktop"``."""
        if self.remote:
            return "SSH session"
        if not self.has_display:
            return "no display"
        return "desktop"


def detect_environment(
    env: Mapping[str, str] = os.environ, platform: str = sys.platform
) -> Environment:
    """Work out from the environment whether links can be opened locally.

    Args:
        env: Environment variables (the process environment by default).
        platform: ``sys.platform``.

    Returns:
        The :class:`Environment`.
    """
    remote = any(env.get(name) for name in _REMOTE_VARIABLES)
    wsl = platform.startswith("linux") and any(env.get(name) for name in _WSL_VARIABLES)
    has_display = (
        platform in _DESKTOP_PLATFORMS or wsl or any(env.get(name) for name in _DISPLAY_VARIABLES)
    )
    return Environment(remote=remote, has_display=has_display, wsl=wsl)


def opener_command(
    url: str, configured: str, env: Environment, platform: str = sys.platform
) -> list[str] | None:
    """Return the command that opens ``url``, or None when nothing should be launched.

    A configured command (``"firefox --new-tab %s"``) is always used: the user asked for it.
    ``%s`` in any argument is replaced by the URL; without ``%s`` the URL is appended. The
    command is split like a shell would (``shlex``) but never run through a shell. Otherwise,
    only where :attr:`Environment.can_launch`: ``wslview`` under WSL, ``open`` on macOS,
    ``rundll32 url.dll,FileProtocolHandler`` on Windows (``cmd /c start`` would interpret
    ``&`` and ``^`` in query strings) and ``xdg-open`` elsewhere.

    Args:
        url: A URL that passed :func:`~smstui.domain.urls.validate_url` (checked again here).
        configured: The user's opener setting; "" for none.
        env: Where smstui runs.
        platform: ``sys.platform``.

    Returns:
        The argument vector, or None.

    Raises:
        ValueError: When the URL is unsafe or the configured command cannot be parsed.
    """
    validate_url(url)
    if configured.strip():
        try:
            words = shlex.split(configured)
        except ValueError as error:
            raise ValueError(f"the opener setting cannot be read: {error}") from None
        if any("%s" in word for word in words):
            return [word.replace("%s", url) for word in words]
        return [*words, url]
    if not env.can_launch:
        return None
    if env.wsl:
        return ["wslview", url]
    if platform == "darwin":
        return ["open", url]
    if platform in ("win32", "cygwin"):
        return ["rundll32", "url.dll,FileProtocolHandler", url]
    return ["xdg-open", url]


def launch(argv: list[str], popen: Callable[..., Any] = subprocess.Popen) -> None:
    """Start an opener in the background, detached from our terminal, without waiting.

    The child gets its own session and no stdin/stdout/stderr, so it can neither read our
    keys nor draw over the TUI. A daemon thread reaps it when it exits (no zombies).

    Args:
        argv: The command from :func:`opener_command`.
        popen: ``subprocess.Popen`` or a test double with the same signature.

    Raises:
        OSError: When the program cannot be started (for the caller to report).
    """
    if not argv:
        raise OSError("no command to open the link with")
    try:
        process = popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except (ValueError, TypeError) as error:  # e.g. an embedded NUL from a bad setting
        raise OSError(str(error)) from None
    wait = getattr(process, "wait", None)
    if callable(wait):
        threading.Thread(target=wait, name="opener-reaper", daemon=True).start()
