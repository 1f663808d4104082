"""``smstui config path | show`` and ``smstui completion bash|zsh|fish``.

``config show`` prints every setting in effect as TOML, each with where it came from: the
built-in default, the config file, the environment, the command line, or the gateway
remembered by ``auth login``. Secrets never show: a ``store_url`` password is masked, the
client id shortened as ``auth status`` does, and hooks are counted rather than printed (their
command lines may hold tokens).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from typing import Any

from smstui.cli.completion import SHELLS, script
from smstui.system import config as config_module
from smstui.system import paths
from smstui.system.account_state import login_file, remembered_login
from smstui.system.config import BASE_URL_ENV, STORE_URL_ENV, Settings
from smstui.system.credentials import shorten_client_id
from smstui.system.exit_codes import EXIT_OK
from smstui.system.secret import SecretUrl

__all__ = [
    "add_config_parsers",
    "config_file_in_use",
    "print_config_path",
    "run_completion",
    "show_config",
]


def add_config_parsers(subcommands: Any, common: argparse.ArgumentParser) -> None:
    """Add ``config path``, ``config show`` and ``completion SHELL``."""
    config = subcommands.add_parser(
        "config",
        help="where the config file is; every setting in effect and where it came from",
        description="Show the config file's path, or every setting in effect with its origin.",
    )
    actions = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    actions.add_parser(
        "path",
        parents=[common],
        help="print the config file's path (it may not exist: every key is optional)",
        description="Print the path of the config file smstui reads.",
    )
    actions.add_parser(
        "show",
        parents=[common],
        help="print every setting in effect, as TOML, with where each came from",
        description="Print every setting in effect, as TOML, each with its origin "
        "(default, config file, environment, command line, auth login). Secrets are masked.",
    )
    completion = subcommands.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print a completion script. bash: smstui completion bash > "
        "~/.local/share/bash-completion/completions/smstui; zsh: smstui completion zsh > "
        "~/.zfunc/_smstui (fpath+=(~/.zfunc) before compinit); fish: smstui completion fish > "
        "~/.config/fish/completions/smstui.fish",
    )
    completion.add_argument("shell", choices=SHELLS, help="the shell")


def config_file_in_use(args: argparse.Namespace) -> tuple[str, str]:
    """The config file smstui reads and why: ``--config``, the environment, or the default."""
    if args.config is not None:
        return os.path.expanduser(args.config), "--config"
    named = os.environ.get(paths.CONFIG_ENV, "").strip()
    if named:
        return os.path.expanduser(named), paths.CONFIG_ENV
    return str(paths.default_config_file()), "default"


def run_completion(shell: str, parser: argparse.ArgumentParser) -> int:
    """Print the completion script for ``shell``."""
    sys.stdout.write(script(shell, parser))
    return EXIT_OK


def print_config_path(args: argparse.Namespace) -> int:
    """``smstui config path``: the file on stdout; on stderr, whether it exists."""
    path, _ = config_file_in_use(args)
    print(path)
    if not os.path.exists(path):
        print(
            "smstui: (it does not exist yet: every key is optional, see the README)",
            file=sys.stderr,
        )
    return EXIT_OK


def show_config(args: argparse.Namespace, settings: Settings) -> int:
    """``smstui config show``: every setting in effect, as TOML, with its origin."""
    path, why = config_file_in_use(args)
    state = "read" if settings.source is not None else "does not exist: built-in defaults"
    print(f"# config file: {path} ({why}; {state})")
    document = _document(settings)
    lines = [
        (f"{dotted} = {value}", origin)
        for dotted, value, origin in _effective(args, settings, document)
    ]
    width = max(len(line) for line, _ in lines)
    for line, origin in lines:
        print(f"{line:<{width}}  # {origin}")
    keys = document.get("keys")
    if isinstance(keys, dict) and keys:
        print(f"# [keys]: {len(settings.keys)} bindings moved in the config file")
    hooks = document.get("hooks")
    count = len(hooks) if isinstance(hooks, list) else 0
    print(f"# [[hooks]]: {count} rules in the config file (not shown: they may hold tokens)")
    print('# credentials: see "smstui auth status" (never printed here)')
    return EXIT_OK


def _document(settings: Settings) -> dict[str, Any]:
    """The config file as parsed (already validated by ``load_settings``), or {}."""
    if settings.source is None:
        return {}
    return tomllib.loads(settings.source.read_text(encoding="utf-8"))


def _show(value: object) -> str:
    """A value as TOML would write it; secrets masked."""
    if isinstance(value, SecretUrl):
        return json.dumps(value.masked())
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def _effective(
    args: argparse.Namespace, settings: Settings, document: dict[str, Any]
) -> list[tuple[str, str, str]]:
    """``(dotted key, shown value, origin)`` for every key of the config file, in file order."""
    options = [(name, option.attribute) for name, option in config_module._TOP_LEVEL.items()]
    for section, table in config_module._SECTIONS.items():
        options += [(f"{section}.{name}", option.attribute) for name, option in table.items()]
    login = remembered_login()
    rows = []
    for dotted, attribute in options:
        section, _, name = dotted.rpartition(".")
        in_file = name in (document.get(section, {}) if section else document)
        origin = "config file" if in_file else "default"
        value = getattr(settings, attribute)
        if dotted == "base_url":
            if args.base_url is not None:
                origin = "command line (--base-url)"
            elif os.environ.get(BASE_URL_ENV, "").strip():
                origin = f"environment ({BASE_URL_ENV})"
            elif not in_file and login is not None and login.base_url == value:
                origin = f"auth login (remembered in {login_file()})"
        elif dotted == "store_url" and os.environ.get(STORE_URL_ENV, "").strip():
            origin = f"environment ({STORE_URL_ENV})"
        elif dotted == "dry_run" and getattr(args, "dry_run", False):
            origin = "command line (--dry-run)"
        shown = (
            json.dumps(shorten_client_id(value), ensure_ascii=False)
            if dotted == "client_id" and value
            else None
        )
        rows.append((dotted, shown or _show(value), origin))
    return rows
