"""Coding sheets: reading and checking a student's CSV, blank sheets to fill in, the sample to code.

* :func:`read_sheet` reads a coding sheet (CSV: ``excerpt_id,code_id``) as exported by any
  spreadsheet program and stops at the first problem with one line naming the file, the line
  and the fix. Nothing is silently dropped: an unknown id is an error, not a skipped row.
* :func:`blank_sheet`, :func:`blank_sheet_text` and :func:`write_blank_sheet` give the student
  something to fill in; :func:`sample_excerpts` draws the excerpts reproducibly.
* :func:`sheet_csv` writes codings back as a sheet (``import-qdpx`` uses it), and
  :func:`is_coding_sheet` recognises such a file, so that ``--force`` replaces only a sheet.

Excerpts a student's sheet does not mention are outside the sample: the comparison runs on the
excerpts the sheet lists (a listed excerpt with an empty ``code_id`` counts as "coded with
nothing").
"""

from __future__ import annotations

import csv
import difflib
import io
import logging
import os
import re
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from livelihoods import evidence
from livelihoods.errors import LivelihoodsError, ParameterError, SheetError
from livelihoods.qda import template

log = logging.getLogger(__name__)

#: The columns a coding sheet must have, and those it may have besides. ``salience`` is the
#: extra column of the project's own ``data/codings.csv`` (read, then ignored).
REQUIRED_COLUMNS: tuple[str, ...] = ("excerpt_id", "code_id")
OPTIONAL_COLUMNS: tuple[str, ...] = ("note", "coder", "attribution", "text", "salience")

#: Several codes may share one cell of a sheet, separated by spaces, commas, semicolons or bars
#: (code ids are snake_case, so none of these can occur inside one).
_CODE_SEPARATORS = re.compile(r"[\s,;|]+")


