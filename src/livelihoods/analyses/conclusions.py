"""Chapter F, the conclusions: an evidence audit of the paper's conclusions and the findings behind them.

Why this module exists: a qualitative paper persuades by pairing claims with quotations. The
book makes that pairing explicit (``data/claims.csv`` and ``data/claim_evidence.csv``, in the
manner of annotation for transparent inquiry), and this module counts it, so that a reader can
see how much published evidence stands behind each claim instead of taking it on trust:

* :func:`audit` builds the evidence audit table: every conclusion and the findings that back it
  (by the rule of :func:`livelihoods.analyses.claims.findings_supporting`), with the excerpts, the
  number of distinct voices (respondents) and of stakeholder groups behind each, and flags for
  claims that rest on one voice or one group; :func:`audit_table` shows it on a page;
* :func:`code_coverage` counts the excerpts coded with given codes (used to show what the paper
  could not assess), and :func:`research_questions_md` / :func:`answers_md` render the research
  questions verbatim and the conclusions that answer them.

What the chapter shares with E3 and G (the claims' evidence, for and against each literature
view) is in :mod:`livelihoods.analyses.claims`; its two charts are drawn in
:mod:`livelihoods.analyses.conclusions_charts`.

Only links that ``support`` or ``illustrate`` a claim count as evidence behind it; a link that
``qualifies`` a claim limits it and is not counted in its favour.

Every counting function takes the tables as optional arguments (the real data by default), so
the tests can check them on small hand-built tables as well as on the evidence base.
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from livelihoods import evidence
from livelihoods.analyses.claims import (
    given_claims,
    excerpts_behind,
    findings_supporting,
    backing_links,
    md_text,
    paper_order,
    given_speakers,
    voices_and_groups,
)
from livelihoods.errors import ParameterError


#: Allowed values of a research-question filter.
RESEARCH_QUESTIONS: tuple[str, ...] = ("all", "RQ1", "RQ2", "RQ3")

#: Codes that show what the paper could not assess: the four capitals it used and the views of the future.
LIMITS_CODES: tuple[str, ...] = (
    "human_capital",
    "social_capital",
    "physical_capital",
    "financial_capital",
    "short_term_livelihood",
    "long_term_potential",
    "off_platform_work",
)

#: Flag texts in the audit table (text, so that nothing relies on colour).
FLAG_NO_QUOTE = "no quoted evidence"
FLAG_ONE_VOICE = "one voice"
FLAG_ONE_GROUP = "one group"


# --------------------------------------------------------------------------- inputs


def _check_rq(research_question: str) -> str:
    if research_question not in RESEARCH_QUESTIONS:
        raise ParameterError(
            f"research_question {research_question!r} is not allowed: expected one of {', '.join(map(repr, RESEARCH_QUESTIONS))}"
        )
    return research_question


# --------------------------------------------------------------------------- counting


def audit(
    research_question: str = "all",
    claims: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    speakers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The evidence audit: each conclusion and the findings that back it, with who stands behind each.

    Rows: the conclusions answering ``research_question`` (``"all"`` adds the one about the
    framework), each followed by the findings that back it (a finding backing several
    conclusions appears once, under the first). For a finding, the evidence is the excerpts
    linked to it; for a conclusion, the excerpts linked to it *and* to its findings, because
    that is everything quoted in its favour. Columns: ``claim_id``, ``kind``,
    ``research_question``, ``claim``, ``basis`` (evidence basis), ``backed_by`` (a conclusion's
    findings) or ``backs`` (a finding's conclusions), ``excerpts`` (ids), ``n_excerpts``,
    ``n_voices``, ``n_groups``, ``groups`` and ``flags`` (no quoted evidence, one voice, one group).
    """
    _check_rq(research_question)
    claims = given_claims(claims)
    links_all = backing_links(links)
    speakers = given_speakers(speakers)
    conclusions = claims[claims["kind"].astype(str) == "conclusion"]
    if research_question != "all":
        conclusions = conclusions[conclusions["research_question"].astype(str) == research_question]
    by_id = claims.set_index(claims["claim_id"].astype(str))
    backs: dict[str, list[str]] = {}
    order: list[tuple[str, list[str]]] = []
    for cid in conclusions["claim_id"].astype(str):
        found = findings_supporting(cid, claims, links_all)
        order.append((cid, found))
        for f in found:
            backs.setdefault(f, []).append(cid)
    rows: list[dict] = []
    shown: set[str] = set()

    def row(cid: str, evidence_from: list[str], relation: str) -> dict:
        c = by_id.loc[cid]
        excerpts = excerpts_behind(evidence_from, links_all)
        voices, groups = voices_and_groups(excerpts, speakers)
        return {
            "claim_id": cid,
            "kind": str(c["kind"]),
            "research_question": "" if pd.isna(c["research_question"]) else str(c["research_question"]),
            "claim": str(c["claim"]),
            "basis": str(c["evidence_basis"]),
            "linked": relation,
            "excerpts": ", ".join(excerpts),
            "n_excerpts": len(excerpts),
            "n_voices": len(voices),
            "n_groups": len(groups),
            "groups": "; ".join(groups),
            "flags": ", ".join(flags(len(excerpts), len(voices), len(groups))),
        }

    for cid, found in order:
        rows.append(row(cid, [cid, *found], "backed by " + (", ".join(found) if found else "no finding")))
        for f in found:
            if f not in shown:
                shown.add(f)
                rows.append(row(f, [f], "backs " + ", ".join(backs[f])))
    return pd.DataFrame(
        rows,
        columns=[
            "claim_id",
            "kind",
            "research_question",
            "claim",
            "basis",
            "linked",
            "excerpts",
            "n_excerpts",
            "n_voices",
            "n_groups",
            "groups",
            "flags",
        ],
    )


