"""The educators' guide's tables, generated from the sources when the book is built (Sphinx directives).

The guide must not drift from the chapters, so nothing in its tables is typed by hand:

- ``{livelihoods-chapter-questions}``: the chapters (in table-of-contents order) against the
  guide's 8 synopsis and 6 development questions, from ``data/question_links.csv``, with the time
  each chapter takes, read from its ``**Time:**`` line;
- ``{livelihoods-questions}``: the 14 questions, verbatim from ``data/questions.csv``;
- ``{livelihoods-sequence}``: a course plan (one session per content line: ``label | stems |
  activity``) with each chapter linked and the session's time summed from the chapters;
- ``{livelihoods-debate-prep}``: for each development question, the chapters that prepare it and
  a link to its section of the debates chapter;
- ``{livelihoods-parameters}``: every notebook's parameters, read from its ``parameters`` cell
  with ``papermill.inspect_notebook``, with the allowed values and meaning from
  ``livelihoods.book.registry``. A parameter missing on either side, or a default that differs, is a
  build warning (an error in the strict build).

The functions that gather the facts are plain Python, in :mod:`.guide_facts` (tested in
``tests/test_guide.py``); the directives here only turn them into docutils tables. Each directive declares the files it read as
dependencies, so Sphinx rebuilds the guide when a notebook or a data file changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from livelihoods.book.guide_facts import (
    ChapterInfo,
    chapters,
    format_minutes,
    ordered_questions,
    parameter_rows,
    question_matrix,
)


# ---------------------------------------------------------------------------------------------
# docutils helpers
# ---------------------------------------------------------------------------------------------

Cell = Any  # str, a node, or a list of nodes


def _cell(value: Cell) -> nodes.entry:
    entry = nodes.entry()
    if isinstance(value, str):
        entry += nodes.paragraph(value, value)
    elif isinstance(value, nodes.Node):
        para = nodes.paragraph()
        para += value
        entry += para
    else:
        para = nodes.paragraph()
        para.extend(value)
        entry += para
    return entry


@dataclass(frozen=True)
class _GroupRow:
    """A row that spans the whole table and heads the rows under it (a chapter in the parameter table)."""

    stem: str
    label: Cell


def _table(caption: str, header: list[Cell], rows: list[Any], classes: list[str]) -> nodes.table:
    """A docutils table with a caption (rendered as ``<caption>``) and a header row.

    A row may be a :class:`_GroupRow`, drawn as one cell across every column.
    """
    table = nodes.table(classes=classes)
    table += nodes.title(caption, caption)
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    row = nodes.row()
    row.extend(_cell(h) for h in header)
    head += row
    group += head
    body = nodes.tbody()
    for values in rows:
        if isinstance(values, _GroupRow):
            row = nodes.row(classes=["livelihoods-group"])
            entry = _cell(values.label)
            entry["morecols"] = len(header) - 1
            row += entry
        else:
            row = nodes.row()
            row.extend(_cell(v) for v in values)
        body += row
    group += body
    return table


class _GuideDirective(SphinxDirective):
    """Common ground: the repository root, the chapters and declared dependencies."""

    def root(self) -> Path:
        return Path(self.env.srcdir)

    def chapters(self) -> list[ChapterInfo]:
        infos = chapters(self.root())
        for info in infos:
            self.env.note_dependency(str(info.path))
        self.env.note_dependency(str(self.root() / "_toc.yml"))
        return infos

    def note_data(self, *names: str) -> None:
        from livelihoods.paths import data_dir

        for name in names:
            self.env.note_dependency(str(data_dir() / name))

    def doc_link(self, docname: str, text: str) -> addnodes.pending_xref:
        ref = addnodes.pending_xref(
            "",
            refdomain="std",
            reftype="doc",
            reftarget="/" + docname,
            refexplicit=True,
            refwarn=True,
            refdoc=self.env.docname,
        )
        ref += nodes.inline(text, text)
        return ref

    def label_link(self, label: str, text: str) -> addnodes.pending_xref:
        ref = addnodes.pending_xref(
            "", refdomain="std", reftype="ref", reftarget=label, refexplicit=True, refwarn=True, refdoc=self.env.docname
        )
        ref += nodes.inline(text, text)
        return ref

    def chapter_ref(self, stem: str, present: dict[str, ChapterInfo]) -> nodes.Node:
        """A link to a chapter in this build; its name in italics if it is a known chapter not built here."""
        from livelihoods.book import registry

        if stem in present:
            return self.doc_link(present[stem].docname, present[stem].short)
        if stem not in registry.REGISTRY:
            self.warn(f"unknown chapter {stem!r}: expected one of {', '.join(registry.REGISTRY)}")
        return nodes.emphasis(f"{stem} (not in this build)", f"{stem} (not in this build)")

    def warn(self, message: str) -> None:
        from sphinx.util import logging

        logging.getLogger(__name__).warning(message, location=(self.env.docname, self.lineno))


class ChapterQuestions(_GuideDirective):
    """Chapters against the 8 synopsis and 6 development questions, with each chapter's time."""

    def run(self) -> list[nodes.Node]:
        from livelihoods import evidence

        self.note_data("questions.csv", "question_links.csv")
        infos = self.chapters()
        questions = ordered_questions(evidence.load_questions())
        ids = [str(q) for q in questions["question_id"]]
        text = dict(zip(ids, questions["text"]))
        matrix = question_matrix([c.stem for c in infos])

        def listed(stem: str, role: str) -> Cell:
            # question ids in the guide's order, each with its full text on hover (an <abbr>)
            mine = [q for q in ids if matrix[stem].get(q) == role]
            out: list[nodes.Node] = []
            for qid in mine:
                if out:
                    out.append(nodes.Text(", "))
                out.append(nodes.abbreviation(qid, qid, explanation=text[qid]))
            return out or "–"

        rows = [
            [
                self.doc_link(info.docname, info.short),
                format_minutes(info.minutes),
                listed(info.stem, "answers"),
                listed(info.stem, "prepares"),
            ]
            for info in infos
        ]
        caption = "The synopsis question each chapter answers, the development questions it prepares for, and its time"
        return [
            _table(caption, ["Chapter", "Time", "Answers", "Prepares for"], rows, ["livelihoods-chapter-questions"])
        ]


