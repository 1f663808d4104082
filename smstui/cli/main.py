"""The ``smstui`` command: argument parsing, exit codes, and launching the app or a subcommand.

Usage::

    smstui [--demo] [--base-url URL] [--config PATH] [--debug] [--dry-run]
    smstui auth login [--insecure-storage] | status | logout
    smstui send | conversations | show | search | unread | export | watch [...]
    smstui serve [--host H] [--port N] [--public-url URL] [--demo]
    smstui config path | show
    smstui completion bash | zsh | fish
    smstui fake-server [...]

Exit codes:

====  ==================================================================
0     success
1     unexpected error (one line on the terminal; the traceback is in the log file)
2     usage error (bad arguments), no terminal to run the app in, or native Windows
3     configuration error (the config file or an override is wrong), or the feature asked
      for is not installed (``smstui[team]``, ``smstui[serve]``)
4     credentials missing, invalid, or impossible to store
5     the gateway could not be reached or answered badly (``auth login``, ``send``)
6     ``send``: the gateway refused the message; nothing was sent
7     ``send``: the outcome is unknown (it may have been sent); look before resending
8     ``send --wait``: sent, but not delivered
9     ``send --wait``: sent; no final status before the timeout
10    answered from the local store only: the gateway could not be reached
11    ``send``: more SMS parts than allowed (``max_parts`` without ``--allow-parts``, or
      ``hard_max_parts``); nothing was sent
129   the terminal went away (SIGHUP, or its end of input); the draft was saved
130   interrupted (Ctrl+C)
141   a command's reader stopped early (``smstui export | head``); nothing is said
143   stopped by SIGTERM; the draft was saved and the terminal restored
====  ==================================================================

Textual is imported only when the app is launched, so ``--help``, ``--version`` and
``smstui auth …`` stay fast and work without a terminal UI.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import secrets
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from smstui import __version__
from smstui.cli.auth import add_auth_parser, run_auth
from smstui.cli.config_commands import (
    add_config_parsers,
    print_config_path,
    run_completion,
    show_config,
)
from smstui.cli.parser import COMMANDS, add_command_parsers
from smstui.cli.serve import add_serve_parser, run_serve, served_to_a_browser
from smstui.system import environment, paths
from smstui.system.config import ConfigError, Settings, load_settings
from smstui.system.credentials import (
    CredentialError,
    Credentials,
    KeyringStatus,
    Secret,
    resolve_credentials,
)
from smstui.system.exit_codes import (
    EXIT_CONFIG,
    EXIT_CREDENTIALS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNEXPECTED,
    EXIT_USAGE,
)
from smstui.system.extras import MissingExtra, require
from smstui.system.logs import redact, register_secret, setup_logging

log = logging.getLogger(__name__)

EPILOG = """\
exit codes:
  0    success
  1    unexpected error (details in the log file)
  2    usage error, or no terminal (over SSH use ssh -t)
  3    configuration error, or a feature that is not installed (smstui[team], [serve])
  4    credentials missing, invalid or impossible to store
  5    gateway unreachable (auth login; send: nothing was sent)
  6    send refused by the gateway
  7    send outcome unknown: it may have been sent
  8    send --wait: not delivered
  9    send --wait: no final status before --timeout
  10   answered from the local store only (gateway unreachable)
  11   send: more parts than max_parts (see --allow-parts) or hard_max_parts; nothing sent
  129  the terminal went away (hangup); drafts saved
  130  interrupted
  141  a command's reader stopped early (e.g. | head)
  143  stopped by SIGTERM; drafts saved

