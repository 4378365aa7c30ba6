"""Counting the published evidence: who speaks, how often, and behind which claims.

A qualitative paper can only be reproduced as far as its published evidence goes. These
functions make that visible: the reported sample against the respondents actually quoted, and
(for the conclusions) how many distinct voices and stakeholder groups stand behind each claim.
"""

from __future__ import annotations

import pandas as pd

from livelihoods import data


def _sample_count(dimension: str, category: str) -> int:
    sample = data.load_sample()
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
    return len(data.load_excerpts())


def n_respondents_quoted() -> int:
    """Distinct respondents quoted in the paper."""
    return int(data.load_excerpts()["initials"].nunique())


def voices(organisation: str = "all") -> pd.DataFrame:
    """Excerpts and respondents quoted by stakeholder group and organisation.

    ``organisation`` is ``"all"`` or one of the respondents' organisations. Groups with no
    excerpt are kept with zeros so that the table's shape does not depend on the filter.
    """
    ex = data.excerpts_with_respondents()
    if organisation != "all":
        ex = ex[ex["organisation"] == organisation]
    grouped = (
        ex.groupby(["group", "organisation"], observed=True)
        .agg(excerpts=("excerpt_id", "count"), respondents=("initials", "nunique"))
        .reset_index()
    )
    return grouped.rename(columns={"group": "stakeholder group"}).reset_index(drop=True)


def plot_voices(counts: pd.DataFrame, organisation: str = "all"):
    """Horizontal bars of excerpts per stakeholder group, one colour and hatch per organisation."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    from livelihoods import plots

    fig, ax = plt.subplots(figsize=(7, 3.6))
    orgs = [o for o in data.load_respondents()["organisation"].cat.categories if o in set(counts["organisation"])]
    sns.barplot(data=counts, y="stakeholder group", x="excerpts", hue="organisation", hue_order=orgs,
                palette=plots.palette(len(orgs)), orient="h", ax=ax)
    for patches, hatch in zip(ax.containers, plots.HATCHES):
        for bar in patches:
            bar.set_hatch(hatch)
            bar.set_edgecolor("#333333")
        ax.bar_label(patches, padding=2, fontsize=9)
    ax.set_xlabel("published excerpts")
    ax.set_ylabel("")
    title = "Whose voices are published" + ("" if organisation == "all" else f": {organisation}")
    ax.set_title(title, loc="left")
    legend = ax.legend(title="organisation", loc="lower right")
    for handle, hatch in zip(legend.legend_handles, plots.HATCHES):
        handle.set_hatch(hatch)
        handle.set_edgecolor("#333333")
    return plots.finish(fig, source="data/excerpts.csv, data/respondents.csv (Malik et al. 2017)")
