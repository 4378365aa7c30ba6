"""Reading one CSV of the data package: rows with their line numbers, cells typed as the schema says.

The helpers :mod:`livelihoods.evidence.tables` builds its loaders on: every error names the file,
the line and the column (:func:`data_error`), so a mistake in ``data/`` is one line to fix.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from typing import Any
from livelihoods.errors import DataError


_TRUE = {"true", "True", "TRUE", "1"}


_FALSE = {"false", "False", "FALSE", "0"}


_INT_RE = re.compile(r"[+-]?[0-9]+")


def where(line: int) -> str:
    return f" [line {line} of the file; the header is line 1]"


def data_error(file: str, message: str, line: int | None = None, column: str | None = None) -> DataError:
    """A DataError whose ``row`` is the CSV line number (header = line 1)."""
    if line is not None:
        message += where(line)
    return DataError(file, message, row=line, column=column)


def read_rows(file: str, path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, data rows and the CSV line on which each row starts."""
    if not path.is_file():
        raise DataError(file, f"not found in {path.parent}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise data_error(file, f"is not valid UTF-8 ({exc.reason})", line) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    start = 1
    try:
        for row in reader:
            if header is None:
                header = row
            elif row:  # a blank line is not a record
                rows.append(row)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise data_error(file, f"cannot be parsed as CSV ({exc})", reader.line_num) from None
    if header is None:
        raise data_error(file, "is empty (no header)", 1)
    return header, rows, lines


def parse_cell(value: str, field: dict[str, Any]) -> Any:
    """Parse one non-empty cell by its Table Schema type; raise ValueError with a reason."""
    kind = field.get("type", "string")
    if kind == "string":
        return value
    if kind == "integer":
        if not _INT_RE.fullmatch(value):
            raise ValueError(f"{value!r} is not an integer")
        return int(value)
    if kind == "number":
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a number") from None
        if math.isnan(number):
            raise ValueError(f"{value!r} is not a number")
        return number
    if kind == "boolean":
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ValueError(f"{value!r} is not a boolean (use true or false)")
    raise ValueError(f"field type {kind!r} is not supported by livelihoods.evidence")


def check_constraints(value: Any, raw: str, field: dict[str, Any]) -> str | None:
    c = field.get("constraints", {})
    if "enum" in c and raw not in c["enum"]:
        allowed = ", ".join(repr(v) for v in c["enum"])
        return f"{raw!r} is not allowed; use one of {allowed}"
    if "pattern" in c and not re.fullmatch(c["pattern"], raw):
        return f"{raw!r} does not match the pattern {c['pattern']}"
    if "minLength" in c and len(raw) < c["minLength"]:
        return f"{raw!r} is shorter than {c['minLength']} characters"
    if "minimum" in c and value < c["minimum"]:
        return f"{raw} is below the minimum {c['minimum']}"
    if "maximum" in c and value > c["maximum"]:
        return f"{raw} is above the maximum {c['maximum']}"
    return None


def as_list(x: str | list[str]) -> list[str]:
    return [x] if isinstance(x, str) else list(x)
