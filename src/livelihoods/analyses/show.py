"""How analyses show things on a page: quotations, captioned tables, Markdown and glued numbers.

Every chapter module returns what a notebook cell displays through these helpers, so a quotation
is always verbatim with its attribution as printed, a table always has a caption (and a Markdown
twin for the PDF), and a number for the prose is always glued, never typed.

Two audiences, one code path. When the book is built (:func:`livelihoods.analyses.markup.mode` is
``"myst"``) a glued value goes to myst-nb and Markdown keeps its MyST roles for Sphinx. Anywhere
else (JupyterLab, Colab, papermill) a glued value is kept in this kernel and
:func:`prose` writes it into the sentence that uses it, and Markdown is shown as plain Markdown.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

import pandas as pd
from IPython.display import Markdown
from pandas.io.formats.style import Styler

from livelihoods.analyses import markup
from livelihoods.errors import LivelihoodsError, ParameterError

PAPER = "Malik, Nicholson & Heeks (2017)"

#: Values glued in this kernel (plain mode), by name, for :func:`prose`.
GLUED: dict[str, Any] = {}
#: Paragraphs shown in this kernel, by display id: updated in place whenever a number they quote is glued.
SHOWN: dict[str, str] = {}
_MAX_SHOWN = 2000  # old entries belong to outputs already replaced; keep the registry bounded
_GLUE_ROLE = re.compile(r"\{(?P<name>glue(?::\w*)?)\}`(?P<text>[^`]+)`")
WAITING = "…"


def glue(name: str, value: Any, display: bool = False) -> None:
    """Glue a value: for the book (myst-nb) when building it, else for this notebook's prose."""
    if markup.mode() == "myst":
        _glue_for_myst_nb(name, value, display)
        return
    GLUED[name] = value
    if display:
        from IPython.display import display as show_now

        show_now(value)
    _refresh(name)


#: The MIME-type prefix of a value glued but not displayed: myst-nb's ``GLUE_PREFIX`` (papermill's record type).
GLUE_PREFIX = "application/papermill.record/"


def _glue_for_myst_nb(name: str, value: Any, display: bool) -> None:
    """What ``myst_nb.glue`` does, without importing it: the same display bundle and metadata.

    Why not call it: importing ``myst_nb.glue`` imports nbformat, hence jsonschema, which builds
    rfc3987-syntax's IRI grammar at import time; that cost a second of CPU in every kernel the
    build started (a sixth of a chapter's execution). ``tests/test_glue.py`` checks that this and
    myst-nb's own function send the same message.
    """
    from IPython.core.formatters import format_display_data
    from IPython.display import display as send

    bundle, metadata = format_display_data(value)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = dict(name=name, mime_prefix=prefix)
    send({prefix + key: data for key, data in bundle.items()}, raw=True, metadata=metadata)


def reset() -> None:
    """Forget this kernel's glued numbers (a new run of the chapter starts): no sentence shows a stale one."""
    GLUED.clear()
    SHOWN.clear()


class MarkdownText(Markdown):
    """Markdown a cell shows: MyST for the book, plain Markdown (no roles) in any other front end."""

    def _repr_markdown_(self) -> str:
        return self.data if markup.mode() == "myst" else markup.to_plain(self.data)


def md(text: str) -> MarkdownText:
    """Show Markdown written with MyST roles (citations, links) in whatever front end runs the cell."""
    return MarkdownText(str(text))


def _glued_text(name: str, fmt: str) -> str:
    """A glued value as ``{glue:text}`name:fmt``` shows it in the book (myst-nb's formatting)."""
    if name not in GLUED:
        raise LivelihoodsError(
            f"this text uses the number {name!r}, which no cell above has computed yet: "
            "run the notebook from the top (Run All)"
        )
    value = GLUED[name]
    if isinstance(value, Markdown):  # glued for {glue:md}: a short Markdown text
        return markup.to_plain(value._repr_markdown_() or "")
    if not fmt:
        return str(value)
    kind = fmt[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, fmt)


