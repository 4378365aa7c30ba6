"""Where two codings part: excerpt by excerpt, and as a matrix of which category met which.

* :func:`differences` lists, for each excerpt where the codings differ, the categories both gave,
  those only A gave and those only B gave, with the coder's note: the feedback a student reads.
* :func:`disagreement_matrix` and :func:`plot_disagreements` show the same as a confusion matrix
  for multi-coded excerpts, and :func:`excerpt_opening` gives an excerpt's first words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Sequence

import pandas as pd

from livelihoods.qda import template
from livelihoods.qda.agreement import Agreement

if TYPE_CHECKING:
    import matplotlib.figure


@dataclass(frozen=True)
class Difference:
    """One excerpt the two codings treat differently, at the compared level."""

    excerpt_id: str
    both: tuple[str, ...]
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    note: str = ""

    @property
    def disputed(self) -> tuple[str, ...]:
        """The categories one coder gave and the other did not, A's first."""
        return self.only_a + self.only_b


def sheet_notes(sheet: pd.DataFrame | None) -> dict[str, str]:
    """Excerpt id -> the coder's note(s) on it (distinct non-empty notes joined), from a sheet's ``note`` column.

    A sheet read by :func:`.sheets.read_sheet` carries them in ``attrs["notes"]``, with the notes on
    excerpts left without a code.
    """
    if sheet is None:
        return {}
    if "notes" in sheet.attrs:
        return dict(sheet.attrs["notes"])
    if "note" not in sheet.columns:
        return {}
    out: dict[str, list[str]] = {}
    for eid, note in zip(sheet["excerpt_id"], sheet["note"]):
        text = " ".join(str(note).split())
        if text and text not in out.setdefault(str(eid), []):
            out[str(eid)].append(text)
    return {eid: "; ".join(notes) for eid, notes in out.items() if notes}


def differences(result: Agreement, notes: Mapping[str, str] | None = None) -> list[Difference]:
    """The excerpts of a comparison where A and B differ, in paper order, with A's notes.

    Read from the codings the comparison kept (``result.a``, ``result.b``: at its level, on its
    sample), so the list matches the per-category counts exactly.
    """
    if result.a is None or result.b is None:
        raise ValueError("this Agreement does not carry its codings: compute it with agreement.compare")
    mine, theirs = template.codes_by_excerpt(result.a, "code"), template.codes_by_excerpt(result.b, "code")
    notes = notes or {}
    out = []
    for eid in result.excerpt_ids:
        a, b = mine.get(eid, []), theirs.get(eid, [])
        if a == b:
            continue
        out.append(
            Difference(
                eid,
                tuple(c for c in a if c in b),
                tuple(c for c in a if c not in b),
                tuple(c for c in b if c not in a),
                notes.get(eid, ""),
            )
        )
    return out


def excerpt_opening(text: str, words: int = 12) -> str:
    """The first ``words`` words of an excerpt, with an ellipsis when there is more."""
    parts = str(text).split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + " …"


NOTHING = "(nothing)"


