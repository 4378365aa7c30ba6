"""The class report: a whole class's coding sheets against the reference and against each other.

``livelihoods class-report SHEETS... --out DIR`` reads every sheet as ``livelihoods agreement``
does (sheets written by ``import-qdpx`` included) and writes an offline HTML page
(:mod:`.class_page`) and CSV tables:

* ``students.csv``: each student's agreement with the reference (percent, kappa, alpha, pooled
  over the excerpts the student coded and every category);
* ``codes.csv`` and ``code_kappas.csv``: per category, the spread of kappa across students,
  ranked from the most disputed (most students differing from the reference, then lowest mean kappa);
* ``excerpts.csv``: the excerpts ranked by how much the class disputed them, with how it split;
* ``pairs_kappa.csv`` and ``pairs_shared.csv``: student-by-student kappa on the excerpts both
  coded, and how many that is (students seeded per student by ``assign`` code different samples);
* the class's Krippendorff's alpha with every student as a coder (``krippendorff`` package;
  excerpts a student did not code are missing values).

Everything is computed from presence arrays (students x excerpts x categories) with the count
formulas of :func:`.agreement.statistics`, so two hundred sheets take a few seconds
(``bench/class_report.py``).
"""

from __future__ import annotations

import logging
import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from livelihoods import evidence, files
from livelihoods.errors import LivelihoodsError, SheetError
from livelihoods.qda import template
from livelihoods.qda.agreement import statistics
from livelihoods.qda.sheets import read_sheet, sheet_excerpts

log = logging.getLogger(__name__)

#: How many disputed excerpts the page shows (the CSV has them all).
TOP_EXCERPTS = 8


@dataclass
class ClassCoding:
    """A class's codings as arrays: ``present[s, e, c]`` is 1 when student ``s`` gave excerpt ``e``
    category ``c``; ``coded[s, e]`` when the student's sheet lists excerpt ``e``."""

    level: str
    students: list[str]
    sources: list[str]
    excerpt_ids: list[str]
    categories: list[str]
    coded: np.ndarray
    present: np.ndarray
    reference: np.ndarray
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.students)


def sheet_paths(given: Iterable[str | Path]) -> list[Path]:
    """The sheets named on the command line: files as given, folders as their ``*.csv`` files (sorted)."""
    out: list[Path] = []
    for item in given:
        p = Path(item)
        if p.is_dir():
            found = sorted(q for q in p.glob("*.csv") if q.is_file())
            if not found:
                raise LivelihoodsError(
                    f"{p}: a folder without coding sheets (*.csv): give the folder the sheets are in"
                )
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            raise SheetError(f"{p}: no such file or folder: check the path")
    unique = list(dict.fromkeys(q.resolve() for q in out))
    return [Path(q) for q in unique]


def _names(sheets: list[pd.DataFrame], paths: list[Path]) -> list[str]:
    """Each student's name: the sheet's coder, else its file name; made unique with the file name."""
    names = [str(s["coder"].iloc[0]) if len(s) else p.stem for s, p in zip(sheets, paths)]
    if len(set(names)) < len(names):
        names = [n if names.count(n) == 1 else f"{n} ({p.name})" for n, p in zip(names, paths)]
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} #{seen[n]}")
    return out


def load_class(paths: Sequence[Path], level: str = "code", skip_bad: bool = False) -> ClassCoding:
    """Read every sheet; a sheet that cannot be read stops everything, or with ``skip_bad`` is left out."""
    template.check_level(level)
    order = template.excerpt_order()
    ids = list(order)
    cats = template.level_categories(level)
    col = {c: j for j, c in enumerate(cats)}
    known = set(order)
    codebook = evidence.load_codebook()
    sheets, good, skipped = [], [], []
    for path in paths:
        try:
            sheets.append(read_sheet(path, known_excerpts=known, codebook=codebook))
            good.append(path)
        except SheetError as err:
            if not skip_bad:
                raise
            skipped.append((str(path), str(err)))
            log.warning("skipped %s", err)
    if not sheets:
        raise LivelihoodsError("no coding sheet could be read: nothing to report")
    coded = np.zeros((len(sheets), len(ids)), dtype=np.int64)
    present = np.zeros((len(sheets), len(ids), len(cats)), dtype=np.int64)
    for s, sheet in enumerate(sheets):
        coded[s, [order[e] for e in sheet_excerpts(sheet)]] = 1
        lifted = template.to_level(sheet, level)
        present[s, [order[e] for e in lifted["excerpt_id"]], [col[c] for c in lifted["code_id"]]] = 1
    ref = template.to_level(template.reference_codings(), level)
    reference = np.zeros((len(ids), len(cats)), dtype=np.int64)
    reference[[order[e] for e in ref["excerpt_id"]], [col[c] for c in ref["code_id"]]] = 1
    return ClassCoding(
        level, _names(sheets, good), [str(p) for p in good], ids, cats, coded, present, reference, skipped
    )


