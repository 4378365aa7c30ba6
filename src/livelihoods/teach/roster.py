"""A class roster: the students' ids (which name their notebooks and seed their samples), checked line by line.

A roster is a UTF-8 CSV with an ``id`` column and, optionally, a ``name``; a learning platform's
gradebook export works too (its ``SIS User ID``, ``Username`` or ``Email address`` column becomes
the id, and the log says which). Every problem is one line naming the file and the line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from livelihoods.errors import LivelihoodsError


@dataclass(frozen=True)
class Student:
    """One row of a roster: the id (used in file names and the seed) and an optional name."""

    id: str
    name: str
    line: int


_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


_ALLOWED_ID = (
    "use ASCII letters, digits, '.', '_' or '-', start with a letter or digit, at most 64 characters, not ending in '.'"
)


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
        raise LivelihoodsError(
            f"roster {path} is a spreadsheet workbook, not CSV: save it as 'CSV UTF-8' and try again"
        )
    if b"\x00" in raw:
        raise LivelihoodsError(f"roster {path} is not a text file: save it as 'CSV UTF-8' and try again")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise LivelihoodsError(
            f"roster {path}, line {line}: not UTF-8 text: save it as 'CSV UTF-8' and try again"
        ) from None
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
        raise LivelihoodsError(
            f"roster {path} holds only delimiters and empty fields, no header: expected a header with an 'id' "
            "column and one row per student"
        )
    header = [c.strip().lower() for c in rows[first]]
    gradebook_ids = ("sis user id", "id number", "student id", "username", "sis login id", "email address", "email")
    id_name = "id" if "id" in header else next((c for c in gradebook_ids if c in header), None)
    if id_name is None:
        found = ", ".join(repr(h) for h in header if h) or "none"
        raise LivelihoodsError(
            f"roster {path} has no 'id' column (found {found}): add a column named 'id', or "
            f"export the gradebook with one of {', '.join(map(repr, gradebook_ids))}"
        )
    if header.count(id_name) > 1:
        raise LivelihoodsError(f"roster {path} has two {id_name!r} columns: keep one")
    id_col = header.index(id_name)
    email = id_name in ("email address", "email")
    if id_name != "id":
        shown = rows[first][id_col].strip()
        import logging

        logging.getLogger(__name__).warning(
            "roster %s has no 'id' column: using its %r column as the students' ids%s",
            path,
            shown,
            " (the part before '@')" if email else "",
        )
    name_col = next((header.index(c) for c in ("name", "student", "full name") if c in header), None)
    first_last = (
        (header.index("first name"), header.index("last name"))
        if name_col is None and {"first name", "last name"} <= set(header)
        else None
    )
    students: list[Student] = []
    seen: dict[str, Student] = {}
    for row, line in zip(rows[first + 1 :], lines[first + 1 :]):
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
            raise LivelihoodsError(
                f"roster {path}, line {line}: id {sid!r} {how} (line {other.line}): ids must be unique"
            )
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


def seed_for(chapter: str, student_id: str, param: Any) -> Any:
    """The per-student value of a chapter's ``seed`` parameter, within what it allows."""
    if param.choices:
        digest = hashlib.sha256(f"{chapter}\x1f{student_id}".encode("utf-8")).digest()
        return param.choices[int.from_bytes(digest[:8], "big") % len(param.choices)]
    if param.kind is not int:
        raise LivelihoodsError(
            f"parameter 'seed' of {chapter} is not an integer in livelihoods.book.registry: cannot derive per-student seeds"
        )
    low = int(param.low) if param.low is not None else 0
    high = int(param.high) if param.high is not None else 2**31 - 1
    return student_seed(chapter, student_id, low, high)
