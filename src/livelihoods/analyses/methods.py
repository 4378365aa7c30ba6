"""Counting the published evidence: who speaks, how often, and behind which claims.

A qualitative paper can only be reproduced as far as its published evidence goes. These
functions make that visible: the reported sample against the respondents actually quoted, and
(for the conclusions) how many distinct voices and stakeholder groups stand behind each claim.
"""

from __future__ import annotations

import pandas as pd

from livelihoods import evidence
from livelihoods.analyses import plots
from livelihoods.errors import ParameterError


def _sample_count(dimension: str, category: str) -> int:
    sample = evidence.load_sample()
    row = sample[(sample["dimension"] == dimension) & (sample["category"].str.lower() == category.lower())]
    if row.empty:
        raise KeyError(f"sample.csv has no row for {dimension}={category}")
    return int(row["count"].iloc[0])


def n_interviews() -> int:
    """Interviews the paper reports (section 4)."""
    return _sample_count("mode", "all interviews")


def n_skype() -> int:
    """Interviews conducted by Skype (section 4)."""
    return _sample_count("mode", "Skype")


def n_excerpts() -> int:
    """Attributed interview excerpts published in the paper."""
    return len(evidence.load_excerpts())


def n_respondents_quoted() -> int:
    """Distinct respondents quoted in the paper."""
    return int(evidence.load_excerpts()["initials"].nunique())


#: Width of this module's charts in inches, and their font sizes in points. A phone shows a chart
#: about 340 pixels wide, so ``f``-point text reads at ``f * 340 / (72 * width)`` pixels: 11-12
#: points at 4.3 inches come out at 12-13 pixels, near the body text. On a desktop the chart keeps

#: How the chart of voices may be grouped (the ``grouping`` parameter of chapter D).
GROUPINGS = ("group", "organisation", "respondent")

#: The column that names each grouping in :func:`voices`.
_GROUP_COLUMN = {"group": "stakeholder group", "organisation": "organisation", "respondent": "respondent"}

#: Our mapping from the stakeholder types the paper names (section 4, as in data/sample.csv) to the
#: normalised groups of the quoted respondents. The paper names freelancers as a type, but no quoted
#: respondent is attributed as a freelancer alone (YA is printed once as "Trainer and Freelancer").
STAKEHOLDER_GROUPS: dict[str, tuple[str, ...]] = {
    "project leads": ("project lead",),
    "OO freelancers": (),
    "trainees (KADO and EP)": ("trainee", "ex-trainee"),
    "trainers": ("trainer",),
    "project managers": ("project manager or coordinator",),
}


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ParameterError(f"{name} = {value!r} is not allowed: expected one of {', '.join(map(repr, allowed))}")
    return value


def _organisations() -> tuple[str, ...]:
    return ("all", *evidence.load_respondents()["organisation"].cat.categories)


def _excerpts(organisation: str) -> pd.DataFrame:
    _check_choice("organisation", organisation, _organisations())
    ex = evidence.excerpts_with_respondents()
    if organisation != "all":
        ex = ex[ex["organisation"] == organisation]
    return ex


def voices(organisation: str = "all", grouping: str = "group") -> pd.DataFrame:
    """Excerpts and respondents quoted, by stakeholder group, organisation or respondent.

    ``organisation`` is ``"all"`` or one of the respondents' organisations; ``grouping`` is one
    of :data:`GROUPINGS`. Rows are kept in the data's own order (groups and organisations in
    their schema order, respondents by first appearance in the paper), and every row carries the
    organisation so the chart can colour by it.
    """
    _check_choice("grouping", grouping, GROUPINGS)
    ex = _excerpts(organisation)
    if grouping == "respondent":
        ex = ex.assign(respondent=ex["initials"] + " (" + ex["role"].astype(str) + ")")
        grouped = (
            ex.groupby(["initials", "respondent", "organisation"], observed=True, sort=False)
            .agg(excerpts=("excerpt_id", "count"))
            .reset_index()
        )
        first = evidence.load_respondents().set_index("initials")["order"]
        grouped = grouped.assign(respondents=1, _o=grouped["initials"].map(first))
        return grouped.sort_values("_o")[["respondent", "organisation", "excerpts", "respondents"]].reset_index(
            drop=True
        )
    keys = ["group", "organisation"] if grouping == "group" else ["organisation"]
    grouped = (
        ex.groupby(keys, observed=True)
        .agg(excerpts=("excerpt_id", "count"), respondents=("initials", "nunique"))
        .reset_index()
    )
    if grouping == "organisation":
        grouped["organisation"] = grouped["organisation"].astype(str)
    return grouped.rename(columns={"group": "stakeholder group"}).reset_index(drop=True)


