"""What the chapter pages get from the Sphinx extension: questions, per-chapter numbers, launch buttons.

- ``{livelihoods-question} S6`` prints a question of the educators' guide, verbatim from
  ``data/questions.csv``; ``{livelihoods-prepares}`` lists the development questions the page's
  chapter prepares for, each linked to its section of the debates chapter. The runnable notebooks
  print the same two texts (:mod:`livelihoods.teach.runnable`), from the same functions.
- Exercises, figures and tables are numbered per chapter, ``E4.1``, ``E4.2``..., as in QuantEcon's
  lectures: "do exercise E4.2" means the same thing in the book, a handout, the runnable notebook
  and a student's copy, which the runnable notebooks number the same way
  (:func:`chapter_numbers`).
- ``{livelihoods-run}`` is the one place a chapter page speaks of its parameters: a collapsed box
  "Run this chapter yourself" with what each parameter does, its default and allowed values (from
  :mod:`livelihoods.book.registry`) and the command, after the chapter's question and objectives, so
  the lesson comes first (:func:`run_box_md`). The book leaves out the ``parameters`` cell, which a
  web reader cannot change (:func:`drop_parameters_cell`); the runnable notebook keeps it, with the
  same words above it (:func:`run_box_plain`) and the table under it (``chapter.start``).
- Launch buttons (Binder, Colab) open the chapter's runnable notebook, ``notebooks/<stem>.ipynb``;
  with no repository set (:mod:`livelihoods.book.repository`) there are none, and no repository
  or issues button either.
"""

from __future__ import annotations

import logging
import re
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
    return docname[len(CHAPTERS_DOCDIR) :] if docname.startswith(CHAPTERS_DOCDIR) else None


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


#: The summary line of the box (tests look for it).
RUN_TITLE = "Run this chapter yourself"
#: The caption of the parameters table in the box and in a runnable notebook.
PARAMETERS_CAPTION = "Parameters of this chapter"
#: The id of the box's table, which is not numbered (the box is not part of the lesson).
UNNUMBERED_TABLE = "livelihoods-run-parameters"


def example_command(stem: str) -> str:
    """``livelihoods run e2_barriers -p barrier cultural_view_of_work``: one value other than the default."""
    import shlex

    from livelihoods.book import params

    for p in params.spec(stem).values():
        if p.choices:
            value = next((c for c in reversed(p.choices) if c != p.default), p.default)
        elif p.kind in (int, float) and p.low is not None:
            value = (p.low + p.default) / 2  # halfway to the lowest value allowed
            value = int(round(value)) if p.kind is int else round(value, 2)
        else:
            continue
        return f"livelihoods run {stem} -p {p.name} {shlex.quote(str(value))}"
    return f"livelihoods run {stem}"


def run_box_plain(stem: str) -> str:
    """What a runnable notebook says above its parameters cell (plain Markdown, said once)."""
    from livelihoods.book import params

    if not params.spec(stem):
        return f"**{RUN_TITLE}.** This chapter has no parameters: run all cells (*Run > Run All Cells*)."
    return (
        f"**{RUN_TITLE}.** Change the values in the `parameters` cell below and run all cells (*Run > Run All "
        f"Cells*); the table under the cell says what each parameter does and which values are allowed. A "
        f"value that is not allowed stops the notebook there, with one line naming it. From a terminal: "
        f"`{example_command(stem)}`."
    )


