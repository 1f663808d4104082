"""The README's commands work: nothing installs a package the registry does not have."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def shell_lines() -> list[str]:
    """Every line of the README's ``sh`` blocks and inline code spans."""
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    lines = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    lines += re.findall(r"`([^`\n]+)`", text)
    return [line for line in lines if line]


def test_the_first_two_commands_are_the_demo_and_the_tests():
    text = README.read_text(encoding="utf-8")
    first = re.search(r"```sh\n(.*?)```", text, flags=re.S)
    assert first is not None
    commands = [line.split("#")[0].strip() for line in first.group(1).splitlines()]
    assert commands == ["python3 dev.py demo", "python3 dev.py test"]


def test_install_is_from_the_checkout_until_a_release_exists():
    commands = shell_lines()
    # smstui is not on the registry: installing it by name fails.
    for command in commands:
        assert not re.match(r"(pipx|uv tool|pip) install (--\S+ )*smstui\b", command), command
    assert "pipx install ." in commands
    assert "uv tool install ." in README.read_text(encoding="utf-8")