def flags(n_excerpts: int, n_voices: int, n_groups: int) -> list[str]:
    """Warnings for thin evidence: nothing quoted, or everything from one voice or one group."""
    if n_excerpts == 0:
        return [FLAG_NO_QUOTE]
    out = []
    if n_voices == 1:
        out.append(FLAG_ONE_VOICE)
    if n_groups == 1:
        out.append(FLAG_ONE_GROUP)
    return out


def below(audit_df: pd.DataFrame, min_voices: int) -> pd.DataFrame:
    """The rows of an audit backed by fewer than ``min_voices`` distinct voices."""
    if isinstance(min_voices, bool) or not isinstance(min_voices, int) or min_voices < 1:
        raise ParameterError(f"min_voices {min_voices!r} is not allowed: expected an integer of at least 1")
    return audit_df[audit_df["n_voices"] < min_voices]


def audit_summary(audit_df: pd.DataFrame, min_voices: int) -> dict[str, int]:
    """Counts for the prose: conclusions, findings, and how many rest on thin evidence."""
    conc = audit_df[audit_df["kind"] == "conclusion"]
    return {
        "conclusions": len(conc),
        "findings": int((audit_df["kind"] == "finding").sum()),
        "below": len(below(audit_df, min_voices)),
        "conclusions_below": len(below(conc, min_voices)),
        "one_voice": int(audit_df["flags"].str.contains(FLAG_ONE_VOICE).sum()),
        "one_group": int(audit_df["flags"].str.contains(FLAG_ONE_GROUP).sum()),
        "no_quote": int(audit_df["flags"].str.contains(FLAG_NO_QUOTE).sum()),
    }


def code_coverage(codes: Sequence[str], codings: pd.DataFrame | None = None) -> pd.DataFrame:
    """Excerpts coded with each code, split by salience, codes kept in the given order (zeros kept).

    Used to show what the published evidence can and cannot speak to: a code with no excerpt is
    a part of the framework the paper's quotations leave empty.
    """
    codings = evidence.load_codings() if codings is None else codings
    codebook = evidence.load_codebook().set_index("code_id")
    unknown = [c for c in codes if c not in codebook.index]
    if unknown:
        raise ParameterError(f"code {unknown[0]!r} is not in codebook.csv: expected a code_id such as human_capital")
    rows = []
    for code in codes:
        mine = codings[codings["code_id"].astype(str) == code]
        rows.append(
            {
                "code_id": code,
                "label": str(codebook.loc[code, "label"]),
                "primary": int((mine["salience"].astype(str) == "primary").sum()),
                "secondary": int((mine["salience"].astype(str) == "secondary").sum()),
                "excerpts": ", ".join(paper_order(mine["excerpt_id"].astype(str))),
            }
        )
    out = pd.DataFrame(rows)
    out["total"] = out["primary"] + out["secondary"]
    return out


# --------------------------------------------------------------------------- rendering


