"""Agreement between two codings: percentage, Cohen's kappa and Krippendorff's alpha.

:func:`compare` compares two codings as presence/absence of each category per excerpt (the
unit NVivo's coding comparison uses, with excerpts instead of characters): percentage agreement,
Cohen's kappa and Krippendorff's alpha (nominal), per category and pooled. When a statistic is
undefined (no variation at all: neither coder used the code) it is reported as undefined with
its reason, never as 0 or 1, because either number would be a claim the data cannot support.

The statistics are computed from the four counts of a category (both, A only, B only, neither),
so that one student or a class of two hundred costs the same few array operations: with two
coders, two values and no missing answers, kappa is (po - pe) / (1 - pe) and alpha is
1 - (2N - 1) d / (n0 n1). The tests check both against scikit-learn's ``cohen_kappa_score`` and
the ``krippendorff`` package, which the class report uses for its many-coder alpha.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd

from livelihoods.errors import ParameterError, SheetError
from livelihoods.qda import template
from livelihoods.qda.sheets import read_sheet, sheet_excerpts

COUNTS = ("n_both", "n_a_only", "n_b_only", "n_neither")


@dataclass(frozen=True, eq=False)
class Agreement:
    """Agreement between coders A and B on a sample of excerpts, at one level of the template.

    ``per_category`` has one row per category with ``n_both, n_a_only, n_b_only, n_neither``,
    ``percent_agreement`` (0-100), ``kappa``, ``alpha`` and ``reason`` (empty when kappa and
    alpha are defined, else why they are not; they are then NaN). The overall figures pool all
    excerpt x category units; the ``mean_*`` figures average over categories (kappa and alpha
    only where defined, ``n_defined`` of them). ``a`` and ``b`` are the two codings at the
    compared level, restricted to the sample (what the per-excerpt feedback reads).
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
    a: pd.DataFrame | None = None
    b: pd.DataFrame | None = None

    @property
    def n_excerpts(self) -> int:
        return len(self.excerpt_ids)

    def summary(self) -> dict[str, Any]:
        """The overall figures as a flat dict (handy for glue and for tests)."""
        return {
            "level": self.level,
            "n_excerpts": self.n_excerpts,
            "n_categories": len(self.per_category),
            "n_units": self.n_units,
            "percent_agreement": self.percent_agreement,
            "kappa": self.kappa,
            "alpha": self.alpha,
            "reason": self.reason,
            "mean_percent_agreement": self.mean_percent_agreement,
            "mean_kappa": self.mean_kappa,
            "mean_alpha": self.mean_alpha,
            "n_defined": self.n_defined,
        }


