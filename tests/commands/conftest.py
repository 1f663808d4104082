"""Fixtures for the scripting commands: a fake gateway on a fixed clock, env credentials, and
a helper that runs ``smstui.cli.main.main`` and returns (exit code, stdout, stderr)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

import smstui.cli.context
from smstui.cli.context import store_path
from smstui.cli.main import main
from smstui.fake import FakeGateway
from smstui.store import MessageStore, SqliteStore
from smstui.store.local_state import SqliteState
from smstui.store.read_state import ReadState
from smstui.system.clock import FixedClock

CLIENT_ID = "cmd-client-0001"
SECRET = "cmd-s3cret-value-0123456789"
ANCHOR = 1795780800  # 2026-11-27 12:00 UTC: "now" for the gateway and the commands


@pytest.fixture(autouse=True)
def restore_process_state() -> Iterator[None]:
    """main() sets the umask and installs a log handler; undo both after each test."""
    umask = os.umask(0o022)
    os.umask(umask)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    os.umask(umask)
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> FixedClock:
    """The commands run on the gateway's fixed clock, never today's date."""
    clock = FixedClock(ANCHOR)
    monkeypatch.setattr(smstui.cli.context, "default_clock", lambda: clock)
    return clock


def make_gateway(**options: Any) -> FakeGateway:
    options.setdefault("status_delays", (0.0, 0.0))
    return FakeGateway(
        client_id=CLIENT_ID,
        client_secret=SECRET,
        seed=7,
        scale="small",
        anchor=ANCHOR,
        clock=FixedClock(ANCHOR),
        **options,
    )


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGateway]:
    """A small fake gateway (statuses final at once), with the environment pointing at it."""
    with make_gateway() as gw:
        point_at(monkeypatch, gw.url)
        yield gw


def point_at(monkeypatch: pytest.MonkeyPatch, url: str, secret: str = SECRET) -> None:
    monkeypatch.setenv("SMSTOOLS_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("SMSTOOLS_CLIENT_SECRET", secret)
    monkeypatch.setenv("SMSTOOLS_BASE_URL", url)


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def lines(self) -> list[Any]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


Run = Callable[..., Result]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run ``smstui ARGS`` in-process; ``stdin`` text may be given."""

    def invoke(*args: str, stdin: str = "") -> Result:
        import io

        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


def open_store(base_url: str) -> MessageStore:
    """The store the commands (and the app) use for this account and gateway."""
    return SqliteStore.open(store_path(CLIENT_ID, base_url))


def app_read_state(base_url: str, now: int) -> ReadState:
    """The read state the app keeps in this account's store (first run at ``now``)."""
    return ReadState(SqliteState(store_path(CLIENT_ID, base_url)), now=now)
