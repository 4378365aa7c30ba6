"""The agreement report a student reads: figures, the excerpts where the codings differ, and why.

:func:`format_report` is the text of ``livelihoods agreement``: the sample, the overall figures,
then excerpt by excerpt where the two codings differ (the codes both gave, only A, only B, the
reference's definition of each code in dispute, the student's note), then every category with
its counts, kappa and alpha. Categories neither coder used fold into one line: on a sample of
eight excerpts most of the 33 codes are unused, and a row each would bury the ones worth
discussing.
"""

from __future__ import annotations

import logging
import textwrap
from typing import TYPE_CHECKING, Mapping

from livelihoods import evidence
from livelihoods.qda import template
from livelihoods.qda.agreement import Agreement
from livelihoods.qda.disagreements import Difference, differences, excerpt_opening

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)


def fmt_stat(value: float) -> str:
    """A kappa or alpha to three places, or "undefined"."""
    return "undefined" if value != value else f"{value:.3f}"


def fmt_pct(value: float) -> str:
    """A percentage to one place, or "undefined"."""
    return "undefined" if value != value else f"{value:.1f}%"


def unused_reason(noun: str) -> str:
    """The reason :mod:`.agreement` gives for a category neither coder used."""
    return f"neither coder used this {noun}"


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=100, initial_indent=indent, subsequent_indent=indent + "  ") or [indent]


def feedback_lines(result: Agreement, diffs: list[Difference], full: bool = False) -> list[str]:
    """The per-excerpt part of the report, as lines of text."""
    labels, definitions = template.labels(), template.definitions()
    texts = dict(zip(evidence.load_excerpts()["excerpt_id"], evidence.load_excerpts()["text"]))
    noun = template.noun(result.level)

    def names(codes: tuple[str, ...]) -> str:
        return ", ".join(f"{c} ({labels.get(c, c)})" for c in codes) or "(none)"

    lines = [
        f"Where the codings differ: {len(diffs)} of {result.n_excerpts} excerpts "
        f"(A = {result.coder_a}, B = {result.coder_b})"
    ]
    if not diffs:
        return lines + [f"  A and B gave every excerpt of the sample the same {noun}s."]
    for diff in diffs:
        body = str(texts.get(diff.excerpt_id, ""))
        shown = " ".join(body.split()) if full else excerpt_opening(body)
        lines.append("")
        lines += _wrap(f"{diff.excerpt_id}  \u201c{shown}\u201d", "  ")
        lines += _wrap(f"both gave: {names(diff.both)}", "    ")
        lines += _wrap(f"only A gave: {names(diff.only_a)}", "    ")
        lines += _wrap(f"only B gave: {names(diff.only_b)}", "    ")
        for code in diff.disputed:
            lines += _wrap(f"{labels.get(code, code)}: {definitions.get(code, '')}", "      ")
        if diff.note:
            lines += _wrap(f"A's note: {diff.note}", "    ")
    if not full:
        lines += ["", "  (the excerpts' first words; add --full for the whole text)"]
    return lines


def category_lines(result: Agreement) -> list[str]:
    """The per-category table, lowest kappa first, undefined last, unused categories on one line."""
    noun = template.noun(result.level)
    per = result.per_category.copy()
    unused = per[per["reason"] == unused_reason(noun)]
    per = per[per["reason"] != unused_reason(noun)].copy()
    lines = [f"Per {noun} (lowest kappa first; undefined last). both/A only/B only/neither count excerpts."]
    per["_undefined"] = per["reason"] != ""
    per = per.sort_values(["_undefined", "kappa", "category"], kind="mergesort", na_position="last")
    width = max([len(noun)] + [len(c) for c in per["category"]]) + 2
    lines.append(
        f"  {noun:<{width}}{'both':>5}{'A only':>8}{'B only':>8}{'neither':>9}{'agree':>9}{'kappa':>9}{'alpha':>9}"
    )
    for _, row in per.iterrows():
        head = (
            f"  {row['category']:<{width}}{row['n_both']:>5}{row['n_a_only']:>8}{row['n_b_only']:>8}"
            f"{row['n_neither']:>9}{fmt_pct(row['percent_agreement']):>9}"
        )
        if row["reason"]:
            lines.append(f"{head}  undefined ({row['reason']})")
        else:
            lines.append(f"{head}{fmt_stat(row['kappa']):>9}{fmt_stat(row['alpha']):>9}")
    if len(unused):
        lines += _wrap(
            f"{len(unused)} {noun}s used by neither coder (kappa and alpha undefined): "
            + ", ".join(unused["category"]),
            "  ",
        )
    return lines


