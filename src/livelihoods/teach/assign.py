"""Educators' tools: per-student assignments, single-file handouts and an offline bundle of the book.

Three commands share this module:

- ``livelihoods assign``: one notebook per student of a roster, with the educator's parameters (and,
  when the chapter has a ``seed`` parameter, a seed derived from the student id) injected by
  papermill's prepare-only mode, and the solution cells removed; plus an instructor copy with the
  solutions, a manifest and a zip to upload to a learning platform. Everything is checked before
  anything is written, built in a temporary folder next to ``--out`` and renamed into place, and
  is byte-for-byte reproducible.
- ``livelihoods handout``: one chapter executed with papermill and converted by nbconvert into a
  single HTML file that needs no network (images embedded, no CDN scripts), with the book's MyST
  markup (glued numbers, citations, exercises, solutions) turned into plain HTML.
- ``livelihoods bundle``: the built book as a zip that opens from disk.

Solutions are the cells tagged ``solution`` (markdown cells holding a ``{solution}`` directive):
the same tag tells the book which cells sphinx-exercise hides, and tells these tools which cells to
drop, so the two cannot disagree.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import html
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from livelihoods import files
from livelihoods.book.myst import (
    FENCE_OPEN,
    OPTION,
    SOLUTION_TAG,
    Block,
    cell_text,
    closing,
    directive_blocks,
    split_options,
    strip_solutions,
    untagged_solutions,
)
from livelihoods.errors import LivelihoodsError

#: Top-level names ``assign`` writes into its output folder.
STUDENTS_DIR, INSTRUCTOR_DIR, MANIFEST = "students", "instructor", "manifest.csv"
MANIFEST_COLUMNS = ("student", "file", "parameters", "seed", "checksum")
GLUE_PREFIX = "application/papermill.record/"


# ---------------------------------------------------------------------------------------------
# Solutions
# ---------------------------------------------------------------------------------------------

_SEARCH_MAP = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
                             "\u2013": "--", "\u2014": "---", "\u2026": "...", "\u00a0": " "})


def normalise_for_search(text: str) -> str:
    """Text reduced so that Markdown source and rendered HTML compare equal.

    Sphinx turns straight quotes, ``--`` and ``...`` into typographic ones and HTML breaks lines and
    wraps words in tags anywhere, so both sides are mapped back to ASCII and stripped of all
    whitespace before a substring search.
    """
    # Markdown emphasis and code marks ("*revision*", "`id`") vanish in HTML, so they vanish here too.
    return re.sub(r"[\s*`]+", "", html.unescape(text).translate(_SEARCH_MAP))


def html_text(page: str) -> str:
    """The visible text of an HTML page, roughly: scripts, styles and tags removed."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


_MARKUP = re.compile(
    r"\{[\w:.+-]+\}`[^`]*`"  # roles such as {glue:text}`n` or {cite:p}`malik2017`
    r"|`+[^`]*`+"  # inline code
    r"|\$[^$\n]+\$"  # inline maths
    r"|!?\[[^\]]*\]\([^)]*\)"  # links and images
    r"|<[^>\n]+>"  # inline HTML
    r"|https?://\S+"
)


def text_fragments(body: str, min_words: int = 5) -> list[str]:
    """Runs of plain prose (at least ``min_words`` words) in a piece of MyST Markdown.

    Markup (roles, code, links, maths, HTML) renders differently from its source, so it splits the
    text instead of being compared. Each fragment is a string the rendered page must contain if it
    shows the text, and must not contain if it does not.
    """
    kept = []
    for line in body.split("\n"):
        if FENCE_OPEN.match(line) or OPTION.match(line) or re.match(r"^[ \t]*(`{3,}|:{3,}|~{3,})", line):
            kept.append("|")
            continue
        line = re.sub(r"^[ \t]*(#+|[-*+]|\d+[.)]|>)[ \t]+", "|", line)  # headings, list items, quotes
        kept.append(line)
    text = _MARKUP.sub("|", " ".join(kept))
    text = text.replace("*", "").replace("\\", "")
    out = []
    for piece in text.split("|"):
        piece = " ".join(piece.split())
        if len(piece.split()) >= min_words:
            out.append(piece)
    return out


# ---------------------------------------------------------------------------------------------
# The roster
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Student:
    """One row of a roster: the id (used in file names and the seed) and an optional name."""

    id: str
    name: str
    line: int


_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
_ALLOWED_ID = ("use ASCII letters, digits, '.', '_' or '-', start with a letter or digit, at most 64 characters, "
               "not ending in '.'")


def check_student_id(student_id: str) -> str | None:
    """Why an id cannot be used in a file name (None if it can): it names each student's notebook."""
    if not student_id:
        return "it is empty"
    if not _SAFE_ID.match(student_id) or student_id.endswith("."):
        return _ALLOWED_ID
    if student_id.split(".")[0].lower() in _RESERVED:
        return "it is a reserved device name on Windows"
    return None


