"""Chapter E2, the barriers: which actors address which barrier, and the evidence behind each pair.

A barrier is a code under the asset or cultural barrier themes of the reference coding. The
barrier-actor table (``data/barrier_actors.csv``) says which actor the paper links to which barrier;
co-coded excerpts and the claims' evidence add what the coding shows. The code-by-group matrices
and quotations the chapter shares with E1 are in :mod:`livelihoods.analyses.findings`.
"""

from __future__ import annotations

from typing import Any
import pandas as pd
from livelihoods import evidence
from livelihoods.analyses import methods
from livelihoods.analyses.findings import (
    count_heatmap,
    groups_phrase,
    label,
    leaves_under,
    theme_brackets,
    theme_of,
    voices_by_theme,
    wrap_names,
)
from livelihoods.errors import ParameterError


#: Themes of the codebook that chapter E2 covers: the barriers.
BARRIER_THEMES: tuple[str, ...] = ("asset_barriers", "cultural_barriers")


#: Codes that show an actor *addressing* a barrier when they sit on the same excerpt as a barrier
#: code. Only the remedial codes of each institutional theme count: ``platform_constraints`` and
#: ``bidding_competition`` describe problems platforms create, so an excerpt that carries one of
#: them beside a barrier (EX15) is evidence of a barrier, not of anyone addressing it.
ADDRESSING_CODES: dict[str, tuple[str, ...]] = {
    "platforms": ("platform_improvements",),
    "development_agencies": ("agency_intervention", "walled_garden"),
    "freelancer_networks": ("peer_support", "group_work"),
}


def barrier_codes() -> list[str]:
    """The leaf codes under the asset and cultural barrier themes (the values of E2's ``barrier``)."""
    return [code for theme in BARRIER_THEMES for code in leaves_under(theme)]


def actor_label(actor: str) -> str:
    """A readable label for an actor of ``barrier_actors.csv``."""
    return evidence.labels("actor").get(actor) or actor.replace("_", " ")


def barrier_actor_evidence() -> pd.DataFrame:
    """Every piece of evidence that an actor addresses a barrier (or that nobody does), one row each.

    Three sources, so the matrix rests on more than one table:

    * ``stated``: the claim and excerpt that ``barrier_actors.csv`` gives for the pair;
    * ``claim evidence``: excerpts linked to that claim in ``claim_evidence.csv`` that the
      reference coding also codes with the barrier;
    * ``co-coded``: excerpts that carry the barrier code and one of the actor's
      :data:`ADDRESSING_CODES` in the reference coding.

    Columns: ``barrier_code``, ``actor``, ``evidence`` (a claim or excerpt id), ``kind``
    (``claim`` or ``excerpt``) and ``source``. Duplicates across sources are dropped, keeping the
    first source in the order above.
    """
    ba = evidence.load_barrier_actors()
    ba["barrier_code"] = ba["barrier_code"].astype(str)
    ba["actor"] = ba["actor"].astype(str)
    codings = evidence.load_codings()
    codings["code_id"] = codings["code_id"].astype(str)
    coded = codings.groupby("excerpt_id")["code_id"].agg(set).to_dict()
    links = evidence.load_claim_evidence()
    rows: list[dict[str, str]] = []

    def add(barrier: str, actor: str, evidence: str, source: str) -> None:
        if evidence:
            rows.append(
                {
                    "barrier_code": barrier,
                    "actor": actor,
                    "evidence": evidence,
                    "kind": "claim" if evidence.startswith("C") else "excerpt",
                    "source": source,
                }
            )

    for r in ba.itertuples(index=False):
        add(r.barrier_code, r.actor, r.claim_id, "stated")
        add(r.barrier_code, r.actor, r.excerpt_id, "stated")
    for r in ba.itertuples(index=False):
        if not r.claim_id:
            continue
        for ex in links.loc[links["claim_id"] == r.claim_id, "excerpt_id"]:
            if r.barrier_code in coded.get(ex, set()):
                add(r.barrier_code, r.actor, ex, "claim evidence")
    for barrier in barrier_codes():
        for actor, remedies in ADDRESSING_CODES.items():
            for ex, codes in sorted(coded.items()):
                if barrier in codes and codes & set(remedies):
                    add(barrier, actor, ex, "co-coded")
    out = pd.DataFrame(rows, columns=["barrier_code", "actor", "evidence", "kind", "source"])
    return out.drop_duplicates(["barrier_code", "actor", "evidence"]).reset_index(drop=True)


