"""The sustainable livelihoods framework (SLF) as data, drawn by code, and the evidence behind each part.

Why this module exists: the paper reads its whole study through DFID's sustainable livelihoods
framework {DFID 1999, Guidance Sheet 2.1, Fig. 1; summarised in the paper's Fig. 1 after Duncombe
2007}. Rather than paste a picture, the book keeps the framework as a small data structure
(components, the asset pentagon, arrows) and draws it with matplotlib, so that

* the diagram can highlight any part a reader asks for (the ``highlight`` parameter of chapter C);
* the components are the same ids as the top level of ``data/codebook.csv``, so the evidence
  chart and the diagram cannot drift apart;
* the four capitals the paper uses and the one it leaves out (natural capital) come from
  ``data/capitals.csv``, where the definitions are quoted as the paper prints them.

The layout runs top to bottom (DFID draws it left to right) so that the labels stay legible when
the 7-inch figure is shrunk to a phone's width; the components and arrows are DFID's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from livelihoods import evidence
from livelihoods.analyses import plots
from livelihoods.errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    import matplotlib.pyplot as plt

__all__ = [
    "Component",
    "COMPONENTS",
    "highlight_choices",
    "check_highlight",
    "capitals",
    "capitals_table",
    "rq_map",
    "headline_numbers",
    "coverage",
    "coverage_table",
    "capital_coverage",
    "plot_coverage",
]


@dataclass(frozen=True)
class Component:
    """One box of the framework.

    ``id`` is the codebook component it corresponds to; ``details`` are DFID's own elements of
    the box (Guidance Sheet 2.1, Fig. 1), shown small under the title; ``box`` is its place on
    the canvas as (x, y, width, height) in inches (origin bottom left).
    """

    id: str
    title: str
    details: tuple[str, ...]
    box: tuple[float, float, float, float]
    colour: str


#: The five boxes, in DFID's reading order. Colours are Okabe-Ito (see livelihoods.analyses.plots).
COMPONENTS: tuple[Component, ...] = (
    Component(
        "vulnerability_context",
        "Vulnerability context",
        ("shocks · trends · seasonality",),
        (0.55, 8.55, 6.4, 1.2),
        "#E69F00",
    ),
    Component("livelihood_assets", "Livelihood assets", (), (0.5, 4.35, 3.0, 3.7), "#56B4E9"),
    Component(
        "institutions",
        "Transforming structures and processes",
        ("Structures: levels of government, private sector", "Processes: laws, policies, culture, institutions"),
        (4.4, 4.35, 2.55, 3.7),
        "#009E73",
    ),
    Component("livelihood_strategies", "Livelihood strategies", (), (1.95, 2.7, 5.0, 0.95), "#CC79A7"),
    Component(
        "livelihood_outcomes",
        "Livelihood outcomes",
        (
            "more income · increased well-being",
            "reduced vulnerability · improved food security",
            "more sustainable use of the natural resource base",
        ),
        (0.55, 0.15, 6.4, 1.8),
        "#F0E442",
    ),
)


# --------------------------------------------------------------------------- the data behind the diagram


def _component_ids() -> list[str]:
    codebook = evidence.load_codebook()
    return list(codebook.loc[codebook["level"] == "component", "code_id"])


def highlight_choices() -> tuple[str, ...]:
    """What may be highlighted: ``"none"``, the codebook's components, then the five capitals.

    Derived from ``data/codebook.csv`` and ``data/capitals.csv``; the chapter's parameter
    registry lists the same values (a test keeps the two equal).
    """
    return ("none", *_component_ids(), *evidence.load_capitals()["capital"].astype(str))


def check_highlight(highlight: str) -> str:
    """Return ``highlight`` if it names a component or capital (or ``"none"``); else one clear error."""
    allowed = highlight_choices()
    if highlight not in allowed:
        raise ParameterError(
            f"highlight = {highlight!r} is not allowed: expected one of {', '.join(map(repr, allowed))}"
        )
    return highlight


def capitals() -> pd.DataFrame:
    """The five capitals (``data/capitals.csv``) in display order, the paper's four first."""
    return evidence.load_capitals()


def capitals_table() -> pd.DataFrame:
    """The capitals for the page: name, definition (in quotation marks when it is quoted), source.

    Kept to four short columns so that it reads on a phone; the caption says the quotations are
    DFID's as the paper prints them (section 3).
    """
    caps = capitals()
    quoted = caps["source"].str.startswith("dfid1999")
    definition = caps["definition"].where(~quoted, "“" + caps["definition"] + "”")
    used = caps["used_in_paper"].map({True: "yes", False: "no"})
    return pd.DataFrame(
        {
            "capital": caps["label"],
            "in the paper": used,
            "definition": definition,
            "source": ("DFID 1999, p. " + caps["source"].str.extract(r"p\. (\d+)")[0]).where(quoted, "ours"),
        }
    )