def read_roster(path: Path) -> list[Student]:
    """Read and check a roster CSV: a header with an ``id`` column (``name`` optional), one student a row.

    Every problem is one :class:`LivelihoodsError` naming the file and, where there is one, the
    line: a missing file, a spreadsheet saved in another format, text that is not UTF-8, no ``id``
    column, an empty or unsafe id, a duplicate id (also one differing only in case, since the file
    names would clash on Windows and macOS), or no students at all.
    """
    path = Path(path)
    if not path.exists():
        raise LivelihoodsError(f"roster {path} not found: give a CSV file with an 'id' column")
    if path.is_dir():
        raise LivelihoodsError(f"roster {path} is a folder: give a CSV file with an 'id' column")
    raw = path.read_bytes()
    if raw[:4] == b"PK\x03\x04" or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise LivelihoodsError(f"roster {path} is a spreadsheet workbook, not CSV: save it as 'CSV UTF-8' and try again")
    if b"\x00" in raw:
        raise LivelihoodsError(f"roster {path} is not a text file: save it as 'CSV UTF-8' and try again")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise LivelihoodsError(f"roster {path}, line {line}: not UTF-8 text: save it as 'CSV UTF-8' and try again") from None
    if not text.strip():
        raise LivelihoodsError(f"roster {path} is empty: expected a header with an 'id' column and one row per student")
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = ","
    if "," not in header_line:
        delimiter = ";" if ";" in header_line else ("\t" if "\t" in header_line else ",")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as err:
        raise LivelihoodsError(f"roster {path} is not valid CSV: {err}") from None
    # csv.reader numbers rows, not lines; recover line numbers for messages.
    lines, n = [], 1
    for row in rows:
        lines.append(n)
        n += 1 + sum(cell.count("\n") for cell in row)
    first = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
    if first is None:  # only delimiters and blanks, such as ",,,"
        raise LivelihoodsError(f"roster {path} has only empty fields, no header: expected a header with an 'id' "
                               "column and one row per student")
    header = [c.strip().lower() for c in rows[first]]
    if "id" not in header:
        found = ", ".join(repr(h) for h in header if h) or "none"
        raise LivelihoodsError(f"roster {path} has no 'id' column (found {found}): add a column named 'id'")
    if header.count("id") > 1:
        raise LivelihoodsError(f"roster {path} has two 'id' columns: keep one")
    id_col = header.index("id")
    name_col = header.index("name") if "name" in header else None
    students: list[Student] = []
    seen: dict[str, Student] = {}
    for row, line in zip(rows[first + 1:], lines[first + 1:]):
        if not any(c.strip() for c in row):
            continue
        sid = row[id_col].strip() if id_col < len(row) else ""
        problem = check_student_id(sid)
        if problem:
            raise LivelihoodsError(f"roster {path}, line {line}: id {sid!r} cannot be used in a file name ({problem})")
        key = sid.casefold()
        if key in seen:
            other = seen[key]
            how = "appears twice" if other.id == sid else f"differs from {other.id!r} only in case"
            raise LivelihoodsError(f"roster {path}, line {line}: id {sid!r} {how} (line {other.line}): ids must be unique")
        name = row[name_col].strip() if name_col is not None and name_col < len(row) else ""
        student = Student(sid, name, line)
        seen[key] = student
        students.append(student)
    if not students:
        raise LivelihoodsError(f"roster {path} has a header but no students: add one row per student")
    return students


def student_seed(chapter: str, student_id: str, low: int = 0, high: int = 2**31 - 1) -> int:
    """A seed for one student: stable (SHA-256 of chapter and id), different between students.

    Python's ``hash()`` changes between runs, so a cryptographic hash is used; the result is
    mapped into the seed parameter's allowed range ``[low, high]``.
    """
    digest = hashlib.sha256(f"{chapter}\x1f{student_id}".encode("utf-8")).digest()
    return low + int.from_bytes(digest[:8], "big") % (high - low + 1)


def _seed_for(chapter: str, student_id: str, param: Any) -> Any:
    """The per-student value of a chapter's ``seed`` parameter, within what it allows."""
    if param.choices:
        digest = hashlib.sha256(f"{chapter}\x1f{student_id}".encode("utf-8")).digest()
        return param.choices[int.from_bytes(digest[:8], "big") % len(param.choices)]
    if param.kind is not int:
        raise LivelihoodsError(f"parameter 'seed' of {chapter} is not an integer in livelihoods.params: cannot derive per-student seeds")
    low = int(param.low) if param.low is not None else 0
    high = int(param.high) if param.high is not None else 2**31 - 1
    return student_seed(chapter, student_id, low, high)


# ---------------------------------------------------------------------------------------------
# Writing files: atomic folders and reproducible zips
# ---------------------------------------------------------------------------------------------

