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

import functools
import math
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
    "Arrow",
    "COMPONENTS",
    "ARROWS",
    "PENTAGON",
    "READ_THROUGH",
    "highlight_choices",
    "check_highlight",
    "capitals",
    "capitals_table",
    "rq_map",
    "headline_numbers",
    "coverage",
    "coverage_table",
    "capital_coverage",
    "draw_framework",
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


@dataclass(frozen=True)
class Arrow:
    """One arrow of the framework: influence of some kind, never direct causality (DFID 1999).

    ``kind`` is ``"flow"`` (the ordinary arrows), ``"two_way"`` (assets and structures influence
    each other) or ``"feedback"`` (the lower reverse arrow from outcomes to assets, which the
    paper reads as impact). ``path`` lists the points the arrow runs through, in inches.
    """

    source: str
    target: str
    kind: str
    path: tuple[tuple[float, float], ...]
    label: str = ""


#: Pixels per inch of the diagram: 1.5 times the book's 96, so that a phone (which shrinks the
#: 7-inch diagram to its width) can zoom in on sharp text; on a desktop it fills the text column.
#: (The evidence chart is a plain 96-dpi chart sized for a phone: see :data:`plots.PHONE_WIDTH`.)
FIGURE_DPI = 144

#: Font sizes (points) of the diagram. They are large for a 7-inch figure on purpose: a phone shrinks
#: the figure to about half its size (to 11-14 pixel text), and the detail lines must stay readable there.
FONTS = {"title": 20, "detail": 16.5, "capital": 16, "arrow": 15.5, "tag": 15, "note": 13.5}

#: Canvas size in inches (width, height): 7 inches wide, the book's maximum.
CANVAS = (7.0, 9.85)

#: The five boxes, in DFID's reading order. Colours are Okabe-Ito (see livelihoods.analyses.plots).
COMPONENTS: tuple[Component, ...] = (
    Component("vulnerability_context", "Vulnerability context", ("shocks · trends · seasonality",),
              (0.55, 8.55, 6.4, 1.2), "#E69F00"),
    Component("livelihood_assets", "Livelihood assets", (),
              (0.5, 4.35, 3.0, 3.7), "#56B4E9"),
    Component("institutions", "Transforming structures and processes",
              ("Structures: levels of government, private sector",
               "Processes: laws, policies, culture, institutions"),
              (4.4, 4.35, 2.55, 3.7), "#009E73"),
    Component("livelihood_strategies", "Livelihood strategies", (),
              (1.95, 2.7, 5.0, 0.95), "#CC79A7"),
    Component("livelihood_outcomes", "Livelihood outcomes",
              ("more income · increased well-being",
               "reduced vulnerability · improved food security",
               "more sustainable use of the natural resource base"),
              (0.55, 0.15, 6.4, 1.8), "#F0E442"),
)

#: The asset pentagon: centre and radius (inches) and the capital at each corner, from the top clockwise.
PENTAGON = {"centre": (2.0, 5.9), "radius": 0.98, "corners": ("human", "social", "physical", "financial", "natural")}

_FEEDBACK_COLOUR = "#D55E00"  # vermillion: the one arrow the paper builds its impact question on

#: The arrows of DFID's Fig. 1 (see the module docstring), with their paths on this layout.
ARROWS: tuple[Arrow, ...] = (
    Arrow("vulnerability_context", "livelihood_assets", "flow", ((2.0, 8.55), (2.0, 8.05))),
    Arrow("institutions", "vulnerability_context", "flow", ((5.68, 8.05), (5.68, 8.55))),
    Arrow("livelihood_assets", "institutions", "two_way", ((3.5, 5.9), (4.4, 5.9)), "influence\n& access"),
    Arrow("livelihood_assets", "livelihood_strategies", "flow", ((2.75, 4.35), (2.75, 3.65))),
    Arrow("institutions", "livelihood_strategies", "flow", ((5.68, 4.35), (5.68, 3.65))),
    Arrow("livelihood_strategies", "livelihood_outcomes", "flow", ((4.35, 2.7), (4.35, 1.95)), "in order to achieve"),
    Arrow("livelihood_outcomes", "livelihood_assets", "feedback",
          ((0.55, 1.0), (0.2, 1.0), (0.2, 5.2), (0.5, 5.2)), "impact:\nchanges in\nthe assets"),
)


