"""Two clean executions of the book give identical outputs: text, tables and images.

The session's book build (``built_book``, a cold build in a temporary copy) is the first; this test
executes every notebook of the table of contents once more into the empty jupyter-cache of a second
copy (a background job, ``tests/background.py``), and compares the two output by output, after removing
what legitimately differs between runs (execution timing metadata).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import background
from helpers import ROOT, copy_repository
from livelihoods.book import sources

pytestmark = pytest.mark.slow


def _outputs(root) -> dict[str, list]:
    """Notebook -> the outputs of every code cell, without timing metadata."""
    from jupyter_cache import get_cache

    cache = get_cache(str(sources.cache_path(root)))
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


SECOND = """
import sys
from pathlib import Path
from livelihoods.book import execute
results = execute.execute_into_cache(Path(sys.argv[1]), jobs=8, echo=lambda _: None)
for r in results:
    if r.status == "failed":
        print(f"{r.path}: {r.error}")
"""


@background.job("second_clean_execution")
def second_clean_execution(folder: Path) -> dict:
    """Every notebook of the book executed once more into the empty cache of another copy, 8 at a time, in a
    process of its own."""
    second = copy_repository(folder / "book")
    proc = subprocess.run(
        [sys.executable, "-c", SECOND, str(second)],
        capture_output=True,
        text=True,
        env=background.environ(LIVELIHOODS_ROOT=str(second)),
        timeout=1200,
    )
    return {"root": second, "proc": proc}


def test_two_clean_builds_give_identical_outputs(built_book, second_clean_execution):
    """The first build is the session's: CI's cold build at 8 parallel kernels (issue 19), executed and built
    with Sphinx from an empty cache, more kernels than cores starting at once; it must pass first time."""
    assert built_book.returncode == 0, "the first build failed (test_book.py says why)"
    first = built_book.root
    n = len(sources.toc_notebooks(first))
    assert f"executing {n} notebook(s), 8 at a time" in built_book.stdout, built_book.stdout[-2000:]
    assert f"({n} notebooks executed, 0 from cache)" in built_book.stdout, built_book.stdout[-2000:]
    second, proc = second_clean_execution["root"], second_clean_execution["proc"]
    assert proc.returncode == 0 and not proc.stdout.strip(), f"notebooks failed: {proc.stdout}{proc.stderr[-2000:]}"
    a, b = _outputs(first), _outputs(second)
    assert sorted(a) == sorted(b) and len(a) == len(sources.toc_notebooks(ROOT))
    differing = []
    for name in sorted(a):
        for i, (x, y) in enumerate(zip(a[name], b[name])):
            if x != y:
                differing.append(f"{name} code cell {i}")
    assert not differing, f"outputs differ between two clean builds: {differing[:10]}"
