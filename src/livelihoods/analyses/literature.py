"""Chapter B, the literature: the paper's references, its streams, its citations and the views it takes sides in.

Everything is read from ``data/references.csv`` (the 26 references with a stream assigned by us),
``data/citations.csv`` (where each is cited) and ``data/literature_views.csv``; the chapter's
figures and tables are computed here so its cells stay one line long.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from livelihoods import evidence
from livelihoods.analyses import plots
from livelihoods.analyses.show import one_line
from livelihoods.errors import ParameterError

_INITIALS = re.compile(r"(?:[A-Z]\.\s?)+(?:[A-Z]\.)?")


def author_label(authors: str, year: int) -> str:
    """A short author-year label from the authors as printed in the reference list.

    ``"Assemi, B., Schlagwein, D."`` -> ``"Assemi & Schlagwein 2016"``; three or more authors
    give ``"Kuek et al."``; an organisation (no initials) is kept whole (``"World Bank 2016"``).
    """
    parts = [p.strip() for p in authors.split(",") if p.strip()]
    surnames = [p for p in parts if not _INITIALS.fullmatch(p)]
    n_initials = len(parts) - len(surnames)
    if n_initials == 0:
        name = authors.strip()
    elif n_initials == 1:
        name = surnames[0]
    elif n_initials == 2:
        name = f"{surnames[0]} & {surnames[1]}"
    else:
        name = f"{surnames[0]} et al."
    return f"{name} {year}"


def references() -> pd.DataFrame:
    """The 26 references with a short label, a readable type and where the paper cites them.

    Adds ``label`` ("[5] Bergvall-Kåreborn & Howcroft 2014"), ``type_label``, ``citations``
    (times cited in the body), ``sections`` ("2 (3); 5.3 (1)") and ``views`` (literature views
    the reference holds, from ``literature_views.csv``).
    """
    refs = evidence.load_references()
    cites = evidence.load_citations()
    views = evidence.load("literature_views")
    refs["label"] = [f"[{n}] {author_label(a, y)}" for n, a, y in zip(refs["ref_num"], refs["authors"], refs["year"])]
    refs["type_label"] = refs["type"].astype(str).map(evidence.labels("reference_type"))
    total = cites.groupby("key")["n"].sum()
    refs["citations"] = refs["key"].map(total).fillna(0).astype(int)
    where = (cites.assign(s=cites["paper_section"].astype(str))
             .groupby("key")
             .apply(lambda g: "; ".join(f"{s} ({n})" for s, n in zip(g["s"], g["n"])), include_groups=False))
    refs["sections"] = refs["key"].map(where).fillna("")
    held = views.groupby("view", observed=True)["key"].apply(list)
    refs["views"] = [", ".join(label for v, label in evidence.labels("view").items() if v in held.index and k in held[v])
                     for k in refs["key"]]
    return refs


def streams() -> list[str]:
    """The literature streams, in the order of the data package's enum."""
    return list(evidence.load_references()["stream"].cat.categories)


def _check_stream(stream: str) -> None:
    allowed = ["all", *streams()]
    if stream not in allowed:
        raise ParameterError(f"stream {stream!r} is not allowed: expected one of {', '.join(map(repr, allowed))}")


def reference_counts(refs: pd.DataFrame, by: str) -> pd.DataFrame:
    """How many references per value of ``by`` (``year``, ``type`` or ``stream``), zeros kept for categories."""
    if by not in ("year", "type", "stream"):
        raise ParameterError(f"count by {by!r} is not allowed: expected 'year', 'type' or 'stream'")
    counts = refs.groupby(by, observed=False).size().rename("references").reset_index()
    if by == "type":
        counts = counts[counts["references"] > 0].sort_values("references", ascending=False, kind="stable")
        counts["type"] = counts["type"].astype(str).map(evidence.labels("reference_type"))
    return counts.reset_index(drop=True)


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
    table = (refs.assign(t=refs["type_label"]).groupby(["year", "t"]).size().unstack(fill_value=0)
             .reindex(index=years, columns=types, fill_value=0))
    fig, ax = plt.subplots(figsize=(plots.PHONE_WIDTH, 0.24 * len(years) + 1.2))
    y = [-i for i in range(len(years))]  # the oldest year on top
    left = pd.Series(0, index=years)
    for i, (t, colour) in enumerate(zip(types, plots.palette(len(types)))):
        ax.barh(y, table[t], left=left, color=colour, hatch=plots.HATCHES[i % len(plots.HATCHES)],
                edgecolor="#333333", linewidth=0.8, label=t, height=0.75)
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
    ax.legend(title="type of publication", loc="upper right", fontsize=plots.FONTS["small"], title_fontsize=plots.FONTS["small"],
              frameon=True, framealpha=0.95, edgecolor="white")
    return plots.finish(fig, source="data/references.csv (the paper's reference list)")


