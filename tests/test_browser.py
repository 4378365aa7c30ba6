"""The built book as a reader meets it: Debian's Chromium, headless, driven by Playwright.

Every page of ``_build/html`` is served on 127.0.0.1 and opened at a laptop's width and at a phone's
width. Every request to any other host is blocked and recorded, so a page that would fetch a font, a
script or MathJax from the internet fails here even on a machine that is online. Each page must load
with no console error and no failed request; its internal links and anchors must resolve; its images
must carry alt text; axe-core must find no serious or critical accessibility violation; and its main
text must fit a 390-pixel screen without sideways scrolling. The search page must find a phrase
quoted in a chapter, every solution must stay hidden until its toggle is clicked, every chapter with
parameters must show them in a table, and nothing a browser fetches may escape the page-weight count.

The pages are known before the build from ``_toc.yml`` (so the tests are listed per page, and hold for
every chapter as it lands); ``test_every_built_page_is_listed`` checks the build made no others.
Chromium, axe-core: see ``browser_helpers.require`` (skipped loudly when missing, failed under CI=true).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

from browser_helpers import (
    settle,
    AXE_JS,
    DESKTOP,
    PATIENCE_MS,
    PHONE,
    chapter_pages,
    require_axe,
    require_chromium,
    serve,
    static_ids,
    toc_pages,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGES = toc_pages()
CHAPTERS = chapter_pages()
CHROMIUM_ARGS = [
    # Nothing leaves the machine: no background services, and no name resolves except the local server.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-default-browser-check",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


@dataclass
class Visit:
    """What one page did when opened: everything the tests below check, gathered in one load."""

    page: str
    url: str
    seconds: float = 0.0
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    images: list[dict] = field(default_factory=list)
    axe: list[dict] | None = field(default_factory=list)
    parameters: dict = field(default_factory=dict)  # _probe_parameters
    solutions: dict = field(default_factory=dict)  # _probe_solutions


class Site:
    """The served book in one browser: a laptop context and a phone context, visits cached per page."""

    def __init__(self, browser, base_url: str, axe_js: Path | None):
        self.base = base_url
        self.axe_js = axe_js
        self.browser = browser
        self.desktop = self._context(viewport=DESKTOP)
        self.phone = self._context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
        self._visits: dict[str, Visit] = {}

    def local(self, url: str) -> bool:
        return url.startswith(self.base) or url.startswith(("data:", "blob:", "about:"))

    def _context(self, **options):
        context = self.browser.new_context(**options)
        context.set_default_timeout(PATIENCE_MS)

        def route(r):
            if self.local(r.request.url):
                r.continue_()
            else:  # recorded by the page's "request" listener, then refused
                r.abort("blockedbyclient")

        context.route("**/*", route)
        return context

    def open(self, page: str, context=None, visit: Visit | None = None, idle: bool = False, lands_on: str = ""):
        """A new tab on ``page`` with listeners that fill ``visit``; returns (tab, visit).

        The tab is returned once the load event has fired (on ``lands_on``, a page ``page`` redirects to)
        and fonts and layout have settled. ``idle``:
        then also wait until no request the page made is still in flight, so that every request is
        recorded (:meth:`visit`, whose record the per-page tests read). A request still in flight after
        PATIENCE_MS is recorded as failed, with its address. (Playwright's "networkidle", 500 ms with no
        request, recorded the same requests on every page; it is a timing rule, and once waited out its
        15 s limit on a busy runner with nothing to show for it.)
        """
        visit = visit or Visit(page, self.base + page)
        tab = (context or self.desktop).new_page()
        in_flight: set = set()
        tab.on(
            "console",
            lambda m: visit.console_errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None,
        )
        tab.on("pageerror", lambda e: visit.console_errors.append(f"uncaught: {e}"))
        tab.on("request", lambda r: in_flight.add(r))
        tab.on("request", lambda r: None if self.local(r.url) else visit.external.append(r.url))
        tab.on("requestfailed", lambda r: in_flight.discard(r))
        tab.on("requestfailed", lambda r: visit.failed.append(f"{r.url} ({r.failure})") if self.local(r.url) else None)
        tab.on("requestfinished", lambda r: in_flight.discard(r))
        tab.on("requestfinished", lambda r: visit.fetched.append(r.url))
        tab.on("response", lambda r: visit.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None)
        start = time.perf_counter()
        tab.goto(visit.url, wait_until="load")
        if lands_on:
            tab.wait_for_url(self.base + lands_on, wait_until="load")
        settle(tab)
        if idle:
            deadline = start + PATIENCE_MS / 1000
            while in_flight and time.perf_counter() < deadline:
                tab.wait_for_timeout(20)  # lets Playwright deliver the events that empty in_flight
            visit.failed += [f"{r.url} (still loading after {PATIENCE_MS // 1000} s)" for r in in_flight]
        visit.seconds = time.perf_counter() - start
        return tab, visit

    def visit(self, page: str) -> Visit:
        """Open ``page`` at laptop width once and gather links, ids, images and axe-core's verdict."""
        if page in self._visits:
            return self._visits[page]
        tab, visit = self.open(page, idle=True)
        try:
            visit.links = tab.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            visit.ids = set(
                tab.eval_on_selector_all(
                    "[id], a[name]", "els => els.flatMap(e => [e.id, e.getAttribute('name')]).filter(Boolean)"
                )
            )
            visit.images = tab.eval_on_selector_all(
                "img",
                """els => els.map(e => ({
                src: e.getAttribute('src'), alt: e.getAttribute('alt'), loaded: e.complete && e.naturalWidth > 0,
                inArticle: !!e.closest('.bd-article, article'), html: e.outerHTML.slice(0, 200)}))""",
            )
            if self.axe_js is None:
                visit.axe = None  # test_accessibility_axe_core skips (fails under CI) with the reason
            else:
                tab.add_script_tag(path=str(self.axe_js))
                visit.axe = tab.evaluate("""async () => {
                const result = await axe.run(document, {resultTypes: ['violations']});
                return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                  .map(v => ({id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                              nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
            }""")
            # Then what a reader does on the page (after every record above: clicks change the page).
            visit.parameters = _probe_parameters(tab)
            visit.solutions = _probe_solutions(tab)
        finally:
            tab.close()
        self._visits[page] = visit
        return visit


