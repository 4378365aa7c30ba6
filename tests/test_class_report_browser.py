"""The class report's page as an educator opens it: the same browser and accessibility checks as the book's pages.

A generated class of 30 sheets goes through ``livelihoods class-report``; the page it writes is served on
127.0.0.1 and opened in Debian's Chromium (through :class:`page_survey.Site`, every request to another host
blocked and recorded): no console error or failed request, no request leaving the machine, every image with
alt text that says what it shows, no serious or critical axe-core violation, and nothing wider than a phone.
The page is also opened straight from disk (``file://``), as a page sent by e-mail would be.
"""

from __future__ import annotations

import pytest

from browser_helpers import AXE_JS, PHONE, bullets, launch, require_axe, serve
from livelihoods import cli
from page_survey import Site
from test_class_report import make_class

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGE = "index.html"

_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('main p, main li, main h1, main h2, main h3, main blockquote, main figure, main img, main figcaption')) {
    if (el.closest('table')) continue;  // data tables scroll inside their own box
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 || r.left < -1) out.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 60)}"`);
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, out};
}"""


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("class-page")
    make_class(root / "sheets")
    out = root / "report"
    assert cli.main(["class-report", str(root / "sheets"), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def site(report_dir):
    from playwright.sync_api import sync_playwright

    with serve(report_dir) as base_url, sync_playwright() as pw:
        browser = launch(pw)
        try:
            yield Site(browser, base_url, AXE_JS if AXE_JS.is_file() else None)
        finally:
            browser.close()


def test_page_loads_offline_without_errors(site):
    visit = site.visit(PAGE)
    assert not visit.console_errors, f"console errors:{bullets(visit.console_errors)}"
    assert not visit.failed, f"failed requests:{bullets(visit.failed)}"
    assert not visit.external, f"requests to other hosts:{bullets(visit.external)}"


def test_images_have_alt_text_and_load(site):
    visit = site.visit(PAGE)
    assert len(visit.images) == 4
    for image in visit.images:
        alt = (image["alt"] or "").strip()
        assert len(alt) >= 40 and alt.lower() not in {"chart", "figure", "image", "plot"}, image["html"]
        assert image["loaded"], image["html"]


def test_accessibility_axe_core(site):
    require_axe()
    visit = site.visit(PAGE)
    lines = [f"{v['impact']} {v['id']}: {v['help']} at {', '.join(v['nodes'])}" for v in visit.axe]
    assert not lines, f"axe-core violations:{bullets(lines)}"


def test_fits_a_phone_screen(site):
    tab, visit = site.open(PAGE, context=site.phone)
    try:
        result = tab.evaluate(_OVERFLOW)
    finally:
        tab.close()
    assert result["width"] == PHONE["width"]
    assert result["scrollWidth"] <= result["width"], f"the page scrolls sideways ({result['scrollWidth']} px)"
    assert not result["out"], f"wider than the phone:{bullets(result['out'])}"
    assert not visit.console_errors and not visit.external


def test_opens_from_disk(site, report_dir, tmp_path):
    context = site.browser.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith(("file:", "data:"))
            else (errors.append(r.request.url), r.abort("blockedbyclient"))
        ),
    )
    tab = context.new_page()
    tab.on("pageerror", lambda e: errors.append(str(e)))
    try:
        tab.goto((report_dir / PAGE).as_uri(), wait_until="load")
        assert tab.locator("h1").inner_text().startswith("Class report: 30 coding sheets")
        assert tab.locator("img").count() == 4
        assert tab.evaluate("() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
        tab.screenshot(path=str(tmp_path / "class-report.png"), full_page=True)
    finally:
        context.close()
    assert not errors
