"""Notebooks are committed without outputs: strip them, or (--check) say which notebooks carry some.

    python .ci/strip_outputs.py [--check] [NOTEBOOK ...]

With no NOTEBOOK, every ``*.ipynb`` under the current folder (the repository) except build output, caches and
virtual environments. Stripping empties each code cell's ``outputs``, its ``execution_count`` and its timing
metadata (``metadata.execution``), and rewrites only the notebooks that changed, in nbformat's own layout (one-space
indent, sorted keys, a final newline), so a stripped chapter is byte-identical to what ``livelihoods notebooks``
generates. Exit status: 0 when nothing carried outputs; 1 when something did (with --check: nothing is written;
without: the notebooks were stripped, which is how pre-commit learns that a hook changed files).

The standard library only: the pre-commit hook and ``make lint`` run it before anything else is installed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SKIP = {".git", ".venv", "_build", ".cache", "node_modules", ".ipynb_checkpoints", ".pytest_cache", "dist", "build"}


def notebooks(root: Path) -> list[Path]:
    """Every notebook under ``root`` (as paths relative to it), less build output, caches and environments."""
    found = []
    for path in sorted(root.rglob("*.ipynb")):
        relative = path.relative_to(root)
        if not SKIP.intersection(relative.parts):
            found.append(relative)
    return found


def dirty_cells(nb: dict) -> list[int]:
    """Indexes of the code cells that carry outputs, an execution count or timing metadata."""
    return [
        i
        for i, cell in enumerate(nb.get("cells", []))
        if cell.get("cell_type") == "code"
        and (cell.get("outputs") or cell.get("execution_count") is not None or "execution" in cell.get("metadata", {}))
    ]


def strip(nb: dict) -> None:
    for i in dirty_cells(nb):
        cell = nb["cells"][i]
        cell["outputs"] = []
        cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)


def dumps(nb: dict) -> str:
    """nbformat's layout (``nbformat.writes``) without importing nbformat."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a notebook carries outputs")
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: every .ipynb in the repository)")
    args = parser.parse_args(argv)
    paths = args.paths or notebooks(Path.cwd())
    dirty = []
    for path in paths:
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            print(f"{path}: cannot be read as a notebook ({err}): fix or remove the file", file=sys.stderr)
            dirty.append(path)
            continue
        cells = dirty_cells(nb)
        if not cells:
            continue
        dirty.append(path)
        where = ", ".join(str(i) for i in cells[:8]) + (" ..." if len(cells) > 8 else "")
        if args.check:
            print(
                f"{path}: {len(cells)} code cell(s) carry outputs or execution counts (cells {where}): "
                f"run 'python .ci/strip_outputs.py {path}' (or, for a chapter, 'livelihoods notebooks') and commit "
                "the result",
                file=sys.stderr,
            )
        else:
            strip(nb)
            path.write_text(dumps(nb), encoding="utf-8")
            print(f"stripped the outputs of {len(cells)} code cell(s) from {path}", file=sys.stderr)
    if not dirty:
        print(f"notebook outputs: {len(paths)} notebook(s), none carries outputs")
    return 1 if dirty else 0


if __name__ == "__main__":
    sys.exit(main())
