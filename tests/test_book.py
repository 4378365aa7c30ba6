"""The built book: strict Sphinx build, every table-of-contents page present, glue and figures rendered."""

from __future__ import annotations

import re

import pytest

from helpers import ROOT
from livelihoods import book

pytestmark = pytest.mark.slow
HTML = ROOT / "_build" / "html"


def test_build_succeeds_without_warnings(built_book):
    assert built_book.returncode == 0, (
        "book build failed (warnings are errors):\n" + built_book.stdout[-4000:] + built_book.stderr[-4000:]
    )


def test_every_toc_entry_has_its_page(built_book):
    assert built_book.returncode == 0
    missing = [str(p.relative_to(ROOT)) for p in book.toc_files(ROOT)
               if not (HTML / p.relative_to(ROOT).with_suffix(".html")).is_file()]
    assert not missing, f"pages missing from _build/html: {missing}"
    assert (HTML / "index.html").is_file()


def test_first_chapter_has_figure_with_alt_and_glued_numbers(built_book):
    from livelihoods import evidence

    assert built_book.returncode == 0
    page = (HTML / "notebooks" / "d_methods.html").read_text(encoding="utf-8")
    imgs = re.findall(r"<img [^>]*>", page)
    assert imgs and all(re.search(r'alt="[^"]{10,}"', i) for i in imgs), "every figure needs alt text"
    assert "figcaption" in page
    text = re.sub(r"<[^>]+>", "", page)
    assert f"{evidence.n_interviews()} semi-structured interviews" in text
    assert f"{evidence.n_respondents_quoted()} are quoted" in text


def test_entry_page_shows_first_chapter_figure_and_glued_numbers(built_book):
    """index.html leads to the introduction, which carries the methods chapter's figure and glued counts."""
    from livelihoods import evidence

    assert built_book.returncode == 0
    index = (HTML / "index.html").read_text(encoding="utf-8")
    target = re.search(r'url=([^"]+)"', index).group(1)
    page = (HTML / target).read_text(encoding="utf-8")
    assert re.search(r'<img alt="Horizontal bar chart of published excerpts[^"]*"', page)
    text = re.sub(r"<[^>]+>", "", page)
    assert f"{evidence.n_interviews()} people were interviewed" in text
    assert f"only the {evidence.n_excerpts()} excerpts" in text


def test_synopsis_question_is_glued_from_data(built_book):
    from livelihoods import data

    assert built_book.returncode == 0
    q = data.load_questions().set_index("question_id").loc["S4", "text"]
    page = (HTML / "notebooks" / "d_methods.html").read_text(encoding="utf-8")
    assert q in page


def test_second_build_executes_nothing(built_book):
    import subprocess
    import sys

    assert built_book.returncode == 0
    proc = subprocess.run([sys.executable, "-m", "livelihoods.cli", "build"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "executing" not in proc.stdout
    assert re.search(r"\(0 notebooks executed, \d+ from cache\)", proc.stdout), proc.stdout[-2000:]
