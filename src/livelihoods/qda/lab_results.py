"""The coding lab's comparison, as a student reads it: tables, undefined statistics, conventional bands.

:mod:`.agreement` computes the comparison of a coding with the reference; this module presents it
for the coding-lab chapter (:mod:`.lab` gives the round's sample, sheets and coding to compare):

* :func:`overall_table`, :func:`per_category_table`, :func:`paradox_example` and
  :func:`comparison_table` present the comparison, with undefined statistics written out as
  undefined and the reason beside them (:func:`undefined_markdown`), and :func:`narrow_table` fits
  the per-category tables to a phone;
* :func:`landis_koch` and :func:`krippendorff_reading` name the conventional bands, so that the
  chapter can say what a figure would be called before it asks whether the label means much.
"""

from __future__ import annotations

import math
from typing import Mapping

import pandas as pd

from livelihoods.qda import template
from livelihoods.qda.agreement import Agreement

#: Landis and Koch's (1977) bands for kappa: upper bound (inclusive) and name; below 0 is "poor".
LANDIS_KOCH: tuple[tuple[float, str], ...] = (
    (0.0, "poor"),
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost perfect"),
)

#: Krippendorff's conventional thresholds for alpha.
ALPHA_TENTATIVE, ALPHA_RELIABLE = 0.667, 0.800


def landis_koch(kappa: float) -> str:
    """Landis and Koch's name for a kappa value (they offered the bands as rough benchmarks)."""
    if kappa is None or kappa != kappa:
        return "undefined"
    if kappa < 0:
        return LANDIS_KOCH[0][1]
    for upper, name in LANDIS_KOCH[1:]:
        if kappa <= upper:
            return name
    return LANDIS_KOCH[-1][1]


def krippendorff_reading(alpha: float) -> str:
    """What Krippendorff's conventional thresholds say about an alpha value."""
    if alpha is None or alpha != alpha:
        return "undefined"
    if alpha >= ALPHA_RELIABLE:
        return "at or above 0.8"
    if alpha >= ALPHA_TENTATIVE:
        return "tentative (0.667 to 0.8)"
    return "below 0.667"


def landis_koch_table() -> pd.DataFrame:
    """Landis and Koch's bands for kappa as a table, read from :data:`LANDIS_KOCH` (never retyped)."""

    def number(x: float) -> str:
        return f"{x:.0f}" if float(x).is_integer() else f"{x:.2f}"

    rows = [{"kappa": "below 0", "Landis and Koch's name": LANDIS_KOCH[0][1]}]
    lower = 0.0
    for upper, name in LANDIS_KOCH[1:]:
        rows.append({"kappa": f"{number(lower)} to {number(upper)}", "Landis and Koch's name": name})
        lower = upper + 0.01
    return pd.DataFrame(rows)


#: Shorter headers for the web page's agreement tables, so that they fit a phone's width; the
#: soft hyphens (U+00AD) let a long header break where a column is narrow. The Markdown (PDF)
#: version of a table keeps the full names.
_NARROW_HEADERS: dict[str, str] = {
    "A only": "A",
    "B only": "B",
    "agreement": "agree\u00adment",
    "neither": "nei\u00adther",
}


def narrow_table(df: pd.DataFrame, caption: str):
    """``show.table`` (``chapter.table``) for the per-category agreement tables, made to fit a phone without scrolling.

    Display only: "A only" and "B only" are headed A and B (the caption says what they count),
    long headers may break with a hyphen, and "undefined" may too; the data are unchanged.
    """
    from livelihoods.analyses.show import table

    styler = table(df, caption=caption)
    styler = styler.set_table_styles(
        [{"selector": "th, td", "props": "padding: 0.3em 0.45em 0.3em 0;"}], overwrite=False
    )
    styler = styler.relabel_index([_NARROW_HEADERS.get(c, c) for c in df.columns], axis=1)
    stats = [c for c in ("kappa", "alpha") if c in df.columns]
    if stats:
        styler = styler.format(lambda v: "unde\u00adfined" if v == "undefined" else v, subset=stats)
    return styler


