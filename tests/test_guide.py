"""The educators' guide: its generated tables agree with the notebooks and the data."""

from __future__ import annotations

import ast
import re

import pytest

from helpers import NOTEBOOKS, ROOT, load_nb, parameter_defaults
from livelihoods import evidence
from livelihoods.book import sources
from livelihoods.book import params
from livelihoods.book import registry
from livelihoods.book import guide_facts
from livelihoods.book import sphinxext
from livelihoods.book.registry import Param


@pytest.mark.parametrize(
    "text,expected",
    [
        ("**Time:** about 30 minutes. **Read first:** x", (30, 30)),
        ("**Time:** 30-45 minutes", (30, 45)),
        ("**Time**: 40 to 60 min.", (40, 60)),
        ("**Time:** about 1.5 hours", (90, 90)),
        ("**Time:** 1–2 hours", (60, 120)),
        ("**Time:** about an hour", (60, 60)),
        ("No time line here", None),
        ("**Time:** a while", None),
    ],
)
def test_parse_time(text, expected):
    assert guide_facts.parse_time(text) == expected


def test_format_minutes():
    assert guide_facts.format_minutes((30, 30)) == "about 30 min"
    assert guide_facts.format_minutes((30, 45)) == "30–45 min"
    assert guide_facts.format_minutes(None) == "–"


def test_chapter_info_reads_title_and_time():
    info = guide_facts.chapter_info(ROOT / "book" / "chapters" / "d_methods.md", ROOT)
    assert info.docname == "book/chapters/d_methods" and info.short == "D · Methods"
    assert info.title.startswith("D · Methods: who was interviewed")
    text = "\n".join("".join(c["source"]) for c in load_nb(info.path)["cells"] if c["cell_type"] == "markdown")
    minutes = int(re.search(r"\*\*Time:\*\* about (\d+) minutes", text)[1])
    assert info.minutes == (minutes, minutes)


def test_parameter_rows_match_the_notebooks():
    """Read with papermill by the extension; checked here with ast and the registry."""
    rows = guide_facts.parameter_rows(ROOT, NOTEBOOKS)
    assert all(r.problem == "" for r in rows), [r.problem for r in rows if r.problem]
    got = {(r.chapter, r.name): (ast.literal_eval(r.default), r.allowed) for r in rows}
    expected = {
        (p.stem, name): (value, params.spec(p.stem)[name].allowed())
        for p in NOTEBOOKS
        for name, value in parameter_defaults(load_nb(p)).items()
    }
    assert got == expected


def test_parameter_rows_report_drift(tmp_path, monkeypatch):
    from helpers import code, notebook

    path = notebook(tmp_path / "z_drift.ipynb", [code('a = 1  # one\nb = "x"', tags=["parameters"])])
    monkeypatch.setitem(registry.REGISTRY, "z_drift", (Param("a", int, 2, "A."), Param("c", int, 0, "C.")))
    problems = sorted(r.problem for r in guide_facts.parameter_rows(tmp_path, [path]))
    assert len(problems) == 3
    assert "'a' defaults to 1 in the notebook but 2 in the registry" in problems[0]
    assert "'b' is in the notebook but not in livelihoods.book.registry.REGISTRY" in problems[1]
    assert "'c' is in livelihoods.book.registry.REGISTRY but not in the notebook" in problems[2]


def test_question_matrix_follows_question_links():
    stems = [p.stem for p in sources.toc_chapters(ROOT)]
    matrix = guide_facts.question_matrix(stems)
    links = evidence.load_question_links()
    for stem in stems:
        mine = links[links["chapter"] == stem]
        assert matrix[stem] == dict(zip(mine["question_id"].astype(str), mine["role"].astype(str)))
    assert matrix.get("d_methods", {}).get("S4") == "answers"


def test_guide_is_in_the_toc_before_about_this_book():
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    captions = [p["caption"] for p in toc["parts"]]
    assert captions.index("For educators") == captions.index("About this book") - 1
    files = [c["file"] for p in toc["parts"] if p["caption"] == "For educators" for c in p["chapters"]]
    assert files == ["book/educators_guide"]


# --------------------------------------------------------------------------------------------
# The built page
# --------------------------------------------------------------------------------------------


def _table(soup, cls: str) -> list[list[str]]:
    table = soup.select_one(f"table.{cls}")
    assert table is not None, f"no table.{cls} in the built guide"
    return [
        [" ".join(td.get_text(" ").split()).replace(" ,", ",") for td in tr.find_all(["td", "th"])]
        for tr in table.find_all("tr")
    ]


