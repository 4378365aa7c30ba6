"""One lookup layer over the evidence base: a figure, a context value, a [sic] note, the organisations.

Why one place: chapters A, E1, E2, E4 and G all read numbers from ``data/figures.csv`` and
``data/context.csv``; three copies of the same lookup had drifted apart (different defaults,
different errors). Every lookup here refuses an ambiguous or missing row with one line that says
which row was asked for and what to give instead.
"""

from __future__ import annotations

import pandas as pd

from livelihoods.errors import DataError, ParameterError
from livelihoods.evidence import tables

#: Excerpts whose printed text drops a range dash, with the figures.csv row that reads the range
#: (data/README.md, "Oddities"). The quotation stays verbatim; :func:`sic_note` tells the reader.
_MISSING_RANGE_DASH: dict[str, str] = {"EX07": "F23"}

_CURRENCY_PREFIX = {"USD": "US\\$", "PKR": "PKR "}

#: The values of every chapter's ``organisation`` parameter: all respondents, or one organisation's.
ORGANISATIONS = ("all", "KADO", "EP", "World Bank")


def figure(figure_id: str) -> pd.Series:
    """One row of ``data/figures.csv`` (a number the paper states), by its id."""
    figures = tables.load_figures().set_index("figure_id", drop=False)
    if figure_id not in figures.index:
        raise DataError("figures.csv", f"has no figure {figure_id!r}: expected an id such as F23", column="figure_id")
    return figures.loc[figure_id]


def figure_range(figure_id: str) -> tuple[float, float]:
    """The (low, high) of a number the paper states, as floats (a point value gives low == high)."""
    row = figure(figure_id)
    return float(row["low"]), float(row["high"])


def context_value(indicator_code: str, year: int | None = None, vintage: str | None = None) -> float:
    """One public context figure from ``data/context.csv`` (never a figure from the study).

    ``year`` and ``vintage`` narrow the rows (a release where several exist, e.g. ``"2026-07
    release"``); what is left must be exactly one row, so a chapter cannot silently take one
    revision of a series, or one year, for another.
    """
    ctx = tables.load_context()
    rows = ctx[ctx["indicator_code"] == indicator_code]
    if year is not None:
        rows = rows[rows["year"] == year]
    if vintage is not None:
        rows = rows[rows["vintage"] == vintage]
    if len(rows) != 1:
        asked = f"{indicator_code!r}" + (f", year {year}" if year is not None else "") + (
            f", vintage {vintage!r}" if vintage is not None else "")
        fix = "give the year and the vintage" if len(rows) > 1 else "check the indicator code, year and vintage"
        raise ParameterError(f"context figure {asked} matches {len(rows)} rows of data/context.csv: "
                             f"expected exactly one; {fix}")
    return float(rows["value"].iloc[0])


def sic_note(excerpt_id: str) -> str:
    """A short note to print after a quotation whose printed text has a slip, or ``""``.

    Why: EX07 prints "US$12,00015,000"; the quotation must stay as printed, but a reader should
    not have to guess that it means a range. The range itself is read from ``data/figures.csv``.
    """
    figure_id = _MISSING_RANGE_DASH.get(excerpt_id)
    if figure_id is None:
        return ""
    low, high = figure_range(figure_id)
    prefix = _CURRENCY_PREFIX.get(str(figure(figure_id)["currency"]), "")
    return f"*[sic: the paper prints the range without its dash; read {prefix}{low:,.0f}–{high:,.0f}]*"
