"""``livelihoods assign``: one notebook per student of a roster, with the educator's parameters injected.

Each student's copy is the chapter's runnable notebook with the parameters injected by papermill's
prepare-only mode (and, when the chapter has a ``seed`` parameter, a seed derived from the student
id) and the solution cells removed; an instructor copy keeps the solutions; a manifest and a zip to
upload to a learning platform complete the folder. Everything is checked before anything is
written, the folder is built beside ``--out`` and renamed into place, and two runs give
byte-identical files. Rosters are read by :mod:`livelihoods.teach.roster`; handouts and bundles are
:mod:`livelihoods.teach.handout` and :mod:`livelihoods.teach.bundle`.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from livelihoods import files
from livelihoods.book.myst import (
    SOLUTION_TAG,
    strip_solutions,
    untagged_solutions,
)
from livelihoods.errors import LivelihoodsError
from livelihoods.paths import require_root
from livelihoods.teach.roster import read_roster, seed_for

#: Top-level names ``assign`` writes into its output folder.
STUDENTS_DIR, INSTRUCTOR_DIR, MANIFEST = "students", "instructor", "manifest.csv"
MANIFEST_COLUMNS = ("student", "file", "parameters", "seed", "checksum")
GLUE_PREFIX = "application/papermill.record/"


# ---------------------------------------------------------------------------------------------
# Solutions
# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# The roster
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# assign
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    """What ``assign`` wrote."""

    out: Path
    chapter: str
    students: int
    zip: Path
    seconds: float


def _prepare(nb: Any, stem: str, parameters: dict[str, Any], relpath: str, note: str, meta: dict[str, Any]) -> bytes:
    """One notebook with its parameters injected by papermill's prepare-only mode (nothing runs).

    Papermill stamps a random cell id on the injected cell and the input/output paths in the
    metadata; both are replaced by fixed values so the file depends only on its inputs.
    """
    import nbformat
    import papermill as pm

    if parameters:
        nb = pm.execute_notebook(
            nb, None, parameters=parameters, prepare_only=True, progress_bar=False, log_output=False
        )
    else:
        nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if "injected-parameters" in (cell.metadata.get("tags") or []):
            cell["id"] = "injected-parameters"
    nb.metadata.setdefault("papermill", {})
    nb.metadata.papermill["input_path"] = f"notebooks/{stem}.ipynb"
    nb.metadata.papermill["output_path"] = relpath
    nb.metadata["livelihoods"] = meta
    note_cell = nbformat.v4.new_markdown_cell(note)
    note_cell["id"] = "assignment-note"
    note_cell.metadata["tags"] = ["assignment-note"]
    nb.cells.insert(0, note_cell)
    return (nbformat.writes(nb) + "\n").encode("utf-8")


def _describe(values: dict[str, Any]) -> str:
    return ", ".join(f"{k} = {v!r}" for k, v in values.items()) or "none"


def assign(
    chapter: str,
    roster: Path,
    out: Path,
    pairs: Iterable[tuple[str, str]] = (),
    force: bool = False,
    root: Path | None = None,
) -> Assignment:
    """Write one notebook per student, an instructor edition, a manifest and an upload zip into ``out``.

    All inputs are checked first (chapter, parameters, roster, output folder); the files are built
    in a temporary folder beside ``out`` and renamed into place only when all are written.
    """
    import nbformat

    from livelihoods.book import run
    from livelihoods.book import params

    start = time.perf_counter()
    root = Path(root) if root is not None else require_root()
    roster, out = Path(roster), Path(out)
    path = run.resolve_notebook(root, chapter)
    stem = path.stem
    spec = params.spec(stem)
    chosen = params.parse_cli_pairs(stem, pairs)
    base = params.validate(stem, **{**params.defaults(stem), **chosen})
    files.check_output_dir(out, force=force, inputs=[roster, path], command="assign")
    students = read_roster(roster)
    nb = nbformat.read(str(path), as_version=4)
    leaks = untagged_solutions(nb)
    if leaks:
        raise LivelihoodsError(
            f"{path.name}: cell {leaks[0]} holds a {{solution}} directive but is not tagged "
            f"'{SOLUTION_TAG}', so it would reach the students: tag it"
        )
    student_nb = strip_solutions(nb)
    seed_param = spec.get("seed")
    per_student_seed = seed_param is not None and "seed" not in chosen

    outputs: dict[str, bytes] = {}
    rows = []
    for s in students:
        values = dict(base)
        if per_student_seed:
            values["seed"] = seed_for(stem, s.id, seed_param)
        params.validate(stem, **values)
        rel = f"{STUDENTS_DIR}/{stem}-{s.id}.ipynb"
        who = f"{s.name} ({s.id})" if s.name else s.id
        note = (
            f"*Assignment copy of this chapter for **{who}**, prepared with `livelihoods assign`. "
            f"Parameters: {_describe(values)} (in the cell tagged `injected-parameters`: leave it as it is "
            f"unless you are asked to change it). The exercises' solutions are not included.*"
        )
        meta = {"chapter": stem, "edition": "student", "student": s.id}
        data = _prepare(student_nb, stem, values, rel, note, meta)
        outputs[rel] = data
        rows.append(
            {
                "student": s.id,
                "file": rel,
                "parameters": json.dumps(values, sort_keys=True, ensure_ascii=False),
                "seed": "" if seed_param is None else str(values["seed"]),
                "checksum": hashlib.sha256(data).hexdigest(),
            }
        )
    inst_rel = f"{INSTRUCTOR_DIR}/{stem}-instructor.ipynb"
    note = (
        f"*Instructor edition of this chapter, with the solutions: do not hand it to students. "
        f"Parameters: {_describe(base)}"
        + ("; each student's notebook has its own seed (see manifest.csv)" if per_student_seed else "")
        + ".*"
    )
    outputs[inst_rel] = _prepare(nb, stem, base, inst_rel, note, {"chapter": stem, "edition": "instructor"})
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    outputs[MANIFEST] = buf.getvalue().encode("utf-8")
    zip_name = f"{stem}-students.zip"
    outputs[zip_name] = files.zip_bytes([(r["file"].split("/", 1)[1], outputs[r["file"]]) for r in rows])
    outputs[files.MARKER] = files.marker_bytes("assign", outputs)

    tmp = files.build_beside(out)
    try:
        for rel, data in outputs.items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        files.replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Assignment(out, stem, len(students), out / zip_name, time.perf_counter() - start)


# ---------------------------------------------------------------------------------------------
# bundle
# ---------------------------------------------------------------------------------------------
