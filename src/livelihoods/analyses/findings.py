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
from livelihoods.errors import ParameterError

__all__ = [
    "Quotations",
    "check_organisation",
    "claims_for",
    "code_group_matrix",
    "coded_excerpts",
    "count_heatmap",
    "evidence_audit",
    "excerpt_ids",
    "glue_values",
    "groups_phrase",
    "label",
    "leaves_under",
    "plot_code_group_matrix",
    "stakeholder_groups",
    "theme_brackets",
    "theme_of",
    "voices_by_theme",
    "wrap_names",
]


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


def stakeholder_groups() -> list[str]:
    """The stakeholder groups of ``respondents.csv`` in their schema order (columns of every matrix)."""
    return list(evidence.load_respondents()["group"].cat.categories)


def check_organisation(organisation: str) -> None:
    if organisation not in evidence.organisations():
        raise ParameterError(
            f"organisation {organisation!r} is not allowed: expected one of {', '.join(map(repr, evidence.organisations()))}"
        )


# --------------------------------------------------------------------------- excerpts for a code


def coded_excerpts(nodes: str | Iterable[str], organisation: str = "all") -> pd.DataFrame:
    """One row per (excerpt, leaf code) for the codes under ``nodes``, with the speaker's details.

    ``organisation`` keeps only excerpts whose speaker belongs to that organisation (``"all"``
    keeps every one). Rows come in codebook order, then paper order, so a chapter's quotations
    follow the structure of the framework and, within a code, the order of the paper.
    """
    check_organisation(organisation)
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
    cols = [
        "excerpt_id",
        "code_id",
        "salience",
        "order",
        "paper_section",
        "guide_section",
        "initials",
        "attribution",
        "group",
        "organisation",
        "text",
    ]
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
        check_organisation(organisation)
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
                secondary.append(
                    f"*Coded here as secondary content: the paper quotes this excerpt in {where} "
                    f"mainly for “{label(main).lower()}”.*\n\n" + text
                )
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
        rows.groupby(["code_id", rows["group"].astype(str)])[allowed[count]]
        .nunique()
        .unstack(fill_value=0)
        .reindex(index=codes, columns=groups, fill_value=0)
        .astype(int)
    )
    matrix.index.name = "code_id"
    matrix.columns.name = "stakeholder group"
    return matrix


def wrap_names(labels: Iterable[str], width: int, hyphens: bool = False) -> list[str]:
    """Wrap tick labels at spaces (a word such as "coordinator" is never split).

    ``hyphens=True`` also breaks after a hyphen ("ex-" / "trainee"), for the narrow columns of a
    matrix, where a label wider than its cell would run into its neighbour's.
    """
    import textwrap

    return [
        "\n".join(textwrap.wrap(str(x), width, break_long_words=False, break_on_hyphens=hyphens)) or str(x)
        for x in labels
    ]


def theme_of(code_id: str) -> str:
    return evidence.code_ancestor(code_id, "theme")


def _short_theme(theme_id: str) -> str:
    return evidence.labels("theme_short").get(theme_id) or label(theme_id)


def count_heatmap(ax, counts: pd.DataFrame, annot: pd.DataFrame, fontsize: int, zero_text: str = "0") -> None:
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
        ax.text(
            j + 0.5,
            i + 0.5,
            annot.iat[i, j],
            ha="center",
            va="center",
            fontsize=fontsize,
            color=plots.text_colour_on(cmap(norm(values[i, j]))),
        )
    for i, j in zip(*np.nonzero(values == 0)):
        ax.text(j + 0.5, i + 0.5, zero_text, ha="center", va="center", fontsize=fontsize, color="#666666")
    # white grid lines between masked cells too
    for k in range(1, counts.shape[0]):
        ax.axhline(k, color="white", linewidth=1.0)
    for k in range(1, counts.shape[1]):
        ax.axvline(k, color="white", linewidth=1.0)


def theme_brackets(ax, codes: Sequence[str], n_cols: int) -> None:
    """Heavy lines between themes and the theme's short name on the right of its block of rows."""
    themes = [theme_of(c) for c in codes]
    start = 0
    for i in range(1, len(themes) + 1):
        if i == len(themes) or themes[i] != themes[i - 1]:
            if i < len(themes):
                ax.axhline(i, color="#333333", linewidth=2)
            ax.text(
                n_cols + 0.12,
                (start + i) / 2,
                _short_theme(themes[i - 1]),
                rotation=-90,
                ha="left",
                va="center",
                fontsize=9,
                fontweight="bold",
                color="#333333",
                clip_on=False,
            )
            start = i


def plot_code_group_matrix(
    matrix: pd.DataFrame,
    title: str,
    organisation: str = "all",
    count: str = "excerpts",
    source: str = "data/codings.csv, excerpts.csv,\nrespondents.csv (reference coding)",
):
    """A heatmap of a code-by-group matrix, each cell printed with its count.

    Rows are labelled by code, grouped by theme (heavy lines, the theme's name on the right), so the
    push/pull or asset/cultural grouping is visible. The count is written in every cell, so nothing
    relies on colour. Sized to stay legible when a phone scales it to its screen width.
    """
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots

    n_rows, n_cols = matrix.shape
    fig, ax = plt.subplots(figsize=(4.6, 1.3 + 0.55 * n_rows))
    count_heatmap(ax, matrix, matrix.astype(str), fontsize=11)
    theme_brackets(ax, list(matrix.index), n_cols)
    ax.set_yticks(
        [i + 0.5 for i in range(n_rows)], wrap_names([label(c) for c in matrix.index], 18), rotation=0, fontsize=10
    )
    # group names broken at spaces and hyphens ("ex-" / "trainee"), so that neighbouring names never touch
    ax.set_xticks(
        [j + 0.5 for j in range(n_cols)], wrap_names(matrix.columns, 8, hyphens=True), rotation=0, fontsize=9.5
    )
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
    check_organisation(organisation)
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
        rows.append(
            {
                "claim": cid,
                "section": claims.loc[cid, "paper_section"],
                "what the paper finds (our words)": claims.loc[cid, "claim"],
                "basis": str(claims.loc[cid, "evidence_basis"]).replace("_", " "),
                "excerpts": ", ".join(mine["excerpt_id"]) or "–",
                "voices": int(mine["initials"].nunique()),
                "groups": int(mine["group"].nunique()),
            }
        )
    out = pd.DataFrame(rows)
    if compact and len(out):

        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        out = pd.DataFrame(
            {
                "claim": [f"{c} (§{sec})" for c, sec in zip(out["claim"], out["section"])],
                "what the paper finds (our words)": out["what the paper finds (our words)"],
                "basis": out["basis"],
                "evidence": [
                    f"{ex} ({plural(v, 'voice')}, {plural(g, 'group')})" if v else "–"
                    for ex, v, g in zip(out["excerpts"], out["voices"], out["groups"])
                ],
            }
        )
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
        rows.append(
            {
                "theme": label(theme),
                "excerpts": int(mine["excerpt_id"].nunique()),
                "people": int(mine["initials"].nunique()),
                "groups": ", ".join(groups) or "–",
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- barriers and actors


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


def groups_phrase(groups: str) -> str:
    """ "a, b, c" (a cell of :func:`voices_by_theme`) as "*a*, *b* and *c*" for a sentence."""
    names = [g for g in groups.split(", ") if g and g != "–"]
    if not names:
        return "no group"
    marked = [f"*{g}*" for g in names]
    return marked[0] if len(marked) == 1 else ", ".join(marked[:-1]) + " and " + marked[-1]
