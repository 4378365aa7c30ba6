"""The QDA layer keeps to its place: it imports only analyses, evidence and the foundation, its modules
import each other without a cycle, none is over about 500 lines, and none uses another's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import livelihoods.qda

QDA = Path(livelihoods.qda.__file__).parent
MODULES = sorted(p for p in QDA.glob("*.py") if p.name != "__init__.py")
ALLOWED = ("livelihoods.qda", "livelihoods.analyses", "livelihoods.evidence", "livelihoods.errors", "livelihoods.paths",
           "livelihoods.files")


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every livelihoods import in a file, wherever it is (functions included)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("livelihoods"):
            out.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if a.name.startswith("livelihoods")]
    return out


def targets(module: str, names: list[str]) -> list[str]:
    """The package modules an import statement reaches (``from livelihoods.qda import sheets`` -> qda.sheets)."""
    if module in ("livelihoods", "livelihoods.qda"):
        return [f"{module}.{n}" for n in names]
    return [module]


def test_qda_imports_only_its_own_layer_and_below():
    upward = [f"{p.name}: {m}" for p in [*MODULES, QDA / "__init__.py"] for module, names in imports(p)
              for m in targets(module, names) if not m.startswith(ALLOWED) and m not in ("livelihoods.__version__",
                                                                                     "livelihoods.evidence",
                                                                                     "livelihoods.files")]
    assert not upward, f"upward imports from the QDA layer: {upward}"


def test_no_import_cycle_between_qda_modules():
    graph = {p.stem: {m.rsplit(".", 1)[-1] for module, names in imports(p) for m in targets(module, names)
                      if m.startswith("livelihoods.qda.")} for p in MODULES}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            assert state.get(nxt) != 1, f"import cycle: {' -> '.join(path + [nxt])}"
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [node])


def test_modules_are_small_and_use_no_private_name_of_another():
    long = {p.name: n for p in MODULES if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert not long, f"modules over 500 lines: {long}"
    private = [f"{p.name}: {module}.{n}" for p in MODULES for module, names in imports(p) for n in names
               if n.startswith("_") and n != "__version__"]
    for p in MODULES:
        tree = ast.parse(p.read_text(encoding="utf-8"))
        siblings = {m.stem for m in MODULES}
        private += [f"{p.name}: {n.value.id}.{n.attr}" for n in ast.walk(tree) if isinstance(n, ast.Attribute)
                    and isinstance(n.value, ast.Name) and n.value.id in siblings and n.attr.startswith("_")]
    assert not private, f"private names used across modules: {private}"
