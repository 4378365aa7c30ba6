"""One lookup layer over the evidence base: a figure, a context value, a [sic] note, the organisations.

Why one place: chapters A, E1, E2, E4 and G all read numbers from ``data/figures.csv`` and
``data/context.csv``; three copies of the same lookup had drifted apart (different defaults,
different errors). Every lookup here refuses an ambiguous or missing row with one line that says
which row was asked for and what to give instead.
"""

from __future__ import annotations

import pandas as pd

from livelihoods.errors import DataError, ParameterError
import livelihoods.evidence.loaders as loaders

_CURRENCY_PREFIX = {"USD": "US\\$", "PKR": "PKR "}


def organisations() -> tuple[str, ...]:
    """The values of every chapter's ``organisation`` parameter: ``"all"``, then each organisation whose
    respondents the paper quotes, in the order of ``respondents.csv``'s schema (KADO, EP, World Bank)."""
    column = loaders.load_respondents()["organisation"]
    return ("all", *(str(c) for c in column.cat.categories))


def figure(figure_id: str) -> pd.Series:
    """One row of ``data/figures.csv`` (a number the paper states), by its id."""
    figures = loaders.load_figures().set_index("figure_id", drop=False)
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
    ctx = loaders.load_context()
    rows = ctx[ctx["indicator_code"] == indicator_code]
    if year is not None:
        rows = rows[rows["year"] == year]
    if vintage is not None:
        rows = rows[rows["vintage"] == vintage]
    if len(rows) != 1:
        asked = (
            f"{indicator_code!r}"
            + (f", year {year}" if year is not None else "")
            + (f", vintage {vintage!r}" if vintage is not None else "")
        )
        fix = "give the year and the vintage" if len(rows) > 1 else "check the indicator code, year and vintage"
        raise ParameterError(
            f"context figure {asked} matches {len(rows)} rows of data/context.csv: expected exactly one; {fix}"
        )
    return float(rows["value"].iloc[0])


def labels(kind: str) -> dict[str, str]:
    """Every label of one kind (``data/labels.csv``), key -> label, in the file's order."""
    table = loaders.load_labels()
    rows = table[table["kind"] == kind]
    if rows.empty:
        known = ", ".join(dict.fromkeys(table["kind"].astype(str)))
        raise DataError("labels.csv", f"has no labels of kind {kind!r}: expected one of {known}", column="kind")
    return {str(k): ("" if pd.isna(v) else str(v)) for k, v in zip(rows["key"], rows["label"])}


def label(kind: str, key: str) -> str:
    """One label (``data/labels.csv``); an unknown key is one line naming the kind and the keys it has."""
    found = labels(kind)
    if key not in found:
        raise ParameterError(f"{key!r} has no {kind} label in data/labels.csv: expected one of {', '.join(found)}")
    return found[key]


def _sic_row(item_id: str) -> pd.Series | None:
    table = loaders.load_sic_notes().set_index("item_id", drop=False)
    return table.loc[item_id] if item_id in table.index else None


def sic_note(item_id: str) -> str:
    """The note to print after a quotation whose printed text has a slip (``data/sic_notes.csv``), or ``""``.

    Why: EX07 prints "US$12,00015,000" and the guide's question 6 says "existing" for "exist"; the
    quotation must stay as printed, but a reader should not have to guess. A ``{range}`` in the note
    is read from the row of ``data/figures.csv`` the slip names.
    """
    row = _sic_row(item_id)
    if row is None:
        return ""
    note = str(row["note"])
    if "{range}" in note and pd.notna(row["figure_id"]) and row["figure_id"]:
        low, high = figure_range(str(row["figure_id"]))
        prefix = _CURRENCY_PREFIX.get(str(figure(str(row["figure_id"]))["currency"]), "")
        note = note.replace("{range}", f"{prefix}{low:,.0f}–{high:,.0f}")
    return f"*[sic: {note}]*"


def printed_marker(question_id: str) -> str:
    """A guide question's section marker as printed, where the guide prints it otherwise than ``[Section X]``."""
    row = _sic_row(question_id)
    if row is None or pd.isna(row["printed_marker"]):
        return ""
    return str(row["printed_marker"])
