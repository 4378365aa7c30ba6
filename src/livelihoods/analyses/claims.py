"""The paper's claims and the evidence behind them: what chapters E3, F and G share.

A claim is one finding (section 5) or conclusion (section 6) of the paper in our words
(``data/claims.csv``); ``data/claim_evidence.csv`` links it to the excerpts that support,
illustrate or qualify it. This module answers, for any set of claims: which excerpts stand behind
them, how many distinct voices and stakeholder groups those are, and which claims support or
challenge each literature view the paper takes sides in. Chapter F's audit is in
:mod:`livelihoods.analyses.conclusions`.
"""

from __future__ import annotations

from typing import Iterable
import pandas as pd
from livelihoods import evidence
from livelihoods.errors import ParameterError


#: The literature views of section 2 that claims bear on, in the order of data/README.md.
VIEWS: tuple[str, ...] = ("digital_sweatshop", "deinstitutionalisation", "differentiated_outcomes", "relative_earnings")


#: Relations of ``claim_evidence.csv`` that count as evidence behind a claim.
BACKING: tuple[str, ...] = ("supports", "illustrates")


def given_claims(claims: pd.DataFrame | None) -> pd.DataFrame:
    """The claims given, or all of ``data/claims.csv``."""
    return evidence.load_claims() if claims is None else claims


def backing_links(links: pd.DataFrame | None) -> pd.DataFrame:
    """Claim-excerpt links that count as backing (``supports`` or ``illustrates``)."""
    links = evidence.load_claim_evidence() if links is None else links
    return links[links["relation"].astype(str).isin(BACKING)]


def given_speakers(speakers: pd.DataFrame | None) -> pd.DataFrame:
    """One row per excerpt with the speaker's ``initials`` and stakeholder ``group`` (those given, or all)."""
    return evidence.excerpts_with_respondents() if speakers is None else speakers


def md_text(text: str) -> str:
    """Our text made safe for MyST Markdown: a "$" would otherwise start inline maths (dollarmath)."""
    return str(text).replace("$", "\\$")


def paper_order(ids: Iterable[str]) -> list[str]:
    """Ids such as EX07 or C13 sorted by their number (paper order), without duplicates."""
    return sorted(set(ids), key=lambda i: (len(i), i))


def excerpts_behind(claim_ids: Iterable[str], links: pd.DataFrame | None = None) -> list[str]:
    """The distinct excerpts that support or illustrate any of the given claims, in paper order."""
    links = backing_links(links)
    wanted = set(claim_ids)
    return paper_order(links.loc[links["claim_id"].astype(str).isin(wanted), "excerpt_id"].astype(str))


def voices_and_groups(excerpt_ids: Iterable[str], speakers: pd.DataFrame | None = None) -> tuple[list[str], list[str]]:
    """The distinct speakers (initials) and stakeholder groups behind a set of excerpts.

    A voice is a respondent, not an excerpt: three quotations from one trainer are one voice.
    """
    speakers = given_speakers(speakers)
    rows = speakers[speakers["excerpt_id"].astype(str).isin(set(excerpt_ids))]
    voices = sorted(set(rows["initials"].astype(str)))
    groups = sorted(set(rows["group"].astype(str)))
    return voices, groups