def barrier_actor_matrix(actor_evidence: pd.DataFrame | None = None, what: str = "count") -> pd.DataFrame:
    """Barriers (rows, every barrier code) against actors (columns, every actor in the schema).

    ``what="count"`` gives the number of distinct pieces of evidence per cell; ``what="ids"``
    gives them as text ("C16, EX10"), empty where there are none.
    """
    if what not in ("count", "ids"):
        raise ParameterError(f"what {what!r} is not allowed: expected 'count' or 'ids'")
    links = barrier_actor_evidence() if actor_evidence is None else actor_evidence
    barriers = barrier_codes()
    actors = list(evidence.load_barrier_actors()["actor"].cat.categories)
    if what == "count":
        m = links.groupby(["barrier_code", "actor"])["evidence"].nunique().unstack(fill_value=0)
        m = m.reindex(index=barriers, columns=actors, fill_value=0).astype(int)
    else:

        def ids(s: pd.Series) -> str:
            return ", ".join(sorted(set(s), key=lambda e: (e[0] != "C", e)))

        m = links.groupby(["barrier_code", "actor"])["evidence"].agg(ids).unstack(fill_value="")
        m = m.reindex(index=barriers, columns=actors, fill_value="")
    m.index.name = "barrier_code"
    m.columns.name = "actor"
    return m


def plot_barrier_actor_matrix(counts: pd.DataFrame, ids: pd.DataFrame, spotlight: str = "all"):
    """Barriers against the actors who address them: colour for the amount of evidence, counts printed.

    Each cell prints how many claims and excerpts are behind it, so the figure can be read without
    colour; which ones, by id, is in :func:`barrier_actor_table` beside the figure, where the book
    links each id to its entry in the evidence index. ``spotlight`` (a barrier code or ``"all"``) draws a
    heavy dashed frame round one barrier's row and sets its label in bold.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from livelihoods.analyses import plots

    if spotlight != "all" and spotlight not in counts.index:
        raise ParameterError(
            f"barrier {spotlight!r} is not allowed: expected 'all' or one of {', '.join(counts.index)}"
        )
    annot = ids.map(evidence_count)
    n_rows, n_cols = counts.shape
    fig, ax = plt.subplots(figsize=(4.8, 1.4 + 0.7 * n_rows))
    count_heatmap(ax, counts, annot, fontsize=12, zero_text="")
    theme_brackets(ax, list(counts.index), n_cols)
    row_labels = [label(c).removesuffix(" barrier") for c in counts.index]
    ax.set_yticks([i + 0.5 for i in range(n_rows)], wrap_names(row_labels, 12), rotation=0, fontsize=11)
    ax.set_xticks(
        [j + 0.5 for j in range(n_cols)],
        [evidence.labels("actor_short").get(a, a) for a in counts.columns],
        rotation=30,
        ha="right",
        rotation_mode="anchor",
        fontsize=11,
    )
    ax.set_xlabel("who addresses it (cells: how many claims\nand excerpts say so)", fontsize=11)
    ax.set_ylabel("")
    ax.tick_params(axis="both", length=0)
    if spotlight != "all":
        i = list(counts.index).index(spotlight)
        ax.add_patch(
            Rectangle((0, i), n_cols, 1, fill=False, edgecolor="#000000", linewidth=3, linestyle="--", clip_on=False)
        )
        ax.get_yticklabels()[i].set_fontweight("bold")
    title = "Who addresses each barrier" + ("" if spotlight == "all" else f"\nspotlight: {label(spotlight).lower()}")
    ax.set_title(title, loc="left")
    return plots.finish(fig, source="data/barrier_actors.csv, codings.csv,\nclaims.csv, claim_evidence.csv")


def evidence_count(ids: str) -> str:
    """``"C16, EX10, EX11"`` -> ``"3"`` (empty for no evidence): what a cell of the grid prints."""
    found = [i.strip() for i in str(ids).split(",") if i.strip()]
    return str(len(found)) if found else ""


def barrier_actor_table(ids: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ids behind every non-empty cell of the barrier-actor grid: barrier, actor, claims, excerpts."""
    ids = barrier_actor_matrix(what="ids") if ids is None else ids
    rows = []
    for code, row in ids.iterrows():
        for actor, found in row.items():
            items = [i.strip() for i in str(found).split(",") if i.strip()]
            if not items:
                continue
            rows.append(
                {
                    "barrier": label(code),
                    "who addresses it": actor_label(actor),
                    "claims": ", ".join(i for i in items if i.startswith("C")) or "–",
                    "excerpts": ", ".join(i for i in items if i.startswith("EX")) or "–",
                }
            )
    return pd.DataFrame(rows)