def run_box_md(stem: str) -> str:
    """The collapsed box on a chapter page: how to run the chapter, and its parameters in one table."""
    from livelihoods.book import params

    spec = params.spec(stem)
    lines = [f":::{{dropdown}} {RUN_TITLE}", ":class-container: livelihoods-run", ""]
    if not spec:
        lines += [f"This chapter has no parameters. Its runnable notebook is `notebooks/{stem}.ipynb`.", ":::"]
        return "\n".join(lines)
    lines += [
        "This page shows the chapter run with the default values below. To run it with others, open the chapter's "
        f"runnable notebook, `notebooks/{stem}.ipynb` (JupyterLab, VS Code, Binder or Colab), change its "
        "`parameters` cell and run all cells; a value that is not allowed stops the notebook there, with one line "
        "naming it. Or, from a terminal in the repository:",
        "",
        "```bash",
        example_command(stem),
        "```",
        "",
        f"```{{list-table}} {PARAMETERS_CAPTION}",
        ":header-rows: 1",
        ":class: livelihoods-run-parameters",
        "",
        "* - Parameter",
        "  - Default",
        "  - Allowed values",
        "  - What it does",
    ]
    for name, p in spec.items():
        lines += [
            f"* - `{name}`",
            f"  - `{p.default!r}`",
            f"  - {_allowed_md(p.allowed())}",
            f"  - {_md_text(p.meaning())}",
        ]
    lines += ["```", ":::"]
    return "\n".join(lines)


def _allowed_md(text: str) -> str:
    """Allowed values with each quoted value as code (``'all'`` stays straight-quoted, not typeset as ‘all’)."""
    parts = re.split(r"('[^']*')", text)
    return "".join(f"`{p}`" if p.startswith("'") and p.endswith("'") and len(p) > 1 else _md_text(p) for p in parts)


def _md_text(text: str) -> str:
    """Plain text as MyST inline text: no maths from a dollar sign, no emphasis from an underscore."""
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("*", "\\*").replace("_", "\\_")


class RunBox(_MarkdownDirective):
    """``{livelihoods-run}``: the collapsed "Run this chapter yourself" box of a chapter page."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        from livelihoods.book import registry

        stem = self.arguments[0].strip() if self.arguments else chapter_stem(self.env.docname)
        if not stem:
            raise self.error("livelihoods-run outside a chapter needs the chapter's name as its argument")
        self.env.note_dependency(str(Path(registry.__file__)))
        out = self.parse(run_box_md(stem))
        for node in out:
            for table in node.findall(nodes.table):
                # an id of our own, so Sphinx adds none, and :func:`number_per_chapter` leaves it unnumbered: the
                # chapter's numbered tables stay E2.1, E2.2... whether or not a reader opens the box
                table["ids"] = [UNNUMBERED_TABLE]
        return out


def drop_parameters_cell(app: Any, doctree: Any) -> None:
    """``doctree-read``: a chapter page leaves out its ``parameters`` cell (the box shows the values)."""
    if chapter_stem(app.env.docname) is None:
        return
    for cell in list(doctree.findall(nodes.container)):
        if "tag_parameters" in cell.get("classes", []):
            cell.parent.remove(cell)


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
            ids.pop(UNNUMBERED_TABLE, None)
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
        options.update(
            repository_url=repo.url, repository_branch=repo.branch, use_repository_button=True, use_issues_button=True
        )
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
    context["header_buttons"].append(
        {
            "type": "group",
            "tooltip": "Run this chapter",
            "icon": "fas fa-rocket",
            "label": "launch-buttons",
            "buttons": [
                {
                    "type": "link",
                    "text": "Binder",
                    "tooltip": "Run this chapter's notebook on Binder (JupyterLab)",
                    "icon": "_static/images/logo_binder.svg",
                    "url": repo.binder(path),
                },
                {
                    "type": "link",
                    "text": "Colab",
                    "tooltip": "Run this chapter's notebook on Google Colab",
                    "icon": "_static/images/logo_colab.png",
                    "url": repo.colab(path),
                },
            ],
        }
    )


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
    app.add_directive("livelihoods-run", RunBox)
    app.connect("doctree-read", drop_parameters_cell)
    app.connect("env-get-updated", number_per_chapter, priority=900)
    app.connect("config-inited", configure_buttons, priority=900)
    app.connect("html-page-context", offer_runnable_notebook, priority=500)
    app.connect("html-page-context", add_launch_buttons, priority=502)
