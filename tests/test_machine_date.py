"""What is drawn does not depend on the machine's date: a few date-sensitive tests, run again in
a child process whose wall clock libfaketime (Debian's ``faketime``) sets to another year.

The AST scan in ``tests/test_wall_clock.py`` keeps smstui's own code on the app's clock; this
catches what it cannot see (a library, a fixture, a default). ``python3 dev.py test`` installs
``faketime``; without it this test fails and says how to get it, rather than being skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

DATE_SENSITIVE = [
    "tests/snapshots/test_reply_tools_snapshots.py::test_opt_out_warning",  # "since 12 Nov"
    "tests/unit/test_timefmt.py",
]
"""The snapshot that went red on 2027-01-01 on the machine's clock, and the date labels."""


@pytest.mark.parametrize("machine_date", ["2027-01-02 12:00:00", "2025-12-01 12:00:00"])
def test_drawn_dates_do_not_depend_on_the_machines_date(machine_date: str) -> None:
    faketime = shutil.which("faketime")
    assert faketime is not None, "Debian's faketime is missing: apt-get install faketime"
    env = {
        **os.environ,
        # Only the date moves: a faked monotonic clock stalls thread timeouts under libfaketime.
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [faketime, machine_date, sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
         "-q", "-x", *DATE_SENSITIVE],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
