"""How heavy the built book is for a reader: bytes per page, and a budget the tests hold it to.

The study's participants worked on slow, intermittent connections; a book about them should open on one.
For every page of ``_build/html`` this counts what a browser fetches from the book's own folder to show it:

- **html**: the page itself;
- **images**: the files its ``<img>`` elements show;
- **assets**: the style sheets, scripts and fonts it links (following ``@import`` and ``url()`` in style
  sheets, and taking only the first, preferred format of each web font, as a browser does).

A reader's browser caches assets, so the book also reports its **unique assets**: every asset any page
links, counted once. The counts are sizes on disk (what a server sends without compression), an upper
bound: a font the page never draws is counted although a browser skips it. ``tests/test_browser.py``
checks that nothing a real browser fetches escapes this count.

The :data:`BUDGET` is set from measurements with room for the chapters still to come; when a page
breaks it, make the page lighter (smaller figures, fewer assets) before raising a number, and if a
number must rise, change it here with the measurement that justifies it (``livelihoods page-weight``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from livelihoods.errors import LivelihoodsError

KB = 1000
MB = 1000 * KB


@dataclass(frozen=True)
class Budget:
    """Upper limits in bytes (decimal kB and MB, as ``livelihoods page-weight`` prints them).

    Re-measured for issue 18 (SVG figures, the evidence index and its links, the run box) on the whole book
    (20 pages, all 11 chapters and the evidence index, a clean build, ``livelihoods page-weight``). The limits
    were kept: every page fits them, lighter than before in images and in total. Each limit was set at the
    heaviest value then measured plus about 10%:

    ===================  ==============  ==============  ============================================
    limit                before (11-30)  now (issue 18)  heaviest now
    ===================  ==============  ==============  ============================================
    page_html 150 kB     138.3 kB        137.7 kB        d2_coding_lab (pandas tables without cell ids)
    page_images 290 kB   252.9 kB        120.7 kB        b_literature (SVG figures, line-only hatches)
    page_total 1.56 MB   1.42 MB         1.35 MB         b_literature
    unique_assets 1.2 MB 1.11 MB         1.14 MB         theme + search index + reader.js + previews
    book_total 3.80 MB   3.48 MB         2.83 MB         every file once
    ===================  ==============  ==============  ============================================

    The evidence previews (every excerpt and claim, 17 kB) are one cached script, not part of each page:
    a chapter that links four hundred ids (F) stays at 128 kB of HTML.

    To update: build (``livelihoods build``), run ``livelihoods page-weight``, first make the offending
    page lighter (fewer or smaller figures, an overlong chapter split in two);
    raise a number only with the new measurement written in this table.
    """

    page_html: int = 150 * KB
    page_images: int = 290 * KB
    page_total: int = 1_560 * KB
    unique_assets: int = 1_200 * KB
    book_total: int = 3_800 * KB


BUDGET = Budget()


@dataclass
class PageWeight:
    """The bytes one page costs a reader arriving with an empty cache."""

    page: str
    html: int
    images: dict[str, int] = field(default_factory=dict)
    assets: dict[str, int] = field(default_factory=dict)

    @property
    def image_bytes(self) -> int:
        return sum(self.images.values())

    @property
    def asset_bytes(self) -> int:
        return sum(self.assets.values())

    @property
    def total(self) -> int:
        return self.html + self.image_bytes + self.asset_bytes


class _References(HTMLParser):
    """The local files a page makes a browser fetch: images, scripts, style sheets, icons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "img" and a.get("src"):
            self.images.append(a["src"])
        elif tag == "script" and a.get("src") and a.get("type", "text/javascript") in ("text/javascript", "module", ""):
            self.assets.append(a["src"])
        elif tag == "link" and a.get("href"):
            rel = set(a.get("rel", "").lower().split())
            if rel & {"stylesheet", "preload", "modulepreload", "icon", "shortcut"}:
                self.assets.append(a["href"])


