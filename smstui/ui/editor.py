"""Edit a draft in the user's own editor (``$VISUAL``, then ``$EDITOR``, then ``vi``).

The app gives the terminal away with :meth:`textual.app.App.suspend` while the editor runs and
takes it back afterwards. The draft travels through a file in a fresh private directory (0700,
file 0600) so neither it nor the editor's swap or backup files are readable by others; the
directory is removed afterwards.

Headless apps (``App.run_test``) have no terminal to give away and their driver raises
``SuspendNotSupported``; there the editor runs without suspending, which is what the tests use.
Anywhere else a driver that cannot suspend (Textual Web) means no editor: a terminal editor
would have no terminal.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

__all__ = ["edit_in_external_editor", "editor_command"]

_FALLBACK_EDITOR = "vi"


def editor_command(env: Mapping[str, str]) -> list[str] | None:
    """Return the editor command line from ``$VISUAL`` / ``$EDITOR`` (else ``vi``), split.

    Args:
        env: The environment to read.

    Returns:
        The argument list, or None when the variable cannot be parsed (unbalanced quotes).
    """
    spec = env.get("VISUAL", "").strip() or env.get("EDITOR", "").strip() or _FALLBACK_EDITOR
    try:
        argv = shlex.split(spec)
    except ValueError:
        return None
    return argv or None


def _run(argv: list[str], env: Mapping[str, str]) -> bool:
    """Run the editor; True when it started and exited with status 0."""
    try:
        completed = subprocess.run(argv, env=dict(env), check=False)
    except OSError:  # not found, not executable …
        return False
    return completed.returncode == 0


def _run_suspended(app: App[Any], argv: list[str], env: Mapping[str, str]) -> bool:
    """Run the editor with the terminal handed over, or directly in a headless app."""
    from textual.app import SuspendNotSupported  # only needed on this path

    if app.is_headless:
        return _run(argv, env)
    try:
        with app.suspend():
            return _run(argv, env)
    except SuspendNotSupported:
        return False


def _read_back(path: Path, original: str) -> str:
    """Read the edited draft; drop the final newline editors add to the last line."""
    edited = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
    if edited.endswith("\n") and not original.endswith("\n"):
        edited = edited[:-1]
    return edited


def edit_in_external_editor(
    app: App[Any], text: str, env: Mapping[str, str] = os.environ
) -> str | None:
    """Let the user edit ``text`` in their editor and return the result.

    Call it from the app's thread (an action or message handler): the app is suspended while
    the editor runs, so blocking is intended.

    Args:
        app: The running app, suspended while the editor has the terminal.
        text: The current draft.
        env: Environment for choosing and running the editor.

    Returns:
        The edited text, or None when the editor could not be started, exited with an error
        (``:cq`` in Vim) or the file could not be read back; the caller tells the user.
    """
    argv = editor_command(env)
    if argv is None:
        return None
    directory = Path(tempfile.mkdtemp(prefix="smstui-draft-"))  # created 0700
    try:
        path = directory / "draft.txt"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogatepass") as handle:
            handle.write(text)
        if not _run_suspended(app, [*argv, str(path)], env):
            return None
        return _read_back(path, text)
    except OSError:
        return None
    finally:
        shutil.rmtree(directory, ignore_errors=True)
