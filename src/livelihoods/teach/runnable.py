"""The runnable notebooks in ``notebooks/``, generated from the chapter sources in ``book/chapters/``.

Chapters are written as MyST Markdown notebooks (jupytext's ``md:myst``), the format Jupyter Book
reads. Students, Colab, Binder, VS Code, papermill and ``livelihoods assign`` open ``.ipynb``
files, and none of them renders MyST, so each source is written out as a notebook that reads as a
page in any front end (:func:`runnable`):

- every markdown cell goes through the one MyST-to-plain transform
  (:class:`livelihoods.analyses.markup.Plain`): citations become author-year links to the
  notebook's reference list, cross-references links to the runnable notebooks, exercises carry
  their per-chapter number (``Exercise E4.1``, as in the book), solutions sit in a collapsed
  ``<details>`` block (still tagged ``solution``, so student copies drop them);
- a paragraph that quotes a computed number becomes a code cell with its source hidden
  (``jupyter.source_hidden`` and Colab's form view) that prints the paragraph with this run's
  values (:func:`livelihoods.analyses.show.prose`): change a parameter, run all, and the sentence
  changes;
- a figure is followed by its numbered caption; cells the book hides keep their source hidden;
- when ``repository.url`` is set, a first cell installs on Colab exactly what the chapter needs;
- the last cell prints the works the notebook cited, with the anchors its citations link to.

Cell ids are fixed and nothing depends on the time or the machine, so the files are reproducible
and a test keeps them in step with their sources (``livelihoods notebooks --check``).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livelihoods.analyses.markup import GLUE_ROLES, HEADING, LABEL, Block, Plain, Target, bibliography, directive_blocks

log = logging.getLogger(__name__)

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (livelihoods)", "language": "python"}
SOURCES = Path("book") / "chapters"
NOTEBOOKS = Path("notebooks")
#: Tags of code cells whose source the book does not show: the runnable notebook hides it too.
HIDDEN_SOURCE = ("remove-input", "remove-cell")
_GLUE = re.compile(r"\{(?:" + "|".join(re.escape(r) for r in GLUE_ROLES) + r")\}`")


def sources(root: Path) -> list[Path]:
    """The chapter sources (``<letter>[digit]_<name>.md``; not the folder's README), in file-name order."""
    return sorted(
        (p for p in (root / SOURCES).glob("*.md") if re.fullmatch(r"[a-z][0-9]?_\w+", p.stem)), key=lambda p: p.name
    )


def read_source(path: Path):
    """A chapter source as an nbformat notebook, exactly as jupytext reads it (a copy the caller may change).

    Parsed once per version of the file: writing the notebooks reads every source twice (the labels
    of all chapters, then each chapter), and jupytext's parse is most of ``livelihoods notebooks``.
    """
    import copy

    import jupytext

    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _PARSED:
        if len(_PARSED) > 64:  # a long-lived process (the tests) reading many copies: keep it bounded
            _PARSED.clear()
        _PARSED[key] = jupytext.read(path, fmt="md:myst")
    return copy.deepcopy(_PARSED[key])


_PARSED: dict[tuple[str, int, int], Any] = {}


def _text(cell: Any) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _plain_title(text: str) -> str:
    """A heading's text without roles or emphasis marks, for link texts."""
    return re.sub(r"\{[\w:.-]+\}`([^`]*)`|[*_`]", lambda m: m[1] or "", text).strip()


# ---------------------------------------------------------------------------------------------
# What every label of the book shows and where it leads
# ---------------------------------------------------------------------------------------------


def label_index(root: Path, book_url: str | None = None) -> dict[str, Target]:
    """Every label a chapter may reference: chapters, labelled sections, exercises, figures, tables.

    Numbers follow the book's per-chapter numbering (:func:`livelihoods.book.pages.number_per_chapter`):
    the n-th exercise of chapter E4 is ``E4.n`` here and in the book. Pages that are not chapters
    (the glossary, the guide) link to the published book when its address is known.
    """
    from livelihoods.book.chapter import chapter_number

    index: dict[str, Target] = {}
    for path in sources(root):
        stem, prefix = path.stem, chapter_number(path.stem)
        nb = read_source(path)
        file = f"{stem}.ipynb"
        title = next(
            (
                _plain_title(m[2])
                for c in nb.cells
                if c.cell_type == "markdown"
                for line in _text(c).split("\n")
                if (m := HEADING.match(line)) and len(m[1]) == 1
            ),
            stem,
        )
        index[stem] = Target(title.split(":", 1)[0].strip(), file)
        exercises = figures = 0
        for cell in nb.cells:
            text = _text(cell)
            if cell.cell_type == "code":
                figure = (cell.metadata.get("mystnb") or {}).get("figure") or {}
                if figure.get("name"):
                    figures += 1
                    number = f"{prefix}.{figures}"
                    index[figure["name"]] = Target(f"Figure {number}", f"{file}#{figure['name']}", number)
                for name in re.findall(r"""name\s*=\s*["'](tbl-[\w-]+)["']""", text):
                    index.setdefault(name, Target(f"the table in chapter {prefix}", file))
                continue
            lines = text.split("\n")
            for k, line in enumerate(lines):
                if m := LABEL.match(line):
                    heading = next(
                        (h[2] for h in (HEADING.match(x) for x in lines[k + 1 : k + 4] if x.strip()) if h), None
                    )
                    index[m["label"]] = Target(_plain_title(heading) if heading else m["label"], f"{file}#{m['label']}")
            for block in directive_blocks(text):
                if block.name == "exercise":
                    exercises += 1
                    number = f"{prefix}.{exercises}"
                    label = block.options.get("label", "")
                    if label:
                        index[label] = Target(f"Exercise {number}", f"{file}#{label}", number)
                elif block.name in ("figure", "glue:figure"):
                    figures += 1
    base = book_url.rstrip("/") if book_url else None
    for page in sorted((root / "book").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        title = next(
            (_plain_title(m[2]) for line in text.split("\n") if (m := HEADING.match(line)) and len(m[1]) == 1),
            page.stem,
        )
        href = f"{base}/book/{page.stem}.html" if base else None
        index.setdefault(page.stem, Target(title, href))
        for line in text.split("\n"):
            if m := LABEL.match(line):
                index.setdefault(m["label"], Target(title, f"{href}#{m['label']}" if href else None))
    return index


# ---------------------------------------------------------------------------------------------
# One chapter
# ---------------------------------------------------------------------------------------------


def _book_directive(stem: str):
    """The book's own directives, printed from the same functions the Sphinx extension calls."""

    def render(block: Block, plain: Plain) -> str | None:
        from livelihoods.book.chapter import prepares_md, question_text
        from livelihoods.book.pages import run_box_plain

        if block.name == "livelihoods-run":
            return run_box_plain(block.arg.strip() or stem)
        if block.name == "livelihoods-question":
            return plain.convert(question_text(block.arg.strip()))
        if block.name == "livelihoods-prepares":
            return plain.convert(prepares_md(block.arg.strip() or stem))
        return None

    return render


def _code(source: str, tags: list[str] | None = None, hidden: bool = False, **metadata: Any):
    from nbformat.v4 import new_code_cell

    cell = new_code_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    if hidden:
        cell.metadata["jupyter"] = {"source_hidden": True}
        cell.metadata["cellView"] = "form"  # Colab's form view: the title line instead of the code
    cell.metadata.update(metadata)
    return cell


def _markdown(text: str, tags: list[str] | None = None):
    from nbformat.v4 import new_markdown_cell

    cell = new_markdown_cell(text)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _prose_cell(text: str, tags: list[str]):
    """A paragraph with computed numbers: a hidden code cell printing it with this run's values."""
    from livelihoods.analyses.show import template

    quote = '"""' if '"""' not in text else "'''"
    body = template(text).rstrip("\n")
    if body.endswith("\\"):
        body += " "
    source = f"#@title\nfrom livelihoods.book.chapter import prose\n\nprose(r{quote}\n{body}\n{quote})"
    return _code(source, tags=[*(t for t in tags if t != "hide-input"), "remove-input"], hidden=True)


def _glossary_link(repo: Any):
    """Glossary terms link to the published glossary (Sphinx's ``term-<words-joined-by-hyphens>``), if any."""
    if repo is None:
        return None
    glossary = f"{repo.book_url}/book/glossary.html"
    return lambda term: glossary + "#term-" + re.sub(r"[^\w]+", "-", term).strip("-")


def _extras(nb: Any) -> str:
    """The package extras a chapter's code needs on a bare Python (Colab): ``qda`` for the coding lab."""
    code = "\n".join(_text(c) for c in nb.cells if c.cell_type == "code")
    return "qda" if re.search(r"\blivelihoods\.qda\b", code) else ""


def _colab_cell(requirement: str):
    source = (
        "#@title Set-up on Colab: install this chapter's package (does nothing anywhere else)\n"
        "import sys\n\n"
        'if "google.colab" in sys.modules:\n'
        "    import subprocess\n\n"
        f'    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", {json.dumps(requirement)}], check=True)'
    )
    return _code(source, tags=["colab-setup", "remove-cell"], hidden=True)


@dataclass(frozen=True)
class Book:
    """What every chapter's conversion needs to know about the whole book."""

    labels: dict[str, Target]
    repository: Any  # livelihoods.book.repository.Repository or None
    bib: Any

    @classmethod
    def of(cls, root: Path) -> "Book":
        from livelihoods.book import repository

        repo = repository.of_book(root)
        return cls(label_index(root, repo.book_url if repo else None), repo, bibliography())


def runnable(path: Path, book: Book | None = None):
    """The runnable notebook of one chapter source (see the module's docstring)."""
    from nbformat.v4 import new_notebook

    root = path.resolve().parent.parent.parent
    book = book or Book.of(root)
    repo = book.repository
    stem = path.stem
    source = read_source(path)
    plain = Plain(
        labels=book.labels,
        bib=book.bib,
        glue=None,
        solutions="details",
        directive=_book_directive(stem),
        term_href=_glossary_link(repo),
    )
    cells = []
    for cell in source.cells:
        tags = list(cell.metadata.get("tags") or [])
        if cell.cell_type == "markdown":
            text = plain.convert(_text(cell)).strip("\n")
            if not text.strip():
                continue
            cells.append(_prose_cell(text, tags) if _GLUE.search(text) else _markdown(text, tags))
            continue
        if cell.cell_type != "code":
            continue
        meta = {k: v for k, v in cell.metadata.items() if k != "tags"}
        hidden = any(t in HIDDEN_SOURCE for t in tags)
        code = _text(cell)
        cells.append(_code(("#@title\n" + code) if hidden else code, tags=tags, hidden=hidden, **meta))
        figure = (meta.get("mystnb") or {}).get("figure") or {}
        if figure.get("caption"):
            target = book.labels.get(figure.get("name", ""))
            number = f"Figure {target.number}" if target and target.number else "Figure"
            anchor = f' <a id="{figure["name"]}"></a>' if figure.get("name") else ""
            cells.append(_markdown(f"**{number}.**{anchor} {plain.inline(figure['caption'])}", tags=["caption"]))
    if repo is not None:
        cells.insert(1, _colab_cell(repo.pip_requirement(_extras(source))))
    keys = ", ".join(json.dumps(k) for k in plain.cited)
    book_url = f", book_url={json.dumps(repo.book_url)}" if repo else ""
    cells.append(
        _code(
            f"#@title\nfrom livelihoods.book.chapter import references\n\nreferences([{keys}]{book_url})",
            tags=["references", "remove-input"],
            hidden=True,
        )
    )
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": dict(KERNELSPEC),
            "language_info": {"name": "python"},
            "livelihoods": {"chapter": stem, "source": f"{SOURCES.as_posix()}/{path.name}"},
        },
    )
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{stem.replace('_', '-')}-{i:02d}"
    return nb


def render(path: Path, book: Book | None = None) -> str:
    import nbformat

    nb = runnable(path, book)
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


@dataclass(frozen=True)
class Sync:
    """What :func:`sync` found or wrote: notebooks that differed from their source, and stale ones."""

    changed: tuple[Path, ...]
    orphans: tuple[Path, ...]


def sync(root: Path, check: bool = False) -> Sync:
    """Write ``notebooks/<stem>.ipynb`` for every chapter source (only those that differ).

    With ``check`` nothing is written. A notebook with no source (an orphan) is reported, never
    deleted: it may be someone's work.
    """
    from livelihoods.files import write_atomic

    book = Book.of(root)
    changed = []
    wanted = set()
    for path in sources(root):
        target = root / NOTEBOOKS / f"{path.stem}.ipynb"
        wanted.add(target.name)
        text = render(path, book)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            changed.append(target)
            if not check:
                write_atomic(target, text.encode("utf-8"))
                log.info("wrote %s", target)
    orphans = tuple(p for p in sorted((root / NOTEBOOKS).glob("*.ipynb")) if p.name not in wanted)
    return Sync(tuple(changed), orphans)
