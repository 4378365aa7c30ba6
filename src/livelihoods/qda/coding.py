"""The coding lab: read a student's coding sheet and measure agreement with another coding.

The study coded its interviews with a template (the Sustainable Livelihoods Framework). The lab
lets a student try that: code a sample of the printed excerpts with the same template, then see
where they agree with the reference coding and why. This module holds everything the chapter
and the ``livelihoods agreement`` command need:

* :func:`read_sheet` reads a coding sheet (CSV: ``excerpt_id,code_id``) as exported by any
  spreadsheet program and stops at the first problem with one line naming the file, the line
  and the fix. Nothing is silently dropped: an unknown id is an error, not a skipped row.
* :func:`blank_sheet`, :func:`blank_sheet_text` and :func:`write_blank_sheet` give the student
  something to fill in; :func:`sample_excerpts` draws the excerpts reproducibly.
* :func:`agreement` compares two codings as presence/absence of each category per excerpt
  (the unit NVivo's coding comparison uses, with excerpts instead of characters): percentage
  agreement, Cohen's kappa and Krippendorff's alpha (nominal), per category and pooled. When a
  statistic is undefined (no variation at all: neither coder used the code) it is reported as
  undefined with its reason, never as 0 or 1, because either number would be a claim the data
  cannot support.
* :func:`confusion` and :func:`plot_confusion` show *which* codes were confused with which.
* :func:`dictionary_code` is a transparent keyword coder, the baseline that shows what automatic
  coding misses.

Excerpts a student's sheet does not mention are outside the sample: the comparison runs on the
excerpts the sheet lists (a listed excerpt with an empty ``code_id`` counts as "coded with
nothing"). Within that sample, an excerpt a coder did not give a category is an absence.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import numpy as np
import pandas as pd

from livelihoods.errors import DataError, LivelihoodsError, ParameterError, SheetError

if TYPE_CHECKING:  # matplotlib is imported only by plot_confusion
    import matplotlib.figure
    import matplotlib.axes

#: The levels of the template, from broadest to finest.
LEVELS: tuple[str, ...] = ("component", "theme", "code")

#: Row/column of the confusion matrix for excerpts a coder left without any category.
NONE = "(none)"

#: The columns a coding sheet must have, and those it may have besides.
REQUIRED_COLUMNS: tuple[str, ...] = ("excerpt_id", "code_id")
OPTIONAL_COLUMNS: tuple[str, ...] = ("note", "coder", "attribution", "text")

#: Several codes may share one cell of a sheet, separated by spaces, commas, semicolons or bars
#: (code ids are snake_case, so none of these can occur inside one).
_CODE_SEPARATORS = re.compile(r"[\s,;|]+")

_REFERENCE = "reference"


# ======================================================================================
# The template and the reference coding (thin wrappers over livelihoods.evidence)
# ======================================================================================


def _codebook() -> pd.DataFrame:
    from livelihoods import evidence

    return evidence.load_codebook()


def reference_codings() -> pd.DataFrame:
    """The reference coding (the book's coding of every excerpt), as ``excerpt_id, code_id, coder``."""
    from livelihoods import evidence

    codings = evidence.load_codings()
    codings = codings[codings["coder"] == _REFERENCE]
    return codings[["excerpt_id", "code_id", "coder"]].reset_index(drop=True)


def _excerpt_order() -> dict[str, int]:
    """Excerpt id -> its position in the paper, so every list of excerpts is in reading order."""
    from livelihoods import evidence

    excerpts = evidence.load_excerpts().sort_values("order")
    return {eid: i for i, eid in enumerate(excerpts["excerpt_id"])}


def _category_order(codebook: pd.DataFrame) -> dict[str, int]:
    return {cid: i for i, cid in enumerate(codebook.sort_values("order")["code_id"])}


def level_categories(level: str = "code", codebook: pd.DataFrame | None = None) -> list[str]:
    """Every category of the template at a level (``component``, ``theme`` or ``code``), in codebook order."""
    _check_level(level)
    book = _codebook() if codebook is None else codebook
    return book[book["level"] == level].sort_values("order")["code_id"].tolist()


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ParameterError(f"level {level!r} is not allowed: expected one of {', '.join(map(repr, LEVELS))}")


def _ancestor_map(level: str, codebook: pd.DataFrame) -> dict[str, str]:
    """Leaf code -> its ancestor at ``level``, walking the parent links of the codebook."""
    parent = dict(zip(codebook["code_id"], codebook["parent_id"].fillna("")))
    level_of = dict(zip(codebook["code_id"], codebook["level"]))
    out: dict[str, str] = {}
    for leaf in codebook.loc[codebook["level"] == "code", "code_id"]:
        node = leaf
        while node and level_of.get(node) != level:
            node = parent.get(node, "")
        if not node:
            raise DataError("codebook.csv", f"code {leaf!r} has no ancestor at level {level!r}")
        out[leaf] = node
    return out


def _leaves_under(code_id: str, codebook: pd.DataFrame) -> list[str]:
    """The leaf codes below a theme or component, in codebook order."""
    children: dict[str, list[str]] = {}
    for cid, pid in zip(codebook.sort_values("order")["code_id"], codebook.sort_values("order")["parent_id"].fillna("")):
        children.setdefault(pid, []).append(cid)
    level_of = dict(zip(codebook["code_id"], codebook["level"]))
    out: list[str] = []
    stack = list(reversed(children.get(code_id, [])))
    while stack:
        node = stack.pop()
        if level_of.get(node) == "code":
            out.append(node)
        stack.extend(reversed(children.get(node, [])))
    return out


# ======================================================================================
# Reading a coding sheet
# ======================================================================================


def _read_text(path: Path) -> str:
    """The sheet's text, decoded as UTF-8 (with or without BOM); a clear error otherwise."""
    if not path.exists():
        raise SheetError(f"{path}: no such file: check the path and the file name")
    if path.is_dir():
        raise SheetError(f"{path}: is a folder, not a coding sheet: give the path of the CSV file")
    raw = path.read_bytes()
    if raw.startswith(b"PK\x03\x04"):
        raise SheetError(f"{path}: is a spreadsheet workbook (.xlsx or .ods), not a CSV file: "
                         "save it with 'Save as' > 'CSV UTF-8'")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SheetError(f"{path}: is UTF-16 text ('Unicode text'), not UTF-8: save the sheet as 'CSV UTF-8'")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise SheetError(f"{path}, line {line}: is not UTF-8 text (byte 0x{raw[err.start]:02x}): "
                         "save the sheet as 'CSV UTF-8' in your spreadsheet program") from None


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever occurs most in the first non-blank line (the header).

    Spreadsheet programs in locales with a decimal comma export with semicolons; sniffing the
    header alone is enough because the header holds only column names.
    """
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _records(text: str, delimiter: str, path: Path) -> list[tuple[int, list[str]]]:
    """Non-blank CSV records with the (1-based) line each starts on; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    out: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                out.append((start, [cell.strip() for cell in row]))
            start = reader.line_num + 1
    except csv.Error as err:
        raise SheetError(f"{path}, line {reader.line_num}: cannot be read as CSV ({err}): "
                         "check the quotes on that line, or save the sheet again as 'CSV UTF-8'") from None
    return out


def _suggest(value: str, known: Iterable[str]) -> str:
    """A ' (did you mean ...?)' hint for a mistyped id, or nothing."""
    known = list(known)
    lowered = {k.lower(): k for k in known}
    if value.lower() in lowered:
        return f" (did you mean {lowered[value.lower()]!r}? ids are case-sensitive)"
    close = difflib.get_close_matches(value, known, n=2, cutoff=0.75)
    return f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""


def _parse_header(cells: list[str], line: int, path: Path, known_excerpts: set[str], delimiter: str) -> dict[str, int]:
    """Column name -> index; the required columns must be there, nothing unknown may be."""
    names = [c.lstrip("\ufeff").strip().lower() for c in cells]
    while names and not names[-1]:
        names.pop()  # a trailing delimiter leaves an unnamed empty column
    expected = "the columns excerpt_id and code_id (optionally " + ", ".join(OPTIONAL_COLUMNS) + ")"
    if names and cells[0].strip() in known_excerpts:
        raise SheetError(f"{path}, line {line}: starts with data, not a header: insert the line "
                         f"'excerpt_id{delimiter}code_id' at the top of the sheet")
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    unknown = [c for c in names if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    shown = delimiter.join(cells).strip()
    if missing or unknown:
        problem = f"has no column {missing[0]!r}" if missing else f"has an unexpected column {unknown[0]!r}"
        raise SheetError(f"{path}, line {line}: the header {shown!r} {problem}: a coding sheet has {expected}; "
                         f"make line {line} read 'excerpt_id{delimiter}code_id'")
    repeated = sorted({c for c in names if names.count(c) > 1})
    if repeated:
        raise SheetError(f"{path}, line {line}: the header has the column {repeated[0]!r} twice: keep one of them")
    return {name: i for i, name in enumerate(names) if name}


def _check_code(code: str, line: int, path: Path, codebook: pd.DataFrame) -> None:
    """A code in a sheet must be a leaf of the template (the level the reference codes at)."""
    level_of = dict(zip(codebook["code_id"], codebook["level"]))
    if code not in level_of:
        leaves = codebook.loc[codebook["level"] == "code", "code_id"]
        raise SheetError(f"{path}, line {line}: unknown code id {code!r}{_suggest(code, codebook['code_id'])}: "
                         f"use a code id from the codebook (one of the {len(leaves)} codes, e.g. {leaves.iloc[0]!r})")
    if level_of[code] != "code":
        under = _leaves_under(code, codebook)
        raise SheetError(f"{path}, line {line}: {code!r} is a {level_of[code]}, not a code: sheets use the "
                         f"finest level; use one of the codes under it: {', '.join(under)}")


def read_sheet(path: str | os.PathLike[str], *, known_excerpts: Iterable[str] | None = None,
               codebook: pd.DataFrame | None = None, allow_blank: bool = False) -> pd.DataFrame:
    """Read a coding sheet into ``excerpt_id, code_id, coder`` (plus ``note`` if the sheet has one).

    A sheet is CSV with the header ``excerpt_id,code_id`` (any order; optional columns ``note``,
    ``coder``, and ``attribution``/``text`` as in the spreadsheet form of the blank sheet). It
    may come from any spreadsheet program: UTF-8 with or without BOM, comma, semicolon or tab
    delimited, CRLF line ends; cells are stripped and blank lines skipped. A ``code_id`` cell may
    hold several codes separated by spaces, commas or semicolons. A listed excerpt with an empty
    ``code_id`` means "read, and coded with nothing": it belongs to the sample (see
    :func:`sheet_excerpts`) without adding a row.

    Anything else is an error (:class:`SheetError`, one line naming the file, the line and the
    fix): a missing, empty, header-only or non-UTF-8 file, a wrong header, an unknown excerpt,
    an unknown or non-leaf code, the same code twice for an excerpt, or several coders in one
    sheet. Stopping is deliberate: a silently skipped row would change the agreement figures
    without the student knowing why.

    ``allow_blank`` accepts a sheet whose excerpts are all still uncoded (the blank sheet of a
    sample, read only for its list of excerpts). ``known_excerpts`` and ``codebook`` default to
    the book's data; tests may pass their own.
    The excerpts the sheet mentions are kept in ``result.attrs["excerpt_ids"]``.
    """
    path = Path(path)
    text = _read_text(path)
    if not text.strip():
        raise SheetError(f"{path}: is empty: a coding sheet needs the header 'excerpt_id,code_id' "
                         "and one line per excerpt and code")
    if known_excerpts is None:
        known_excerpts = _excerpt_order()
    known = set(known_excerpts)
    book = _codebook() if codebook is None else codebook
    labels = {str(label).lower(): cid for cid, label in zip(book["code_id"], book["label"])}

    delimiter = _sniff_delimiter(text)
    records = _records(text, delimiter, path)
    (header_line, header_cells), rows = records[0], records[1:]
    columns = _parse_header(header_cells, header_line, path, known, delimiter)
    width = max(columns.values()) + 1

    mentioned: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    out: list[dict[str, str]] = []
    for line, cells in rows:
        extra = [c for c in cells[width:] if c]
        if extra:
            raise SheetError(f"{path}, line {line}: has {len(cells)} fields but the header has {width} columns: "
                             f"remove the extra field {extra[0]!r}, or put a note that contains "
                             f"{delimiter!r} in double quotes")
        cells = cells + [""] * (width - len(cells))
        excerpt, code_cell = cells[columns["excerpt_id"]], cells[columns["code_id"]]
        if not excerpt:
            raise SheetError(f"{path}, line {line}: the excerpt_id is empty (code_id {code_cell!r}): "
                             "write the excerpt's id (such as EX01) on that line")
        if excerpt not in known:
            ids = sorted(known)
            span = f"{ids[0]}..{ids[-1]}" if ids else "none"
            raise SheetError(f"{path}, line {line}: unknown excerpt id {excerpt!r}{_suggest(excerpt, ids)}: "
                             f"use an excerpt id from the sample ({span})")
        if excerpt not in mentioned:
            mentioned.append(excerpt)
        if code_cell.lower() in labels and code_cell not in labels.values():
            raise SheetError(f"{path}, line {line}: {code_cell!r} is a label, not a code id: "
                             f"write its id {labels[code_cell.lower()]!r}")
        for code in (c for c in _CODE_SEPARATORS.split(code_cell) if c):
            _check_code(code, line, path, book)
            if (excerpt, code) in seen:
                first = seen[(excerpt, code)]
                where = "earlier on the same line" if first == line else f"first on line {first}"
                raise SheetError(f"{path}, line {line}: {excerpt} is coded {code!r} twice ({where}): "
                                 "delete one of the two")
            seen[(excerpt, code)] = line
            row = {"excerpt_id": excerpt, "code_id": code, "line": line,
                   "coder": cells[columns["coder"]] if "coder" in columns else ""}
            if "note" in columns:
                row["note"] = cells[columns["note"]]
            out.append(row)

    if not rows:
        raise SheetError(f"{path}: has a header but no codings: add one line per excerpt and code, "
                         f"such as 'EX01{delimiter}{book.loc[book['level'] == 'code', 'code_id'].iloc[0]}'")
    if not out and not allow_blank:
        raise SheetError(f"{path}: lists {len(mentioned)} excerpt(s) but no code_id is filled in: write a code id "
                         "from the codebook next to each excerpt you code")
    frame = pd.DataFrame(out, columns=["excerpt_id", "code_id", "coder", "line", "note"][:4 + ("note" in columns)])
    coders = list(dict.fromkeys(c for c in frame["coder"] if c))
    if len(coders) > 1:
        line = int(frame.loc[frame["coder"] == coders[1], "line"].iloc[0])
        raise SheetError(f"{path}, line {line}: a second coder {coders[1]!r} after {coders[0]!r}: "
                         "a sheet holds one coder's coding; give each coder a sheet of their own")
    if coders and (frame["coder"] == "").any():
        line = int(frame.loc[frame["coder"] == "", "line"].iloc[0])
        raise SheetError(f"{path}, line {line}: the coder is empty: fill in {coders[0]!r} or delete the coder column")
    frame["coder"] = coders[0] if coders else path.stem
    columns_out = ["excerpt_id", "code_id", "coder"] + (["note"] if "note" in columns else [])
    frame = frame[columns_out]
    frame.attrs["excerpt_ids"] = list(mentioned)
    frame.attrs["source"] = str(path)
    return frame


def locate_sheet(path: str | os.PathLike[str]) -> Path | None:
    """The file a coding-sheet path names, or None when there is none.

    A relative path is looked up in the working folder first, then in the repository's folder:
    a chapter runs with ``notebooks/`` as its working folder, while ``livelihoods run`` checks
    its parameters from wherever it was started, and both must find the same sheet.
    """
    given = Path(path).expanduser()
    candidates = [given]
    if not given.is_absolute():
        from livelihoods.paths import repo_root

        root = repo_root()
        if root is not None:
            candidates.append(root / given)
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    return None


def sheet_path_problem(path: str | os.PathLike[str]) -> str:
    """Why ``path`` cannot be read as a coding sheet ("" when it names an existing file).

    Only existence is checked here (cheaply, before a chapter does any work); what is *in* the
    file is :func:`read_sheet`'s business, with its own line-by-line errors.
    """
    if locate_sheet(path) is not None:
        return ""
    if Path(path).expanduser().is_dir():
        return "a folder, not a file"
    return "no such file"


def sheet_excerpts(codings: pd.DataFrame) -> list[str]:
    """The excerpts a coding sheet covers: all it lists, including those coded with nothing.

    Falls back to the excerpts that carry a code when the frame did not come from
    :func:`read_sheet` (or lost its ``attrs`` on the way).
    """
    listed = codings.attrs.get("excerpt_ids")
    if listed:
        return list(listed)
    return list(dict.fromkeys(codings["excerpt_id"]))


# ======================================================================================
# Blank sheets and the sample of excerpts
# ======================================================================================


def sample_excerpts(n: int, seed: int, organisation: str = "all") -> list[str]:
    """``n`` excerpts drawn without replacement, in paper order; the same for the same seed.

    ``organisation`` keeps only excerpts whose speaker belongs to ``KADO``, ``EP`` or the
    ``World Bank``. Drawing with ``numpy.random.default_rng(seed)`` makes a class's samples
    reproducible: a student and the instructor get the same excerpts from the same seed.
    """
    from livelihoods import evidence
    from livelihoods.evidence import ORGANISATIONS

    if organisation not in ORGANISATIONS:
        raise ParameterError(f"organisation {organisation!r} is not allowed: expected one of "
                             + ", ".join(map(repr, ORGANISATIONS)))
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError(f"n_excerpts = {n!r} is not allowed: expected an integer of at least 1")
    table = evidence.excerpts_with_respondents().sort_values("order")
    if organisation != "all":
        table = table[table["organisation"] == organisation]
    ids = table["excerpt_id"].tolist()
    if n > len(ids):
        among = "" if organisation == "all" else f" from {organisation}"
        raise ParameterError(f"n_excerpts = {n} is more than the {len(ids)} excerpts{among}: "
                             f"choose at most {len(ids)}")
    chosen = np.random.default_rng(seed).choice(len(ids), size=int(n), replace=False)
    return [ids[i] for i in sorted(chosen)]


def _checked_excerpts(excerpt_ids: Sequence[str]) -> pd.DataFrame:
    """The excerpts' rows, in the order given; an error for an unknown or repeated id."""
    from livelihoods import evidence

    excerpts = evidence.load_excerpts().set_index("excerpt_id", drop=False)
    ids = list(excerpt_ids)
    if not ids:
        raise ParameterError("no excerpts given: a coding sheet needs at least one excerpt")
    unknown = [e for e in ids if e not in excerpts.index]
    if unknown:
        raise ParameterError(f"unknown excerpt id {unknown[0]!r}: expected ids such as {excerpts.index[0]!r}")
    repeated = sorted({e for e in ids if ids.count(e) > 1})
    if repeated:
        raise ParameterError(f"excerpt {repeated[0]!r} is listed twice: list each excerpt once")
    return excerpts.loc[ids]


def blank_sheet(excerpt_ids: Sequence[str]) -> str:
    """A blank coding sheet: ``excerpt_id,code_id,note`` with one line per excerpt, codes empty.

    The student writes a code id next to each excerpt, and adds a line (or a space-separated
    code in the same cell) for every further code. The ``note`` column invites a short memo on
    why: in template analysis the reasons matter as much as the codes.
    """
    rows = _checked_excerpts(excerpt_ids)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["excerpt_id", "code_id", "note"])
    for eid in rows["excerpt_id"]:
        writer.writerow([eid, "", ""])
    return buffer.getvalue()


def blank_sheet_text(excerpt_ids: Sequence[str]) -> str:
    """The same sheet for a spreadsheet: one row per excerpt with who said it and the text.

    Columns ``excerpt_id, attribution, text, code_id, note``; :func:`read_sheet` reads it back
    (``attribution`` and ``text`` are ignored, several codes go in one cell separated by
    spaces). Having the excerpt beside the code cell means the student never needs a second
    window, which is what makes it usable in a spreadsheet or on paper.
    """
    rows = _checked_excerpts(excerpt_ids)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["excerpt_id", "attribution", "text", "code_id", "note"])
    for _, row in rows.iterrows():
        writer.writerow([row["excerpt_id"], row["attribution"], row["text"], "", ""])
    return buffer.getvalue()