def _probe_parameters(tab) -> dict:
    """The "Parameters of this chapter" table: how many, hidden when the page opens, and its header and rows
    once its "Run this chapter yourself" box is opened."""
    table = tab.locator("table", has=tab.locator("caption", has_text="Parameters of this chapter"))
    found: dict = {"count": table.count()}
    if found["count"] != 1:
        return found
    found["hidden_at_first"] = not table.is_visible()
    tab.locator("details.livelihoods-run > summary").click()  # the collapsed "Run this chapter yourself" box
    table.wait_for(state="visible")
    found["rows"] = table.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.querySelectorAll('th, td')).map(c => c.textContent.trim()))"
    )
    found["headers"] = table.locator("thead th").evaluate_all("cs => cs.map(c => c.textContent.trim())")
    return found


def _probe_solutions(tab) -> dict:
    """Every solution on the page: hidden when the page opens, shown once its toggle is clicked."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    solutions = tab.locator("div.solution")
    found: dict = {"count": solutions.count(), "problems": []}
    for i in range(found["count"]):
        solution = solutions.nth(i)
        name = solution.get_attribute("id")
        body = solution.locator(":scope > :not(.admonition-title)")
        if not body.count():
            found["problems"].append(f"solution {name} has no content")
            continue
        if "dropdown" not in (solution.get_attribute("class") or ""):
            found["problems"].append(f"solution {name} is not a dropdown (write it with :class: dropdown)")
            continue
        if any(body.nth(j).is_visible() for j in range(body.count())):
            found["problems"].append(f"solution {name} is visible before its toggle is clicked")
            continue
        solution.locator(".toggle-button").first.click()
        try:  # the toggle animates: wait for each part to show, not a fixed pause
            for j in range(body.count()):
                body.nth(j).wait_for(state="visible")
        except PlaywrightTimeout:
            found["problems"].append(
                f"solution {name} is still hidden {PATIENCE_MS // 1000} s after its toggle was clicked"
            )
    return found


@pytest.fixture(scope="module")
def html_dir(built_book) -> Path:
    assert built_book.returncode == 0, "the book did not build (see test_book.py::test_build_succeeds_without_warnings)"
    return built_book.html


@pytest.fixture(scope="module")
def site(html_dir):
    """Chromium (module scope: closed before other modules run their own event loops) and the served book."""
    chromium = require_chromium()
    axe_js = AXE_JS if AXE_JS.is_file() else None
    from playwright.sync_api import sync_playwright

    with serve(html_dir) as base_url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        try:
            yield Site(browser, base_url, axe_js)
        finally:
            browser.close()


def _fmt(items, limit: int = 12) -> str:
    items = list(items)
    more = f"\n  ... and {len(items) - limit} more" if len(items) > limit else ""
    return "\n  " + "\n  ".join(str(i) for i in items[:limit]) + more


# --- the set of pages ------------------------------------------------------------------------------


def test_every_built_page_is_listed(html_dir):
    """The tests run on every page: the built folder holds no page that the table of contents does not give."""
    from livelihoods.book import weight

    built = {p.relative_to(html_dir).as_posix() for p in weight.pages(html_dir)} - {"index.html"}
    extra = sorted(built - set(PAGES))
    missing = sorted(set(PAGES) - built)
    assert not missing, f"pages in _toc.yml that were not built:{_fmt(missing)}"
    assert not extra, (
        f"built pages the browser tests do not know (a stale page from an earlier build? "
        f"run `make clean` and rebuild):{_fmt(extra)}"
    )


def test_root_redirects_to_the_first_page(site):
    tab, visit = site.open("index.html", idle=True, lands_on=PAGES[0])
    tab.close()
    assert not visit.console_errors and not visit.failed and not visit.external


# --- every page at a laptop's width ------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_without_errors(site, page):
    visit = site.visit(page)
    assert not visit.console_errors, f"{page}: console errors:{_fmt(visit.console_errors)}"
    assert not visit.failed, f"{page}: failed requests:{_fmt(visit.failed)}"


@pytest.mark.parametrize("page", PAGES)
def test_page_makes_no_external_request(site, page):
    """Offline-ready: fonts, scripts and maths come from the book itself or are not loaded at all."""
    visit = site.visit(page)
    hint = (
        "\n(MathJax from a CDN means a page uses maths: serve MathJax locally via mathjax_path in _config.yml, "
        "or write the formula without maths markup)"
        if any("mathjax" in u.lower() for u in visit.external)
        else ""
    )
    assert not visit.external, f"{page}: requests to other hosts (blocked):{_fmt(visit.external)}{hint}"


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_and_anchors_resolve(site, page, html_dir):
    visit = site.visit(page)
    broken = []
    for href in visit.links:
        if not href.startswith(site.base):
            continue  # another site (GitHub, Binder, a DOI): a link, never a request
        parts = urlsplit(href)
        rel = unquote(parts.path[len(urlsplit(site.base).path) :])
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
    assert not broken, f"{page}: internal links that do not resolve:{_fmt(sorted(set(broken)))}"


@pytest.mark.parametrize("page", PAGES)
def test_images_have_alt_text_and_load(site, page):
    visit = site.visit(page)
    missing = [i["html"] for i in visit.images if not (i["alt"] or "").strip()]
    assert not missing, f"{page}: images without alt text:{_fmt(missing)}"
    vague = [
        i["alt"]
        for i in visit.images
        if i["inArticle"]
        and (len(i["alt"].strip()) < 15 or i["alt"].strip().lower() in {"a chart", "chart", "figure", "image", "plot"})
    ]
    assert not vague, f"{page}: figure alt text must say what the figure shows:{_fmt(vague)}"
    # Images inside closed menus (launch-button logos) may wait until the menu opens: those in the article must load.
    broken = [i["src"] for i in visit.images if i["inArticle"] and not i["loaded"]]
    assert not broken, f"{page}: images that did not load:{_fmt(broken)}"


@pytest.mark.parametrize("page", PAGES)
def test_accessibility_axe_core(site, page):
    """axe-core on the whole page: serious and critical violations fail (minor and moderate are reported by axe only)."""
    require_axe()
    visit = site.visit(page)
    lines = [f"{v['impact']} {v['id']}: {v['help']} ({v['url']}) at {', '.join(v['nodes'])}" for v in visit.axe]
    assert not lines, f"{page}: axe-core violations:{_fmt(lines)}"


@pytest.mark.parametrize("page", PAGES)
def test_fetches_are_counted_by_page_weight(site, page, html_dir):
    """Nothing the browser downloads escapes ``livelihoods page-weight`` (so its budget means something)."""
    from livelihoods.book import weight

    visit = site.visit(page)
    counted = weight.page_weight(html_dir, html_dir / page)
    known = {counted.page, *counted.images, *counted.assets}
    fetched = {
        unquote(urlsplit(u).path[len(urlsplit(site.base).path) :]) for u in visit.fetched if u.startswith(site.base)
    }
    uncounted = sorted(fetched - known)
    assert not uncounted, f"{page}: fetched by the browser but not counted by livelihoods.book.weight:{_fmt(uncounted)}"


# --- a phone's width ---------------------------------------------------------------------------------

_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const selectors = 'p, li, dt, dd, h1, h2, h3, h4, h5, h6, blockquote, figure, img, figcaption, .admonition, .cell_input';
  const out = [];
  for (const el of document.querySelectorAll(selectors.split(', ').map(s => '.bd-article ' + s).join(', '))) {
    if (el.closest('table, pre, mjx-container')) continue;  // data tables and code scroll inside their own box
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;          // hidden (a closed solution, a collapsed cell)
    if (r.right > width + 1 || r.left < -1) {
      out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${el.textContent.trim().slice(0, 60)}"`
               + ` spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
    }
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, out: out.slice(0, 20)};
}"""