""" + environment.help_text()

NO_TERMINAL = "smstui needs a terminal; over SSH use ssh -t"
NATIVE_WINDOWS = (
    "smstui runs on Linux and macOS; on Windows, run it inside WSL "
    "(https://learn.microsoft.com/windows/wsl/)"
)
"""Said at once on native Windows, where it would fail on os.fchmod, SIGHUP and killpg."""
"""The one line printed when the app is started without a terminal (exit code 2)."""

DEMO_INBOUND_EVERY = 40.0
"""Seconds between the fake inbound messages that keep ``--demo`` alive."""


def _common_options(*, for_subcommand: bool) -> argparse.ArgumentParser:
    """Options accepted both before and after a subcommand (``smstui auth status --debug``).

    Two separate instances are needed: argparse shares a parent's Action objects with every
    child, so a default set on the main parser would leak into the subcommands.
    """
    common = argparse.ArgumentParser(add_help=False)
    # In a subcommand, SUPPRESS means: not given there, keep the main parser's value.
    missing: dict[str, Any] = {"default": argparse.SUPPRESS} if for_subcommand else {}
    common.add_argument("--config", metavar="PATH", help="config file to read", **missing)
    common.add_argument("--base-url", metavar="URL", help="API base URL", **missing)
    common.add_argument(
        "--debug", action="store_true", help="log in detail to the log file", **missing
    )
    return common


def build_parser(*, with_fake_server: bool = False) -> argparse.ArgumentParser:
    """Build the argument parser.

    Args:
        with_fake_server: Load the fake server's own options (only needed when that
            subcommand is used; skipping it keeps ``--help`` fast).

    Returns:
        The parser for ``smstui``.
    """
    parser = argparse.ArgumentParser(
        prog="smstui",
        description="A keyboard-driven terminal inbox for the Smstools SMS gateway.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_common_options(for_subcommand=False)],
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="explore with generated data from a built-in fake gateway (no account needed)",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="send with the API's test flag: nothing is delivered or charged",
    )
    parser.add_argument("--version", action="version", version=f"smstui {__version__}")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_auth_parser(subcommands, _common_options(for_subcommand=True))
    add_command_parsers(subcommands, _common_options(for_subcommand=True))
    add_serve_parser(subcommands, _common_options(for_subcommand=True))
    add_config_parsers(subcommands, _common_options(for_subcommand=True))
    fake = subcommands.add_parser(
        "fake-server",
        help="run the fake Smstools gateway (for development and demos)",
        description="Run the fake Smstools gateway on this machine.",
    )
    if with_fake_server:
        from smstui.fake.cli import add_arguments

        add_arguments(fake)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``smstui`` command and return its exit code (see the module docstring).

    Args:
        argv: The arguments without the program name; ``sys.argv[1:]`` when None.

    Returns:
        The process exit code.
    """
    # Everything smstui creates (log, state, credentials file) is private by default.
    os.umask(0o077)
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(with_fake_server="fake-server" in arguments)
    try:
        args = parser.parse_args(arguments)
    except SystemExit as stop:  # --help, --version and usage errors
        return _exit_code(stop.code)
    if args.command == "completion":
        return run_completion(args.shell, parser)
    if sys.platform == "win32":
        print(NATIVE_WINDOWS, file=sys.stderr)
        return EXIT_USAGE

    if args.command is None and not has_terminal() and not served_to_a_browser():
        # "ssh host smstui" without -t: no terminal to draw on or to read keys from, and no
        # hangup to end us when the user gives up; refuse at once instead of running unseen.
        # (A tab of "smstui serve" has pipes to textual-serve instead, by design.)
        print(NO_TERMINAL, file=sys.stderr)
        return EXIT_USAGE

    log_path: str = ""
    try:
        if args.command == "fake-server":
            from smstui.fake.cli import run

            return run(args)
        log_path = str(setup_logging(debug=args.debug))
        if args.command == "auth":
            return run_auth(args, _load_settings(args))
        if args.command == "config":
            # "path" must work while the file is missing or broken: it says where to fix it.
            if args.config_command == "path":
                return print_config_path(args)
            return show_config(args, _load_settings(args))
        if args.command in COMMANDS:
            from smstui.cli.runner import run_command

            return run_command(args, _settings_with_extras(args))
        if args.command == "serve":
            require("serve")
            return run_serve(args, _settings_with_extras(args))
        return _launch(args)
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # "smstui search x | head": the reader has all it wanted. Say nothing, and keep Python
        # from complaining again when it flushes stdout on the way out.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except (ConfigError, MissingExtra) as error:
        print(f"smstui: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except CredentialError as error:
        print(f"smstui: {error}", file=sys.stderr)
        return EXIT_CREDENTIALS
    except Exception as error:
        log.exception("unexpected error")
        where = f"; details in {log_path}" if log_path else ""
        what = redact(f"{type(error).__name__}: {error}".splitlines()[0])
        print(f"smstui: unexpected error: {what}{where}", file=sys.stderr)
        return EXIT_UNEXPECTED


EXIT_BROKEN_PIPE = 128 + 13
"""What a shell reports for a command ended by SIGPIPE (its reader went away)."""


def has_terminal() -> bool:
    """Whether both standard input and standard output are terminals (the app needs both)."""
    for stream in (sys.stdin, sys.stdout):
        try:
            if stream is None or not os.isatty(stream.fileno()):
                return False
        except (AttributeError, OSError, ValueError):  # closed, or not a real file
            return False
    return True


def _exit_code(code: object) -> int:
    """Normalise a ``SystemExit`` code from argparse to an int."""
    if code is None:
        return EXIT_OK
    return code if isinstance(code, int) else EXIT_USAGE


def _load_settings(args: argparse.Namespace) -> Settings:
    """Settings from the config file, with the command-line overrides applied."""
    settings = load_settings(args.config, base_url=args.base_url)
    if getattr(args, "dry_run", False):
        settings = settings.with_overrides(dry_run=True)
    return settings


def _settings_with_extras(args: argparse.Namespace) -> Settings:
    """Settings, after checking that what they ask for is installed (PostgreSQL: ``team``).

    Raises:
        MissingExtra: A ``store_url`` is set but the PostgreSQL driver is not installed.
    """
    settings = _load_settings(args)
    if settings.store_url is not None:
        require("team")
    return settings


def _launch(args: argparse.Namespace) -> int:
    """Start the terminal app, for the real account or for ``--demo``."""
    settings = _settings_with_extras(args)
    if args.demo:
        return _launch_demo(settings)
    lookup = resolve_credentials(settings)
    for warning in lookup.warnings:
        log.warning("%s", warning)
        print(f"smstui: warning: {warning}", file=sys.stderr)
    if lookup.credentials is not None:
        register_secret(lookup.credentials.secret)
    log.info(
        "starting smstui %s: credentials from %s; keyring %s",
        __version__,
        lookup.credentials.source if lookup.credentials else "nowhere",
        "usable" if lookup.keyring.usable else f"unusable ({lookup.keyring.reason})",
    )
    from smstui.ui.app import run_app

    return run_app(
        settings=settings,
        credentials=lookup.credentials,
        keyring=lookup.keyring,
        demo=False,
        state_dir=paths.state_dir(),
        store_dir=paths.data_dir(),
    )


def _launch_demo(settings: Settings) -> int:
    """Run the app against a fake gateway on loopback; no keyring, no credentials file."""
    from smstui.fake import FakeGateway

    secret = Secret(secrets.token_urlsafe(24))
    register_secret(secret)
    gateway = FakeGateway(
        client_id="demo",
        client_secret=secret.reveal(),
        seed=7,
        scale="full",
        inbound_every=DEMO_INBOUND_EVERY,
    )
    url = gateway.start()
    log.info("demo gateway listening on %s", url)
    # The demo's messages are made afresh each run (their times follow the clock), so its store
    # lives for one run only: kept across runs it would pile up copies shifted in time.
    store_dir = tempfile.TemporaryDirectory(prefix="smstui-demo-store-")
    try:
        from smstui.ui.app import run_app

        return run_app(
            settings=settings.with_overrides(base_url=url),
            credentials=Credentials("demo", secret, source="demo"),
            keyring=KeyringStatus(
                usable=False, backend="", reason="the demo never uses the keyring"
            ),
            demo=True,
            state_dir=paths.demo_state_dir(),
            store_dir=Path(store_dir.name),
        )
    finally:
        store_dir.cleanup()
        gateway.stop()
