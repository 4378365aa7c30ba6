"""The frame every chapter notebook shares.

A chapter calls :func:`start` once, right after its ``parameters`` cell: it validates the
parameters (stopping with one clear line on a bad value), applies the book's plotting style and
glues the chapter's synopsis question, read from ``data/questions.csv`` rather than retyped.
:func:`quote` renders an interview excerpt verbatim with its attribution as printed, and
:func:`table` gives a DataFrame a caption, so that notebook cells stay one or two lines long.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from livelihoods import params as _params

PAPER = "Malik, Nicholson & Heeks (2017)"
#: The educators' guide is part of the study's working paper, not of the IFIP paper: cite it by its own
#: title and authors (``malik2018`` in book/further_references.bib).
GUIDE = ("Malik, Nicholson & Heeks, *Understanding the Development Implications of Online Outsourcing: "
         "A Study of Digital Labour Platforms in Pakistan* (Development Informatics Working Paper 73, 2018)")

#: Slips in the guide as printed (data/README.md, "Oddities"). The question stays verbatim and a short
#: note says so, as :func:`findings.sic_note` does for an excerpt. A section marker printed otherwise
#: than "[Section X]" is kept as printed.
GUIDE_MARKER_AS_PRINTED: dict[str, str] = {"S8": "[Section E4]]"}
_GUIDE_SIC: dict[str, str] = {
    "S6": "*[sic: the guide prints “existing” where “exist” is meant]*",
    "S8": "*[sic: the guide prints the section marker with a doubled closing bracket]*",
}


def _glue(name: str, value: Any, display: bool = False) -> None:
    """Glue a value for the book (myst-nb); outside a book build this is still harmless."""
    from myst_nb import glue

    glue(name, value, display=display)


def start(chapter: str, **values: Any) -> dict[str, Any]:
    """Validate a chapter's parameters, set the plotting style and glue its questions.

    Glues ``synopsis`` (the educators' guide question the chapter answers, as a block quote with
    its attribution) when the chapter answers one. Returns the validated parameters.
    """
    checked = _params.validate(chapter, **values)
    from livelihoods.plots import use_style

    use_style()
    from IPython.display import Markdown

    from livelihoods import data

    questions = data.load_questions()
    mine = questions[(questions["chapter"] == chapter) & (questions["kind"] == "synopsis")]
    for _, row in mine.iterrows():
        _glue("synopsis", Markdown(_question_md(row)))
    if checked:
        from IPython.display import display

        display(parameter_table(chapter, checked))
    return checked


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


def question_marker(row: pd.Series) -> str:
    """The "[Section X]" marker after a synopsis question, as the guide prints it ("" for the others)."""
    if not (pd.notna(row.get("section")) and row.get("section")):
        return ""
    return GUIDE_MARKER_AS_PRINTED.get(str(row.get("question_id", "")), f"[Section {row['section']}]")


def question_sic(question_id: str) -> str:
    """The [sic] note for a guide question printed with a slip, or ``""``."""
    return _GUIDE_SIC.get(str(question_id), "")


def _question_md(row: pd.Series) -> str:
    label = f"synopsis question {row['number']}" if row["kind"] == "synopsis" else f"development question {row['number']}"
    marker = question_marker(row)
    section = f" {marker}" if marker else ""
    quoted = f"> **{row['text']}**{section}\n>\n> — Educators' guide, {label}, in {GUIDE}"
    note = question_sic(str(row.get("question_id", "")))
    return quoted + (f"\n\n{note}" if note else "")


def question(question_id: str) -> Any:
    """One question of the educators' guide (``S1``..``S8``, ``D1``..``D6``) as Markdown, verbatim."""
    from IPython.display import Markdown

    from livelihoods import data

    q = data.load_questions().set_index("question_id")
    if question_id not in q.index:
        from livelihoods.errors import LivelihoodsError

        raise LivelihoodsError(f"unknown question {question_id!r}: expected one of {', '.join(q.index)}")
    row = q.loc[question_id].copy()
    row["question_id"] = question_id
    return Markdown(_question_md(row))


def quote_md(excerpt: pd.Series) -> str:
    """An excerpt as a Markdown block quote: the text verbatim, then the attribution as printed.

    An excerpt whose printed text has a slip (EX07 drops a range dash) is followed by a short
    [sic] note, wherever it is quoted: the quotation itself stays exactly as printed.
    """
    from livelihoods.findings import sic_note

    # A "$" would start inline maths (the book enables dollarmath): "US$1 ... US$3" must stay text.
    lines = str(excerpt["text"]).replace("$", "\\$").split("\n")
    body = "\n".join(f"> {line}" if line else ">" for line in lines)
    quoted = f"{body}\n>\n> — {excerpt['attribution']} ({PAPER}, §{excerpt['paper_section']}; excerpt {excerpt['excerpt_id']})"
    note = sic_note(str(excerpt["excerpt_id"]))
    return quoted + (f"\n\n{note}" if note else "")


