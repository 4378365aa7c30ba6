"""livelihoods assign and handout: rosters, per-student notebooks, reproducibility, offline handouts."""

from __future__ import annotations

import ast
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

import background
from helpers import ROOT, cell_source, load_nb, normalise_for_search, text_fragments
from livelihoods import files
from livelihoods.book import myst
from livelihoods.teach import assign, handout
from livelihoods.teach import roster as rosters
from livelihoods.book import params
from livelihoods.book import registry
from livelihoods.cli import main
from livelihoods.errors import LivelihoodsError
from livelihoods.book.registry import Param

CHAPTER = "d_methods"
NOTEBOOK = ROOT / "notebooks" / f"{CHAPTER}.ipynb"


def write_roster(path: Path, n: int, header: str = "id,name") -> Path:
    rows = [header] + [f"s{i:03d},Student {i}" for i in range(1, n + 1)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def solution_fragments() -> list[str]:
    nb = load_nb(ROOT / "book" / "chapters" / f"{CHAPTER}.md")  # the source: its solutions are MyST directives
    frags = [f for text in myst.solution_texts(nb) for f in text_fragments(text)]
    assert frags, "d_methods has solutions, so there must be fragments to search for"
    return frags


# --------------------------------------------------------------------------------------------
# The roster: each bad case is one clear line, and nothing is written
# --------------------------------------------------------------------------------------------

BAD_ROSTERS = {
    "missing": (None, "not found"),
    "workbook": (b"PK\x03\x04\x14\x00\x06\x00 some xlsx bytes", "spreadsheet workbook, not CSV"),
    "latin1": ("id,name\ns001,Jos\u00e9\n".encode("latin-1"), "line 2: not UTF-8"),
    "binary": (b"id\x00name\n", "not a text file"),
    "no_id_column": (b"student,name\ns001,A\n", "no 'id' column (found 'student', 'name')"),
    "duplicate": (b"id,name\ns001,A\ns002,B\ns001,C\n", "line 4: id 's001' appears twice (line 2)"),
    "case_duplicate": (b"id\nAbc\nabc\n", "line 3: id 'abc' differs from 'Abc' only in case"),
    "empty_file": (b"", "is empty"),
    "header_only": (b"id,name\n\n", "has a header but no students"),
    "empty_id": (b"id,name\n,Nobody\n", "line 2: id '' cannot be used in a file name (it is empty)"),
    "slash": (b"id\nclass/1\n", "line 2: id 'class/1' cannot be used in a file name"),
    "space": (b"id\nAli Khan\n", "id 'Ali Khan' cannot be used"),
    "dotfile": (b"id\n.hidden\n", "id '.hidden' cannot be used"),
    "reserved": (b"id\nCON\n", "reserved device name"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROSTERS))
def test_bad_roster_is_one_clear_line_and_writes_nothing(case, tmp_path, capsys):
    content, expected = BAD_ROSTERS[case]
    roster = tmp_path / "roster.csv"
    if content is not None:
        roster.write_bytes(content)
    out = tmp_path / "out"
    code, stdout, stderr = run(["assign", CHAPTER, "--roster", str(roster), "--out", str(out)], capsys)
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert expected in lines[0] and "roster" in lines[0], lines[0]
    assert "Traceback" not in stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == (["roster.csv"] if content is not None else [])


def test_roster_accepts_bom_semicolons_and_blank_lines(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_bytes("\ufeffID;Name\r\ns-01;Ayesha\r\n\r\nS_02.b;\r\n".encode("utf-8"))
    students = rosters.read_roster(roster)
    assert [(s.id, s.name, s.line) for s in students] == [("s-01", "Ayesha", 2), ("S_02.b", "", 4)]


def test_roster_with_quoted_multiline_name_reports_the_right_line(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text('id,name\na1,"two\nlines"\na1,B\n', encoding="utf-8")
    with pytest.raises(LivelihoodsError, match=r"line 4: id 'a1' appears twice \(line 2\)"):
        rosters.read_roster(roster)


@pytest.mark.parametrize(
    "sid,ok",
    [
        ("s001", True),
        ("A.b_c-9", True),
        ("x" * 64, True),
        ("x" * 65, False),
        ("-a", False),
        ("a.", False),
        ("nul.txt", False),
        ("é1", False),
        ("a b", False),
    ],
)
def test_check_student_id(sid, ok):
    assert (rosters.check_student_id(sid) is None) is ok


def test_bad_parameter_is_checked_before_the_roster_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    code, _, err = run(
        ["assign", CHAPTER, "--roster", str(tmp_path / "none.csv"), "--out", str(out), "-p", "organisation", "NUST"],
        capsys,
    )
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "'organisation'" in err and "'NUST'" in err and "'KADO'" in err
    assert not out.exists()


def test_unknown_chapter_is_one_line(tmp_path, capsys):
    code, _, err = run(
        ["assign", "z_nothing", "--roster", str(write_roster(tmp_path / "r.csv", 2)), "--out", str(tmp_path / "o")],
        capsys,
    )
    assert code == 2 and "not found" in err and len(err.strip().splitlines()) == 1


# --------------------------------------------------------------------------------------------
# Seeds
# --------------------------------------------------------------------------------------------


def test_student_seed_is_stable_in_range_and_differs_between_students():
    # Worked by hand: the first 8 bytes of SHA-256("d2_coding_lab\x1fs001"), big-endian, modulo the range.
    digest = hashlib.sha256(b"d2_coding_lab\x1fs001").digest()
    assert rosters.student_seed("d2_coding_lab", "s001", 0, 9) == int.from_bytes(digest[:8], "big") % 10
    assert rosters.student_seed("d2_coding_lab", "s001", 5, 5) == 5
    seeds = [rosters.student_seed("d2_coding_lab", f"s{i:03d}", 1, 10**6) for i in range(100)]
    assert all(1 <= s <= 10**6 for s in seeds) and len(set(seeds)) == 100
    assert seeds == [rosters.student_seed("d2_coding_lab", f"s{i:03d}", 1, 10**6) for i in range(100)]
    assert rosters.student_seed("d2_coding_lab", "s001") != rosters.student_seed("e4_impact", "s001")


# --------------------------------------------------------------------------------------------
# 100 students: content, manifest, zip, reproducibility, refusal without --force
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hundred(tmp_path_factory):
    """Run the command as a user would (a fresh process) for a 100-student roster.

    Its speed is measured in bench/ (``make bench``: ``livelihoods assign`` for 100 students), not here,
    where a busy machine would make a timed assertion fail by chance.
    """
    base = tmp_path_factory.mktemp("assign")
    roster = write_roster(base / "class.csv", 100)
    out = base / "out"
    cmd = [
        sys.executable,
        "-m",
        "livelihoods.cli",
        "assign",
        CHAPTER,
        "--roster",
        str(roster),
        "--out",
        str(out),
        "-p",
        "organisation",
        "EP",
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return {"roster": roster, "out": out, "cmd": cmd, "base": base}


def test_layout_and_no_solutions_in_student_notebooks(hundred):
    out = hundred["out"]
    students = sorted((out / "students").glob("*.ipynb"))
    assert len(students) == 100
    assert sorted(p.name for p in out.iterdir()) == [
        files.MARKER,
        "d_methods-students.zip",
        "instructor",
        "manifest.csv",
        "students",
    ]
    written = json.loads((out / files.MARKER).read_text(encoding="utf-8"))
    assert written["command"] == "assign" and len(written["files"]) == 100 + 3, "the marker lists every file"
    frags = solution_fragments()
    for path in students:
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert not [c for c in nb["cells"] if myst.is_solution(c)]
        text = normalise_for_search("\n".join(cell_source(c) for c in nb["cells"]))
        assert "{solution}" not in text
        leaked = [f for f in frags if normalise_for_search(f) in text]
        assert not leaked, f"{path.name} contains solution text: {leaked[0]!r}"
    inst = json.loads((out / "instructor" / "d_methods-instructor.ipynb").read_text(encoding="utf-8"))
    text = normalise_for_search("\n".join(cell_source(c) for c in inst["cells"]))
    assert all(normalise_for_search(f) in text for f in frags), "the instructor edition keeps the solutions"


def test_student_notebooks_are_the_chapter_plus_injected_parameters(hundred):
    """Same code as the chapter; one injected cell, right after the parameters cell, holding valid values."""
    chapter = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    chapter_code = [cell_source(c) for c in chapter["cells"] if c["cell_type"] == "code" and not myst.is_solution(c)]
    for path in sorted((hundred["out"] / "students").glob("*.ipynb")):
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        nbformat.validate(nb)
        cells = nb.cells
        i = next(k for k, c in enumerate(cells) if "parameters" in c.metadata.get("tags", []))
        assert "injected-parameters" in cells[i + 1].metadata.get("tags", [])
        code = [cell_source(c) for c in cells if c.cell_type == "code" and c is not cells[i + 1]]
        assert code == chapter_code
        tree = ast.parse(cell_source(cells[i + 1]))
        values = {n.targets[0].id: ast.literal_eval(n.value) for n in tree.body}
        assert values == {**params.defaults("d_methods"), "organisation": "EP"}
        params.validate(CHAPTER, **values)
        assert nb.metadata["livelihoods"]["student"] == path.stem.split("-", 1)[1]


def test_manifest_checksums_and_zip(hundred):
    import csv

    out = hundred["out"]
    rows = list(csv.DictReader(io.StringIO((out / "manifest.csv").read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["student", "file", "parameters", "seed", "checksum"]
    assert [r["student"] for r in rows] == [f"s{i:03d}" for i in range(1, 101)]
    for r in rows:
        data = (out / r["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == r["checksum"]
        assert json.loads(r["parameters"]) == {**params.defaults("d_methods"), "organisation": "EP"} and r["seed"] == ""
    with zipfile.ZipFile(out / "d_methods-students.zip") as zf:
        names = zf.namelist()
        assert names == sorted(names) and len(names) == 100
        assert not any("instructor" in n for n in names), "the upload zip must not carry the solutions"
        for r in rows:
            assert zf.read(Path(r["file"]).name) == (out / r["file"]).read_bytes()
        assert {i.date_time for i in zf.infolist()} == {files.ZIP_DATE}
        assert zf.testzip() is None


def test_second_run_refused_without_force_and_files_untouched(hundred):
    out = hundred["out"]
    before = files_of(out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    proc = subprocess.run(hundred["cmd"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert "not empty" in line and "--force" in line
    assert files_of(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == stamps
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out.")], "no temporary folder left behind"


def test_two_runs_give_identical_files(hundred):
    again = hundred["base"] / "again"
    cmd = [a if a != str(hundred["out"]) else str(again) for a in hundred["cmd"]]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert files_of(again) == files_of(hundred["out"])


def test_force_replaces_only_what_assign_wrote(tmp_path, capsys):
    roster = write_roster(tmp_path / "r.csv", 3)
    out = tmp_path / "out"
    code, _, _ = run(
        ["assign", CHAPTER, "--roster", str(write_roster(tmp_path / "r5.csv", 5)), "--out", str(out)], capsys
    )
    assert code == 0 and len(list((out / "students").iterdir())) == 5
    code, _, err = run(["assign", CHAPTER, "--roster", str(roster), "--out", str(out)], capsys)
    assert code == 2 and "--force" in err
    code, stdout, _ = run(["assign", CHAPTER, "--roster", str(roster), "--out", str(out), "--force"], capsys)
    assert code == 0 and "wrote 3 student notebooks" in stdout
    assert len(list((out / "students").iterdir())) == 3, "the old output was replaced, not merged"
    (out / "students" / "my-notes.txt").write_text("mine", encoding="utf-8")
    before = files_of(out)
    code, _, err = run(["assign", CHAPTER, "--roster", str(roster), "--out", str(out), "--force"], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "holds students/my-notes.txt, which the command did not write" in err
    assert files_of(out) == before


def test_refuses_to_replace_a_folder_holding_the_roster(tmp_path, capsys):
    roster = write_roster(tmp_path / "r.csv", 2)
    code, _, err = run(["assign", CHAPTER, "--roster", str(roster), "--out", str(tmp_path), "--force"], capsys)
    assert code == 2 and "contains" in err and roster.exists()


def test_failure_while_moving_into_place_leaves_old_output(tmp_path, monkeypatch):
    roster = write_roster(tmp_path / "r.csv", 2)
    out = tmp_path / "out"
    assign.assign(CHAPTER, roster, out, root=ROOT)
    before = files_of(out)

    def boom(built, target):
        raise OSError("disk full")

    monkeypatch.setattr(files, "replace_dir", boom)
    with pytest.raises(OSError):
        assign.assign(CHAPTER, write_roster(tmp_path / "r2.csv", 5), out, force=True, root=ROOT)
    assert files_of(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "r.csv", "r2.csv"]


# --------------------------------------------------------------------------------------------
# A chapter with a seed parameter (as the coding lab has): per-student seeds
# --------------------------------------------------------------------------------------------


@pytest.fixture
def seeded_root(tmp_path, monkeypatch):
    """A tiny book with one chapter taking ``seed`` and ``n``, registered for the test only."""
    from helpers import code, md, notebook

    root = tmp_path / "book"
    (root / "notebooks").mkdir(parents=True)
    notebook(
        root / "notebooks" / "z_lab.ipynb",
        [
            md("# Z · Lab"),
            code("seed = 1  # any integer from 1 to 99999\nn = 5  # sample size", tags=["parameters"]),
            code("print(seed, n)"),
            md("```{exercise}\n:label: ex-z-1\n\nDraw a sample.\n```"),
            md(
                "```{solution} ex-z-1\n:class: dropdown\n\nThe sample drawn with your seed is the answer here.\n```",
                tags=["solution"],
            ),
        ],
    )
    monkeypatch.setitem(
        registry.REGISTRY,
        "z_lab",
        (
            Param("seed", int, 1, "Random seed.", low=1, high=99999),
            Param("n", int, 5, "Sample size.", low=1, high=35),
        ),
    )
    return root


def test_per_student_seed_injected_and_in_manifest(seeded_root, tmp_path):
    import csv

    roster = write_roster(tmp_path / "r.csv", 20)
    result = assign.assign("z_lab", roster, tmp_path / "o1", [("n", "7")], root=seeded_root)
    rows = list(csv.DictReader(io.StringIO((result.out / "manifest.csv").read_text(encoding="utf-8"))))
    seeds = []
    for r in rows:
        expected = rosters.student_seed("z_lab", r["student"], 1, 99999)
        assert r["seed"] == str(expected)
        assert json.loads(r["parameters"]) == {"n": 7, "seed": expected}
        nb = json.loads((result.out / r["file"]).read_text(encoding="utf-8"))
        injected = next(c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
        assert f"seed = {expected}" in cell_source(injected) and "n = 7" in cell_source(injected)
        assert "seed drawn with your seed" not in json.dumps(nb) and "sample drawn with your seed" not in json.dumps(nb)
        seeds.append(expected)
    assert len(set(seeds)) == 20
    again = assign.assign("z_lab", roster, tmp_path / "o2", [("n", "7")], root=seeded_root)
    assert files_of(again.out) == files_of(result.out)
    inst = (result.out / "instructor" / "z_lab-instructor.ipynb").read_text(encoding="utf-8")
    assert "sample drawn with your seed" in inst


def test_explicit_seed_applies_to_everyone(seeded_root, tmp_path):
    import csv

    result = assign.assign(
        "z_lab", write_roster(tmp_path / "r.csv", 3), tmp_path / "o", [("seed", "42")], root=seeded_root
    )
    rows = list(csv.DictReader(io.StringIO((result.out / "manifest.csv").read_text(encoding="utf-8"))))
    assert [r["seed"] for r in rows] == ["42", "42", "42"]


def test_untagged_solution_is_refused(seeded_root, tmp_path):
    path = seeded_root / "notebooks" / "z_lab.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nb.cells[-1].metadata["tags"] = []
    nbformat.write(nb, str(path))
    with pytest.raises(LivelihoodsError, match="not tagged 'solution'"):
        assign.assign("z_lab", write_roster(tmp_path / "r.csv", 2), tmp_path / "o", root=seeded_root)
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_seeded_student_notebook_executes_with_its_seed(seeded_root, tmp_path):
    import papermill as pm

    result = assign.assign("z_lab", write_roster(tmp_path / "r.csv", 2), tmp_path / "o", root=seeded_root)
    path = result.out / "students" / "z_lab-s002.ipynb"
    nb = pm.execute_notebook(str(path), str(tmp_path / "run.ipynb"), kernel_name="python3", progress_bar=False)
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert printed.split() == [str(rosters.student_seed("z_lab", "s002", 1, 99999)), "5"]


@pytest.mark.slow
def test_student_notebooks_execute_under_papermill(hundred, tmp_path):
    """Every student notebook has the same code but its parameters (checked above); run the last one."""
    import papermill as pm

    students = sorted((hundred["out"] / "students").glob("*.ipynb"))
    for path in students[-1:]:
        pm.execute_notebook(
            str(path),
            str(tmp_path / path.name),
            cwd=str(ROOT / "notebooks"),
            kernel_name="python3",
            progress_bar=False,
            execution_timeout=300,
            request_save_on_cell_execute=False,  # one write at the end: the saves per cell cost a second of CPU
        )


@pytest.mark.slow
def test_seeded_chapter_student_notebooks_execute_with_their_own_samples(tmp_path):
    """The real seeded chapter (the coding lab): a student's notebook runs and draws the sample of its seed,
    and a classmate's seed (the same code otherwise, checked above) draws a different one."""
    import papermill as pm

    from livelihoods.qda import lab

    roster = write_roster(tmp_path / "class.csv", 2)
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "livelihoods.cli",
            "assign",
            "d2_coding_lab",
            "--roster",
            str(roster),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    first, second = sorted((out / "students").glob("*.ipynb"))
    seeds = [rosters.student_seed("d2_coding_lab", path.stem.split("-", 1)[1]) for path in (first, second)]
    nb = json.loads(second.read_text(encoding="utf-8"))
    injected = next(c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
    assert f"seed = {seeds[1]}" in cell_source(injected) and seeds[0] != seeds[1]
    executed = pm.execute_notebook(
        str(first),
        str(tmp_path / first.name),
        cwd=str(ROOT / "notebooks"),
        kernel_name="python3",
        progress_bar=False,
        execution_timeout=300,
        request_save_on_cell_execute=False,  # one write at the end: the saves per cell cost a second of CPU
    )
    shown = "".join(
        o.get("data", {}).get("text/markdown", "")
        for c in executed.cells
        if "lab.lab_sample(" in c.source
        for o in c.get("outputs", [])
    )
    assert shown == lab.lab_sample(10, seeds[0]).describe(), f"{first.name} did not draw the sample of its seed"
    assert lab.lab_sample(10, seeds[1]).describe() != shown, "two students would draw the same sample"


# --------------------------------------------------------------------------------------------
# Handouts (the MyST-to-plain transform itself is tested in test_markup.py)
# --------------------------------------------------------------------------------------------


def _fake_executed_notebook() -> nbformat.NotebookNode:
    """An executed runnable notebook without a kernel: a prose output, a figure with its caption, a solution."""
    import base64

    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    png = base64.b64encode(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a2dd2a7e0000000049454e44ae426082"
        )
    ).decode()
    glue = new_code_cell("chapter.glue_value('n', 29)")
    glue.metadata["tags"] = ["remove-cell"]
    prose = new_code_cell(
        "prose(...)",
        outputs=[
            new_output(
                "display_data",
                data={
                    "text/markdown": "We interviewed 29 people ([Malik et al., 2017](#ref-malik2017)).",
                    "text/plain": "<Markdown>",
                },
            )
        ],
    )
    prose.metadata["tags"] = ["remove-input"]
    refs = new_code_cell(
        "references(...)",
        outputs=[
            new_output(
                "display_data",
                data={
                    "text/markdown": '## References\n\n- <a id="ref-malik2017"></a>Malik, F., Nicholson, B. and Heeks, R. (2017). '
                    "Understanding the development implications of online outsourcing.",
                    "text/plain": "<Markdown>",
                },
            )
        ],
    )
    refs.metadata["tags"] = ["remove-input"]
    figure = new_code_cell(
        "plot()", outputs=[new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})]
    )
    figure.metadata.update(
        {
            "tags": ["hide-input"],
            "mystnb": {
                "figure": {"name": "fig-x", "caption": "Counts by group."},
                "image": {"alt": "Bar chart of counts by group."},
            },
        }
    )
    return new_notebook(
        cells=[
            new_markdown_cell("# T · Title: sub"),
            glue,
            prose,
            figure,
            _tagged(new_markdown_cell('**Figure T.1.** <a id="fig-x"></a> Counts by group.'), "caption"),
            new_markdown_cell('**Exercise T.1** <a id="ex-t"></a>\n\nCount them.'),
            _tagged(
                new_markdown_cell(
                    "<details>\n<summary>Solution to Exercise T.1</summary>\n\nThere were exactly twenty "
                    "nine people interviewed.\n\n</details>"
                ),
                "solution",
            ),
            refs,
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )


def _tagged(cell, tag):
    cell.metadata["tags"] = [tag]
    return cell


@pytest.mark.parametrize("solutions", [True, False])
def test_render_handout_is_self_contained(solutions):
    from bs4 import BeautifulSoup

    page = handout.render_handout(_fake_executed_notebook(), ROOT, solutions=solutions)
    soup = BeautifulSoup(page, "html.parser")
    assert soup.title.string == "T · Title: sub"
    for tag in soup.find_all(["script", "link", "img", "iframe", "source"]):
        for attr in ("src", "href"):
            value = tag.get(attr)
            assert value is None or value.startswith("data:"), f"external resource {tag.name} {attr}={value}"
    assert "@import" not in page and not __import__("re").search(r"url\((?!data:)", page)
    imgs = soup.find_all("img")
    assert len(imgs) == 1 and imgs[0]["alt"] == "Bar chart of counts by group."
    text = " ".join(soup.get_text().split())
    assert "We interviewed 29 people (Malik et al., 2017)." in text
    assert "Figure T.1. Counts by group." in text and "Exercise T.1 Count them." in text
    assert "plot()" not in text and "glue_value" not in text and "prose(" not in text, "inputs hidden as in the book"
    assert "References" in text and "Malik, F., Nicholson, B. and Heeks, R. (2017)" in text
    assert ("exactly twenty nine people" in text) is solutions


def test_handout_refuses_existing_file_and_bad_parameter(tmp_path, capsys):
    out = tmp_path / "h.html"
    out.write_text("mine", encoding="utf-8")
    code, _, err = run(["handout", CHAPTER, "--out", str(out)], capsys)
    assert code == 2 and "--force" in err and out.read_text() == "mine"
    code, _, err = run(["handout", CHAPTER, "--out", str(tmp_path / "x.html"), "-p", "organisation", "X"], capsys)
    assert code == 2 and "'organisation'" in err and not (tmp_path / "x.html").exists()
    code, _, err = run(["handout", CHAPTER, "--out", str(tmp_path / "x.pdf")], capsys)
    assert code == 2 and ".html" in err


# --------------------------------------------------------------------------------------------
# The real handout, rendered offline in headless Chromium
# --------------------------------------------------------------------------------------------


def offline_render(page: Path, screenshot: Path) -> dict:
    """Open a file in headless Chromium with networking disabled; report requests, failures and images."""
    from playwright.sync_api import sync_playwright

    report = {"external": [], "failed": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--proxy-server=127.0.0.1:9", "--disable-background-networking"],
        )
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.on(
            "request",
            lambda r: None if r.url.startswith(("file:", "data:", "about:")) else report["external"].append(r.url),
        )
        tab.on("requestfailed", lambda r: report["failed"].append(r.url))
        tab.goto(page.as_uri())
        tab.wait_for_load_state("load")
        report["images"] = tab.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth, e.alt])")
        report["text"] = tab.inner_text("body")
        tab.screenshot(path=str(screenshot), full_page=True)
        browser.close()
    return report


@background.job("handouts")
def handouts(folder: Path) -> dict:
    """The chapter's handout with and without solutions, each written by the command as a user runs it (each
    executes the chapter: a job, so the executions use the core the browser tests leave idle)."""
    made = {}
    for flag in ("--no-solutions", None):
        out = folder / f"handout{flag or ''}.html"
        cmd = [
            sys.executable,
            "-m",
            "livelihoods.cli",
            "handout",
            CHAPTER,
            "-p",
            "organisation",
            "KADO",
            "--out",
            str(out),
        ]
        proc = subprocess.run(
            cmd + ([flag] if flag else []), cwd=ROOT, capture_output=True, text=True, env=background.environ()
        )
        made[flag] = (proc, out)
    return made


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("flag", ["--no-solutions", None])
def test_handout_renders_offline_with_figures(flag, handouts, tmp_path):
    proc, out = handouts[flag]
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = offline_render(out, tmp_path / "handout.png")
    assert report["external"] == [] and report["failed"] == []
    assert report["images"] and all(ok and width > 0 and len(alt) > 10 for ok, width, alt in report["images"])
    text = normalise_for_search(report["text"])
    present = [f for f in solution_fragments() if normalise_for_search(f) in text]
    if flag:
        assert present == []
    else:
        assert len(present) == len(solution_fragments())
    assert "{glue" not in report["text"] and "{cite" not in report["text"] and "```" not in report["text"]


@pytest.mark.slow
def test_livelihoods_run_takes_a_students_copy(tmp_path):
    """A notebook `assign` wrote runs with `livelihoods run` (its chapter read from its metadata, its own
    parameters kept); a bad parameter on it is one line and exit 2, before anything runs."""
    roster = write_roster(tmp_path / "r.csv", 1)
    out = tmp_path / "out"
    assign.assign(CHAPTER, roster, out, pairs=[("organisation", "EP")], root=ROOT)
    (copy,) = sorted((out / "students").glob("*.ipynb"))
    executed = tmp_path / "ran.ipynb"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "livelihoods.cli",
            "run",
            str(copy),
            "-p",
            "grouping=respondent",
            "--out",
            str(executed),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "'organisation': 'EP'" in proc.stderr and "'grouping': 'respondent'" in proc.stderr
    nb = json.loads(executed.read_text(encoding="utf-8"))
    injected = [cell_source(c) for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1 and 'organisation = "EP"' in injected[0] and 'grouping = "respondent"' in injected[0]
    bad = subprocess.run(
        [sys.executable, "-m", "livelihoods.cli", "run", str(copy), "-p", "organisation", "NUST"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "'organisation'" in bad.stderr and "NUST" in bad.stderr
