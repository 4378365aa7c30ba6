"""The book's Sphinx extension (``livelihoods.book.sphinxext`` in ``_config.yml``).

Registers what the book's pages need beyond Jupyter Book: the educators' guide's generated tables
(:mod:`livelihoods.book.guide`), the chapter pages' questions, per-chapter numbering and launch
buttons (:mod:`livelihoods.book.pages`), the evidence index and the links to it from every
excerpt and claim id (:mod:`livelihoods.book.evidence_index`, :mod:`livelihoods.book.evidence_links`), and the bibliography style that numbers the paper's
references as the paper does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any


def paper_reference_numbers() -> dict[str, int]:
    """Reference key -> its number in the paper's reference list (``data/references.csv``)."""
    from livelihoods import evidence

    refs = evidence.load_references()
    return {str(key): int(num) for key, num in zip(refs["key"], refs["ref_num"])}


def paper_style() -> type:
    """A pybtex style that labels and orders the paper's references by the paper's own numbers.

    Chapter B's tables and figures number the references as the paper does ([1]-[26]); a
    bibliography numbered alphabetically by pybtex would give the same work another number.
    """
    from pybtex.style.formatting.plain import Style
    from pybtex.style.labels import BaseLabelStyle
    from pybtex.style.sorting import BaseSortingStyle

    numbers = paper_reference_numbers()

    class PaperNumbers(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            for entry in sorted_entries:
                yield str(numbers.get(entry.key, entry.key))

    class PaperOrder(BaseSortingStyle):
        def sorting_key(self, entry):
            return (numbers.get(entry.key, len(numbers) + 1), entry.key)

    class PaperStyle(Style):
        default_label_style = PaperNumbers
        default_sorting_style = PaperOrder

    return PaperStyle


def register_bibtex_backend() -> None:
    """Make pybtex's plain-text backend a runtime plugin, so finding it is a dictionary lookup.

    sphinxcontrib-bibtex asks pybtex for that backend once per citation, and pybtex answers each
    time by scanning the entry points of every installed package (about 11 ms): some two seconds
    of a seven-second build for this book's 170-odd citations. ``register_plugin`` is pybtex's
    public way to register a plugin at run time; the class is the one the entry point names.
    """
    from pybtex.backends.plaintext import Backend
    from pybtex.plugin import register_plugin

    register_plugin("pybtex.backends", "plaintext", Backend, force=True)


def version_footer(version: str) -> str:
    """The footer line that names the release (one number in pyproject.toml, CITATION.cff and this footer)."""
    return (
        f'<p class="livelihoods-version">Version {version} of this book and of its <code>livelihoods</code> '
        "package (how to cite it: <code>CITATION.cff</code> in the repository).</p>"
    )


def add_version_footer(app: Any, config: Any) -> None:
    """``config-inited``: append :func:`version_footer` to the theme's extra footer, read when the book is built."""
    from livelihoods import __version__

    options = dict(config.html_theme_options or {})
    options["extra_footer"] = (options.get("extra_footer") or "") + version_footer(__version__)
    config.html_theme_options = options


def fix_cell_ids(nb: dict, stem: str) -> bool:
    """Give a notebook's cells ids that depend only on the page and the cell's position, as the
    runnable notebooks have (``d-methods-00``, ...). Returns True if any id changed."""
    changed = False
    prefix = re.sub(r"[^A-Za-z0-9-]", "-", stem)
    for i, cell in enumerate(nb.get("cells", [])):
        wanted = f"{prefix}-{i:02d}"
        if cell.get("id") != wanted:
            cell["id"] = wanted
            changed = True
    return changed


def stable_source_notebooks(app: Any, exception: Exception | None) -> None:
    """Give the notebooks offered for download (``_sources/**/*.ipynb``) fixed cell ids.

    myst-nb reads a Markdown page into a notebook with random cell ids, and the theme copies that
    notebook into ``_sources/`` for the download button, so every build changed those files (and the
    bundle made from them) though nothing in the book had changed.
    """
    import json

    if exception is not None or getattr(app.builder, "format", "") != "html":
        return
    sources = Path(app.outdir) / "_sources"
    for path in sorted(sources.rglob("*.ipynb")) if sources.is_dir() else []:
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if fix_cell_ids(nb, path.stem):
            path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def setup(app: Any) -> dict[str, Any]:
    from pybtex.plugin import register_plugin

    from livelihoods.book import evidence_index, evidence_links, guide, pages, pipeline

    register_bibtex_backend()
    register_plugin("pybtex.style.formatting", "paper", paper_style(), force=True)
    app.add_directive("livelihoods-chapter-questions", guide.ChapterQuestions)
    app.add_directive("livelihoods-questions", guide.QuestionList)
    app.add_directive("livelihoods-sequence", guide.Sequence)
    app.add_directive("livelihoods-debate-prep", guide.DebatePrep)
    app.add_directive("livelihoods-parameters", guide.Parameters)
    pages.setup(app)
    evidence_index.setup(app)
    evidence_links.setup(app)
    app.connect("config-inited", add_version_footer)
    app.connect("build-finished", stable_source_notebooks)
    app.connect("source-read", pipeline.wait_for_notebook)  # pages whose notebooks still execute (livelihoods build)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
