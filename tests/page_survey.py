"""The pages of the built book as Chromium opens them: each page opened once at a laptop's width and
once at a phone's, whatever number of tests read what the page did.

- :class:`Site` serves a folder on 127.0.0.1 in a browser with a laptop and a phone context, every
  request to another host refused and recorded (``test_browser.py``'s interactive tests and
  ``test_class_report_browser.py`` use it directly).
- Two background jobs (``tests/background.py``), each with a browser of its own, open every page of the
  book: :func:`laptop_survey` (:meth:`Site.visit`: links, images, axe-core, first screen, then the
  parameters box and the solutions clicked) and :func:`phone_survey` (:meth:`Site.phone_visit`: first
  screen, what sticks out, figures and their text). ``test_browser.py`` and ``test_reader.py`` check
  what they recorded; ``conftest.py`` imports the jobs so that both modules see their fixtures.

Why: each page used to be opened four times (a laptop visit, a phone check, and the reader's survey at
both widths), 72 opens a run, most in the foreground, whose tests are the suite's critical path, and
each in a new tab. Now 38 opens, in the background thread while the foreground runs other tests, each
width's pages one after another in one tab (:meth:`Site._survey_tab`: a quarter of the CPU).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import background
from browser_helpers import AXE_JS, DESKTOP, PATIENCE_MS, PHONE, elsewhere, launch, serve, settle, toc_pages

#: Every page of the book (the survey's pages: test_browser.PAGES is the same list).
PAGES = toc_pages()

#: The figures of a page's article as shown: their source, alt text, whether they loaded, their natural
#: and displayed widths (test_reader checks raster figures are at least twice as wide as shown).
IMAGES_JS = """() => Array.from(document.querySelectorAll('img')).map(e => ({
  src: e.getAttribute('src'), alt: e.getAttribute('alt'), loaded: e.complete && e.naturalWidth > 0,
  inArticle: !!e.closest('.bd-article, article'), html: e.outerHTML.slice(0, 200),
  natural: e.naturalWidth, shown: e.getBoundingClientRect().width}))"""

#: The smallest text of each SVG figure, in CSS pixels as the screen shows it (see the file's comment).
FIGURE_TEXT_JS = (Path(__file__).parent / "figure_text.js").read_text(encoding="utf-8")

#: What a chapter's first screen shows, before any scrolling: its question, its learning objectives, and no
#: parameters (they sit in one collapsed "Run this chapter yourself" box). null on a page without a title.
FIRST_SCREEN_JS = """() => {
  const inView = el => { if (!el) return false; const r = el.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.top < innerHeight; };
  const article = document.querySelector('.bd-article');
  const h1 = article && article.querySelector('h1');
  if (!h1) return null;
  // the question: the guide's question (or the research questions) quoted after the title, else the opening paragraph
  const opening = Array.from(article.querySelectorAll('blockquote, p')).filter(el =>
    h1.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  const question = opening[0];
  const objectives = Array.from(article.querySelectorAll('p strong')).find(s => /Learning objectives/.test(s.textContent));
  const params = Array.from(article.querySelectorAll('table, .cell.tag_parameters, details.livelihoods-run'));
  const visibleParams = params.filter(el => el.matches('details') ? el.open && inView(el.querySelector('table'))
                                                                   : inView(el));
  const box = article.querySelector('details.livelihoods-run');
  return {question: inView(question), objectives: inView(objectives), params: visibleParams.length,
          box: !!box, boxOpen: box ? box.open : null, h2: Array.from(article.querySelectorAll('h2'))
            .filter(inView).map(h => h.textContent.trim())};
}"""

#: What sticks out of the screen: paragraphs, headings, figures and quotes wider than the viewport.
OVERFLOW_JS = """() => {
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


@dataclass
class Visit:
    """What one page did when opened at one width: everything the per-page tests check, gathered in one load."""

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
    first: dict | None = None  # FIRST_SCREEN_JS: what the first screen shows, before any scrolling
    overflow: dict = field(default_factory=dict)  # OVERFLOW_JS (phone)
    figure_text: list[dict] = field(default_factory=list)  # figure_text.js (phone)

    @property
    def base(self) -> str:
        """The served folder's address (the page's address without the page)."""
        return self.url[: len(self.url) - len(self.page)]


class Site:
    """The served book in one browser: a laptop context and a phone context, visits cached per page."""

    def __init__(self, browser, base_url: str, axe_js: Path | None):
        self.base = base_url
        self.axe_js = axe_js
        self.browser = browser
        self.desktop = self._context(viewport=DESKTOP)
        self.phone = self._context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
        self._visits: dict[str, Visit] = {}
        self._watched: dict = {}  # tab -> what its listeners record into (_watch)
        self._tabs: dict = {}  # context -> the surveys' tab (_survey_tab)

    def local(self, url: str) -> bool:
        return url.startswith(self.base) or url.startswith(("data:", "blob:", "about:"))

    def _context(self, **options):
        context = self.browser.new_context(**options)
        context.set_default_timeout(PATIENCE_MS)
        # recorded by the page's "request" listener, then refused
        context.route(elsewhere(self.base), lambda r: r.abort("blockedbyclient"))
        return context

    def open(self, page: str, context=None, idle: bool = False, lands_on: str = "", tab=None):
        """``page`` in a new tab (or in ``tab``, one this site opened), with listeners that record what it
        does; returns (tab, its Visit).

        The tab is returned once the load event has fired (on ``lands_on``, a page ``page`` redirects to)
        and fonts and layout have settled. ``idle``: then also wait until no request the page made is
        still in flight, so that every request is recorded (the surveys, whose records the per-page tests
        read). A request still in flight after PATIENCE_MS is recorded as failed, with its address.
        (Playwright's "networkidle", 500 ms with no request, recorded the same requests on every page; it
        is a timing rule, and once waited out its 15 s limit on a busy runner with nothing to show for it.)
        """
        if tab is None:
            tab = (context or self.desktop).new_page()
            self._watch(tab)
        watch = self._watched[tab]
        if watch["visit"] is not None:
            _quiet(tab, watch)  # what the last page still loads (after a click) ends up in its own record
        visit = watch["visit"] = Visit(page, self.base + page)
        start = time.perf_counter()
        tab.goto(visit.url, wait_until="load")
        if lands_on:
            tab.wait_for_url(self.base + lands_on, wait_until="load")
        settle(tab)
        if idle:
            _quiet(tab, watch)
        visit.seconds = time.perf_counter() - start
        return tab, visit

    def _watch(self, tab) -> None:
        """Listeners that record, into the Visit of whatever page ``tab`` shows, its console errors, its
        requests (failed, external, fetched) and which are still in flight."""
        watch: dict = {"visit": None, "in_flight": set()}
        self._watched[tab] = watch

        def record(kind: str, text: str) -> None:
            getattr(watch["visit"], kind).append(text)

        tab.on(
            "console", lambda m: record("console_errors", f"console.{m.type}: {m.text}") if m.type == "error" else None
        )
        tab.on("pageerror", lambda e: record("console_errors", f"uncaught: {e}"))
        tab.on("request", lambda r: watch["in_flight"].add(r))
        tab.on("request", lambda r: None if self.local(r.url) else record("external", r.url))
        tab.on("requestfailed", lambda r: watch["in_flight"].discard(r))
        tab.on("requestfailed", lambda r: record("failed", f"{r.url} ({r.failure})") if self.local(r.url) else None)
        tab.on("requestfinished", lambda r: watch["in_flight"].discard(r))
        tab.on("requestfinished", lambda r: record("fetched", r.url))
        tab.on("response", lambda r: record("failed", f"{r.url} (HTTP {r.status})") if r.status >= 400 else None)

    def _survey_tab(self, context):
        """One tab per context for the surveys, each page opened in it in turn. A new tab per page cost about
        four times the CPU (19 pages: 22 CPU-s in new tabs, 5.5 in one) and recorded the same requests."""
        if context not in self._tabs:
            self._tabs[context] = context.new_page()
            self._watch(self._tabs[context])
        return self._tabs[context]

    def visit(self, page: str) -> Visit:
        """Open ``page`` at laptop width once and gather its first screen, links, ids, images, axe-core's
        verdict, and then what its parameters box and solutions do when clicked."""
        if page in self._visits:
            return self._visits[page]
        tab, visit = self.open(page, idle=True, tab=self._survey_tab(self.desktop))
        visit.first = tab.evaluate(FIRST_SCREEN_JS)  # before anything scrolls
        visit.links = tab.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        visit.ids = set(
            tab.eval_on_selector_all(
                "[id], a[name]", "els => els.flatMap(e => [e.id, e.getAttribute('name')]).filter(Boolean)"
            )
        )
        visit.images = tab.evaluate(IMAGES_JS)
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
        self._visits[page] = visit
        return visit

    def phone_visit(self, page: str) -> Visit:
        """Open ``page`` at a phone's width and gather its first screen, what sticks out of the screen, its
        images and the measured text of its SVG figures."""
        tab, visit = self.open(page, idle=True, tab=self._survey_tab(self.phone))
        visit.first = tab.evaluate(FIRST_SCREEN_JS)  # before anything scrolls
        visit.overflow = tab.evaluate(OVERFLOW_JS)
        visit.images = tab.evaluate(IMAGES_JS)
        visit.figure_text = tab.evaluate(FIGURE_TEXT_JS)  # last: it fetches each SVG again
        return visit


def _quiet(tab, watch: dict) -> None:
    """Wait until no request of the tab's page is in flight; one still in flight after PATIENCE_MS is
    recorded as failed, with its address."""
    deadline = time.perf_counter() + PATIENCE_MS / 1000
    while watch["in_flight"] and time.perf_counter() < deadline:
        tab.wait_for_timeout(20)  # lets Playwright deliver the events that empty in_flight
    watch["visit"].failed += [f"{r.url} (still loading after {PATIENCE_MS // 1000} s)" for r in watch["in_flight"]]
    watch["in_flight"].clear()


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


# --- the checks that read a page's record at either width ------------------------------------------


def blurred(page: str, visit: Visit) -> list[str]:
    """The article's raster figures shown wider than half their natural width (an SVG is always sharp)."""
    return [
        f"{page}: {i['src']} is {i['natural']} px shown at {i['shown']:.0f} px"
        for i in figures(visit)
        if not i["src"].endswith(".svg") and i["natural"] < 2 * i["shown"]
    ]


def figures(visit: Visit) -> list[dict]:
    """The images of the page's article that are shown (a closed menu's logo is not a figure)."""
    return [i for i in visit.images if i["inArticle"] and i["shown"] > 0]


def first_screen_problems(page: str, first: dict | None) -> list[str]:
    """What is wrong with a chapter's first screen: the lesson first, the parameters in one collapsed box."""
    if first is None:
        return [f"{page}: no title in the article"]
    problems = []
    if not first["question"]:
        problems.append(f"{page}: the chapter's question is not on the first screen")
    if not first["objectives"]:
        problems.append(f"{page}: the learning objectives do not start on the first screen")
    if first["params"] or "Parameters" in first["h2"]:
        problems.append(f"{page}: parameters are visible on the first screen")
    if not first["box"] or first["boxOpen"] is not False:
        problems.append(f"{page}: no collapsed 'Run this chapter yourself' box")
    return problems


# --- the surveys: background jobs -----------------------------------------------------------------------


@background.job("laptop_survey", after_book=True)
def laptop_survey(folder: Path, book) -> dict[str, Visit]:
    """Every page of the book at a laptop's width (:meth:`Site.visit`): {page: Visit}."""
    return _survey(book, Site.visit)


@background.job("phone_survey", after_book=True)
def phone_survey(folder: Path, book) -> dict[str, Visit]:
    """Every page of the book at a phone's width (:meth:`Site.phone_visit`): {page: Visit}."""
    return _survey(book, Site.phone_visit)


def _survey(book, visit: Callable[[Site, str], Visit]) -> dict[str, Visit]:
    """``visit`` on every page of the built book, in a browser of this thread's own (Playwright: one
    instance per thread)."""
    assert book.returncode == 0, "the book did not build (see test_book.py::test_build_succeeds_without_warnings)"
    from playwright.sync_api import sync_playwright

    with serve(book.html) as base, sync_playwright() as pw:
        browser = launch(pw)
        try:
            site = Site(browser, base, AXE_JS if AXE_JS.is_file() else None)
            return {page: visit(site, page) for page in PAGES}
        finally:
            browser.close()