def plot_voices(counts: pd.DataFrame, organisation: str = "all", grouping: str = "group"):
    """Horizontal bars of excerpts per group (or organisation, or respondent), stacked by organisation.

    Each organisation has its own colour and hatch, so the chart reads without colour; the
    total is printed at the end of each bar and each part inside it when there are several.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    _check_choice("grouping", grouping, GROUPINGS)
    column = _GROUP_COLUMN[grouping]
    if column not in counts.columns:
        raise ParameterError(
            f"grouping = {grouping!r} does not match the counts given (no column {column!r}): "
            f"pass the grouping used for voices()"
        )
    counts = counts.assign(**{column: counts[column].astype(str), "organisation": counts["organisation"].astype(str)})
    rows = list(dict.fromkeys(counts[column]))  # first-appearance order
    wide = counts.pivot_table(
        index=column, columns="organisation", values="excerpts", aggfunc="sum", fill_value=0
    ).reindex(rows)
    all_orgs = list(evidence.load_respondents()["organisation"].cat.categories)
    orgs = [o for o in all_orgs if o in wide.columns]
    colours = dict(zip(all_orgs, plots.palette(len(all_orgs))))
    hatches = dict(zip(all_orgs, plots.HATCHES))

    fig, ax = plt.subplots(figsize=(plots.PHONE_WIDTH, max(3.0, 1.9 + 0.5 * len(rows))))
    y = list(range(len(rows)))[::-1]
    left = pd.Series(0, index=wide.index)
    for org in orgs:
        values = wide[org]
        bars = ax.barh(y, values, left=left, color=colours[org], hatch=hatches[org], edgecolor="#333333", height=0.68)
        if (wide[orgs] > 0).sum(axis=1).max() > 1:  # label the parts only where bars are split
            ax.bar_label(
                bars,
                labels=[f"{v}" if v and (wide.loc[r, orgs] > 0).sum() > 1 else "" for v, r in zip(values, wide.index)],
                label_type="center",
                fontsize=plots.FONTS["small"],
                fontweight="bold",
                bbox=dict(boxstyle="round,pad=0.12", facecolor="white", edgecolor="none", alpha=0.85),
            )
        left = left + values
    for yi, total in zip(y, left):
        ax.annotate(
            f"{total}",
            (total, yi),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=plots.FONTS["label"],
        )
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ax.set_yticks(y, plots.wrap_labels(rows, 16))
    ax.tick_params(axis="y", labelsize=plots.FONTS["small"])
    ax.tick_params(axis="x", labelsize=plots.FONTS["tick"])
    ax.set_xlim(0, max(left.max() * 1.15, 1) + 0.5)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel("published excerpts", fontsize=plots.FONTS["label"])
    what = {"group": "stakeholder group", "organisation": "organisation", "respondent": "respondent"}[grouping]
    title = f"Excerpts by {what}" + ("" if organisation == "all" else f"\n{organisation} respondents only")
    fig.suptitle(title, x=0.01, ha="left", fontsize=plots.FONTS["title"], fontweight="bold")
    handles = [Patch(facecolor=colours[o], hatch=hatches[o], edgecolor="#333333", label=o) for o in orgs]
    # the key sits in one row over the chart, where it can never cover a bar
    ax.legend(
        handles=handles,
        title="organisation",
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncol=len(handles),
        frameon=False,
        fontsize=plots.FONTS["small"],
        title_fontsize=plots.FONTS["small"],
        handlelength=1.6,
        columnspacing=1.0,
        alignment="right",
        borderaxespad=0.3,
    )
    ax.grid(axis="y", visible=False)
    return plots.finish(fig, source="data/excerpts.csv, data/respondents.csv\n(Malik et al. 2017)")


def sample_by_location() -> pd.DataFrame:
    """The 29 interviews by place and mode, as section 4 reports them (from ``data/sample.csv``).

    The place and the mode are printed together ("Lahore (Skype)"); they are split here so the
    chart can mark the mode. ``derived`` flags a count the paper does not print (the 24
    face-to-face interviews are 29 minus the 5 by Skype).
    """
    sample = evidence.load_sample()
    rows = sample[sample["dimension"] == "location"]
    parts = rows["category"].str.extract(r"^(?P<place>.+) \((?P<mode>Skype|face-to-face)\)$")
    if parts.isna().any().any():
        bad = rows.loc[parts["place"].isna(), "category"].iloc[0]
        raise ValueError(f"sample.csv location {bad!r} does not end in (Skype) or (face-to-face)")
    return pd.DataFrame(
        {
            "place": parts["place"].to_numpy(),
            "mode": parts["mode"].to_numpy(),
            "interviews": rows["count"].astype(int).to_numpy(),
            "derived": rows["derived"].astype(bool).to_numpy(),
        }
    )


def plot_sample(sample: pd.DataFrame):
    """Horizontal bars of interviews per place, colour and hatch by mode, derived counts marked."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    modes = ["face-to-face", "Skype"]
    colours = dict(zip(modes, plots.palette(2)))
    hatches = dict(zip(modes, ("", "//")))
    fig, ax = plt.subplots(figsize=(plots.PHONE_WIDTH, 3.4))
    sample = sample.sort_values("interviews")
    y = range(len(sample))
    bars = ax.barh(
        list(y),
        sample["interviews"],
        color=[colours[m] for m in sample["mode"]],
        hatch=[hatches[m] for m in sample["mode"]],
        edgecolor="#333333",
        height=0.65,
    )
    labels = [
        f"{n}\n(not printed:\n{n_interviews()} − {n_skype()})" if d else f"{n}"
        for n, d in zip(sample["interviews"], sample["derived"])
    ]
    ax.bar_label(bars, labels=labels, padding=4, fontsize=plots.FONTS["small"], linespacing=1.1)
    ax.set_yticks(list(y), plots.wrap_labels(sample["place"], 16))
    ax.tick_params(axis="y", labelsize=plots.FONTS["small"])
    ax.tick_params(axis="x", labelsize=plots.FONTS["tick"])
    ax.set_xlim(0, sample["interviews"].max() * 1.5)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.set_xlabel("interviews", fontsize=plots.FONTS["label"])
    fig.suptitle(
        f"The {n_interviews()} interviews by place and mode",
        x=0.01,
        ha="left",
        fontsize=plots.FONTS["title"],
        fontweight="bold",
    )
    ax.legend(
        handles=[Patch(facecolor=colours[m], hatch=hatches[m], edgecolor="#333333", label=m) for m in modes],
        loc="lower right",
        frameon=True,
        framealpha=0.95,
        edgecolor="white",
        fontsize=plots.FONTS["small"],
    )
    ax.grid(axis="y", visible=False)
    return plots.finish(fig, source="data/sample.csv (Malik et al. 2017, section 4)")


