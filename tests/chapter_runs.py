"""Executions of the runnable notebooks, run once per test session and shared by every test that reads them.

Every chapter runs once per distinct parameter set: the defaults, and the sets listed in
:data:`RUNS` (which together reach every allowed value of every parameter: each choice, and the
bounds and a middle value of each number; ``test_notebooks.py`` checks that). The runs go through
the package's own path (:func:`livelihoods.book.build.run_notebook`, papermill) two at a time, in
worker processes, in the background as soon as the session knows it needs them; a test waits
only for the run it reads. Each run writes blank coding sheets into its own folder.

A run's notebook gets one extra cell at the end that prints what the kernel glued for the prose
(:data:`livelihoods.analyses.show.GLUED`), so tests can compare the numbers a reader sees with
the package's functions.
"""

from __future__ import annotations

import json
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers import ROOT
from livelihoods.book import params
from livelihoods.book import registry

STUDENT_SHEET = ROOT / "tests" / "fixtures" / "coding" / "student_sheet.csv"
_DEFAULTS = {stem: params.defaults(stem) for stem in registry.REGISTRY}


def _each_choice(stem: str, name: str) -> dict[str, dict]:
    default = _DEFAULTS[stem][name]
    return {f"{name}={v}": {name: v} for v in params.spec(stem)[name].choices if v != default}


RUNS: dict[str, dict[str, dict[str, Any]]] = {
    "a_rationale": {"defaults": {}, **_each_choice("a_rationale", "figure_group")},
    "b_literature": {"defaults": {}, **_each_choice("b_literature", "stream")},
    "c_framework": {"defaults": {}, **_each_choice("c_framework", "highlight")},
    "d_methods": {
        "defaults": {},
        **_each_choice("d_methods", "organisation"),
        **_each_choice("d_methods", "grouping"),
        "World Bank by respondent": {"organisation": "World Bank", "grouping": "respondent"},
    },
    "d2_coding_lab": {
        "defaults": {},
        "one excerpt, seed 0": {"n_excerpts": 1, "seed": 0},
        "all excerpts, top seed, theme": {"n_excerpts": 35, "seed": 2**31 - 1, "level": "theme"},
        "middles, theme": {"n_excerpts": 18, "seed": 2**30, "level": "theme"},
        "KADO": {"organisation": "KADO"},
        "EP": {"organisation": "EP", "level": "theme"},
        "World Bank": {"organisation": "World Bank"},
        "student sheet, code": {"sheet": str(STUDENT_SHEET), "level": "code"},
        "student sheet, theme": {"sheet": str(STUDENT_SHEET), "level": "theme"},
    },
    "e1_drivers": {"defaults": {}, **_each_choice("e1_drivers", "organisation")},
    "e2_barriers": {"defaults": {}, **_each_choice("e2_barriers", "barrier")},
    "e3_institutions": {"defaults": {}, **_each_choice("e3_institutions", "force")},
    "e4_impact": {
        "defaults": {},
        # lower bounds, with all of the rest struggling
        "lower bounds": {
            "dropout_share": 0.0,
            "rupees_per_usd": 50.0,
            "hours_per_month": 20,
            "split_struggling": 1.0,
            "split_surviving": 0.0,
            "split_swimming": 0.0,
        },
        # upper bounds, with all of the rest surviving (nobody takes up freelancing at dropout_share 1)
        "upper bounds": {
            "dropout_share": 1.0,
            "rupees_per_usd": 300.0,
            "hours_per_month": 240,
            "split_struggling": 0.0,
            "split_surviving": 1.0,
            "split_swimming": 0.0,
        },
        # middle values, with all of the rest swimming
        "middles": {
            "dropout_share": 0.5,
            "rupees_per_usd": 175.0,
            "hours_per_month": 130,
            "split_struggling": 0.0,
            "split_surviving": 0.0,
            "split_swimming": 1.0,
        },
        # the middle value 0.5 of each split share
        "half struggling": {"split_struggling": 0.5, "split_surviving": 0.5, "split_swimming": 0.0},
        "half swimming": {"split_struggling": 0.0, "split_surviving": 0.5, "split_swimming": 0.5},
        # the documented alternative rate
        "official rate": {"rupees_per_usd": 104.769},
    },
    "f_conclusions": {
        "defaults": {},
        "RQ1, min 1": {"research_question": "RQ1", "min_voices": int(params.spec("f_conclusions")["min_voices"].low)},
        "RQ2, min 3": {"research_question": "RQ2", "min_voices": 3},
        "RQ3, min 5": {"research_question": "RQ3", "min_voices": int(params.spec("f_conclusions")["min_voices"].high)},
    },
    "g_debates": {
        "defaults": {},
        "lower bounds": {
            "cohort_size": 10,
            "cost_per_trainee_usd": 50.0,
            "dropout_share": 0.0,
            "split_struggling": 1.0,
            "split_surviving": 0.0,
            "split_swimming": 0.0,
        },
        "upper bounds": {
            "cohort_size": 40000,
            "cost_per_trainee_usd": 5000.0,
            "dropout_share": 1.0,
            "split_struggling": 0.0,
            "split_surviving": 1.0,
            "split_swimming": 0.0,
        },
        "middles": {
            "cohort_size": 20005,
            "cost_per_trainee_usd": 2525.0,
            "dropout_share": 0.5,
            "split_struggling": 0.0,
            "split_surviving": 0.0,
            "split_swimming": 1.0,
        },
        "half struggling": {"split_struggling": 0.5, "split_surviving": 0.5, "split_swimming": 0.0},
        "half swimming": {"split_struggling": 0.0, "split_surviving": 0.5, "split_swimming": 0.5},
    },
}