def write_blank_sheet(path: str | os.PathLike[str], excerpt_ids: Sequence[str], force: bool = False,
                      wide: bool = False) -> Path:
    """Write a blank sheet (``wide`` for the spreadsheet form) without ever clobbering one.

    A student's filled-in sheet is work: an existing file is replaced only with ``force``, and
    the write is atomic so an interrupted run leaves the old file whole. The wide form is
    written with a BOM so that Excel shows the excerpts' curly quotes and dashes correctly.
    """
    target = Path(path)
    if target.exists() and not force:
        raise LivelihoodsError(f"{target} exists: choose another file name or pass force=True to replace it")
    if wide:
        payload = blank_sheet_text(excerpt_ids).encode("utf-8-sig")
    else:
        payload = blank_sheet(excerpt_ids).encode("utf-8")
    try:
        from livelihoods.files import write_atomic
    except ImportError:  # pragma: no cover - book.py always ships, but keep the fallback honest
        write_atomic = None
    if write_atomic is not None:
        write_atomic(target, payload)
    else:  # pragma: no cover
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(payload)
        os.replace(tmp, target)
    return target


# ======================================================================================
# From codings to presence/absence
# ======================================================================================


def to_level(codings: pd.DataFrame, level: str, codebook: pd.DataFrame | None = None) -> pd.DataFrame:
    """Codings lifted to a level of the template: ``code`` keeps the leaves, ``theme`` their parents.

    Two codes of the same theme on one excerpt become one theme, because at the theme level the
    question is only whether the excerpt speaks to that theme. The column keeps its name
    ``code_id`` so the result feeds the same functions as leaf codings.
    """
    _check_level(level)
    keep = [c for c in ("excerpt_id", "code_id", "coder") if c in codings.columns]
    out = codings[keep].copy()
    if level != "code":
        book = _codebook() if codebook is None else codebook
        mapping = _ancestor_map(level, book)
        unknown = sorted(set(out["code_id"]) - set(mapping))
        if unknown:
            raise ParameterError(f"code {unknown[0]!r} is not a leaf code of the codebook: cannot lift it to level {level!r}")
        out["code_id"] = out["code_id"].map(mapping)
    out = out.drop_duplicates(subset=["excerpt_id", "code_id"]).reset_index(drop=True)
    out.attrs = dict(codings.attrs)
    return out