def disagreement_matrix(
    a: pd.DataFrame, b: pd.DataFrame, excerpt_ids: Sequence[str], level: str = "code", focus: bool = True
) -> pd.DataFrame:
    """Which category coder A gave where coder B gave which: a confusion matrix for multi-coded excerpts.

    Per excerpt, a category both coders gave counts once on the diagonal. The categories only A
    gave are paired with those only B gave (each pair adds one): one coder read the excerpt as X
    where the other read it as Y. A category one coder added with nothing in its place on the
    other side is paired with ``(nothing)``. An agreed code is never crossed with the other codes of
    the same excerpt, so every off-diagonal count is a disagreement. With ``focus``, only categories involved in some disagreement are
    kept (the per-category table lists the rest). Rows and columns follow the codebook.
    """
    ids = list(excerpt_ids)
    mine, theirs = template.codes_by_excerpt(a, level), template.codes_by_excerpt(b, level)
    counts: dict[tuple[str, str], int] = {}

    def add(row: str, col: str) -> None:
        counts[(row, col)] = counts.get((row, col), 0) + 1

    for eid in ids:
        x, y = mine.get(eid, []), theirs.get(eid, [])
        for cat in (c for c in x if c in y):
            add(cat, cat)
        only_a, only_b = [c for c in x if c not in y], [c for c in y if c not in x]
        for r in only_a or [NOTHING]:
            for c in only_b or [NOTHING]:
                if (r, c) != (NOTHING, NOTHING):
                    add(r, c)
    rank = template.category_order()
    involved = {k for pair in counts if pair[0] != pair[1] for k in pair} - {NOTHING}
    used = {k for pair in counts for k in pair} - {NOTHING}
    cats = sorted(involved if focus else used, key=lambda c: (rank.get(c, len(rank)), c))
    rows, cols = cats + [NOTHING], cats + [NOTHING]
    matrix = pd.DataFrame(
        0,
        index=pd.Index(rows, name=template.coder_name(a, "A")),
        columns=pd.Index(cols, name=template.coder_name(b, "B")),
    )
    for (r, c), n in counts.items():
        if r in matrix.index and c in matrix.columns:
            matrix.loc[r, c] = n
    return matrix


def plot_disagreements(
    matrix: pd.DataFrame, rows: str | None = None, columns: str | None = None
) -> "matplotlib.figure.Figure":
    """The disagreement matrix as an annotated heatmap, at most 7 inches wide, zero cells left white.

    Counts are printed in the cells, so nothing depends on the colour scale (cividis, which is
    readable with the common colour-vision deficiencies) and no colour bar is needed. ``rows`` and
    ``columns`` name the two codings on the axes as the chapter's caption does ("the sheet", "the
    reference coding"); without them the axes say "coded by" and the coder names of the matrix.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    from livelihoods.analyses.plots import SEQUENTIAL, wrap_labels

    labels = template.labels()
    n_rows, n_cols = matrix.shape
    small = max(n_rows, n_cols) <= 10
    # Compact, so that text stays legible when a phone scales the image down; no colour bar: the
    # counts are printed in the cells.
    fig, ax = plt.subplots(figsize=(min(7.0, 2.4 + 0.42 * n_cols), min(8.0, 2.4 + (0.48 if small else 0.36) * n_rows)))
    if int(matrix.to_numpy().sum()) == 0:
        ax.text(
            0.5,
            0.5,
            "no disagreements: the two codings are identical",
            ha="center",
            va="center",
            fontsize=12,
            transform=ax.transAxes,
        )
        ax.set_axis_off()
        return fig
    annot = matrix.map(lambda v: f"{v:d}" if v else "")
    sns.heatmap(
        matrix,
        ax=ax,
        cmap=SEQUENTIAL,
        annot=annot,
        fmt="",
        mask=matrix == 0,
        linewidths=0.8,
        linecolor="#dddddd",
        cbar=False,
        vmin=0,
        vmax=max(2, int(matrix.to_numpy().max())),
        annot_kws={"fontsize": 12 if small else 10},
    )
    ax.grid(False)
    ax.set_facecolor("white")
    font = 12 if small else 10
    ax.set_xticks([i + 0.5 for i in range(n_cols)])
    ax.set_yticks([i + 0.5 for i in range(n_rows)])
    width = 22 if small else 40  # many rows: one line per label, or neighbouring labels collide
    ax.set_xticklabels(
        wrap_labels([labels.get(c, c) for c in matrix.columns], width),
        rotation=90,
        ha="center",
        va="top",
        fontsize=font,
    )
    ax.set_yticklabels(wrap_labels([labels.get(c, c) for c in matrix.index], width), rotation=0, fontsize=font)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(True)
        ax.spines[side].set_color("#999999")
    ax.set_xlabel(columns or f"coded by {matrix.columns.name or 'B'}", fontsize=13)
    ax.set_ylabel(rows or f"coded by {matrix.index.name or 'A'}", fontsize=13)
    fig.tight_layout()
    return fig