def _with_reference(data: ClassCoding) -> tuple[np.ndarray, ...]:
    """Per student and category: (both, student only, reference only, neither) over the excerpts coded."""
    both = np.einsum("sec,ec->sc", data.present, data.reference)
    a_only = data.present.sum(axis=1) - both
    b_only = data.coded @ data.reference - both
    neither = data.coded.sum(axis=1)[:, None] - both - a_only - b_only
    return both, a_only, b_only, neither


def student_table(data: ClassCoding) -> pd.DataFrame:
    """Each student's agreement with the reference, pooled over the excerpts they coded x every category."""
    counts = _with_reference(data)
    percent, kappa, alpha = statistics(*(c.sum(axis=1) for c in counts))
    return pd.DataFrame(
        {
            "student": data.students,
            "sheet": [Path(s).name for s in data.sources],
            "excerpts": data.coded.sum(axis=1),
            "percent_agreement": percent,
            "kappa": kappa,
            "alpha": alpha,
            "disagreements": (counts[1] + counts[2]).sum(axis=1),
        }
    )


def code_kappas(data: ClassCoding) -> pd.DataFrame:
    """Per student and category: the counts and kappa with the reference (NaN where undefined)."""
    both, a_only, b_only, neither = _with_reference(data)
    _, kappa, alpha = statistics(both, a_only, b_only, neither)
    s_idx, c_idx = np.indices(both.shape)
    return pd.DataFrame(
        {
            "student": np.asarray(data.students)[s_idx.ravel()],
            "category": np.asarray(data.categories)[c_idx.ravel()],
            "both": both.ravel(),
            "student_only": a_only.ravel(),
            "reference_only": b_only.ravel(),
            "neither": neither.ravel(),
            "kappa": kappa.ravel(),
            "alpha": alpha.ravel(),
        }
    )


def code_table(long: pd.DataFrame) -> pd.DataFrame:
    """Per category, the spread of kappa across students, the most disputed first: the category on
    which most students' coding differs from the reference, then the lowest mean kappa.

    Categories nobody disputed (and those whose kappa is undefined for every student: neither the
    students nor the reference used them on the excerpts coded) come last.
    """
    labels = template.labels()
    long = long.assign(disagreed=(long["student_only"] + long["reference_only"]) > 0)
    grouped = long.groupby("category", sort=False)
    table = pd.DataFrame(
        {
            "category": list(grouped.groups),
            "students_defined": grouped["kappa"].count().to_numpy(),
            "mean_kappa": grouped["kappa"].mean().to_numpy(),
            "median_kappa": grouped["kappa"].median().to_numpy(),
            "min_kappa": grouped["kappa"].min().to_numpy(),
            "max_kappa": grouped["kappa"].max().to_numpy(),
            "students_disagreeing": grouped["disagreed"].sum().to_numpy(),
        }
    )
    table.insert(1, "label", [labels.get(c, c) for c in table["category"]])
    rank = template.category_order()
    table["_rank"] = table["category"].map(rank)
    table = table.sort_values(
        ["students_disagreeing", "mean_kappa", "_rank"],
        ascending=[False, True, True],
        na_position="last",
        kind="mergesort",
    )
    return table.drop(columns="_rank").reset_index(drop=True)


def excerpt_table(data: ClassCoding) -> pd.DataFrame:
    """The excerpts the class coded, most disputed first: for two students drawn at random among
    those who coded it, the expected number of categories on which they differ."""
    labels = template.labels()
    ex = evidence.load_excerpts().set_index("excerpt_id")
    n = data.coded.sum(axis=0)
    k = data.present.sum(axis=0)  # (E, C): students who gave the category
    with np.errstate(divide="ignore", invalid="ignore"):
        dispute = np.where(n >= 2, (2 * k * (n[:, None] - k)).sum(axis=1) / (n * (n - 1)), np.nan)
    rows = []
    for e, eid in enumerate(data.excerpt_ids):
        if n[e] == 0:
            continue
        split = sorted(((int(k[e, c]), c) for c in range(len(data.categories)) if k[e, c]), key=lambda x: (-x[0], x[1]))
        ref = [data.categories[c] for c in np.flatnonzero(data.reference[e])]
        rows.append(
            {
                "excerpt_id": eid,
                "students": int(n[e]),
                "dispute": dispute[e],
                "class_split": "; ".join(
                    f"{labels.get(data.categories[c], data.categories[c])}: {cnt} of {n[e]}" for cnt, c in split
                )
                or "no category",
                "reference": ", ".join(labels.get(c, c) for c in ref) or "(none)",
                "attribution": ex.loc[eid, "attribution"],
                "text": ex.loc[eid, "text"],
            }
        )
    table = pd.DataFrame(
        rows, columns=["excerpt_id", "students", "dispute", "class_split", "reference", "attribution", "text"]
    )
    return table.sort_values(
        ["dispute", "students"], ascending=[False, False], na_position="last", kind="mergesort"
    ).reset_index(drop=True)


