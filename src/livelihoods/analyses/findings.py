"""Shared analyses of the findings, computed from the reference coding.

Why this module exists: the findings chapters (E1-E4) must show the paper's evidence without
anyone hand-listing which excerpt goes where. Everything here starts from ``data/codings.csv``
(which excerpt carries which code), joined to the codebook, the respondents, the claims and the
barrier-actor table, so that a change to the reference coding changes every quotation list,
matrix and table in the book at once, and a reader can trace each cell back to its rows.

* :func:`leaves_under`, :func:`coded_excerpts` and :func:`excerpt_ids` find the excerpts for a
  code, theme or component, optionally for one organisation's respondents;
* :class:`Quotations` quotes them code by code, each excerpt in full once per chapter;
* :func:`code_group_matrix` (with :func:`plot_code_group_matrix`) counts codes by stakeholder group;
* :func:`evidence_audit` lists claims with the excerpts, voices and groups behind them;
* :func:`barrier_actor_evidence`, :func:`barrier_actor_matrix` and :func:`plot_barrier_actor_matrix`
  cross each barrier with the actors who address it.

Counts are counts of *published excerpts*, the authors' selection from 29 interviews, not of
people or of how often something was said; the chapters say so wherever a count is shown.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import pandas as pd

from livelihoods import evidence
from livelihoods.analyses import methods
from livelihoods.errors import ParameterError
from livelihoods.evidence import ORGANISATIONS

__all__ = [
    "ADDRESSING_CODES",
    "BARRIER_THEMES",
    "DRIVER_THEMES",
    "Quotations",
    "actor_label",
    "barrier_actor_evidence",
    "barrier_actor_matrix",
    "barrier_codes",
    "barrier_dossier",
    "barrier_dossier_md",
    "claims_for",
    "voices_by_theme",
    "barrier_summary",
    "code_group_matrix",
    "coded_excerpts",
    "evidence_audit",
    "e1_values",
    "e2_values",
    "excerpt_ids",
    "glue_values",
    "label",
    "leaves_under",
    "plot_barrier_actor_matrix",
    "plot_code_group_matrix",
    "stakeholder_groups",
]

#: Themes of the codebook that chapter E1 covers: the vulnerability context and the drivers.
DRIVER_THEMES: tuple[str, ...] = ("vulnerability", "push_drivers", "pull_drivers")

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

#: One-word actor names for the matrix's columns, so that they stay legible on a phone (the
#: chapter's caption spells them out).
_ACTOR_SHORT = {
    "platforms": "platforms",
    "development_agencies": "agencies",
    "freelancer_networks": "networks",
    "local_banks": "banks",
    "nobody": "nobody",
}

_ACTOR_LABELS = {
    "platforms": "platforms",
    "development_agencies": "development agencies",
    "freelancer_networks": "freelancers' networks",
    "local_banks": "local banks (added)",
    "nobody": "nobody",
}


# --------------------------------------------------------------------------- codebook helpers


def _codebook() -> pd.DataFrame:
    return evidence.load_codebook().set_index("code_id", drop=False)


def label(code_id: str) -> str:
    """The codebook's human label for a code, theme or component."""
    cb = _codebook()
    if code_id not in cb.index:
        raise ParameterError(f"code {code_id!r} is not in data/codebook.csv: expected a code_id such as 'autonomy'")
    return str(cb.loc[code_id, "label"])


def leaves_under(node: str) -> list[str]:
    """The leaf codes at or below ``node`` (a code, theme or component), in codebook order.

    Why: a chapter names the themes it covers, never the individual codes, so a code added to a
    theme in ``codebook.csv`` appears in the chapter without any edit to it.
    """
    cb = _codebook()
    if node not in cb.index:
        raise ParameterError(f"code {node!r} is not in data/codebook.csv: expected a code, theme or component id")
    children: dict[str, list[str]] = {}
    for code, parent in zip(cb["code_id"], cb["parent_id"]):
        children.setdefault(parent, []).append(code)
    out: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if str(cb.loc[current, "level"]) == "code":
            out.append(current)
        stack.extend(children.get(current, []))
    order = dict(zip(cb["code_id"], cb["order"]))
    return sorted(out, key=order.__getitem__)