#: The comment of every zip ``bundle`` writes: how ``--force`` knows a zip is one it may replace.
BUNDLE_COMMENT = b"livelihoods bundle: the built book, open index.html"
#: The generator named by the first element of every handout's ``<head>`` (``<meta name="generator">``,
#: see the handout template): how ``--force`` knows a page is one it may replace.
HANDOUT_GENERATOR = "livelihoods handout"
_META = re.compile(r"<meta\b[^>]*>", re.I)


def handout_marked(head: str) -> bool:
    """True if an HTML page's beginning has ``<meta name="generator" content="livelihoods handout">``
    (attributes in any order, as nbconvert may rewrite them)."""
    for tag in _META.findall(head):
        if re.search(r'\bname\s*=\s*"generator"', tag) and f'content="{HANDOUT_GENERATOR}"' in tag:
            return True
    return False


def is_handout(path: Path) -> bool:
    """True if ``path`` is an HTML page written by ``livelihoods handout`` (see :func:`handout_marked`)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536).decode("utf-8", errors="replace")
    except OSError:
        return False
    return handout_marked(head)


def is_bundle(path: Path) -> bool:
    """True if ``path`` is a zip written by ``livelihoods bundle`` (its comment says so)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.comment == BUNDLE_COMMENT
    except (OSError, zipfile.BadZipFile, ValueError):
        return False


def _root() -> Path:
    from livelihoods.paths import require_root

    return require_root()


def _pairs(parameter: Sequence[Sequence[str]] | None) -> list[tuple[str, str]]:
    return [(name, value) for name, value in (parameter or [])]


# ---------------------------------------------------------------------------------------------
# assign
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Assignment:
    """What ``assign`` wrote."""

    out: Path
    chapter: str
    students: int
    zip: Path
    seconds: float


def _prepare(nb: Any, stem: str, parameters: dict[str, Any], relpath: str, note: str, meta: dict[str, Any]) -> bytes:
    """One notebook with its parameters injected by papermill's prepare-only mode (nothing runs).

    Papermill stamps a random cell id on the injected cell and the input/output paths in the
    metadata; both are replaced by fixed values so the file depends only on its inputs.
    """
    import nbformat
    import papermill as pm

    if parameters:
        nb = pm.execute_notebook(nb, None, parameters=parameters, prepare_only=True,
                                 progress_bar=False, log_output=False)
    else:
        nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if "injected-parameters" in (cell.metadata.get("tags") or []):
            cell["id"] = "injected-parameters"
    nb.metadata.setdefault("papermill", {})
    nb.metadata.papermill["input_path"] = f"notebooks/{stem}.ipynb"
    nb.metadata.papermill["output_path"] = relpath
    nb.metadata["livelihoods"] = meta
    note_cell = nbformat.v4.new_markdown_cell(note)
    note_cell["id"] = "assignment-note"
    note_cell.metadata["tags"] = ["assignment-note"]
    nb.cells.insert(0, note_cell)
    return (nbformat.writes(nb) + "\n").encode("utf-8")


def _describe(values: dict[str, Any]) -> str:
    return ", ".join(f"{k} = {v!r}" for k, v in values.items()) or "none"


def assign(chapter: str, roster: Path, out: Path, pairs: Iterable[tuple[str, str]] = (), force: bool = False,
           root: Path | None = None) -> Assignment:
    """Write one notebook per student, an instructor edition, a manifest and an upload zip into ``out``.

    All inputs are checked first (chapter, parameters, roster, output folder); the files are built
    in a temporary folder beside ``out`` and renamed into place only when all are written.
    """
    import nbformat

    from livelihoods.book import build
    from livelihoods.book import params

    start = time.perf_counter()
    root = Path(root) if root is not None else _root()
    roster, out = Path(roster), Path(out)
    path = build.resolve_notebook(root, chapter)
    stem = path.stem
    spec = params.spec(stem)
    chosen = params.parse_cli_pairs(stem, pairs)
    base = params.validate(stem, **{**params.defaults(stem), **chosen})
    files.check_output_dir(out, force=force, inputs=[roster, path], command="assign")
    students = read_roster(roster)
    nb = nbformat.read(str(path), as_version=4)
    leaks = untagged_solutions(nb)
    if leaks:
        raise LivelihoodsError(f"{path.name}: cell {leaks[0]} holds a {{solution}} directive but is not tagged "
                               f"'{SOLUTION_TAG}', so it would reach the students: tag it")
    student_nb = strip_solutions(nb)
    seed_param = spec.get("seed")
    per_student_seed = seed_param is not None and "seed" not in chosen

    outputs: dict[str, bytes] = {}
    rows = []
    for s in students:
        values = dict(base)
        if per_student_seed:
            values["seed"] = _seed_for(stem, s.id, seed_param)
        params.validate(stem, **values)
        rel = f"{STUDENTS_DIR}/{stem}-{s.id}.ipynb"
        who = f"{s.name} ({s.id})" if s.name else s.id
        note = (f"*Assignment copy of this chapter for **{who}**, prepared with `livelihoods assign`. "
                f"Parameters: {_describe(values)} (in the cell tagged `injected-parameters`: leave it as it is "
                f"unless you are asked to change it). The exercises' solutions are not included.*")
        meta = {"chapter": stem, "edition": "student", "student": s.id}
        data = _prepare(student_nb, stem, values, rel, note, meta)
        outputs[rel] = data
        rows.append({"student": s.id, "file": rel, "parameters": json.dumps(values, sort_keys=True, ensure_ascii=False),
                     "seed": "" if seed_param is None else str(values["seed"]),
                     "checksum": hashlib.sha256(data).hexdigest()})
    inst_rel = f"{INSTRUCTOR_DIR}/{stem}-instructor.ipynb"
    note = (f"*Instructor edition of this chapter, with the solutions: do not hand it to students. "
            f"Parameters: {_describe(base)}"
            + ("; each student's notebook has its own seed (see manifest.csv)" if per_student_seed else "") + ".*")
    outputs[inst_rel] = _prepare(nb, stem, base, inst_rel, note, {"chapter": stem, "edition": "instructor"})
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    outputs[MANIFEST] = buf.getvalue().encode("utf-8")
    zip_name = f"{stem}-students.zip"
    outputs[zip_name] = files.zip_bytes([(r["file"].split("/", 1)[1], outputs[r["file"]]) for r in rows])
    outputs[files.MARKER] = files.marker_bytes("assign", outputs)

    tmp = files.build_beside(out)
    try:
        for rel, data in outputs.items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        files.replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Assignment(out, stem, len(students), out / zip_name, time.perf_counter() - start)