def _read_text(path: Path) -> str:
    """The sheet's text, decoded as UTF-8 (with or without BOM); a clear error otherwise."""
    if not path.exists():
        raise SheetError(f"{path}: no such file: check the path and the file name")
    if path.is_dir():
        raise SheetError(f"{path}: is a folder, not a coding sheet: give the path of the CSV file")
    raw = path.read_bytes()
    if raw.startswith(b"PK\x03\x04"):
        raise SheetError(
            f"{path}: is a spreadsheet workbook (.xlsx or .ods), not a CSV file: save it with 'Save as' > 'CSV UTF-8'"
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SheetError(f"{path}: is UTF-16 text ('Unicode text'), not UTF-8: save the sheet as 'CSV UTF-8'")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise SheetError(
            f"{path}, line {line}: is not UTF-8 text (byte 0x{raw[err.start]:02x}): "
            "save the sheet as 'CSV UTF-8' in your spreadsheet program"
        ) from None


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
        raise SheetError(
            f"{path}, line {reader.line_num}: cannot be read as CSV ({err}): "
            "check the quotes on that line, or save the sheet again as 'CSV UTF-8'"
        ) from None
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
        raise SheetError(
            f"{path}, line {line}: starts with data, not a header: insert the line "
            f"'excerpt_id{delimiter}code_id' at the top of the sheet"
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    unknown = [c for c in names if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    shown = delimiter.join(cells).strip()
    if missing or unknown:
        problem = f"has no column {missing[0]!r}" if missing else f"has an unexpected column {unknown[0]!r}"
        raise SheetError(
            f"{path}, line {line}: the header {shown!r} {problem}: a coding sheet has {expected}; "
            f"make line {line} read 'excerpt_id{delimiter}code_id'"
        )
    repeated = sorted({c for c in names if names.count(c) > 1})
    if repeated:
        raise SheetError(f"{path}, line {line}: the header has the column {repeated[0]!r} twice: keep one of them")
    return {name: i for i, name in enumerate(names) if name}


def _check_code(code: str, line: int, path: Path, codebook: pd.DataFrame) -> None:
    """A code in a sheet must be a leaf of the template (the level the reference codes at)."""
    level_of = dict(zip(codebook["code_id"], codebook["level"]))
    if code not in level_of:
        leaves = codebook.loc[codebook["level"] == "code", "code_id"]
        raise SheetError(
            f"{path}, line {line}: unknown code id {code!r}{_suggest(code, codebook['code_id'])}: "
            f"use a code id from the codebook (one of the {len(leaves)} codes, e.g. {leaves.iloc[0]!r})"
        )
    if level_of[code] != "code":
        under = template.leaves_under(code, codebook)
        raise SheetError(
            f"{path}, line {line}: {code!r} is a {level_of[code]}, not a code: sheets use the "
            f"finest level; use one of the codes under it: {', '.join(under)}"
        )


def read_sheet(
    path: str | os.PathLike[str],
    *,
    known_excerpts: Iterable[str] | None = None,
    codebook: pd.DataFrame | None = None,
    allow_blank: bool = False,
) -> pd.DataFrame:
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
    The excerpts the sheet mentions are kept in ``result.attrs["excerpt_ids"]``, and the notes on
    each excerpt (those on lines without a code included) in ``result.attrs["notes"]``.
    """
    path = Path(path)
    text = _read_text(path)
    if not text.strip():
        raise SheetError(
            f"{path}: is empty: a coding sheet needs the header 'excerpt_id,code_id' and one line per excerpt and code"
        )
    if known_excerpts is None:
        known_excerpts = template.excerpt_order()
    known = set(known_excerpts)
    book = evidence.load_codebook() if codebook is None else codebook
    labels = {str(label).lower(): cid for cid, label in zip(book["code_id"], book["label"])}

    delimiter = _sniff_delimiter(text)
    records = _records(text, delimiter, path)
    (header_line, header_cells), rows = records[0], records[1:]
    columns = _parse_header(header_cells, header_line, path, known, delimiter)
    width = max(columns.values()) + 1

    mentioned: list[str] = []
    notes: dict[str, list[str]] = {}
    seen: dict[tuple[str, str], int] = {}
    out: list[dict[str, str]] = []
    for line, cells in rows:
        extra = [c for c in cells[width:] if c]
        if extra:
            raise SheetError(
                f"{path}, line {line}: has {len(cells)} fields but the header has {width} columns: "
                f"remove the extra field {extra[0]!r}, or put a note that contains "
                f"{delimiter!r} in double quotes"
            )
        cells = cells + [""] * (width - len(cells))
        excerpt, code_cell = cells[columns["excerpt_id"]], cells[columns["code_id"]]
        if not excerpt:
            raise SheetError(
                f"{path}, line {line}: the excerpt_id is empty (code_id {code_cell!r}): "
                "write the excerpt's id (such as EX01) on that line"
            )
        if excerpt not in known:
            ids = sorted(known)
            span = f"{ids[0]}..{ids[-1]}" if ids else "none"
            raise SheetError(
                f"{path}, line {line}: unknown excerpt id {excerpt!r}{_suggest(excerpt, ids)}: "
                f"use an excerpt id from the sample ({span})"
            )
        if excerpt not in mentioned:
            mentioned.append(excerpt)
        note = " ".join(cells[columns["note"]].split()) if "note" in columns else ""
        if note and note not in notes.setdefault(excerpt, []):
            notes[excerpt].append(note)
        if code_cell.lower() in labels and code_cell not in labels.values():
            raise SheetError(
                f"{path}, line {line}: {code_cell!r} is a label, not a code id: "
                f"write its id {labels[code_cell.lower()]!r}"
            )
        for code in (c for c in _CODE_SEPARATORS.split(code_cell) if c):
            _check_code(code, line, path, book)
            if (excerpt, code) in seen:
                first = seen[(excerpt, code)]
                where = "earlier on the same line" if first == line else f"first on line {first}"
                raise SheetError(
                    f"{path}, line {line}: {excerpt} is coded {code!r} twice ({where}): delete one of the two"
                )
            seen[(excerpt, code)] = line
            row = {
                "excerpt_id": excerpt,
                "code_id": code,
                "line": line,
                "coder": cells[columns["coder"]] if "coder" in columns else "",
            }
            if "note" in columns:
                row["note"] = cells[columns["note"]]
            out.append(row)

    if not rows:
        raise SheetError(
            f"{path}: has a header but no codings: add one line per excerpt and code, "
            f"such as 'EX01{delimiter}{book.loc[book['level'] == 'code', 'code_id'].iloc[0]}'"
        )
    if not out and not allow_blank:
        raise SheetError(
            f"{path}: lists {len(mentioned)} excerpt(s) but no code_id is filled in: write a code id "
            "from the codebook next to each excerpt you code"
        )
    frame = pd.DataFrame(out, columns=["excerpt_id", "code_id", "coder", "line", "note"][: 4 + ("note" in columns)])
    coders = list(dict.fromkeys(c for c in frame["coder"] if c))
    if len(coders) > 1:
        line = int(frame.loc[frame["coder"] == coders[1], "line"].iloc[0])
        raise SheetError(
            f"{path}, line {line}: a second coder {coders[1]!r} after {coders[0]!r}: "
            "a sheet holds one coder's coding; give each coder a sheet of their own"
        )
    if coders and (frame["coder"] == "").any():
        line = int(frame.loc[frame["coder"] == "", "line"].iloc[0])
        raise SheetError(f"{path}, line {line}: the coder is empty: fill in {coders[0]!r} or delete the coder column")
    frame["coder"] = coders[0] if coders else path.stem
    columns_out = ["excerpt_id", "code_id", "coder"] + (["note"] if "note" in columns else [])
    frame = frame[columns_out]
    frame.attrs["excerpt_ids"] = list(mentioned)
    frame.attrs["notes"] = {e: "; ".join(n) for e, n in notes.items() if n}
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

    if organisation not in evidence.organisations():
        raise ParameterError(
            f"organisation {organisation!r} is not allowed: expected one of "
            + ", ".join(map(repr, evidence.organisations()))
        )
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError(f"n_excerpts = {n!r} is not allowed: expected an integer of at least 1")
    table = evidence.excerpts_with_respondents().sort_values("order")
    if organisation != "all":
        table = table[table["organisation"] == organisation]
    ids = table["excerpt_id"].tolist()
    if n > len(ids):
        among = "" if organisation == "all" else f" from {organisation}"
        raise ParameterError(f"n_excerpts = {n} is more than the {len(ids)} excerpts{among}: choose at most {len(ids)}")
    chosen = np.random.default_rng(seed).choice(len(ids), size=int(n), replace=False)
    return [ids[i] for i in sorted(chosen)]


def _checked_excerpts(excerpt_ids: Sequence[str]) -> pd.DataFrame:
    """The excerpts' rows, in the order given; an error for an unknown or repeated id."""
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


def write_blank_sheet(
    path: str | os.PathLike[str], excerpt_ids: Sequence[str], force: bool = False, wide: bool = False
) -> Path:
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
    from livelihoods.files import write_atomic

    write_atomic(target, payload)
    return target


# ======================================================================================
# Sheets written by the package
# ======================================================================================


def sheet_csv(codings: pd.DataFrame, excerpt_ids: Iterable[str] | None = None) -> str:
    """A coding sheet (``excerpt_id,code_id``) in paper order; a listed excerpt without codes gets an
    empty ``code_id`` (the coding lab reads that as "coded with nothing")."""
    ids = list(excerpt_ids if excerpt_ids is not None else codings.attrs.get("excerpt_ids", []))
    by_excerpt: dict[str, list[str]] = {}
    for row in codings[["excerpt_id", "code_id"]].drop_duplicates().itertuples():
        by_excerpt.setdefault(row.excerpt_id, []).append(row.code_id)
    lines = ["excerpt_id,code_id"]
    for excerpt_id in dict.fromkeys([*ids, *by_excerpt]):
        lines += [f"{excerpt_id},{code_id}" for code_id in by_excerpt.get(excerpt_id, [])] or [f"{excerpt_id},"]
    return "\n".join(lines) + "\n"


def is_coding_sheet(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` is a file whose header is a coding sheet's (``excerpt_id``, ``code_id`` and
    only the columns a sheet may have): what ``--force`` may replace with a new sheet.

    Only the first 64 KiB are read, so a large or binary file costs nothing.
    """
    p = Path(path)
    if not p.is_file() or p.is_symlink():
        return False
    try:
        with p.open("rb") as handle:
            head = handle.read(65536)
        text = (
            head.decode("utf-8-sig", errors="strict")
            if len(head) < 65536
            else head.decode("utf-8-sig", errors="ignore")
        )
    except (OSError, UnicodeDecodeError):
        return False
    first = next((line for line in text.splitlines() if line.strip()), "")
    names = [c.strip().strip('"').lower() for c in first.split(_sniff_delimiter(first))]
    while names and not names[-1]:
        names.pop()
    return set(REQUIRED_COLUMNS) <= set(names) and set(names) <= set(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