def barrier_codes() -> list[str]:
    """The leaf codes under the asset and cultural barrier themes (the values of E2's ``barrier``)."""
    return [code for theme in BARRIER_THEMES for code in leaves_under(theme)]


def stakeholder_groups() -> list[str]:
    """The stakeholder groups of ``respondents.csv`` in their schema order (columns of every matrix)."""
    return list(evidence.load_respondents()["group"].cat.categories)


def _check_organisation(organisation: str) -> None:
    if organisation not in ORGANISATIONS:
        raise ParameterError(
            f"organisation {organisation!r} is not allowed: expected one of {', '.join(map(repr, ORGANISATIONS))}"
        )


# --------------------------------------------------------------------------- excerpts for a code


def coded_excerpts(nodes: str | Iterable[str], organisation: str = "all") -> pd.DataFrame:
    """One row per (excerpt, leaf code) for the codes under ``nodes``, with the speaker's details.

    ``organisation`` keeps only excerpts whose speaker belongs to that organisation (``"all"``
    keeps every one). Rows come in codebook order, then paper order, so a chapter's quotations
    follow the structure of the framework and, within a code, the order of the paper.
    """
    _check_organisation(organisation)
    nodes = [nodes] if isinstance(nodes, str) else list(nodes)
    codes = [c for node in nodes for c in leaves_under(node)]
    codings = evidence.load_codings()
    codings = codings[codings["code_id"].astype(str).isin(codes)].copy()
    codings["code_id"] = codings["code_id"].astype(str)
    codings["salience"] = codings["salience"].astype(str)
    ex = evidence.excerpts_with_respondents()
    out = codings.merge(ex, on="excerpt_id", how="left", validate="many_to_one")
    if organisation != "all":
        out = out[out["organisation"] == organisation]
    rank = {c: i for i, c in enumerate(codes)}
    out["code_rank"] = out["code_id"].map(rank)
    out = out.sort_values(["code_rank", "order"], kind="stable").drop(columns="code_rank")
    cols = ["excerpt_id", "code_id", "salience", "order", "paper_section", "guide_section", "initials",
            "attribution", "group", "organisation", "text"]
    return out[cols].reset_index(drop=True)


def excerpt_ids(nodes: str | Iterable[str], organisation: str = "all", guide_section: str | None = None) -> list[str]:
    """Distinct ids of the excerpts coded under ``nodes``, in paper order.

    ``guide_section`` (``"E1"``..``"E4"``) restricts them to one section of the educators' guide.
    """
    rows = coded_excerpts(nodes, organisation)
    if guide_section is not None:
        rows = rows[rows["guide_section"] == guide_section]
    return list(rows.sort_values("order", kind="stable")["excerpt_id"].drop_duplicates())


def _primary_code(excerpt_id: str) -> str:
    codings = evidence.load_codings()
    mine = codings[(codings["excerpt_id"] == excerpt_id) & (codings["salience"].astype(str) == "primary")]
    return str(mine["code_id"].iloc[0]) if len(mine) else ""


