"""Two clean executions of the book give identical outputs: text, tables and images.

Each run executes every notebook of the table of contents into its own empty jupyter-cache (as a
cold `livelihoods build` does); the executed notebooks are then compared output by output, after
removing what legitimately differs between runs (execution timing metadata).
"""

from __future__ import annotations

import json
import shutil

import pytest

from helpers import ROOT
from livelihoods.book import build

pytestmark = pytest.mark.slow


def _copy_book(dest):
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__",
                                                               ".pytest_cache", ".cache", "bench"))
    return dest


def _outputs(root) -> dict[str, list]:
    """Notebook -> the outputs of every code cell, without timing metadata."""
    from jupyter_cache import get_cache

    cache = get_cache(str(build.cache_path(root)))
    out = {}
    for record in cache.list_cache_records():
        nb = cache.get_cache_bundle(record.pk).nb
        cells = []
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            outputs = json.loads(json.dumps(cell.get("outputs", [])))
            for o in outputs:
                o.pop("execution_count", None)
                o.get("metadata", {}).pop("execution", None)
            cells.append(outputs)
        out[str(record.uri).split("/", 3)[-1].split("book/", 1)[-1]] = cells
    return out


def test_two_clean_builds_give_identical_outputs(tmp_path):
    """The first copy is also CI's cold build at 8 parallel kernels (issue 19): executed and built with
    Sphinx from an empty cache, with more kernels than cores starting at once; it must pass first time."""
    first = _copy_book(tmp_path / "one" / "book")
    second = _copy_book(tmp_path / "two" / "book")
    lines: list[str] = []
    html = build.build(first, jobs=8, echo=lines.append)
    n = len(build.toc_notebooks(first))
    assert f"executing {n} notebook(s), 8 at a time" in lines, lines
    assert (html / "index.html").is_file()
    assert any(f"({n} notebooks executed, 0 from cache)" in line for line in lines), lines[-3:]
    results = build.execute_into_cache(second, jobs=8, echo=lambda _: None)
    failed = [r for r in results if r.status == "failed"]
    assert not failed, f"notebooks failed: {[(str(r.path), r.error) for r in failed]}"
    a, b = _outputs(first), _outputs(second)
    assert sorted(a) == sorted(b) and len(a) == len(build.toc_notebooks(ROOT))
    differing = []
    for name in sorted(a):
        for i, (x, y) in enumerate(zip(a[name], b[name])):
            if x != y:
                differing.append(f"{name} code cell {i}")
    assert not differing, f"outputs differ between two clean builds: {differing[:10]}"