def barrier_summary(counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per barrier: its theme, the actors who address it (not counting "nobody") and whether the
    paper says nobody does. The contrast of section 6, asset against cultural barriers, in one table.
    """
    counts = barrier_actor_matrix() if counts is None else counts
    rows = []
    for code, row in counts.iterrows():
        actors = [actor_label(a) for a, n in row.items() if n > 0 and a != "nobody"]
        rows.append(
            {
                "barrier": label(code),
                "kind": "asset" if theme_of(code) == "asset_barriers" else "cultural",
                "addressed by": ", ".join(actors) or "–",
                "actors": len(actors),
                "also nobody": "yes" if row.get("nobody", 0) > 0 else "no",
            }
        )
    return pd.DataFrame(rows)


def barrier_dossier(barrier: str = "all") -> pd.DataFrame:
    """The evidence on one barrier (or all): each claim or excerpt, the actor it concerns and what it says.

    Claims are given in our words (``claims.csv``); excerpts by their attribution, since the
    quotations themselves are shown in full in the chapter's narrative.
    """
    allowed = barrier_codes()
    if barrier != "all" and barrier not in allowed:
        raise ParameterError(f"barrier {barrier!r} is not allowed: expected 'all' or one of {', '.join(allowed)}")
    ev = barrier_actor_evidence()
    if barrier != "all":
        ev = ev[ev["barrier_code"] == barrier]
    claims = evidence.load_claims().set_index("claim_id")
    excerpts = evidence.load_excerpts().set_index("excerpt_id")

    def what(eid: str) -> str:
        if eid.startswith("C"):
            return str(claims.loc[eid, "claim"])
        return f"Excerpt from {excerpts.loc[eid, 'attribution']} (§{excerpts.loc[eid, 'paper_section']})"

    out = pd.DataFrame(
        {
            "barrier": [label(b) for b in ev["barrier_code"]],
            "actor": [actor_label(a) for a in ev["actor"]],
            "evidence": ev["evidence"],
            "how we know": ev["source"],
            "what it says": [what(e) for e in ev["evidence"]],
        }
    )
    return out.reset_index(drop=True)


def barrier_dossier_md(barrier: str = "all") -> str:
    """The evidence of :func:`barrier_dossier` as a Markdown list, grouped by barrier.

    Why a list: each entry carries a sentence of text, which a five-column table squeezes into an
    unreadable column on a phone. The list starts with a MyST comment so tests can find it. Entries
    named in ``barrier_actors.csv`` carry no source note (the chapter says so once); the others say
    how they were found.
    """
    barrier_dossier(barrier)  # validates the barrier with the same message
    ev = barrier_actor_evidence()
    if barrier != "all":
        ev = ev[ev["barrier_code"] == barrier]
    claims = evidence.load_claims().set_index("claim_id")
    excerpts = evidence.load_excerpts().set_index("excerpt_id")
    lines = ["% evidence dossier"]
    for code in [b for b in barrier_codes() if b in set(ev["barrier_code"])]:
        kind = "asset" if theme_of(code) == "asset_barriers" else "cultural"
        lines += ["", f"**{label(code)}** ({kind} barrier)", ""]
        for row in ev[ev["barrier_code"] == code].itertuples(index=False):
            how = (
                "" if row.source == "stated" else f" ({evidence.labels('evidence_source').get(row.source, row.source)})"
            )
            if row.kind == "claim":
                what = f"claim **{row.evidence}**: {claims.loc[row.evidence, 'claim']}"
            else:
                what = (
                    f"excerpt **{row.evidence}** ({excerpts.loc[row.evidence, 'attribution']}, "
                    f"§{excerpts.loc[row.evidence, 'paper_section']}), quoted above"
                )
            lines.append(f"- *{actor_label(row.actor)}*{how}: {what}")
    return "\n".join(lines)


def e2_values(barrier: str = "all") -> dict[str, Any]:
    """The numbers and short texts chapter E2's prose cites, computed from the data."""
    allowed = barrier_codes()
    if barrier != "all" and barrier not in allowed:
        raise ParameterError(f"barrier {barrier!r} is not allowed: expected 'all' or one of {', '.join(allowed)}")
    summary = barrier_summary()
    themes = voices_by_theme(BARRIER_THEMES).set_index("theme")
    codes = voices_by_theme(["gender_expectations", "cultural_view_of_work"]).set_index("theme")
    weeks = evidence.figure_range("F24")[0]
    months = evidence.figure_range("F25")[0]
    out: dict[str, Any] = {
        "n_interviews": methods.n_interviews(),
        "n_recurring": int(evidence.figure_range("F21")[0]),
        "internet_2016": evidence.context_value("IT.NET.USER.ZS", 2016, "ITU export"),
        "elec_2016_now": evidence.context_value("EG.ELC.ACCS.ZS", 2016, "2026-07 release"),
        "elec_2016_then": evidence.context_value("EG.ELC.ACCS.ZS", 2016, "2018-08 release"),
        "female_lfp": evidence.context_value("SL.TLF.CACT.FE.ZS", 2016, "2026-07 release"),
        "train_city_weeks": int(weeks),
        "train_gb_months": int(months),
        "train_ratio": months * 52 / 12 / weeks,
        "groups_asset": groups_phrase(str(themes.loc[label("asset_barriers"), "groups"])),
        "groups_cultural": groups_phrase(str(themes.loc[label("cultural_barriers"), "groups"])),
        "groups_gender": groups_phrase(str(codes.loc[label("gender_expectations"), "groups"])),
        "groups_view": groups_phrase(str(codes.loc[label("cultural_view_of_work"), "groups"])),
        "n_asset": int((summary["kind"] == "asset").sum()),
        "n_asset_addressed": int(((summary["kind"] == "asset") & (summary["actors"] > 0)).sum()),
        "n_cultural": int((summary["kind"] == "cultural").sum()),
        "n_cultural_addressed": int(((summary["kind"] == "cultural") & (summary["actors"] > 0)).sum()),
        "spot_label": "all barriers" if barrier == "all" else label(barrier).lower(),
        "spot_evidence": len(barrier_dossier(barrier)),
    }
    return out
