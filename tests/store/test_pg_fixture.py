"""The tests' own PostgreSQL server (tests/pg_fixtures.py): private, unprivileged, and gone as
soon as the pytest that started it is, even when that pytest was killed."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from smstui.system.secret import SecretUrl
from tests.pg_fixtures import PgTestServer

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import time
from tests.pg_fixtures import start_server
print(start_server().directory, flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    """True while the process runs (a zombie waiting to be reaped has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_the_server_is_private_to_this_run_and_not_roots(
    pg_server: PgTestServer, pg_url: SecretUrl, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # A later pytest run removes old numbered basetemps: the server must not live there.
    assert tmp_path_factory.getbasetemp() not in pg_server.directory.parents
    with psycopg.connect(pg_url.reveal()) as connection:
        data, listen = connection.execute(
            "SELECT current_setting('data_directory'), current_setting('listen_addresses')"
        ).fetchone()
    assert Path(data) == pg_server.directory / "data"
    assert listen == "", "a socket in the private directory only: no port to collide on"
    assert Path(data).stat().st_uid != 0, "initdb refuses root: the server runs unprivileged"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_killed_test_run_leaves_no_server_and_no_directory() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        directory = Path(child.stdout.readline().strip())
        postmaster = int((directory / "data" / "postmaster.pid").read_text().split()[0])
        assert _alive(postmaster)
    finally:
        child.kill()  # SIGKILL: no atexit, no finalizer runs in the child
        child.communicate()
    # Stopped, not left to notice its directory is gone (a server does, after about 15 s).
    deadline = time.monotonic() + 5
    while _alive(postmaster) or directory.exists():
        assert time.monotonic() < deadline, "the server or its directory outlived the run"
        time.sleep(0.01)
