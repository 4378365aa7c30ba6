"""The built book as a reader meets it: Debian's Chromium, headless, driven by Playwright.

Every page of ``_build/html`` is served on 127.0.0.1 and opened once at a laptop's width and once at a
phone's, by the ``laptop_survey`` and ``phone_survey`` jobs of ``page_survey.py`` (which ``test_reader.py``
shares); the interactive tests (the root's redirect, search) open their own tabs through ``site``. Every
request to any other host is blocked and recorded, so a page that would fetch a font, a script or MathJax
from the internet fails here even on a machine that is online. Each page must load with no console error
and no failed request; its internal links and anchors must resolve; its images must carry alt text;
axe-core must find no serious or critical accessibility violation; and its main text must fit a 390-pixel
screen without sideways scrolling. The search page must find a phrase quoted in a chapter, every solution
must stay hidden until its toggle is clicked, every chapter with parameters must show them in a table, and
nothing a browser fetches may escape the page-weight count.

The pages are known before the build from ``_toc.yml`` (so the tests are listed per page, and hold for
every chapter as it lands); ``test_every_built_page_is_listed`` checks the build made no others.
Chromium, axe-core: see ``browser_helpers.require`` (skipped loudly when missing, failed under CI=true).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

import page_survey
from browser_helpers import PHONE, bullets, chapter_pages, launch, require_axe, serve, static_ids
from page_survey import Site

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGES = page_survey.PAGES
CHAPTERS = chapter_pages()


@pytest.fixture(scope="module")
def html_dir(built_book) -> Path:
    assert built_book.returncode == 0, "the book did not build (see test_book.py::test_build_succeeds_without_warnings)"
    return built_book.html


@pytest.fixture(scope="module")
def site(html_dir):
    """Chromium (module scope: closed before other modules run their own event loops) and the served book, for
    the tests that open a page themselves (the root's redirect, search); axe-core runs in the laptop survey."""
    from playwright.sync_api import sync_playwright

    with serve(html_dir) as base_url, sync_playwright() as pw:
        browser = launch(pw)
        try:
            yield Site(browser, base_url, axe_js=None)
        finally:
            browser.close()


# --- the set of pages ------------------------------------------------------------------------------


def test_every_built_page_is_listed(html_dir):
    """The tests run on every page: the built folder holds no page that the table of contents does not give."""
    from livelihoods.book import weight

    built = {p.relative_to(html_dir).as_posix() for p in weight.pages(html_dir)} - {"index.html"}
    extra = sorted(built - set(PAGES))
    missing = sorted(set(PAGES) - built)
    assert not missing, f"pages in _toc.yml that were not built:{bullets(missing)}"
    assert not extra, (
        f"built pages the browser tests do not know (a stale page from an earlier build? "
        f"run `make clean` and rebuild):{bullets(extra)}"
    )


def test_root_redirects_to_the_first_page(site):
    tab, visit = site.open("index.html", idle=True, lands_on=PAGES[0])
    tab.close()
    assert not visit.console_errors and not visit.failed and not visit.external


# --- every page at a laptop's width ------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_without_errors(laptop_survey, page):
    visit = laptop_survey[page]
    assert not visit.console_errors, f"{page}: console errors:{bullets(visit.console_errors)}"
    assert not visit.failed, f"{page}: failed requests:{bullets(visit.failed)}"


@pytest.mark.parametrize("page", PAGES)
def test_page_makes_no_external_request(laptop_survey, page):
    """Offline-ready: fonts, scripts and maths come from the book itself or are not loaded at all."""
    visit = laptop_survey[page]
    hint = (
        "\n(MathJax from a CDN means a page uses maths: serve MathJax locally via mathjax_path in _config.yml, "
        "or write the formula without maths markup)"
        if any("mathjax" in u.lower() for u in visit.external)
        else ""
    )
    assert not visit.external, f"{page}: requests to other hosts (blocked):{bullets(visit.external)}{hint}"


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_and_anchors_resolve(laptop_survey, page, html_dir):
    visit = laptop_survey[page]
    broken = []
    for href in visit.links:
        if not href.startswith(visit.base):
            continue  # another site (GitHub, Binder, a DOI): a link, never a request
        parts = urlsplit(href)
        rel = unquote(parts.path[len(urlsplit(visit.base).path) :])
        target = html_dir / rel
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{href} (no file {target.relative_to(html_dir).as_posix()})")
            continue
        if parts.fragment and target.suffix == ".html":
            ids = visit.ids if rel == page else static_ids(target)
            if unquote(parts.fragment) not in ids:
                broken.append(f"{href} (no anchor #{parts.fragment} in {rel})")
    assert not broken, f"{page}: internal links that do not resolve:{bullets(sorted(set(broken)))}"


@pytest.mark.parametrize("page", PAGES)
def test_images_have_alt_text_and_load(laptop_survey, page):
    visit = laptop_survey[page]
    missing = [i["html"] for i in visit.images if not (i["alt"] or "").strip()]
    assert not missing, f"{page}: images without alt text:{bullets(missing)}"
    vague = [
        i["alt"]
        for i in visit.images
        if i["inArticle"]
        and (len(i["alt"].strip()) < 15 or i["alt"].strip().lower() in {"a chart", "chart", "figure", "image", "plot"})
    ]
    assert not vague, f"{page}: figure alt text must say what the figure shows:{bullets(vague)}"
    # Images inside closed menus (launch-button logos) may wait until the menu opens: those in the article must load.
    broken = [i["src"] for i in visit.images if i["inArticle"] and not i["loaded"]]
    assert not broken, f"{page}: images that did not load:{bullets(broken)}"


@pytest.mark.parametrize("page", PAGES)
def test_accessibility_axe_core(laptop_survey, page):
    """axe-core on the whole page: serious and critical violations fail (minor and moderate are reported by axe only)."""
    require_axe()
    visit = laptop_survey[page]
    lines = [f"{v['impact']} {v['id']}: {v['help']} ({v['url']}) at {', '.join(v['nodes'])}" for v in visit.axe]
    assert not lines, f"{page}: axe-core violations:{bullets(lines)}"


@pytest.mark.parametrize("page", PAGES)
def test_fetches_are_counted_by_page_weight(laptop_survey, page, html_dir):
    """Nothing the browser downloads escapes ``livelihoods page-weight`` (so its budget means something)."""
    from livelihoods.book import weight

    visit = laptop_survey[page]
    counted = weight.page_weight(html_dir, html_dir / page)
    known = {counted.page, *counted.images, *counted.assets}
    fetched = {
        unquote(urlsplit(u).path[len(urlsplit(visit.base).path) :]) for u in visit.fetched if u.startswith(visit.base)
    }
    uncounted = sorted(fetched - known)
    assert not uncounted, (
        f"{page}: fetched by the browser but not counted by livelihoods.book.weight:{bullets(uncounted)}"
    )


def test_every_figure_is_svg_or_at_least_twice_its_displayed_size_on_a_laptop(laptop_survey):
    """Crisp figures at 1280 px (issue 18; ``test_reader.py`` checks the same on a phone)."""
    visits = {page: laptop_survey[page] for page in PAGES}
    assert sum(len(page_survey.figures(v)) for v in visits.values()) >= 15, "under 15 figures: is the selector right?"
    blurred = [line for page, visit in visits.items() for line in page_survey.blurred(page, visit)]
    assert not blurred, f"raster images below twice their displayed size:{bullets(blurred)}"


@pytest.mark.parametrize("stem,page", CHAPTERS, ids=[s for s, _ in CHAPTERS])
def test_the_first_screen_on_a_laptop_shows_the_question_and_objectives_not_the_parameters(laptop_survey, stem, page):
    """The lesson first (issue 18; ``test_reader.py`` checks the same on a phone)."""
    problems = page_survey.first_screen_problems(page, laptop_survey[page].first)
    assert not problems, bullets(problems)


# --- a phone's width ---------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_fits_a_phone_screen(phone_survey, page):
    """At 390 px the page does not scroll sideways and no paragraph, heading, figure or quote sticks out."""
    visit = phone_survey[page]
    result = visit.overflow
    assert result["width"] == PHONE["width"], f"the phone viewport is {result['width']} px wide"
    assert result["scrollWidth"] <= result["width"], (
        f"{page}: at {PHONE['width']} px the page scrolls sideways ({result['scrollWidth']} px wide)"
    )
    assert not result["out"], f"{page}: text wider than a {PHONE['width']} px screen:{bullets(result['out'])}"
    problems = visit.console_errors + visit.failed + visit.external
    assert not problems, f"{page} on a phone:{bullets(problems)}"


# --- solutions, search, parameters --------------------------------------------------------------------


def _solution_count(html_dir: Path, page: str) -> int:
    return (html_dir / page).read_text(encoding="utf-8").count('class="solution')


@pytest.mark.parametrize("page", PAGES)
def test_solutions_are_hidden_until_clicked(laptop_survey, page, html_dir):
    """A solution is hidden when the page opens and shown when its toggle is clicked (instructor edition);
    clicked during the page's visit (:func:`_probe_solutions`)."""
    expected = _solution_count(html_dir, page)
    if not expected:
        return  # no exercise on this page; test_the_book_has_solutions makes sure some page has them
    found = laptop_survey[page].solutions
    assert found["count"] == expected, f"{page}: {found['count']} solutions on the page, {expected} in its HTML"
    assert not found["problems"], f"{page}:{bullets(found['problems'])}"


def test_the_book_has_solutions(html_dir):
    assert any(_solution_count(html_dir, p) for p in PAGES), "no page of the book has a solution to test"


_STOPWORDS = {
    "about",
    "after",
    "again",
    "because",
    "before",
    "being",
    "could",
    "every",
    "other",
    "their",
    "there",
    "these",
    "those",
    "through",
    "which",
    "while",
    "would",
    "where",
    "should",
}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower().replace("’", "'").replace("'", ""))