def main_assign(args: Any) -> int:
    """``livelihoods assign CHAPTER --roster ROSTER.csv --out DIR [-p NAME VALUE ...] [--force]``."""
    result = assign(args.chapter, Path(args.roster), Path(args.out), _pairs(args.parameter), force=args.force)
    print(f"wrote {result.students} student notebook{'s' if result.students != 1 else ''} (solutions removed), the instructor edition, "
          f"{MANIFEST} and {result.zip.name} to {result.out} in {result.seconds:.1f}s")
    return 0


# ---------------------------------------------------------------------------------------------
# handout: MyST markup to plain Markdown/HTML
# ---------------------------------------------------------------------------------------------

_ADMONITIONS = {"note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error",
                "seealso", "admonition", "topic", "sidebar", "margin", "aside"}
_QUOTES = {"epigraph", "pull-quote", "highlights"}
_DROP = {"bibliography", "tableofcontents", "toctree", "index", "glossary-index", "raw"}
_ROLE = re.compile(r"\{(?P<name>[\w:.+-]+)\}(?P<ticks>`+)(?P<text>.+?)(?P=ticks)|(?P<code>`+)(?:.+?)(?P=code)", re.S)
_LABEL = re.compile(r"^\((?P<label>[^()\s]+)\)=\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _explicit(text: str) -> tuple[str | None, str]:
    """Split a role's ``title <target>`` into (title, target)."""
    m = re.match(r"^(.*?)\s*<([^<>]+)>\s*$", text, re.S)
    if m and m[1]:
        return m[1], m[2]
    return None, text


@dataclass
class Bibliography:
    """Author-year citations from the book's bib files, formatted as the book formats them."""

    entries: dict[str, Any]

    @classmethod
    def load(cls, *paths: Path) -> "Bibliography":
        from pybtex.database import parse_file

        entries: dict[str, Any] = {}
        for path in paths:
            entries.update(parse_file(str(path)).entries)
        return cls(entries)

    @classmethod
    def of_book(cls, root: Path) -> "Bibliography | None":
        """Every bib file ``_config.yml`` lists (``bibtex_bibfiles``), or None if it lists none."""
        from livelihoods.book import build

        paths = [root / p for p in build.load_config(root).get("bibtex_bibfiles", []) if (root / p).is_file()]
        return cls.load(*paths) if paths else None

    def _authors(self, key: str) -> str:
        people = self.entries[key].persons.get("author") or self.entries[key].persons.get("editor") or []
        last = [_unbrace(" ".join(p.last_names)) for p in people]
        if not last:
            return _unbrace(self.entries[key].fields.get("organization", key))
        if len(last) == 1:
            return last[0]
        if len(last) == 2:
            return f"{last[0]} and {last[1]}"
        return f"{last[0]} et al."

    def year(self, key: str) -> str:
        return self.entries[key].fields.get("year", "n.d.")

    def cite(self, keys: list[str], textual: bool) -> str:
        parts = []
        for key in keys:
            if key not in self.entries:
                parts.append(f"[{key}]")
            elif textual:
                parts.append(f"{self._authors(key)} ({self.year(key)})")
            else:
                parts.append(f"{self._authors(key)}, {self.year(key)}")
        return "; ".join(parts) if textual else f"({'; '.join(parts)})"

    def reference(self, key: str) -> str:
        """One entry of the reference list at the end of a handout (plain, author-year)."""
        e = self.entries[key]
        people = [_person(p) for p in (e.persons.get("author") or [])]
        names = people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1] if people else ""
        title = _unbrace(e.fields.get("title", ""))
        where = _unbrace(e.fields.get("journal") or e.fields.get("booktitle") or e.fields.get("publisher")
                         or e.fields.get("institution") or e.fields.get("howpublished") or "")
        return " ".join(x for x in (f"{names} ({self.year(key)}).", f"{title}." if title else "",
                                    f"*{where}*." if where else "") if x)


