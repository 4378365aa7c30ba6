"""Chapter B's charts: when the cited work was published, the streams, the citation map and the views.

The tables and numbers they draw come from :mod:`livelihoods.analyses.literature`; this module only
draws them, in the book's one style (:mod:`livelihoods.analyses.plots`) and narrow enough for a phone.
"""

from __future__ import annotations

import re

import pandas as pd

from livelihoods.analyses import plots
from livelihoods.analyses.literature import by_top_section, check_stream, reference_counts


def _fig_title(fig, text: str) -> None:
    """A chart's title at the figure's left edge (over the labels), not over the plotting area.

    A title aligned with the plotting area of a narrow chart with long labels ran past the right
    edge and made the image wider (and so smaller on a phone); at the figure's edge it fits.
    """
    fig.suptitle(text, x=0.01, ha="left", fontsize=plots.FONTS["title"], fontweight="bold")


def plot_reference_years(refs: pd.DataFrame):
    """References by year of publication, stacked by publication type (each type its own hatch).

    Years run down the side, one row each (the empty years kept, so gaps in time stay visible),
    which keeps every year label horizontal and legible on a phone.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from livelihoods.analyses import plots

    years = list(range(int(refs["year"].min()), int(refs["year"].max()) + 1))
    types = [t for t in reference_counts(refs, "type")["type"]]
    table = (
        refs.assign(t=refs["type_label"])
        .groupby(["year", "t"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=years, columns=types, fill_value=0)
    )
    fig, ax = plt.subplots(figsize=(plots.PHONE_WIDTH, 0.24 * len(years) + 1.2))
    y = [-i for i in range(len(years))]  # the oldest year on top
    left = pd.Series(0, index=years)
    for i, (t, colour) in enumerate(zip(types, plots.palette(len(types)))):
        ax.barh(
            y,
            table[t],
            left=left,
            color=colour,
            hatch=plots.HATCHES[i % len(plots.HATCHES)],
            edgecolor="#333333",
            linewidth=0.8,
            label=t,
            height=0.75,
        )
        left = left + table[t]
    for yi, total in zip(y, left):
        if total:
            ax.text(total + 0.12, yi, str(int(total)), ha="left", va="center", fontsize=plots.FONTS["small"])
    ax.set_yticks(y, [str(yr) for yr in years])
    ax.set_ylim(y[-1] - 0.6, 0.6)
    ax.tick_params(axis="y", labelsize=plots.FONTS["small"])
    ax.tick_params(axis="x", labelsize=plots.FONTS["tick"])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("references", fontsize=plots.FONTS["label"])
    ax.set_xlim(0, left.max() + 1)
    ax.grid(axis="y", visible=False)
    _fig_title(fig, "When the cited work was published")
    ax.legend(
        title="type of publication",
        loc="upper right",
        fontsize=plots.FONTS["small"],
        title_fontsize=plots.FONTS["small"],
        frameon=True,
        framealpha=0.95,
        edgecolor="white",
    )
    return plots.finish(fig, source="data/references.csv (the paper's reference list)")


def plot_streams(refs: pd.DataFrame, focus: str = "all"):
    """References per literature stream; the focused stream is hatched and named as such.

    With ``focus="all"`` every bar is drawn alike (nothing is hatched): there is no focus.
    """
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots

    check_stream(focus)
    counts = reference_counts(refs, "stream")
    fig, ax = plt.subplots(figsize=(plots.PHONE_WIDTH, 0.55 * len(counts) + 1.1))
    y = list(range(len(counts)))[::-1]
    for yi, (stream, n) in zip(y, counts.itertuples(index=False)):
        on = focus in ("all", stream)
        ax.barh(
            yi,
            n,
            color=plots.palette(4)[3] if on else "#CCCCCC",
            hatch="//" if focus == stream else "",
            edgecolor="#333333",
            linewidth=1.5 if focus == stream else 0.6,
            height=0.7,
        )
        ax.text(n + 0.1, yi, str(n), va="center", fontsize=plots.FONTS["small"])
    labels = [
        lab + ("\n◀ focus" if s == focus else "")
        for lab, s in zip(plots.wrap_labels(counts["stream"].astype(str), 20), counts["stream"].astype(str))
    ]
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=plots.FONTS["small"])
    for tick, s in zip(ax.get_yticklabels(), counts["stream"].astype(str)):
        if s == focus:
            tick.set_fontweight("bold")
    ax.tick_params(axis="x", labelsize=plots.FONTS["tick"])
    ax.set_xlabel("references", fontsize=plots.FONTS["label"])
    ax.set_xlim(0, counts["references"].max() + 1)
    ax.grid(axis="y", visible=False)
    _fig_title(fig, "Literature streams (our grouping)")
    return plots.finish(fig, source="data/references.csv, column stream\n(assigned by the book's authors)")


#: Longest row label of the citation map (characters) before a second author is cut to an initial.
MAP_LABEL_WIDTH = 26


def _map_label(label: str) -> str:
    """A row label of the citation map: the reference's number and authors, without the year.

    ``"[2] Barnes et al. 2015"`` -> ``"[2] Barnes et al."``; a long second surname becomes an
    initial (``"[5] Bergvall-Kåreborn & H."``) so the figure stays narrow enough for a phone.
    """
    text = re.sub(r" \d{4}$", "", label)
    if len(text) > MAP_LABEL_WIDTH and " & " in text:
        first, second = text.split(" & ", 1)
        text = f"{first} & {second[0]}."
    return text


def plot_citation_map(matrix: pd.DataFrame, refs: pd.DataFrame, focus: str = "all"):
    """A grid of citations (references x sections 1-6), rows grouped under a header naming each stream.

    Subsections are summed into their section (5.1-5.3 into §5) so that six short, upright column
    headers fit a phone screen. Each non-empty cell carries its count, so the figure does not
    rely on colour; empty cells stay white so that the sections that cite nothing stand out.
    Stream names sit in header rows across the figure rather than in a side column, and rows
    are labelled with the reference's number in the paper's list and its authors.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from livelihoods.analyses import plots

    check_stream(focus)
    by_label = refs.set_index("label")["stream"].astype(str)
    top = by_top_section(matrix)
    rows: list[tuple[str, str, bool]] = []  # (label, stream, is_header)
    for lab in top.index:
        stream = by_label[lab]
        if not rows or rows[-1][1] != stream:
            rows.append((stream, stream, True))
        rows.append((lab, stream, False))
    values = top.to_numpy()
    vmax = max(int(values.max()), 1)
    cmap = plt.get_cmap(plots.SEQUENTIAL)
    n_cols = len(top.columns)
    label_units = 6.2  # the label column, in cell widths
    fig, ax = plt.subplots(figsize=(plots.PHONE_WIDTH, 0.27 * len(rows) + 0.9))
    fig.subplots_adjust(left=0.0, right=1.0, top=1.0 - 0.55 / (0.27 * len(rows) + 0.9), bottom=0.0)
    i_ref = 0
    for r, (lab, stream, header) in enumerate(rows):
        if header:
            mark = "▶ " if stream == focus else ""  # before the name: a long name fills the row
            ax.text(
                -label_units,
                r + 0.62,
                mark + stream,
                ha="left",
                va="center",
                fontsize=plots.FONTS["small"],
                fontweight="bold",
                color="#222222" if stream == focus or focus == "all" else "#555555",
            )
            ax.plot([-label_units, n_cols], [r + 1, r + 1], color="#333333", linewidth=1.0, clip_on=False)
            continue
        ax.text(
            -0.15,
            r + 0.5,
            _map_label(lab),
            ha="right",
            va="center",
            fontsize=plots.FONTS["small"],
            fontweight="bold" if stream == focus else "normal",
            color="#111111",
        )
        for c in range(n_cols):
            n = int(values[i_ref, c])
            colour = cmap(n / vmax) if n else "white"
            ax.add_patch(plt.Rectangle((c, r), 1, 1, facecolor=colour, edgecolor="#CCCCCC", linewidth=0.6))
            if n:
                ax.text(
                    c + 0.5,
                    r + 0.5,
                    str(n),
                    ha="center",
                    va="center",
                    fontsize=plots.FONTS["small"],
                    color=plots.text_colour_on(colour),
                    fontweight="bold",
                )
        i_ref += 1
    ax.set_xlim(-label_units, n_cols)
    ax.set_ylim(len(rows), 0)
    ax.set_xticks(np.arange(n_cols) + 0.5)
    ax.set_xticklabels([f"§{c}" for c in top.columns], fontsize=plots.FONTS["tick"])
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel("section of the paper", fontsize=plots.FONTS["small"], loc="right")
    ax.set_yticks([])
    ax.tick_params(length=0)
    ax.grid(False)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    return plots.finish(fig, source="data/citations.csv (counted from the paper's\nbracketed citations)")