def statistics(both: Any, a_only: Any, b_only: Any, neither: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Percent agreement (0-100), Cohen's kappa and Krippendorff's alpha (nominal) from the counts.

    Vectorised: each argument may be a number or an array (one entry per category, student or
    pair). Kappa and alpha are NaN where they are undefined: no unit at all, or both coders gave
    every unit the same value (chance agreement 1, expected disagreement 0).
    """
    both, a_only, b_only, neither = (np.asarray(v, dtype=float) for v in (both, a_only, b_only, neither))
    n = both + a_only + b_only + neither
    with np.errstate(divide="ignore", invalid="ignore"):
        po = (both + neither) / n
        pa, pb = (both + a_only) / n, (both + b_only) / n
        pe = pa * pb + (1 - pa) * (1 - pb)
        kappa = np.where(np.isclose(pe, 1.0) | (n == 0), np.nan, (po - pe) / (1 - pe))
        n1 = 2 * both + a_only + b_only
        n0 = 2 * n - n1
        alpha = np.where(n0 * n1 == 0, np.nan, 1 - (2 * n - 1) * (a_only + b_only) / (n0 * n1))
        percent = np.where(n == 0, np.nan, 100.0 * po)
    return percent, kappa, alpha


def undefined_reason(counts: Sequence[int], noun: str, pooled: bool = False) -> str:
    """Why kappa and alpha cannot be computed from ``(both, A only, B only, neither)``, or "".

    Both need variation: they are undefined exactly when both coders gave every unit the same
    value: neither used the category, or both used it everywhere. One coder using a category on
    every excerpt and the other on none is *defined* (kappa 0, alpha below 0): total disagreement.
    """
    both, a_only, b_only, neither = (int(c) for c in counts)
    if both + a_only + b_only + neither == 0:
        return "no excerpts to compare"
    if a_only == b_only == 0 and (both == 0 or neither == 0):
        if both == 0:
            return f"neither coder used any {noun}" if pooled else f"neither coder used this {noun}"
        return (
            f"both coders used every {noun} on every excerpt"
            if pooled
            else f"both coders used this {noun} on every excerpt"
        )
    return ""


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
    counts = (int((a & b).sum()), int((a & (1 - b)).sum()), int(((1 - a) & b).sum()), int(((1 - a) & (1 - b)).sum()))
    percent, kappa, alpha = statistics(*counts)
    reason = undefined_reason(counts, noun)
    return {
        **dict(zip(COUNTS, counts)),
        "percent_agreement": float(percent),
        "kappa": math.nan if reason else float(kappa),
        "alpha": math.nan if reason else float(alpha),
        "reason": reason,
    }


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
    row = {e: i for i, e in enumerate(ids)}
    col = {c: j for j, c in enumerate(cats)}
    values = np.zeros((len(ids), len(cats)), dtype=int)
    values[[row[e] for e in in_sample["excerpt_id"]], [col[c] for c in in_sample["code_id"]]] = 1
    return pd.DataFrame(values, index=pd.Index(ids, name="excerpt_id"), columns=pd.Index(cats, name="category"))


def compare(
    a: pd.DataFrame,
    b: pd.DataFrame,
    excerpt_ids: Sequence[str],
    level: str = "code",
    categories: Sequence[str] | None = None,
    notes: Sequence[str] = (),
) -> Agreement:
    """Agreement of codings ``a`` and ``b`` on ``excerpt_ids`` at ``level``, per category and pooled.

    Each category is judged as presence/absence per excerpt, the way NVivo's coding comparison
    judges a node per character: both, A only, B only, neither. Categories default to every
    category of the template at that level, so that a code neither coder used appears (as
    undefined) instead of vanishing, and pooled figures are comparable across students. Pass
    ``categories`` to compare anything else (the tests use made-up ones).
    """
    template.check_level(level)
    ids = list(excerpt_ids)
    if not ids:
        raise ParameterError("no excerpts to compare: the sample is empty")
    cats = template.level_categories(level) if categories is None else list(categories)
    a_l, b_l = template.to_level(a, level), template.to_level(b, level)
    ma = presence_matrix(a_l, ids, cats).to_numpy()
    mb = presence_matrix(b_l, ids, cats).to_numpy()
    noun = template.noun(level)
    counts = np.stack(
        [(ma & mb).sum(0), (ma & (1 - mb)).sum(0), ((1 - ma) & mb).sum(0), ((1 - ma) & (1 - mb)).sum(0)], axis=1
    )
    percent, kappa, alpha = statistics(*counts.T)
    reasons = [undefined_reason(c, noun) for c in counts]
    per = pd.DataFrame(counts, columns=list(COUNTS))
    per.insert(0, "category", cats)
    per["percent_agreement"] = percent
    per["kappa"] = [math.nan if r else k for r, k in zip(reasons, kappa)]
    per["alpha"] = [math.nan if r else v for r, v in zip(reasons, alpha)]
    per["reason"] = reasons
    pooled_counts = counts.sum(0)
    pooled = statistics(*pooled_counts)
    reason = undefined_reason(pooled_counts, noun, pooled=True)
    defined = per[per["reason"] == ""]
    in_sample = set(ids)
    return Agreement(
        level=level,
        coder_a=template.coder_name(a, "A"),
        coder_b=template.coder_name(b, "B"),
        excerpt_ids=tuple(ids),
        per_category=per,
        n_units=int(ma.size),
        percent_agreement=float(pooled[0]),
        kappa=math.nan if reason else float(pooled[1]),
        alpha=math.nan if reason else float(pooled[2]),
        reason=reason,
        mean_percent_agreement=float(per["percent_agreement"].mean()) if len(per) else math.nan,
        mean_kappa=float(defined["kappa"].mean()) if len(defined) else math.nan,
        mean_alpha=float(defined["alpha"].mean()) if len(defined) else math.nan,
        n_defined=len(defined),
        notes=tuple(notes),
        a=a_l[a_l["excerpt_id"].isin(in_sample)].reset_index(drop=True),
        b=b_l[b_l["excerpt_id"].isin(in_sample)].reset_index(drop=True),
    )


def compare_sheet(sheet: pd.DataFrame, against: str | pd.DataFrame = "reference", level: str = "code") -> Agreement:
    """Agreement of a student's sheet with the reference coding (or a second sheet).

    The sample is the excerpts the sheet lists: a student who coded 10 excerpts is compared
    on those 10, not marked down for the 25 they were never asked to code. Against a second
    sheet, the sample is the excerpts both sheets list. The report says how many were left out.
    """
    order = template.excerpt_order()
    listed = sheet_excerpts(sheet)
    notes: list[str] = []
    if isinstance(against, str) and against == template.REFERENCE:
        other = template.reference_codings()
        sample = sorted(listed, key=order.__getitem__)
        left_out = len(order) - len(sample)
        if left_out:
            notes.append(
                f"Sample: the {len(sample)} excerpts listed in the sheet; the other {left_out} of the "
                f"{len(order)} excerpts are not in the sample. The reference coding is restricted to the sample."
            )
        else:
            notes.append(f"Sample: all {len(order)} excerpts, which the sheet lists.")
    else:
        other = read_sheet(against) if not isinstance(against, pd.DataFrame) else against
        theirs = set(sheet_excerpts(other))
        sample = sorted((e for e in listed if e in theirs), key=order.__getitem__)
        if not sample:
            raise SheetError(
                f"{_source(other)}: shares no excerpt with {_source(sheet)}: "
                "the two sheets must code some of the same excerpts"
            )
        only_a = len(listed) - len(sample)
        only_b = len(theirs) - len(sample)
        notes.append(
            f"Sample: the {len(sample)} excerpts listed in both sheets; left out: {only_a} listed only "
            f"in A's sheet, {only_b} only in B's sheet."
        )
    return compare(sheet, other, sample, level=level, notes=notes)


def _source(codings: pd.DataFrame) -> str:
    return str(codings.attrs.get("source", "the sheet"))
