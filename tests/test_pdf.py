"""The whole book as a PDF, through Jupyter Book's LaTeX route (what `make pdf` runs).

The build uses the executed notebooks from the HTML build's cache, sphinx-jupyterbook-latex and
Debian's TeX Live (xelatex, latexmk; the Makefile's PDF_PACKAGES). The first pages are rendered to PNG
with pdftoppm (poppler-utils) and read back with pdftotext: the title page carries the book's title
and the contents list every chapter's heading.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import background
from browser_helpers import require_programs
from helpers import ROOT, cell_source, copy_with_cache, load_nb

pytestmark = pytest.mark.slow

FIRST_PAGES = 10  # title page, its blank back, and the contents (two or three pages for the whole book)


@background.job("pdf_build", after_book=True)
def pdf_build(folder: Path, book) -> dict:
    """The PDF built once, in a copy holding the HTML build's execution cache (about half a minute)."""
    if book.returncode != 0:
        return {}
    copy = copy_with_cache(book.root, folder / "book")
    start = time.perf_counter()
    command = [
        sys.executable,
        "-c",
        "from jupyter_book.cli.main import main; main()",
        "build",
        str(copy),
        "--builder",
        "pdflatex",
    ]
    proc = subprocess.run(
        command, cwd=copy, env=background.environ(LIVELIHOODS_ROOT=str(copy)), capture_output=True, text=True
    )
    return {"proc": proc, "seconds": time.perf_counter() - start, "latex": copy / "_build" / "latex"}


@pytest.fixture(scope="module")
def pdf(built_book, pdf_build) -> Path:
    require_programs(
        "xelatex",
        "latexmk",
        "pdftoppm",
        "pdftotext",
        how="Run `make test` or `make pdf` as root (they install the TeX packages with apt), "
        "or see PDF_PACKAGES in the Makefile.",
    )
    assert built_book.returncode == 0, "the HTML build failed, so the notebooks were not executed"
    proc, seconds = pdf_build["proc"], pdf_build["seconds"]
    pdf = pdf_build["latex"] / "book.pdf"
    log = pdf_build["latex"] / "book.log"
    tex_errors = (
        [line for line in log.read_text(errors="replace").splitlines() if line.startswith("!")] if log.exists() else []
    )
    assert proc.returncode == 0 and pdf.is_file(), (
        f"the PDF build failed after {seconds:.0f}s; TeX errors: {tex_errors[:5]}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    print(f"\nPDF built in {seconds:.1f}s")
    return pdf


def _text(pdf: Path, first: int, last: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(first), "-l", str(last), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out


def _norm(text: str) -> str:
    """Lower case, one space between words, typographic quotes and dashes folded, no dot leaders."""
    text = (
        text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("–", "-").replace("—", "-")
    )
    text = re.sub(r"(?:\s*\.){3,}", " ", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def _heading(path: Path) -> str:
    """The first '# ' heading of a chapter or page, as Markdown text without markup."""
    if path.suffix == ".ipynb":
        sources = [cell_source(c) for c in load_nb(path)["cells"] if c["cell_type"] == "markdown"]
    else:
        sources = [path.read_text(encoding="utf-8")]
    for src in sources:
        m = re.search(r"^#\s+(.+)$", src, re.M)
        if m:
            return re.sub(r"[*_`]", "", m.group(1)).strip()
    raise AssertionError(f"{path} has no '# ' heading")


def _parts() -> list[str]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [p["caption"] for p in toc.get("parts", []) if p.get("caption")]


def test_pdf_has_every_page_of_the_book(pdf):
    from livelihoods.book import sources

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages >= 2 * len(sources.toc_files(ROOT)), (
        f"only {pages} pages for {len(sources.toc_files(ROOT))} chapters and pages"
    )
    assert "A4" in info, "the PDF should be A4 (latex_elements.papersize in _config.yml)"


def test_first_pages_render_with_title_and_chapter_headings(pdf, tmp_path):
    from PIL import Image

    from livelihoods.book import sources

    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "4", str(pdf), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == 4, f"pdftoppm rendered {len(pngs)} of the first 4 pages"
    title_page = Image.open(pngs[0]).convert("L")
    inked = sum(title_page.histogram()[:128]) / (title_page.width * title_page.height)
    assert inked > 0.005, f"the title page renders (nearly) blank: {inked:.2%} dark pixels"

    import yaml

    title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert _norm(title) in _norm(_text(pdf, 1, 1)), f"page 1 does not show the title {title!r}"
    contents = _norm(_text(pdf, 2, FIRST_PAGES))
    assert "contents" in contents
    missing = [_heading(p) for p in sources.toc_files(ROOT)[1:] if _norm(_heading(p)) not in contents]
    assert not missing, f"the contents (pages 2-{FIRST_PAGES}) lack these chapter headings: {missing}"
    missing_parts = [c for c in _parts() if _norm(c) not in contents]
    assert not missing_parts, f"the contents lack these parts: {missing_parts}"


def test_every_figure_is_in_the_pdf_with_its_caption(pdf):
    from livelihoods.book import sources

    captions = []
    for nb in sources.toc_chapters(ROOT):
        for cell in load_nb(nb)["cells"]:
            fig = cell.get("metadata", {}).get("mystnb", {}).get("figure")
            if fig and fig.get("caption"):
                captions.append(fig["caption"])
    text = _norm(_text(pdf, 1, 10_000))
    missing = [c for c in captions if _norm(c)[:60] not in text]
    assert not missing, f"figure captions missing from the PDF: {missing}"
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    images = max(0, len(listed.strip().splitlines()) - 2)
    assert images >= len(captions), f"{images} images in the PDF for {len(captions)} figures"


def test_tables_are_printed_not_their_python_repr(pdf):
    text = _text(pdf, 1, 10_000)
    reprs = re.findall(r"<[\w.]+ at 0x[0-9a-f]+>|<[\w.]+ object at 0x[0-9a-f]+>", text)
    assert not reprs, f"{len(reprs)} outputs print as Python object reprs in the PDF, e.g. {reprs[0]}"
