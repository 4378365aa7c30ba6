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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from livelihoods import files
from livelihoods.book.myst import (
    FENCE_OPEN,
    OPTION,
    SOLUTION_TAG,
    cell_text,
    strip_solutions,
    untagged_solutions,
    is_solution,
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

    A gradebook exported by a learning platform may be used as it is: without an ``id`` column, the
    first of the id columns of gradebooks exported by learning platforms (Canvas, Moodle,
    Blackboard) it has gives the ids (for an e-mail address, the part before
    the ``@``) and a warning on the log says which; ``Student``, ``Full name`` or ``First name`` and
    ``Last name`` give the name, and Canvas's "Points Possible" row is skipped.

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
    if first is None:
        raise LivelihoodsError(f"roster {path} holds only delimiters: expected a header with an 'id' column "
                               "and one row per student")
    header = [c.strip().lower() for c in rows[first]]
    gradebook_ids = ("sis user id", "id number", "student id", "username", "sis login id", "email address", "email")
    id_name = "id" if "id" in header else next((c for c in gradebook_ids if c in header), None)
    if id_name is None:
        found = ", ".join(repr(h) for h in header if h) or "none"
        raise LivelihoodsError(f"roster {path} has no 'id' column (found {found}): add a column named 'id', or "
                               f"export the gradebook with one of {', '.join(map(repr, gradebook_ids))}")
    if header.count(id_name) > 1:
        raise LivelihoodsError(f"roster {path} has two {id_name!r} columns: keep one")
    id_col = header.index(id_name)
    email = id_name in ("email address", "email")
    if id_name != "id":
        shown = rows[first][id_col].strip()
        import logging

        logging.getLogger(__name__).warning("roster %s has no 'id' column: using its %r column as the students' ids%s",
                                            path, shown, " (the part before '@')" if email else "")
    name_col = next((header.index(c) for c in ("name", "student", "full name") if c in header), None)
    first_last = (header.index("first name"), header.index("last name")) if name_col is None and \
        {"first name", "last name"} <= set(header) else None
    students: list[Student] = []
    seen: dict[str, Student] = {}
    for row, line in zip(rows[first + 1:], lines[first + 1:]):
        if not any(c.strip() for c in row):
            continue
        sid = row[id_col].strip() if id_col < len(row) else ""
        if not sid and row[0].strip().lower() == "points possible":
            continue  # Canvas's second row: the points of each assignment, not a student
        if email:
            sid = sid.split("@", 1)[0]
        problem = check_student_id(sid)
        if problem:
            raise LivelihoodsError(f"roster {path}, line {line}: id {sid!r} cannot be used in a file name ({problem})")
        key = sid.casefold()
        if key in seen:
            other = seen[key]
            how = "appears twice" if other.id == sid else f"differs from {other.id!r} only in case"
            raise LivelihoodsError(f"roster {path}, line {line}: id {sid!r} {how} (line {other.line}): ids must be unique")
        name = row[name_col].strip() if name_col is not None and name_col < len(row) else ""
        if first_last is not None:
            name = " ".join(row[i].strip() for i in first_last if i < len(row) and row[i].strip())
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
        raise LivelihoodsError(f"parameter 'seed' of {chapter} is not an integer in livelihoods.book.params: cannot derive per-student seeds")
    low = int(param.low) if param.low is not None else 0
    high = int(param.high) if param.high is not None else 2**31 - 1
    return student_seed(chapter, student_id, low, high)


# ---------------------------------------------------------------------------------------------
# Writing files: atomic folders and reproducible zips
# ---------------------------------------------------------------------------------------------

def check_out_dir(out: Path, force: bool, protect: Iterable[Path] = ()) -> None:
    """Refuse an output folder we must not write: a file, non-empty without --force, or one whose
    replacement would delete something the command needs (the roster, the repository, the cwd)."""
    if out.exists() and not out.is_dir():
        raise LivelihoodsError(f"--out {out} is a file: give a folder (new or empty)")
    for p in protect:
        if files.inside(p, out):
            raise LivelihoodsError(f"--out {out} contains {p}, which the output would replace: choose another folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise LivelihoodsError(f"--out {out} is not empty: choose a new or empty folder, or add --force to replace its contents")


def _check_out_file(out: Path, force: bool, suffixes: Sequence[str], what: str) -> None:
    if out.suffix.lower() not in suffixes:
        raise LivelihoodsError(f"--out {out} should end in {' or '.join(suffixes)} ({what})")
    if out.is_dir():
        raise LivelihoodsError(f"--out {out} is a folder: give a file name ending in {suffixes[0]}")
    if out.exists() and not force:
        raise LivelihoodsError(f"--out {out} exists: choose another name or add --force to replace it")


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
    students = read_roster(roster)
    check_out_dir(out, force, protect=[roster, root, Path.cwd()])
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

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
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
# handout: an executed runnable notebook as one HTML page
# ---------------------------------------------------------------------------------------------

def handout_notebook(nb: Any, solutions: bool = True) -> tuple[Any, str]:
    """An executed runnable notebook made ready for nbconvert: solutions kept or dropped, figures given
    their alt text, stderr left out. The runnable notebooks hold no MyST (their markdown went
    through :mod:`livelihoods.analyses.markup` when they were generated, and their kernels print
    plain Markdown), so nothing else needs converting. Returns (notebook, title)."""
    nb = copy.deepcopy(nb)
    if not solutions:
        nb = strip_solutions(nb)
    title = next((line[2:].strip() for c in nb.cells if c.cell_type == "markdown"
                  for line in cell_text(c).split("\n") if line.startswith("# ")), "Handout")
    for cell in nb.cells:
        if is_solution(cell):  # a handout is read on paper: the solutions it carries are shown, not folded
            if cell.cell_type == "markdown":
                cell.source = cell_text(cell).replace("<details>", "<details open>")
            for output in cell.get("outputs", []):
                text = output.get("data", {}).get("text/markdown")
                if text is not None:
                    output["data"]["text/markdown"] = "".join(text).replace("<details>", "<details open>")
        if cell.cell_type != "code":
            continue
        cell.outputs = [o for o in cell.get("outputs", [])
                        if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt")
        if alt:
            for output in cell.outputs:
                for mime in ("image/png", "image/jpeg", "image/svg+xml"):
                    if mime in output.get("data", {}):
                        output.setdefault("metadata", {}).setdefault(mime, {})["alt"] = alt
    return nb, re.sub(r"[*_`]|<[^>]+>", "", title).strip()


def render_handout(nb: Any, root: Path | None = None, solutions: bool = True) -> str:
    """A self-contained HTML page of an executed runnable notebook (the nbconvert ``handout`` template)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    nb, title = handout_notebook(nb, solutions=solutions)
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
    exporter.embed_images = False  # the figures are outputs (data URIs already); its re-parsing breaks <details>
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
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
    _check_out_file(out, force, (".html", ".htm"), "a single HTML page")
    with tempfile.TemporaryDirectory(prefix="livelihoods-handout-") as tmp:
        echo(f"running {stem} with {values or 'default parameters'}")
        executed = build.run_notebook(path, values, Path(tmp) / f"{stem}.ipynb", timeout=timeout)
        nb = nbformat.read(str(executed), as_version=4)
    page = render_handout(nb, root, solutions=solutions)
    build.write_atomic(out, page.encode("utf-8"))
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
    _check_out_file(out, force, (".zip",), "a zip archive")
    if files.inside(out, html_dir):
        raise LivelihoodsError(f"--out {out} is inside the book's HTML folder {html_dir}: write it elsewhere")
    entries = [(p.relative_to(html_dir).as_posix(), p) for p in html_dir.rglob("*")
               if p.is_file() and not any(part.startswith(".") for part in p.relative_to(html_dir).parts)]
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            files.write_zip(handle, entries)
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
