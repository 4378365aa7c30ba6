"""Executions of the runnable notebooks, run once per test session and shared by every test that reads them.

Every chapter runs once per distinct parameter set: the defaults, and the sets listed in
:data:`RUNS` (which together reach every allowed value of every parameter: each choice, and the
bounds and a middle value of each number; ``test_notebooks.py`` checks that). The runs go through
papermill's parameter injection and nbclient, each chapter's runs one after another in one kernel
(as a student changes a parameter and runs all again; :func:`_execute_chapter` says why), two
chapters at a time in worker processes, in the background as soon as the session knows it needs
them. Each run writes blank coding sheets into its own folder.

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


def _notebook(stem: str, parameters: dict, folder: Path):
    """The chapter's runnable notebook as a student would run it with these parameters (papermill injects
    them), plus two test cells: the first points the coding lab's blank sheets at the run's own folder,
    the last prints the values the kernel glued for the prose."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(ROOT / "notebooks" / f"{stem}.ipynb"))  # as papermill reads it (every cell tagged)
    first = nbformat.v4.new_code_cell(f"import os\nos.environ['LIVELIHOODS_LAB_DIR'] = {str(folder / 'lab')!r}")
    first.metadata["tags"] = ["test-lab-dir"]
    first["id"] = "test-lab-dir"
    last = nbformat.v4.new_code_cell(_GLUED_CELL)
    last.metadata["tags"] = ["test-glued"]
    last["id"] = "test-glued"
    nb.cells = [first, *nb.cells, last]
    return parameterize_notebook(nb, parameters, kernel_name="python3") if parameters else nb


def _execute_chapter(stem: str, runs: list[tuple[str, dict, str]]) -> dict[str, tuple[bool, str]]:
    """Worker: run one chapter once per parameter set, one run after another in the same kernel.

    That is what a student does in JupyterLab: change a parameter, then Run All, without restarting the
    kernel. Each run executes every cell from the top in order, so a run that depended on what an
    earlier run left behind in the kernel would be a bug a student meets too; the first run of each
    chapter (its defaults) starts from a fresh kernel, as the book build and ``livelihoods run`` do.
    One kernel per chapter instead of one per run saves its start and the chapter's imports, about a
    second of CPU for each of some sixty runs. The kernel is started as the package starts its kernels
    (:mod:`livelihoods.book.kernels`: private sockets, a new one if it dies before replying).

    Returns {run name: (True, executed notebook as JSON) or (False, the error in one line)}.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    from livelihoods.analyses.markup import MODE_ENV
    from livelihoods.book import kernels
    from livelihoods.book.execute import KERNEL_ARGS, KERNEL_SHUTDOWN

    os.environ.pop(MODE_ENV, None)  # what a student's kernel does: plain Markdown, values kept for the prose
    results: dict[str, tuple[bool, str]] = {}
    todo = list(runs)

    def batch(options: dict) -> None:
        client = NotebookClient(
            nbformat.v4.new_notebook(),
            timeout=300,
            resources={"metadata": {"path": str(ROOT / "notebooks")}},
            extra_arguments=KERNEL_ARGS,
            shutdown_kernel=KERNEL_SHUTDOWN,
            **options,
        )
        with client.setup_kernel():
            while todo:
                name, parameters, folder = todo[0]
                out = Path(folder)
                out.mkdir(parents=True, exist_ok=True)
                nb = _notebook(stem, parameters, out)
                client.nb = nb
                client.reset_execution_trackers()
                info = client.wait_for_reply(client.kc.kernel_info())
                nb.metadata["language_info"] = info["content"]["language_info"]
                try:
                    for index, cell in enumerate(nb.cells):
                        client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                except CellExecutionError as err:
                    results[name] = (False, f"{stem} ({name}) failed: {err.ename}: {err.evalue}")
                else:
                    text = nbformat.writes(nb)
                    (out / f"{stem}-executed.ipynb").write_text(text, encoding="utf-8")
                    results[name] = (True, text)
                todo.pop(0)

    while todo:
        try:
            kernels.with_fresh_kernel(batch, stem)
        except DeadKernelError as err:  # the run in progress fails; the rest start over in a new kernel
            name = todo.pop(0)[0]
            results[name] = (False, f"{stem} ({name}): the kernel died: {err}")
    return results


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
    """The session's executions, keyed by chapter and run name; started in the background, two chapters at a
    time, each chapter's runs in one kernel (:func:`_execute_chapter`)."""

    def __init__(self, folder: Path, workers: int = 2):
        self.folder = folder
        self._pool: ProcessPoolExecutor | None = None
        self._futures: dict[tuple[str, str], Future] = {}
        self._lock = threading.Lock()
        self._workers = workers

    def _slug(self, name: str) -> str:
        return "".join(ch if ch.isalnum() else "-" for ch in name)

    def _submit(self, stem: str, names: list[str]) -> None:
        """Start the runs of ``names`` not started yet, as one batch in one kernel."""
        with self._lock:
            names = [name for name in names if (stem, name) not in self._futures]
            if not names:
                return
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=self._workers)
            runs = [(name, RUNS[stem][name], str(self.folder / stem / self._slug(name))) for name in names]
            future = self._pool.submit(_execute_chapter, stem, runs)
            for name in names:
                self._futures[(stem, name)] = future

    def prefetch(self, stems: list[str], only_defaults: bool = False) -> None:
        # the defaults first: the first run of a kernel is the one that starts fresh
        for stem in stems:
            self._submit(stem, ["defaults"] if only_defaults else list(RUNS[stem]))

    def wait(self) -> None:
        """Wait until every run started so far has ended (a failed run is reported by the test that reads it)."""
        with self._lock:
            futures = set(self._futures.values())
        for future in futures:
            future.exception()

    def get(self, stem: str, name: str = "defaults") -> Run:
        """The chapter run with that name (see :data:`RUNS`), waiting for it if it is still running."""
        self._submit(stem, [name])
        ok, text = self._futures[(stem, name)].result()[name]
        if not ok:
            raise AssertionError(text)
        return Run(stem, RUNS[stem][name], json.loads(text), self.folder / stem / self._slug(name))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
