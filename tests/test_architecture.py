"""The architecture, enforced: pure modules never import Textual, and modules stay small."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import smstui

UI_MODULES = ("smstui.app", "smstui.key_order", "smstui.messages", "smstui.terminal_input")
"""Modules outside ``screens/`` and ``widgets/`` that are part of the terminal UI."""

UI_PACKAGES = ("smstui.screens", "smstui.widgets")


def _all_modules() -> list[str]:
    found = ["smstui"]
    for info in pkgutil.walk_packages(smstui.__path__, "smstui."):
        found.append(info.name)
    return sorted(found)


PURE_MODULES = tuple(
    name
    for name in _all_modules()
    if name not in UI_MODULES
    and not any(name == pkg or name.startswith(pkg + ".") for pkg in UI_PACKAGES)
    and name != "smstui.__main__"  # running it starts the program
)
"""Every other module: network, disk, keyring, domain, the fake gateway, the command line."""

PACKAGE_DIR = Path(smstui.__file__).parent


def test_pure_modules_do_not_import_textual() -> None:
    """Network, disk, keyring and domain code must be usable without the UI framework.

    Every module is pure unless it is listed as UI: a new module is checked without anyone
    remembering to add it. One child process per module, so each import is seen alone.
    """
    assert "smstui.outbox_file" in PURE_MODULES
    assert "smstui.fake.gateway" in PURE_MODULES
    code = (
        "import importlib, sys; importlib.import_module(sys.argv[1]); "
        "print('textual' in sys.modules or 'rich' in sys.modules)"
    )
    offenders = []
    for module in PURE_MODULES:
        result = subprocess.run(
            [sys.executable, "-c", code, module], capture_output=True, text=True, check=True
        )
        if result.stdout.strip() != "False":
            offenders.append(module)
    assert offenders == []


def test_no_module_is_a_god_module() -> None:
    """Every module stays readable: ~400 lines, with a little slack for docstrings."""
    too_long = {
        str(path.relative_to(PACKAGE_DIR)): count
        for path in PACKAGE_DIR.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert too_long == {}