def _person(person: Any) -> str:
    """``Last, F. M.`` as the paper's reference list prints names."""
    initials = " ".join(f"{n[0]}." for n in person.first_names + person.middle_names if n)
    last = _unbrace(" ".join(person.prelast_names + person.last_names))
    return f"{last}, {_unbrace(initials)}" if initials else last


def _unbrace(text: str) -> str:
    return re.sub(r"[{}]", "", text).replace("\\&", "&").replace("--", "\u2013")


@dataclass
class MystContext:
    """What the MyST-to-Markdown conversion of one notebook needs to know."""

    glue: dict[str, dict[str, Any]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # label -> text a reference to it shows
    bib: Bibliography | None = None
    cited: list[str] = field(default_factory=list)
    exercises: dict[str, int] = field(default_factory=dict)
    counter: list[int] = field(default_factory=lambda: [0])
    base: Path | None = None  # folder that relative image paths start from


def _glue_md(ctx: MystContext, key: str, inline: bool) -> str:
    data = ctx.glue.get(key)
    if data is None:
        return f"[{key}]"
    if "text/markdown" in data:
        return myst_to_markdown(str(data["text/markdown"]), ctx, inline=inline)
    for mime in ("image/png", "image/jpeg", "image/svg+xml"):
        if mime in data:
            payload = data[mime] if mime != "image/svg+xml" else __import__("base64").b64encode(str(data[mime]).encode()).decode()
            return f'<img src="data:{mime};base64,{str(payload).strip()}" alt="{html.escape(key)}">'
    if "text/html" in data:
        return str(data["text/html"])
    from myst_nb.core.variables import format_plain_text

    return format_plain_text(str(data.get("text/plain", "")), "")


def _role(ctx: MystContext, name: str, text: str) -> str:
    """One inline MyST role as Markdown/HTML."""
    if name in ("glue", "glue:", "glue:any", "glue:text", "glue:md"):
        key, _, fmt = text.rpartition("::")[2].partition(":")
        if name == "glue:md":
            return _glue_md(ctx, key, inline=True)
        data = ctx.glue.get(key)
        if data is None:
            return f"[{key}]"
        if name != "glue:text" and ("text/markdown" in data or "text/html" in data or "image/png" in data):
            return _glue_md(ctx, key, inline=True)
        from myst_nb.core.variables import format_plain_text

        return html.escape(format_plain_text(str(data.get("text/plain", "")), fmt), quote=False)
    if name.startswith("cite"):
        keys = [k.strip() for k in text.split(",") if k.strip()]
        for k in keys:
            if k not in ctx.cited:
                ctx.cited.append(k)
        if ctx.bib is None:
            return ", ".join(keys)
        if name in ("cite:year", "cite:yearpar"):
            years = "; ".join(ctx.bib.year(k) for k in keys)
            return f"({years})" if name == "cite:yearpar" else years
        if name == "cite:author":
            return "; ".join(ctx.bib.cite([k], True).rsplit(" (", 1)[0] for k in keys)
        return ctx.bib.cite(keys, textual=name in ("cite:t", "cite:ts", "cite:alt", "cite:alts"))
    title, target = _explicit(text)
    if name in ("math", "eq"):
        return f"${text}$" if name == "math" else f"({text})"
    if name in ("sub", "sup"):
        return f"<{name}>{html.escape(text)}</{name}>"
    if name in ("code", "kbd", "file", "samp", "command", "literal"):
        return f"`{text}`"
    if name == "abbr":
        return re.sub(r"\s*\(.*\)\s*$", "", text)
    if title is not None:
        return title
    if name in ("ref", "numref", "doc", "any", "term", "download", "label"):
        return ctx.labels.get(target.lstrip("/"), target)
    return text


def _inline(text: str, ctx: MystContext) -> str:
    """Replace the inline roles of a Markdown text; code spans are left alone."""
    def sub(m: re.Match) -> str:
        if m["code"]:
            return m[0]
        return _role(ctx, m["name"], m["text"].strip() if len(m["ticks"]) > 1 else m["text"])

    return _ROLE.sub(sub, text)


_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
                ".svg": "image/svg+xml", ".webp": "image/webp"}