def _labels() -> dict[str, str]:
    codebook = evidence.load_codebook()
    return dict(zip(codebook["code_id"], codebook["label"]))


def _coded_excerpts(salience: str = "all") -> pd.DataFrame:
    """The reference codings with each code's component (the rolled-up SLF part)."""
    if salience not in ("all", "primary"):
        raise ParameterError(f"salience = {salience!r} is not allowed: expected 'all' or 'primary'")
    codings = evidence.load_codings()
    if salience == "primary":
        codings = codings[codings["salience"] == "primary"]
    codings = codings.assign(code_id=codings["code_id"].astype(str))
    codings["component"] = [evidence.code_ancestor(c, "component") for c in codings["code_id"]]
    return codings


def coverage(salience: str = "all") -> pd.DataFrame:
    """Published excerpts per SLF component, from the reference coding rolled up the codebook.

    An excerpt coded under two components counts once in each, so the column sums to more than
    the number of excerpts; ``share`` is of all published excerpts. Components with no excerpt are
    kept (with zeros) so the chart always shows the whole framework.
    """
    codings = _coded_excerpts(salience)
    n_total = len(evidence.load_excerpts())
    per = codings.groupby("component")["excerpt_id"].nunique()
    ids = _component_ids()
    labels = _labels()
    out = pd.DataFrame(
        {
            "component": ids,
            "label": [labels[c] for c in ids],
            "excerpts": [int(per.get(c, 0)) for c in ids],
        }
    )
    out["share"] = out["excerpts"] / n_total
    return out


def coverage_table(salience: str = "all") -> pd.DataFrame:
    """:func:`coverage` for the page: the part's name (not its id), excerpts and share, with readable headers."""
    cov = coverage(salience)
    return pd.DataFrame({"part of the framework": cov["label"], "excerpts": cov["excerpts"], "share": cov["share"]})


def capital_coverage(salience: str = "all") -> pd.DataFrame:
    """Published excerpts per capital: as a barrier (a deficit) and as an impact (a change).

    Uses the ``barrier_code`` and ``outcome_code`` of ``data/capitals.csv``. Natural capital,
    which the paper leaves out, has no code and so shows zeros: the chart makes the gap visible.
    """
    codings = _coded_excerpts(salience)
    rows = []
    for cap in capitals().itertuples():

        def n(code) -> int:
            if pd.isna(code):
                return 0
            return int(codings.loc[codings["code_id"] == str(code), "excerpt_id"].nunique())

        rows.append(
            {
                "capital": cap.capital,
                "label": cap.label,
                "used_in_paper": bool(cap.used_in_paper),
                "as a barrier": n(cap.barrier_code),
                "as an impact": n(cap.outcome_code),
            }
        )
    out = pd.DataFrame(rows)
    out["total"] = out["as a barrier"] + out["as an impact"]
    return out


def rq_map() -> pd.DataFrame:
    """Each research question's part of the SLF, how the paper reads that part, and the evidence there.

    Chapter A's table gives the questions verbatim and the chapters that answer them; this one
    complements it with the framework's side: the part (and arrow) each question is read through
    (the ``read_through`` labels of ``data/labels.csv``) and how many published excerpts our reference coding puts in that part.
    """
    rq = evidence.load_research_questions()
    labels = _labels()
    cov = coverage().set_index("component")["excerpts"]
    parts = rq["slf_part"].astype(str)
    read_through = evidence.labels("read_through")
    missing = sorted(set(parts) - set(read_through))
    if missing:
        raise KeyError(
            f"slf part {missing[0]!r} of research_questions.csv has no read_through label in data/labels.csv"
        )
    return pd.DataFrame(
        {
            "question": rq["rq_id"].astype(str),
            "part of the SLF": [labels[p] for p in parts],
            "read through": [read_through[p] for p in parts],
            "excerpts coded there": [int(cov[p]) for p in parts],
        }
    )


def headline_numbers() -> dict[str, float | int]:
    """The numbers chapter C's prose cites, computed here so the notebook only glues them."""
    from livelihoods.analyses import methods

    cov = coverage().set_index("component")
    caps = capital_coverage().set_index("capital")
    return {
        "n_excerpts": len(evidence.load_excerpts()),
        "n_interviews": methods.n_interviews(),
        "n_institutions": int(cov.loc["institutions", "excerpts"]),
        "share_institutions": float(cov.loc["institutions", "share"]),
        "n_vulnerability": int(cov.loc["vulnerability_context", "excerpts"]),
        "n_human": int(caps.loc["human", "total"]),
        "n_financial": int(caps.loc["financial", "total"]),
        "n_physical": int(caps.loc["physical", "total"]),
        "n_physical_impact": int(caps.loc["physical", "as an impact"]),
        "n_social": int(caps.loc["social", "total"]),
    }


# --------------------------------------------------------------------------- drawing