def _local(html_dir: Path, base: Path, ref: str) -> Path | None:
    """The file a reference points to inside the book, or None for other hosts and inline data."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = (
        (html_dir / unquote(parts.path).lstrip("/")) if parts.path.startswith("/") else (base / unquote(parts.path))
    )
    target = Path(*Path(target).parts).resolve()
    try:
        target.relative_to(html_dir.resolve())
    except ValueError:
        return None
    return target if target.is_file() else None


_FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}", re.S)
_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_IMPORT = re.compile(r"@import\s+(?:url\()?\s*['\"]([^'\"]+)['\"]")


@lru_cache(maxsize=None)
def _stylesheet_files(css: Path, html_dir: Path) -> tuple[Path, ...]:
    """Files a style sheet makes a browser fetch: its imports (recursively), one format per font, images."""
    text = css.read_text(encoding="utf-8", errors="replace")
    found: list[Path] = []
    for ref in _IMPORT.findall(text):
        target = _local(html_dir, css.parent, ref)
        if target is not None:
            found.append(target)
            found.extend(_stylesheet_files(target, html_dir))
    for block in _FONT_FACE.findall(text):
        first = _URL.search(block)  # the preferred format (woff2 before ttf): a browser stops at the first it can use
        if first:
            target = _local(html_dir, css.parent, first.group(1))
            if target is not None:
                found.append(target)
    for ref in _URL.findall(_FONT_FACE.sub("", text)):
        target = _local(html_dir, css.parent, ref)
        if target is not None:
            found.append(target)
    return tuple(dict.fromkeys(found))


def pages(html_dir: Path) -> list[Path]:
    """Every HTML page of a built book (not the theme's template fragments under ``_static``)."""
    return sorted(
        p
        for p in html_dir.rglob("*.html")
        if not {"_static", "_sources", "_images", "_downloads"} & set(p.relative_to(html_dir).parts)
    )


def page_weight(html_dir: Path, page: Path) -> PageWeight:
    """What one page costs: its HTML, its images and its assets (each file once)."""
    html_dir = html_dir.resolve()
    page = page.resolve()
    refs = _References()
    refs.feed(page.read_text(encoding="utf-8", errors="replace"))
    images: dict[str, int] = {}
    for ref in refs.images:
        target = _local(html_dir, page.parent, ref)
        if target is not None:
            images[target.relative_to(html_dir).as_posix()] = target.stat().st_size
    assets: dict[str, int] = {}
    for ref in refs.assets:
        target = _local(html_dir, page.parent, ref)
        if target is None:
            continue
        files = [target, *(_stylesheet_files(target, html_dir) if target.suffix == ".css" else ())]
        for f in files:
            key = f.relative_to(html_dir).as_posix()
            if key not in images:
                assets[key] = f.stat().st_size
    return PageWeight(page.relative_to(html_dir).as_posix(), page.stat().st_size, images, assets)


def book_weights(html_dir: Path) -> list[PageWeight]:
    """The weight of every page, in path order."""
    html_dir = Path(html_dir)
    if not (html_dir / "index.html").is_file():
        raise LivelihoodsError(
            f"no built book in {html_dir}: run 'livelihoods build' first (expected {html_dir / 'index.html'})"
        )
    return [page_weight(html_dir, p) for p in pages(html_dir)]


def unique_assets(weights: list[PageWeight]) -> dict[str, int]:
    """Every asset any page links, counted once (what a reader's cache holds after reading the whole book)."""
    out: dict[str, int] = {}
    for w in weights:
        out.update(w.assets)
    return out


def book_total(weights: list[PageWeight]) -> int:
    """Bytes to read the whole book once: every page, every image and every asset, each counted once."""
    images: dict[str, int] = {}
    for w in weights:
        images.update(w.images)
    return sum(w.html for w in weights) + sum(images.values()) + sum(unique_assets(weights).values())


def over_budget(weights: list[PageWeight], budget: Budget | None = None) -> list[str]:
    """One line per limit a page or the book breaks; empty when everything is within budget."""
    budget = budget or BUDGET
    problems = []
    for w in weights:
        for label, value, limit in (
            ("HTML", w.html, budget.page_html),
            ("images", w.image_bytes, budget.page_images),
            ("total", w.total, budget.page_total),
        ):
            if value > limit:
                problems.append(f"{w.page}: {label} {human(value)} is over the budget of {human(limit)}")
    assets = sum(unique_assets(weights).values())
    if assets > budget.unique_assets:
        problems.append(f"unique assets {human(assets)} are over the budget of {human(budget.unique_assets)}")
    total = book_total(weights)
    if total > budget.book_total:
        problems.append(f"the whole book {human(total)} is over the budget of {human(budget.book_total)}")
    return problems


def human(n: int) -> str:
    """Bytes for a reader: 950 B, 38.2 kB, 1.05 MB (decimal units, as networks count)."""
    if n < KB:
        return f"{n} B"
    if n < MB:
        return f"{n / KB:.1f} kB"
    return f"{n / MB:.2f} MB"


def report(weights: list[PageWeight], budget: Budget | None = None) -> str:
    """The page-weight table printed by ``livelihoods page-weight``."""
    budget = budget or BUDGET
    width = max([len(w.page) for w in weights] + [4])
    lines = [f"{'page':<{width}}  {'html':>9}  {'images':>9}  {'assets':>9}  {'total':>9}"]
    for w in weights:
        lines.append(
            f"{w.page:<{width}}  {human(w.html):>9}  {human(w.image_bytes):>9}  "
            f"{human(w.asset_bytes):>9}  {human(w.total):>9}"
        )
    assets = unique_assets(weights)
    heaviest = sorted(assets.items(), key=lambda kv: -kv[1])[:5]
    lines += [
        "",
        f"{len(weights)} pages; unique assets {human(sum(assets.values()))} in {len(assets)} files "
        f"(heaviest: {', '.join(f'{Path(k).name} {human(v)}' for k, v in heaviest)})",
        f"whole book, each file once: {human(book_total(weights))}",
        f"budget: page HTML {human(budget.page_html)}, page images {human(budget.page_images)}, "
        f"page total {human(budget.page_total)}, unique assets {human(budget.unique_assets)}, "
        f"whole book {human(budget.book_total)}",
    ]
    problems = over_budget(weights, budget)
    lines += [f"OVER BUDGET: {p}" for p in problems] or ["within budget"]
    return "\n".join(lines)
