"""The page a reader meets (issue 18): evidence to follow, crisp figures, the lesson first.

- Every excerpt and claim id in the built pages' text is inside a link to its entry in the evidence
  index; every entry's anchor exists, with the data's text; a link's preview (hover and focus) is the
  data's text, written when the book was built.
- Figures are SVG (or at least twice their displayed size), and their smallest text measures 9 CSS
  pixels or more on a 390-pixel phone; a click opens a figure full size.
- The first screen of every chapter, on a laptop and on a phone, shows the question and the
  objectives, not the parameters, which are in one collapsed box.

The book is the one built for the session (``built_book``), opened in Debian's Chromium as in
``tests/test_browser.py`` (offline: every request to another host is refused). What a page shows at a
phone's width comes from the ``phone_survey`` job (``page_survey.py``: each page opened once per width
for both modules); the laptop's figures and first screens are checked in ``test_browser.py``, from the
``laptop_survey`` job, with the same checks (``page_survey.blurred`` and ``first_screen_problems``).
"""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser_helpers import DESKTOP, PATIENCE_MS, PHONE, bullets, chapter_pages, elsewhere, launch, serve, settle
from browser_helpers import static_ids, toc_pages
from page_survey import blurred, figures, first_screen_problems

pytestmark = [pytest.mark.slow]

PAGES = [p for p in toc_pages() if p not in ("search.html", "genindex.html")]
CHAPTERS = chapter_pages()
INDEX = "book/evidence.html"
ID = re.compile(r"\b(?:EX|C)\d{2}\b")


@pytest.fixture(scope="module")
def html_dir(built_book) -> Path:
    assert built_book.returncode == 0, "the book did not build (see test_book.py)"
    return built_book.html


# --- the evidence index and the links to it (static HTML) -------------------------------------------