def _data_uri(src: str, ctx: MystContext) -> str:
    """A local image path (relative to the notebooks folder) as a data URI, so the page stays whole."""
    import base64

    if ctx.base is None or re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
        return src
    path = (ctx.base / src).resolve()
    mime = _IMAGE_TYPES.get(path.suffix.lower())
    if mime is None or not path.is_file():
        return src
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _admonition(kind: str, title: str, body: str) -> str:
    head = f"**{title}**\n\n" if title else ""
    return f'<div class="admonition {html.escape(kind)}">\n\n{head}{body}\n\n</div>'


def _directive(block: Block, ctx: MystContext) -> str:
    """One MyST directive as Markdown/HTML that nbconvert renders without Sphinx."""
    name, arg, opts = block.name, block.arg, block.options
    if name in _DROP:
        return ""
    if name in ("glue", "glue:", "glue:any", "glue:md"):
        return _glue_md(ctx, arg.split("::")[-1], inline=False)
    if name == "glue:figure":
        img = _glue_md(ctx, arg.split("::")[-1], inline=False)
        caption = myst_to_markdown(block.body, ctx)
        return f'<figure class="handout-figure">\n{img}\n</figure>\n\n{caption}'.rstrip()
    body = myst_to_markdown(block.body, ctx)
    if name == "exercise":
        ctx.counter[0] += 1
        n = ctx.counter[0]
        if opts.get("label"):
            ctx.exercises[opts["label"]] = n
        title = f"Exercise {n}" + (f" ({_inline(arg, ctx)})" if arg else "")
        return f'<div class="exercise">\n\n**{title}**\n\n{body}\n\n</div>'
    if name == "solution":
        label = arg.strip()
        ref = f"Exercise {ctx.exercises[label]}" if label in ctx.exercises else ctx.labels.get(label, "the exercise")
        open_ = "" if "hidden" in opts else " open"
        return (f'<details class="solution"{open_}>\n<summary>Solution to {html.escape(ref)}</summary>\n\n'
                f"{body}\n\n</details>")
    if name == "dropdown":
        return f'<details class="dropdown">\n<summary>{html.escape(_inline(arg, ctx) or "More")}</summary>\n\n{body}\n\n</details>'
    if name in _ADMONITIONS:
        title = _inline(arg, ctx) if arg else ("" if name in ("margin", "sidebar", "aside", "admonition") else name.capitalize())
        return _admonition(name, title, body)
    if name in _QUOTES:
        return "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
    if name in ("math",):
        return f"$$\n{block.body}\n$$"
    if name in ("code-block", "code", "sourcecode", "code-cell"):
        return f"```{arg}\n{block.body}\n```"
    if name in ("figure", "image"):
        alt = opts.get("alt", "")
        image = f"![{alt}]({_data_uri(arg, ctx)})"
        return f"{image}\n\n{body}".rstrip() if name == "figure" else image
    if name in ("tab-item", "card", "grid-item-card") and arg:
        return f"**{_inline(arg, ctx)}**\n\n{body}"
    return body  # containers (grid, tab-set, div, ...) and unknown directives: their content


def myst_to_markdown(text: str, ctx: MystContext, inline: bool = False) -> str:
    """MyST Markdown (as the book writes it) to CommonMark with HTML, for nbconvert.

    Directives become HTML blocks (exercises as boxes, solutions as open ``<details>``), roles
    become text (glued values formatted as myst-nb would, citations author-year from
    ``references.bib``, references the title of their target), label lines and comments go.
    """
    if inline:
        return _inline(text, ctx).strip()
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        m = FENCE_OPEN.match(line)
        if m:
            j = closing(lines, i, m["fence"])
            options, body = split_options(lines[i + 1:j])
            block = Block(m["name"], m["arg"], options, "\n".join(body).strip("\n"), i, j + 1)
            out.append(_directive(block, ctx))
            i = j + 1
            continue
        fence = re.match(r"^[ \t]*(`{3,}|~{3,})", line)
        if fence:
            j = closing(lines, i, fence[1])
            out.extend(lines[i:j + 1])
            i = j + 1
            continue
        if _LABEL.match(line) or re.match(r"^\s*%", line) or line.strip() == "+++":
            i += 1
            continue
        line = re.sub(r"(!\[[^\]]*\]\()([^)\s]+)(\))", lambda m: m[1] + _data_uri(m[2], ctx) + m[3], line)
        out.append(_inline(line, ctx))
        i += 1
    return "\n".join(out)


def collect_labels(root: Path) -> dict[str, str]:
    """What a reference to each label in the book's sources shows: a section's title (with its
    chapter's title when it lives in another chapter), or ``Exercise N``."""
    import nbformat

    labels: dict[str, str] = {}
    sources: list[tuple[str, str]] = []
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        sources.append((f"notebooks/{path.stem}", "\n\n".join(cell_text(c) for c in nb.cells if c.cell_type == "markdown")))
    for path in sorted((root / "book").glob("*.md")):
        sources.append((f"book/{path.stem}", path.read_text(encoding="utf-8")))
    for doc, text in sources:
        lines = text.split("\n")
        title = next((m[2] for ln in lines if (m := _HEADING.match(ln)) and len(m[1]) == 1), doc)
        labels[doc] = f"*{title}*"
        n = 0
        for k, line in enumerate(lines):
            m = _LABEL.match(line)
            if m:
                heading = next((h[2] for h in (_HEADING.match(x) for x in lines[k + 1:k + 4] if x.strip()) if h), None)
                if heading:
                    labels[m["label"]] = f"{heading} in *{title}*" if heading != title else f"*{title}*"
            if (fm := FENCE_OPEN.match(line)) and fm["name"] == "exercise":
                n += 1
                opts, _ = split_options(lines[k + 1:k + 6])
                if opts.get("label"):
                    labels[opts["label"]] = f"Exercise {n} in *{title}*"
    return labels


