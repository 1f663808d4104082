"""The architecture, enforced: pure modules never import Textual, and modules stay small."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import smstui

PURE_MODULES = (
    "smstui",
    "smstui.api.client",
    "smstui.api.errors",
    "smstui.api.models",
    "smstui.api.parse",
    "smstui.cli",
    "smstui.clock",
    "smstui.config",
    "smstui.credentials",
    "smstui.delivery",
    "smstui.fake",
    "smstui.inbox",
    "smstui.logs",
    "smstui.opener",
    "smstui.outbox",
    "smstui.paths",
    "smstui.phones",
    "smstui.sanitize",
    "smstui.secret",
    "smstui.segments",
    "smstui.drafts",
    "smstui.read_state",
    "smstui.state_file",
    "smstui.thread_state",
    "smstui.timefmt",
    "smstui.unread",
)

PACKAGE_DIR = Path(smstui.__file__).parent


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_module_does_not_import_textual(module: str) -> None:
    """Network, disk, keyring and domain code must be usable without the UI framework."""
    code = f"import sys, {module}; print('textual' in sys.modules or 'rich' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False", f"{module} imports textual or rich"


def test_no_module_is_a_god_module() -> None:
    """Every module stays readable: ~400 lines, with a little slack for docstrings."""
    too_long = {
        str(path.relative_to(PACKAGE_DIR)): count
        for path in PACKAGE_DIR.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert too_long == {}
