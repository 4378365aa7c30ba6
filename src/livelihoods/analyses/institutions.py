"""The institutional context of online outsourcing (paper section 5.2; chapter E3).

Why this module exists: section 5.2 argues, against the "de-institutionalisation" critique, that
three institutional forces shape online outsourcing for marginalised groups: the platforms,
development agencies with government and NGOs, and freelancers' own networks. In the book's
reconstructed codebook each force is a theme under *institutions*, so the excerpts, claims and
counts for a force can all be read from the data rather than chosen by hand:

* :func:`excerpts_for` gives the excerpts the reference coding puts under a force or code (what
  the chapter quotes), :func:`coding_counts` counts them code by code;
* :func:`claims_about` finds the claims that bear on a force (by their theme or by the coding of
  the excerpts behind them);
* :func:`platform_changes` lists the platform changes respondents report, and
  :func:`minimum_rate` sets the reported US$1 to US$3 minimum hourly rate beside the platform's
  own dated record in ``data/context.csv``.
"""

from __future__ import annotations

import pandas as pd

from livelihoods import evidence
from livelihoods.errors import ParameterError

#: The three institutional forces of section 5.2 (codebook themes under ``institutions``).
FORCES: tuple[str, ...] = ("platforms", "development_agencies", "freelancer_networks")

#: Allowed values of the chapter's ``force`` parameter.
FORCE_CHOICES: tuple[str, ...] = ("all", *FORCES)

#: The platform changes respondents report, in our words, with the excerpt that reports each.
#: The minimum-rate row is written from figures.csv by :func:`platform_changes`.
_CHANGES: tuple[tuple[str, str], ...] = (
    ("Accounts blocked for breaking the platform's terms and conditions", "EX17"),
    ("A job-success metric instead of relying on clients' reviews", "EX17"),
    ("The client's payment held in advance and released to the freelancer when the job is done", "EX18"),
    ("Easier payment methods", "EX18"),
)

#: figures.csv rows for the reported minimum hourly rate before and after, and the context fact.
RATE_BEFORE, RATE_AFTER, RATE_CONTEXT = "F29", "F30", "UPWORK.MIN.HOURLY"


def check_force(force: str) -> str:
    """Return ``force`` if it is allowed; otherwise one clear error naming the choices."""
    if force not in FORCE_CHOICES:
        raise ParameterError(f"force {force!r} is not allowed: expected one of {', '.join(map(repr, FORCE_CHOICES))}")
    return force


def short_label(force: str) -> str:
    """A force's name short enough for a chart title on a phone (``all`` included)."""
    return evidence.label("force_short", force)


def label(force: str) -> str:
    """How the book names a force (or all three) in titles and prose."""
    check_force(force)
    return evidence.label("force_short", "all") if force == "all" else evidence.label("force", force)


def force_codes(force: str) -> list[str]:
    """The leaf codes under one force (or under all three for ``"all"``), in codebook order."""
    check_force(force)
    codebook = evidence.load_codebook()
    themes = FORCES if force == "all" else (force,)
    leaves = codebook[(codebook["level"].astype(str) == "code") & codebook["parent_id"].astype(str).isin(themes)]
    return list(leaves["code_id"].astype(str))


def _codes_of(target: str) -> list[str]:
    """A force name, ``"all"`` or a single leaf code, as a list of leaf codes."""
    if target in FORCE_CHOICES:
        return force_codes(target)
    leaves = evidence.codebook_leaves()
    if target not in leaves:
        raise ParameterError(
            f"{target!r} is neither a force nor a leaf code: expected one of {', '.join(FORCE_CHOICES)} or a code such as platform_constraints"
        )
    return [target]


def excerpts_for(target: str, salience: str | None = None, codings: pd.DataFrame | None = None) -> list[str]:
    """Excerpts the reference coding puts under a force or a code, in paper order.

    ``salience`` (``"primary"`` or ``"secondary"``) keeps only codings of that salience; by
    default both count, because some forces (development agencies) appear in the published
    excerpts only as a secondary theme.
    """
    if salience not in (None, "primary", "secondary"):
        raise ParameterError(f"salience {salience!r} is not allowed: expected None, 'primary' or 'secondary'")
    codes = _codes_of(target)
    codings = evidence.load_codings() if codings is None else codings
    mine = codings[codings["code_id"].astype(str).isin(codes)]
    if salience is not None:
        mine = mine[mine["salience"].astype(str) == salience]
    order = evidence.load_excerpts().set_index("excerpt_id")["order"]
    return sorted(set(mine["excerpt_id"].astype(str)), key=lambda e: int(order[e]))


