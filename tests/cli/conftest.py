"""Fixtures for the command-line tests: a live fake gateway and scripted terminal answers."""

from __future__ import annotations

import getpass
import logging
import os
from collections.abc import Iterator

import pytest

from smstui.fake import FakeGateway
from smstui.system.clock import FixedClock

CLIENT_ID = "cli-client-id-0001"
SECRET = "cli-s3cret-value-0123456789"
ANCHOR = 1795780800  # 2026-11-27 12:00 UTC


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


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    """A small fake gateway accepting CLIENT_ID / SECRET."""
    with FakeGateway(
        client_id=CLIENT_ID,
        client_secret=SECRET,
        seed=7,
        scale="small",
        anchor=ANCHOR,
        clock=FixedClock(ANCHOR),
    ) as gw:
        yield gw


class Terminal:
    """Scripted answers for ``input`` and ``getpass``, recording the prompts shown."""

    def __init__(self) -> None:
        self.client_id = CLIENT_ID
        self.secret = SECRET
        self.prompts: list[str] = []

    def input(self, prompt: str = "") -> str:
        self.prompts.append(prompt)
        return self.client_id

    def getpass(self, prompt: str = "Password: ", stream: object = None) -> str:
        self.prompts.append(prompt)
        return self.secret


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    """Replace the plain-terminal prompts of ``smstui auth login``."""
    scripted = Terminal()
    monkeypatch.setattr("builtins.input", scripted.input)
    monkeypatch.setattr(getpass, "getpass", scripted.getpass)
    return scripted
