"""What ``o`` (open links and attachments) and ``y`` (copy) do, given where smstui is running.

On a local desktop a message's only attachment opens in the configured or platform opener, in
the background. Links found in the text always go through the links panel first, which shows
their host. Over SSH or without a display nothing is launched: the panel shows each URL as a
clickable OSC 8 link and copies it with OSC 52, which reach the user's own computer.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from smstui.domain.links import find_links
from smstui.domain.models import Message
from smstui.domain.urls import validate_url
from smstui.system.clipboard import TMUX_HINT, copied_notice, tmux_set_clipboard
from smstui.system.config import Settings
from smstui.system.opener import Environment, launch, opener_command
from smstui.ui.screens.attachments import AttachmentsScreen


class AttachmentFlow:
    """Opens and copies on behalf of the inbox screen; no I/O beyond starting the opener."""

    def __init__(
        self,
        screen: Screen[Any],
        *,
        settings: Settings,
        environment: Environment,
        popen: Callable[..., Any] | None = None,
    ) -> None:
        self._screen = screen
        self._settings = settings
        self._environment = environment
        self._popen = popen

    @property
    def can_launch(self) -> bool:
        """Whether ``o`` should start a program rather than show the panel."""
        if self._screen.app.is_web:
            return True  # served by textual-serve: the viewer's own browser opens links
        mode = self._settings.attachment_mode
        if mode == "panel":
            return False
        return mode == "open" or self._environment.can_launch

    def environment_note(self) -> str:
        """One line that says why links open the way they do here."""
        if self.can_launch:
            return "Enter or o opens it on this computer; y copies the link."
        where = self._environment.description
        return (
            f"{where}: nothing is opened on the server. Click the link (many terminals need "
            f"Shift+click while an app uses the mouse) or press y to copy it ({TMUX_HINT})."
        )

    def open(self, message: Message) -> None:
        """Open the attachment of a message, or show the panel to choose, click or copy."""
        attachments = message.attachments
        links = find_links(message.text)
        if not attachments and not links:
            self._screen.app.bell()
            return
        if self.can_launch and len(attachments) == 1 and not links:
            problem = self.launch(attachments[0].url)
            if problem is None:
                self._screen.notify(f"Opening {attachments[0].name}…", markup=False)
                return
            self._screen.notify(problem, severity="error", markup=False)
        self._screen.app.push_screen(
            AttachmentsScreen(
                attachments,
                environment_note=self.environment_note(),
                can_launch=self.can_launch,
                launch=self.launch,
                links=links,
            )
        )

    def launch(self, url: str) -> str | None:
        """Start the opener for ``url`` in the background; return a problem, or None."""
        try:
            url = validate_url(url)
        except ValueError as error:
            return f"Not opening this link: {error}"
        if self._screen.app.is_web:
            self._screen.app.open_url(url)
            return None
        argv = opener_command(
            url, self._settings.attachment_opener, self._environment, sys.platform
        )
        if argv is None:
            return "There is no program to open links with here; copy the link with y instead."
        try:
            launch(argv, popen=self._popen or subprocess.Popen)
        except OSError as error:
            return f"Could not start {argv[0]}: {error.strerror or error}"
        return None

    def copy_text(self, message: Message) -> None:
        """Send a message's text to the terminal's clipboard (OSC 52, works over SSH).

        The notice says what was sent; inside tmux it adds what tmux needs, unless tmux's
        ``set-clipboard`` is ``on`` (asked in a worker: it runs ``tmux``).
        """
        self._screen.app.copy_to_clipboard(message.text)
        self._screen.run_worker(
            self._tell_copied("The message text"),
            group="clipboard",
            exclusive=True,
            exit_on_error=False,
            name="clipboard notice",
        )

    async def _tell_copied(self, what: str) -> None:
        tmux = await tmux_set_clipboard(os.environ)
        self._screen.notify(copied_notice(what, tmux), markup=False)
