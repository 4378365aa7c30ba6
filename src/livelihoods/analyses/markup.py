"""MyST Markdown as the book writes it, and the plain Markdown that every notebook front end shows.

The book's pages are MyST: roles such as ``{cite:p}`malik2017``` or ``{ref}`debate-d3```, and
directives such as ``{exercise}``, ``{solution}`` or ``{list-table}``. Sphinx renders them; Colab,
JupyterLab, VS Code, GitHub and nbconvert show them as raw text. This module is the one transform
from the first to the second. It serves three callers:

* the runnable notebooks (:mod:`livelihoods.teach.runnable`) convert every markdown cell of a
  chapter source once, when the notebooks are generated, with the labels and exercise numbers of
  the whole book;
* the same transform turns the Markdown that analyses print at run time (a reference table with
  citations, a list table) into plain Markdown when the kernel is not building the book
  (:func:`mode`), so an executed runnable notebook and a handout carry no MyST either;
* glued numbers are left in place (``glue=None``) for :func:`livelihoods.analyses.show.prose` to
  fill in when the cell runs, so a student who changes a parameter sees the numbers change.

Analysis layer: imports the evidence base (for the bibliography) and the foundation only.
"""

from __future__ import annotations

import html
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

log = logging.getLogger(__name__)

#: The environment variable the book build sets to ``myst`` for its kernels; anywhere else
#: (Jupyter, Colab, papermill, ``livelihoods run``) a kernel prints plain Markdown.
MODE_ENV = "LIVELIHOODS_MARKUP"


def mode() -> str:
    """``"myst"`` when the kernel executes a page of the book, else ``"plain"``."""
    return "myst" if os.environ.get(MODE_ENV, "").strip().lower() == "myst" else "plain"