def _page_words(html_dir: Path, page: str) -> str:
    html = (html_dir / page).read_text(encoding="utf-8")
    main = html.split("<main", 1)[-1]
    text = re.sub(r"<[^>]+>", " ", main)
    import html as html_lib

    return " " + " ".join(_words(html_lib.unescape(text))) + " "


def search_phrase(html_dir: Path) -> tuple[str, str, list[str]]:
    """A phrase to search for, where it comes from, and the pages that contain it.

    Preferably five consecutive words of an interview excerpt (data/excerpts.csv; "walled garden" first
    when a chapter quotes it) as a chapter prints it. Until a chapter quotes an excerpt, the synopsis
    question a chapter glues from data/questions.csv stands in.
    """
    from livelihoods import evidence

    texts = {p: _page_words(html_dir, p) for p in PAGES if p not in ("search.html", "genindex.html")}
    excerpts = evidence.load_excerpts()
    ordered = sorted(excerpts.itertuples(), key=lambda e: "walled garden" not in str(e.text).lower())
    candidates = [(f"excerpt {e.excerpt_id}", str(e.text)) for e in ordered]
    questions = evidence.load_questions()
    candidates += [
        (f"question {q.question_id} (no chapter quotes an excerpt yet)", str(q.text)) for q in questions.itertuples()
    ]
    for source, text in candidates:
        words = _words(text)
        for i in range(len(words) - 4):
            window = words[i : i + 5]
            if sum(len(w) >= 5 and w not in _STOPWORDS for w in window) < 3:
                continue
            needle = " " + " ".join(window) + " "
            where = [p for p, t in texts.items() if needle in t]
            if where:
                return " ".join(window), source, where
            break  # this text is not in the book (as printed): try the next one
    pytest.fail("no excerpt or question from data/ appears in any built page")