def pair_tables(data: ClassCoding) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Student-by-student kappa (pooled over the excerpts both coded x every category) and the
    number of excerpts each pair shares. A pair with nothing in common has kappa NaN."""
    s = data.n
    p = data.present.reshape(s, -1)
    m = np.repeat(data.coded, len(data.categories), axis=1)
    both = p @ p.T
    a_only = p @ m.T - both
    b_only = a_only.T
    shared = data.coded @ data.coded.T
    neither = shared * len(data.categories) - both - a_only - b_only
    _, kappa, _ = statistics(both, a_only, b_only, neither)
    index = pd.Index(data.students, name="student")
    return (
        pd.DataFrame(kappa, index=index, columns=data.students),
        pd.DataFrame(shared, index=index, columns=data.students),
    )


def class_alpha(data: ClassCoding) -> float:
    """Krippendorff's alpha (nominal) with every student a coder; units an excerpt x category, and
    a student's answer missing on the excerpts they did not code."""
    import krippendorff

    values = data.present.reshape(data.n, -1).astype(float)
    values[np.repeat(data.coded, len(data.categories), axis=1) == 0] = np.nan
    pairable = (~np.isnan(values)).sum(axis=0) >= 2
    if data.n < 2 or not pairable.any() or len(np.unique(values[:, pairable][~np.isnan(values[:, pairable])])) < 2:
        return math.nan
    return float(krippendorff.alpha(reliability_data=values[:, pairable], level_of_measurement="nominal"))


@dataclass
class ClassReport:
    """Everything the page and the CSV files show."""

    data: ClassCoding
    students: pd.DataFrame
    kappas: pd.DataFrame
    codes: pd.DataFrame
    excerpts: pd.DataFrame
    pairs_kappa: pd.DataFrame
    pairs_shared: pd.DataFrame
    alpha: float


def build_report(data: ClassCoding) -> ClassReport:
    kappas = code_kappas(data)
    pairs_kappa, pairs_shared = pair_tables(data)
    return ClassReport(
        data,
        student_table(data),
        kappas,
        code_table(kappas),
        excerpt_table(data),
        pairs_kappa,
        pairs_shared,
        class_alpha(data),
    )


def _csv(df: pd.DataFrame, index: bool = False) -> bytes:
    return df.to_csv(index=index, float_format="%.4f", lineterminator="\n").encode("utf-8")


def report_files(report: ClassReport) -> dict[str, bytes]:
    """The report's files by name: ``index.html`` and the CSV tables."""
    from livelihoods.qda.class_page import page_html  # matplotlib is imported only when a page is drawn

    out = {
        "students.csv": _csv(report.students),
        "codes.csv": _csv(report.codes),
        "code_kappas.csv": _csv(report.kappas),
        "excerpts.csv": _csv(report.excerpts),
        "pairs_kappa.csv": _csv(report.pairs_kappa, index=True),
        "pairs_shared.csv": _csv(report.pairs_shared, index=True),
    }
    if report.data.skipped:
        out["skipped.csv"] = _csv(pd.DataFrame(report.data.skipped, columns=["sheet", "problem"]))
    out["index.html"] = page_html(report, sorted(out)).encode("utf-8")
    return out


def write_report(report: ClassReport, out: Path) -> list[str]:
    """Build the report in a folder beside ``out`` and swap it into place (with the output marker)."""
    members = report_files(report)
    out.parent.mkdir(parents=True, exist_ok=True)
    built = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for name, payload in members.items():
            files.write_atomic(built / name, payload)
        files.write_atomic(built / files.MARKER, files.marker_bytes("class-report", members))
        files.replace_dir(built, out)
    except BaseException:
        import shutil

        shutil.rmtree(built, ignore_errors=True)
        raise
    return sorted(members)


def class_report(
    sheets: Iterable[str | Path],
    out: Path,
    level: str = "code",
    skip_bad: bool = False,
    force: bool = False,
    echo: Callable[[str], None] = log.info,
) -> str:
    """Read a class's sheets and write the report into ``out``; returns one line saying what was written.

    The output folder is checked before a sheet is read (never the repository's sources, never a
    folder holding the sheets, with ``force`` only a report this command wrote).
    """
    out = Path(out)
    paths = sheet_paths(sheets)
    files.check_output_dir(out, force=force, inputs=paths)
    echo(f"reading {len(paths)} coding sheet(s)")
    data = load_class(paths, level=level or "code", skip_bad=skip_bad)
    written = write_report(build_report(data), out)
    skipped = f"; skipped {len(data.skipped)} sheet(s) that could not be read" if data.skipped else ""
    return f"wrote {out}: index.html and {len(written) - 1} CSV tables for {data.n} students{skipped}"
