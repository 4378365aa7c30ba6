"""Student and instructor editions, and the offline bundle.

The student edition must carry no solution text anywhere (pages, search index, downloadable
sources); the instructor edition must carry every solution, hidden behind a toggle. Solutions are
found from the notebooks' cells tagged ``solution``, so a new chapter is covered without editing
this file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import background
from browser_helpers import PATIENCE_MS
from helpers import copy_with_cache, cell_source, html_text, load_nb, normalise_for_search, text_fragments
from helpers import SOURCES as NOTEBOOKS  # the chapter sources: what the rules are about
from livelihoods.book import myst
from livelihoods.errors import LivelihoodsError
from livelihoods.teach import bundle
from livelihoods.book import build

IDS = [p.stem for p in NOTEBOOKS]


def solutions_by_chapter() -> dict[str, list[str]]:
    """chapter stem -> the plain-prose fragments of its solutions."""
    out = {}
    for path in NOTEBOOKS:
        frags = [f for text in myst.solution_texts(load_nb(path)) for f in text_fragments(text)]
        if frags:
            out[path.stem] = frags
    return out


# --------------------------------------------------------------------------------------------
# The convention, on every committed notebook
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_solution_directive_is_in_a_tagged_cell(path):
    nb = load_nb(path)
    assert myst.untagged_solutions(nb) == [], f"{path.name}: a {{solution}} directive outside a cell tagged 'solution'"
    for cell in nb["cells"]:
        if myst.is_solution(cell):
            assert cell["cell_type"] == "markdown" and "{solution}" in cell_source(cell), (
                f"{path.name}: a cell tagged 'solution' must be a markdown cell holding a {{solution}} directive"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_each_solution_has_searchable_text(path):
    """Every solution yields prose fragments, so the edition tests cannot pass by finding nothing."""
    for text in myst.solution_texts(load_nb(path)):
        assert text_fragments(text), f"{path.name}: a solution with no plain sentence of 5+ words: {text[:80]!r}"


def test_there_is_at_least_one_solution_in_the_book():
    assert solutions_by_chapter(), "no notebook has a cell tagged 'solution'"


# --------------------------------------------------------------------------------------------
# Helpers, by hand-worked cases
# --------------------------------------------------------------------------------------------


def test_text_fragments_split_at_markup():
    body = (
        "The table above, recomputed for `EP`, answers the counting part of it. EP's voices are "
        "fewer than KADO's {cite:p}`malik2017`, so say less.\n\n- **Only** a list item of five words here"
    )
    assert text_fragments(body) == [
        "The table above, recomputed for",
        ", answers the counting part of it. EP's voices are fewer than KADO's",
        "Only a list item of five words here",
    ]


def test_normalise_matches_rendered_html():
    source = 'EP\'s voices -- and "theirs"...'
    rendered = "<p>EP\u2019s <em>voices</em> \u2013 and \u201ctheirs\u201d\u2026</p>"
    assert normalise_for_search(source) in normalise_for_search(html_text(rendered).replace(" ", ""))


def test_strip_solution_directives_keeps_everything_else():
    text = (
        "Intro\n\n```{exercise}\n:label: e\n\nQ?\n```\n\n````{solution} e\n:class: dropdown\n\nA ```x```.\n````\n\nEnd"
    )
    assert myst.strip_solution_directives(text) == "Intro\n\n```{exercise}\n:label: e\n\nQ?\n```\n\n\nEnd"


def test_remove_solutions_from_sources(tmp_path):
    src = tmp_path / "_sources" / "book" / "chapters"
    src.mkdir(parents=True)
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "Q"},
            {"cell_type": "markdown", "metadata": {"tags": ["solution"]}, "source": "```{solution} e\nSecret\n```"},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (src / "x.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "_sources" / "p.md").write_text(":::{solution} e\nSecret too\n:::\nKept", encoding="utf-8")
    assert build.remove_solutions_from_sources(tmp_path) == 2
    assert (
        "Secret" not in (src / "x.ipynb").read_text()
        and json.loads((src / "x.ipynb").read_text())["cells"][0]["source"] == "Q"
    )
    assert (tmp_path / "_sources" / "p.md").read_text() == "Kept"


# --------------------------------------------------------------------------------------------
# bundle, on a small fake site (fast)
# --------------------------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path):
    html = tmp_path / "html"
    (html / "book").mkdir(parents=True)
    (html / "_static").mkdir()
    (html / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=book/intro.html" />', encoding="utf-8")
    (html / "book" / "intro.html").write_text(
        '<link href="../_static/s.css" rel="stylesheet"><a href="#x">x</a>'
        '<a href="https://example.org">e</a><a href="../book/intro.html#top">t</a>',
        encoding="utf-8",
    )
    (html / "_static" / "s.css").write_text("body{}", encoding="utf-8")
    (html / ".buildinfo").write_text("hash", encoding="utf-8")
    return html


def test_bundle_is_reproducible_with_index_at_the_top(site, tmp_path):
    a = bundle.bundle(tmp_path / "a.zip", html_dir=site)
    b = bundle.bundle(tmp_path / "b.zip", html_dir=site)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        assert zf.namelist() == ["_static/s.css", "book/intro.html", "index.html"]
    assert bundle.broken_links(site) == []


def test_bundle_refuses_overwrite_and_unbuilt_edition(site, tmp_path):
    out = tmp_path / "a.zip"
    out.write_bytes(b"mine")
    with pytest.raises(LivelihoodsError, match="--force"):
        bundle.bundle(out, html_dir=site)
    with pytest.raises(LivelihoodsError, match="was not written by this command"):
        bundle.bundle(out, html_dir=site, force=True)
    assert out.read_bytes() == b"mine"
    ours = bundle.bundle(tmp_path / "b.zip", html_dir=site)
    assert bundle.is_bundle(ours) and not bundle.is_bundle(out)
    ours.write_bytes(ours.read_bytes())  # still ours, whatever its date
    bundle.bundle(ours, html_dir=site, force=True)
    assert zipfile.is_zipfile(ours)
    with pytest.raises(LivelihoodsError, match="run 'livelihoods build --edition student' first"):
        bundle.bundle(tmp_path / "s.zip", edition="student", html_dir=tmp_path / "nothing")
    with pytest.raises(LivelihoodsError, match="inside the book's HTML folder"):
        bundle.bundle(site / "x.zip", html_dir=site)


def test_broken_links_are_found(site):
    (site / "book" / "bad.html").write_text('<a href="missing.html">m</a><img src="/abs.png">', encoding="utf-8")
    assert bundle.broken_links(site) == [("book/bad.html", "missing.html"), ("book/bad.html", "/abs.png")]


# --------------------------------------------------------------------------------------------
# The built editions (slow)
# --------------------------------------------------------------------------------------------


@background.job("student_build", after_book=True)
def student_build(folder: Path, book) -> dict:
    """The student edition, built in a copy holding the instructor build's execution cache (so nothing is
    executed again, and the folders the foreground tests read are not written)."""
    if book.returncode != 0:
        return {}
    copy = copy_with_cache(book.root, folder / "book")
    proc = subprocess.run(
        [sys.executable, "-m", "livelihoods.cli", "build", "--edition", "student"],
        cwd=copy,
        env=background.environ(LIVELIHOODS_ROOT=str(copy)),
        capture_output=True,
        text=True,
    )
    return {"proc": proc, "html": copy / "_build" / "student" / "html"}


@pytest.fixture(scope="module")
def student_edition(built_book, student_build):
    assert built_book.returncode == 0, "the instructor build failed (test_book.py says why)"
    proc = student_build["proc"]
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "(0 notebooks executed" in proc.stdout, (
        "the student edition executed notebooks again: " + proc.stdout[-2000:]
    )
    return student_build["html"]


def searchable_files(folder: Path) -> dict[str, str]:
    """Every text file of a built site, as normalised searchable text (HTML without tags, notebooks' cells)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix.lower() in (
            ".png",
            ".jpg",
            ".jpeg",
            ".gif",
            ".woff",
            ".woff2",
            ".ttf",
            ".eot",
            ".ico",
            ".svg",
            ".pdf",
            ".zip",
            ".inv",
        ):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            text = html_text(text)
        elif path.suffix == ".ipynb":
            text = "\n".join(cell_source(c) for c in json.loads(text)["cells"])
        out[str(path.relative_to(folder))] = normalise_for_search(text)
    return out