def template(text: str) -> str:
    """A MyST paragraph as the template :func:`prose` fills: ``{glue:text}`share:.0%``` becomes ``{share:.0%}``.

    The runnable notebooks keep their paragraphs in this form (Python format fields, other braces
    doubled), so that no MyST is left even in the hidden code a viewer such as GitHub's may show.
    """
    out, last = [], 0
    for m in _GLUE_ROLE.finditer(text):
        out.append(text[last : m.start()].replace("{", "{{").replace("}", "}}"))
        key, fmt = _key(m)
        out.append("{" + key + (f":{fmt}" if fmt else "") + "}")
        last = m.end()
    out.append(text[last:].replace("{", "{{").replace("}", "}}"))
    return "".join(out)


def _key(m: re.Match) -> tuple[str, str]:
    key, _, fmt = m["text"].rpartition("::")[2].partition(":")
    return key, fmt


def _fields(text: str) -> list[tuple[str, str, str]]:
    """(literal text before, field name, format) of a template, in order (name "" for the tail)."""
    import string

    return [(literal, field or "", spec or "") for literal, field, spec, _ in string.Formatter().parse(text)]


def _names(text: str) -> set[str]:
    return {name for _, name, _ in _fields(text) if name}


def missing(text: str) -> list[str]:
    """The glued names a template quotes that this kernel has not computed yet."""
    return [k for k in dict.fromkeys(name for _, name, _ in _fields(text) if name) if k not in GLUED]


def fill(text: str, waiting: str | None = None) -> str:
    """A template (:func:`template`) with its fields replaced by the values glued in this kernel.

    A value not computed yet is an error, or ``waiting`` when given (a paragraph shown early).
    """
    out = []
    for literal, name, fmt in _fields(text):
        out.append(literal)
        if name:
            out.append(waiting if waiting is not None and name not in GLUED else _glued_text(name, fmt))
    return "".join(out)


def prose(text: str) -> None:
    """A paragraph of a runnable notebook whose numbers are computed: shown with this run's values.

    The runnable notebooks (generated from the book's chapters) turn every paragraph that quotes a
    computed number into a call of this function, whose source is hidden: a student who changes a
    parameter and runs all cells sees the new numbers in the sentences. A paragraph may come
    before the cell that computes its numbers (the book's pages are written for readers, not for
    execution order): it is shown with "…" for them, and it is redrawn in place (an IPython
    display update, which JupyterLab, Colab, VS Code and papermill all apply) whenever a number it
    quotes is glued, so it never keeps a value from an earlier run.
    """
    import uuid

    from IPython.display import display

    display_id = f"livelihoods-prose-{uuid.uuid4().hex}"
    SHOWN[display_id] = text
    while len(SHOWN) > _MAX_SHOWN:
        del SHOWN[next(iter(SHOWN))]
    display(Markdown(fill(text, waiting=WAITING)), display_id=display_id)


def _refresh(name: str) -> None:
    """Redraw the paragraphs shown so far that quote ``name`` and now have all their numbers."""
    if not SHOWN:
        return
    from IPython.display import update_display

    for display_id, text in SHOWN.items():
        if name in _names(text) and not missing(text):
            update_display(Markdown(fill(text)), display_id=display_id)


def references(keys: Iterable[str] = (), book_url: str | None = None) -> Any:
    """The works a notebook cites (in its text and in what its cells printed), as a reference list.

    Each entry carries the anchor ``#ref-<key>`` that the notebook's citations link to; with the
    book's address, a last line links to its full bibliography.
    """
    waiting = sorted({name for text in SHOWN.values() for name in missing(text)})
    if waiting:
        names = waiting
        raise LivelihoodsError(
            f"the text above quotes {', '.join(map(repr, names))}, which no cell computed: "
            "glue it (chapter.glue_value) in a cell of the chapter"
        )
    context = markup.runtime()
    wanted = list(dict.fromkeys([*keys, *context.cited]))
    bib = context.bib
    lines = ["## References", ""]
    known = [k for k in wanted if bib is not None and k in bib.entries]
    for key in sorted(known, key=lambda k: (bib.authors(k).casefold(), bib.year(k), k)):
        lines.append(f'- <a id="ref-{key}"></a>{bib.reference(key)}')
    lines += [f"- [{k}] (not in the bibliography)" for k in wanted if k not in known]
    if book_url:
        lines += ["", f"The book's full bibliography: <{book_url.rstrip('/')}/book/bibliography.html>"]
    return Markdown("\n".join(lines))