@pytest.fixture(scope="module")
def guide(built_book):
    from bs4 import BeautifulSoup

    assert built_book.returncode == 0, built_book.stdout[-3000:] + built_book.stderr[-3000:]
    return BeautifulSoup((built_book.html / "book" / "educators_guide.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.slow
def test_built_parameter_table_matches_the_notebooks(guide):
    rows = _table(guide, "livelihoods-parameters")
    assert rows[0] == ["Parameter", "Default", "Allowed values", "What it does"]
    infos = {c.short: c.stem for c in guide_facts.chapters(ROOT)}
    built, chapter, headings = {}, None, []
    for r in rows[1:]:
        if len(r) == 1:  # a chapter's heading row, spanning the table
            chapter = infos[r[0]]
            headings.append(chapter)
            continue
        built[(chapter, r[0])] = (ast.literal_eval(r[1]), r[2])
    assert len(headings) == len(set(headings)), "each chapter heads its parameters once"
    notebooks = sources.toc_chapters(ROOT)
    expected = {
        (p.stem, name): (value, params.spec(p.stem)[name].allowed().replace("'", "\u2019"))
        for p in notebooks
        for name, value in parameter_defaults(load_nb(p)).items()
    }

    # Sphinx typesets quotes in the allowed-values text; compare with the quotes normalised.
    def norm(d):
        return {k: (v[0], v[1].replace("\u2018", "'").replace("\u2019", "'")) for k, v in d.items()}

    assert norm(built) == norm(expected)
    without = guide.select_one("p.livelihoods-no-parameters")
    no_params = [p for p in notebooks if not parameter_defaults(load_nb(p))]
    if no_params:
        names = {a.get_text() for a in without.find_all("a")}
        assert names == {guide_facts.chapter_info(p, ROOT).short for p in no_params}


@pytest.mark.slow
def test_built_question_table_matches_data(guide):
    rows = _table(guide, "livelihoods-chapter-questions")
    questions = evidence.load_questions()
    assert rows[0] == ["Chapter", "Time", "Answers", "Prepares for"]
    infos = guide_facts.chapters(ROOT)
    assert [r[0] for r in rows[1:]] == [c.short for c in infos], "one row per chapter, in book order"
    matrix = guide_facts.question_matrix([c.stem for c in infos])
    order = {q: i for i, q in enumerate(guide_facts.ordered_questions(questions)["question_id"])}
    for row, info in zip(rows[1:], infos):
        assert row[1] == guide_facts.format_minutes(info.minutes)
        for cell, role in ((row[2], "answers"), (row[3], "prepares")):
            mine = sorted((q for q, r in matrix[info.stem].items() if r == role), key=order.__getitem__)
            assert cell == (", ".join(mine) or "–"), f"{info.stem} {role}: {cell}"
    abbrs = guide.select("table.livelihoods-chapter-questions tbody abbr")
    text = dict(zip(questions["question_id"], questions["text"]))
    assert abbrs and all(a["title"] == text[a.get_text()] for a in abbrs), "every id carries its question's text"
    covered = {a.get_text() for a in abbrs}
    assert covered == set(text), f"questions no chapter takes up: {sorted(set(text) - covered)}"


@pytest.mark.slow
def test_built_guide_has_sequences_seminar_and_questions(guide):
    sequences = guide.select("table.livelihoods-sequence")
    assert len(sequences) == 2
    assert len(_table(guide, "livelihoods-debate-prep")) == 1 + 6
    text = " ".join(guide.get_text(" ").split())
    for q in evidence.load_questions()["text"]:
        assert q in text
    assert "Running a seminar on the debates" in text
    # the guide's slips as printed, each with a visible note (issue 15), and the guide cited as the working paper's
    terms = [dt.get_text(" ").strip() for dt in guide.select("dl.livelihoods-questions dt")]
    assert "S8 [Section E4]]" in terms and "S6 [Section E2]" in terms
    sic = [p.get_text() for p in guide.select("dl.livelihoods-questions p.livelihoods-sic")]
    assert len(sic) == 2 and all(s.startswith("[sic") for s in sic)
    assert "Digital Labour Platforms in Pakistan" in text and "10.1007/978-3-319-59111-7_35" in str(guide)


def test_bibtex_backend_is_found_without_scanning_entry_points(monkeypatch):
    """The per-citation lookup must not scan installed packages (2 s of the build), and must still
    give the class the entry point names."""
    from importlib.metadata import entry_points

    import pybtex.plugin

    declared = next(iter(entry_points(group="pybtex.backends", name="plaintext"))).load()
    sphinxext.register_bibtex_backend()

    def no_scan(*args, **kwargs):
        raise AssertionError("pybtex scanned the entry points")

    monkeypatch.setattr(pybtex.plugin, "entry_points", no_scan)
    assert pybtex.plugin.find_plugin("pybtex.backends", "plaintext") is declared