def evidence_for_against(
    claim_ids: Iterable[str] | None = None,
    claims: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    speakers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Evidence for and against each literature view: claims, distinct excerpts and voices.

    One row per (view, side) for all four views and both sides, zeros kept, so that a view
    nobody supports shows as an empty bar rather than disappearing. ``side`` is ``for`` when the
    claim's stance is ``supports`` and ``against`` when it is ``challenges``. ``claim_ids``
    restricts the count to some claims (e.g. those about one institutional force).
    """
    claims = given_claims(claims)
    claims = claims[claims["literature_view"].notna() & (claims["literature_view"].astype(str) != "")]
    if claim_ids is not None:
        claims = claims[claims["claim_id"].astype(str).isin(set(claim_ids))]
    rows = []
    for view in VIEWS:
        for side, stance in (("for", "supports"), ("against", "challenges")):
            mine = claims[(claims["literature_view"].astype(str) == view) & (claims["stance"].astype(str) == stance)]
            ids = paper_order(mine["claim_id"].astype(str))
            excerpts = excerpts_behind(ids, links)
            voices, groups = voices_and_groups(excerpts, speakers)
            rows.append(
                {
                    "view": view,
                    "label": evidence.label("view_short", view),
                    "side": side,
                    "claims": len(ids),
                    "excerpts": len(excerpts),
                    "voices": len(voices),
                    "claim_ids": ", ".join(ids),
                    "excerpt_ids": ", ".join(excerpts),
                }
            )
    return pd.DataFrame(rows)


def findings_supporting(
    conclusion_id: str,
    claims: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
) -> list[str]:
    """The section-5 findings that back one section-6 conclusion, in paper order.

    The paper does not link its conclusions to its findings, so this is our rule, kept simple
    enough to check by hand: a finding backs a conclusion when both answer the same research
    question and either (a) they are about the same codebook theme or (b) at least one excerpt
    supports or illustrates both. A conclusion without a research question (the one about the
    framework itself) has no supporting findings.
    """
    claims = given_claims(claims)
    by_id = claims.set_index(claims["claim_id"].astype(str))
    if conclusion_id not in by_id.index:
        raise ParameterError(f"claim {conclusion_id!r} is not in claims.csv: expected an id such as C33")
    c = by_id.loc[conclusion_id]
    if str(c["kind"]) != "conclusion":
        raise ParameterError(
            f"claim {conclusion_id!r} is a {c['kind']}, not a conclusion: expected a claim of kind 'conclusion'"
        )
    rq = c["research_question"]
    if pd.isna(rq) or str(rq) == "":
        return []
    links = backing_links(links)
    own = set(links.loc[links["claim_id"].astype(str) == conclusion_id, "excerpt_id"].astype(str))
    findings = claims[(claims["kind"].astype(str) == "finding") & (claims["research_question"].astype(str) == str(rq))]
    out = []
    for _, f in findings.iterrows():
        fid = str(f["claim_id"])
        same_theme = str(f["theme_id"]) == str(c["theme_id"])
        theirs = set(links.loc[links["claim_id"].astype(str) == fid, "excerpt_id"].astype(str))
        if same_theme or (own & theirs):
            out.append(fid)
    return paper_order(out)


def readable(fig, base: float = 13.0):
    """Enlarge a figure's text so that it stays legible when a phone shrinks the image to fit.

    Our figures are at most about 6 inches wide; on a 390-pixel phone screen they are shown at
    roughly 60% size, where the book's default 9-10 pt labels become too small to read. Ticks and
    axis labels are set to ``base`` points, annotations and legends to ``base - 1``, titles to
    ``base + 1``; the source line (figure text) is left as it is.
    """
    for ax in fig.axes:
        ax.tick_params(labelsize=base)
        ax.xaxis.label.set_size(base)
        ax.yaxis.label.set_size(base)
        ax.title.set_size(base + 1)
        for t in ax.texts:
            t.set_size(max(t.get_size(), base - 1))
        legend = ax.get_legend()
        if legend is not None:
            for t in legend.get_texts():
                t.set_size(base - 1)
    for legend in fig.legends:
        for t in legend.get_texts():
            t.set_size(base - 1)
    if fig._suptitle is not None:
        fig._suptitle.set_size(base + 1)
    return fig


def plot_for_against(counts: pd.DataFrame, title: str):
    """Diverging bars: claims (left panel) and excerpts (right) for and against each view.

    ``for`` is drawn to the right and ``against`` to the left, in the book's colour and hatch for each
    side (:func:`livelihoods.analyses.plots.stance_style`: blue and plain for, vermillion and
    cross-hatched against), and every bar carries its count, so colour is never the only cue.
    """
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots

    fig, axes = plt.subplots(1, 2, figsize=(5.6, 3.9), sharey=True)
    labels = [chart_label(evidence.label("view_short", v)) for v in VIEWS]
    ys = list(range(len(VIEWS)))[::-1]
    for ax, measure in zip(axes, ("claims", "excerpts")):
        peak = max(1, int(counts[measure].max()))
        for side, sign in (("for", 1), ("against", -1)):
            values = [int(counts[(counts["view"] == v) & (counts["side"] == side)][measure].iloc[0]) for v in VIEWS]
            bars = ax.barh(
                ys, [sign * x for x in values], label=f"{side} the view", height=0.6, **plots.stance_style(side)
            )
            for text in ax.bar_label(bars, labels=[str(x) if x else "" for x in values], padding=2, fontsize=9):
                text.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 0.5})
        for y, v in zip(ys, VIEWS):
            if int(counts[counts["view"] == v][measure].sum()) == 0:
                ax.text(
                    peak * 0.05,
                    y,
                    "none",
                    va="center",
                    ha="left",
                    fontsize=9,
                    color="#444444",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
                )
        ax.grid(False, axis="y")  # row lines ran through the counts and the "none" labels
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_xlim(-peak * 1.35, peak * 1.35)
        ticks = ax.get_xticks()
        ax.set_xticks(ticks)
        ax.set_xticklabels([f"{abs(int(t))}" for t in ticks])
        ax.set_xlim(-peak * 1.35, peak * 1.35)
        ax.set_xlabel("← against · for →", fontsize=10)
        ax.set_title(measure, loc="left")
    axes[0].set_yticks(ys)
    axes[0].set_yticklabels(labels)
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="upper center", ncol=2, bbox_to_anchor=(0.55, 1.02))
    fig.suptitle(title, x=0.0, ha="left", y=1.1, fontsize=12, fontweight="bold")
    return plots.finish(
        readable(fig), source="data/claims.csv, data/claim_evidence.csv (our reading of Malik et al. 2017)"
    )


def chart_label(text: str) -> str:
    """A short label on two lines for a chart's axis: at its middle space, or after its first hyphen."""
    words = text.split(" ")
    if len(words) > 1:
        half = max(range(1, len(words)), key=lambda i: -abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
        return " ".join(words[:half]) + "\n" + " ".join(words[half:])
    head, sep, tail = text.partition("-")
    return f"{head}-\n{tail}" if sep else text
