"""The class report (livelihoods class-report): figures checked against scikit-learn and krippendorff.

A class of 30 sheets is generated here: perturbed copies of the reference coding, each student on a
sample of their own (drawn with the student's seed, as ``assign`` does), with an error rate that grows
from the first student to the last. The expected kappas and the class alpha are computed in this file
from the generated sheets, independently of the package's arrays.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from livelihoods import cli, evidence, files
from livelihoods.qda import class_report, sheets, template

N_STUDENTS = 30


def make_class(folder: Path, n: int = N_STUDENTS, seed: int = 7) -> dict[str, dict[str, list[str]]]:
    """Write ``n`` perturbed sheets into ``folder``; return student -> excerpt -> codes as written."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    reference = template.codes_by_excerpt(template.reference_codings())
    leaves = evidence.codebook_leaves()
    written: dict[str, dict[str, list[str]]] = {}
    for i in range(n):
        name = f"s{i:02d}"
        ids = sheets.sample_excerpts(int(rng.integers(6, 30)), seed=1000 + i)
        rate = 0.02 + 0.4 * i / n
        coding = {}
        for e in ids:
            codes = [c for c in reference.get(e, []) if rng.random() > rate]
            if rng.random() < rate:
                codes.append(leaves[int(rng.integers(len(leaves)))])
            coding[e] = list(dict.fromkeys(codes))
        lines = ["excerpt_id,code_id"] + [f"{e},{' '.join(c)}" for e, c in coding.items()]
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        written[name] = coding
    return written


def vectors(coding: dict[str, list[str]], excerpt_ids: list[str], leaves: list[str]) -> np.ndarray:
    return np.array([int(c in coding.get(e, [])) for e in excerpt_ids for c in leaves])