@functools.lru_cache(maxsize=64)
def _fit(text: str, width_in: float, points: float, bold: bool = False) -> str:
    """Wrap ``text`` so that no line is wider than ``width_in`` inches, measuring the real glyphs.

    Measuring (rather than counting characters) keeps titles on one line when they fit and never
    lets a line run past its box, whatever the font size.
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    prop = FontProperties(weight="bold" if bold else "normal")

    def width(line: str) -> float:
        return TextPath((0, 0), line, size=points, prop=prop).get_extents().width / 72

    lines: list[str] = []
    for word in text.split():
        if lines and width(f"{lines[-1]} {word}") <= width_in:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


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
    return pd.DataFrame({
        "capital": caps["label"],
        "in the paper": used,
        "definition": definition,
        "source": ("DFID 1999, p. " + caps["source"].str.extract(r"p\. (\d+)")[0]).where(quoted, "ours"),
    })


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
    out = pd.DataFrame({
        "component": ids,
        "label": [labels[c] for c in ids],
        "excerpts": [int(per.get(c, 0)) for c in ids],
    })
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

        rows.append({"capital": cap.capital, "label": cap.label, "used_in_paper": bool(cap.used_in_paper),
                     "as a barrier": n(cap.barrier_code), "as an impact": n(cap.outcome_code)})
    out = pd.DataFrame(rows)
    out["total"] = out["as a barrier"] + out["as an impact"]
    return out


#: How the paper reads each part of the framework that answers a research question (section 3), in
#: our words and in the diagram's terms: the box, or the arrow, a reader should look at.
READ_THROUGH: dict[str, str] = {
    "vulnerability_context": "the top box: shocks and trends people cannot control, which push them "
                             "towards online work",
    "institutions": "the two-way arrow “influence & access”: barriers are assets people cannot reach, "
                    "and institutions give or withhold that access",
    "livelihood_outcomes": "the lower reverse arrow back to the assets: impact is a change in the stock "
                           "of capitals",
}


def rq_map() -> pd.DataFrame:
    """Each research question's part of the SLF, how the paper reads that part, and the evidence there.

    Chapter A's table gives the questions verbatim and the chapters that answer them; this one
    complements it with the framework's side: the part (and arrow) each question is read through
    (:data:`READ_THROUGH`) and how many published excerpts our reference coding puts in that part.
    """
    rq = evidence.load_research_questions()
    labels = _labels()
    cov = coverage().set_index("component")["excerpts"]
    parts = rq["slf_part"].astype(str)
    missing = sorted(set(parts) - set(READ_THROUGH))
    if missing:
        raise KeyError(f"slf part {missing[0]!r} of research_questions.csv has no entry in READ_THROUGH")
    return pd.DataFrame({
        "question": rq["rq_id"].astype(str),
        "part of the SLF": [labels[p] for p in parts],
        "read through": [READ_THROUGH[p] for p in parts],
        "excerpts coded there": [int(cov[p]) for p in parts],
    })


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


def _corner_points() -> dict[str, tuple[float, float]]:
    (cx, cy), r = PENTAGON["centre"], PENTAGON["radius"]
    points = {}
    for i, cap in enumerate(PENTAGON["corners"]):
        angle = math.radians(90 - 72 * i)  # clockwise from the top
        points[cap] = (cx + r * math.cos(angle), cy + r * math.sin(angle))
    return points


def draw_framework(highlight: str = "none", show_questions: bool = True) -> "plt.Figure":
    """Draw the SLF from :data:`COMPONENTS`, :data:`PENTAGON` and :data:`ARROWS`.

    The four capitals the paper uses form a shaded quadrilateral inside the pentagon; natural
    capital, which it leaves out, is drawn grey and dashed. The lower reverse arrow (outcomes
    back to assets), which the paper reads as impact, is thick and vermillion. ``highlight``
    (a component id, a capital or ``"none"``) gets a thick black outline; with
    ``show_questions`` each research question is tagged on the part that answers it.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Polygon
    from matplotlib.path import Path as MPath

    check_highlight(highlight)
    width, height = CANVAS
    fig = plt.figure(figsize=(width, height), dpi=FIGURE_DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")

    dark = "#222222"
    for comp in COMPONENTS:
        x, y, w, h = comp.box
        on = comp.id == highlight
        ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=0.12",
                                    facecolor=comp.colour, alpha=0.6 if on else 0.28, edgecolor="none", zorder=1))
        ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=0.12",
                                    facecolor="none", edgecolor="black" if on else "#555555",
                                    linewidth=4.5 if on else 1.2, zorder=2))
        title = _fit(comp.title, w - 0.25, FONTS["title"], bold=True)
        ty = y + h - 0.22
        ax.text(x + w / 2, ty, title, ha="center", va="top", fontsize=FONTS["title"], fontweight="bold", color=dark,
                zorder=5, linespacing=1.1)
        dy = ty - FONTS["title"] / 72 * 1.25 * (title.count("\n") + 1) - 0.1
        for detail in comp.details:
            text = _fit(detail, w - 0.25, FONTS["detail"])
            ax.text(x + w / 2, dy, text, ha="center", va="top", fontsize=FONTS["detail"], color=dark, zorder=5,
                    linespacing=1.15)
            dy -= FONTS["detail"] / 72 * 1.2 * (text.count("\n") + 1) + (0.12 if w < 3.5 else 0.0)

    # the asset pentagon: all five corners dashed, the paper's four shaded
    points = _corner_points()
    caps = capitals().set_index("capital")
    used = [c for c in PENTAGON["corners"] if bool(caps.loc[c, "used_in_paper"])]
    ax.add_patch(Polygon([points[c] for c in PENTAGON["corners"]], closed=True, fill=False, edgecolor="#777777",
                         linestyle=(0, (4, 3)), linewidth=1.4, zorder=3))
    ax.add_patch(Polygon([points[c] for c in used], closed=True, facecolor="#56B4E9", alpha=0.65,
                         edgecolor="#0072B2", linewidth=2.2, zorder=3))
    (cx, cy) = PENTAGON["centre"]
    for cap in PENTAGON["corners"]:
        px, py = points[cap]
        is_used = cap in used
        on = cap == highlight
        ax.plot([cx, px], [cy, py], color="#0072B2" if is_used else "#777777", linewidth=1.4,
                linestyle="-" if is_used else (0, (3, 3)), zorder=3)
        label = str(caps.loc[cap, "label"]).replace(" capital", "")
        frame = dict(boxstyle="round,pad=0.22", linewidth=4.0 if on else 1.4,
                     facecolor="#FFE9A8" if on else ("white" if is_used else "#F2F2F2"),
                     edgecolor="black" if on else ("#0072B2" if is_used else "#777777"),
                     linestyle="-" if (is_used or on) else (0, (2, 2)))
        nudge = 0.0 if abs(py - cy) < 0.5 * PENTAGON["radius"] or py > cy else (0.2 if px > cx else -0.2)
        ax.text(px + nudge, py, label, ha="center", va="center", fontsize=FONTS["capital"], zorder=5,
                fontweight="bold" if (on or is_used) else "normal", fontstyle="normal" if is_used else "italic",
                color=dark if is_used else "#555555", bbox=frame)
    x, y, w, _ = next(c.box for c in COMPONENTS if c.id == "livelihood_assets")
    ax.text(x + w / 2, y + 0.14, "dashed: not in the paper", ha="center", va="bottom", fontsize=FONTS["note"],
            fontstyle="italic", color="#444444", zorder=5)

    # arrows
    for arrow in ARROWS:
        feedback = arrow.kind == "feedback"
        colour = _FEEDBACK_COLOUR if feedback else "#333333"
        style = "<|-|>" if arrow.kind == "two_way" else "-|>"
        codes = [MPath.MOVETO] + [MPath.LINETO] * (len(arrow.path) - 1)
        ax.add_patch(FancyArrowPatch(path=MPath(arrow.path, codes), arrowstyle=style,
                                     mutation_scale=24 if feedback else 18, color=colour,
                                     linewidth=4.5 if feedback else 2.0, zorder=6, joinstyle="miter"))
        if not arrow.label:
            continue
        if arrow.kind == "two_way":
            (x0, y0), (x1, _) = arrow.path
            ax.text((x0 + x1) / 2, y0 + 0.16, arrow.label, ha="center", va="bottom", fontsize=FONTS["note"],
                    color=dark, zorder=6, linespacing=1.0)
        elif feedback:
            strategies = next(c.box for c in COMPONENTS if c.id == "livelihood_strategies")
            ax.text(0.42, strategies[1] + strategies[3] / 2, arrow.label, ha="left", va="center", fontsize=FONTS["arrow"],
                    fontweight="bold", color=_FEEDBACK_COLOUR, zorder=6, linespacing=1.05)
        else:
            (x0, y0), (_, y1) = arrow.path
            ax.text(x0 + 0.16, (y0 + y1) / 2, arrow.label, ha="left", va="center", fontsize=FONTS["arrow"],
                    fontstyle="italic", color=dark, zorder=6)

    if show_questions:
        _tag_questions(ax)
    return fig