@pytest.mark.slow
def test_student_edition_has_no_solution_text(student_edition):
    files = searchable_files(student_edition)
    assert any(name.endswith(".ipynb") for name in files), "the downloadable sources are searched too"
    found = [
        (name, frag)
        for frags in solutions_by_chapter().values()
        for frag in frags
        for name, text in files.items()
        if normalise_for_search(frag) in text
    ]
    assert not found, f"solution text in the student edition: {found[:3]}"


@pytest.mark.slow
def test_student_edition_keeps_the_exercises(student_edition):
    for stem in solutions_by_chapter():
        page = (student_edition / "book" / "chapters" / f"{stem}.html").read_text(encoding="utf-8")
        assert 'class="exercise' in page and 'class="solution' not in page


@pytest.mark.slow
def test_instructor_edition_has_every_solution_behind_a_toggle(built_book):
    from bs4 import BeautifulSoup

    assert built_book.returncode == 0
    for stem, frags in solutions_by_chapter().items():
        soup = BeautifulSoup(
            (built_book.html / "book" / "chapters" / f"{stem}.html").read_text(encoding="utf-8"), "html.parser"
        )
        boxes = soup.select("div.solution")
        assert boxes and all("dropdown" in box["class"] for box in boxes), f"{stem}: solutions must be dropdowns"
        inside = normalise_for_search(" ".join(box.get_text(" ") for box in boxes))
        missing = [f for f in frags if normalise_for_search(f) not in inside]
        assert not missing, f"{stem}: solution text not inside a toggled box: {missing[:2]}"
        assert soup.find("script", src=lambda s: s and "togglebutton" in s), f"{stem}: sphinx-togglebutton not loaded"