def quote(*excerpt_ids: str) -> Any:
    """Show one or more excerpts as quotations with attribution (an IPython Markdown object)."""
    from IPython.display import Markdown

    from livelihoods import data

    ex = data.load_excerpts().set_index("excerpt_id", drop=False)
    unknown = [e for e in excerpt_ids if e not in ex.index]
    if unknown:
        from livelihoods.errors import LivelihoodsError

        raise LivelihoodsError(f"unknown excerpt id {unknown[0]!r}: expected an id from data/excerpts.csv such as EX01")
    return Markdown("\n\n".join(quote_md(ex.loc[e]) for e in excerpt_ids))


def _md_cell(value: Any, precision: int) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    text = f"{value:.{precision}f}" if isinstance(value, float) else str(value)
    return " ".join(text.split()).replace("|", "\\|").replace("$", "\\$")


def _numeric_columns(df: pd.DataFrame) -> list[Any]:
    """Columns holding numbers (not booleans): right-aligned, so digits line up."""
    return [c for c in df.columns
            if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]


def _table_markdown(df: pd.DataFrame, caption: str, index: bool, precision: int) -> str:
    """The table in Markdown with its caption in bold above it, for builders without HTML (the PDF).

    The caption is a paragraph, not a numbered table title, exactly as the HTML page shows it: a
    numbered title here would take a table number in every build (Sphinx numbers across builders),
    and the tables the reader does see numbered would jump (Table 4, then Table 7).
    """
    frame = df.reset_index() if index else df
    numeric = set(_numeric_columns(frame))
    header = "| " + " | ".join(_md_cell(c, precision) for c in frame.columns) + " |"
    rule = "|" + "".join("---:|" if c in numeric else "---|" for c in frame.columns)
    rows = ["| " + " | ".join(_md_cell(v, precision) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([f"**{_md_cell(caption, precision)}**", "", header, rule, *rows])


class BookTable(Styler):
    """A pandas Styler that also offers a Markdown table.

    The HTML book shows the styled HTML; the LaTeX/PDF builder, which cannot use HTML, falls back to
    ``text/markdown`` (myst-nb's priority), so the PDF gets a real table instead of the Styler's repr.
    """

    _book_caption: str = ""
    _book_index: bool = False
    _book_precision: int = 2

    def __repr__(self) -> str:
        # The default repr holds a memory address, which would make two builds differ.
        frame = self.data if self._book_index else self.data.reset_index(drop=True)
        return f"{self._book_caption}\n{frame.to_string(index=self._book_index)}"

    def _repr_markdown_(self) -> str:
        return _table_markdown(self.data, self._book_caption, self._book_index, self._book_precision)


def table(df: pd.DataFrame, caption: str, index: bool = False, precision: int = 2) -> Any:
    """A DataFrame with a caption (an HTML ``<caption>``, read by screen readers) and no index noise."""
    import hashlib

    # A fixed table id (pandas picks a random one), so two builds of the book are byte-identical.
    uid = hashlib.sha1((caption + "|" + "|".join(map(str, df.columns))).encode()).hexdigest()[:10]
    styler = BookTable(df, uuid=uid)
    styler._book_caption, styler._book_index, styler._book_precision = caption, index, precision
    styler = styler.set_caption(caption).format(precision=precision, na_rep="–")
    if not index:
        styler = styler.hide(axis="index")
    styler = styler.set_table_styles(
        [{"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold; padding-bottom: 0.4em;"},
         # room between columns and top-aligned rows, so wrapped cells do not run into each other
         {"selector": "th, td", "props": "padding: 0.3em 0.75em 0.3em 0; vertical-align: top; text-align: left;"}]
    )
    # numbers right-aligned (header and cells), so digits line up; a column rule outranks the one above
    numeric = {c: [{"selector": "th, td", "props": "text-align: right;"}] for c in _numeric_columns(df)}
    return styler.set_table_styles(numeric, overwrite=False) if numeric else styler


def glue_figure(name: str, fig: Any) -> Any:
    """Glue a figure (without showing it twice) so another page can paste it, e.g. the introduction."""
    _glue(name, fig, display=False)
    return fig


def glue_value(name: str, value: Any) -> Any:
    """Glue a computed number for the prose and return it.

    Numbers are glued raw (an ``int`` or ``float``, not a string) so the prose formats them with
    ``{glue:text}`name:.0%``` and a reader of the notebook sees the real value.
    """
    if hasattr(value, "item"):
        value = value.item()  # numpy scalar -> Python number, for a clean text/plain repr
    _glue(name, value)
    return value


def prepares(chapter: str) -> Any:
    """The development questions a chapter prepares for, verbatim, each linked to the debates chapter.

    Read from ``data/question_links.csv`` so the list at the end of every chapter cannot drift
    from the educators' guide mapping.
    """
    from IPython.display import Markdown

    from livelihoods import data

    links = data.load_question_links()
    wanted = links[(links["chapter"] == chapter) & (links["role"] == "prepares")]["question_id"].astype(str)
    questions = data.load_questions().set_index("question_id")
    lines = []
    for qid in sorted(wanted, key=lambda q: int(q[1:])):
        number = qid[1:]
        lines.append(f"- **Development question {number}:** {questions.loc[qid, 'text']} "
                     f"(see {{ref}}`debate-d{number}`)")
    if not lines:
        return Markdown("")
    return Markdown("\n".join(lines))