_GLUED_CELL = (
    "import json\nfrom IPython.display import display\nfrom livelihoods.analyses import show\n"
    "display({'application/json': json.loads(json.dumps(show.GLUED, default=str))}, raw=True)"
)


def _execute(stem: str, parameters: dict, folder: str) -> str:
    """Worker: run one chapter with papermill (the package's path), its glued values printed at the end."""
    import nbformat

    from livelihoods.analyses.markup import MODE_ENV
    from livelihoods.book import run

    os.environ.pop(MODE_ENV, None)  # what a student's kernel does: plain Markdown, values kept for the prose
    os.environ["LIVELIHOODS_LAB_DIR"] = str(Path(folder) / "lab")
    nb = nbformat.read(str(ROOT / "notebooks" / f"{stem}.ipynb"), as_version=4)
    cell = nbformat.v4.new_code_cell(_GLUED_CELL)
    cell.metadata["tags"] = ["test-glued"]
    cell["id"] = "test-glued"
    nb.cells.append(cell)
    source = Path(folder) / f"{stem}.ipynb"
    source.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(source))
    out = Path(folder) / f"{stem}-executed.ipynb"
    run.run_notebook(source, parameters, out, timeout=300)
    return out.read_text(encoding="utf-8")


@dataclass
class Run:
    """One executed chapter: the notebook as JSON, what it glued, and where its blank sheets went."""

    stem: str
    parameters: dict
    nb: dict
    folder: Path

    @property
    def glued(self) -> dict[str, Any]:
        for cell in self.nb["cells"]:
            if "test-glued" in cell.get("metadata", {}).get("tags", []):
                for output in cell.get("outputs", []):
                    if "application/json" in output.get("data", {}):
                        return output["data"]["application/json"]
        raise AssertionError(f"{self.stem}: the glued values were not printed")

    def outputs(self, *mimes: str) -> str:
        """The text of every output of the given kinds (all text kinds when none is given)."""
        kinds = mimes or ("text/markdown", "text/html", "text/plain")
        parts = []
        for cell in self.nb["cells"]:
            for output in cell.get("outputs", []):
                for kind in kinds:
                    value = output.get("data", {}).get(kind)
                    if value is not None:
                        parts.append("".join(value) if isinstance(value, list) else str(value))
                if "text" in output and not mimes:
                    parts.append("".join(output["text"]))
        return "\n".join(parts)

    def output_of(self, code: str, mime: str = "text/markdown") -> str:
        """The output of the one cell whose source contains ``code`` (e.g. a function's name)."""
        found = [c for c in self.nb["cells"] if c["cell_type"] == "code" and code in "".join(c["source"])]
        assert len(found) == 1, f"{self.stem}: {len(found)} cells call {code!r}"
        return "\n".join(
            "".join(o["data"][mime]) if isinstance(o["data"][mime], list) else o["data"][mime]
            for o in found[0].get("outputs", [])
            if mime in o.get("data", {})
        )

    @property
    def markdown(self) -> str:
        return self.outputs("text/markdown")

    def images(self) -> set[str]:
        """The names of the figures (``mystnb.figure.name``) whose cell printed an image."""
        names = set()
        for cell in self.nb["cells"]:
            name = cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("name")
            if name and any(k.startswith("image/") for o in cell.get("outputs", []) for k in o.get("data", {})):
                names.add(name)
        return names

    def errors(self) -> list[str]:
        return [
            f"{o.get('ename')}: {o.get('evalue')}"
            for c in self.nb["cells"]
            for o in c.get("outputs", [])
            if o.get("output_type") == "error"
        ]


class Runs:
    """The session's executions, keyed by chapter and run name; started in the background, two at a time."""

    def __init__(self, folder: Path, workers: int = 2):
        self.folder = folder
        self._pool: ProcessPoolExecutor | None = None
        self._futures: dict[tuple[str, str], Future] = {}
        self._lock = threading.Lock()
        self._workers = workers

    def _submit(self, stem: str, name: str) -> Future:
        with self._lock:
            key = (stem, name)
            if key not in self._futures:
                if self._pool is None:
                    self._pool = ProcessPoolExecutor(max_workers=self._workers)
                slug = "".join(ch if ch.isalnum() else "-" for ch in name)
                self._futures[key] = self._pool.submit(_execute, stem, RUNS[stem][name], str(self.folder / stem / slug))
            return self._futures[key]

    def prefetch(self, stems: list[str], only_defaults: bool = False) -> None:
        for stem in stems:
            for name in ["defaults"] if only_defaults else RUNS[stem]:
                self._submit(stem, name)

    def wait(self) -> None:
        """Wait until every run started so far has ended (a failed run is reported by the test that reads it)."""
        with self._lock:
            futures = list(self._futures.values())
        for future in futures:
            future.exception()

    def get(self, stem: str, name: str = "defaults") -> Run:
        """The chapter run with that name (see :data:`RUNS`), waiting for it if it is still running."""
        future = self._submit(stem, name)
        text = future.result()
        slug = "".join(ch if ch.isalnum() else "-" for ch in name)
        return Run(stem, RUNS[stem][name], json.loads(text), self.folder / stem / slug)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