def presence_matrix(codings: pd.DataFrame, excerpt_ids: Sequence[str], categories: Sequence[str]) -> pd.DataFrame:
    """Excerpts x categories of 0/1: did the coder give this excerpt this category?

    Codings of excerpts outside ``excerpt_ids`` are outside the sample and ignored; a category
    not in ``categories`` is an error, because dropping it would hide a disagreement.
    """
    ids, cats = list(excerpt_ids), list(categories)
    if len(set(ids)) != len(ids):
        raise ParameterError("excerpt_ids lists an excerpt twice: list each excerpt once")
    in_sample = codings[codings["excerpt_id"].isin(ids)]
    stray = sorted(set(in_sample["code_id"]) - set(cats))
    if stray:
        raise ParameterError(f"category {stray[0]!r} is used but not among the categories compared: add it")
    matrix = pd.DataFrame(0, index=pd.Index(ids, name="excerpt_id"), columns=pd.Index(cats, name="category"))
    for eid, cid in zip(in_sample["excerpt_id"], in_sample["code_id"]):
        matrix.loc[eid, cid] = 1
    return matrix


# ======================================================================================
# Agreement
# ======================================================================================


@dataclass(frozen=True, eq=False)
class Agreement:
    """Agreement between coders A and B on a sample of excerpts, at one level of the template.

    ``per_category`` has one row per category with ``n_both, n_a_only, n_b_only, n_neither``,
    ``percent_agreement`` (0-100), ``kappa``, ``alpha`` and ``reason`` (empty when kappa and
    alpha are defined, else why they are not; they are then NaN). The overall figures pool all
    excerpt x category units; the ``mean_*`` figures average over categories (kappa and alpha
    only where defined, ``n_defined`` of them).
    """

    level: str
    coder_a: str
    coder_b: str
    excerpt_ids: tuple[str, ...]
    per_category: pd.DataFrame
    n_units: int
    percent_agreement: float
    kappa: float
    alpha: float
    reason: str
    mean_percent_agreement: float
    mean_kappa: float
    mean_alpha: float
    n_defined: int
    notes: tuple[str, ...] = field(default=())

    @property
    def n_excerpts(self) -> int:
        return len(self.excerpt_ids)

    def summary(self) -> dict[str, Any]:
        """The overall figures as a flat dict (handy for glue and for tests)."""
        return {"level": self.level, "n_excerpts": self.n_excerpts, "n_categories": len(self.per_category),
                "n_units": self.n_units, "percent_agreement": self.percent_agreement, "kappa": self.kappa,
                "alpha": self.alpha, "reason": self.reason, "mean_percent_agreement": self.mean_percent_agreement,
                "mean_kappa": self.mean_kappa, "mean_alpha": self.mean_alpha, "n_defined": self.n_defined}


