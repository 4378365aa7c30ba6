"""What the chapter pages get from the Sphinx extension: questions, per-chapter numbers, launch buttons.

- ``{livelihoods-question} S6`` prints a question of the educators' guide, verbatim from
  ``data/questions.csv``; ``{livelihoods-prepares}`` lists the development questions the page's
  chapter prepares for, each linked to its section of the debates chapter. The runnable notebooks
  print the same two texts (:mod:`livelihoods.teach.runnable`), from the same functions.
- Exercises, figures and tables are numbered per chapter, ``E4.1``, ``E4.2``..., as in QuantEcon's
  lectures: "do exercise E4.2" means the same thing in the book, a handout, the runnable notebook
  and a student's copy, which the runnable notebooks number the same way
  (:func:`chapter_numbers`).
- Launch buttons (Binder, Colab) open the chapter's runnable notebook, ``notebooks/<stem>.ipynb``;
  with no repository set (:mod:`livelihoods.book.repository`) there are none, and no repository
  or issues button either.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

log = logging.getLogger(__name__)

#: Where chapter sources live, as Sphinx docnames start.
CHAPTERS_DOCDIR = "book/chapters/"
#: The kinds of numbered things Sphinx counts that the book numbers per chapter.
NUMBERED = ("exercise", "figure", "table", "code-block")


def chapter_stem(docname: str) -> str | None:
    """``book/chapters/e4_impact`` -> ``e4_impact``; None for pages that are not chapters."""
    return docname[len(CHAPTERS_DOCDIR):] if docname.startswith(CHAPTERS_DOCDIR) else None


class _MarkdownDirective(SphinxDirective):
    """A directive whose content is MyST Markdown produced by a function (parsed as the page is)."""

    def parse(self, text: str) -> list[nodes.Node]:
        from livelihoods.paths import data_dir

        for name in ("questions.csv", "question_links.csv"):
            self.env.note_dependency(str(data_dir() / name))
        container = nodes.container(classes=["livelihoods-generated"])
        self.state.nested_parse(StringList(text.split("\n"), source=self.env.docname), self.content_offset, container)
        return container.children


class Question(_MarkdownDirective):
    """``{livelihoods-question} S6``: one question of the educators' guide, verbatim, attributed."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        from livelihoods.book.chapter import question_text

        return self.parse(question_text(self.arguments[0].strip()))


class Prepares(_MarkdownDirective):
    """``{livelihoods-prepares}``: the development questions this chapter prepares for."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        from livelihoods.book.chapter import prepares_md

        stem = self.arguments[0].strip() if self.arguments else chapter_stem(self.env.docname)
        if not stem:
            raise self.error("livelihoods-prepares outside a chapter needs the chapter's name as its argument")
        return self.parse(prepares_md(stem))


def number_per_chapter(app: Any, env: Any) -> list[str]:
    """Renumber exercises, figures and tables within each page (``E4.1``, ``E4.2``; plain 1, 2 elsewhere).

    Runs after Sphinx has numbered them across the book (``env-get-updated``); the numbers keep
    Sphinx's order within a page. sphinx-exercise's titles and every ``{numref}`` read these.
    """
    from livelihoods.book.chapter import chapter_number

    for docname, kinds in env.toc_fignumbers.items():
        stem = chapter_stem(docname)
        prefix = chapter_number(stem) if stem else None
        for figtype in NUMBERED:
            ids = kinds.get(figtype)
            if not ids:
                continue
            for n, figure_id in enumerate(sorted(ids, key=lambda i: ids[i]), start=1):
                ids[figure_id] = (prefix, n) if prefix else (n,)
    return []


def configure_buttons(app: Any, config: Any) -> None:
    """Repository, issues and launch buttons only when ``repository.url`` names a GitHub repository.

    The theme's own launch buttons would open the MyST source (``book/chapters/x.md``), which
    Colab cannot open; :func:`add_launch_buttons` puts buttons to the runnable notebook instead.
    """
    from livelihoods.book import repository

    options = dict(config.html_theme_options or {})
    repo = repository.parse(str(options.get("repository_url") or ""), str(options.get("repository_branch") or "main"))
    if repo is None:
        for key in ("use_repository_button", "use_issues_button", "use_edit_page_button"):
            options[key] = False
        options["repository_url"] = ""
    else:
        options.update(repository_url=repo.url, repository_branch=repo.branch, use_repository_button=True,
                       use_issues_button=True)
    options["launch_buttons"] = {}
    config.html_theme_options = options


def _repository(app: Any) -> Any:
    from livelihoods.book import repository

    options = app.config.html_theme_options or {}
    return repository.parse(str(options.get("repository_url") or ""), str(options.get("repository_branch") or "main"))


def add_launch_buttons(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """A rocket menu on each chapter page: the chapter's runnable notebook on Binder and on Colab."""
    repo = _repository(app)
    stem = chapter_stem(pagename)
    if repo is None or stem is None or "header_buttons" not in context:
        return
    path = f"notebooks/{stem}.ipynb"
    if not (Path(app.srcdir) / path).is_file():
        return
    context["header_buttons"].append({
        "type": "group",
        "tooltip": "Run this chapter",
        "icon": "fas fa-rocket",
        "label": "launch-buttons",
        "buttons": [
            {"type": "link", "text": "Binder", "tooltip": "Run this chapter's notebook on Binder (JupyterLab)",
             "icon": "_static/images/logo_binder.svg", "url": repo.binder(path)},
            {"type": "link", "text": "Colab", "tooltip": "Run this chapter's notebook on Google Colab",
             "icon": "_static/images/logo_colab.png", "url": repo.colab(path)},
        ],
    })


def offer_runnable_notebook(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The page's ".ipynb" download is the chapter's runnable notebook (``notebooks/<stem>.ipynb``).

    A student who downloads a chapter gets the notebook that reads as a page in JupyterLab, Colab or
    VS Code, not the MyST source nor the book's executed copy. Runs before the theme draws its
    download menu (priority 500), which offers ``ipynb_source`` when it is set.
    """
    import shutil

    stem = chapter_stem(pagename)
    if stem is None or app.builder.format != "html":
        return
    runnable = Path(app.srcdir) / "notebooks" / f"{stem}.ipynb"
    if not runnable.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(runnable, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Any) -> None:
    app.add_directive("livelihoods-question", Question)
    app.add_directive("livelihoods-prepares", Prepares)
    app.connect("env-get-updated", number_per_chapter, priority=900)
    app.connect("config-inited", configure_buttons, priority=900)
    app.connect("html-page-context", offer_runnable_notebook, priority=500)
    app.connect("html-page-context", add_launch_buttons, priority=502)