class Quotations:
    """Quote a chapter's excerpts code by code, each excerpt in full the first time only.

    Why: an excerpt often carries more than one code (EX07 is about a role model *and* about
    earnings). Quoting it in full under every code would repeat it; skipping it would hide the
    coding. So the first code that meets an excerpt quotes it (through :func:`chapter.quote`,
    verbatim with its attribution) and later codes point back to it. An excerpt quoted for a
    secondary code says what its main code is, so a reader sees how it was coded.

    Within a code, excerpts coded there as primary content come first, then secondary ones, then
    the pointers back: the chapter's lead-in sentence (ending in a colon) introduces the excerpt
    that is mainly about the code, and is followed by it.
    """

    def __init__(self, organisation: str = "all") -> None:
        _check_organisation(organisation)
        self.organisation = organisation
        self.seen: dict[str, str] = {}

    def markdown(self, code_id: str) -> str:
        """The quotations for one leaf code as Markdown (a note when there are none)."""
        from livelihoods.analyses import show

        if leaves_under(code_id) != [code_id]:
            raise ParameterError(f"{code_id!r} is a theme or component: Quotations.code takes a leaf code")
        rows = coded_excerpts(code_id, self.organisation)
        if rows.empty:
            who = "" if self.organisation == "all" else f" from {self.organisation} respondents"
            return f"*No published excerpt{who} carries the code “{label(code_id)}” in the reference coding.*"
        primary, secondary, pointers = [], [], []
        for row in rows.itertuples(index=False):
            if row.excerpt_id in self.seen:
                pointers.append(
                    f"*Also coded here:* excerpt {row.excerpt_id} ({row.attribution}), quoted above under "
                    f"*{self.seen[row.excerpt_id]}*."
                )
                continue
            text = show.quote(row.excerpt_id).data  # with its [sic] note, if any
            if row.salience == "secondary":
                main = _primary_code(row.excerpt_id)
                where = f"§{row.paper_section}"
                secondary.append(f"*Coded here as secondary content: the paper quotes this excerpt in {where} "
                                 f"mainly for “{label(main).lower()}”.*\n\n" + text)
            else:
                primary.append(text)
            self.seen[row.excerpt_id] = label(code_id)
        return "\n\n".join(primary + secondary + pointers)

    def code(self, code_id: str) -> Any:
        """The quotations for one leaf code, for display in a notebook (IPython Markdown)."""
        from livelihoods.analyses.show import md

        return md(self.markdown(code_id))


# --------------------------------------------------------------------------- codes by stakeholder group


def code_group_matrix(nodes: str | Iterable[str], organisation: str = "all", count: str = "excerpts") -> pd.DataFrame:
    """Leaf codes (rows) against stakeholder groups (columns): how many excerpts, or voices.

    ``count="excerpts"`` counts distinct excerpts carrying the code; ``count="respondents"``
    counts distinct people quoted. Every code under ``nodes`` and every stakeholder group is
    kept, with zeros, so the matrix has the same shape whatever the organisation filter. The
    index is the code id, so callers can relabel or group rows by theme.
    """
    allowed = {"excerpts": "excerpt_id", "respondents": "initials"}
    if count not in allowed:
        raise ParameterError(f"count {count!r} is not allowed: expected 'excerpts' or 'respondents'")
    nodes = [nodes] if isinstance(nodes, str) else list(nodes)
    codes = [c for node in nodes for c in leaves_under(node)]
    rows = coded_excerpts(nodes, organisation)
    groups = stakeholder_groups()
    matrix = (
        rows.groupby(["code_id", rows["group"].astype(str)])[allowed[count]].nunique()
        .unstack(fill_value=0)
        .reindex(index=codes, columns=groups, fill_value=0)
        .astype(int)
    )
    matrix.index.name = "code_id"
    matrix.columns.name = "stakeholder group"
    return matrix


def _wrap(labels: Iterable[str], width: int, hyphens: bool = False) -> list[str]:
    """Wrap tick labels at spaces (a word such as "coordinator" is never split).

    ``hyphens=True`` also breaks after a hyphen ("ex-" / "trainee"), for the narrow columns of a
    matrix, where a label wider than its cell would run into its neighbour's.
    """
    import textwrap

    return ["\n".join(textwrap.wrap(str(x), width, break_long_words=False, break_on_hyphens=hyphens)) or str(x)
            for x in labels]


def _theme_of(code_id: str) -> str:
    return evidence.code_ancestor(code_id, "theme")


#: Short theme names for figure labels (long ones would crowd a phone screen); others use the label.
_SHORT_THEMES = {"vulnerability": "Vulnerability", "push_drivers": "Push", "pull_drivers": "Pull",
                 "asset_barriers": "Asset", "cultural_barriers": "Cultural"}


