"""A real PostgreSQL server for the tests: started once per session, only when a test asks.

The server is the operating system's PostgreSQL: the newest ``/usr/lib/postgresql/*/bin``
(Debian's ``postgresql`` package, which ``python3 dev.py test`` installs with apt when it is
missing), else ``initdb`` on ``PATH`` (Homebrew and other systems).

Each session gets a private directory from :func:`tempfile.mkdtemp`, not under pytest's
basetemp: a second pytest run on the same machine rotates basetemp away and would delete a
running server's files. The server listens only on a Unix socket in that directory (no TCP
port, so concurrent runs cannot collide), with durability off (a test database is thrown
away).

``initdb`` refuses to run as root (CI runs as root), so as root the server runs as the
``postgres`` system user (``nobody`` where there is none), which owns the directory.

Shutting down is one path whatever happens: a small watchdog shell, started with the server,
waits for its standard input to close, then runs ``pg_ctl stop -m immediate`` and removes the
directory. The session's end and :mod:`atexit` close that pipe and wait; when pytest dies
without either (``SIGKILL``), the kernel closes it, so no server or directory is left behind.

Each test gets a schema of its own (the store keeps an account in one schema), dropped after
the test.
"""

from __future__ import annotations

import atexit
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

from smstui.system.secret import SecretUrl

__all__ = ["PgTestServer", "find_bindir", "pg_schema", "pg_server", "pg_url", "start_server"]

DEBIAN_ROOT = Path("/usr/lib/postgresql")
"""Where Debian's packages put each major version's programs (``<version>/bin``)."""

_SETTINGS = """
listen_addresses = ''
unix_socket_directories = '{socket_dir}'
fsync = off
synchronous_commit = off
full_page_writes = off
"""
"""Appended to the cluster's ``postgresql.conf``: socket only, no durability (see module)."""

# Runs as the server's user; "read" returns when the pipe closes, however the test run ended.
_WATCHDOG = 'read _; "$0" -D "$1" -m immediate -s stop >/dev/null 2>&1; rm -rf "$2"'

_schemas = itertools.count(1)

STARTUP: list[tuple[float, Path]] = []
"""How long the server took to start, and where (reported at the end of the session)."""


def find_bindir() -> Path | None:
    """Return the directory of the newest PostgreSQL's ``initdb`` and ``pg_ctl``, or None."""

    def version(bindir: Path) -> tuple[int, ...]:
        name = bindir.parent.name
        return (
            tuple(int(part) for part in name.split(".")) if name.replace(".", "").isdigit() else ()
        )

    debian = [initdb.parent for initdb in DEBIAN_ROOT.glob("*/bin/initdb")]
    if debian:
        return max(debian, key=version)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _server_account() -> pwd.struct_passwd | None:
    """The unprivileged account to run the server as when we are root; None when we are not."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root, and neither a postgres nor a nobody user to run as")


@dataclass
class PgTestServer:
    """A running test server: its private directory, its URL, and how to stop it."""

    directory: Path
    url: SecretUrl
    _watchdog: subprocess.Popen[bytes] = field(repr=False)

    def stop(self) -> None:
        """Stop the server and remove its directory (idempotent)."""
        stdin: IO[bytes] | None = self._watchdog.stdin
        if stdin is not None and not stdin.closed:
            stdin.close()
        self._watchdog.wait(timeout=60)
        shutil.rmtree(self.directory, ignore_errors=True)  # the watchdog did; in case it died


def start_server() -> PgTestServer:
    """Create a cluster in a new private directory and start it (see module)."""
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError(
            "PostgreSQL is not installed: the store and team tests need its initdb and pg_ctl. "
            "On Debian, python3 dev.py test installs it as root (apt-get install postgresql)."
        )
    account = _server_account()
    directory = Path(tempfile.mkdtemp(prefix="smstui-pg-"))
    as_server: dict[str, Any] = {}
    if account is not None:
        os.chown(directory, account.pw_uid, account.pw_gid)
        as_server = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
    # The server's children inherit this: no PG* variable of the caller's, messages in English.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(LC_ALL="C", HOME=str(directory))
    data = directory / "data"
    try:
        initdb = subprocess.run(
            [bindir / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
             "--no-locale", "--no-sync"],
            env=env, capture_output=True, text=True, check=False, **as_server,
        )  # fmt: skip
        if initdb.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{initdb.stdout}{initdb.stderr}")
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(_SETTINGS.format(socket_dir=directory))
        watchdog = subprocess.Popen(
            ["sh", "-c", _WATCHDOG, bindir / "pg_ctl", data, directory],
            stdin=subprocess.PIPE, env=env, start_new_session=True, **as_server,
        )  # fmt: skip
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    server = PgTestServer(
        directory, SecretUrl(f"postgresql://postgres@/postgres?host={directory}"), watchdog
    )
    atexit.register(server.stop)
    try:
        # Its own session: a Ctrl+C in the terminal reaches pytest, not the server.
        started = subprocess.run(
            [bindir / "pg_ctl", "-D", data, "-l", directory / "server.log", "-w", "-t", "60",
             "start"],
            env=env, capture_output=True, text=True, check=False, start_new_session=True,
            **as_server,
        )  # fmt: skip
        if started.returncode != 0:
            log = directory / "server.log"
            raise RuntimeError(
                f"pg_ctl start failed:\n{started.stdout}{started.stderr}"
                + (log.read_text(errors="replace") if log.exists() else "")
            )
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgTestServer]:
    started = time.perf_counter()
    server = start_server()
    STARTUP.append((time.perf_counter() - started, server.directory))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_url(pg_server: PgTestServer) -> SecretUrl:
    return pg_server.url


@pytest.fixture
def pg_schema(pg_url: SecretUrl) -> Iterator[str]:
    """A schema name no other test uses; the schema (if created) is dropped afterwards."""
    import psycopg

    name = f"smstui_test_{next(_schemas)}"
    yield name
    with psycopg.connect(pg_url.reveal(), autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for seconds, directory in STARTUP:
        terminalreporter.write_line(
            f"PostgreSQL test server started in {seconds:.2f} s in {directory}"
        )