# ---------------------------------------------------------------------------------------------
# Directive blocks
# ---------------------------------------------------------------------------------------------

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:.+-]+)\}[ \t]*(?P<arg>.*?)\s*$")
OPTION = re.compile(r"^[ \t]*:(?P<key>[\w-]+):[ \t]*(?P<value>.*?)\s*$")
CODE_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
LABEL = re.compile(r"^\((?P<label>[^()\s]+)\)=\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass
class Block:
    """One MyST directive: its name, argument, options, body and where it sits in the text."""

    name: str
    arg: str
    options: dict[str, str]
    body: str
    start: int  # first line index (the opening fence)
    end: int  # line index after the closing fence


def closing(lines: list[str], start: int, fence: str) -> int:
    """Index of the line that closes ``fence`` opened on line ``start`` (or len(lines) if none)."""
    char, n = fence[0], len(fence)
    pattern = re.compile(rf"^[ \t]*{re.escape(char)}{{{n},}}[ \t]*$")
    for j in range(start + 1, len(lines)):
        if pattern.match(lines[j]):
            return j
    return len(lines)


def split_options(body_lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """MyST directive options at the top of a body: ``:key: value`` lines or a ``---`` YAML block."""
    options: dict[str, str] = {}
    if body_lines and body_lines[0].strip() == "---":
        for j in range(1, len(body_lines)):
            if body_lines[j].strip() == "---":
                for line in body_lines[1:j]:
                    if ":" in line:
                        key, value = line.split(":", 1)
                        options[key.strip()] = value.strip()
                return options, body_lines[j + 1 :]
        return options, body_lines
    i = 0
    while i < len(body_lines) and (m := OPTION.match(body_lines[i])):
        options[m["key"]] = m["value"]
        i += 1
    return options, body_lines[i:]


def directive_blocks(text: str) -> list[Block]:
    """The top-level MyST directives (``` ```{name} ``` or ``:::{name}``) of a Markdown text."""
    lines = text.split("\n")
    blocks, i = [], 0
    while i < len(lines):
        m = FENCE_OPEN.match(lines[i])
        if m:
            j = closing(lines, i, m["fence"])
            options, body = split_options(lines[i + 1 : j])
            blocks.append(Block(m["name"], m["arg"], options, "\n".join(body).strip("\n"), i, j + 1))
            i = j + 1
        elif fence := CODE_FENCE.match(lines[i]):  # an ordinary code fence: skip it whole
            i = closing(lines, i, fence[1]) + 1
        else:
            i += 1
    return blocks


# ---------------------------------------------------------------------------------------------
# Citations
# ---------------------------------------------------------------------------------------------


def _unbrace(text: str) -> str:
    """BibTeX text as Unicode: LaTeX accents decoded (latexcodec, pybtex's own), braces dropped."""
    import codecs

    import latexcodec  # noqa: F401  (registers the "ulatex" codec)

    return re.sub(r"[{}]", "", codecs.decode(text, "ulatex")).replace("--", "\u2013")


@dataclass
class Bibliography:
    """Author-year citations from BibTeX files, formatted as the book's bibliography formats them."""

    entries: dict[str, Any]

    @classmethod
    def load(cls, *paths: Path) -> "Bibliography":
        from pybtex.database import parse_file

        entries: dict[str, Any] = {}
        for path in paths:
            entries.update(parse_file(str(path)).entries)
        return cls(entries)

    def authors(self, key: str) -> str:
        """``Kuek et al.``, ``Landis and Koch`` or ``Berg``: the name part of a citation."""
        people = self.entries[key].persons.get("author") or self.entries[key].persons.get("editor") or []
        last = [_unbrace(" ".join(p.prelast_names + p.last_names)) for p in people]
        if not last:
            return _unbrace(self.entries[key].fields.get("organization", key))
        if len(last) == 1:
            return last[0]
        if len(last) == 2:
            return f"{last[0]} and {last[1]}"
        return f"{last[0]} et al."

    def year(self, key: str) -> str:
        return self.entries[key].fields.get("year", "n.d.")

    def reference(self, key: str) -> str:
        """One entry of a reference list (plain Markdown, author-year, with its DOI or URL as a link)."""
        e = self.entries[key]
        people = [_person(p) for p in (e.persons.get("author") or e.persons.get("editor") or [])]
        names = (people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]) if people else ""
        title = _unbrace(e.fields.get("title", ""))
        where = _unbrace(
            e.fields.get("journal")
            or e.fields.get("booktitle")
            or e.fields.get("publisher")
            or e.fields.get("institution")
            or e.fields.get("howpublished")
            or ""
        )
        link = ""
        if e.fields.get("doi"):
            doi = e.fields["doi"]
            link = f"[doi:{doi}](https://doi.org/{doi})"
        elif e.fields.get("url"):
            link = f"<{e.fields['url']}>"
        parts = (f"{names} ({self.year(key)}).", f"{title}." if title else "", f"*{where}*." if where else "", link)
        return " ".join(x for x in parts if x)


def _person(person: Any) -> str:
    """``Last, F. M.`` as the paper's reference list prints names."""
    initials = " ".join(f"{n[0]}." for n in person.first_names + person.middle_names if n)
    last = _unbrace(" ".join(person.prelast_names + person.last_names))
    return f"{last}, {_unbrace(initials)}" if initials else last


def bibliography() -> Bibliography:
    """Every ``.bib`` file of the data package: the paper's references and the book's own."""
    from livelihoods.paths import data_dir

    return Bibliography.load(*sorted(data_dir().glob("*.bib")))


# ---------------------------------------------------------------------------------------------
# The transform
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What a reference to a label shows and where it leads: ``Exercise E4.1`` at ``e4_impact.ipynb#ex-e4-1``."""

    text: str
    href: str | None = None
    number: str | None = None  # for numbered things (exercises, figures): "E4.1"


_ROLE = re.compile(r"\{(?P<name>[\w:.+-]+)\}(?P<ticks>`+)(?P<text>.+?)(?P=ticks)|(?P<code>`+)(?:.+?)(?P=code)", re.S)
_ADMONITIONS = {
    "note",
    "tip",
    "hint",
    "important",
    "warning",
    "caution",
    "attention",
    "danger",
    "error",
    "seealso",
    "admonition",
    "topic",
    "sidebar",
    "margin",
    "aside",
}
_DROP = {"bibliography", "tableofcontents", "toctree", "index", "glossary-index", "raw"}
GLUE_ROLES = ("glue", "glue:", "glue:any", "glue:text", "glue:md")


def _explicit(text: str) -> tuple[str | None, str]:
    """Split a role's ``title <target>`` into (title, target)."""
    m = re.match(r"^(.*?)\s*<([^<>]+)>\s*$", text, re.S)
    if m and m[1]:
        return m[1], m[2]
    return None, text


def _link(text: str, href: str | None) -> str:
    return f"[{text}]({href})" if href else text


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


@dataclass
class Plain:
    """How one text is turned from MyST into plain Markdown.

    ``labels`` says what each label shows and where it leads; ``glue`` fills a glued value (role,
    name, format) or, when None, leaves the role for :func:`livelihoods.analyses.show.prose`;
    ``solutions`` is ``"details"`` (collapsed, the instructor's copy) or ``"drop"``; ``directive``
    renders the book's own directives (questions from the educators' guide), returning None for
    any it does not know; ``term_href`` links a glossary term. Citations are recorded in
    ``cited`` so a reference list can follow.
    """

    labels: Mapping[str, Target] = field(default_factory=dict)
    bib: Bibliography | None = None
    glue: Callable[[str, str, str], str] | None = None
    solutions: str = "details"
    directive: Callable[[Block, "Plain"], str | None] | None = None
    term_href: Callable[[str], str | None] | None = None
    cited: list[str] = field(default_factory=list)

    # ----------------------------------------------------------------------------- inline
    def cite(self, keys: list[str], textual: bool) -> str:
        for key in keys:
            if key not in self.cited:
                self.cited.append(key)
        parts = []
        for key in keys:
            if self.bib is None or key not in self.bib.entries:
                parts.append(f"[{key}]")
                continue
            who, year = self.bib.authors(key), self.bib.year(key)
            parts.append(f"[{who} ({year})](#ref-{key})" if textual else f"[{who}, {year}](#ref-{key})")
        return "; ".join(parts) if textual else f"({'; '.join(parts)})"

    def role(self, name: str, text: str, whole: str) -> str:
        if name in GLUE_ROLES:
            if self.glue is None:
                return whole
            key, _, fmt = text.rpartition("::")[2].partition(":")
            return self.glue(name, key, fmt)
        if name.startswith("cite"):
            keys = [k.strip() for k in text.split(",") if k.strip()]
            if name in ("cite:year", "cite:yearpar"):
                years = "; ".join(self.bib.year(k) if self.bib and k in self.bib.entries else k for k in keys)
                return f"({years})" if name == "cite:yearpar" else years
            return self.cite(keys, textual=name in ("cite:t", "cite:ts", "cite:alt", "cite:alts", "cite:author"))
        title, target = _explicit(text)
        if name in ("math", "eq"):
            return f"${text}$" if name == "math" else f"({text})"
        if name in ("sub", "sup"):
            return f"<{name}>{html.escape(text)}</{name}>"
        if name in ("code", "kbd", "file", "samp", "command", "literal"):
            return f"`{text}`"
        if name == "abbr":
            return re.sub(r"\s*\(.*\)\s*$", "", text)
        if name == "term":
            shown = title or target
            href = self.term_href(target) if self.term_href else None
            return _link(shown, href)
        if name in ("ref", "numref", "doc", "any", "download", "label"):
            key = target.lstrip("/").rsplit("/", 1)[-1] if name == "doc" else target
            found = self.labels.get(key)
            if name == "numref" and title and found and found.number:
                shown = title.replace("%s", found.number).replace("{number}", found.number)
            else:
                shown = title or (found.text if found else key)
            href = found.href if found else (f"{key}.ipynb" if name == "doc" else f"#{key}")
            return _link(shown, href)
        return title or text

    def inline(self, text: str) -> str:
        """Replace the inline roles of a Markdown text; code spans are left alone."""

        def sub(m: re.Match) -> str:
            if m["code"]:
                return m[0]
            return self.role(m["name"], m["text"].strip() if len(m["ticks"]) > 1 else m["text"], m[0])

        return _ROLE.sub(sub, text)

    # ----------------------------------------------------------------------------- blocks
    def exercise_title(self, label: str) -> str:
        found = self.labels.get(label)
        return f"Exercise {found.number}" if found and found.number else "Exercise"

    def block(self, b: Block) -> str:
        name, arg, opts = b.name, b.arg, b.options
        if self.directive is not None:
            custom = self.directive(b, self)
            if custom is not None:
                return custom
        if name in _DROP:
            return ""
        if name in ("glue", "glue:", "glue:any", "glue:md"):
            key = arg.split("::")[-1]
            return f"{{glue:md}}`{key}`" if self.glue is None else self.glue("glue:md", key, "")
        body = self.convert(b.body)
        if name == "exercise":
            label = opts.get("label", "")
            title = f"**{self.exercise_title(label)}**" + (f" ({self.inline(arg)})" if arg else "")
            anchor = f' <a id="{label}"></a>' if label else ""
            return f"{title}{anchor}\n\n{body}"
        if name == "solution":
            if self.solutions == "drop":
                return ""
            summary = f"Solution to {self.exercise_title(arg.strip())}"
            return f"<details>\n<summary>{html.escape(summary)}</summary>\n\n{body}\n\n</details>"
        if name == "dropdown":
            summary = html.escape(self.inline(arg) or "More")
            return f"<details>\n<summary>{summary}</summary>\n\n{body}\n\n</details>"
        if name in _ADMONITIONS:
            title = (
                self.inline(arg)
                if arg
                else ("" if name in ("margin", "sidebar", "aside", "admonition") else name.capitalize())
            )
            text = (f"**{title}**\n\n" if title else "") + body
            return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
        if name in ("epigraph", "pull-quote", "highlights"):
            return "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
        if name == "math":
            return f"$$\n{b.body}\n$$"
        if name in ("code-block", "code", "sourcecode", "code-cell"):
            return f"```{arg}\n{b.body}\n```"
        if name in ("figure", "image"):
            image = f"![{opts.get('alt', '')}]({arg})"
            return f"{image}\n\n{body}".rstrip() if name == "figure" else image
        if name == "list-table":
            return self.list_table(b)
        if name in ("tab-item", "card", "grid-item-card") and arg:
            return f"**{self.inline(arg)}**\n\n{body}"
        return body  # containers (grid, tab-set, div, ...) and unknown directives: their content

    def list_table(self, b: Block) -> str:
        """A ``list-table`` as a pipe table with its caption above it in bold."""
        rows: list[list[str]] = []
        for line in b.body.split("\n"):
            if m := re.match(r"^\* - (.*)$", line):
                rows.append([m[1]])
            elif (m := re.match(r"^  - (.*)$", line)) and rows:
                rows[-1].append(m[1])
            elif line.strip() and rows:
                rows[-1][-1] += " " + line.strip()
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        head = "| " + " | ".join(_cell(self.inline(c)) for c in rows[0]) + " |"
        rule = "|" + "---|" * width
        body = ["| " + " | ".join(_cell(self.inline(c)) for c in r) + " |" for r in rows[1:]]
        caption = f"**{self.inline(b.arg)}**\n\n" if b.arg else ""
        return caption + "\n".join([head, rule, *body])

    def convert(self, text: str) -> str:
        """A Markdown text with every MyST role and directive turned into plain Markdown (or HTML
        that CommonMark passes through: ``<details>``, anchors)."""
        lines = text.split("\n")
        out: list[str] = []
        anchor = ""
        i = 0
        while i < len(lines):
            line = lines[i]
            if m := FENCE_OPEN.match(line):
                j = closing(lines, i, m["fence"])
                options, body = split_options(lines[i + 1 : j])
                out.append(self.block(Block(m["name"], m["arg"], options, "\n".join(body).strip("\n"), i, j + 1)))
                i = j + 1
                continue
            if fence := CODE_FENCE.match(line):
                j = closing(lines, i, fence[1])
                out.extend(lines[i : j + 1])
                i = j + 1
                continue
            if m := LABEL.match(line):
                anchor = m["label"]  # carried to the next heading, so the link lands on it
                i += 1
                continue
            if re.match(r"^\s*%", line) or line.strip() == "+++":
                i += 1
                continue
            converted = self.inline(line)
            if anchor and HEADING.match(line):
                converted = f'{converted} <a id="{anchor}"></a>'
                anchor = ""
            elif anchor and line.strip():
                out.extend([f'<a id="{anchor}"></a>', ""])
                anchor = ""
            out.append(converted)
            i += 1
        return "\n".join(out)


def to_plain(text: str, context: Plain | None = None) -> str:
    """MyST Markdown as plain Markdown, with what a kernel can know on its own (see :func:`runtime`)."""
    return (context or runtime()).convert(text)


_RUNTIME: list[Plain] = []


def runtime() -> Plain:
    """The conversion a running kernel uses for the Markdown analyses print: citations from the
    data package's bibliography, ``{doc}`` links to the runnable notebooks, ``{ref}`` links within
    the notebook. One per kernel, so that it collects every key cited for the reference list."""
    if not _RUNTIME:
        try:
            bib = bibliography()
        except Exception as err:  # a missing or broken .bib must not stop a chapter: cite by key
            log.warning("bibliography not available (%s): citations are shown by key", err)
            bib = None
        _RUNTIME.append(Plain(bib=bib))
    return _RUNTIME[0]
