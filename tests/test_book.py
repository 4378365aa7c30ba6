"""The built book: strict Sphinx build, every table-of-contents page present, glue and figures rendered."""

from __future__ import annotations

import re

import pytest

from helpers import ROOT
from livelihoods.book import build, sources


@pytest.mark.slow
def test_build_succeeds_without_warnings(built_book):
    assert built_book.returncode == 0, (
        "book build failed (warnings are errors):\n" + built_book.stdout[-4000:] + built_book.stderr[-4000:]
    )


@pytest.mark.slow
def test_every_toc_entry_has_its_page(built_book):
    assert built_book.returncode == 0
    missing = [
        str(p.relative_to(ROOT))
        for p in sources.toc_files(ROOT)
        if not (built_book.html / p.relative_to(ROOT).with_suffix(".html")).is_file()
    ]
    assert not missing, f"pages missing from _build/html: {missing}"
    assert (built_book.html / "index.html").is_file()


@pytest.mark.slow
def test_first_chapter_has_figure_with_alt_and_glued_numbers(built_book):
    from livelihoods.analyses import methods

    assert built_book.returncode == 0
    page = (built_book.html / "book" / "chapters" / "d_methods.html").read_text(encoding="utf-8")
    imgs = re.findall(r"<img [^>]*>", page)
    assert imgs and all(re.search(r'alt="[^"]{10,}"', i) for i in imgs), "every figure needs alt text"
    assert "figcaption" in page
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert f"{methods.n_interviews()} semi-structured interviews" in text
    assert f"The paper quotes {methods.n_respondents_quoted()} respondents" in text
    # the paper reports interviews, not people: a count of people carries the caveat (issue 15)
    assert f"It reports {methods.n_interviews()} interviews (section 4), not a number of people" in text


@pytest.mark.slow
def test_entry_page_shows_first_chapter_figure_and_glued_numbers(built_book):
    """index.html leads to the introduction, which carries the methods chapter's figure and glued counts."""
    from livelihoods.analyses import methods

    assert built_book.returncode == 0
    index = (built_book.html / "index.html").read_text(encoding="utf-8")
    target = re.search(r'url=([^"]+)"', index).group(1)
    page = (built_book.html / target).read_text(encoding="utf-8")
    assert re.search(r'<img alt="Horizontal bar chart of published excerpts[^"]*"', page)
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert f"it reports {methods.n_interviews()} interviews" in text
    assert f"{methods.n_interviews()} people were interviewed" not in text  # interviews, not people (issue 15)
    assert f"only the {methods.n_excerpts()} excerpts" in text


@pytest.mark.slow
def test_synopsis_question_is_glued_from_data(built_book):
    from livelihoods import evidence

    assert built_book.returncode == 0
    q = evidence.load_questions().set_index("question_id").loc["S4", "text"]
    page = (built_book.html / "book" / "chapters" / "d_methods.html").read_text(encoding="utf-8")
    assert q in page


@pytest.mark.slow
def test_second_build_executes_nothing(built_book):
    assert built_book.returncode == 0
    proc = built_book.livelihoods("build")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "executing" not in proc.stdout
    assert re.search(r"\(0 notebooks executed, \d+ from cache\)", proc.stdout), proc.stdout[-2000:]
    assert "is up to date" in proc.stdout and "Sphinx" not in proc.stdout, "an unchanged book ran Sphinx again"


# ------------------------------------------------------------------ what decides that a build can be skipped


@pytest.fixture
def tiny_book(tmp_path):
    """The files build._book_inputs reads, in a throwaway folder."""
    (tmp_path / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nchapters:\n- file: notebooks/a\n", encoding="utf-8"
    )
    for rel, text in {
        "book/intro.md": "# Intro\n",
        "book/_static/book.css": "body {}\n",
        "notebooks/a.ipynb": "{}",
        "src/livelihoods/x.py": "X = 1\n",
        "data/a.csv": "a\n1\n",
        "tools/chapters/a.py": "# not part of the book\n",
    }.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "rel",
    [
        "book/intro.md",
        "book/_static/book.css",
        "notebooks/a.ipynb",
        "src/livelihoods/x.py",
        "data/a.csv",
        "_config.yml",
    ],
)
def test_book_inputs_change_with_every_source(tiny_book, rel):
    before = build._book_inputs(tiny_book, "instructor")
    with open(tiny_book / rel, "a", encoding="utf-8") as fh:
        fh.write("\n")
    assert build._book_inputs(tiny_book, "instructor") != before, f"an edit to {rel} would not rebuild the book"


def test_book_inputs_ignore_timestamps_and_files_outside_the_book(tiny_book):
    import os

    before = build._book_inputs(tiny_book, "instructor")
    os.utime(tiny_book / "book" / "intro.md", (1, 1))
    (tiny_book / "tools" / "chapters" / "a.py").write_text("# edited\n", encoding="utf-8")
    assert build._book_inputs(tiny_book, "instructor") == before
    assert build._book_inputs(tiny_book, "student") != before, "the two editions must not share a stamp"
