"""The architecture, enforced: pure modules never import Textual, modules stay small, only the
sync engine reads the gateway, and the import picture has no cycle."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import smstui

UI_MODULES = ("smstui.cli.serve_server",)  # serves the UI to browsers; textual-serve loads Rich
"""Modules outside ``ui/`` that load Textual or Rich."""

UI_PACKAGES = ("smstui.ui",)


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
    assert "smstui.store.outbox_file" in PURE_MODULES
    assert "smstui.fake.gateway" in PURE_MODULES
    # httpx loads Rich for its own command line when click is installed (import-linter, a
    # test tool, brings click); a user's install has no click, so that import is blocked here.
    code = (
        "import importlib, sys; sys.modules['httpx._main'] = None; "
        "importlib.import_module(sys.argv[1]); "
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
    """No module grows into a god module: 1,000 lines fails.

    This is a backstop, not a size to split at: files are split by meaning, and ~800 lines is a
    prompt to look. (A 450-line limit bent the code: splits made to fit it, not by meaning.)
    """
    too_long = {
        str(path.relative_to(PACKAGE_DIR)): count
        for path in PACKAGE_DIR.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 1000
    }
    assert too_long == {}


GATEWAY_READS = frozenset(
    {"inbox", "sent_history", "conversation", "contacts", "own_numbers", "balance", "scheduled"}
)
"""The gateway's read endpoints (as :class:`smstui.api.client.SmsClient` methods)."""

UI_SOURCES = tuple(sorted((PACKAGE_DIR / "ui").rglob("*.py")))


def _receiver_name(node: ast.expr) -> str:
    """The last name of what an attribute is taken from: ``self._engine`` → ``_engine``."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def gateway_reads_outside_the_engine(source: str) -> list[str]:
    """Each ``x.inbox(...)``-like call (or ``client.inbox`` handed on uncalled) not on an engine.

    Calls on the local store (``store.conversation(key)``) are store reads, not gateway reads.
    """
    tree = ast.parse(source)
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or node.attr not in GATEWAY_READS:
            continue
        receiver = _receiver_name(node.value).lower()
        if "engine" in receiver or "store" in receiver:
            continue
        if id(node) in called or "client" in receiver or "gateway" in receiver:
            found.append(f"line {node.lineno}: {receiver}.{node.attr}")
    return found


def test_only_the_sync_engine_reads_the_gateway() -> None:
    """Screens, widgets and the app ask the sync engine for pages; none reads the gateway.

    One reader means one place where what arrives is written to the store and announced.
    """
    offenders = {
        str(path.relative_to(PACKAGE_DIR)): found
        for path in UI_SOURCES
        if (found := gateway_reads_outside_the_engine(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_read_scan_sees_a_direct_read() -> None:
    """The scan above finds what it is for (a check that finds nothing proves nothing)."""
    source = (
        "async def f(self, engine, store):\n"
        "    await self._client.inbox(page=1)\n"
        "    await screen.call(self._client.own_numbers)\n"
        "    await engine.inbox(page=1)\n"
        "    store.conversation('k')\n"
    )
    assert gateway_reads_outside_the_engine(source) == [
        "line 2: _client.inbox",
        "line 3: _client.own_numbers",
    ]


def _module_name(path: Path, package_dir: Path) -> str:
    parts = path.relative_to(package_dir.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package_dir: Path) -> dict[str, set[str]]:
    """Which module of the package imports which (``TYPE_CHECKING`` imports count too).

    ``from smstui.x import y`` is an arrow to ``smstui.x.y`` when that is a module, else to
    ``smstui.x``; relative imports are resolved.
    """
    root = package_dir.name
    paths = sorted(package_dir.rglob("*.py"))
    modules = {_module_name(path, package_dir) for path in paths}
    graph: dict[str, set[str]] = {}
    for path in paths:
        name = _module_name(path, package_dir)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        arrows: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            else:
                continue
            for target in targets:
                while target and target not in modules:  # smstui.api.client.X → the module
                    target = target.rpartition(".")[0]
                if target.split(".")[0] == root and target != name:
                    arrows.add(target)
        graph[name] = arrows
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_import_picture_has_no_cycle() -> None:
    """No module of ``smstui`` imports, even for type checking only, one that imports it back.

    A cycle (a screen and its helpers, say) means neither side can be read or changed alone.
    """
    graph = import_graph(PACKAGE_DIR)
    assert "smstui.ui.screens.inbox" in graph["smstui.ui.app"]
    assert import_cycles(graph) == []


def test_the_cycle_check_sees_a_cycle_hidden_behind_type_checking(tmp_path: Path) -> None:
    """A cycle closed only by a ``TYPE_CHECKING`` import is found; a straight line is not."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "screen.py").write_text("from pkg.sub.helper import Helper\n")
    (package / "sub" / "helper.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import leaf\n"
        "if TYPE_CHECKING:\n"
        "    from ..screen import Screen\n"
    )
    (package / "sub" / "leaf.py").write_text("import os\n")
    graph = import_graph(package)
    assert graph["pkg.sub.helper"] == {"pkg.screen", "pkg.sub.leaf"}
    assert import_cycles(graph) == [["pkg.screen", "pkg.sub.helper"]]
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


LAYERS = ("cli", "ui", "session", "sync", "api", "store", "system", "domain", "fake")
"""The packages of ``smstui`` (their order is the import-linter contract in pyproject.toml)."""


def test_the_package_root_holds_layers_not_loose_modules() -> None:
    """At most 8 modules lie loose at the package root; everything else lives in a layer."""
    loose = sorted(path.name for path in PACKAGE_DIR.glob("*.py"))
    packages = sorted(
        path.name for path in PACKAGE_DIR.iterdir() if (path / "__init__.py").is_file()
    )
    assert len(loose) <= 8, loose
    assert packages == sorted(LAYERS)


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run the project's import-linter contracts over the copy of the project at ``root``."""
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_layer_contracts_catch_an_import_against_them(tmp_path: Path) -> None:
    """The contracts are real: a domain module importing Textual, or a widget talking to the
    gateway's client, or the store reaching up into sync, each breaks the check.

    (`python3 dev.py test` runs the contracts on the real tree; this proves they bite.)
    """
    import shutil

    project = PACKAGE_DIR.parent
    shutil.copy(project / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(PACKAGE_DIR, tmp_path / "smstui", ignore=shutil.ignore_patterns("__pycache__"))
    clean = _lint_imports(tmp_path)
    assert clean.returncode == 0, clean.stdout[-3000:]
    planted = {
        "domain/phones.py": ("import textual\n", "Textual and Rich are imported only"),
        "ui/widgets/wrap.py": ("import smstui.api.client\n", "Only smstui.sync imports"),
        "store/writes.py": ("import smstui.sync.engine\n", "Layers:"),
    }
    for relative, (line, contract) in planted.items():
        target = tmp_path / "smstui" / relative
        original = target.read_text(encoding="utf-8")
        target.write_text(line + original, encoding="utf-8")
        broken = _lint_imports(tmp_path)
        target.write_text(original, encoding="utf-8")
        assert broken.returncode != 0, relative
        assert f"{contract}" in broken.stdout.split("Broken contracts")[-1], broken.stdout[-2000:]
