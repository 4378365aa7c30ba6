"""The coding-lab chapter under papermill, and the `livelihoods agreement` command on the student fixture.

Every allowed value of every parameter runs (numbers: both bounds and a middle value), combined so
that the number of runs stays small; each invalid value stops at the chapter.start cell with a
ParameterError naming the parameter. Blank sheets go to a temporary folder (LIVELIHOODS_LAB_DIR,
inherited by the kernel), never into the repository.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import ROOT
from livelihoods.qda import agreement, dictionary, lab, sheets, template
from test_coding import STUDENT_CODE_LEVEL

NOTEBOOK = ROOT / "notebooks" / "d2_coding_lab.ipynb"
STUDENT = ROOT / "tests" / "fixtures" / "coding" / "student_sheet.csv"


def execute(tmp_path, monkeypatch, **parameters):
    import papermill as pm

    monkeypatch.setenv(lab.LAB_DIR_ENV, str(tmp_path / "lab"))
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters=parameters, cwd=str(NOTEBOOK.parent),
                        kernel_name="python3", progress_bar=False, execution_timeout=300)
    return json.loads(out.read_text(encoding="utf-8"))


def glued(nb: dict) -> dict[str, str]:
    """Every value glued for the prose: name -> its text/plain."""
    out = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook", {})
            if meta.get("name"):
                key = meta.get("mime_prefix", "") + "text/plain"
                out[meta["name"]] = "".join(output["data"].get(key, ""))
    return out


def text_of(nb: dict) -> str:
    parts = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            for key in ("text/markdown", "text/plain", "text/html"):
                if key in output.get("data", {}):
                    parts.append("".join(output["data"][key]))
            if "text" in output:
                parts.append("".join(output["text"]))
    return "\n".join(parts)


RUNS = {
    "defaults": {},
    "one excerpt, seed 0": {"n_excerpts": 1, "seed": 0},
    "all excerpts, top seed, theme": {"n_excerpts": 35, "seed": 2**31 - 1, "level": "theme"},
    "middle seed, theme": {"seed": 123456, "level": "theme"},
    "KADO": {"organisation": "KADO"},
    "EP": {"organisation": "EP", "level": "theme"},
    "World Bank": {"organisation": "World Bank"},
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(RUNS))
def test_runs(name, tmp_path, monkeypatch):
    values = RUNS[name]
    nb = execute(tmp_path, monkeypatch, **values)
    n = values.get("n_excerpts", 10)
    organisation = values.get("organisation", "all")
    sample = lab.lab_sample(n, values.get("seed", 2017), organisation)
    # the blank sheets for this draw are in the lab folder, and the sheet compared is the example on the sample
    written = sorted(p.name for p in (tmp_path / "lab").iterdir())
    assert written == sorted([f"{sample.stem()}.csv", f"{sample.stem()}-spreadsheet.csv"])
    values_glued = glued(nb)
    expected = agreement.compare_sheet(lab.lab_sheet(None, sample.excerpt_ids), "reference",
                                    level=values.get("level", "code"))
    assert float(values_glued["sheet_kappa"]) == pytest.approx(expected.kappa)
    assert int(values_glued["n_compared"]) == len(sample.excerpt_ids)
    baseline = dictionary.dictionary_baseline(dictionary.dictionary_coding(), values.get("level", "code"))
    assert float(values_glued["dict_kappa"]) == pytest.approx(baseline.kappa)
    page = text_of(nb)
    assert "example sheet" in page
    assert any("image/png" in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))
    if organisation == "World Bank":
        assert "only 2 excerpts come from World Bank respondents" in page


@pytest.mark.slow
@pytest.mark.parametrize("level", ["code", "theme"])
def test_runs_with_the_student_sheet(level, tmp_path, monkeypatch):
    nb = execute(tmp_path, monkeypatch, sheet=str(STUDENT), level=level)
    values = glued(nb)
    expected = agreement.compare_sheet(sheets.read_sheet(STUDENT), "reference", level=level)
    # hand-worked in tests/test_coding.py: code level 5550/8850, theme level 2092/2692
    assert float(values["sheet_kappa"]) == pytest.approx(5550 / 8850 if level == "code" else 2092 / 2692)
    assert float(values["sheet_kappa"]) == pytest.approx(expected.kappa)
    assert int(values["n_compared"]) == 10
    page = text_of(nb)
    assert "your sheet" in page and "student_sheet.csv" in page and "No sheet was given" not in page


INVALID = [
    ("n_excerpts", 0), ("n_excerpts", 36), ("n_excerpts", 2.5),
    ("seed", -1), ("seed", 2**31),
    ("level", "component"),
    ("organisation", "NUST"),
    ("sheet", "/no/such/folder/my-sheet.csv"),
]


@pytest.mark.slow
@pytest.mark.parametrize("name, value", INVALID, ids=[f"{n}={v}" for n, v in INVALID])
def test_invalid_value_stops_at_start(name, value, tmp_path, monkeypatch):
    import papermill as pm

    monkeypatch.setenv(lab.LAB_DIR_ENV, str(tmp_path / "lab"))
    out = tmp_path / "out.ipynb"
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(NOTEBOOK), str(out), parameters={name: value}, cwd=str(NOTEBOOK.parent),
                            kernel_name="python3", progress_bar=False, execution_timeout=120)
    assert err.value.ename == "ParameterError"
    message = err.value.evalue
    assert "\n" not in message.strip() and f"parameter {name!r}" in message and "expected" in message
    if name == "sheet":
        assert "no such file" in message
    nb = json.loads(out.read_text(encoding="utf-8"))
    failed = [c for c in nb["cells"] if c["cell_type"] == "code"
              and any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert len(failed) == 1 and 'chapter.start("d2_coding_lab"' in "".join(failed[0]["source"])
    assert not (tmp_path / "lab").exists()  # stopped before writing anything


def run_agreement(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "livelihoods.cli", "agreement", *args], cwd=ROOT,
                          capture_output=True, text=True)


def test_agreement_command_prints_the_hand_worked_per_code_figures():
    proc = run_agreement("tests/fixtures/coding/student_sheet.csv")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line.split()[1:] for line in proc.stdout.splitlines()
            if line.startswith("  ") and len(line.split()) >= 8 and line.split()[0] in template.level_categories("code")}
    assert len(rows) == 16  # the codes either coder used; the other 17 share one line
    for code, (both, a_only, b_only, neither, kappa, alpha) in STUDENT_CODE_LEVEL.items():
        agree = 100 * (both + neither) / 10
        assert rows[code] == [str(both), str(a_only), str(b_only), str(neither), f"{agree:.1f}%",
                              f"{kappa:.3f}", f"{alpha:.3f}"], code
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
