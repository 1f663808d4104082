"""Features whose extra is not installed say how to add it (``smstui[team]``, ``smstui[serve]``).

The test suite has both extras installed, so each case runs smstui in a child process whose
import system refuses the package, as an install without the extra would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from smstui.system.exit_codes import EXIT_CONFIG, EXIT_USAGE

BLOCKER = textwrap.dedent(
    """
    import sys

    class NotInstalled:
        # Before every other finder: the package is as absent as in an install without it.
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    BLOCKED = set(sys.argv[1].split(","))
    sys.meta_path.insert(0, NotInstalled())
    from smstui.cli.main import main
    sys.exit(main(sys.argv[2:]))
    """
)


def smstui_without(blocked: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SMSTOOLS_")}
    return subprocess.run(
        [sys.executable, "-c", BLOCKER, blocked, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**environment, **env},
    )


@pytest.mark.parametrize("command", [["unread", "--offline"], ["conversations"], ["watch"]])
def test_a_postgresql_store_without_the_team_extra(command):
    done = smstui_without(
        "psycopg",
        *command,
        SMSTOOLS_STORE_URL="postgresql://anna@127.0.0.1:1/sms",
        SMSTOOLS_CLIENT_ID="client-0001",
        SMSTOOLS_CLIENT_SECRET="secret-0001",
    )
    assert done.returncode == EXIT_CONFIG
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert "pip install 'smstui[team]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_without_the_serve_extra():
    done = smstui_without("textual_serve,aiohttp", "serve", "--demo")
    assert done.returncode == EXIT_CONFIG
    assert done.stderr.startswith("smstui: smstui serve needs the 'serve' extra")
    assert "pip install 'smstui[serve]'" in done.stderr
    assert done.stderr.count("\n") == 1


def test_without_the_extras_everything_else_works():
    assert smstui_without("psycopg,textual_serve,aiohttp", "--version").returncode == 0
    done = smstui_without("psycopg,textual_serve,aiohttp", "config", "show")
    assert done.returncode == 0, done.stderr


def test_native_windows_says_to_use_wsl():
    """On native Windows it would die on os.fchmod, SIGHUP or killpg: say so at once instead."""
    # Imported first: the standard library itself picks Windows modules by sys.platform.
    code = (
        "import sys; from smstui.cli.main import main; sys.platform = 'win32'; sys.exit(main([]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == EXIT_USAGE
    assert "Linux and macOS" in done.stderr
    assert "WSL" in done.stderr


NEEDS_TEAM = (
    "smstui.store.pg_",
    "smstui.store.postgres_store",
    "smstui.store.team_board",
    "smstui.sync.leader",
    "smstui.sync.listener",
    "smstui.sync.team",
)
"""The modules that may import psycopg: they load only when a PostgreSQL store is set."""

NEEDS_SERVE = ("smstui.cli.serve_guard", "smstui.cli.serve_server")
"""The modules that import aiohttp and textual-serve: they load only for ``smstui serve``."""

IMPORT_ALL = textwrap.dedent(
    """
    import importlib, pkgutil, smstui
    failed = []
    for info in pkgutil.walk_packages(smstui.__path__, "smstui."):
        if info.name == "smstui.__main__":
            continue
        try:
            importlib.import_module(info.name)
        except ImportError as error:
            failed.append(f"{info.name}: {error}")
    print("\\n".join(failed))
    """
)


def test_the_app_and_the_commands_load_without_the_extras():
    """The demo and every command import nothing of psycopg or textual-serve until asked."""
    code = BLOCKER.replace(
        "from smstui.cli.main import main\nsys.exit(main(sys.argv[2:]))", IMPORT_ALL
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "psycopg,textual_serve,aiohttp"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    failed = [line for line in done.stdout.splitlines() if line]
    assert failed, "the blocker blocked nothing"
    unexpected = [line for line in failed if not line.startswith(NEEDS_TEAM + NEEDS_SERVE)]
    assert unexpected == []