def coding_counts(codings: pd.DataFrame | None = None) -> pd.DataFrame:
    """Excerpts per institutional code, by salience, with the force each code belongs to.

    One row per leaf code under the three forces (codes with no excerpt kept, with zeros), in
    codebook order. Columns: ``force``, ``code_id``, ``label``, ``primary``, ``secondary``,
    ``total``, ``excerpts``.
    """
    codings = evidence.load_codings() if codings is None else codings
    codebook = evidence.load_codebook()
    rows = []
    for force in FORCES:
        for code in force_codes(force):
            mine = codings[codings["code_id"].astype(str) == code]
            sal = mine["salience"].astype(str)
            rows.append(
                {
                    "force": force,
                    "code_id": code,
                    "label": str(codebook.loc[codebook["code_id"] == code, "label"].iloc[0]),
                    "primary": int((sal == "primary").sum()),
                    "secondary": int((sal == "secondary").sum()),
                    "excerpts": ", ".join(excerpts_for(code, codings=codings)),
                }
            )
    out = pd.DataFrame(rows)
    out["total"] = out["primary"] + out["secondary"]
    return out[["force", "code_id", "label", "primary", "secondary", "total", "excerpts"]]


def claims_about(
    force: str,
    claims: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    codings: pd.DataFrame | None = None,
) -> list[str]:
    """Claims that bear on a force, in paper order.

    A claim bears on a force when its theme is the force (or one of the force's codes), or when
    an excerpt that supports or illustrates it is coded under the force. ``"all"`` also takes
    claims about institutions in general (theme ``institutions``).
    """
    check_force(force)
    claims = evidence.load_claims() if claims is None else claims
    links = evidence.load_claim_evidence() if links is None else links
    links = links[links["relation"].astype(str).isin(("supports", "illustrates"))]
    forces = FORCES if force == "all" else (force,)
    themes = set(forces) | set(force_codes(force)) | ({"institutions"} if force == "all" else set())
    coded = set(excerpts_for(force, codings=codings))
    by_theme = set(claims.loc[claims["theme_id"].astype(str).isin(themes), "claim_id"].astype(str))
    by_evidence = set(links.loc[links["excerpt_id"].astype(str).isin(coded), "claim_id"].astype(str))
    return sorted(by_theme | by_evidence, key=lambda c: (len(c), c))


def claims_table(force: str, compact: bool = False) -> pd.DataFrame:
    """The claims about a force with the literature view they bear on and their stance.

    ``compact=True`` gives three columns for a page that must fit a phone: the view and stance
    become a closing remark in the claim's text (none when the claim bears on no view), and the
    section shares the id's cell (which can break between the two).
    """
    from livelihoods.analyses.claims import excerpts_behind

    ids = claims_about(force)
    claims = evidence.load_claims()
    claims = claims[claims["claim_id"].astype(str).isin(ids)]
    rows = []
    for c in claims.itertuples(index=False):
        view = "" if pd.isna(c.literature_view) else evidence.label("view_short", str(c.literature_view))
        rows.append(
            {
                "claim": f"{c.claim_id} (§{c.paper_section})",
                "in our words": c.claim,
                "view": view or "–",
                "stance": "–" if pd.isna(c.stance) else str(c.stance),
                "excerpts": ", ".join(excerpts_behind([c.claim_id])) or "–",
            }
        )
    out = pd.DataFrame(rows)
    if compact and len(out):
        remark = [
            "" if v == "–" else f" (Recorded stance: {st} the {v} view.)" for v, st in zip(out["view"], out["stance"])
        ]
        out = pd.DataFrame(
            {
                "claim": out["claim"],
                "in our words": [text + r for text, r in zip(out["in our words"], remark)],
                "excerpts": out["excerpts"],
            }
        )
    return out


