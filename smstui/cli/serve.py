"""``smstui serve``: the same app in a web browser, through textual-serve.

textual-serve runs one ``smstui`` process per browser tab (started through the shell, with the
server's environment plus ``TEXTUAL_DRIVER`` naming Textual's web driver) and relays its screen
and keys over a websocket. Every tab is an ordinary ``smstui`` on this machine's store, so what
one tab learnt is there for the next, and a page reload is a new process that reopens the last
conversation. Links open in the viewer's browser: the app sees ``App.is_web`` and calls
``App.open_url``, which the web driver forwards to the page.

Secrets never reach the served command line (it is visible in ``ps`` and in the server's log):
each tab's process finds the credentials itself, the usual way (environment, which it inherits
from the server; OS keyring; opt-in file).

Only a browser that opened the sign-in link printed at start gets the page and the websocket,
and only from the server's own origin (``serve_guard``). That is not operator sign-in and has
no TLS, so the server listens on loopback unless told otherwise, and says loudly when it is not.

textual-serve (which imports Rich) is imported only when serving, so this module stays pure.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys
from collections.abc import Mapping
from typing import Any

from smstui.system.config import Settings
from smstui.system.credentials import CredentialError, resolve_credentials
from smstui.system.exit_codes import EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "add_serve_parser",
    "child_command",
    "exposure_warning",
    "is_loopback",
    "public_url_of",
    "run_serve",
    "served_to_a_browser",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

WEB_DRIVER = "textual.drivers.web_driver"
"""The driver module textual-serve names in ``TEXTUAL_DRIVER`` for the processes it starts."""


def add_serve_parser(subcommands: Any, common: argparse.ArgumentParser) -> None:
    """Add ``smstui serve [--host H] [--port N] [--public-url URL] [--demo] [--dry-run]``.

    Args:
        subcommands: The object returned by ``ArgumentParser.add_subparsers``.
        common: Parent parser with the options every subcommand accepts (``--config`` …).
    """
    serve = subcommands.add_parser(
        "serve",
        parents=[common],
        help="serve the inbox to web browsers that open the sign-in link it prints",
        description="Serve the inbox to web browsers through textual-serve: every browser tab "
        "runs its own smstui on this machine's store. Only a browser that opened the sign-in "
        "link printed at start is served, and only from the public URL's origin. Beyond "
        "loopback, put it behind a reverse proxy with TLS and authentication.",
    )
    serve.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})"
    )
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use to reach this server, e.g. behind a reverse proxy "
        "(default http://HOST:PORT); the sign-in link starts with it, and requests from any "
        "other origin are refused",
    )
    # SUPPRESS: "smstui --demo serve" (the main parser's option) works as well.
    serve.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="serve the built-in fake gateway's demo (each tab gets its own)",
    )
    serve.add_argument(
        "--dry-run",
        action="store_true",
        default=argparse.SUPPRESS,
        help="send with the API's test flag: nothing is delivered or charged",
    )


def served_to_a_browser(env: Mapping[str, str] = os.environ) -> bool:
    """Whether this process was started by textual-serve (it talks to a page, not a terminal)."""
    return env.get("TEXTUAL_DRIVER", "").startswith(WEB_DRIVER + ":")


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (``localhost``, 127.x, ``::1``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def exposure_warning(host: str, port: int) -> str | None:
    """The warning for a server other machines can reach, or None on loopback."""
    if is_loopback(host):
        return None
    return (
        f"smstui: WARNING: serving on {host}:{port}, reachable from other machines.\n"
        "smstui: WARNING: the sign-in link and its cookie are the only protection and cross "
        "the network in clear: whoever sees them reads and sends your SMS.\n"
        "smstui: WARNING: put it behind a reverse proxy with TLS and authentication, and "
        f"listen on {DEFAULT_HOST} instead."
    )


def public_url_of(args: argparse.Namespace) -> str:
    """The address browsers reach the server at: ``--public-url``, else ``http://HOST:PORT``."""
    if args.public_url is not None:
        return str(args.public_url).rstrip("/")
    host = f"[{args.host.strip('[]')}]" if ":" in args.host else args.host
    return f"http://{host}" if args.port == 80 else f"http://{host}:{args.port}"


def child_command(args: argparse.Namespace, python: str = sys.executable) -> str:
    """The shell command textual-serve runs for each browser tab: options, never secrets.

    Args:
        args: The parsed ``smstui serve`` arguments.
        python: The interpreter to run ``-m smstui`` with (this one).

    Returns:
        The command, quoted for the shell textual-serve starts it with.
    """
    argv = [python, "-m", "smstui"]
    if getattr(args, "demo", False):
        argv.append("--demo")
    if getattr(args, "dry_run", False):
        argv.append("--dry-run")
    if args.debug:
        argv.append("--debug")
    if args.config:
        argv += ["--config", os.path.abspath(args.config)]
    if args.base_url:
        argv += ["--base-url", args.base_url]
    return shlex.join(argv)


def _say_where_credentials_are(settings: Settings) -> None:
    """One line on stderr about the credentials the tabs will find (never the secret)."""
    try:
        lookup = resolve_credentials(settings)
    except CredentialError as error:
        print(f"smstui: warning: {error}", file=sys.stderr)
        return
    for warning in lookup.warnings:
        print(f"smstui: warning: {warning}", file=sys.stderr)
    if lookup.credentials is None:
        print(
            "smstui: warning: no credentials found; every browser tab will ask for them "
            "(run smstui auth login first)",
            file=sys.stderr,
        )
    else:
        print(f"smstui: tabs use the credentials from the {lookup.credentials.source}")


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the app until Ctrl+C or SIGTERM; returns the exit code.

    Args:
        args: The parsed ``smstui serve`` arguments.
        settings: The loaded settings (checked here so a bad config fails before serving).

    Returns:
        The process exit code.
    """
    warning = exposure_warning(args.host, args.port)
    if warning is not None:
        print(warning, file=sys.stderr, flush=True)
        if args.public_url is None and args.host in ("0.0.0.0", "::", ""):
            print(
                "smstui: warning: pages will connect back to "
                f"http://{args.host}:{args.port}; give --public-url for other machines",
                file=sys.stderr,
            )
    from smstui.cli.serve_guard import Guard

    try:
        guard = Guard(public_url_of(args))
    except ValueError as error:
        print(f"smstui: cannot serve there: {error}; give --public-url", file=sys.stderr)
        return EXIT_USAGE
    if not getattr(args, "demo", False):
        _say_where_credentials_are(settings)

    from smstui.cli.serve_server import GuardedServer

    server = GuardedServer(
        child_command(args), host=args.host, port=args.port, title="smstui", guard=guard
    )
    try:
        server.serve()
    except OSError as error:  # the port is taken, the address is not ours …
        print(f"smstui: cannot serve on {args.host}:{args.port}: {error}", file=sys.stderr)
        return EXIT_UNEXPECTED
    return EXIT_OK