def research_questions_md(research_question: str = "all") -> str:
    """The research questions, verbatim from section 1 of the paper, as one Markdown block quote.

    One quotation with one attribution, not one per question: the chapter opens with them, and on a
    phone three quotations with three attributions pushed the learning objectives off the first screen.
    """
    _check_rq(research_question)
    rqs = evidence.load_research_questions()
    if research_question != "all":
        rqs = rqs[rqs["rq_id"].astype(str) == research_question]
    from livelihoods.analyses.show import PAPER

    questions = "\n>\n".join(f"> **{r.rq_id}.** {md_text(r.text)}" for r in rqs.itertuples(index=False))
    return f"{questions}\n>\n> — {PAPER}, §1"


def answers_md(research_question: str = "all", audit_df: pd.DataFrame | None = None) -> str:
    """Each research question (verbatim, as re-quoted in section 6) and the conclusions answering it.

    Conclusions are listed in our words (``claims.csv``) with their claim id, the findings that
    back them and the number of distinct voices and groups behind them, read from ``audit_df``.
    """
    _check_rq(research_question)
    audit_df = audit(research_question) if audit_df is None else audit_df
    rqs = evidence.load_research_questions()
    if research_question != "all":
        rqs = rqs[rqs["rq_id"].astype(str) == research_question]
    from livelihoods.analyses.show import PAPER

    conc = audit_df[audit_df["kind"] == "conclusion"]
    blocks = []
    for r in rqs.itertuples(index=False):
        lines = [f"**{r.rq_id}:** “{md_text(r.text_in_conclusions)}” ({PAPER}, §6)", ""]
        for c in conc[conc["research_question"] == r.rq_id].itertuples(index=False):
            lines.append(f"- **{c.claim_id}.** {md_text(c.claim)} *({c.linked}; {_people(c.n_voices, c.n_groups)})*")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _people(n_voices: int, n_groups: int) -> str:
    if n_voices == 0:
        return "no quoted voice"
    v = "voice" if n_voices == 1 else "voices"
    g = "group" if n_groups == 1 else "groups"
    return f"{n_voices} {v} from {n_groups} {g}"


def _audit_cell(claim: str, excerpts: str, flags: str) -> str:
    """The text cell of the audit table: the claim, then its excerpts and any flag, each after a "·".

    Plain text, so that the Markdown (PDF) version of the table reads as one line per claim;
    :func:`audit_table` puts the excerpts and the flag on lines of their own on the web page.
    """
    parts = [str(claim), "excerpts: " + (excerpts or "none")]
    if flags:
        parts.append("flag: " + flags)
    return " · ".join(parts)


def _audit_html(cell: str) -> str:
    """The HTML of one text cell: the claim, then a smaller line of excerpts and a bold flag line."""
    import html

    claim, *rest = str(cell).split(" · ")
    out = [html.escape(claim, quote=False)]
    for part in rest:
        if part.startswith("flag: "):
            out.append(f'<br><strong style="font-size: 0.92em;">{html.escape(part, quote=False)}</strong>')
        else:
            out.append(f'<br><span style="font-size: 0.92em; color: #444444;">{html.escape(part, quote=False)}</span>')
    return "".join(out)


def audit_table(audit_df: pd.DataFrame, min_voices: int, caption: str):
    """The audit as a captioned table narrow enough for a phone; low rows are shaded *and* flagged.

    Three columns: the claim id (conclusions in bold; the findings behind each follow it, marked
    with an arrow: a finding that backs several conclusions is listed under the first, and
    ``audit`` has the full links), the claim in our words with its excerpts and any flag on lines
    of their own, and the distinct voices and stakeholder groups behind it. Every shaded row says
    why in its flag (no quoted evidence, one voice, one group, or ``fewer than N voices``), so
    the shading is a convenience and nothing relies on colour alone.
    """
    low = set(below(audit_df, min_voices).index)
    shown = audit_df.copy()
    mark = f"fewer than {min_voices} voices"
    # rows with no or one voice already say so; others below the threshold get the mark
    flags = [
        ", ".join(x for x in (f, mark if i in low and n >= 2 else "") if x)
        for i, f, n in zip(shown.index, shown["flags"], shown["n_voices"])
    ]
    ids = [c if k == "conclusion" else f"↳ {c}" for c, k in zip(shown["claim_id"], shown["kind"])]
    conclusions = set(shown.index[shown["kind"] == "conclusion"])
    text = "in our words, with its excerpts"
    numbers = "voices / groups"
    shown = pd.DataFrame(
        {
            "claim": ids,
            text: [_audit_cell(c, e, f) for c, e, f in zip(shown["claim"], shown["excerpts"], flags)],
            numbers: [f"{v} / {g}" for v, g in zip(shown["n_voices"], shown["n_groups"])],
        },
        index=shown.index,
    )
    from livelihoods.analyses.show import text_table

    styler = text_table(shown, caption=caption, nowrap=["claim", numbers])
    styler = styler.format(_audit_html, subset=[text])

    def shade(r: pd.Series) -> list[str]:
        css = "background-color: #FBE3C8;" if r.name in low else ""
        first = css + ("font-weight: bold;" if r.name in conclusions else "")
        return [first] + [css] * (len(r) - 1)

    return styler.apply(shade, axis=1)