class _Text(HTMLParser):
    """Text of a page's main content with, for each piece, the link it sits in (or None)."""

    SKIP = {"code", "pre", "script", "style", "kbd", "samp"}
    VOID = {"br", "img", "meta", "link", "input", "hr", "col", "source", "wbr", "area", "base", "embed", "track"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.pieces: list[tuple[str, str | None, str]] = []  # (text, href of the enclosing link, its class)

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        # a dropdown's <summary> is itself a control: a link inside it would be a nested control (axe-core's
        # nested-interactive), so ids there stay text; the card's body links them
        if "main" not in tags or self.SKIP & set(tags) or "summary" in tags:
            return
        link = next((a for t, a in reversed(self.stack) if t == "a"), None)
        self.pieces.append((data, link.get("href") if link else None, (link or {}).get("class", "")))


def _pieces(path: Path) -> list[tuple[str, str | None, str]]:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.pieces


def test_the_index_has_an_entry_for_every_excerpt_and_claim_with_the_datas_text(html_dir):
    from livelihoods import evidence

    page = (html_dir / INDEX).read_text(encoding="utf-8")
    ids = static_ids(html_dir / INDEX)

    def plain(t: str) -> str:  # Sphinx's smart quotes turn ' into ’ in the book's own words
        return " ".join(t.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').split())

    text = plain(html_lib.unescape(re.sub(r"<[^>]+>", "", page)))
    for row in evidence.load_excerpts().itertuples():
        assert row.excerpt_id.lower() in ids, f"no anchor #{row.excerpt_id.lower()} for excerpt {row.excerpt_id}"
        assert plain(str(row.text)) in text, f"excerpt {row.excerpt_id} is not quoted verbatim"
        assert str(row.attribution) in text, f"excerpt {row.excerpt_id}: attribution not as printed"
    for row in evidence.load_claims().itertuples():
        assert row.claim_id.lower() in ids, f"no anchor #{row.claim_id.lower()} for claim {row.claim_id}"
        assert plain(str(row.claim)) in text, f"claim {row.claim_id}: text missing"


def test_every_index_entry_says_which_pages_use_it(html_dir):
    """E2 quotes EX15 and mentions C16: both entries say so, with a link to the chapter."""
    page = (html_dir / INDEX).read_text(encoding="utf-8")

    def entry(anchor: str) -> str:
        start = page.index(f'id="{anchor}"')
        end = re.compile(r'class="livelihoods-entry livelihoods-entry-').search(page, start + 10)
        return page[start : end.start() if end else len(page)]

    assert re.search(r"Quoted in:</strong>.*chapters/e2_barriers\.html", entry("ex15"), re.S)
    assert re.search(r"Mentioned in:</strong>.*chapters/e2_barriers\.html", entry("c16"), re.S)


@pytest.mark.parametrize("page", PAGES)
def test_every_id_in_the_text_links_to_its_entry(html_dir, page):
    """Every EX and C id a reader sees, in prose, lists, captions and printed tables, is a link to its entry."""
    from livelihoods.book.evidence_index import load

    known = load()
    index_ids = static_ids(html_dir / INDEX)
    unlinked, wrong = [], []
    for text, href, _ in _pieces(html_dir / page):
        for m in ID.finditer(text):
            if not known.known(m[0]):
                continue
            if href is None:
                unlinked.append(f"{m[0]} in {' '.join(text.split())[:70]!r}")
                continue
            path, _, anchor = href.partition("#")
            target = (html_dir / page).parent / path if path else html_dir / page
            if target.resolve() != (html_dir / INDEX).resolve() or anchor != m[0].lower() or anchor not in index_ids:
                wrong.append(f"{m[0]} -> {href}")
    assert not unlinked, f"{page}: ids that are not links to the evidence index: {unlinked[:10]}"
    assert not wrong, f"{page}: ids linked to the wrong place: {wrong[:10]}"


def test_some_pages_link_ids_at_all(html_dir):
    """The check above means something: the chapters do link ids (hundreds of them)."""
    links = sum(
        len(re.findall(r'<a class="evidence" href="[^"]*#(?:ex|c)\d\d"', (html_dir / p).read_text(encoding="utf-8")))
        for p in PAGES
    )
    assert links > 300


def test_previews_are_the_datas_text_written_at_build_time(html_dir):
    import json

    from livelihoods import evidence
    from livelihoods.book.evidence_links import PREVIEWS_JS

    script = (html_dir / "_static" / PREVIEWS_JS).read_text(encoding="utf-8")
    data = json.loads(script.split("=", 1)[1].strip().rstrip(";"))
    ex = evidence.load_excerpts().set_index("excerpt_id")
    claims = evidence.load_claims().set_index("claim_id")
    assert set(data) == set(ex.index) | set(claims.index)
    for eid in ("EX01", "EX10", "EX15", "EX35"):
        assert (
            data[eid]
            == f"“{ex.loc[eid, 'text']}” — {ex.loc[eid, 'attribution']} (section {ex.loc[eid, 'paper_section']})"
        )
    for cid in ("C01", "C16", "C33", "C45"):
        assert data[cid].endswith(f": {claims.loc[cid, 'claim']}") and data[cid].startswith(f"Claim {cid} ")


# --- in the browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(html_dir):
    from playwright.sync_api import sync_playwright

    with serve(html_dir) as base, sync_playwright() as pw:
        b = launch(pw)
        try:
            yield b, base
        finally:
            b.close()


def _tab(browser, page: str, phone: bool = False):
    b, base = browser
    options = (
        dict(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2) if phone else dict(viewport=DESKTOP)
    )
    context = b.new_context(**options)
    context.set_default_timeout(PATIENCE_MS)
    external: list[str] = []

    def refuse(r):
        external.append(r.request.url)
        r.abort("blockedbyclient")

    context.route(elsewhere(base), refuse)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto(base + page, wait_until="load")
    settle(tab)
    return context, tab, errors, external


def test_e2_clicking_c16_in_the_spotlight_list_lands_on_the_claim_and_hover_shows_it(browser):
    """The issue's acceptance: on E2, "C16" in the spotlight list leads to claim C16 with its evidence."""
    from livelihoods import evidence

    claim = evidence.load_claims().set_index("claim_id").loc["C16", "claim"]
    context, tab, errors, external = _tab(browser, "book/chapters/e2_barriers.html")
    try:
        heading = tab.locator("h3", has_text="Spotlight on one barrier")
        link = heading.locator("xpath=following::a[normalize-space()='C16'][1]")
        link.hover()
        tip = tab.locator("#livelihoods-tooltip")
        tip.wait_for(state="visible")
        assert claim in tip.inner_text(), "hovering C16 does not show the claim's text"
        described = tab.evaluate(
            "(a) => document.getElementById(a.getAttribute('aria-describedby')).textContent", link.element_handle()
        )
        assert claim in described, "C16's accessible description is not the claim"
        link.click()
        tab.wait_for_url(re.compile(r"evidence\.html#c16$"))
        entry = tab.locator("#c16")
        assert entry.is_visible() and entry.evaluate(
            "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
        )
        text = entry.inner_text()
        assert claim in text and "Evidence:" in text and "EX10" in text
    finally:
        context.close()
    assert not external, f"requests to other hosts: {external}"
    assert not errors, errors


def test_a_preview_shows_on_keyboard_focus_and_closes_with_escape(browser):
    from livelihoods.book.evidence_index import load

    context, tab, errors, _ = _tab(browser, "book/chapters/e2_barriers.html")
    try:
        link = tab.locator("a.evidence", has_text=re.compile(r"^EX\d\d$")).first
        eid = link.inner_text().strip()
        link.focus()
        tip = tab.locator("#livelihoods-tooltip")
        tip.wait_for(state="visible")
        assert tip.inner_text() == load().previews[eid]
        tab.keyboard.press("Escape")
        tip.wait_for(state="hidden")
    finally:
        context.close()
    assert not errors


def test_every_figure_is_svg_or_at_least_twice_its_displayed_size_on_a_phone(phone_survey):
    """Crisp figures at 390 px (``test_browser.py`` checks the same on a laptop)."""
    assert sum(len(figures(v)) for v in phone_survey.values()) >= 15, "under 15 figures: is the selector right?"
    found = [line for page, visit in phone_survey.items() for line in blurred(page, visit)]
    assert not found, f"raster images below twice their displayed size:{bullets(found)}"


def test_figure_text_is_at_least_9_css_pixels_on_a_phone(phone_survey):
    """Every SVG figure's smallest text, drawn at the width a 390-px phone gives it, measures 9 px or more."""
    from livelihoods.analyses.plots import MIN_TEXT_PX, PHONE_FIGURE_PX

    small, measured = [], []
    for page, visit in phone_survey.items():
        for fig in visit.figure_text:
            measured.append(fig)
            assert abs(fig["shown"] - PHONE_FIGURE_PX) <= 2, (
                f"{page}: a phone gives figures {fig['shown']} px, plots.PHONE_FIGURE_PX says {PHONE_FIGURE_PX}"
            )
            if fig["smallest"] < MIN_TEXT_PX:
                small.append(f"{page} {fig['figure'] or fig['src']}: {fig['smallest']} px ({fig['label']!r})")
    assert len(measured) >= 15
    assert not small, f"figure text under 9 CSS px on a 390-px phone:{bullets(small)}"


def test_a_click_on_a_figure_opens_it_full_size_and_escape_closes_it(browser):
    context, tab, errors, external = _tab(browser, "book/chapters/d2_coding_lab.html", phone=True)
    try:
        img = tab.locator("#fig-d2-confusion img")
        shown = img.bounding_box()["width"]
        img.click()
        dialog = tab.locator("dialog.livelihoods-zoom-dialog")
        dialog.wait_for(state="visible")
        big = dialog.locator("img")
        assert big.evaluate("i => i.getBoundingClientRect().width") >= 1.9 * shown
        assert big.get_attribute("alt") == img.get_attribute("alt")
        tab.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
    finally:
        context.close()
    assert not errors and not external


@pytest.mark.parametrize("stem,page", CHAPTERS, ids=[s for s, _ in CHAPTERS])
def test_the_first_screen_on_a_phone_shows_the_question_and_objectives_not_the_parameters(phone_survey, stem, page):
    """The lesson first (``test_browser.py`` checks the same on a laptop)."""
    problems = first_screen_problems(page, phone_survey[page].first)
    assert not problems, bullets(problems)


def test_the_run_box_opens_to_the_parameters_and_the_command(browser):
    from livelihoods.book import params
    from livelihoods.book.pages import RUN_TITLE, example_command

    context, tab, errors, _ = _tab(browser, "book/chapters/e4_impact.html")
    try:
        box = tab.locator("details.livelihoods-run")
        assert box.locator("summary").inner_text().strip() == RUN_TITLE
        box.locator("summary").click()
        table = box.locator("table")
        table.wait_for(state="visible")
        names = table.locator("tbody tr td:first-child").all_inner_texts()
        text = box.inner_text()
    finally:
        context.close()
    assert [n.strip() for n in names] == list(params.spec("e4_impact"))
    assert example_command("e4_impact") in text and "notebooks/e4_impact.ipynb" in text
    assert not errors


# --- layout ------------------------------------------------------------------------------------------


def test_no_empty_header_bar_and_one_search_box_on_a_laptop(browser):
    context, tab, _, _ = _tab(browser, "book/chapters/e2_barriers.html")
    try:
        header = tab.locator("#pst-header")
        assert header.count() == 0 or not header.is_visible(), "the theme's empty header bar is shown"
        boxes = tab.evaluate("""() => Array.from(document.querySelectorAll('.search-button-field, .search-button'))
            .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; }).length""")
    finally:
        context.close()
    assert boxes == 1, f"{boxes} search boxes or buttons are visible at once"


CAPTIONS_JS = """() => Array.from(document.querySelectorAll('.bd-article table')).filter(t => t.getBoundingClientRect().width > 0)
  .map(t => { const c = t.querySelector(':scope > caption'); const s = c ? getComputedStyle(c) : null;
    const parent = t.parentElement.getBoundingClientRect(); const pad = parseFloat(getComputedStyle(t.parentElement).paddingLeft);
    return {caption: c ? c.textContent.trim().slice(0, 50) : '', offset: Math.round(t.getBoundingClientRect().left - parent.left - pad),
            align: s && s.textAlign, indent: s && (parseFloat(s.paddingLeft) + parseFloat(s.textIndent) + parseFloat(s.marginLeft)),
            side: s && s.captionSide, weight: s && s.fontWeight, style: s && s.fontStyle}; })"""


@pytest.mark.parametrize(
    "page",
    [
        "book/educators_guide.html",
        "book/chapters/d2_coding_lab.html",
        "book/chapters/b_literature.html",
        "book/chapters/e2_barriers.html",
    ],
)
def test_tables_and_their_captions_are_set_alike(browser, page):
    """Numbered (docutils) or not (printed by a cell), every table starts at its column's left edge and its
    caption sits above it, left-aligned, bold, upright and not indented."""
    context, tab, _, _ = _tab(browser, page)
    try:
        tab.evaluate("() => document.querySelectorAll('.bd-article details').forEach(d => d.open = true)")
        tables = tab.evaluate(CAPTIONS_JS)
    finally:
        context.close()
    assert tables
    offset = [t for t in tables if abs(t["offset"]) > 1]
    assert not offset, f"{page}: tables indented from their column: {offset}"
    captions = [t for t in tables if t["caption"]]
    looks = {(t["align"], t["indent"], t["side"], t["weight"], t["style"]) for t in captions}
    assert looks == {("left", 0.0, "top", "700", "normal")}, f"{page}: captions set differently: {captions}"


def test_the_guides_parameter_table_fits_at_1280_and_its_phone_cards_do_not_overlap(browser):
    fit_js = """() => { const t = document.querySelector('table.livelihoods-parameters');
        return {table: t.getBoundingClientRect().width, column: t.parentElement.clientWidth, scroll: t.parentElement.scrollWidth}; }"""
    overlap_js = """() => Array.from(document.querySelectorAll('table.livelihoods-parameters tbody tr:not(.livelihoods-group)'))
        .map(r => { const [a, b] = Array.from(r.children).slice(0, 2).map(c => {
              const x = document.createRange(); x.selectNodeContents(c); return x.getBoundingClientRect(); });
            const apart = a.right <= b.left + 0.5 || b.top >= a.bottom - 0.5;
            return apart ? null : r.children[0].textContent.trim(); }).filter(Boolean)"""
    context, tab, _, _ = _tab(browser, "book/educators_guide.html")
    try:
        fit = tab.evaluate(fit_js)
    finally:
        context.close()
    assert fit["table"] <= fit["column"] + 1 and fit["scroll"] <= fit["column"] + 1, f"clipped at 1280 px: {fit}"
    context, tab, _, _ = _tab(browser, "book/educators_guide.html", phone=True)
    try:
        overlapping = tab.evaluate(overlap_js)
        cards = tab.locator("table.livelihoods-parameters tbody tr:not(.livelihoods-group)").count()
    finally:
        context.close()
    assert cards >= 20
    assert not overlapping, f"on a phone, parameter names overlap their default badge: {overlapping}"