def _tag_questions(ax) -> None:
    """Put a small "RQ1" tag on the top right corner of the box that answers each question."""
    boxes = {c.id: c.box for c in COMPONENTS}
    rq = evidence.load_research_questions()
    for part, group in rq.groupby("slf_part", observed=True):
        x, y, w, h = boxes[str(part)]
        text = " ".join(group["rq_id"].astype(str))
        ax.text(x + w - 0.12, y + h, text, ha="right", va="center", fontsize=FONTS["tag"], fontweight="bold",
                color="white", zorder=7,
                bbox=dict(boxstyle="round,pad=0.25", facecolor="#0072B2", edgecolor="none"))


#: Width (inches) and font sizes (points) of the evidence chart. A phone shows the chart about 340
#: pixels wide, so ``f``-point text reads at ``f * 340 / (72 * width)`` pixels: 11-12 points at 4.3
#: inches come out at 12-13 pixels, near the body text; on a desktop the chart keeps its natural


def _chart_title(ax, text: str) -> None:
    """A panel title at the figure's left edge, over the labels: a narrow panel would cut it short."""
    from matplotlib.transforms import blended_transform_factory

    ax.text(0.0, 1.04, text, transform=blended_transform_factory(ax.figure.transFigure, ax.transAxes),
            ha="left", va="bottom", fontsize=plots.FONTS["title"], fontweight="bold")


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
    bars = top.barh(y, comp["excerpts"], color=[colours[c] for c in comp["component"]], edgecolor="#333333",
                    height=0.68)
    for bar, cid in zip(bars, comp["component"]):
        if cid == highlight:
            bar.set_linewidth(3.5)
            bar.set_edgecolor("black")
            bar.set_hatch("//")
    top.bar_label(bars, padding=3, fontsize=small)
    names = comp["label"].str.replace(r" \(institutions\)", "", regex=True)
    top.set_yticks(y, plots.wrap_labels(_marked(names, comp["component"], highlight), 18))
    top.set_xlabel(f"published excerpts coded there\n(of {len(evidence.load_excerpts())})", fontsize=plots.FONTS["label"])
    _chart_title(top, "Excerpts per part of the framework")
    top.set_xlim(0, max(comp["excerpts"].max() * 1.2, 1))

    y = list(range(len(caps)))[::-1]
    left = [0] * len(caps)
    kinds = (("as a barrier", "#E69F00", "//", "as a barrier (a deficit)"),
             ("as an impact", "#0072B2", "", "as an impact (a change)"))
    for column, colour, hatch, _ in kinds:
        b = bottom.barh(y, caps[column], left=left, color=colour, hatch=hatch, edgecolor="#333333", height=0.68)
        left = [a + v for a, v in zip(left, caps[column])]
        for bar, cap in zip(b, caps["capital"]):
            if cap == highlight:
                bar.set_linewidth(3.5)
                bar.set_edgecolor("black")
    for yi, total, used in zip(y, caps["total"], caps["used_in_paper"]):
        bottom.text(total + 0.15, yi, str(total) if used else "0: left out\nby the paper", va="center",
                    fontsize=small, fontstyle="normal" if used else "italic", color="#222222" if used else "#555555",
                    linespacing=1.05, bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none"))
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
    return plots.finish(fig, source="data/codings.csv rolled up data/codebook.csv;\ndata/capitals.csv "
                                    "(our reconstruction)")


def _marked(labels: pd.Series, ids: pd.Series, highlight: str) -> list[str]:
    """Labels with a pointer in front of the highlighted one (so it does not rely on colour or weight)."""
    return [("▶ " if cid == highlight else "") + str(label) for label, cid in zip(labels, ids)]


def _bold_tick(ax) -> None:
    """Bold the highlighted tick label (the one :func:`_marked` gave a pointer)."""
    for tick in ax.get_yticklabels():
        if tick.get_text().startswith("▶"):
            tick.set_fontweight("bold")
