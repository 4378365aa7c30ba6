"""livelihoods.book.weight: bytes per page on a hand-made site, and the built book against its budget."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import ROOT
from livelihoods import cli
from livelihoods.book import weight


@pytest.fixture
def site(tmp_path):
    """A two-page site whose byte counts are known by construction."""
    (tmp_path / "_static" / "fonts").mkdir(parents=True)
    (tmp_path / "_images").mkdir()
    files = {
        "_static/style.css": '@import "base.css";\n@font-face { font-family: X; src: url(fonts/x.woff2) format("woff2"), url(fonts/x.ttf); }\n'
        "body { background: url('../_images/bg.png'); }\n.icon { background: url(data:image/png;base64,AAAA); }\n",
        "_static/base.css": "p { margin: 0 }\n",
        "_static/fonts/x.woff2": "W" * 500,
        "_static/fonts/x.ttf": "T" * 9000,  # a fallback format a browser never fetches
        "_static/app.js": "J" * 300,
        "_images/fig.png": "P" * 2000,
        "_images/bg.png": "B" * 40,
        "_static/fragment.html": "<p>a theme template, not a page</p>",
        "index.html": '<meta http-equiv="Refresh" content="0; url=a.html" />',
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "a.html").write_text(
        '<html><head><link rel="stylesheet" href="_static/style.css?v=1">'
        '<script src="_static/app.js?digest=2"></script><script src="https://cdn.example.org/x.js"></script>'
        '<script type="text/plain" data-not-loaded="?digest=3"></script><link rel="preload" as="script" href="_static/app.js">'
        '</head><body><img src="_images/fig.png" alt="x"><img src="data:image/png;base64,AAAA" alt="y">'
        '<img src="https://example.org/remote.png" alt="z"></body></html>'
    )
    (tmp_path / "b.html").write_text('<html><head><script src="_static/app.js"></script></head><body></body></html>')
    return tmp_path


def test_pages_are_the_html_files_outside_static(site):
    assert [p.name for p in weight.pages(site)] == ["a.html", "b.html", "index.html"]


def test_page_weight_counts_what_a_browser_fetches(site):
    w = weight.page_weight(site, site / "a.html")
    assert w.html == (site / "a.html").stat().st_size
    assert w.images == {"_images/fig.png": 2000}
    # style.css, its import, the first (woff2) format of its font, its background image; app.js once.
    css = (site / "_static/style.css").stat().st_size
    assert w.assets == {
        "_static/style.css": css,
        "_static/base.css": 16,
        "_static/fonts/x.woff2": 500,
        "_images/bg.png": 40,
        "_static/app.js": 300,
    }
    assert w.total == w.html + 2000 + css + 16 + 500 + 40 + 300


def test_unique_assets_are_counted_once_across_pages(site):
    weights = weight.book_weights(site)
    assets = weight.unique_assets(weights)
    assert assets["_static/app.js"] == 300 and len(assets) == 5
    html = sum(w.html for w in weights)
    assert weight.book_total(weights) == html + 2000 + sum(assets.values())


def test_over_budget_names_the_page_and_the_limit(site):
    weights = weight.book_weights(site)
    assert weight.over_budget(weights) == []
    tight = weight.Budget(page_html=100, page_images=1000, page_total=10**6, unique_assets=10**6, book_total=10**6)
    problems = weight.over_budget(weights, tight)
    assert any(p.startswith("a.html: HTML") and "100 B" in p for p in problems)
    assert any(p.startswith("a.html: images 2.0 kB") for p in problems)
    assert not any(p.startswith("b.html: images") for p in problems)


def test_human_units():
    assert [weight.human(n) for n in (999, 1000, 38_200, 1_050_000)] == ["999 B", "1.0 kB", "38.2 kB", "1.05 MB"]


def test_main_prints_report_and_fails_over_budget(site, capsys, monkeypatch):
    assert cli.main(["page-weight", "--html", str(site)]) == 0
    out = capsys.readouterr().out
    assert "a.html" in out and "within budget" in out
    monkeypatch.setattr(weight, "BUDGET", weight.Budget(page_html=10))
    assert cli.main(["page-weight", "--html", str(site)]) == 1
    assert "OVER BUDGET: a.html: HTML" in capsys.readouterr().out


def test_cli_without_a_built_book_is_one_clear_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "livelihoods.cli", "page-weight", "--html", str(tmp_path / "none")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert "no built book" in line and "livelihoods build" in line


@pytest.mark.slow
def test_built_book_is_within_its_page_weight_budget(built_book):
    """The budget (livelihoods.book.weight.BUDGET, with the measurements behind it) holds for the built book."""
    assert built_book.returncode == 0
    proc = subprocess.run(
        [sys.executable, "-m", "livelihoods.cli", "page-weight", "--html", str(built_book.html)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    print(proc.stdout)
    assert proc.returncode == 0, "the built book breaks its page-weight budget:\n" + proc.stdout[-3000:] + proc.stderr