def _undefined_reason(x: np.ndarray, y: np.ndarray, noun: str, pooled: bool = False) -> str:
    """Why kappa and alpha cannot be computed, or "" when they can.

    Both need variation: kappa is (po - pe) / (1 - pe) and alpha is 1 - Do/De. They are
    undefined exactly when both coders gave every unit the same value (pe = 1 and De = 0):
    neither used the category, or both used it everywhere. One coder using a category on every
    excerpt and the other on none is *defined* (kappa 0, alpha below 0): total disagreement.
    """
    if len(x) == 0:
        return "no excerpts to compare"
    if x.min() == x.max() == y.min() == y.max():
        if x[0] == 0:
            return f"neither coder used any {noun}" if pooled else f"neither coder used this {noun}"
        return f"both coders used every {noun} on every excerpt" if pooled else f"both coders used this {noun} on every excerpt"
    return ""


def _kappa(x: np.ndarray, y: np.ndarray) -> float:
    """Cohen's kappa of two 0/1 vectors (scikit-learn); call only when defined."""
    from sklearn.metrics import cohen_kappa_score

    return float(cohen_kappa_score(x, y, labels=[0, 1]))


def _alpha(x: np.ndarray, y: np.ndarray) -> float:
    """Krippendorff's alpha for nominal data (the ``krippendorff`` package); call only when defined."""
    import krippendorff

    data = np.vstack([x, y]).astype(float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def binary_agreement(x: Sequence[int], y: Sequence[int], noun: str = "code") -> dict[str, Any]:
    """Counts, percent agreement, kappa and alpha for two presence/absence vectors.

    This is the unit of everything else: one category over excerpts, or all excerpt x category
    units pooled. Undefined kappa/alpha are NaN with a ``reason``, never a made-up 0 or 1.
    """
    a, b = np.asarray(x, dtype=int), np.asarray(y, dtype=int)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("the two codings must be vectors of the same length")
    if not set(np.unique(np.concatenate([a, b]))) <= {0, 1}:
        raise ValueError("presence/absence vectors hold only 0 and 1")
    n = len(a)
    out: dict[str, Any] = {
        "n_both": int(((a == 1) & (b == 1)).sum()),
        "n_a_only": int(((a == 1) & (b == 0)).sum()),
        "n_b_only": int(((a == 0) & (b == 1)).sum()),
        "n_neither": int(((a == 0) & (b == 0)).sum()),
    }
    out["percent_agreement"] = 100.0 * (out["n_both"] + out["n_neither"]) / n if n else math.nan
    reason = _undefined_reason(a, b, noun)
    out["kappa"] = math.nan if reason else _kappa(a, b)
    out["alpha"] = math.nan if reason else _alpha(a, b)
    out["reason"] = reason
    return out


def _noun(level: str) -> str:
    return {"code": "code", "theme": "theme", "component": "component"}.get(level, "category")


def _coder_name(codings: pd.DataFrame, default: str) -> str:
    if "coder" in codings.columns and codings["coder"].nunique() == 1:
        return str(codings["coder"].iloc[0])
    return default


def agreement(a: pd.DataFrame, b: pd.DataFrame, excerpt_ids: Sequence[str], level: str = "code",
              categories: Sequence[str] | None = None, notes: Sequence[str] = ()) -> Agreement:
    """Agreement of codings ``a`` and ``b`` on ``excerpt_ids`` at ``level``, per category and pooled.

    Each category is judged as presence/absence per excerpt, the way NVivo's coding comparison
    judges a node per character: both, A only, B only, neither. Categories default to every
    category of the template at that level, so that a code neither coder used appears (as
    undefined) instead of vanishing, and pooled figures are comparable across students. Pass
    ``categories`` to compare anything else (the tests use made-up ones).
    """
    _check_level(level)
    ids = list(excerpt_ids)
    if not ids:
        raise ParameterError("no excerpts to compare: the sample is empty")
    if categories is None:
        book = _codebook()
        cats = level_categories(level, book)
        a_l, b_l = to_level(a, level, book), to_level(b, level, book)
    else:
        cats = list(categories)
        a_l, b_l = to_level(a, level), to_level(b, level)
    ma, mb = presence_matrix(a_l, ids, cats), presence_matrix(b_l, ids, cats)
    noun = _noun(level)
    rows = []
    for cat in cats:
        rows.append({"category": cat, **binary_agreement(ma[cat].to_numpy(), mb[cat].to_numpy(), noun)})
    per = pd.DataFrame(rows, columns=["category", "n_both", "n_a_only", "n_b_only", "n_neither",
                                      "percent_agreement", "kappa", "alpha", "reason"])
    pooled = binary_agreement(ma.to_numpy().ravel(), mb.to_numpy().ravel(), noun)
    if pooled["reason"]:
        pooled["reason"] = _undefined_reason(ma.to_numpy().ravel(), mb.to_numpy().ravel(), noun, pooled=True)
    defined = per[per["reason"] == ""]
    return Agreement(
        level=level,
        coder_a=_coder_name(a, "A"),
        coder_b=_coder_name(b, "B"),
        excerpt_ids=tuple(ids),
        per_category=per,
        n_units=int(ma.size),
        percent_agreement=pooled["percent_agreement"],
        kappa=pooled["kappa"],
        alpha=pooled["alpha"],
        reason=pooled["reason"],
        mean_percent_agreement=float(per["percent_agreement"].mean()) if len(per) else math.nan,
        mean_kappa=float(defined["kappa"].mean()) if len(defined) else math.nan,
        mean_alpha=float(defined["alpha"].mean()) if len(defined) else math.nan,
        n_defined=len(defined),
        notes=tuple(notes),
    )


def compare_sheet(sheet: pd.DataFrame, against: str | pd.DataFrame = "reference", level: str = "code") -> Agreement:
    """Agreement of a student's sheet with the reference coding (or a second sheet).

    The sample is the excerpts the sheet lists: a student who coded 10 excerpts is compared
    on those 10, not marked down for the 25 they were never asked to code. Against a second
    sheet, the sample is the excerpts both sheets list. The report says how many were left out.
    """
    order = _excerpt_order()
    listed = sheet_excerpts(sheet)
    notes: list[str] = []
    if isinstance(against, str) and against == _REFERENCE:
        other = reference_codings()
        sample = sorted(listed, key=order.__getitem__)
        left_out = len(order) - len(sample)
        if left_out:
            notes.append(f"Sample: the {len(sample)} excerpts listed in the sheet; the other {left_out} of the "
                         f"{len(order)} excerpts are not in the sample. The reference coding is restricted to the sample.")
        else:
            notes.append(f"Sample: all {len(order)} excerpts, which the sheet lists.")
    else:
        other = read_sheet(against) if not isinstance(against, pd.DataFrame) else against
        theirs = set(sheet_excerpts(other))
        sample = sorted((e for e in listed if e in theirs), key=order.__getitem__)
        if not sample:
            raise SheetError(f"{_source(other)}: shares no excerpt with {_source(sheet)}: "
                             "the two sheets must code some of the same excerpts")
        only_a = len(listed) - len(sample)
        only_b = len(theirs) - len(sample)
        notes.append(f"Sample: the {len(sample)} excerpts listed in both sheets; left out: {only_a} listed only "
                     f"in A's sheet, {only_b} only in B's sheet.")
    return agreement(sheet, other, sample, level=level, notes=notes)


def _source(codings: pd.DataFrame) -> str:
    return str(codings.attrs.get("source", "the sheet"))


# ======================================================================================
# The report and the command line
# ======================================================================================


def _fmt_stat(value: float) -> str:
    return "undefined" if value != value else f"{value:.3f}"


def _fmt_pct(value: float) -> str:
    return "undefined" if value != value else f"{value:.1f}%"


def _labels() -> dict[str, str]:
    try:
        book = _codebook()
    except Exception:  # the report must still print if the codebook cannot be read
        return {}
    return dict(zip(book["code_id"], book["label"]))


def format_report(result: Agreement) -> str:
    """A plain-text agreement report: the sample, overall figures, then every category.

    Categories are listed from the lowest kappa up (the disagreements worth discussing come
    first), then the undefined ones with their reason. Undefined is written out, never 0 or 1.
    """
    noun = _noun(result.level)
    per = result.per_category.copy()
    lines = [f"Coding agreement at the {result.level} level: A = {result.coder_a}, B = {result.coder_b}"]
    lines += [f"  {note}" for note in result.notes]
    lines.append(f"  {result.n_excerpts} excerpts x {len(per)} {noun}s = {result.n_units} units "
                 f"(a unit: does the excerpt have this {noun}, yes or no).")
    lines.append("")
    lines.append(f"Overall (pooled over all {result.n_units} units)")
    lines.append(f"  percent agreement     {_fmt_pct(result.percent_agreement)}")
    why = f" ({result.reason})" if result.reason else ""
    lines.append(f"  Cohen's kappa         {_fmt_stat(result.kappa)}{why}")
    lines.append(f"  Krippendorff's alpha  {_fmt_stat(result.alpha)}{why}  [nominal]")
    lines.append(f"Mean over {noun}s (kappa and alpha over the {result.n_defined} of {len(per)} {noun}s "
                 "where they are defined)")
    lines.append(f"  percent agreement     {_fmt_pct(result.mean_percent_agreement)}")
    lines.append(f"  Cohen's kappa         {_fmt_stat(result.mean_kappa)}")
    lines.append(f"  Krippendorff's alpha  {_fmt_stat(result.mean_alpha)}")
    lines.append("")
    lines.append(f"Per {noun} (lowest kappa first; undefined last). both/A only/B only/neither count excerpts.")
    per["_undefined"] = per["reason"] != ""
    per = per.sort_values(["_undefined", "kappa", "category"], kind="mergesort", na_position="last")
    width = max([len(noun)] + [len(c) for c in per["category"]]) + 2
    lines.append(f"  {noun:<{width}}{'both':>5}{'A only':>8}{'B only':>8}{'neither':>9}{'agree':>9}"
                 f"{'kappa':>9}{'alpha':>9}")
    for _, row in per.iterrows():
        head = (f"  {row['category']:<{width}}{row['n_both']:>5}{row['n_a_only']:>8}{row['n_b_only']:>8}"
                f"{row['n_neither']:>9}{_fmt_pct(row['percent_agreement']):>9}")
        if row["reason"]:
            lines.append(f"{head}  undefined ({row['reason']})")
        else:
            lines.append(f"{head}{_fmt_stat(row['kappa']):>9}{_fmt_stat(row['alpha']):>9}")
    return "\n".join(lines) + "\n"


def main_agreement(args: Any) -> int:
    """``livelihoods agreement SHEET [--against reference|OTHER_SHEET] [--level theme|code]``."""
    sheet = read_sheet(args.sheet)
    result = compare_sheet(sheet, against=args.against, level=args.level)
    print(format_report(result), end="")
    return 0


# ======================================================================================
# Confusion matrix
# ======================================================================================


def confusion(a: pd.DataFrame, b: pd.DataFrame, excerpt_ids: Sequence[str], level: str = "code",
              categories: Sequence[str] | None = None) -> pd.DataFrame:
    """Excerpts where A used the row category and B the column category, at ``level``.

    An excerpt coded with {x, y} by A and {y, z} by B adds one to (x, y), (x, z), (y, y) and
    (y, z): the diagonal is agreement, off the diagonal is what was read differently. The
    ``(none)`` row and column count excerpts one coder left without any category. Categories
    default to those either coder used, in codebook order, so the heatmap stays readable.
    """
    _check_level(level)
    ids = list(excerpt_ids)
    a_l, b_l = to_level(a, level), to_level(b, level)
    a_l, b_l = a_l[a_l["excerpt_id"].isin(ids)], b_l[b_l["excerpt_id"].isin(ids)]
    if categories is None:
        used = set(a_l["code_id"]) | set(b_l["code_id"])
        try:
            rank = _category_order(_codebook())
        except Exception:
            rank = {}
        cats = sorted(used, key=lambda c: (rank.get(c, len(rank)), c))
    else:
        cats = list(categories)
    labels = cats + [NONE]
    matrix = pd.DataFrame(0, index=pd.Index(labels, name=_coder_name(a, "A")),
                          columns=pd.Index(labels, name=_coder_name(b, "B")))
    by_a = a_l.groupby("excerpt_id")["code_id"].apply(set).to_dict()
    by_b = b_l.groupby("excerpt_id")["code_id"].apply(set).to_dict()
    for eid in ids:
        for row in by_a.get(eid) or {NONE}:
            for col in by_b.get(eid) or {NONE}:
                matrix.loc[row, col] += 1
    return matrix


def plot_confusion(matrix: pd.DataFrame, ax: "matplotlib.axes.Axes | None" = None,
                   title: str | None = None) -> "matplotlib.figure.Figure":
    """Draw a confusion matrix as an annotated heatmap (cividis, counts in the cells).

    Zero cells are left blank so that the few non-zero ones stand out; labels are the codebook's
    labels, wrapped so they stay readable on a phone. Returns the figure; never calls ``show``.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    from livelihoods.analyses.plots import SEQUENTIAL, wrap_labels

    if ax is None:
        size = (max(5.0, 0.6 * len(matrix.columns) + 3.0), max(4.0, 0.45 * len(matrix.index) + 2.5))
        fig, ax = plt.subplots(figsize=size)
    else:
        fig = ax.figure
    names = _labels()
    annot = matrix.map(lambda v: f"{v:d}" if v else "")
    sns.heatmap(matrix, ax=ax, cmap=SEQUENTIAL, annot=annot, fmt="", linewidths=0.5, linecolor="white",
                cbar_kws={"label": "excerpts"}, vmin=0, square=False)
    ax.set_xticklabels(wrap_labels([names.get(c, c) for c in matrix.columns], 18), rotation=45, ha="right",
                       rotation_mode="anchor", fontsize=9)
    ax.set_yticklabels(wrap_labels([names.get(c, c) for c in matrix.index], 22), rotation=0, fontsize=9)
    colorbar = ax.collections[0].colorbar
    if colorbar is not None:  # counts of excerpts: whole numbers only
        from matplotlib.ticker import MaxNLocator

        colorbar.locator = MaxNLocator(integer=True)
        colorbar.update_ticks()
    ax.set_xlabel(f"coded by {matrix.columns.name or 'B'}")
    ax.set_ylabel(f"coded by {matrix.index.name or 'A'}")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


# ======================================================================================
# The dictionary coder
# ======================================================================================


def _normalise(text: str) -> str:
    """Lower case with curly apostrophes straightened, for matching only (the text is never changed)."""
    return text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A whole-word/phrase pattern: no letter or digit may touch either end; any spacing inside."""
    words = _normalise(keyword).split()
    body = r"\s+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w){body}(?!\w)")