def plot_views(summary: pd.DataFrame):
    """The paper's claims on each literature view: challenging to the left, supporting to the right.

    Hatches (not only colours) tell support from challenge. Each view's name, its side of the
    contrast and the number of references holding it stand over its bars, across the figure, so
    the bars get the figure's whole width on a phone.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from livelihoods.analyses import plots

    n = len(summary)
    fig, ax = plt.subplots(figsize=(plots.PHONE_WIDTH, 1.05 * n + 1.9))
    y = [-1.5 * i for i in range(n)]
    # the book's one meaning per colour and hatch (plots.stance_style)
    ax.barh(
        y,
        -summary["challenges"],
        height=0.45,
        label="◀ claims challenging the view",
        **plots.stance_style("challenges"),
    )
    ax.barh(y, summary["supports"], height=0.45, label="claims supporting the view ▶", **plots.stance_style("supports"))
    lim = max(int(summary["supports"].max()), int(summary["challenges"].max())) + 1.2
    for yi, sup, chal, view, camp, refs in zip(
        y, summary["supports"], summary["challenges"], summary["view_label"], summary["camp"], summary["references"]
    ):
        ax.text(sup + 0.12, yi, str(sup), va="center", ha="left", fontsize=plots.FONTS["small"])
        ax.text(-chal - 0.12, yi, str(chal), va="center", ha="right", fontsize=plots.FONTS["small"])
        ax.text(
            -lim + 0.05,
            yi + 0.3,
            f"{view}\n",
            va="bottom",
            ha="left",
            fontsize=plots.FONTS["label"],
            fontweight="bold",
            linespacing=1.25,
            bbox=dict(boxstyle="square,pad=0.08", facecolor="white", edgecolor="none"),
        )
        ax.text(
            -lim + 0.05,
            yi + 0.3,
            f"{camp} view; {refs} reference{'s' if refs != 1 else ''}",
            va="bottom",
            ha="left",
            fontsize=plots.FONTS["small"],
            color="#444444",
            bbox=dict(boxstyle="square,pad=0.08", facecolor="white", edgecolor="none"),
        )
    ax.set_xlim(-lim, lim)
    ax.set_ylim(y[-1] - 0.5, 1.25)
    ax.set_yticks([])
    ax.axvline(0, color="#333333", linewidth=1)
    ax.xaxis.set_major_formatter(_abs_formatter())
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="x", labelsize=plots.FONTS["tick"])
    ax.set_xlabel("the paper's claims (sections 5-6)", fontsize=plots.FONTS["label"])
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.2), ncol=1, fontsize=plots.FONTS["small"])
    _fig_title(fig, "The paper's claims on each view")
    return plots.finish(fig, source="data/claims.csv (our summary of the paper's claims),\ndata/literature_views.csv")


def _abs_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: f"{abs(x):g}")
