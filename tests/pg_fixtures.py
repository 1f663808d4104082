"""A real PostgreSQL server for the tests: started once per session, only when a test asks.

``pgserver`` (a test dependency) ships PostgreSQL's binaries in a wheel, so a fresh machine
needs nothing else; the server lives in the session's temporary directory and is stopped at the
end. Each test gets a schema of its own (the store keeps an account in one schema), dropped
after the test.
"""

from __future__ import annotations

import itertools
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smstui.secret import SecretUrl

_schemas = itertools.count(1)

STARTUP_SECONDS: list[float] = []
"""How long the server took to start (reported at the end of the session)."""


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with warnings.catch_warnings():  # it finds XDG_RUNTIME_DIR unset on CI: harmless
        warnings.simplefilter("ignore")
        import pgserver

    started = time.perf_counter()
    # A short directory: the server's Unix socket lives there (107-byte path limit).
    server = pgserver.get_server(Path(tmp_path_factory.mktemp("pg")), cleanup_mode="stop")
    STARTUP_SECONDS.append(time.perf_counter() - started)
    yield server
    server.cleanup()


@pytest.fixture(scope="session")
def pg_url(pg_server: Any) -> SecretUrl:
    return SecretUrl(pg_server.get_uri())


@pytest.fixture
def pg_schema(pg_url: SecretUrl) -> Iterator[str]:
    """A schema name no other test uses; the schema (if created) is dropped afterwards."""
    import psycopg

    name = f"smstui_test_{next(_schemas)}"
    yield name
    with psycopg.connect(pg_url.reveal(), autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if STARTUP_SECONDS:
        terminalreporter.write_line(f"PostgreSQL test server started in {STARTUP_SECONDS[0]:.2f} s")
