"""Chapter B, the literature: the paper's references, its streams, its citations and the views it takes sides in.

Everything is read from ``data/references.csv`` (the 26 references with a stream assigned by us),
``data/citations.csv`` (where each is cited) and ``data/literature_views.csv``; the chapter's
tables and numbers are computed here so its cells stay one line long, and its charts are drawn in
:mod:`livelihoods.analyses.literature_charts`.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from livelihoods import evidence
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
    where = (
        cites.assign(s=cites["paper_section"].astype(str))
        .groupby("key")
        .apply(lambda g: "; ".join(f"{s} ({n})" for s, n in zip(g["s"], g["n"])), include_groups=False)
    )
    refs["sections"] = refs["key"].map(where).fillna("")
    held = views.groupby("view", observed=True)["key"].apply(list)
    refs["views"] = [
        ", ".join(label for v, label in evidence.labels("view").items() if v in held.index and k in held[v])
        for k in refs["key"]
    ]
    return refs


def streams() -> list[str]:
    """The literature streams, in the order of the data package's enum."""
    return list(evidence.load_references()["stream"].cat.categories)


def check_stream(stream: str) -> None:
    """Stop with a ParameterError unless ``stream`` is ``"all"`` or one of :func:`streams`."""
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


def citation_matrix(refs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Times each reference is cited in each section: rows by stream then number, all nine sections as columns."""
    refs = references() if refs is None else refs
    cites = evidence.load_citations()
    sections = list(cites["paper_section"].cat.categories)
    wide = (
        cites.assign(s=cites["paper_section"].astype(str))
        .pivot_table(index="key", columns="s", values="n", aggfunc="sum", fill_value=0)
        .reindex(columns=sections, fill_value=0)
    )
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
    return pd.DataFrame(
        {
            "claim": claims["claim_id"].astype(str),
            "§": claims["paper_section"].astype(str),
            "view and stance": [f"{s} {v.lower()}" for v, s in zip(claims["view_label"], claims["stance"].astype(str))],
            "what the paper claims (our summary)": claims["claim"],
        }
    )


def view_summary() -> pd.DataFrame:
    """Per view: its side of the contrast, the references holding it and the claims that support or challenge it."""
    views = literature_views()
    claims = view_claims()
    rows = []
    for view, label in evidence.labels("view").items():
        held = views[views["view"] == view]
        mine = claims[claims["view"] == view]
        rows.append(
            {
                "view": view,
                "view_label": label,
                "camp": evidence.label("view_camp", view),
                "references": len(held),
                "held_by": ", ".join(held["label"]),
                "supports": int((mine["stance"] == "supports").sum()),
                "challenges": int((mine["stance"] == "challenges").sum()),
            }
        )
    return pd.DataFrame(rows)


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
    check_stream(stream)
    refs = references().sort_values(["stream", "ref_num"], kind="stable")
    if stream != "all":
        refs = refs[refs["stream"].astype(str) == stream]
    rows = []
    for name, group in refs.groupby("stream", observed=True, sort=False):
        rows.append({"Reference": f"**{name}**", "Cited in § (times)": "", "Views it holds": ""})
        for n, k, where, views in zip(group["ref_num"], group["key"], group["sections"], group["views"]):
            rows.append(
                {
                    "Reference": f"[{n}] {{cite:t}}`{k}`",
                    "Cited in § (times)": where,
                    "Views it holds": views.replace("institutionalisation", "institution\u00adalisation") or "–",
                }
            )
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
    check_stream(stream)
    refs = references()
    facts = citation_facts(refs)
    summary = view_summary().set_index("view")
    claims = view_claims()
    matrix = citation_matrix(refs)
    critical = refs.loc[refs["stream"].astype(str) == "critical labour", "label"]
    beyond = [c for c in matrix.columns if c not in ("1", "2")]
    deinst = claims[(claims["view"] == "deinstitutionalisation") & (claims["stance"] == "challenges")]
    facts.update(
        {
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
        }
    )
    return facts
