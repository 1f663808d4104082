"""Nothing drawn depends on the machine's date: product code reads "now" from the app's clock.

An AST scan of every module under ``smstui/`` (but :mod:`smstui.system.clock`, where the real clock
lives) for reads of the wall clock: ``time.time()``, ``datetime.now()``, ``date.today()``,
``time.localtime()`` / ``time.strftime(fmt)`` without a time, and the same under other import
names. Conversions of a given time (``time.localtime(ts)``) and monotonic timers are fine.
"""

from __future__ import annotations

import ast
from pathlib import Path

import smstui

PACKAGE_DIR = Path(smstui.__file__).parent

ALWAYS_A_READ = frozenset(
    {
        "time.time",
        "time.time_ns",
        "datetime.datetime.now",
        "datetime.datetime.today",
        "datetime.datetime.utcnow",
        "datetime.date.today",
    }
)
"""Reads of the wall clock wherever they appear (called, or passed on as a function)."""

READ_WITHOUT_A_TIME = {
    "time.localtime": 1,
    "time.gmtime": 1,
    "time.ctime": 1,
    "time.asctime": 1,
    "time.strftime": 2,
}
"""Functions that read the wall clock when called with fewer positional arguments than this."""

ALLOWED = {
    # The name a damaged store file is set aside under records when this machine did it: a
    # fact about the file system, never drawn from the app's (maybe fixed) clock.
    ("store/files.py", "set_aside", "time.strftime"),
    # Team announcements carry the real send time so other processes can measure how late
    # they hear of a write (a latency figure, not shown as a time).
    ("store/changes.py", "encode", "time.time"),
    ("sync/listener.py", "ChangeListener._listen", "time.time"),
}
"""(module under smstui/, function, read): the reads that are not for display, each justified."""


class _Scan(ast.NodeVisitor):
    """Collects (function, canonical name, line) for every wall-clock read in one module."""

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}
        self.scope: list[str] = []
        self.found: list[tuple[str, str, int]] = []
        self._called: set[int] = set()

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                self.aliases[top] = top

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if node.module and node.level == 0:
                self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def _scoped(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scoped

    def canonical(self, node: ast.expr) -> str:
        """``time.time`` for ``time.time``, ``t.time`` (``import time as t``) or ``time``
        (``from time import time``); "" for anything that is not a dotted name."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in self.aliases:
            return ""
        return ".".join([self.aliases[node.id], *reversed(parts)])

    def _record(self, name: str, node: ast.expr) -> None:
        self.found.append((".".join(self.scope), name, node.lineno))

    def visit_Call(self, node: ast.Call) -> None:
        name = self.canonical(node.func)
        self._called.add(id(node.func))
        if name in ALWAYS_A_READ or (
            name in READ_WITHOUT_A_TIME and len(node.args) < READ_WITHOUT_A_TIME[name]
        ):
            self._record(name, node)
        self.generic_visit(node)

    def _reference(self, node: ast.Attribute | ast.Name) -> None:
        if id(node) not in self._called:
            name = self.canonical(node)
            if name in ALWAYS_A_READ:  # e.g. ``clock=time.time``: read later, by someone else
                self._record(name, node)
        if isinstance(node, ast.Attribute):
            self.generic_visit(node)

    visit_Attribute = visit_Name = _reference


def wall_clock_reads(source: str) -> list[tuple[str, str, int]]:
    """Every read of the wall clock in ``source``: (function, canonical name, line)."""
    scan = _Scan()
    scan.visit(ast.parse(source))
    return scan.found


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    """What is shown is computed from the app's injected clock, so a fixed clock in the tests
    fixes every drawn date, whatever the machine's date (tests pass in 2027 and in 2025)."""
    offenders = []
    seen_allowed = set()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        relative = path.relative_to(PACKAGE_DIR).as_posix()
        if relative == "system/clock.py":
            continue
        for function, name, line in wall_clock_reads(path.read_text(encoding="utf-8")):
            if (relative, function, name) in ALLOWED:
                seen_allowed.add((relative, function, name))
            else:
                offenders.append(f"smstui/{relative}:{line} {function or '<module>'}: {name}")
    assert offenders == [], "read the app's clock (smstui.system.clock) instead:\n" + "\n".join(
        offenders
    )
    assert seen_allowed == ALLOWED, "allow-list entries that no longer match anything"


def test_the_scan_sees_every_way_of_reading_the_clock() -> None:
    source = """
import time
import time as t
import datetime
from datetime import date, datetime as dt
from time import time as now, localtime, strftime

def shown(ts):
    time.localtime(ts); time.strftime("%H", time.localtime(ts)); dt.fromtimestamp(ts)
    time.monotonic(); time.perf_counter()

class Screen:
    def draw(self, clock=time.time):
        a = time.time(); b = t.time_ns(); c = datetime.datetime.now()
        d = dt.now(); e = date.today(); f = now(); g = localtime(); h = strftime("%Y")
        i = time.strftime("%b"); j = dt.utcnow()
"""
    found = wall_clock_reads(source)
    assert {function for function, _, _ in found} == {"Screen.draw"}
    assert sorted(name for _, name, _ in found) == sorted(
        [
            "time.time",
            "time.time",
            "time.time_ns",
            "datetime.datetime.now",
            "datetime.datetime.now",
            "datetime.date.today",
            "time.time",
            "time.localtime",
            "time.strftime",
            "time.strftime",
            "datetime.datetime.utcnow",
        ]
    )
