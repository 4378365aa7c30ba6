"""The package's house rules, checked on its source: layers, no cycles, small modules, no borrowed privates.

The layers, lowest first (each subpackage's ``__init__`` docstring says what it owns and may import):

    foundation (errors, paths, files) < evidence < analyses < qda < book < teach < cli

A module may import its own layer or a lower one, never a higher one, wherever the import sits (a
function's body included). The import graph between modules has no cycle. No module is over 500
lines, and none uses a name another module marks private (``_name``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import livelihoods

PKG = Path(livelihoods.__file__).parent
LAYERS = {
    "errors": 0,
    "paths": 0,
    "files": 0,
    "startup": 0,
    "__init__": 0,
    "evidence": 1,
    "analyses": 2,
    "qda": 3,
    "book": 4,
    "teach": 5,
    "cli": 6,
}
MODULES = sorted(PKG.rglob("*.py"))
MAX_LINES = 500


def name_of(path: Path) -> str:
    rel = path.relative_to(PKG).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(["livelihoods", *parts])


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS[parts[1] if len(parts) > 1 else "__init__"]


def imports(path: Path) -> list[str]:
    """Every package module an import in this file reaches (``from livelihoods.qda import sheets`` -> qda.sheets)."""
    known = {name_of(p) for p in MODULES}
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "livelihoods":
            # ``from livelihoods.evidence import loaders`` runs livelihoods/evidence/__init__.py first: it
            # reaches the package as well as the submodule.
            out.append(node.module)
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                if child in known:
                    out.append(child)
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names if a.name.split(".")[0] == "livelihoods"]
    return out


GRAPH = {name_of(p): sorted(set(imports(p)) - {name_of(p)}) for p in MODULES}


def test_every_module_is_in_a_layer():
    assert all(layer(m) is not None for m in GRAPH)


def test_no_module_imports_a_higher_layer():
    upward = [
        f"{m} (layer {layer(m)}) imports {t} (layer {layer(t)})"
        for m, ts in GRAPH.items()
        for t in ts
        if t != "livelihoods" and layer(t) > layer(m)
    ]
    assert not upward, "upward imports:\n  " + "\n  ".join(upward)


def test_no_import_cycle():
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in GRAPH.get(node, ()):
            if nxt not in GRAPH:
                continue
            # a package that re-exports a submodule, and that submodule importing the package (even as
            # ``from package import sibling``), is a cycle: the submodule must import its siblings directly
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(path + [nxt]))
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in GRAPH:
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n  " + "\n  ".join(cycles)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: name_of(p))
def test_module_is_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name_of(path)} has {lines} lines: split it by concern (at most {MAX_LINES})"


def test_no_private_name_of_another_module_is_used():
    modules = {name_of(p): p for p in MODULES}
    found = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("livelihoods"):
                for a in node.names:
                    if a.name.startswith("_") and not a.name.startswith("__"):
                        found.append(f"{name}: from {node.module} import {a.name}")
                    child = f"{node.module}.{a.name}"
                    if child in modules:
                        aliases[a.asname or a.name] = child
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                found.append(f"{name}: {node.value.id}.{node.attr}")
    assert not found, "private names used across modules:\n  " + "\n  ".join(found)
