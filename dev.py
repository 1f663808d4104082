#!/usr/bin/env python3
"""Set up smstui's development environment and run it: ``python3 dev.py demo|test|screenshots``.

Needs only ``python3`` and access to the package registry. The first run creates ``.venv``;
``demo`` installs the app and what it needs, ``test`` adds both extras (``team``, ``serve``) and
the ``test`` dependency group. Later runs reinstall only when ``pyproject.toml`` changed or a
command needs more than is installed, so they start at once. ``test`` also needs two things from
Debian: ``postgresql`` (the store and team tests start a private server of their own) and
``chromium`` with ``chromium-driver`` (the test of ``smstui serve`` drives a real browser), and
``faketime`` (a test redraws date-sensitive screens with the machine's clock in another year). Run
as root on Debian, it installs them with apt when they are missing; elsewhere it says how, and
those tests fail.
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
"""Holds ``<profile> <sha256 of pyproject.toml>`` of the last install that succeeded."""
PROFILES: dict[str, tuple[str, ...]] = {
    # What "python3 dev.py demo" needs: the app alone, as a user gets it.
    "demo": ("-e", "."),
    # Everything, so the suite runs every test: both extras and the development tools.
    "test": ("-e", ".[team,serve]", "--group", "test"),
}
COVERS = {"demo": ("demo", "test"), "test": ("test",)}
"""Which installed profile satisfies which command (a test install holds the demo's)."""
BROWSER = (Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver"))
"""Debian's Chromium and its matching driver: what tests/serve drives (nothing is downloaded)."""
BROWSER_PACKAGES = ("chromium", "chromium-driver")
POSTGRESQL_BIN = Path("/usr/lib/postgresql")
"""Where Debian keeps each PostgreSQL version's ``bin``: tests/pg_fixtures.py takes the newest."""
POSTGRESQL_PACKAGES = ("postgresql",)
FAKETIME = Path("/usr/bin/faketime")
"""Debian's libfaketime wrapper: tests/test_machine_date.py runs tests under another date."""


def _run(*args: str | Path) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_environment(profile: str) -> None:
    """Create the virtual environment and install ``profile``, unless it is up to date.

    Args:
        profile: ``demo`` (the app) or ``test`` (the app, its extras and the test tools).
    """
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    installed, _, stamped = (STAMP.read_text() if STAMP.exists() else "").partition(" ")
    if stamped == digest and installed in COVERS[profile]:
        return
    if not (BIN / "python").exists():
        print("smstui: creating .venv …", flush=True)
        _run(sys.executable, "-m", "venv", VENV)
    print(f"smstui: installing what {profile!r} needs (first run only) …", flush=True)
    STAMP.unlink(missing_ok=True)  # an install that fails half-way must not count as done
    # pip 25.1 or later reads dependency groups (--group).
    _run(BIN / "python", "-m", "pip", "install", "-q", "--upgrade", "pip>=25.1")
    _run(BIN / "python", "-m", "pip", "install", "-q", *PROFILES[profile])
    STAMP.write_text(f"{profile} {digest}")


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


def ensure_faketime() -> None:
    """Install Debian's faketime when missing (see :func:`_apt_install`)."""
    if FAKETIME.exists() or shutil.which("faketime"):
        return
    _apt_install(("faketime",), ["faketime"], "the other-date test (tests/test_machine_date.py)")


def run_tests(extra: list[str]) -> None:
    """Format check, lint, type check, the import contracts, then the whole test suite."""
    _run(BIN / "ruff", "format", "--check", "smstui", "tests", "benchmarks", "dev.py")
    _run(BIN / "ruff", "check", "smstui", "tests", "benchmarks", "dev.py")
    _run(BIN / "mypy")
    _run(BIN / "lint-imports")  # the architecture's contracts ([tool.importlinter])
    _run(BIN / "python", "-m", "pytest", *extra)


def main() -> None:
    """Dispatch ``demo``, ``test`` or ``screenshots``."""
    command, *extra = sys.argv[1:] or ["demo"]
    if command not in ("demo", "test", "screenshots"):
        sys.exit(f"usage: python3 dev.py demo|test|screenshots (got {command!r})")
    ensure_environment("demo" if command == "demo" else "test")
    if command == "demo":
        os.execv(BIN / "smstui", [str(BIN / "smstui"), "--demo", *extra])
    elif command == "test":
        ensure_postgresql()
        ensure_browser()
        ensure_faketime()
        run_tests(extra)
    elif command == "screenshots":
        _run(BIN / "python", "-m", "pytest", "-m", "screenshots", "tests/test_screenshots.py")


if __name__ == "__main__":
    main()
