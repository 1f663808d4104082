#!/usr/bin/env python3
"""Set up smstui's development environment and run it: ``python3 dev.py demo|test|screenshots``.

Needs only ``python3`` and access to the package registry. The first run creates ``.venv`` and
installs the project with its test tools; later runs reinstall only when ``pyproject.toml``
changed, so they start at once. ``test`` also needs two things from Debian: ``postgresql``
(the store and team tests start a private server of their own) and ``chromium`` with
``chromium-driver`` (the test of ``smstui serve`` drives a real browser). Run as root on Debian,
it installs them with apt when they are missing; elsewhere it says how, and those tests fail.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".smstui-installed"
BROWSER = (Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver"))
"""Debian's Chromium and its matching driver: what tests/serve drives (nothing is downloaded)."""
BROWSER_PACKAGES = ("chromium", "chromium-driver")
POSTGRESQL_BIN = Path("/usr/lib/postgresql")
"""Where Debian keeps each PostgreSQL version's ``bin``: tests/pg_fixtures.py takes the newest."""
POSTGRESQL_PACKAGES = ("postgresql",)


def _run(*args: str | Path) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_environment() -> None:
    """Create the virtual environment and install the project, unless it is up to date."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("smstui: creating .venv …", flush=True)
        _run(sys.executable, "-m", "venv", VENV)
    print("smstui: installing dependencies (first run only) …", flush=True)
    _run(BIN / "python", "-m", "pip", "install", "-q", "--upgrade", "pip")
    _run(BIN / "python", "-m", "pip", "install", "-q", "-e", ".[test]")
    STAMP.write_text(wanted)


def _apt_install(packages: tuple[str, ...], missing: list[str], used_by: str) -> None:
    """Install Debian packages with apt (as root, on Debian) for the tests that need them.

    Anywhere else, say what is missing and carry on: those tests then fail with the same
    message, rather than being skipped unseen.
    """
    how = f"apt-get install {' '.join(packages)}"
    geteuid = getattr(os, "geteuid", None)
    if shutil.which("apt-get") is None or geteuid is None or geteuid() != 0:
        print(
            f"smstui: {', '.join(missing)} missing: {used_by} will fail. Install as root: {how}",
            flush=True,
        )
        return
    print(f"smstui: installing {' and '.join(packages)} for {used_by} …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", *packages],
    ):
        if subprocess.run(command, env=env, check=False).returncode != 0:
            print(f"smstui: {' '.join(command)} failed: {used_by} will fail", flush=True)
            return


def ensure_browser() -> None:
    """Install Debian's Chromium and chromedriver when missing (see :func:`_apt_install`)."""
    missing = [str(path) for path in BROWSER if not path.exists()]
    if missing:
        _apt_install(BROWSER_PACKAGES, missing, "the browser test (tests/serve)")


def ensure_postgresql() -> None:
    """Install Debian's PostgreSQL when missing (see :func:`_apt_install`).

    An ``initdb`` on ``PATH`` (Homebrew, another system's package) will do as well.
    """
    if any(POSTGRESQL_BIN.glob("*/bin/initdb")) or shutil.which("initdb"):
        return
    _apt_install(POSTGRESQL_PACKAGES, ["PostgreSQL (initdb)"], "the store and team tests")


def run_tests(extra: list[str]) -> None:
    """Format check, lint, type check, then the whole test suite."""
    _run(BIN / "ruff", "format", "--check", "smstui", "tests", "benchmarks", "dev.py")
    _run(BIN / "ruff", "check", "smstui", "tests", "benchmarks", "dev.py")
    _run(BIN / "mypy")
    _run(BIN / "python", "-m", "pytest", *extra)


def main() -> None:
    """Dispatch ``demo``, ``test`` or ``screenshots``."""
    command, *extra = sys.argv[1:] or ["demo"]
    ensure_environment()
    if command == "demo":
        os.execv(BIN / "smstui", [str(BIN / "smstui"), "--demo", *extra])
    elif command == "test":
        ensure_postgresql()
        ensure_browser()
        run_tests(extra)
    elif command == "screenshots":
        _run(BIN / "python", "-m", "pytest", "-m", "screenshots", "tests/test_screenshots.py")
    else:
        sys.exit(f"usage: python3 dev.py demo|test|screenshots (got {command!r})")


if __name__ == "__main__":
    main()