@pytest.mark.slow
@pytest.mark.browser
def test_instructor_solution_hidden_until_clicked(built_book, tmp_path):
    from playwright.sync_api import sync_playwright

    assert built_book.returncode == 0
    stem, frags = next(iter(solutions_by_chapter().items()))
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--proxy-server=127.0.0.1:9"]
        )
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto((built_book.html / "book" / "chapters" / f"{stem}.html").as_uri())
        tab.wait_for_load_state("load")
        text = tab.get_by_text(frags[0][:40]).first
        assert not text.is_visible(), "the solution must be hidden until its toggle is clicked"
        tab.locator("div.solution button.toggle-button").first.click()
        text.wait_for(state="visible", timeout=PATIENCE_MS)
        browser.close()


@pytest.mark.slow
@pytest.mark.browser
def test_bundle_opens_from_disk(built_book, tmp_path):
    from playwright.sync_api import sync_playwright

    assert built_book.returncode == 0
    proc = built_book.livelihoods("bundle", "--out", str(tmp_path / "book.zip"))
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(tmp_path / "book.zip") as zf:
        assert "index.html" in zf.namelist()
        zf.extractall(tmp_path / "site")
    site = tmp_path / "site"
    assert bundle.broken_links(site) == [], "every relative link must resolve inside the bundle"
    failed = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--proxy-server=127.0.0.1:9"]
        )
        tab = browser.new_page()
        tab.on("requestfailed", lambda r: failed.append(r.url) if r.url.startswith("file:") else None)
        tab.goto((site / "index.html").as_uri())
        tab.wait_for_url("**/book/intro.html")
        tab.wait_for_load_state("load")
        assert "Online outsourcing" in tab.inner_text("body")
        tab.locator("nav a[href*='educators_guide']").first.click()
        tab.wait_for_url("**/book/educators_guide.html")
        browser.close()
    assert failed == []