class QuestionList(_GuideDirective):
    """The guide's questions, verbatim, as a definition list."""

    option_spec = {"kind": lambda arg: directives.choice(arg, ("synopsis", "development"))}

    def run(self) -> list[nodes.Node]:
        from livelihoods import evidence

        self.note_data("questions.csv")
        questions = ordered_questions(evidence.load_questions())
        kind = self.options.get("kind")
        if kind:
            questions = questions[questions["kind"] == kind]
        dl = nodes.definition_list(classes=["livelihoods-questions"])
        from livelihoods.book.chapter import question_marker, question_sic

        for _, q in questions.iterrows():
            item = nodes.definition_list_item()
            # the marker and the text as the guide prints them, slips included, each slip with a visible note
            marker = question_marker(q) if str(q.get("section") or "") not in ("", "nan", "<NA>") else ""
            term = f"{q['question_id']}{' ' + marker if marker else ''}"
            item += nodes.term(term, term)
            definition = nodes.definition()
            definition += nodes.paragraph(q["text"], q["text"])
            sic = question_sic(str(q["question_id"])).strip("*")
            if sic:
                definition += nodes.paragraph("", "", nodes.emphasis(sic, sic), classes=["livelihoods-sic"])
            item += definition
            dl += item
        return [dl]


class Sequence(_GuideDirective):
    """A course plan: one session per line, ``label | stem, stem | activity`` (the activity may use MyST roles)."""

    has_content = True
    option_spec = {"caption": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        infos = {c.stem: c for c in self.chapters()}
        rows = []
        for offset, line in enumerate(self.content):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3:
                self.warn(f"sequence line {line!r}: expected 'session | chapter stems | activity'")
                continue
            label, stems_text, activity = parts
            stems = [s.strip() for s in stems_text.split(",") if s.strip()]
            links: list[nodes.Node] = []
            for stem in stems:
                if links:
                    links.append(nodes.Text(", "))
                links.append(self.chapter_ref(stem, infos))
            spans = [infos[s].minutes for s in stems if s in infos]
            known = [s for s in spans if s is not None]
            if not known:
                time = "–"
            else:
                total = (sum(s[0] for s in known), sum(s[1] for s in known))
                time = format_minutes(total)
                if len(known) < len(stems):
                    time = "at least " + time.removeprefix("about ")
            activity_nodes, messages = self.state.inline_text(activity, self.lineno + offset)
            rows.append([label, links or "–", time, activity_nodes + messages])
        caption = self.options.get("caption", "A course sequence")
        return [
            _table(caption, ["Session", "Chapters", "Reading and running", "In class"], rows, ["livelihoods-sequence"])
        ]


class DebatePrep(_GuideDirective):
    """For each development question: the chapters that prepare it and its debate section."""

    def run(self) -> list[nodes.Node]:
        from livelihoods import evidence

        self.note_data("questions.csv", "question_links.csv")
        infos = {c.stem: c for c in self.chapters()}
        questions = evidence.load_questions()
        links = evidence.load_question_links()
        rows = []
        for _, q in questions[questions["kind"] == "development"].iterrows():
            qid = str(q["question_id"])
            number = qid[1:]
            stems = [c for c in links[(links["question_id"] == qid) & (links["role"] == "prepares")]["chapter"]]
            order = {s: i for i, s in enumerate(infos)}
            stems.sort(key=lambda s: (order.get(s, len(order)), s))
            refs: list[nodes.Node] = []
            for stem in stems:
                if refs:
                    refs.append(nodes.Text(", "))
                refs.append(self.chapter_ref(stem, infos))
            # named as the debates chapter heads its sections ("Question 1: ...")
            where: Cell = (
                self.label_link(f"debate-d{number}", f"Question {number} of the debates")
                if "g_debates" in infos
                else f"question {number} of the debates"
            )
            rows.append([qid, q["text"], refs or "–", where])
        return [
            _table(
                "The development questions, the chapters that prepare students for each, and where it is debated",
                ["Question", "Text", "Prepared by", "Debated in"],
                rows,
                ["livelihoods-debate-prep"],
            )
        ]


class Parameters(_GuideDirective):
    """Every chapter's parameters, from the notebooks' parameters cells and livelihoods.book.registry."""

    def run(self) -> list[nodes.Node]:
        from livelihoods.book import registry

        infos = self.chapters()
        self.env.note_dependency(str(Path(registry.__file__)))
        rows = parameter_rows(self.root(), [c.path for c in infos])
        by_stem = {c.stem: c for c in infos}
        table_rows: list[Any] = []
        headed: set[str] = set()
        for r in rows:
            if r.problem:
                self.warn(r.problem)
            if r.chapter not in headed:
                # the chapter once, as a heading row over its parameters (not repeated on every row)
                headed.add(r.chapter)
                table_rows.append(
                    _GroupRow(r.chapter, self.doc_link(by_stem[r.chapter].docname, by_stem[r.chapter].short))
                )
            table_rows.append(
                [nodes.literal(r.name, r.name), nodes.literal(r.default, r.default), r.allowed, r.meaning]
            )
        out: list[nodes.Node] = []
        if table_rows:
            out.append(
                _table(
                    "Every chapter's parameters, read from the notebooks when the book is built",
                    ["Parameter", "Default", "Allowed values", "What it does"],
                    table_rows,
                    ["livelihoods-parameters"],
                )
            )
        without = [c for c in infos if c.stem not in {r.chapter for r in rows}]
        if without:
            para = nodes.paragraph(classes=["livelihoods-no-parameters"])
            para += nodes.Text("Chapters without parameters: ")
            for i, c in enumerate(without):
                if i:
                    para += nodes.Text(", ")
                para += self.doc_link(c.docname, c.short)
            para += nodes.Text(".")
            out.append(para)
        return out