def plot_streams(refs: pd.DataFrame, focus: str = "all"):
    """References per literature stream; the focused stream is hatched and named as such.

    With ``focus="all"`` every bar is drawn alike (nothing is hatched): there is no focus.
    """
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots

    _check_stream(focus)
    counts = reference_counts(refs, "stream")
    fig, ax = plt.subplots(figsize=(plots.PHONE_WIDTH, 0.55 * len(counts) + 1.1))
    y = list(range(len(counts)))[::-1]
    for yi, (stream, n) in zip(y, counts.itertuples(index=False)):
        on = focus in ("all", stream)
        ax.barh(yi, n, color=plots.palette(4)[3] if on else "#CCCCCC", hatch="//" if focus == stream else "",
                edgecolor="#333333", linewidth=1.5 if focus == stream else 0.6, height=0.7)
        ax.text(n + 0.1, yi, str(n), va="center", fontsize=plots.FONTS["small"])
    labels = [lab + ("\n◀ focus" if s == focus else "")
              for lab, s in zip(plots.wrap_labels(counts["stream"].astype(str), 20), counts["stream"].astype(str))]
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


def citation_matrix(refs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Times each reference is cited in each section: rows by stream then number, all nine sections as columns."""
    refs = references() if refs is None else refs
    cites = evidence.load_citations()
    sections = list(cites["paper_section"].cat.categories)
    wide = (cites.assign(s=cites["paper_section"].astype(str))
            .pivot_table(index="key", columns="s", values="n", aggfunc="sum", fill_value=0)
            .reindex(columns=sections, fill_value=0))
    ordered = refs.sort_values(["stream", "ref_num"], kind="stable")
    wide = wide.reindex(ordered["key"], fill_value=0).astype(int)
    wide.index = ordered["label"].to_numpy()
    wide.index.name = "reference"
    wide.columns.name = "paper section"
    return wide


def by_top_section(matrix: pd.DataFrame) -> pd.DataFrame:
    """A citation matrix with the subsections summed into their section (5.1-5.3 into 5): columns 1-6."""
    top = [str(c).split(".")[0] for c in matrix.columns]
    out = matrix.T.groupby(top, sort=False).sum().T
    out.columns.name = matrix.columns.name
    return out


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

    _check_stream(focus)
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
            ax.text(-label_units, r + 0.62, mark + stream, ha="left", va="center", fontsize=plots.FONTS["small"],
                    fontweight="bold", color="#222222" if stream == focus or focus == "all" else "#555555")
            ax.plot([-label_units, n_cols], [r + 1, r + 1], color="#333333", linewidth=1.0, clip_on=False)
            continue
        ax.text(-0.15, r + 0.5, _map_label(lab), ha="right", va="center", fontsize=plots.FONTS["small"],
                fontweight="bold" if stream == focus else "normal", color="#111111")
        for c in range(n_cols):
            n = int(values[i_ref, c])
            colour = cmap(n / vmax) if n else "white"
            ax.add_patch(plt.Rectangle((c, r), 1, 1, facecolor=colour, edgecolor="#CCCCCC", linewidth=0.6))
            if n:
                ax.text(c + 0.5, r + 0.5, str(n), ha="center", va="center", fontsize=plots.FONTS["small"],
                        color=plots.text_colour_on(colour), fontweight="bold")
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


def literature_views() -> pd.DataFrame:
    """``literature_views.csv`` with the view's readable name, its side of the contrast and the reference label."""
    views = evidence.load("literature_views")
    refs = references().set_index("key")
    views["view_label"] = views["view"].astype(str).map(evidence.labels("view"))
    views["camp"] = views["view"].astype(str).map(evidence.labels("view_camp"))
    views["label"] = views["key"].map(refs["label"])
    views["stream"] = views["key"].map(refs["stream"].astype(str))
    order = {v: i for i, v in enumerate(evidence.labels("view"))}
    return views.sort_values("view", key=lambda s: s.astype(str).map(order), kind="stable").reset_index(drop=True)


def view_claims() -> pd.DataFrame:
    """The paper's claims (our summary, ``claims.csv``) that bear on a literature view, with their stance."""
    claims = evidence.load_claims()
    claims = claims[claims["literature_view"].notna()].copy()
    claims["view"] = claims["literature_view"].astype(str)
    claims["view_label"] = claims["view"].map(evidence.labels("view"))
    return claims[["claim_id", "paper_section", "kind", "view", "view_label", "stance", "claim"]].reset_index(drop=True)


def view_claims_table() -> pd.DataFrame:
    """The claims behind the views figure, in four narrow columns for reading on any screen."""
    claims = view_claims()
    return pd.DataFrame({
        "claim": claims["claim_id"].astype(str),
        "§": claims["paper_section"].astype(str),
        "view and stance": [f"{s} {v.lower()}" for v, s in zip(claims["view_label"], claims["stance"].astype(str))],
        "what the paper claims (our summary)": claims["claim"],
    })


def view_summary() -> pd.DataFrame:
    """Per view: its side of the contrast, the references holding it and the claims that support or challenge it."""
    views = literature_views()
    claims = view_claims()
    rows = []
    for view, label in evidence.labels("view").items():
        held = views[views["view"] == view]
        mine = claims[claims["view"] == view]
        rows.append({
            "view": view, "view_label": label, "camp": evidence.label("view_camp", view),
            "references": len(held), "held_by": ", ".join(held["label"]),
            "supports": int((mine["stance"] == "supports").sum()),
            "challenges": int((mine["stance"] == "challenges").sum()),
        })
    return pd.DataFrame(rows)


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
    ax.barh(y, -summary["challenges"], height=0.45, label="◀ claims challenging the view",
            **plots.stance_style("challenges"))
    ax.barh(y, summary["supports"], height=0.45, label="claims supporting the view ▶", **plots.stance_style("supports"))
    lim = max(int(summary["supports"].max()), int(summary["challenges"].max())) + 1.2
    for yi, sup, chal, view, camp, refs in zip(y, summary["supports"], summary["challenges"], summary["view_label"],
                                               summary["camp"], summary["references"]):
        ax.text(sup + 0.12, yi, str(sup), va="center", ha="left", fontsize=plots.FONTS["small"])
        ax.text(-chal - 0.12, yi, str(chal), va="center", ha="right", fontsize=plots.FONTS["small"])
        ax.text(-lim + 0.05, yi + 0.3, f"{view}\n", va="bottom", ha="left", fontsize=plots.FONTS["label"],
                fontweight="bold", linespacing=1.25,
                bbox=dict(boxstyle="square,pad=0.08", facecolor="white", edgecolor="none"))
        ax.text(-lim + 0.05, yi + 0.3, f"{camp} view; {refs} reference{'s' if refs != 1 else ''}", va="bottom",
                ha="left", fontsize=plots.FONTS["small"], color="#444444",
                bbox=dict(boxstyle="square,pad=0.08", facecolor="white", edgecolor="none"))
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


def views_markdown() -> str:
    """The literature views as a MyST list: each view with its side and the paper's verdict, then who holds it.

    A grouped list rather than a table because each entry carries a sentence of explanation,
    which a four-column table squeezes into unreadable strips on a phone.
    """
    views = literature_views()
    summary = view_summary().set_index("view")
    blocks = []
    for view, label in evidence.labels("view").items():
        held = views[views["view"] == view]
        s = summary.loc[view]
        verdict = f"the paper's claims: {s['supports']} supporting, {s['challenges']} challenging"
        lines = [f"**{label}** ({evidence.label('view_camp', view)} view; {verdict})", ""]
        for key, note, section in zip(held["key"], held["note"], held["paper_section"]):
            where = ", ".join(f"§{x}" for x in str(section).split("; "))
            lines.append(f"- {{cite:t}}`{key}` ({where}): {one_line(note)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def reference_table(stream: str = "all") -> pd.DataFrame:
    """The references of one stream (or all) with where the paper cites them and which views they hold.

    Rows are grouped by stream under a bold header row, so the table needs only three columns
    and fits a phone screen; long view names may break at a soft hyphen for the same reason.
    """
    _check_stream(stream)
    refs = references().sort_values(["stream", "ref_num"], kind="stable")
    if stream != "all":
        refs = refs[refs["stream"].astype(str) == stream]
    rows = []
    for name, group in refs.groupby("stream", observed=True, sort=False):
        rows.append({"Reference": f"**{name}**", "Cited in § (times)": "", "Views it holds": ""})
        for n, k, where, views in zip(group["ref_num"], group["key"], group["sections"], group["views"]):
            rows.append({"Reference": f"[{n}] {{cite:t}}`{k}`", "Cited in § (times)": where,
                         "Views it holds": views.replace("institutionalisation", "institution\u00adalisation") or "–"})
    return pd.DataFrame(rows, columns=["Reference", "Cited in § (times)", "Views it holds"])


def citation_facts(refs: pd.DataFrame | None = None) -> dict[str, Any]:
    """Numbers about the reference list for the prose: totals, where citations fall, how recent the work is."""
    refs = references() if refs is None else refs
    cites = evidence.load_citations()
    section = cites["paper_section"].astype(str)
    total = int(cites["n"].sum())
    in_findings = int(cites.loc[section.str.startswith("5"), "n"].sum())
    years = refs["year"].astype(int)
    return {
        "n_references": len(refs),
        "n_citations": total,
        "n_in_review": int(cites.loc[section == "2", "n"].sum()),
        "share_in_review": int(cites.loc[section == "2", "n"].sum()) / total,
        "n_in_findings": in_findings,
        "n_in_conclusions": int(cites.loc[section == "6", "n"].sum()),
        "n_in_results": in_findings + int(cites.loc[section == "6", "n"].sum()),
        "year_first": int(years.min()),
        "year_last": int(years.max()),
        "n_since_2014": int((years >= 2014).sum()),
        "share_since_2014": float((years >= 2014).mean()),
        "n_articles": int((refs["type"].astype(str) == "article").sum()),
        "n_streams": int(refs["stream"].astype(str).nunique()),
        "n_review_only": int(sum(set(section[cites["key"] == k]) == {"2"} for k in refs["key"])),
    }


def literature_numbers(stream: str = "all") -> dict[str, Any]:
    """Every number chapter B's prose and solutions state, for the chosen ``stream``.

    Besides :func:`citation_facts`: how many references the focused stream has, how often the
    critical-labour references are cited outside the introduction and review, and what the
    paper's claims do to each literature view.
    """
    _check_stream(stream)
    refs = references()
    facts = citation_facts(refs)
    summary = view_summary().set_index("view")
    claims = view_claims()
    matrix = citation_matrix(refs)
    critical = refs.loc[refs["stream"].astype(str) == "critical labour", "label"]
    beyond = [c for c in matrix.columns if c not in ("1", "2")]
    deinst = claims[(claims["view"] == "deinstitutionalisation") & (claims["stance"] == "challenges")]
    facts.update({
        "stream_name": "all streams" if stream == "all" else stream,
        "n_focus": len(refs) if stream == "all" else int((refs["stream"].astype(str) == stream).sum()),
        "n_critical": len(critical),
        "critical_beyond_review": int(matrix.loc[critical, beyond].to_numpy().sum()),
        "n_view_refs": int(literature_views()["key"].nunique()),
        "n_view_claims": len(claims),
        "n_forces": int(evidence.figure_range("F28")[0]),
        "deinst_challenges": int(summary.loc["deinstitutionalisation", "challenges"]),
        "deinst_claims": ", ".join(deinst["claim_id"].astype(str)),
        "diff_supports": int(summary.loc["differentiated_outcomes", "supports"]),
        "sweatshop_supports": int(summary.loc["digital_sweatshop", "supports"]),
        "sweatshop_challenges": int(summary.loc["digital_sweatshop", "challenges"]),
    })
    return facts