def _short_theme(theme_id: str) -> str:
    return _SHORT_THEMES.get(theme_id, label(theme_id))


def _count_heatmap(ax, counts: pd.DataFrame, annot: pd.DataFrame, fontsize: int, zero_text: str = "0") -> None:
    """Draw a small count matrix: empty cells pale, the rest darker the more they hold, text in every cell.

    Why not a plain heatmap: with counts of 0-2, a full colour map paints the many zero cells as
    the heaviest blocks on the page. Here zeros are pale grey, non-zero cells take the book's
    colour-blind-safe sequential map reversed (darker = more), and every cell carries its text,
    so the reading never depends on colour.
    """
    import matplotlib as mpl
    import numpy as np

    from livelihoods.analyses import plots

    values = counts.to_numpy()
    vmax = max(1, int(values.max()))
    cmap = mpl.colormaps[plots.SEQUENTIAL + "_r"]
    norm = mpl.colors.Normalize(vmin=0, vmax=vmax)
    # A plain matplotlib mesh, row 0 at the top: seaborn's heatmap would draw the same, but importing
    # seaborn (and scipy.stats with it) costs these chapters' kernels about a second.
    ax.pcolormesh(np.ma.masked_equal(values, 0), cmap=cmap, norm=norm, edgecolors="white", linewidth=1.0)
    ax.set_xlim(0, values.shape[1])
    ax.set_ylim(values.shape[0], 0)
    ax.set_facecolor("#eeeeee")
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    for i, j in zip(*np.nonzero(values > 0)):
        ax.text(j + 0.5, i + 0.5, annot.iat[i, j], ha="center", va="center", fontsize=fontsize,
                color=plots.text_colour_on(cmap(norm(values[i, j]))))
    for i, j in zip(*np.nonzero(values == 0)):
        ax.text(j + 0.5, i + 0.5, zero_text, ha="center", va="center", fontsize=fontsize, color="#666666")
    # white grid lines between masked cells too
    for k in range(1, counts.shape[0]):
        ax.axhline(k, color="white", linewidth=1.0)
    for k in range(1, counts.shape[1]):
        ax.axvline(k, color="white", linewidth=1.0)


def _theme_brackets(ax, codes: Sequence[str], n_cols: int) -> None:
    """Heavy lines between themes and the theme's short name on the right of its block of rows."""
    themes = [_theme_of(c) for c in codes]
    start = 0
    for i in range(1, len(themes) + 1):
        if i == len(themes) or themes[i] != themes[i - 1]:
            if i < len(themes):
                ax.axhline(i, color="#333333", linewidth=2)
            ax.text(n_cols + 0.12, (start + i) / 2, _short_theme(themes[i - 1]), rotation=-90, ha="left",
                    va="center", fontsize=9, fontweight="bold", color="#333333", clip_on=False)
            start = i


def plot_code_group_matrix(matrix: pd.DataFrame, title: str, organisation: str = "all", count: str = "excerpts",
                           source: str = "data/codings.csv, excerpts.csv,\nrespondents.csv (reference coding)"):
    """A heatmap of a code-by-group matrix, each cell printed with its count.

    Rows are labelled by code, grouped by theme (heavy lines, the theme's name on the right), so the
    push/pull or asset/cultural grouping is visible. The count is written in every cell, so nothing
    relies on colour. Sized to stay legible when a phone scales it to its screen width.
    """
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots

    n_rows, n_cols = matrix.shape
    fig, ax = plt.subplots(figsize=(4.6, 1.3 + 0.55 * n_rows))
    _count_heatmap(ax, matrix, matrix.astype(str), fontsize=11)
    _theme_brackets(ax, list(matrix.index), n_cols)
    ax.set_yticks([i + 0.5 for i in range(n_rows)], _wrap([label(c) for c in matrix.index], 18), rotation=0,
                  fontsize=10)
    # group names broken at spaces and hyphens ("ex-" / "trainee"), so that neighbouring names never touch
    ax.set_xticks([j + 0.5 for j in range(n_cols)], _wrap(matrix.columns, 8, hyphens=True), rotation=0, fontsize=9.5)
    ax.set_xlabel(f"group of the person quoted\n(cells: {count})", fontsize=10)
    ax.set_ylabel("")
    ax.set_title(title + ("" if organisation == "all" else f"\n{organisation} respondents only"), loc="left")
    ax.tick_params(axis="both", length=0)
    return plots.finish(fig, source=source)