def glued_values(nb: Any) -> dict[str, dict[str, Any]]:
    """Every value a notebook glued with myst-nb (``glue(name, value)``), by name: its MIME bundle."""
    out: dict[str, dict[str, Any]] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if output.get("output_type") in ("display_data", "execute_result") and meta:
                out[meta["name"]] = {k.removeprefix(GLUE_PREFIX): v for k, v in output.get("data", {}).items()}
    return out


def _is_glue_only(output: dict) -> bool:
    data = output.get("data", {})
    return bool(data) and all(k.startswith(GLUE_PREFIX) for k in data)


def handout_notebook(nb: Any, root: Path, solutions: bool = True) -> tuple[Any, str]:
    """An executed notebook rewritten for nbconvert: MyST turned into HTML, figures given their alt
    text and a caption, tags applied as the book applies them. Returns (notebook, title)."""
    from nbformat.v4 import new_markdown_cell, new_output

    nb = copy.deepcopy(nb)
    if not solutions:
        nb = strip_solutions(nb)
    labels = collect_labels(root)
    ctx = MystContext(glue=glued_values(nb), labels=labels, bib=Bibliography.of_book(root), base=root / "notebooks")
    title = next((m[2] for c in nb.cells if c.cell_type == "markdown"
                  for ln in cell_text(c).split("\n") if (m := _HEADING.match(ln)) and len(m[1]) == 1), "Handout")
    # Exercise numbers first, so a reference before an exercise still resolves.
    n = 0
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for b in directive_blocks(cell_text(cell)):
            if b.name == "exercise":
                n += 1
                if b.options.get("label"):
                    ctx.labels[b.options["label"]] = f"Exercise {n}"
    figures = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = myst_to_markdown(cell_text(cell), ctx)
            continue
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            if _is_glue_only(output):
                continue
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                continue
            data = output.get("data", {})
            if "text/markdown" in data:
                data["text/markdown"] = myst_to_markdown(str(data["text/markdown"]), ctx)
            outputs.append(output)
        fig = cell.metadata.get("mystnb", {}).get("figure")
        alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt")
        if fig or alt:
            for output in outputs:
                for mime in ("image/png", "image/jpeg"):
                    if mime in output.get("data", {}):
                        output.setdefault("metadata", {}).setdefault(mime, {})["alt"] = alt or fig.get("caption", "")
            if fig and fig.get("caption") and any("image/png" in o.get("data", {}) for o in outputs):
                figures += 1
                if fig.get("name"):
                    ctx.labels[fig["name"]] = f"Figure {figures}"
                caption = myst_to_markdown(fig["caption"], ctx, inline=True)
                outputs.append(new_output("display_data", data={
                    "text/html": f'<p class="caption"><strong>Figure {figures}.</strong> {caption}</p>'}))
        cell.outputs = outputs
    ctx_refs = sorted(set(ctx.cited), key=ctx.cited.index)
    if ctx.bib is not None and ctx_refs:
        items = "\n".join(f"- {ctx.bib.reference(k)}" for k in sorted(ctx_refs, key=lambda k: (ctx.bib._authors(k), k))
                          if k in ctx.bib.entries)
        nb.cells.append(new_markdown_cell(f"## References\n\n{items}"))
    return nb, re.sub(r"[*_`]", "", title)


