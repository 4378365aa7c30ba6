"""The frame every chapter notebook shares.

A chapter calls :func:`start` once, right after its ``parameters`` cell: it validates the
parameters (stopping with one clear line on a bad value), applies the book's plotting style and
glues the chapter's synopsis question, read from ``data/questions.csv`` rather than retyped.
:func:`quote`, :func:`table` and :func:`glue_value` (from :mod:`livelihoods.analyses.show`) are
offered here too, so that a chapter's cells need one import for the frame.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from livelihoods.analyses.show import PAPER, glue, glue_figure, glue_value, quote, quote_md, table
from livelihoods.book import params as _params

__all__ = ["PAPER", "glue", "glue_figure", "glue_value", "parameter_table", "prepares", "question", "question_md",
           "quote", "quote_md", "start", "table"]


def start(chapter: str, **values: Any) -> dict[str, Any]:
    """Validate a chapter's parameters, set the plotting style and glue its questions.

    Glues ``synopsis`` (the educators' guide question the chapter answers, as a block quote with
    its attribution) when the chapter answers one. Returns the validated parameters.

    When the cell run just before this one was injected by papermill (``-p NAME VALUE``), every
    name it sets must be one of the chapter's parameters: a misspelt name stops the chapter here,
    with one line naming it and the parameter probably meant.
    """
    _one_line_parameter_errors()
    injected = _injected_cell()
    if injected is not None:
        _params.check_injected(chapter, _params.injected_names(injected) or [])
    checked = _params.validate(chapter, **values)
    from livelihoods.analyses.plots import use_style

    use_style()
    from IPython.display import Markdown

    from livelihoods import evidence

    questions = evidence.load_questions()
    mine = questions[(questions["chapter"] == chapter) & (questions["kind"] == "synopsis")]
    for _, row in mine.iterrows():
        glue("synopsis", Markdown(question_md(row)))
    if checked:
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
        'class="livelihoods-run-parameters"')


def question_md(row: pd.Series) -> str:
    label = f"synopsis question {row['number']}" if row["kind"] == "synopsis" else f"development question {row['number']}"
    section = f" [Section {row['section']}]" if pd.notna(row.get("section")) and row.get("section") else ""
    return f"> **{row['text']}**\n>\n> — Educators' guide to {PAPER}, {label}{section}"


def question(question_id: str) -> Any:
    """One question of the educators' guide (``S1``..``S8``, ``D1``..``D6``) as Markdown, verbatim."""
    from IPython.display import Markdown

    from livelihoods import evidence

    q = evidence.load_questions().set_index("question_id")
    if question_id not in q.index:
        from livelihoods.errors import LivelihoodsError

        raise LivelihoodsError(f"unknown question {question_id!r}: expected one of {', '.join(q.index)}")
    row = q.loc[question_id].copy()
    row["question_id"] = question_id
    return Markdown(question_md(row))


def prepares(chapter: str) -> Any:
    """The development questions a chapter prepares for, verbatim, each linked to the debates chapter.

    Read from ``data/question_links.csv`` so the list at the end of every chapter cannot drift
    from the educators' guide mapping.
    """
    from IPython.display import Markdown

    from livelihoods import evidence

    links = evidence.load_question_links()
    wanted = links[(links["chapter"] == chapter) & (links["role"] == "prepares")]["question_id"].astype(str)
    questions = evidence.load_questions().set_index("question_id")
    lines = []
    for qid in sorted(wanted, key=lambda q: int(q[1:])):
        number = qid[1:]
        lines.append(f"- **Development question {number}:** {questions.loc[qid, 'text']} "
                     f"(see {{ref}}`debate-d{number}`)")
    if not lines:
        return Markdown("")
    return Markdown("\n".join(lines))