def test_search_finds_a_quoted_phrase(site, html_dir):
    phrase, source, expected = search_phrase(html_dir)
    tab, visit = site.open("search.html?q=" + quote(phrase))
    try:
        tab.wait_for_function(
            "() => { const s = document.querySelector('#search-results .search-summary');"
            " return s && /found/.test(s.textContent); }"
        )
        hits = tab.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
    finally:
        tab.close()
    found = {unquote(urlsplit(h).path[len(urlsplit(site.base).path) :]) for h in hits}
    missing = [p for p in expected if p not in found]
    assert not missing, f"searching {phrase!r} ({source}) did not list {missing}; it listed {sorted(found)}"
    assert not visit.console_errors and not visit.failed and not visit.external


@pytest.mark.parametrize("stem,page", CHAPTERS, ids=[s for s, _ in CHAPTERS])
def test_chapter_shows_its_parameters(laptop_survey, stem, page):
    """A chapter with parameters shows them on its page, in its collapsed "Run this chapter yourself" box:
    name, default, allowed values, meaning.

    The book runs every chapter with its defaults, so no "this run" column repeats them.
    """
    from livelihoods.book import params

    spec = params.spec(stem)
    if not spec:
        return  # nothing to show; chapter.start displays no table
    found = laptop_survey[page].parameters  # the box opened during the page's visit (page_survey)
    assert found["count"] == 1, f"{page}: expected one table captioned 'Parameters of this chapter'"
    assert found["hidden_at_first"], f"{page}: the parameters table is shown before the lesson (issue 18)"
    rows, headers = found["rows"], found["headers"]
    shown = {row[0]: dict(zip(headers, row)) for row in rows}
    assert set(shown) == set(spec), f"{page}: the table shows {sorted(shown)}, the registry has {sorted(spec)}"
    for name, p in spec.items():
        assert shown[name]["Default"] == repr(p.default), f"{page}: {name} default shown {shown[name]['Default']}"
        assert shown[name]["Allowed values"] == p.allowed(), (
            f"{page}: {name} allowed values shown {shown[name]['Allowed values']}"
        )
        meaning = shown[name]["What it does"].replace("’", "'")  # Sphinx sets apostrophes as typographic quotes
        assert meaning == p.meaning(), f"{page}: {name} meaning shown {shown[name]['What it does']}"
    assert "this run" not in [h.lower() for h in headers], (
        f"{page}: the book runs the defaults; a 'this run' column only repeats them"
    )
