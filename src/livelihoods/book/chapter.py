"""The frame every chapter notebook shares.

A chapter calls :func:`start` once, right after its ``parameters`` cell: it validates the
parameters (stopping with one clear line on a bad value), applies the book's plotting style and
shows the parameters. The questions a chapter answers and prepares for are read from
``data/questions.csv`` rather than retyped (:func:`question_md`, :func:`prepares_md`: the book's
``{livelihoods-question}`` and ``{livelihoods-prepares}`` directives and the runnable notebooks
both print them). :func:`quote`, :func:`table`, :func:`text_table`, :func:`md`, :func:`prose`,
:func:`references` and :func:`glue_value` (from :mod:`livelihoods.analyses.show`) are offered here
too, so that a chapter's cells need one import for the frame.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from livelihoods import evidence
from livelihoods.analyses.show import (
    PAPER,
    glue,
    glue_figure,
    glue_value,
    markdown_table,
    md,
    prose,
    quote,
    quote_md,
    references,
    table,
    text_table,
)
from livelihoods.book import params as _params
from livelihoods.errors import LivelihoodsError

__all__ = [
    "GUIDE",
    "PAPER",
    "chapter_number",
    "glue",
    "glue_figure",
    "glue_value",
    "markdown_table",
    "md",
    "parameter_table",
    "prepares",
    "prepares_md",
    "prose",
    "question",
    "question_marker",
    "question_md",
    "question_sic",
    "question_text",
    "quote",
    "quote_md",
    "references",
    "start",
    "table",
    "text_table",
]


#: The educators' guide is part of the study's working paper, not of the IFIP paper: cite it by its own
#: title and authors (``malik2018`` in data/further_references.bib).
GUIDE = (
    "Malik, Nicholson & Heeks, *Understanding the Development Implications of Online Outsourcing: "
    "A Study of Digital Labour Platforms in Pakistan* (Development Informatics Working Paper 73, 2018)"
)


def chapter_number(stem: str) -> str:
    """A chapter's number as the book prints it before its exercises and figures: ``e4_impact`` -> ``E4``."""
    import re

    m = re.fullmatch(r"([a-z][0-9]?)_\w+", stem)
    if not m:
        raise LivelihoodsError(f"chapter {stem!r} is not named letter[digit]_name, as book/chapters/README.md asks")
    return m.group(1).upper()


def start(chapter: str, **values: Any) -> dict[str, Any]:
    """Validate a chapter's parameters, set the plotting style and show the parameters.

    Returns the validated parameters; a bad value stops the notebook here with one line. The
    parameters table is shown in a notebook, under the ``parameters`` cell a reader edits; the book's
    page shows it once, in its collapsed "Run this chapter yourself" box
    (:func:`livelihoods.book.pages.run_box_md`), so nothing is shown here when the book is built.

    When the cell run just before this one was injected by papermill (``-p NAME VALUE``), every
    name it sets must be one of the chapter's parameters: a misspelt name stops the chapter here,
    with one line naming it and the parameter probably meant.
    """
    _one_line_parameter_errors()
    injected = _injected_cell()
    if injected is not None:
        _params.check_injected(chapter, _params.injected_names(injected) or [])
    checked = _params.validate(chapter, **values)
    from livelihoods.analyses import markup, show
    from livelihoods.analyses.plots import use_style

    show.reset()  # a new run: no sentence may keep a number from the last one
    use_style()
    if checked and markup.mode() != "myst":
        from IPython.display import display

        display(parameter_table(chapter, checked))
    return checked


