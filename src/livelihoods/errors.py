"""The package's error types.

Every error a user can cause derives from :class:`LivelihoodsError`, so the command line
can print it as one clear line (no traceback) and exit non-zero, and a notebook shows a
short message that names the input and what is allowed.
"""

from __future__ import annotations


class LivelihoodsError(Exception):
    """A problem with the user's input: printed as one line, never as a traceback."""


class ParameterError(LivelihoodsError, ValueError):
    """A notebook parameter has an unknown name or a value outside what is allowed."""


class DataError(LivelihoodsError, ValueError):
    """A data file is malformed: names the file, the row and the column where possible."""

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column = file, row, column
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")


class SheetError(LivelihoodsError, ValueError):
    """A coding sheet (a student's CSV) cannot be read: says which line and how to fix it."""
