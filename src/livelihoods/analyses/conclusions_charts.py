"""Chapter F's charts: who stands behind each conclusion, and what the published excerpts can speak to.

The audit and the code coverage they draw are computed in :mod:`livelihoods.analyses.conclusions`;
this module only draws them, in the book's one style (:mod:`livelihoods.analyses.plots`).
"""

from __future__ import annotations

import pandas as pd

from livelihoods import evidence
from livelihoods.analyses.claims import readable


def threshold_label(min_voices: int) -> str:
    """The reader's name for the ``min_voices`` line and mark: "threshold: 2 voices"."""
    return f"threshold: {min_voices} {'voice' if min_voices == 1 else 'voices'}"


def audit_labels(conc: pd.DataFrame, width: int = 24) -> list[str]:
    """``RQ1 · drivers: vulnerability and necessity`` for each conclusion, wrapped for a phone."""
    from livelihoods.analyses import plots

    short = evidence.labels("claim_short")
    names = [
        f"{rq if isinstance(rq, str) and rq else 'framework'} · {short.get(c, c)}"
        for c, rq in zip(conc["claim_id"], conc["research_question"])
    ]
    return plots.wrap_labels(names, width)


def plot_audit(audit_df: pd.DataFrame, min_voices: int):
    """Distinct voices and groups behind each conclusion, with a dashed line at ``min_voices``."""
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots

    conc = audit_df[audit_df["kind"] == "conclusion"].reset_index(drop=True)
    colours = plots.palette(3)
    fig, ax = plt.subplots(figsize=(5.0, 0.82 * len(conc) + 1.5))  # room for names of up to three lines
    ys = list(range(len(conc)))[::-1]
    h = 0.38
    vb = ax.barh(
        [y + h / 2 for y in ys],
        conc["n_voices"],
        height=h,
        color=colours[1],
        edgecolor="#333333",
        label="distinct voices",
    )
    gb = ax.barh(
        [y - h / 2 for y in ys],
        conc["n_groups"],
        height=h,
        color=colours[2],
        hatch="//",
        edgecolor="#333333",
        label="groups",
    )
    ax.bar_label(vb, padding=2, fontsize=9)
    ax.bar_label(gb, padding=2, fontsize=9)
    # black, not vermillion: that colour means "challenges" throughout the book (plots.STANCE_COLOURS)
    ax.axvline(min_voices, color="#000000", linestyle="--", linewidth=1.5, label=threshold_label(min_voices))
    ax.set_yticks(ys)
    # short names a reader can read (data/labels.csv, claim_short), not ids: the audit table beside the figure
    # gives each conclusion's id, linked to its entry in the evidence index
    ax.set_yticklabels(audit_labels(conc))
    ax.set_xlabel("respondents / groups behind it\n(its own excerpts and those of its findings)")
    top = max(int(conc["n_voices"].max()) if len(conc) else 1, min_voices)
    ax.set_xlim(0, top + 1.5)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts of people: whole-number ticks
    ax.set_title("Who stands behind each conclusion", loc="left", pad=46)
    # Filled column by column: the two bars on the first row, the threshold line under them.
    handles, names = ax.get_legend_handles_labels()
    order = [names.index("distinct voices"), names.index(threshold_label(min_voices)), names.index("groups")]
    ax.legend(
        [handles[i] for i in order],
        [names[i] for i in order],
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=2,
        fontsize=9,
        borderaxespad=0.3,
    )
    return plots.finish(readable(fig), source="data/claims.csv, data/claim_evidence.csv, data/respondents.csv")


def plot_coverage(coverage: pd.DataFrame, title: str):
    """Excerpts per code (primary solid, secondary hatched): where the published evidence is empty."""
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots

    colours = plots.palette(2)
    fig, ax = plt.subplots(figsize=(5.0, 0.55 * len(coverage) + 1.4))
    ys = list(range(len(coverage)))[::-1]
    p = ax.barh(ys, coverage["primary"], color=colours[0], edgecolor="#333333", label="primary code")
    s = ax.barh(
        ys,
        coverage["secondary"],
        left=coverage["primary"],
        color=colours[1],
        hatch="//",
        edgecolor="#333333",
        label="secondary code",
    )
    for y, total in zip(ys, coverage["total"]):
        ax.text(total + 0.1, y, str(total) if total else "0: no excerpt", va="center", fontsize=9)
    ax.set_yticks(ys)
    ax.set_yticklabels(plots.wrap_labels(coverage["label"], 22))
    ax.set_xlabel("published excerpts coded")
    ax.set_xlim(0, max(3, int(coverage["total"].max())) + 2)
    ax.set_title(title, loc="left", pad=24)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=9, borderaxespad=0.3)
    del p, s
    return plots.finish(readable(fig), source="data/codings.csv (reference coding of the paper's excerpts)")