def stakeholder_types(organisation: str = "all") -> pd.DataFrame:
    """The stakeholder types of the purposive sample beside how many of each are quoted.

    The paper names five types but gives no count for any of them, so there is no "interviewed"
    column (a column reading "not reported" in every row told the reader nothing; the chapter's
    caption says it once). The quoted respondents and excerpts come from the published
    attributions, matched to the types through :data:`STAKEHOLDER_GROUPS` (our mapping).
    """
    sample = evidence.load_sample()
    types = list(sample.loc[sample["dimension"] == "stakeholder_type", "category"])
    unknown = [t for t in types if t not in STAKEHOLDER_GROUPS]
    if unknown:
        raise KeyError(f"stakeholder type {unknown[0]!r} in sample.csv has no entry in STAKEHOLDER_GROUPS")
    ex = _excerpts(organisation)
    rows = []
    for t in [t for t in STAKEHOLDER_GROUPS if t in types]:  # the paper's order
        mine = ex[ex["group"].astype(str).isin(STAKEHOLDER_GROUPS[t])]
        rows.append(
            {
                "stakeholder type (section 4)": t,
                "quoted respondents": int(mine["initials"].nunique()),
                "excerpts": int(len(mine)),
                "quoted as (groups)": ", ".join(STAKEHOLDER_GROUPS[t]) or "none alone",
            }
        )
    return pd.DataFrame(rows)


def voice_shares() -> dict[str, float | int | str]:
    """Headline shares of the published voices, for the prose (always over all excerpts).

    ``kado_share`` and ``trainee_share`` are shares of the excerpts; ``top`` is the most quoted
    respondent with ``top_n`` excerpts; ``single_excerpt`` counts respondents quoted only once.
    """
    ex = evidence.excerpts_with_respondents()
    per = ex["initials"].value_counts()
    return {
        "kado_share": float((ex["organisation"] == "KADO").mean()),
        "trainee_share": float(ex["group"].astype(str).isin(["trainee", "ex-trainee"]).mean()),
        "top": str(per.index[0]),
        "top_n": int(per.iloc[0]),
        "single_excerpt": int((per == 1).sum()),
        "n_not_quoted": n_interviews() - n_respondents_quoted(),
    }


