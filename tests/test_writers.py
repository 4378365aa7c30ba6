"""No input can cost the user their files (issue 19, items 2, 5, 6, 7 and 9).

The writers' rule (``livelihoods.files``) for ``assign``, ``handout``, ``bundle`` and ``run``: ``--force``
replaces only what the command itself wrote, never the repository's ``data/``, ``notebooks/``,
``book/``, ``src/`` or ``tests/``, never the command's own input, never a folder holding files it did
not write; a read-only folder or a parent that is a file is one line and exit 2, before any work is
done. Every hostile input is made here; every refusal is checked by checksums before and after.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from helpers import ROOT, SOURCES, cell_source, load_nb
from livelihoods import files
from livelihoods.book import params
from livelihoods.book import run as book_run
from livelihoods.cli import main
from livelihoods.errors import LivelihoodsError, ParameterError
from livelihoods.teach import bundle, handout

CHAPTER = "d_methods"


def checksums(*folders: Path) -> dict[str, str]:
    out = {}
    for folder in folders:
        for p in sorted(folder.rglob("*")):
            if p.is_file() or p.is_symlink():
                out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else os.readlink(p)
        out[str(folder)] = "exists" if folder.exists() else "missing"
    return out


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def one_line(code: int, err: str) -> str:
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and "Traceback" not in err, (code, err)
    return lines[0]


@pytest.fixture
def roster(tmp_path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("id,name\ns001,Ayesha\ns002,Bilal\n", encoding="utf-8")
    return path


@pytest.fixture
def no_execution(monkeypatch):
    """Any notebook execution fails the test: refusals must come before any work is done."""

    def boom(*args, **kwargs):
        raise AssertionError("a notebook was executed before the output was checked")

    monkeypatch.setattr(book_run, "run_notebook", boom)


# --------------------------------------------------------------------------------------------
# Item 2: --force into the repository's folders, a folder of unrelated files, the command's input
# --------------------------------------------------------------------------------------------


def hostile_commands(tmp: Path, roster: Path) -> list[tuple[list[str], str]]:
    unrelated = tmp / "thesis"
    unrelated.mkdir(exist_ok=True)
    (unrelated / "chapter1.docx").write_bytes(b"three months of work")
    (unrelated / "notes").mkdir(exist_ok=True)
    (unrelated / "notes" / "n.txt").write_text("more work", encoding="utf-8")
    mine_html = tmp / "my-page.html"
    mine_html.write_text("<html>my own page</html>", encoding="utf-8")
    mine_nb = tmp / "my-analysis.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), str(mine_nb))
    copied = tmp / "copy" / f"{CHAPTER}.ipynb"
    copied.parent.mkdir(exist_ok=True)
    shutil.copy(ROOT / "notebooks" / f"{CHAPTER}.ipynb", copied)
    a = ["assign", CHAPTER, "--roster", str(roster), "--force", "--out"]
    return [
        (a + [str(ROOT / "data")], "book's own sources (data/)"),
        (a + [str(ROOT / "notebooks")], "book's own sources (notebooks/)"),
        (a + [str(ROOT / "book" / "chapters")], "book's own sources (book/)"),
        (a + [str(ROOT / "src")], "book's own sources (src/)"),
        (a + [str(ROOT / "tests")], "book's own sources (tests/)"),
        (a + [str(ROOT)], "book's own sources"),
        (a + [str(unrelated)], "was not written by a livelihoods command"),
        (a + [str(roster.parent)], "contains"),  # the folder holding the roster, the command's input
        (a + [str(roster)], "is a file"),
        (["run", CHAPTER, "--force", "--out", str(ROOT / "data" / "excerpts.csv")], "should end in .ipynb"),
        (["run", CHAPTER, "--force", "--out", str(ROOT / "data" / "x.ipynb")], "book's own sources (data/)"),
        (["run", CHAPTER, "--force", "--out", str(ROOT / "notebooks" / f"{CHAPTER}.ipynb")], "book's own sources"),
        (["run", str(copied), "--force", "--out", str(copied)], "is this command's input"),
        (["run", CHAPTER, "--force", "--out", str(mine_nb)], "was not written by this command"),
        (["handout", CHAPTER, "--force", "--out", str(ROOT / "notebooks" / "h.html")], "book's own sources"),
        (["handout", CHAPTER, "--force", "--out", str(ROOT / "book" / "intro.html")], "book's own sources"),
        (["handout", CHAPTER, "--force", "--out", str(mine_html)], "was not written by this command"),
    ]


def test_force_never_replaces_sources_unrelated_files_or_the_input(tmp_path, roster, capsys, no_execution):
    cases = hostile_commands(tmp_path, roster)
    watched = [ROOT / name for name in files.PROTECTED] + [tmp_path]
    before = checksums(*watched)
    for argv, expected in cases:
        code, out, err = run(argv, capsys)
        line = one_line(code, err)
        assert expected in line, f"livelihoods {' '.join(argv)}: {line}"
        assert "--out" in line and out == ""
    assert checksums(*watched) == before, "a refused command changed files"


def test_bundle_force_never_replaces_sources_or_foreign_files(tmp_path):
    site = tmp_path / "html"
    site.mkdir()
    (site / "index.html").write_text("<p>book</p>", encoding="utf-8")
    mine = tmp_path / "photos.zip"
    files.write_zip(mine, [("holiday.jpg", b"\xff\xd8 not really")])
    before = checksums(ROOT / "data", ROOT / "notebooks", tmp_path)
    for out, expected in [
        (ROOT / "data" / "b.zip", "book's own sources"),
        (mine, "was not written by this command"),
        (site / "b.zip", "inside the book's HTML folder"),
    ]:
        with pytest.raises(LivelihoodsError, match=expected):
            bundle.bundle(out, html_dir=site, force=True)
    assert checksums(ROOT / "data", ROOT / "notebooks", tmp_path) == before


def test_assign_refuses_a_folder_another_command_wrote(tmp_path, roster, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "sheet.csv").write_text("excerpt_id,code_id\n", encoding="utf-8")
    (out / files.MARKER).write_bytes(files.marker_bytes("import-qdpx", ["sheet.csv"]))
    before = checksums(out)
    line = one_line(*run(["assign", CHAPTER, "--roster", str(roster), "--out", str(out), "--force"], capsys)[::2])
    assert "was written by 'livelihoods import-qdpx'" in line
    assert checksums(out) == before


def test_handout_page_is_recognised_as_its_own():
    nb = nbformat.read(str(ROOT / "notebooks" / f"{CHAPTER}.ipynb"), as_version=4)
    page = handout.render_handout(nb, ROOT)
    assert handout.handout_marked(page[:2000]), "the mark sits at the top of <head>"
    assert not handout.handout_marked('<html><head><meta name="generator" content="nbconvert"></head>')


@pytest.mark.slow
def test_run_force_replaces_its_own_output_only(tmp_path, capsys):
    out = tmp_path / "run.ipynb"
    code, stdout, err = run(["run", CHAPTER, "--out", str(out)], capsys)
    assert code == 0, err
    assert book_run.is_run_output(out)
    code, _, err = run(["run", CHAPTER, "--out", str(out)], capsys)
    assert "--force" in one_line(code, err)
    code, stdout, err = run(["run", CHAPTER, "--out", str(out), "--force", "-p", "organisation", "EP"], capsys)
    assert code == 0, err
    assert json.loads(out.read_text(encoding="utf-8"))["metadata"]["papermill"]["parameters"] == {"organisation": "EP"}


# --------------------------------------------------------------------------------------------
# Item 5: a read-only folder or a parent that is a file, for every writer, before any work
# --------------------------------------------------------------------------------------------


@pytest.fixture
def read_only(tmp_path):
    """A folder nobody can write into, root included: a read-only tmpfs (as root), else chmod 555."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)], capture_output=True)
    if proc.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail(f"cannot make a read-only folder as root under CI: {proc.stderr.decode()}")
        pytest.skip("root cannot mount a read-only tmpfs here, so no folder is read-only for this test")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def unusable_outs(tmp_path: Path, read_only: Path) -> list[tuple[str, Path, str]]:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder", encoding="utf-8")
    return [
        ("read-only", read_only / "x", "cannot write into"),
        ("read-only", read_only / "sub" / "x", "cannot write into"),
        ("parent is a file", a_file / "x", "is a file, not a folder"),
        ("parent is a file", a_file / "sub" / "x", "is a file, not a folder"),
    ]