def quote_md(excerpt: pd.Series) -> str:
    """An excerpt as a Markdown block quote: the text verbatim, then the attribution as printed.

    An excerpt whose printed text has a slip (EX07 drops a range dash) is followed by a short
    [sic] note, wherever it is quoted: the quotation itself stays exactly as printed.
    """
    from livelihoods.evidence import sic_note

    # A "$" would start inline maths (the book enables dollarmath): "US$1 ... US$3" must stay text.
    lines = str(excerpt["text"]).replace("$", "\\$").split("\n")
    body = "\n".join(f"> {line}" if line else ">" for line in lines)
    quoted = f"{body}\n>\n> — {excerpt['attribution']} ({PAPER}, §{excerpt['paper_section']}; excerpt {excerpt['excerpt_id']})"
    note = sic_note(str(excerpt["excerpt_id"]))
    return quoted + (f"\n\n{note}" if note else "")


def quote(*excerpt_ids: str) -> Any:
    """Show one or more excerpts as quotations with attribution (an IPython Markdown object)."""

    from livelihoods import evidence

    ex = evidence.load_excerpts().set_index("excerpt_id", drop=False)
    unknown = [e for e in excerpt_ids if e not in ex.index]
    if unknown:
        from livelihoods.errors import LivelihoodsError

        raise LivelihoodsError(f"unknown excerpt id {unknown[0]!r}: expected an id from data/excerpts.csv such as EX01")
    return md("\n\n".join(quote_md(ex.loc[e]) for e in excerpt_ids))


def _mdone_line(value: Any, precision: int) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    text = f"{value:.{precision}f}" if isinstance(value, float) else str(value)
    return " ".join(text.split()).replace("|", "\\|").replace("$", "\\$")


def _numeric_columns(df: pd.DataFrame) -> list[Any]:
    """Columns holding numbers (not booleans): right-aligned, so digits line up."""
    return [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]


