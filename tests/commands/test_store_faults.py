"""Every command works on a read-only data directory (messages kept in memory, said once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.commands.conftest import make_gateway
from tests.commands.test_gateway_faults import smstui
from tests.store.helpers import read_only


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``XDG_DATA_HOME`` for the child processes; its ``smstui`` directory exists, empty."""
    home = tmp_path / "data-home"
    (home / "smstui").mkdir(parents=True)
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def test_every_command_works_on_a_read_only_data_directory(data_home: Path) -> None:
    with make_gateway() as gw, read_only(data_home / "smstui"):
        number = gw.conversation_numbers()[0]
        for command in (
            ["conversations", "--limit", "3"],
            ["show", number, "--limit", "3"],
            ["search", "zamówienie"],
            ["unread"],
            ["export", number, "--format", "csv"],
            ["send", number, "Read-only data directory test", "--dry-run"],
        ):
            result = smstui(gw.url, *command)
            assert result.returncode == 0, (command, result.stderr)
            assert "unexpected error" not in result.stderr
            assert result.stderr.count("kept in memory only") == 1, (command, result.stderr)
            assert result.stdout.strip() or "the gateway accepted it" in result.stderr, command