def test_every_writer_refuses_an_unusable_out_in_one_line(tmp_path, roster, read_only, capsys, no_execution):
    site = tmp_path / "html"
    site.mkdir()
    (site / "index.html").write_text("<p>book</p>", encoding="utf-8")
    for why, base, expected in unusable_outs(tmp_path, read_only):
        for argv in (
            ["assign", CHAPTER, "--roster", str(roster), "--out", str(base)],
            ["assign", CHAPTER, "--roster", str(roster), "--out", str(base), "--force"],
            ["run", CHAPTER, "--out", f"{base}.ipynb"],
            ["handout", CHAPTER, "--out", f"{base}.html"],
        ):
            line = one_line(*run(argv, capsys)[::2])
            assert expected in line and str(base) in line, f"{why}: livelihoods {' '.join(argv)}: {line}"
        with pytest.raises(LivelihoodsError, match=expected):
            bundle.bundle(Path(f"{base}.zip"), html_dir=site)
    assert list(read_only.iterdir()) == []


def test_assign_refuses_an_existing_read_only_out(read_only, roster, capsys):
    line = one_line(*run(["assign", CHAPTER, "--roster", str(roster), "--out", str(read_only)], capsys)[::2])
    assert "cannot write into it" in line


# --------------------------------------------------------------------------------------------
# Item 6: a roster of only delimiters
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b",,,\n", b",,,", b";;;\n;;\n", b"\t\t\n", b" , , \n,,\n"])
def test_roster_of_only_delimiters_is_one_line(content, tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_bytes(content)
    line = one_line(*run(["assign", CHAPTER, "--roster", str(path), "--out", str(tmp_path / "o")], capsys)[::2])
    assert "roster" in line and ("no header" in line or "is empty" in line) and "'id'" in line
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------------------------
# Item 7: a misspelt papermill parameter stops the chapter at its start
# --------------------------------------------------------------------------------------------


def test_injected_names_reads_papermills_cell():
    source = '# Parameters\norganization = "KADO"\nseed: int = 3\n'
    assert params.injected_names(source) == ["organization", "seed"]
    assert params.injected_names('organisation = "KADO"\n') is None, "not papermill's cell"
    assert params.injected_names("# Parameters\nnot = python(\n") is None


def test_check_injected_names_the_parameter_meant():
    with pytest.raises(ParameterError) as err:
        params.check_injected("d_methods", ["organization"])
    message = str(err.value)
    assert "unknown parameter 'organization' for d_methods" in message and "did you mean 'organisation'?" in message
    assert "\n" not in message
    params.check_injected("d_methods", ["organisation", "grouping"])  # the real names pass


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_chapter_start_follows_the_parameters_cell(path):
    """papermill puts its cell right after the parameters cell; start() looks for it just before its own."""
    nb = load_nb(path)
    cells = nb["cells"]
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not tagged:
        pytest.skip("no parameters")
    assert "chapter.start(" in cell_source(cells[tagged[0] + 1])


@pytest.mark.slow
def test_plain_papermill_with_a_misspelt_parameter_stops_at_the_start(tmp_path):
    import papermill as pm

    notebook = ROOT / "notebooks" / f"{CHAPTER}.ipynb"
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(
            str(notebook),
            str(tmp_path / "out.ipynb"),
            parameters={"organization": "KADO"},
            cwd=str(notebook.parent),
            kernel_name="python3",
            progress_bar=False,
        )
    assert err.value.ename == "ParameterError"
    assert "unknown parameter 'organization'" in err.value.evalue and "'organisation'" in err.value.evalue
    executed = nbformat.read(str(tmp_path / "out.ipynb"), as_version=4)
    failing = [
        c
        for c in executed.cells
        if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.get("outputs", []))
    ]
    assert len(failing) == 1 and "chapter.start(" in failing[0].source, "it stops at the chapter's start"