def minimum_rate() -> dict[str, object]:
    """The reported minimum hourly rate before and after the change, beside the platform's record.

    Returns ``before`` and ``after`` (US$ per hour, from figures.csv, as said in excerpt EX19),
    ``excerpt``, and the context fact: ``record`` (US$ per hour), ``record_year``,
    ``record_from`` (the date as recorded, e.g. ``"from 2014-11-19"``) and ``record_source``.
    """
    figures = evidence.load_figures().set_index("figure_id")
    context = evidence.load_context()
    fact = context[context["indicator_code"] == RATE_CONTEXT]
    if fact.empty:
        raise ParameterError(f"context.csv has no row {RATE_CONTEXT!r}: the platform record cannot be shown")
    f = fact.iloc[0]
    return {
        "before": float(figures.loc[RATE_BEFORE, "low"]),
        "after": float(figures.loc[RATE_AFTER, "low"]),
        "excerpt": str(figures.loc[RATE_AFTER, "excerpt_id"]),
        "record": float(f["value"]),
        "record_year": int(f["year"]),
        "record_from": str(f["period"]),
        "record_source": str(f["source"]),
    }


def platform_changes() -> pd.DataFrame:
    """The platform changes respondents report (section 5.2), who reports them, and any outside record.

    Only the minimum-rate change can be checked against a dated platform source in
    ``data/context.csv``; the other rows say so rather than leaving the column blank.
    """
    excerpts = evidence.load_excerpts().set_index("excerpt_id")
    rate = minimum_rate()
    changes = list(_CHANGES) + [
        (f"Minimum hourly rate raised from US${rate['before']:g} to US${rate['after']:g}", rate["excerpt"])
    ]
    rows = []
    for change, ex in changes:
        if ex == rate["excerpt"]:
            record = (
                f"US${rate['record']:g} minimum for new hourly contracts, {rate['record_from']} "
                f"({rate['record_source']}; data/context.csv)"
            )
        else:
            record = "no dated platform source"  # the minimum-rate row names data/context.csv once
        rows.append(
            {
                "change (our words)": change,
                "reported by": str(excerpts.loc[ex, "attribution"]),
                "excerpt": ex,
                "platform's own record": record,
            }
        )
    return pd.DataFrame(rows)


#: A white box behind text drawn over the plot area, so that no gridline runs through a label.
_MASK = {"facecolor": "white", "edgecolor": "none", "pad": 1.0}


def plot_coding(counts: pd.DataFrame, force: str = "all"):
    """Excerpts per institutional code, grouped by force; the chosen force in colour, others grey.

    Primary codings are solid, secondary ones hatched; each bar carries its total, and a code
    with no excerpt says so, so that colour is never the only cue.
    """
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots

    check_force(force)
    colours = dict(zip(FORCES, plots.palette(len(FORCES))))
    # one slot per code plus a heading slot per force, so each group is named, not just coloured
    slots: list[tuple[str, object]] = []
    for f in FORCES:
        slots.append(("head", f))
        slots += [("code", r) for r in counts[counts["force"] == f].itertuples(index=False)]
    fig, ax = plt.subplots(figsize=(5.0, 0.5 * len(slots) + 1.4))
    ys = list(range(len(slots)))[::-1]
    ticks, labels, greyed = [], [], []
    for y, (kind, item) in zip(ys, slots):
        if kind == "head":
            on = force in ("all", item)
            ax.text(
                0,
                y,
                short_label(item),
                va="center",
                ha="left",
                bbox=_MASK,
                fontsize=10,
                fontweight="bold",
                color="#222222" if on else "#777777",
            )
            continue
        r = item
        on = force == "all" or r.force == force
        colour = colours[r.force] if on else "#D9D9D9"
        ax.barh(y, r.primary, color=colour, edgecolor="#333333", height=0.65)
        ax.barh(y, r.secondary, left=r.primary, color=colour, hatch="//", edgecolor="#333333", height=0.65)
        ax.text(r.total + 0.08, y, str(r.total) if r.total else "0: no excerpt", va="center", fontsize=9, bbox=_MASK)
        ticks.append(y)
        labels.append(r.label.removeprefix("Platform ").capitalize())  # the group heading names the force
        greyed.append(not on)
    ax.set_yticks(ticks)
    ax.set_yticklabels(labels)
    for tick, grey in zip(ax.get_yticklabels(), greyed):
        if grey:
            tick.set_color("#777777")
    ax.set_ylim(-0.6, len(slots) - 0.4)
    ax.set_xlim(0, max(3, int(counts["total"].max())) + 1.8)
    ax.set_xlabel("published excerpts coded")
    ax.grid(axis="y", visible=False)  # a line through each bar's centre would strike through its count
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor="#BBBBBB", edgecolor="#333333", label="primary code"),
        Patch(facecolor="white", edgecolor="#333333", hatch="//", label="secondary code"),
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=9, borderaxespad=0.3)
    title = "Excerpts behind each force" + ("" if force == "all" else " (spotlight in colour)")
    ax.set_title(title, loc="left", pad=24)
    from livelihoods.analyses.claims import readable

    return plots.finish(readable(fig), source="data/codings.csv, data/codebook.csv (reference coding, reconstructed)")


