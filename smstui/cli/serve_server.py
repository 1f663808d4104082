"""textual-serve's ``Server`` with :class:`~smstui.cli.serve_guard.Guard` in front of every route.

A subclass rather than a fork: it adds the guard to the aiohttp application textual-serve
builds, prints the sign-in link once at start, and masks the guard's secrets in every log
handler (aiohttp's access log writes each request line, the sign-in link's token included).
Imported only by ``smstui serve`` (textual-serve loads Rich).
"""

from __future__ import annotations

import logging
import sys

from aiohttp import web
from textual_serve.server import Server

from smstui.cli.serve_guard import Guard
from smstui.system.logs import SecretFilter, register_secret

__all__ = ["GuardedServer"]


class GuardedServer(Server):
    """Serve ``command`` to browsers that signed in with the link printed at start.

    Args:
        command: The shell command each browser tab runs (never holds a secret).
        host: Address to listen on.
        port: Port to listen on.
        title: The page's title.
        guard: The sign-in secrets and checks; its public URL is the page's.
    """

    def __init__(self, command: str, *, host: str, port: int, title: str, guard: Guard) -> None:
        super().__init__(command, host=host, port=port, title=title, public_url=guard.public_url)
        self.guard = guard

    def initialize_logging(self) -> None:
        """textual-serve's logging, with the token and the cookie masked in every handler."""
        super().initialize_logging()
        for secret in self.guard.secrets():
            register_secret(secret)  # also for redact() of a one-line error
        for handler in logging.getLogger().handlers:
            handler.addFilter(SecretFilter(self.guard.secrets()))

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        self.guard.install(app)
        app.on_startup.append(self._print_sign_in_url)
        return app

    async def _print_sign_in_url(self, app: web.Application) -> None:
        """The one place the token is shown: the terminal of whoever started the server."""
        print(
            f"smstui: sign in at {self.guard.sign_in_url().reveal()}\n"
            "smstui: (this link is the key to your SMS until the server stops: keep it private)",
            file=sys.stdout,
            flush=True,
        )