def codebook_tree(organisation: str = "all") -> pd.DataFrame:
    """The reconstructed codebook as an indented tree with the evidence under every node.

    For each node: ``excerpts`` is the number of distinct published excerpts coded at or below
    it (from the reference coding, restricted to one organisation's respondents if asked) and
    ``codings`` the number of code applications below it. Rows come in the codebook's display
    order (a pre-order traversal), so the indentation reads as a tree.
    """
    codebook = evidence.load_codebook()
    ex = _excerpts(organisation)
    codings = evidence.load_codings()
    codings = codings[codings["excerpt_id"].isin(ex["excerpt_id"])].assign(code_id=lambda d: d["code_id"].astype(str))
    depth = {"component": 0, "theme": 1, "code": 2}
    # each coding's path up the tree, once: the node at every level above its code
    paths = {c: {level: evidence.code_ancestor(c, level) for level in depth} for c in set(codings["code_id"])}
    rows = []
    for node in codebook.itertuples():
        level = str(node.level)
        below = codings[[paths[c].get(level) == node.code_id for c in codings["code_id"]]]
        indent = "\u2003\u2003" * depth[str(node.level)]
        added = str(node.definition).startswith("Added code")
        rows.append(
            {
                "node": indent
                + ("└ " if depth[str(node.level)] else "")
                + str(node.label)
                + (" (added)" if added else ""),
                "level": str(node.level),
                "excerpts": int(below["excerpt_id"].nunique()),
                "codings": int(len(below)),
                "paper section": str(node.paper_section),
            }
        )
    return pd.DataFrame(rows)


def template_steps() -> dict[str, int]:
    """Counts for the template-analysis walk-through: the tree's size at each step of our reconstruction.

    ``a_priori`` are the SLF components (themes fixed before coding); ``themes`` and ``codes``
    the initial template's lower levels; ``added`` the codes we added when the excerpts did not
    fit (marked "Added code" in the codebook); ``unused`` leaf codes no published excerpt carries.
    """
    codebook = evidence.load_codebook()
    level = codebook["level"].astype(str)
    codes = codebook[level == "code"]
    used = set(evidence.load_codings()["code_id"].astype(str))
    return {
        "a_priori": int((level == "component").sum()),
        "themes": int((level == "theme").sum()),
        "codes": int(len(codes)),
        "added": int(codes["definition"].str.startswith("Added code").sum()),
        "unused": int((~codes["code_id"].isin(used)).sum()),
        "codings": int(len(evidence.load_codings())),
    }


def tree_table(tree: pd.DataFrame, caption: str):
    """The codebook tree as a captioned table that keeps its shape on a narrow screen.

    The indentation becomes a left padding of the node cell (so a label that wraps stays indented
    under itself) and the levels differ in weight (components bold, themes semi-bold), not colour.
    """
    from livelihoods.analyses import show

    weight = {"component": "bold", "theme": "600", "code": "normal"}
    depth = {"component": 0, "theme": 1, "code": 2}
    shown = tree.drop(columns=["level"]).assign(
        node=tree["node"].str.lstrip("\u2003").str.replace("└ ", "└\u00a0", regex=False)
    )
    styler = show.table(shown, caption=caption)
    levels = list(tree["level"])

    def rows(frame: pd.DataFrame) -> pd.DataFrame:
        css = [[f"font-weight: {weight[lv]}"] * frame.shape[1] for lv in levels]
        node = list(frame.columns).index("node")
        for i, lv in enumerate(levels):
            # !important: the table-wide "td" padding rule of chapter.table is more specific than a cell id
            css[i][node] += (
                f"; padding-left: {1.3 * depth[lv]:.1f}em !important; text-indent: -0.9em" if depth[lv] else ""
            )
        return pd.DataFrame(css, index=frame.index, columns=frame.columns)

    return styler.apply(rows, axis=None)


def respondents_covering(share: float = 0.5) -> int:
    """The fewest respondents whose excerpts together make up at least ``share`` of all excerpts.

    A measure of concentration: if a handful of people supply half the quotations, the published
    evidence speaks with fewer voices than the sample size suggests.
    """
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
        raise ParameterError(f"share = {share!r} is not allowed: expected a number above 0 and at most 1")
    counts = evidence.load_excerpts()["initials"].value_counts().sort_values(ascending=False)
    covered = counts.cumsum() / counts.sum()
    return int((covered < share).sum() + 1)


def headline_numbers() -> dict[str, float | int]:
    """The numbers chapter D's prose cites (always over the whole published evidence), for gluing."""
    shares = voice_shares()
    steps = template_steps()
    return {
        "n_interviews": n_interviews(),
        "n_skype": n_skype(),
        "n_face_to_face": n_interviews() - n_skype(),
        "n_quoted": n_respondents_quoted(),
        "n_not_quoted": shares["n_not_quoted"],
        "n_excerpts": n_excerpts(),
        "share_quoted": n_respondents_quoted() / n_interviews(),
        "kado_share": shares["kado_share"],
        "trainee_share": shares["trainee_share"],
        "top_n": shares["top_n"],
        "single_excerpt": shares["single_excerpt"],
        "half_voices": respondents_covering(0.5),
        "n_types": int((evidence.load_sample()["dimension"] == "stakeholder_type").sum()),
        "a_priori": steps["a_priori"],
        "n_themes": steps["themes"],
        "n_codes": steps["codes"],
        "n_added": steps["added"],
        "n_unused": steps["unused"],
        "n_codings": steps["codings"],
    }