# --------------------------------------------------------------------------------------------
# Item 9: timeouts, --force onto a symbolic link, stable cell ids in the downloadable sources
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-1", "-300"])
def test_run_timeout_below_one_is_one_line(value, capsys, no_execution):
    line = one_line(*run(["run", CHAPTER, "--timeout", value], capsys)[::2])
    assert f"--timeout {value}" in line and "at least 1" in line


def test_run_notebook_refuses_a_zero_timeout(tmp_path):
    with pytest.raises(LivelihoodsError, match="at least 1"):
        book_run.run_notebook(ROOT / "notebooks" / f"{CHAPTER}.ipynb", {}, tmp_path / "x.ipynb", timeout=0)


def test_force_onto_a_symlinked_folder_keeps_the_link_and_leaves_nothing(tmp_path, roster, capsys):
    real = tmp_path / "real"
    code, _, err = run(["assign", CHAPTER, "--roster", str(roster), "--out", str(real)], capsys)
    assert code == 0, err
    link = tmp_path / "link"
    link.symlink_to(real)
    one = roster.parent / "one.csv"
    one.write_text("id\nz9\n", encoding="utf-8")
    code, _, err = run(["assign", CHAPTER, "--roster", str(one), "--out", str(link), "--force"], capsys)
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert sorted(p.name for p in (real / "students").iterdir()) == [f"{CHAPTER}-z9.ipynb"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "one.csv", "real", "roster.csv"], (
        "no .link.old-* or .real.* left behind"
    )


def test_source_notebooks_get_fixed_cell_ids(tmp_path):
    from types import SimpleNamespace

    from livelihoods.book import sphinxext

    sources = tmp_path / "_sources" / "book"
    sources.mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# I"), nbformat.v4.new_code_cell("1")])
    (sources / "intro.ipynb").write_text(nbformat.writes(nb), encoding="utf-8")
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    sphinxext.stable_source_notebooks(app, None)
    first = (sources / "intro.ipynb").read_bytes()
    assert [c["id"] for c in json.loads(first)["cells"]] == ["intro-00", "intro-01"]
    nb2 = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# I"), nbformat.v4.new_code_cell("1")])
    (sources / "intro.ipynb").write_text(nbformat.writes(nb2), encoding="utf-8")  # new random ids, as myst-nb gives
    sphinxext.stable_source_notebooks(app, None)
    assert (sources / "intro.ipynb").read_bytes() == first


@pytest.mark.slow
def test_built_source_notebooks_have_fixed_cell_ids(built_book):
    assert built_book.returncode == 0
    offered = sorted((built_book.html / "_sources").rglob("*.ipynb"))
    assert built_book.html / "_sources" / "book" / "chapters" / f"{CHAPTER}.ipynb" in offered
    for path in offered:
        nb = json.loads(path.read_text(encoding="utf-8"))
        stem = path.stem.replace("_", "-")
        assert [c["id"] for c in nb["cells"]] == [f"{stem}-{i:02d}" for i in range(len(nb["cells"]))]