# --------------------------------------------------------------------------- claims and their evidence


def evidence_audit(claim_ids: Sequence[str], organisation: str = "all", compact: bool = False) -> pd.DataFrame:
    """Each claim with the excerpts behind it and how many voices and groups they come from.

    Why: a finding resting on one person's words is weaker than one that several stakeholder
    groups voice. ``organisation`` counts only excerpts from that organisation's respondents, so
    a reader can see which claims survive when one organisation's voices are set aside.
    ``compact=True`` folds the columns into four, for a page that must read on a phone.
    """
    _check_organisation(organisation)
    claims = evidence.load_claims().set_index("claim_id", drop=False)
    unknown = [c for c in claim_ids if c not in claims.index]
    if unknown:
        raise ParameterError(f"claim {unknown[0]!r} is not in data/claims.csv: expected an id such as C01")
    links = evidence.load_claim_evidence().merge(evidence.excerpts_with_respondents(), on="excerpt_id", how="left")
    if organisation != "all":
        links = links[links["organisation"] == organisation]
    rows = []
    for cid in claim_ids:
        mine = links[links["claim_id"] == cid].sort_values("order", kind="stable")
        rows.append({
            "claim": cid,
            "section": claims.loc[cid, "paper_section"],
            "what the paper finds (our words)": claims.loc[cid, "claim"],
            "basis": str(claims.loc[cid, "evidence_basis"]).replace("_", " "),
            "excerpts": ", ".join(mine["excerpt_id"]) or "–",
            "voices": int(mine["initials"].nunique()),
            "groups": int(mine["group"].nunique()),
        })
    out = pd.DataFrame(rows)
    if compact and len(out):
        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        out = pd.DataFrame({
            "claim": [f"{c} (§{sec})" for c, sec in zip(out["claim"], out["section"])],
            "what the paper finds (our words)": out["what the paper finds (our words)"],
            "basis": out["basis"],
            "evidence": [f"{ex} ({plural(v, 'voice')}, {plural(g, 'group')})" if v else "–"
                         for ex, v, g in zip(out["excerpts"], out["voices"], out["groups"])],
        })
    return out


def claims_for(themes: Iterable[str] | None = None, research_question: str | None = None) -> list[str]:
    """Ids of the claims on ``themes`` and/or answering ``research_question`` (``"RQ1"``..), in paper order."""
    claims = evidence.load_claims()
    mask = pd.Series(True, index=claims.index)
    if themes is not None:
        mask &= claims["theme_id"].astype(str).isin(list(themes))
    if research_question is not None:
        mask &= claims["research_question"].astype(str) == research_question
    return list(claims.loc[mask, "claim_id"])


