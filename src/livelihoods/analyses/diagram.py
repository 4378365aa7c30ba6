"""Chapter C's diagram: the sustainable livelihoods framework drawn by code, from its parts in data.

The boxes and the capitals pentagon come from :mod:`livelihoods.analyses.framework` (and, behind
it, ``data/capitals.csv`` and the codebook); this module only lays them out, so a change to the
framework's data changes the drawing, and one component can be highlighted (the chapter's
``highlight`` parameter).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import matplotlib.figure

import functools
import math
from dataclasses import dataclass

from livelihoods import evidence
from livelihoods.analyses.framework import COMPONENTS, capitals, check_highlight


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
FONTS = {"title": 20, "detail": 16.5, "capital": 16, "arrow": 15.5, "tag": 15, "note": 14}


#: Canvas size in inches (width, height): 7 inches wide, the book's maximum.
CANVAS = (7.0, 9.85)


#: The asset pentagon: centre and radius (inches) and the capital at each corner, from the top clockwise.
PENTAGON = {"centre": (2.0, 5.9), "radius": 0.98, "corners": ("human", "social", "physical", "financial", "natural")}


# reddish purple: the one arrow the paper builds its impact question on (not vermillion or blue, which mean
# "challenges" and "supports" throughout the book: plots.STANCE_COLOURS)
_FEEDBACK_COLOUR = "#CC79A7"
#: What the paper uses of the framework (bluish green, for the same reason).
_USED_COLOUR = "#009E73"


#: The arrows of DFID's Fig. 1 (see the module docstring), with their paths on this layout.
ARROWS: tuple[Arrow, ...] = (
    Arrow("vulnerability_context", "livelihood_assets", "flow", ((2.0, 8.55), (2.0, 8.05))),
    Arrow("institutions", "vulnerability_context", "flow", ((5.68, 8.05), (5.68, 8.55))),
    Arrow("livelihood_assets", "institutions", "two_way", ((3.5, 5.9), (4.4, 5.9)), "influence\n& access"),
    Arrow("livelihood_assets", "livelihood_strategies", "flow", ((2.75, 4.35), (2.75, 3.65))),
    Arrow("institutions", "livelihood_strategies", "flow", ((5.68, 4.35), (5.68, 3.65))),
    Arrow("livelihood_strategies", "livelihood_outcomes", "flow", ((4.35, 2.7), (4.35, 1.95)), "in order to achieve"),
    Arrow(
        "livelihood_outcomes",
        "livelihood_assets",
        "feedback",
        ((0.55, 1.0), (0.2, 1.0), (0.2, 5.2), (0.5, 5.2)),
        "impact:\nchanges in\nthe assets",
    ),
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


def _corner_points() -> dict[str, tuple[float, float]]:
    (cx, cy), r = PENTAGON["centre"], PENTAGON["radius"]
    points = {}
    for i, cap in enumerate(PENTAGON["corners"]):
        angle = math.radians(90 - 72 * i)  # clockwise from the top
        points[cap] = (cx + r * math.cos(angle), cy + r * math.sin(angle))
    return points


def draw_framework(highlight: str = "none", show_questions: bool = True) -> "matplotlib.figure.Figure":
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
        ax.add_patch(
            FancyBboxPatch(
                (x, y),
                w,
                h,
                boxstyle="round,pad=0,rounding_size=0.12",
                facecolor=comp.colour,
                alpha=0.6 if on else 0.28,
                edgecolor="none",
                zorder=1,
            )
        )
        ax.add_patch(
            FancyBboxPatch(
                (x, y),
                w,
                h,
                boxstyle="round,pad=0,rounding_size=0.12",
                facecolor="none",
                edgecolor="black" if on else "#555555",
                linewidth=4.5 if on else 1.2,
                zorder=2,
            )
        )
        title = _fit(comp.title, w - 0.25, FONTS["title"], bold=True)
        ty = y + h - 0.22
        ax.text(
            x + w / 2,
            ty,
            title,
            ha="center",
            va="top",
            fontsize=FONTS["title"],
            fontweight="bold",
            color=dark,
            zorder=5,
            linespacing=1.1,
        )
        dy = ty - FONTS["title"] / 72 * 1.25 * (title.count("\n") + 1) - 0.1
        for detail in comp.details:
            text = _fit(detail, w - 0.25, FONTS["detail"])
            ax.text(
                x + w / 2,
                dy,
                text,
                ha="center",
                va="top",
                fontsize=FONTS["detail"],
                color=dark,
                zorder=5,
                linespacing=1.15,
            )
            dy -= FONTS["detail"] / 72 * 1.2 * (text.count("\n") + 1) + (0.12 if w < 3.5 else 0.0)

    # the asset pentagon: all five corners dashed, the paper's four shaded
    points = _corner_points()
    caps = capitals().set_index("capital")
    used = [c for c in PENTAGON["corners"] if bool(caps.loc[c, "used_in_paper"])]
    ax.add_patch(
        Polygon(
            [points[c] for c in PENTAGON["corners"]],
            closed=True,
            fill=False,
            edgecolor="#777777",
            linestyle=(0, (4, 3)),
            linewidth=1.4,
            zorder=3,
        )
    )
    ax.add_patch(
        Polygon(
            [points[c] for c in used],
            closed=True,
            facecolor="#56B4E9",
            alpha=0.65,
            edgecolor=_USED_COLOUR,
            linewidth=2.2,
            zorder=3,
        )
    )
    (cx, cy) = PENTAGON["centre"]
    for cap in PENTAGON["corners"]:
        px, py = points[cap]
        is_used = cap in used
        on = cap == highlight
        ax.plot(
            [cx, px],
            [cy, py],
            color=_USED_COLOUR if is_used else "#777777",
            linewidth=1.4,
            linestyle="-" if is_used else (0, (3, 3)),
            zorder=3,
        )
        label = str(caps.loc[cap, "label"]).replace(" capital", "")
        frame = dict(
            boxstyle="round,pad=0.22",
            linewidth=4.0 if on else 1.4,
            facecolor="#FFE9A8" if on else ("white" if is_used else "#F2F2F2"),
            edgecolor="black" if on else (_USED_COLOUR if is_used else "#777777"),
            linestyle="-" if (is_used or on) else (0, (2, 2)),
        )
        nudge = 0.0 if abs(py - cy) < 0.5 * PENTAGON["radius"] or py > cy else (0.2 if px > cx else -0.2)
        ax.text(
            px + nudge,
            py,
            label,
            ha="center",
            va="center",
            fontsize=FONTS["capital"],
            zorder=5,
            fontweight="bold" if (on or is_used) else "normal",
            fontstyle="normal" if is_used else "italic",
            color=dark if is_used else "#555555",
            bbox=frame,
        )
    x, y, w, _ = next(c.box for c in COMPONENTS if c.id == "livelihood_assets")
    ax.text(
        x + w / 2,
        y + 0.14,
        "dashed: not in the paper",
        ha="center",
        va="bottom",
        fontsize=FONTS["note"],
        fontstyle="italic",
        color="#444444",
        zorder=5,
    )

    # arrows
    for arrow in ARROWS:
        feedback = arrow.kind == "feedback"
        colour = _FEEDBACK_COLOUR if feedback else "#333333"
        style = "<|-|>" if arrow.kind == "two_way" else "-|>"
        codes = [MPath.MOVETO] + [MPath.LINETO] * (len(arrow.path) - 1)
        ax.add_patch(
            FancyArrowPatch(
                path=MPath(arrow.path, codes),
                arrowstyle=style,
                mutation_scale=24 if feedback else 18,
                color=colour,
                linewidth=4.5 if feedback else 2.0,
                zorder=6,
                joinstyle="miter",
            )
        )
        if not arrow.label:
            continue
        if arrow.kind == "two_way":
            (x0, y0), (x1, _) = arrow.path
            ax.text(
                (x0 + x1) / 2,
                y0 + 0.16,
                arrow.label,
                ha="center",
                va="bottom",
                fontsize=FONTS["note"],
                color=dark,
                zorder=6,
                linespacing=1.0,
            )
        elif feedback:
            strategies = next(c.box for c in COMPONENTS if c.id == "livelihood_strategies")
            ax.text(
                0.42,
                strategies[1] + strategies[3] / 2,
                arrow.label,
                ha="left",
                va="center",
                fontsize=FONTS["arrow"],
                fontweight="bold",
                color=_FEEDBACK_COLOUR,
                zorder=6,
                linespacing=1.05,
            )
        else:
            (x0, y0), (_, y1) = arrow.path
            ax.text(
                x0 + 0.16,
                (y0 + y1) / 2,
                arrow.label,
                ha="left",
                va="center",
                fontsize=FONTS["arrow"],
                fontstyle="italic",
                color=dark,
                zorder=6,
            )

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
        ax.text(
            x + w - 0.12,
            y + h,
            text,
            ha="right",
            va="center",
            fontsize=FONTS["tag"],
            fontweight="bold",
            color="white",
            zorder=7,
            bbox=dict(boxstyle="round,pad=0.25", facecolor=_USED_COLOUR, edgecolor="none"),
        )
