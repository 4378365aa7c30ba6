"""Sphinx reads the pages while their notebooks still execute: the build's half and Sphinx's half.

Why this module: a cold build used to execute every notebook (both cores busy) and only then start
Sphinx, which reads and writes the pages on one core while the other sits idle. Instead the build
starts Sphinx as soon as it knows which notebooks it will execute, and Sphinx reads each page as
soon as that page's notebook is in the execution cache, while later notebooks still run. A cold
``livelihoods build`` on two cores took 17.8-18.0 s with Sphinx started after the last notebook and
16.5-16.9 s pipelined (three runs each, 2026-12-06; ``make bench`` records the current figure in
``bench/results.md``).

The protocol is a folder named by :data:`ENV` in Sphinx's environment:

- ``pending.json``: the docnames whose notebooks are being executed (written before Sphinx starts);
- ``<docname>.done``: written by the build once that notebook is in the cache (:func:`mark_done`).

Sphinx's ``source-read`` event (:func:`wait_for_notebook`) holds a pending page until its mark
appears. A notebook that fails never gets one: the build then stops Sphinx and reports the failure,
as before. Without the variable (a plain ``jupyter-book build``) nothing waits.

Book layer: imports nothing from the package.
"""

from __future__ import annotations

import functools
import json
import os
import time
from pathlib import Path
from typing import Any, Iterable

#: The environment variable naming the folder of the protocol.
ENV = "LIVELIHOODS_EXECUTING"
#: How long a page waits for its notebook before Sphinx gives up (a notebook's cells have their own
#: time limit, and the build stops Sphinx at once if a notebook fails: this only ends a forgotten wait).
MAX_WAIT_SECONDS = 3600.0


def _mark(folder: Path, docname: str) -> Path:
    return folder / (docname.replace("/", "%") + ".done")


def docname(root: Path, notebook: Path) -> str:
    """The Sphinx document name of a notebook of the book (its path under the root, without suffix)."""
    return notebook.relative_to(root).with_suffix("").as_posix()


def prepare(folder: Path, root: Path, notebooks: Iterable[Path]) -> None:
    """Before Sphinx starts: say which pages must wait for their notebooks."""
    folder.mkdir(parents=True, exist_ok=True)
    pending = sorted(docname(root, path) for path in notebooks)
    (folder / "pending.json").write_text(json.dumps(pending), encoding="utf-8")


def mark_done(folder: Path, root: Path, notebook: Path) -> None:
    """After the notebook's executed copy is in the cache: its page may be read."""
    _mark(folder, docname(root, notebook)).touch()


@functools.lru_cache(maxsize=4)
def _pending(folder: str) -> frozenset[str]:
    return frozenset(json.loads((Path(folder) / "pending.json").read_text(encoding="utf-8")))


def wait_for_notebook(app: Any, docname: str, source: list[str]) -> None:
    """Sphinx ``source-read`` handler: hold a page whose notebook is still executing until it is cached."""
    folder = os.environ.get(ENV)
    if not folder or docname not in _pending(folder):
        return
    mark = _mark(Path(folder), docname)
    deadline = time.monotonic() + MAX_WAIT_SECONDS
    while not mark.exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{docname}: its notebook was not executed within {MAX_WAIT_SECONDS:.0f} s")
        time.sleep(0.02)
