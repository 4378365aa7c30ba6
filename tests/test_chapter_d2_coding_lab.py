"""The coding-lab chapter's runs, and the `livelihoods agreement` command on the student fixture.

Every allowed value of every parameter runs (numbers: both bounds and a middle value), combined so
that the number of runs stays small (tests/chapter_runs.py); each invalid value is refused in one
line naming the parameter. Blank sheets go to each run's own folder (LIVELIHOODS_LAB_DIR, set by the
run's first cell), never into the repository.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from chapter_runs import RUNS
from helpers import ROOT, refused
from livelihoods.qda import agreement, dictionary, lab, sheets, template
from test_coding import STUDENT_CODE_LEVEL

STEM = "d2_coding_lab"
SOURCE = ROOT / "book" / "chapters" / "d2_coding_lab.md"  # what the content tests read
STUDENT = ROOT / "tests" / "fixtures" / "coding" / "student_sheet.csv"


LAB_RUNS = [name for name in RUNS[STEM] if not name.startswith("student sheet")]


@pytest.mark.slow
@pytest.mark.parametrize("name", LAB_RUNS)
def test_runs(runs, name):
    run = runs.get(STEM, name)
    values = run.parameters
    assert not run.errors()
    n = values.get("n_excerpts", 10)
    organisation = values.get("organisation", "all")
    sample = lab.lab_sample(n, values.get("seed", 2017), organisation)
    # the blank sheets for this draw are in the lab folder, and the sheet compared is the example on the sample
    written = sorted(p.name for p in (run.folder / "lab").iterdir())
    assert written == sorted([f"{sample.stem()}.csv", f"{sample.stem()}-spreadsheet.csv"])
    glued = run.glued
    expected = agreement.compare_sheet(
        lab.lab_sheet(None, sample.excerpt_ids), "reference", level=values.get("level", "code")
    )
    assert float(glued["sheet_kappa"]) == pytest.approx(expected.kappa)
    assert int(glued["n_compared"]) == len(sample.excerpt_ids)
    baseline = dictionary.dictionary_baseline(dictionary.dictionary_coding(), values.get("level", "code"))
    assert float(glued["dict_kappa"]) == pytest.approx(baseline.kappa)
    page = run.outputs()
    assert "example sheet" in page
    assert run.images()
    if organisation == "World Bank":
        assert "only 2 excerpts come from World Bank respondents" in page


@pytest.mark.slow
@pytest.mark.parametrize("level", ["code", "theme"])
def test_runs_with_the_student_sheet(runs, level):
    run = runs.get(STEM, f"student sheet, {level}")
    glued = run.glued
    expected = agreement.compare_sheet(sheets.read_sheet(STUDENT), "reference", level=level)
    # hand-worked in tests/test_coding.py: code level 5550/8850, theme level 2092/2692
    assert float(glued["sheet_kappa"]) == pytest.approx(5550 / 8850 if level == "code" else 2092 / 2692)
    assert float(glued["sheet_kappa"]) == pytest.approx(expected.kappa)
    assert int(glued["n_compared"]) == 10
    page = run.outputs()
    assert "your sheet" in page and "student_sheet.csv" in page and "No sheet was given" not in page


INVALID = [
    ("n_excerpts", 0),
    ("n_excerpts", 36),
    ("n_excerpts", 2.5),
    ("seed", -1),
    ("seed", 2**31),
    ("level", "component"),
    ("organisation", "NUST"),
    ("sheet", "/no/such/folder/my-sheet.csv"),
]


@pytest.mark.parametrize("name, value", INVALID, ids=[f"{n}={v}" for n, v in INVALID])
def test_invalid_value_is_refused(name, value):
    message = refused(STEM, **{name: value})
    assert f"parameter {name!r}" in message and "expected" in message
    if name == "sheet":
        assert "no such file" in message


def run_agreement(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "livelihoods.cli", "agreement", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_agreement_command_prints_the_hand_worked_per_code_figures():
    proc = run_agreement("tests/fixtures/coding/student_sheet.csv")
    assert proc.returncode == 0, proc.stderr
    rows = {
        line.split()[0]: line.split()[1:]
        for line in proc.stdout.splitlines()
        if line.startswith("  ") and len(line.split()) >= 8 and line.split()[0] in template.level_categories("code")
    }
    assert len(rows) == 16  # the codes either coder used; the other 17 share one line
    for code, (both, a_only, b_only, neither, kappa, alpha) in STUDENT_CODE_LEVEL.items():
        agree = 100 * (both + neither) / 10
        assert rows[code] == [
            str(both),
            str(a_only),
            str(b_only),
            str(neither),
            f"{agree:.1f}%",
            f"{kappa:.3f}",
            f"{alpha:.3f}",
        ], code
    (line,) = [line for line in proc.stdout.splitlines() if "used by neither coder" in line]
    folded = proc.stdout.split("used by neither coder (kappa and alpha undefined): ", 1)[1].split("\n\n")[0]
    unused = {c.strip() for c in " ".join(folded.split()).split(",")}
    assert line.strip().startswith("17 codes used by neither coder")
    assert unused == set(template.level_categories("code")) - set(STUDENT_CODE_LEVEL)
    assert "Cohen's kappa         0.627" in proc.stdout and "Krippendorff's alpha  0.628" in proc.stdout


def test_agreement_command_theme_level_and_a_bad_sheet(tmp_path):
    proc = run_agreement("tests/fixtures/coding/student_sheet.csv", "--level", "theme")
    assert proc.returncode == 0, proc.stderr
    line = next(line for line in proc.stdout.splitlines() if line.strip().startswith("push_drivers"))
    # hand-worked: both 2, B only 1, neither 7; kappa .28/.38 = .737, alpha 1 - 19/75 = .747
    assert line.split()[1:] == ["2", "0", "1", "7", "90.0%", "0.737", "0.747"]
    missing = run_agreement(str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    assert "no such file" in missing.stderr