def render_handout(nb: Any, root: Path, solutions: bool = True) -> str:
    """A self-contained HTML page of an executed notebook (the nbconvert ``handout`` template)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    nb, title = handout_notebook(nb, root, solutions=solutions)
    nb.metadata["title"] = title
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = ("remove-cell",)
    config.TagRemovePreprocessor.remove_input_tags = ("remove-input", "hide-input", "hide-cell")
    config.TagRemovePreprocessor.remove_all_outputs_tags = ("remove-output",)
    exporter = HTMLExporter(config=config, template_name="handout",
                            extra_template_basedirs=[str(Path(__file__).parent / "templates")])
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = False  # its HTML re-parsing breaks <div>/<details> blocks; images are embedded above
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title, "path": str(root / "notebooks")}})
    return body


def handout(chapter: str, out: Path, pairs: Iterable[tuple[str, str]] = (), solutions: bool = True,
            force: bool = False, root: Path | None = None, timeout: int = 300,
            echo: Callable[[str], None] = lambda s: print(s, file=sys.stderr)) -> Path:
    """Execute a chapter with papermill and write it as one HTML file that needs no network."""
    import nbformat

    from livelihoods.book import build
    from livelihoods.book import params

    root = Path(root) if root is not None else _root()
    out = Path(out)
    path = build.resolve_notebook(root, chapter)
    stem = path.stem
    values = params.parse_cli_pairs(stem, pairs)
    params.validate(stem, **{**params.defaults(stem), **values})
    timeout = build.check_timeout(timeout)
    files.check_output_file(out, force=force, suffixes=(".html", ".htm"), what="a single HTML page",
                            inputs=[path], ours=is_handout)
    with tempfile.TemporaryDirectory(prefix="livelihoods-handout-") as tmp:
        echo(f"running {stem} with {values or 'default parameters'}")
        executed = build.run_notebook(path, values, Path(tmp) / f"{stem}.ipynb", timeout=timeout)
        nb = nbformat.read(str(executed), as_version=4)
    page = render_handout(nb, root, solutions=solutions)
    if not handout_marked(page[:65536]):
        raise AssertionError("the handout template lost its generator mark")  # --force could not replace it
    files.write_atomic(out, page.encode("utf-8"))
    os.chmod(out, 0o666 & ~files.umask())
    return out


def main_handout(args: Any) -> int:
    """``livelihoods handout CHAPTER [-p NAME VALUE ...] --out FILE.html [--no-solutions] [--force]``."""
    start = time.perf_counter()
    out = handout(args.chapter, Path(args.out), _pairs(args.parameter), solutions=not args.no_solutions, force=args.force)
    kind = "without solutions" if args.no_solutions else "with solutions"
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {kind}) in {time.perf_counter() - start:.1f}s")
    return 0


# ---------------------------------------------------------------------------------------------
# bundle
# ---------------------------------------------------------------------------------------------

_LINK_ATTR = re.compile(r"""<(?:a|link|script|img|source|iframe)\b[^>]*?\s(?:href|src)\s*=\s*["']([^"']*)["']""", re.I)


def broken_links(folder: Path) -> list[tuple[str, str]]:
    """Relative links in the HTML under ``folder`` whose target file does not exist: (page, link).

    Links a browser follows from ``file://`` must be relative and point at files; absolute paths
    (``/x``) would resolve to the disk's root, so they count as broken too.
    """
    from urllib.parse import unquote, urlsplit

    bad = []
    for page in sorted(folder.rglob("*.html")):
        if page.relative_to(folder).parts[0] in ("_static", "_sources"):
            continue  # theme templates and sources shipped as files, not pages
        text = page.read_text(encoding="utf-8", errors="replace")
        for link in _LINK_ATTR.findall(text):
            link = html.unescape(link.strip())
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("#", "//")) or not link:
                continue
            if link.startswith("/"):
                bad.append((str(page.relative_to(folder)), link))
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not files.inside(target, folder) or not target.exists():
                bad.append((str(page.relative_to(folder)), link))
    return bad


def bundle(out: Path, edition: str = "instructor", force: bool = False, root: Path | None = None,
           html_dir: Path | None = None) -> Path:
    """Zip a built edition of the book with ``index.html`` at the top, reproducibly."""
    from livelihoods.book import build

    if edition not in build.EDITIONS:
        raise LivelihoodsError(f"edition {edition!r} is not allowed: expected one of {', '.join(build.EDITIONS)}")
    if html_dir is None:
        root = Path(root) if root is not None else _root()
        html_dir = build.output_dir(root, edition)
    out = Path(out)
    if not (html_dir / "index.html").is_file():
        flag = "" if edition == "instructor" else f" --edition {edition}"
        raise LivelihoodsError(f"the {edition} edition is not built ({html_dir / 'index.html'} is missing): "
                               f"run 'livelihoods build{flag}' first")
    if files.inside(out, html_dir):
        raise LivelihoodsError(f"--out {out} is inside the book's HTML folder {html_dir}: write it elsewhere")
    files.check_output_file(out, force=force, suffixes=(".zip",), what="a zip archive", ours=is_bundle)
    entries = [(p.relative_to(html_dir).as_posix(), p) for p in html_dir.rglob("*")
               if p.is_file() and not any(part.startswith(".") for part in p.relative_to(html_dir).parts)]
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            files.write_zip(handle, entries, comment=BUNDLE_COMMENT)
        os.chmod(tmp, 0o666 & ~files.umask())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def main_bundle(args: Any) -> int:
    """``livelihoods bundle --out FILE.zip [--edition student] [--force]``."""
    out = bundle(Path(args.out), edition=args.edition, force=args.force)
    with zipfile.ZipFile(out) as zf:
        n = len(zf.namelist())
    print(f"wrote {out} ({n} files, {out.stat().st_size / 1e6:.1f} MB): unzip it and open index.html in a browser")
    return 0