def _table_markdown(df: pd.DataFrame, caption: str, index: bool, precision: int) -> str:
    """The table in Markdown with its caption in bold above it, for builders without HTML (the PDF).

    The caption is a paragraph, not a numbered table title, exactly as the HTML page shows it: a
    numbered title here would take a table number in every build (Sphinx numbers across builders),
    and the tables the reader does see numbered would jump (Table 4, then Table 7).
    """
    frame = df.reset_index() if index else df
    numeric = set(_numeric_columns(frame))
    header = "| " + " | ".join(_mdone_line(c, precision) for c in frame.columns) + " |"
    rule = "|" + "".join("---:|" if c in numeric else "---|" for c in frame.columns)
    rows = ["| " + " | ".join(_mdone_line(v, precision) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([f"**{_mdone_line(caption, precision)}**", "", header, rule, *rows])


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
    # no id on every cell (pandas adds one per cell for cell-level styles, which the book does not use): the
    # coding lab's tables were 12 kB of ids on a page held to a weight budget
    styler = BookTable(df, uuid=uid, cell_ids=False)
    styler._book_caption, styler._book_index, styler._book_precision = caption, index, precision
    styler = styler.set_caption(caption).format(precision=precision, na_rep="–")
    if not index:
        styler = styler.hide(axis="index")
    styler = styler.set_table_styles(
        [
            {
                "selector": "caption",
                "props": "caption-side: top; text-align: left; font-weight: bold; padding-bottom: 0.4em;",
            },
            # room between columns and top-aligned rows, so wrapped cells do not run into each other
            {"selector": "th, td", "props": "padding: 0.3em 0.75em 0.3em 0; vertical-align: top; text-align: left;"},
        ]
    )
    # numbers right-aligned (header and cells), so digits line up; a column rule outranks the one above
    numeric = {c: [{"selector": "th, td", "props": "text-align: right;"}] for c in _numeric_columns(df)}
    return styler.set_table_styles(numeric, overwrite=False) if numeric else styler


def text_table(
    df: pd.DataFrame, caption: str, wide: Sequence[str] = (), nowrap: Sequence[str] = (), min_width: str = "15em"
):
    """A captioned table whose long text stays readable: rows ruled and top-aligned, text columns wide.

    ``wide`` columns get a minimum width (so a sentence is not squeezed into a few words per line;
    on a phone the table scrolls sideways instead); ``nowrap`` columns (ids) never break.
    """
    styler = table(df, caption=caption)
    styler = styler.set_table_styles(
        [
            {
                "selector": "td, th",
                "props": "vertical-align: top; padding: 0.35em 0.55em; border-bottom: 1px solid #E3E3E3; font-size: 0.92em;",
            }
        ],
        overwrite=False,
    )
    if wide:
        styler = styler.set_properties(subset=list(wide), **{"min-width": min_width})
    if nowrap:
        styler = styler.set_properties(subset=list(nowrap), **{"white-space": "nowrap"})
    return styler


def glue_figure(name: str, fig: Any) -> Any:
    """Glue a figure (without showing it twice) so another page can paste it, e.g. the introduction."""
    glue(name, fig, display=False)
    return fig


def glue_value(name: str, value: Any) -> None:
    """Glue a computed number for the prose.

    Numbers are glued raw (an ``int`` or ``float``, not a string) so the prose formats them with
    ``{glue:text}`name:.0%``` and a reader of the notebook sees the real value. Returns nothing, so
    a cell that ends with it prints nothing in a runnable notebook.
    """
    if hasattr(value, "item"):
        value = value.item()  # numpy scalar -> Python number, for a clean text/plain repr
    glue(name, value)


def chapter_label(stem: str) -> str:
    """A chapter's short label from its stem, as its title begins: ``e1_drivers`` -> ``E1 · Drivers``."""
    m = re.fullmatch(r"([a-z][0-9]?)_([a-z0-9_]+)", stem)
    if not m:
        raise ParameterError(f"chapter stem {stem!r} is not of the form letter[digit]_name")
    return f"{m.group(1).upper()} · {m.group(2).replace('_', ' ').capitalize()}"


def chapter_exists(stem: str) -> bool:
    from livelihoods.paths import notebooks_dir

    try:
        return (notebooks_dir() / f"{stem}.ipynb").is_file()
    except FileNotFoundError:
        return False


def chapter_link(stem: str) -> str:
    """A MyST link to a chapter of the book, or its plain label if that chapter is not in this build.

    The fallback keeps a partial build (one chapter on a branch) free of broken cross-references.
    """
    label = chapter_label(stem)
    if chapter_exists(stem):
        return f"{{doc}}`{label} <{stem}>`"
    return label


def one_line(text: str) -> str:
    """Text for one cell of a MyST list-table (no line breaks; nothing that starts a new item)."""
    return " ".join(str(text).split())


def list_table(df: pd.DataFrame, caption: str, name: str | None = None, widths: list[int] | None = None) -> str:
    """A DataFrame as a MyST ``list-table`` with a caption: cells may hold roles (citations, links).

    Chapter notebooks print it as Markdown (the book renders Markdown output as MyST), which is
    how a table can carry ``{cite:t}`` citations that resolve in the bibliography.
    """
    lines = [f":::{{list-table}} {caption}", ":header-rows: 1", ":width: 100%"]
    if name:
        lines.append(f":name: {name}")
    if widths:
        lines.append(":widths: " + " ".join(str(w) for w in widths))
    lines.append("")
    for row in [list(df.columns), *df.astype(str).itertuples(index=False)]:
        first, *rest = row
        lines.append(f"* - {one_line(first)}")
        lines.extend(f"  - {one_line(c)}" for c in rest)
    lines.append(":::")
    return "\n".join(lines)


def markdown_table(df: pd.DataFrame, caption: str, name: str | None = None, widths: list[int] | None = None) -> Any:
    """Show a DataFrame as a captioned MyST table (an IPython Markdown object) whose cells may hold roles."""
    from livelihoods.analyses.show import md

    return md(list_table(df, caption, name=name, widths=widths))