def checksums(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class") / "sheets"
    written = make_class(folder)
    data = class_report.load_class(class_report.sheet_paths([folder]))
    return folder, written, data, class_report.build_report(data)


def test_each_students_kappa_and_alpha_equal_scikit_learn_and_krippendorff(klass):
    import krippendorff
    from sklearn.metrics import cohen_kappa_score

    _folder, written, _data, report = klass
    leaves = evidence.codebook_leaves()
    reference = template.codes_by_excerpt(template.reference_codings())
    students = report.students.set_index("student")
    assert sorted(students.index) == sorted(written)
    for name, coding in written.items():
        ids = list(coding)
        a, b = vectors(coding, ids, leaves), vectors(reference, ids, leaves)
        assert students.loc[name, "kappa"] == pytest.approx(cohen_kappa_score(a, b))
        assert students.loc[name, "alpha"] == pytest.approx(
            krippendorff.alpha(reliability_data=np.vstack([a, b]).astype(float), level_of_measurement="nominal")
        )
        assert students.loc[name, "percent_agreement"] == pytest.approx(100 * (a == b).mean())
        assert students.loc[name, "excerpts"] == len(ids)
    # the error rate grows along the class: the first five agree better than the last five
    kappas = [students.loc[n, "kappa"] for n in sorted(written)]
    assert np.mean(kappas[:5]) > np.mean(kappas[-5:])


def test_per_code_kappas_equal_scikit_learn_where_defined(klass):
    from sklearn.metrics import cohen_kappa_score

    _folder, written, _data, report = klass
    reference = template.codes_by_excerpt(template.reference_codings())
    long = report.kappas.set_index(["student", "category"])
    for name in ("s03", "s17", "s29"):
        ids = list(written[name])
        for code in ("no_alternative_livelihood", "gender_expectations", "swimming", "walled_garden"):
            a, b = vectors(written[name], ids, [code]), vectors(reference, ids, [code])
            got = long.loc[(name, code), "kappa"]
            if a.max() == a.min() == b.min() == b.max():
                assert math.isnan(got)  # undefined, never 0 or 1
            else:
                assert got == pytest.approx(cohen_kappa_score(a, b))
    codes = report.codes
    assert list(codes["students_disagreeing"]) == sorted(codes["students_disagreeing"], reverse=True)


def test_class_alpha_equals_the_krippendorff_package_with_missing_excerpts(klass):
    import krippendorff

    _folder, written, _data, report = klass
    leaves = evidence.codebook_leaves()
    all_ids = evidence.load_excerpts()["excerpt_id"].tolist()
    rows = []
    for name in sorted(written):
        values = vectors(written[name], all_ids, leaves).astype(float)
        coded = np.array([e in written[name] for e in all_ids for _c in leaves])
        values[~coded] = np.nan
        rows.append(values)
    expected = krippendorff.alpha(reliability_data=np.vstack(rows), level_of_measurement="nominal")
    assert report.alpha == pytest.approx(expected)


def test_pairs_are_compared_on_the_excerpts_they_share(klass):
    from sklearn.metrics import cohen_kappa_score

    _folder, written, _data, report = klass
    leaves = evidence.codebook_leaves()
    a, b = written["s01"], written["s02"]
    shared = [e for e in a if e in b]
    assert report.pairs_shared.loc["s01", "s02"] == len(shared) == report.pairs_shared.loc["s02", "s01"]
    if shared:
        assert report.pairs_kappa.loc["s01", "s02"] == pytest.approx(
            cohen_kappa_score(vectors(a, shared, leaves), vectors(b, shared, leaves))
        )


def test_disputed_excerpts_are_ranked_by_how_the_class_split(klass):
    _folder, written, _data, report = klass
    top = report.excerpts.iloc[0]
    coders = [w for w in written.values() if top["excerpt_id"] in w]
    assert top["students"] == len(coders)
    counts = pd.Series([c for w in coders for c in w[top["excerpt_id"]]]).value_counts()
    n = len(coders)
    expected = sum(2 * k * (n - k) for k in counts) / (n * (n - 1))
    assert top["dispute"] == pytest.approx(expected)
    assert report.excerpts["dispute"].dropna().is_monotonic_decreasing


def test_cli_writes_the_page_and_tables(klass, tmp_path, capsys):
    folder, written, _data, _report = klass
    out = tmp_path / "report"
    assert cli.main(["class-report", str(folder), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip().startswith(f"wrote {out}") and captured.out.count("\n") == 1
    names = {p.name for p in out.iterdir()}
    assert {"index.html", "students.csv", "codes.csv", "excerpts.csv", "pairs_kappa.csv", files.MARKER} <= names
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count("<img ") == 4 and page.count("<figcaption>") == 4 and 'alt=""' not in page
    assert "http://" not in page.replace('href="http', "") and "<script" not in page
    top = pd.read_csv(out / "excerpts.csv").iloc[0]
    text = evidence.load_excerpts().set_index("excerpt_id").loc[top["excerpt_id"], "text"]
    import html

    assert html.escape(text) in page  # the most disputed excerpt, verbatim
    assert len(pd.read_csv(out / "students.csv")) == len(written)
    # again: refused without --force, replaced with it (the folder is the command's own)
    assert cli.main(["class-report", str(folder), "--out", str(out)]) == 2
    assert cli.main(["class-report", str(folder), "--out", str(out), "--force"]) == 0


def test_a_bad_sheet_is_refused_in_one_line_or_skipped_and_named(tmp_path, capsys):
    folder = tmp_path / "sheets"
    make_class(folder, n=4)
    bad = folder / "s99.csv"
    bad.write_text("excerpt_id,code_id\nEX01,physical_vulnerability\nEX01,not_a_code\n", encoding="utf-8")
    out = tmp_path / "report"
    assert cli.main(["class-report", str(folder), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and err[0].startswith("reading 5 coding sheet")  # progress, then the one line
    assert err[1].startswith("livelihoods class-report: error:") and str(bad) in err[1] and "not_a_code" in err[1]
    assert not out.exists()
    assert cli.main(["class-report", str(folder), "--out", str(out), "--skip-bad"]) == 0
    captured = capsys.readouterr()
    assert "skipped 1 sheet" in captured.out and f"skipped {bad}" in captured.err
    assert str(bad) in (out / "index.html").read_text(encoding="utf-8")
    assert pd.read_csv(out / "skipped.csv")["sheet"].tolist() == [str(bad)]
    assert len(pd.read_csv(out / "students.csv")) == 4


def test_sheets_from_import_qdpx_and_the_projects_codings_are_read(tmp_path, capsys):
    from livelihoods.paths import data_dir

    project, imported = tmp_path / "p.qdpx", tmp_path / "imported.csv"
    assert cli.main(["export-qdpx", "--out", str(project)]) == 0
    assert cli.main(["import-qdpx", str(project), "--out", str(imported)]) == 0
    out = tmp_path / "report"
    assert cli.main(["class-report", str(imported), str(data_dir() / "codings.csv"), "--out", str(out)]) == 0
    students = pd.read_csv(out / "students.csv").set_index("sheet")
    assert students.loc["imported.csv", "kappa"] == pytest.approx(1.0)
    assert students.loc["codings.csv", "kappa"] == pytest.approx(1.0)


def test_out_never_replaces_sources_inputs_or_unrelated_files(tmp_path, capsys):
    from livelihoods.paths import repo_root

    folder = tmp_path / "sheets"
    make_class(folder, n=3)
    unrelated = tmp_path / "mine"
    unrelated.mkdir()
    (unrelated / "thesis.txt").write_text("my work", encoding="utf-8")
    watched = [folder, unrelated] + ([repo_root() / "data"] if repo_root() else [])
    before = {str(f): checksums(f) for f in watched}
    for target in [unrelated, folder] + ([repo_root() / "data", repo_root() / "notebooks"] if repo_root() else []):
        assert cli.main(["class-report", str(folder), "--out", str(target), "--force"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "error: --out" in err  # one line, before any progress: refused first
    assert {str(f): checksums(f) for f in watched} == before


def test_files_have_the_mode_the_umask_gives(tmp_path):
    import os
    import stat

    folder = tmp_path / "sheets"
    make_class(folder, n=2)
    old = os.umask(0o022)
    try:
        out = tmp_path / "report"
        assert cli.main(["class-report", str(folder), "--out", str(out)]) == 0
        assert (
            cli.main(["export-qdpx", "--out", str(tmp_path / "p.qdpx"), "--codebook-only", str(tmp_path / "c.qdc")])
            == 0
        )
        assert cli.main(["import-qdpx", str(tmp_path / "p.qdpx"), "--out", str(tmp_path / "s.csv")]) == 0
        modes = {
            p.name: stat.S_IMODE(p.stat().st_mode)
            for p in [*out.iterdir(), tmp_path / "p.qdpx", tmp_path / "c.qdc", tmp_path / "s.csv"]
        }
        assert set(modes.values()) == {0o644}, modes
        assert stat.S_IMODE(out.stat().st_mode) == 0o755
        os.umask(0o077)
        sheets.write_blank_sheet(tmp_path / "blank.csv", ["EX01"])
        assert stat.S_IMODE((tmp_path / "blank.csv").stat().st_mode) == 0o600
    finally:
        os.umask(old)