def _pct(value: float) -> str:
    return "undefined" if value != value else f"{value:.1f}%"


def _stat(value: float) -> str:
    return "undefined" if value != value else f"{value:.2f}"


def overall_table(result: Agreement) -> pd.DataFrame:
    """Pooled and mean agreement, each statistic beside its conventional band; undefined says why.

    Statistics are rows and the two summaries columns, so the table stays three columns wide
    and readable on a phone.
    """
    noun = template.noun(result.level)
    why = f" ({result.reason})" if result.reason else ""
    pooled = f"pooled over all {result.n_units} excerpt × {noun} units"
    mean = f"mean over {noun}s (kappa and alpha: the {result.n_defined} of {len(result.per_category)} defined)"
    return pd.DataFrame(
        {
            "statistic": [
                "percentage agreement",
                "Cohen's kappa",
                "Landis and Koch's name",
                "Krippendorff's alpha",
                "Krippendorff's thresholds",
            ],
            pooled: [
                _pct(result.percent_agreement),
                _stat(result.kappa) + why,
                landis_koch(result.kappa),
                _stat(result.alpha) + why,
                krippendorff_reading(result.alpha),
            ],
            mean: [
                _pct(result.mean_percent_agreement),
                _stat(result.mean_kappa),
                landis_koch(result.mean_kappa),
                _stat(result.mean_alpha),
                krippendorff_reading(result.mean_alpha),
            ],
        }
    )


def per_category_table(result: Agreement, collapse_undefined: bool = True) -> pd.DataFrame:
    """One row per category: counts, agreement, kappa and alpha, lowest kappa first, undefined last.

    An undefined kappa or alpha is the word "undefined", never 0 or 1, so a reader never mistakes
    "no evidence either way" for disagreement or for perfect agreement. With ``collapse_undefined``
    (the default), undefined categories with the same counts and reason share one row (a sample
    of ten excerpts leaves most of 33 codes unused, and twenty identical rows would bury the ones
    worth discussing), and :func:`undefined_markdown`, shown under the table, names them with the
    reason; without it, every category has its row and the reason is in an ``undefined because``
    column.
    """
    labels = template.labels()
    noun = template.noun(result.level)
    per = result.per_category.copy()
    per["_undefined"] = per["reason"] != ""
    per = per.sort_values(["_undefined", "kappa", "category"], kind="mergesort", na_position="last")
    counts = ["n_both", "n_a_only", "n_b_only", "n_neither"]

    def row(name: str, first: pd.Series, kappa: str, alpha: str, reason: str) -> dict[str, object]:
        return {
            noun: name,
            "both": int(first["n_both"]),
            "A only": int(first["n_a_only"]),
            "B only": int(first["n_b_only"]),
            "neither": int(first["n_neither"]),
            "agreement": _pct(float(first["percent_agreement"])),
            "kappa": kappa,
            "alpha": alpha,
            "undefined because": reason,
        }

    rows = [
        row(labels.get(r["category"], r["category"]), r, _stat(r["kappa"]), _stat(r["alpha"]), "")
        for _, r in per[~per["_undefined"]].iterrows()
    ]
    undefined = per[per["_undefined"]]
    groups = (
        undefined.groupby(counts + ["reason"], sort=False)
        if collapse_undefined
        else ((None, undefined.loc[[i]]) for i in undefined.index)
    )
    for _, group in groups:
        names = [labels.get(c, c) for c in group["category"]]
        first = group.iloc[0]
        if len(names) == 1:
            rows.append(row(names[0], first, "undefined", "undefined", first["reason"]))
        else:
            rows.append(row(f"{len(names)} {noun}s, see below", first, "undefined", "undefined", first["reason"]))
    columns = [noun, "both", "A only", "B only", "neither", "agreement", "kappa", "alpha", "undefined because"]
    # Collapsed, the reasons go with the names in undefined_markdown; the column would be nearly empty
    # and too wide for a phone.
    return pd.DataFrame(rows, columns=columns[:-1] if collapse_undefined else columns)


