"""Two clean executions of the book give identical outputs: text, tables and images.

The session's book build (``built_book``, a cold build in a temporary copy) is the first; this test
executes every notebook of the table of contents once more into the empty jupyter-cache of a second
copy, and compares the two output by output, after removing what legitimately differs between runs
(execution timing metadata).
"""

from __future__ import annotations

import json

import pytest

from helpers import ROOT, copy_repository
from livelihoods.book import build

pytestmark = pytest.mark.slow




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


def test_two_clean_builds_give_identical_outputs(built_book, tmp_path):
    assert built_book.returncode == 0, "the first build failed (test_book.py says why)"
    first = built_book.root
    second = copy_repository(tmp_path / "two" / "book")
    results = build.execute_into_cache(second, echo=lambda _: None)
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