def format_report(result: Agreement, notes: Mapping[str, str] | None = None, full: bool = False) -> str:
    """A plain-text agreement report: the sample, overall figures, the excerpts that differ, every category.

    ``notes`` (excerpt id -> the coder's note, see :func:`.disagreements.sheet_notes`) are shown
    beside the excerpts where the codings differ; ``full`` prints each such excerpt whole instead of
    its first words. Undefined is written out, never 0 or 1.
    """
    noun = template.noun(result.level)
    per = result.per_category
    lines = [f"Coding agreement at the {result.level} level: A = {result.coder_a}, B = {result.coder_b}"]
    lines += [f"  {note}" for note in result.notes]
    lines.append(
        f"  {result.n_excerpts} excerpts x {len(per)} {noun}s = {result.n_units} units "
        f"(a unit: does the excerpt have this {noun}, yes or no)."
    )
    lines.append("")
    lines.append(f"Overall (pooled over all {result.n_units} units)")
    lines.append(f"  percent agreement     {fmt_pct(result.percent_agreement)}")
    why = f" ({result.reason})" if result.reason else ""
    lines.append(f"  Cohen's kappa         {fmt_stat(result.kappa)}{why}")
    lines.append(f"  Krippendorff's alpha  {fmt_stat(result.alpha)}{why}  [nominal]")
    lines.append(
        f"Mean over {noun}s (kappa and alpha over the {result.n_defined} of {len(per)} {noun}s where they are defined)"
    )
    lines.append(f"  percent agreement     {fmt_pct(result.mean_percent_agreement)}")
    lines.append(f"  Cohen's kappa         {fmt_stat(result.mean_kappa)}")
    lines.append(f"  Krippendorff's alpha  {fmt_stat(result.mean_alpha)}")
    lines.append("")
    lines += feedback_lines(result, differences(result, notes), full=full)
    lines.append("")
    lines += category_lines(result)
    return "\n".join(lines) + "\n"


def feedback_table(
    result: Agreement, notes: Mapping[str, str] | None = None, a_name: str = "A", b_name: str = "B"
) -> "pd.DataFrame":
    """The per-excerpt feedback as a table for the chapter: one row per excerpt where the codings differ.

    Columns: the excerpt (id and first words), the categories both gave, only ``a_name`` gave,
    only ``b_name`` gave (by label), and A's note. :func:`disputed_markdown` gives the definitions.
    """
    import pandas as pd

    labels = template.labels()
    texts = dict(zip(evidence.load_excerpts()["excerpt_id"], evidence.load_excerpts()["text"]))
    rows = [
        {
            "excerpt": f"{d.excerpt_id}: {excerpt_opening(texts.get(d.excerpt_id, ''), 6)}",
            "both": ", ".join(labels.get(c, c) for c in d.both) or "–",
            f"only {a_name}": ", ".join(labels.get(c, c) for c in d.only_a) or "–",
            f"only {b_name}": ", ".join(labels.get(c, c) for c in d.only_b) or "–",
            "note": d.note or "–",
        }
        for d in differences(result, notes)
    ]
    return pd.DataFrame(rows, columns=["excerpt", "both", f"only {a_name}", f"only {b_name}", "note"])


def disputed_markdown(result: Agreement) -> str:
    """The codebook's definition of every category in dispute in a comparison (Markdown list)."""
    labels, definitions = template.labels(), template.definitions()
    disputed = dict.fromkeys(c for d in differences(result) for c in d.disputed)
    if not disputed:
        return f"The two codings give every excerpt the same {template.noun(result.level)}s."
    order = template.category_order()
    lines = [
        f"- **{labels.get(c, c)}**: {definitions.get(c, '')}"
        for c in sorted(disputed, key=lambda c: order.get(c, len(order)))
    ]
    return "The reference's definitions of the categories in dispute:\n\n" + "\n".join(lines)