def voices_by_theme(themes: Iterable[str], organisation: str = "all") -> pd.DataFrame:
    """For each theme: how many excerpts carry one of its codes, from how many people, in which groups.

    Why: the drivers and barriers are told by different people (managers describe the region,
    trainees their families); a reader weighing a finding should see whose account it is.
    """
    rows = []
    for theme in themes:
        mine = coded_excerpts(theme, organisation)
        groups = [g for g in stakeholder_groups() if g in set(mine["group"].astype(str))]
        rows.append({
            "theme": label(theme),
            "excerpts": int(mine["excerpt_id"].nunique()),
            "people": int(mine["initials"].nunique()),
            "groups": ", ".join(groups) or "–",
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- barriers and actors


def actor_label(actor: str) -> str:
    """A readable label for an actor of ``barrier_actors.csv``."""
    return _ACTOR_LABELS.get(actor, actor.replace("_", " "))


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
            rows.append({"barrier_code": barrier, "actor": actor, "evidence": evidence,
                         "kind": "claim" if evidence.startswith("C") else "excerpt", "source": source})

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
    """Barriers against the actors who address them: colour for the amount of evidence, ids printed.

    Each cell prints the claim and excerpt ids behind it, so the figure can be read without
    colour and checked against the tables. ``spotlight`` (a barrier code or ``"all"``) draws a
    heavy dashed frame round one barrier's row and sets its label in bold.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from livelihoods.analyses import plots

    if spotlight != "all" and spotlight not in counts.index:
        raise ParameterError(f"barrier {spotlight!r} is not allowed: expected 'all' or one of {', '.join(counts.index)}")
    annot = ids.map(lambda s: s.replace(", ", "\n"))
    n_rows, n_cols = counts.shape
    fig, ax = plt.subplots(figsize=(4.8, 1.4 + 0.7 * n_rows))
    _count_heatmap(ax, counts, annot, fontsize=12, zero_text="")
    _theme_brackets(ax, list(counts.index), n_cols)
    row_labels = [label(c).removesuffix(" barrier") for c in counts.index]
    ax.set_yticks([i + 0.5 for i in range(n_rows)], _wrap(row_labels, 12), rotation=0, fontsize=11)
    ax.set_xticks([j + 0.5 for j in range(n_cols)], [_ACTOR_SHORT.get(a, a) for a in counts.columns],
                  rotation=30, ha="right", rotation_mode="anchor", fontsize=11)
    ax.set_xlabel("who addresses it (cells: claims\nand excerpts that say so)", fontsize=11)
    ax.set_ylabel("")
    ax.tick_params(axis="both", length=0)
    if spotlight != "all":
        i = list(counts.index).index(spotlight)
        ax.add_patch(Rectangle((0, i), n_cols, 1, fill=False, edgecolor=plots.OKABE_ITO[4], linewidth=3,
                               linestyle="--", clip_on=False))
        ax.get_yticklabels()[i].set_fontweight("bold")
    title = "Who addresses each barrier" + ("" if spotlight == "all" else f"\nspotlight: {label(spotlight).lower()}")
    ax.set_title(title, loc="left")
    return plots.finish(fig, source="data/barrier_actors.csv, codings.csv,\nclaims.csv, claim_evidence.csv")


def barrier_summary(counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per barrier: its theme, the actors who address it (not counting "nobody") and whether the
    paper says nobody does. The contrast of section 6, asset against cultural barriers, in one table.
    """
    counts = barrier_actor_matrix() if counts is None else counts
    rows = []
    for code, row in counts.iterrows():
        actors = [actor_label(a) for a, n in row.items() if n > 0 and a != "nobody"]
        rows.append({
            "barrier": label(code),
            "kind": "asset" if _theme_of(code) == "asset_barriers" else "cultural",
            "addressed by": ", ".join(actors) or "–",
            "actors": len(actors),
            "also nobody": "yes" if row.get("nobody", 0) > 0 else "no",
        })
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

    out = pd.DataFrame({
        "barrier": [label(b) for b in ev["barrier_code"]],
        "actor": [actor_label(a) for a in ev["actor"]],
        "evidence": ev["evidence"],
        "how we know": ev["source"],
        "what it says": [what(e) for e in ev["evidence"]],
    })
    return out.reset_index(drop=True)


#: How an entry of the dossier was found, for the entries not named in barrier_actors.csv (most
#: are, and the chapter says so once rather than on every line).
_SOURCE_TEXT = {
    "claim evidence": "linked to that claim in claim_evidence.csv",
    "co-coded": "coded with both in codings.csv",
}


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
        kind = "asset" if _theme_of(code) == "asset_barriers" else "cultural"
        lines += ["", f"**{label(code)}** ({kind} barrier)", ""]
        for row in ev[ev["barrier_code"] == code].itertuples(index=False):
            how = "" if row.source == "stated" else f" ({_SOURCE_TEXT.get(row.source, row.source)})"
            if row.kind == "claim":
                what = f"claim **{row.evidence}**: {claims.loc[row.evidence, 'claim']}"
            else:
                what = (f"excerpt **{row.evidence}** ({excerpts.loc[row.evidence, 'attribution']}, "
                        f"§{excerpts.loc[row.evidence, 'paper_section']}), quoted above")
            lines.append(f"- *{actor_label(row.actor)}*{how}: {what}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- numbers for the prose


def glue_values(values: dict[str, Any]) -> None:
    """Glue a chapter's numbers and short texts for its prose.

    Numbers go through :func:`chapter.glue_value` (``{glue:text}`name```); strings are glued as
    Markdown so that ``{glue:md}`name``` prints them without the quotation marks a plain-text
    repr would add.
    """
    from livelihoods.analyses import show
    from livelihoods.analyses.show import md

    for name, value in values.items():
        if isinstance(value, str):
            show.glue(name, md(value))
        else:
            show.glue_value(name, value)


def _groups_phrase(groups: str) -> str:
    """ "a, b, c" (a cell of :func:`voices_by_theme`) as "*a*, *b* and *c*" for a sentence."""
    names = [g for g in groups.split(", ") if g and g != "–"]
    if not names:
        return "no group"
    marked = [f"*{g}*" for g in names]
    return marked[0] if len(marked) == 1 else ", ".join(marked[:-1]) + " and " + marked[-1]


def _monthly_multiple(figure_id: str, income_id: str = "F37") -> tuple[float, float]:
    low, high = evidence.figure_range(figure_id)
    income = evidence.figure_range(income_id)[0]
    return low / income, high / income


def e1_values(organisation: str = "all") -> dict[str, Any]:
    """The numbers and short texts chapter E1's prose cites, computed from the data.

    Run-specific values (``run_*``) follow the ``organisation`` filter; the rest describe all
    published excerpts, which the prose says.
    """
    _check_organisation(organisation)
    run = coded_excerpts(DRIVER_THEMES, organisation)
    themes = voices_by_theme(DRIVER_THEMES).set_index("theme")
    names = {"vulnerability": "Vulnerability", "push": "Push drivers", "pull": "Pull drivers"}
    out: dict[str, Any] = {
        "run_label": "all organisations" if organisation == "all" else f"{organisation} respondents only",
        "run_excerpts": int(run["excerpt_id"].nunique()),
        "run_people": int(run["initials"].nunique()),
        "n_interviews": methods.n_interviews(),
    }
    for key, theme in names.items():
        out[f"n_{key}"] = int(themes.loc[theme, "excerpts"])
        out[f"groups_{key}"] = _groups_phrase(str(themes.loc[theme, "groups"]))
    out["female_lfp"] = evidence.context_value("SL.TLF.CACT.FE.ZS", 2016, "2026-07 release")
    out["rm_usd_low"], out["rm_usd_high"] = evidence.figure_range("F23")
    out["pc_income"] = evidence.figure_range("F37")[0]
    out["rm_multiple_low"], out["rm_multiple_high"] = _monthly_multiple("F23")
    return out


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
        "groups_asset": _groups_phrase(str(themes.loc[label("asset_barriers"), "groups"])),
        "groups_cultural": _groups_phrase(str(themes.loc[label("cultural_barriers"), "groups"])),
        "groups_gender": _groups_phrase(str(codes.loc[label("gender_expectations"), "groups"])),
        "groups_view": _groups_phrase(str(codes.loc[label("cultural_view_of_work"), "groups"])),
        "n_asset": int((summary["kind"] == "asset").sum()),
        "n_asset_addressed": int(((summary["kind"] == "asset") & (summary["actors"] > 0)).sum()),
        "n_cultural": int((summary["kind"] == "cultural").sum()),
        "n_cultural_addressed": int(((summary["kind"] == "cultural") & (summary["actors"] > 0)).sum()),
        "spot_label": "all barriers" if barrier == "all" else label(barrier).lower(),
        "spot_evidence": len(barrier_dossier(barrier)),
    }
    return out
