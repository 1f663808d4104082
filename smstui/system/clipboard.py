"""What a copy (``y``) sent, and whether it may not reach the user's clipboard.

Copying writes an OSC 52 sequence to the terminal (``App.copy_to_clipboard``); whether the
terminal puts it on the clipboard is up to the terminal (stock xterm and urxvt ignore it), and
nothing comes back to say it did. So the notice says what was sent and that the terminal may
not allow it, not that something was "copied"; the README says how to allow it.

Inside tmux the sequence reaches the outer terminal only with ``set-clipboard on``: the default,
``external``, ignores it from applications, and ``off`` drops it. When ``TMUX`` is set the app
asks tmux (``tmux show-options -sv set-clipboard``, with a short timeout) and hints only when
the answer is not ``on`` or cannot be read. Outside tmux nothing is run.

No Textual: the screens call :func:`tmux_set_clipboard` from a worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
from collections.abc import Mapping

__all__ = ["MAY_NOT_ALLOW", "TMUX_COMMAND", "TMUX_HINT", "copied_notice", "tmux_set_clipboard"]

TMUX_HINT = "inside tmux this needs `set -s set-clipboard on`"
MAY_NOT_ALLOW = "if nothing was copied, your terminal may not allow it"
"""What is known once the sequence is out: nothing comes back (see the README to allow it)."""
TMUX_COMMAND = ("tmux", "show-options", "-sv", "set-clipboard")
"""Asks the tmux server this process runs under (``$TMUX``) for its clipboard setting."""
TMUX_TIMEOUT = 1.0
"""Seconds to wait for tmux's answer before hinting anyway."""

_TMUX_VALUES = frozenset({"on", "external", "off"})


async def tmux_set_clipboard(
    environ: Mapping[str, str], *, wait: float = TMUX_TIMEOUT
) -> str | None:
    """Return tmux's ``set-clipboard`` setting when running inside tmux.

    Args:
        environ: The process environment (``TMUX`` is set inside tmux).
        wait: Seconds to wait for tmux's answer.

    Returns:
        None outside tmux (nothing is run); ``"on"``, ``"external"`` or ``"off"``; ``""``
        when tmux could not be asked or gave another answer.
    """
    if not environ.get("TMUX"):
        return None
    try:
        process = await asyncio.create_subprocess_exec(
            *TMUX_COMMAND,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return ""
    try:
        output, _ = await asyncio.wait_for(process.communicate(), wait)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        return ""
    value = output.decode("ascii", "replace").strip()
    return value if process.returncode == 0 and value in _TMUX_VALUES else ""


def copied_notice(what: str, tmux: str | None) -> str:
    """Say what a copy sent to the terminal, with the tmux hint only where it may be lost.

    Args:
        what: What was copied, capitalised (``"The message text"``).
        tmux: :func:`tmux_set_clipboard`'s answer.

    Returns:
        ``"The message text was sent to the terminal's clipboard (OSC 52); if nothing was
        copied, your terminal may not allow it"``, or what tmux needs when tmux's setting is
        not ``on``.
    """
    sent = f"{what} was sent to the terminal's clipboard (OSC 52)"
    if tmux is None or tmux == "on":
        return f"{sent}; {MAY_NOT_ALLOW}"
    if tmux:
        return (
            f"{sent}, but tmux passes it on only with `set -s set-clipboard on` (it is {tmux} now)"
        )
    return f"{sent}; {TMUX_HINT}"
