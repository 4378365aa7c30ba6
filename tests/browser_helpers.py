"""Helpers for the tests that open the built book in a real browser and build its PDF.

Tools outside Python (Debian's Chromium, axe-core from npm, TeX) are installed by ``make test``
(see the Makefile's ``test-tools`` target). When one is missing, :func:`require` skips the tests that
need it with a loud message, or fails them under ``CI=true``, where a missing tool is a broken set-up.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

import pytest

from helpers import ROOT

CHROMIUM = Path(os.environ.get("LIVELIHOODS_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = Path(
    os.environ.get("LIVELIHOODS_AXE_JS", ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js")
)
PHONE = {"width": 390, "height": 844}
#: How long a browser step may take before the test gives up: a guard against a hang, never a speed check.
#: A page that opens in about 1 s on an idle machine has once waited more than 15 s on a busy two-core CI
#: runner (the suite keeps both cores busy with kernels and a second browser), so the guard is generous.
PATIENCE_MS = 60_000
DESKTOP = {"width": 1280, "height": 900}
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


def in_ci() -> bool:
    """True on a continuous-integration runner (CI=true), where every tool must be present."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def require(available: bool, what: str, how: str) -> None:
    """Skip (loudly) or, under CI=true, fail when a tool the test needs is missing."""
    if available:
        return
    message = f"*** {what} IS MISSING: these tests did not run. {how} ***"
    if in_ci():
        pytest.fail(message + " (CI=true: a missing tool is a failure)", pytrace=False)
    pytest.skip(message)


def require_chromium() -> Path:
    require(
        CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK),
        f"CHROMIUM ({CHROMIUM})",
        "Run `make test` as root to install Debian's chromium with apt, or `apt-get install chromium`, "
        "or point LIVELIHOODS_CHROMIUM at a Chromium binary.",
    )
    return CHROMIUM


def launch(playwright):
    """Debian's Chromium, headless and offline (:data:`CHROMIUM_ARGS`), from a ``sync_playwright()``."""
    return playwright.chromium.launch(executable_path=str(require_chromium()), headless=True, args=CHROMIUM_ARGS)


def elsewhere(base: str) -> re.Pattern:
    """For ``context.route``: every address but ``base`` and the page's own ``data:``, ``blob:`` and
    ``about:`` ones. Playwright matches a pattern in its driver, so the page's own requests never make the
    round trip to Python that a handler for every request costs (a third of a page open's CPU, measured
    on six pages opened twice: 16 CPU-s with such a handler, 12 without)."""
    return re.compile("^(?!" + re.escape(base) + "|data:|blob:|about:)")


def bullets(items, limit: int = 12) -> str:
    """``items`` as an indented list for an assertion message, the first ``limit`` of them."""
    items = list(items)
    more = f"\n  ... and {len(items) - limit} more" if len(items) > limit else ""
    return "\n  " + "\n  ".join(str(i) for i in items[:limit]) + more


def require_axe() -> Path:
    require(
        AXE_JS.is_file(),
        f"AXE-CORE ({AXE_JS.relative_to(ROOT) if AXE_JS.is_relative_to(ROOT) else AXE_JS})",
        "Run `make test` (it runs `npm install --prefix .cache/npm axe-core`), which needs node and npm.",
    )
    return AXE_JS


def require_programs(*names: str, how: str) -> None:
    missing = [n for n in names if shutil.which(n) is None]
    require(not missing, " and ".join(m.upper() for m in missing), how)


# --- the local server ------------------------------------------------------------------------------


class _Server(http.server.ThreadingHTTPServer):
    """socketserver's listen queue holds 5 connections; Chromium opens 6 at once per host, and a refused
    connection is only tried again after a second or more. Room for both browsers a session runs."""

    request_queue_size = 64


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built book without logging every request to the test output."""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 at a free port, in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


#: Resolves once the page's web fonts have loaded and two frames have been laid out with them: what a test
#: that measures layout or clicks needs after the load event. (Playwright's "networkidle" waited 500 ms of
#: silence on every page open, about 45 s a run; page_survey.Site.open waits instead until no request is
#: in flight, where it must record every request.)
SETTLED_JS = """() => document.fonts.ready.then(() =>
  new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true)))))"""


def settle(tab) -> None:
    """After ``goto(..., wait_until="load")``: wait until fonts are in and the layout has settled (see SETTLED_JS)."""
    tab.evaluate(SETTLED_JS)


# --- the pages of the book -------------------------------------------------------------------------


def toc_pages() -> list[str]:
    """Every page the book builds, as paths under _build/html, known before the build runs.

    The table of contents gives the chapters and front matter; Sphinx adds the index, the search page
    and the root redirect. ``test_every_built_page_is_listed`` checks the built folder has no others.
    """
    from livelihoods.book import sources

    pages = [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in sources.toc_files(ROOT)]
    return pages + ["genindex.html", "search.html"]


def chapter_pages() -> list[tuple[str, str]]:
    """(stem, page) for every notebook chapter in the table of contents."""
    from livelihoods.book import sources

    return [(p.stem, p.relative_to(ROOT).with_suffix(".html").as_posix()) for p in sources.toc_chapters(ROOT)]


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key == "id" or (key == "name" and tag == "a"):
                if value:
                    self.ids.add(value)


@functools.lru_cache(maxsize=None)
def static_ids(path: Path) -> frozenset[str]:
    """The ids (and <a name=...>) in an HTML file as written, for anchors into pages not opened in the browser."""
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)