def _one_line_parameter_errors() -> None:
    """In an IPython kernel, show a :class:`ParameterError` as its one line, not a traceback through
    the frame's code: the line names the parameter and what is allowed, which is all a reader needs.
    nbclient and papermill still see the error (its name and message) and stop the run there."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - the frame runs in a kernel
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return
    from livelihoods.errors import ParameterError

    def show(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> list[str]:
        lines = [f"{etype.__name__}: {value}"]
        shell._showtraceback(etype, value, lines)  # what the frontend (and papermill) receive
        return lines

    shell.set_custom_exc((ParameterError,), show)


def _injected_cell() -> str | None:
    """The source of papermill's injected-parameters cell, when it is the cell run just before the
    current one in this IPython kernel (None outside IPython, or when papermill injected nothing)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - the frame runs in a kernel
        return None
    shell = get_ipython()
    inputs = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None) or []
    # inputs[-1] is the cell running start(); papermill puts its cell right before it.
    if len(inputs) >= 2 and _params.injected_names(inputs[-2]) is not None:
        return inputs[-2]
    return None


def parameter_table(chapter: str, values: dict[str, Any]) -> Any:
    """The chapter's parameters with their defaults and allowed values, shown on the chapter's page.

    A run with other values (papermill, ``livelihoods run``, a student's notebook) adds a column
    "this run"; the book, built with the defaults, does not repeat the defaults in a second column.
    """
    spec = _params.spec(chapter)
    changed = any(values.get(name, p.default) != p.default for name, p in spec.items())
    rows = []
    for name, p in spec.items():
        row = {"parameter": name}
        if changed:
            row["this run"] = repr(values.get(name, p.default))
        row.update({"default": repr(p.default), "allowed": p.allowed(), "meaning": p.meaning()})
        rows.append(row)
    # a class of its own, so a phone can show each parameter as a card instead of a four-column table
    return table(pd.DataFrame(rows), caption="Parameters of this chapter").set_table_attributes(
        'class="livelihoods-run-parameters"'
    )


def question_marker(row: pd.Series) -> str:
    """The "[Section X]" marker after a synopsis question, as the guide prints it ("" for the others)."""
    if not (pd.notna(row.get("section")) and row.get("section")):
        return ""
    return evidence.printed_marker(str(row.get("question_id", ""))) or f"[Section {row['section']}]"


def question_sic(question_id: str) -> str:
    """The [sic] note for a guide question printed with a slip (``data/sic_notes.csv``), or ``""``."""
    return evidence.sic_note(str(question_id))


def question_md(row: pd.Series) -> str:
    label = (
        f"synopsis question {row['number']}" if row["kind"] == "synopsis" else f"development question {row['number']}"
    )
    marker = question_marker(row)
    section = f" {marker}" if marker else ""
    quoted = f"> **{row['text']}**{section}\n>\n> — Educators' guide, {label}, in {GUIDE}"
    note = question_sic(str(row.get("question_id", "")))
    return quoted + (f"\n\n{note}" if note else "")


def question_text(question_id: str) -> str:
    """One question of the educators' guide (``S1``..``S8``, ``D1``..``D6``) as a Markdown block quote, verbatim."""
    from livelihoods import evidence

    q = evidence.load_questions().set_index("question_id")
    if question_id not in q.index:
        raise LivelihoodsError(f"unknown question {question_id!r}: expected one of {', '.join(q.index)}")
    row = q.loc[question_id].copy()
    row["question_id"] = question_id
    return question_md(row)


def question(question_id: str) -> Any:
    """One question of the educators' guide, shown in a notebook cell."""
    return md(question_text(question_id))


def prepares(chapter: str) -> Any:
    """The development questions a chapter prepares for, shown in a notebook cell."""
    return md(prepares_md(chapter))


def prepares_md(chapter: str) -> str:
    """The development questions a chapter prepares for, verbatim, each linked to the debates chapter.

    Read from ``data/question_links.csv`` so the list at the end of every chapter cannot drift
    from the educators' guide mapping.
    """
    from livelihoods import evidence

    links = evidence.load_question_links()
    wanted = links[(links["chapter"] == chapter) & (links["role"] == "prepares")]["question_id"].astype(str)
    questions = evidence.load_questions().set_index("question_id")
    lines = []
    for qid in sorted(wanted, key=lambda q: int(q[1:])):
        number = qid[1:]
        lines.append(
            f"- **Development question {number}:** {questions.loc[qid, 'text']} (see {{ref}}`debate-d{number}`)"
        )
    return "\n".join(lines)