def evidence_md(research_question: str = "all", audit_df: pd.DataFrame | None = None) -> str:
    """One collapsible card per conclusion: the claim, its findings, and its own quoted evidence.

    The excerpts linked directly to the conclusion are quoted verbatim with their attribution and
    our analytic note from ``claim_evidence.csv`` (the annotation, in the manner of annotation for
    transparent inquiry); the findings behind it are listed with their excerpt ids, so that a
    reader can follow every count in the audit table back to a quotation.
    """
    from livelihoods.analyses.show import quote_md

    _check_rq(research_question)
    audit_df = audit(research_question) if audit_df is None else audit_df
    claims = evidence.load_claims().set_index("claim_id")
    ev = evidence.load_claim_evidence()
    excerpts = evidence.load_excerpts().set_index("excerpt_id", drop=False)
    cards = []
    for c in audit_df[audit_df["kind"] == "conclusion"].itertuples(index=False):
        lines = [
            f":::{{dropdown}} {c.claim_id}: {_people(c.n_voices, c.n_groups)}",
            "",
            f"**{c.claim_id} (our words).** {md_text(c.claim)}",
            "",
        ]
        found = findings_supporting(c.claim_id)
        if found:
            lines.append("**Findings behind it:**")
            lines.append("")
            for f in found:
                ex = excerpts_behind([f]) or ["no quoted excerpt"]
                lines.append(f"- {f}: {md_text(claims.loc[f, 'claim'])} ({', '.join(ex)})")
            lines.append("")
        else:
            lines += ["**Findings behind it:** none (it is not linked to a finding by our rule).", ""]
        own = ev[ev["claim_id"].astype(str) == c.claim_id]
        if own.empty:
            lines.append(f"**Quoted evidence of its own:** none; its evidence basis is `{c.basis}`.")
        else:
            lines += ["**Quoted evidence of its own:**", ""]
            for link in own.itertuples(index=False):
                lines += [
                    quote_md(excerpts.loc[str(link.excerpt_id)]),
                    "",
                    f"*Annotation ({link.relation}):* {md_text(link.note)}",
                    "",
                ]
        lines.append(":::")
        cards.append("\n".join(lines))
    return "\n\n".join(cards)


def numbers(research_question: str = "all", min_voices: int = 2) -> dict[str, object]:
    """Every number the conclusions chapter's prose cites, computed from the data (glued, never typed)."""
    _check_rq(research_question)
    audit_df = audit(research_question)
    summary = audit_summary(audit_df, min_voices)
    capitals = code_coverage(["human_capital", "social_capital", "physical_capital", "financial_capital"]).set_index(
        "code_id"
    )
    futures = code_coverage(["short_term_livelihood", "long_term_potential", "off_platform_work"])
    figures = evidence.load_figures().set_index("figure_id")
    return {
        "n_conclusions": summary["conclusions"],
        "n_findings": summary["findings"],
        "n_below": summary["below"],
        "n_conclusions_below": summary["conclusions_below"],
        "n_one_voice": summary["one_voice"],
        "n_one_group": summary["one_group"],
        "n_no_quote": summary["no_quote"],
        "min_voices": min_voices,
        "n_human": int(capitals.loc["human_capital", "total"]),
        "n_social": int(capitals.loc["social_capital", "total"]),
        "n_physical": int(capitals.loc["physical_capital", "total"]),
        "n_financial": int(capitals.loc["financial_capital", "total"]),
        "n_financial_primary": int(capitals.loc["financial_capital", "primary"]),
        "n_futures": len({e for ids in futures["excerpts"] for e in ids.split(", ") if e}),
        "years_in_oo": int(figures.loc["F53", "low"]),
        "n_interviews": int(
            evidence.load_sample().query("dimension == 'mode' and category == 'all interviews'")["count"].iloc[0]
        ),
        "n_quoted": int(evidence.load_excerpts()["initials"].nunique()),
    }