def undefined_markdown(result: Agreement) -> str:
    """The categories whose kappa and alpha are undefined, named and grouped by the reason."""
    labels = template.labels()
    per = result.per_category
    undefined = per[per["reason"] != ""]
    if undefined.empty:
        return f"Kappa and alpha are defined for every {template.noun(result.level)} in this comparison."
    parts = []
    for reason, group in undefined.groupby("reason", sort=False):
        names = ", ".join(labels.get(c, c) for c in group["category"])
        parts.append(f"**Undefined because {reason}** ({len(group)}): {names}.")
    return "\n\n".join(parts)


def n_undefined(result: Agreement) -> int:
    """Categories whose kappa and alpha are undefined (typically: neither coder used them)."""
    return int((result.per_category["reason"] != "").sum())


def paradox_rows(result: Agreement, min_percent: float = 90.0, max_kappa: float = 0.4) -> pd.DataFrame:
    """Categories with high agreement but low kappa: the prevalence paradox, in the data.

    For a rarely used category almost every excerpt is "neither", so the coders agree on nearly
    everything while disagreeing on the few excerpts that matter. ``used by either`` (excerpts
    either coder gave the category) shows how rare it is, and ``both`` how often they agreed
    that it applies.
    """
    labels = template.labels()
    per = result.per_category
    hit = per[(per["reason"] == "") & (per["percent_agreement"] >= min_percent) & (per["kappa"] <= max_kappa)]
    rows = [
        {
            template.noun(result.level): labels.get(r["category"], r["category"]),
            "used by either": int(r["n_both"] + r["n_a_only"] + r["n_b_only"]),
            "both": int(r["n_both"]),
            "neither": int(r["n_neither"]),
            "agreement": _pct(r["percent_agreement"]),
            "kappa": _stat(r["kappa"]),
        }
        for _, r in hit.iterrows()
    ]
    return pd.DataFrame(
        rows, columns=[template.noun(result.level), "used by either", "both", "neither", "agreement", "kappa"]
    )


def paradox_example(result: Agreement, fallback: Agreement, fallback_name: str) -> tuple[pd.DataFrame, str]:
    """The paradox rows of this run's comparison, or of ``fallback`` when this run has none.

    Returns the rows and a sentence saying which comparison they come from, so the chapter can
    always show the paradox in real data whatever the parameters.
    """
    rows = paradox_rows(result)
    if len(rows):
        return rows, (
            f"In this run's comparison, {len(rows)} of the {len(result.per_category)} "
            f"{template.noun(result.level)}s agree on at least 90% of the {result.n_excerpts} excerpts "
            "while their kappa is 0.4 or lower."
        )
    rows = paradox_rows(fallback)
    return rows, (
        f"This run's comparison has no {template.noun(result.level)} with at least 90% agreement and a "
        f"kappa of 0.4 or lower, so the table shows {fallback_name}, where {len(rows)} have."
    )


def share_neither(result: Agreement) -> float:
    """Share of all excerpt × category units that neither coder coded: what inflates raw agreement."""
    per = result.per_category
    return float(per["n_neither"].sum() / result.n_units) if result.n_units else math.nan


def comparison_table(results: Mapping[str, Agreement]) -> pd.DataFrame:
    """Several codings' agreement with the reference, side by side (pooled figures).

    One column per coding and one row per statistic, so that the table stays narrow.
    """
    rows = {
        "excerpts": lambda r: str(r.n_excerpts),
        "percentage agreement": lambda r: _pct(r.percent_agreement),
        "Cohen's kappa": lambda r: _stat(r.kappa),
        "Landis and Koch's name": lambda r: landis_koch(r.kappa),
        "Krippendorff's alpha": lambda r: _stat(r.alpha),
        "Krippendorff's thresholds": lambda r: krippendorff_reading(r.alpha),
    }
    table = {"statistic": list(rows)}
    for name, result in results.items():
        table[name] = [get(result) for get in rows.values()]
    return pd.DataFrame(table)