#: Width (inches) and font sizes (points) of the evidence chart. A phone shows the chart about 340
#: pixels wide, so ``f``-point text reads at ``f * 340 / (72 * width)`` pixels: 11-12 points at 4.3
#: inches come out at 12-13 pixels, near the body text; on a desktop the chart keeps its natural


def _chart_title(ax, text: str) -> None:
    """A panel title at the figure's left edge, over the labels: a narrow panel would cut it short."""
    from matplotlib.transforms import blended_transform_factory

    ax.text(
        0.0,
        1.04,
        text,
        transform=blended_transform_factory(ax.figure.transFigure, ax.transAxes),
        ha="left",
        va="bottom",
        fontsize=plots.FONTS["title"],
        fontweight="bold",
    )


def plot_coverage(highlight: str = "none", salience: str = "all") -> "plt.Figure":
    """Two bar charts: excerpts per SLF component, and per capital split into barrier and impact.

    The highlighted component or capital gets a thick black outline and a bold label (never
    colour alone); natural capital is labelled as left out by the paper. Sized for a phone
    (:data:`plots.PHONE_WIDTH`), at the book's usual 96 dpi.
    """
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots

    check_highlight(highlight)
    comp = coverage(salience)
    caps = capital_coverage(salience)
    colours = {c.id: c.colour for c in COMPONENTS}
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(plots.PHONE_WIDTH, 8.2), gridspec_kw={"height_ratios": [5, 5]})
    small = plots.FONTS["small"]

    y = list(range(len(comp)))[::-1]
    bars = top.barh(
        y, comp["excerpts"], color=[colours[c] for c in comp["component"]], edgecolor="#333333", height=0.68
    )
    for bar, cid in zip(bars, comp["component"]):
        if cid == highlight:
            bar.set_linewidth(3.5)
            bar.set_edgecolor("black")
            bar.set_hatch("//")
    top.bar_label(bars, padding=3, fontsize=small)
    names = comp["label"].str.replace(r" \(institutions\)", "", regex=True)
    top.set_yticks(y, plots.wrap_labels(_marked(names, comp["component"], highlight), 18))
    top.set_xlabel(
        f"published excerpts coded there\n(of {len(evidence.load_excerpts())})", fontsize=plots.FONTS["label"]
    )
    _chart_title(top, "Excerpts per part of the framework")
    top.set_xlim(0, max(comp["excerpts"].max() * 1.2, 1))

    y = list(range(len(caps)))[::-1]
    left = [0] * len(caps)
    kinds = (
        ("as a barrier", "#E69F00", "//", "as a barrier (a deficit)"),
        ("as an impact", "#56B4E9", "", "as an impact (a change)"),
    )
    for column, colour, hatch, _ in kinds:
        b = bottom.barh(y, caps[column], left=left, color=colour, hatch=hatch, edgecolor="#333333", height=0.68)
        left = [a + v for a, v in zip(left, caps[column])]
        for bar, cap in zip(b, caps["capital"]):
            if cap == highlight:
                bar.set_linewidth(3.5)
                bar.set_edgecolor("black")
    for yi, total, used in zip(y, caps["total"], caps["used_in_paper"]):
        bottom.text(
            total + 0.15,
            yi,
            str(total) if used else "0: left out\nby the paper",
            va="center",
            fontsize=small,
            fontstyle="normal" if used else "italic",
            color="#222222" if used else "#555555",
            linespacing=1.05,
            bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none"),
        )
    bottom.set_yticks(y, _marked(caps["label"].str.replace(" capital", ""), caps["capital"], highlight))
    bottom.set_xlabel("published excerpts coded there", fontsize=plots.FONTS["label"])
    _chart_title(bottom, "Excerpts per capital")
    bottom.set_xlim(0, max(caps["total"].max() * 1.45, 6))
    handles = [Patch(facecolor=c, hatch=h, edgecolor="#333333", label=name) for _, c, h, name in kinds]
    bottom.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.3), frameon=False, fontsize=small)
    for ax in (top, bottom):
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(axis="y", labelsize=small)
        ax.tick_params(axis="x", labelsize=plots.FONTS["tick"])
        _bold_tick(ax)
    fig.subplots_adjust(hspace=0.6)
    return plots.finish(
        fig, source="data/codings.csv rolled up data/codebook.csv;\ndata/capitals.csv (our reconstruction)"
    )


def _marked(labels: pd.Series, ids: pd.Series, highlight: str) -> list[str]:
    """Labels with a pointer in front of the highlighted one (so it does not rely on colour or weight)."""
    return [("▶ " if cid == highlight else "") + str(label) for label, cid in zip(labels, ids)]


def _bold_tick(ax) -> None:
    """Bold the highlighted tick label (the one :func:`_marked` gave a pointer)."""
    for tick in ax.get_yticklabels():
        if tick.get_text().startswith("▶"):
            tick.set_fontweight("bold")
