"""The book's Sphinx extension (``livelihoods.book.sphinxext`` in ``_config.yml``).

Registers what the book's pages need beyond Jupyter Book: the educators' guide's generated tables
(:mod:`livelihoods.book.guide`), the chapter pages' questions, per-chapter numbering and launch
buttons (:mod:`livelihoods.book.pages`), the evidence index and the links to it from every
excerpt and claim id (:mod:`livelihoods.book.evidence_index`, :mod:`livelihoods.book.evidence_links`), and the bibliography style that numbers the paper's
references as the paper does.
"""

from __future__ import annotations

from typing import Any


def setup(app: Any) -> dict[str, Any]:
    from pybtex.plugin import register_plugin

    from livelihoods.book import evidence_index, evidence_links, guide, pages

    guide.register_bibtex_backend()
    register_plugin("pybtex.style.formatting", "paper", guide.paper_style(), force=True)
    app.add_directive("livelihoods-chapter-questions", guide.ChapterQuestions)
    app.add_directive("livelihoods-questions", guide.QuestionList)
    app.add_directive("livelihoods-sequence", guide.Sequence)
    app.add_directive("livelihoods-debate-prep", guide.DebatePrep)
    app.add_directive("livelihoods-parameters", guide.Parameters)
    pages.setup(app)
    evidence_index.setup(app)
    evidence_links.setup(app)
    app.connect("config-inited", guide.add_version_footer)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