@pytest.mark.parametrize("page", PAGES)
def test_fits_a_phone_screen(site, page):
    """At 390 px the page does not scroll sideways and no paragraph, heading, figure or quote sticks out."""
    tab, visit = site.open(page, context=site.phone)
    try:
        result = tab.evaluate(_OVERFLOW)
    finally:
        tab.close()
    assert result["width"] == PHONE["width"], f"the phone viewport is {result['width']} px wide"
    assert result["scrollWidth"] <= result["width"], (
        f"{page}: at {PHONE['width']} px the page scrolls sideways ({result['scrollWidth']} px wide)"
    )
    assert not result["out"], f"{page}: text wider than a {PHONE['width']} px screen:{_fmt(result['out'])}"
    assert not visit.console_errors and not visit.external, (
        f"{page} on a phone: {visit.console_errors + visit.external}"
    )


# --- solutions, search, parameters --------------------------------------------------------------------


def _solution_count(html_dir: Path, page: str) -> int:
    return (html_dir / page).read_text(encoding="utf-8").count('class="solution')


@pytest.mark.parametrize("page", PAGES)
def test_solutions_are_hidden_until_clicked(site, page, html_dir):
    """A solution is hidden when the page opens and shown when its toggle is clicked (instructor edition);
    clicked during the page's visit (:func:`_probe_solutions`)."""
    expected = _solution_count(html_dir, page)
    if not expected:
        return  # no exercise on this page; test_the_book_has_solutions makes sure some page has them
    found = site.visit(page).solutions
    assert found["count"] == expected, f"{page}: {found['count']} solutions on the page, {expected} in its HTML"
    assert not found["problems"], f"{page}:{_fmt(found['problems'])}"


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
def test_chapter_shows_its_parameters(site, stem, page):
    """A chapter with parameters shows them on its page, in its collapsed "Run this chapter yourself" box:
    name, default, allowed values, meaning.

    The book runs every chapter with its defaults, so no "this run" column repeats them.
    """
    from livelihoods.book import params

    spec = params.spec(stem)
    if not spec:
        return  # nothing to show; chapter.start displays no table
    found = site.visit(page).parameters  # the box opened during the page's visit (_probe_parameters)
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