def dictionary_code(excerpts: pd.DataFrame, dictionary: pd.DataFrame) -> pd.DataFrame:
    """Code excerpts by keywords: a code applies if any of its keywords occurs as a whole word.

    Deliberately naive and fully transparent (the ``keywords`` column says what matched), so
    the chapter can show what keyword coding catches and what it misses: irony, negation,
    a theme expressed without its usual words. Rows follow the excerpts' order, then the
    dictionary's order of codes; ``coder`` is ``dictionary``.
    """
    for column in ("code_id", "keyword"):
        if column not in dictionary.columns:
            raise DataError("dictionary.csv", f"has no column {column!r}")
    patterns: list[tuple[str, str, re.Pattern[str]]] = []
    for i, (code, keyword) in enumerate(zip(dictionary["code_id"], dictionary["keyword"])):
        if not isinstance(keyword, str) or not keyword.strip():
            raise DataError("dictionary.csv", "the keyword is empty", row=i + 2, column="keyword")
        patterns.append((code, keyword.strip(), _keyword_pattern(keyword)))
    code_order = list(dict.fromkeys(dictionary["code_id"]))
    rows = []
    for eid, text in zip(excerpts["excerpt_id"], excerpts["text"]):
        body = _normalise(str(text))
        hits: dict[str, list[str]] = {}
        for code, keyword, pattern in patterns:
            if pattern.search(body):
                hits.setdefault(code, []).append(keyword)
        for code in code_order:
            if code in hits:
                rows.append({"excerpt_id": eid, "code_id": code, "coder": "dictionary",
                             "keywords": "; ".join(hits[code])})
    return pd.DataFrame(rows, columns=["excerpt_id", "code_id", "coder", "keywords"])


def load_dictionary() -> pd.DataFrame:
    """The keyword dictionary (``data/dictionary.csv``: ``code_id, keyword``)."""
    from livelihoods import evidence

    return evidence.load("dictionary")