def numbers(force: str = "all") -> dict[str, object]:
    """Every number the E3 chapter's prose cites, computed from the data (glued, never typed).

    Whole-paper counts (``deinst_*``, ``sweatshop_*``) do not depend on ``force``; the
    ``force_*`` counts do.
    """
    from datetime import date

    from livelihoods.analyses.claims import evidence_for_against, voices_and_groups

    check_force(force)
    excerpts = evidence.load_excerpts()
    section = excerpts[excerpts["guide_section"].astype(str) == "E3"]["excerpt_id"].astype(str)
    counts = coding_counts().set_index("code_id")
    rate = minimum_rate()
    since = date.fromisoformat(str(rate["record_from"]).removeprefix("from ").strip())
    figures = evidence.load_figures().set_index("figure_id")
    paper = evidence_for_against()
    mine = evidence_for_against(claims_about(force))

    def cell(df: pd.DataFrame, view: str, side: str, measure: str) -> int:
        return int(df[(df["view"] == view) & (df["side"] == side)][measure].iloc[0])

    networks = excerpts_for("freelancer_networks")
    return {
        "n_section_excerpts": len(section),
        "n_section_voices": len(voices_and_groups(section)[0]),
        "rate_before": _whole(rate["before"]),
        "rate_after": _whole(rate["after"]),
        "rate_record": _whole(rate["record"]),
        "rate_record_year": rate["record_year"],
        "rate_record_date": f"{since.day} {since:%B %Y}",
        "n_walled": int(counts.loc["walled_garden", "total"]),
        "kpk_target": int(figures.loc["F12", "low"]),
        "agency_primary": int(counts.loc[force_codes("development_agencies"), "primary"].sum()),
        "agency_secondary": int(counts.loc[force_codes("development_agencies"), "secondary"].sum()),
        "n_network_excerpts": len(networks),
        "n_network_voices": len(voices_and_groups(networks)[0]),
        "deinst_against_claims": cell(paper, "deinstitutionalisation", "against", "claims"),
        "deinst_against_excerpts": cell(paper, "deinstitutionalisation", "against", "excerpts"),
        "deinst_against_voices": cell(paper, "deinstitutionalisation", "against", "voices"),
        "deinst_for_claims": cell(paper, "deinstitutionalisation", "for", "claims"),
        "sweatshop_for_claims": cell(paper, "digital_sweatshop", "for", "claims"),
        "sweatshop_against_claims": cell(paper, "digital_sweatshop", "against", "claims"),
        "force_label": label(force),
        "force_claims": len(claims_about(force)),
        "force_for": int(mine[mine["side"] == "for"]["claims"].sum()),
        "force_against": int(mine[mine["side"] == "against"]["claims"].sum()),
    }


def _whole(x: object) -> object:
    """A float that is a whole number as an int, so that glued prose reads "US$3", not "US$3.0"."""
    return int(x) if isinstance(x, float) and x.is_integer() else x
