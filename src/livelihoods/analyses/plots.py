"""One plotting style for the whole book.

Colour-blind-safe colours (Okabe & Ito, 2008) in a fixed order, sizes that stay readable on a
phone, and deterministic output (no timestamps or random ids in saved files), so two builds of
the book give identical images. Every chapter calls :func:`use_style` once (the data loaders do
not import matplotlib, this module imports pyplot only to draw, and nothing here imports seaborn,
keeping kernels quick to start).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:  # pyplot is imported where a figure is drawn: the book's Sphinx process and
    # ``livelihoods notebooks`` read this module's constants (through the parameter registry) and draw nothing
    import matplotlib.pyplot as plt

#: Okabe-Ito palette, with black moved last; safe for the common colour-vision deficiencies.
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)

#: Hatches used alongside colours so that categories never rely on colour alone. Lines only: dot and circle
#: hatches ("..", "oo") are drawn as hundreds of curves, which made one SVG figure weigh 200 kB.
HATCHES: tuple[str, ...] = ("", "//", "\\\\", "xx", "--", "||", "++", "/")

#: A sequential colour map for heatmaps (perceptually uniform, colour-blind safe).
SEQUENTIAL = "cividis"

#: One meaning per colour and hatch across the book: evidence or a claim that *supports* (or is "for") is
#: always blue with no hatch, one that *challenges* (or is "against") always vermillion with a dense
#: cross-hatch, in every figure and legend. The two colours are the Okabe-Ito pair that colour-blind
#: readers tell apart best, and the hatches tell them apart in grey print too. :func:`palette` never
#: hands them out for anything else.
STANCE_COLOURS: dict[str, str] = {"supports": "#0072B2", "challenges": "#D55E00"}
STANCE_HATCHES: dict[str, str] = {"supports": "", "challenges": "xx"}
#: The words a figure may use for each side, all meaning the same thing.
STANCE_WORDS: dict[str, str] = {
    "supports": "supports",
    "for": "supports",
    "support": "supports",
    "challenges": "challenges",
    "against": "challenges",
    "challenge": "challenges",
}


def stance_style(stance: str) -> dict[str, str]:
    """Matplotlib keywords (``color``, ``hatch``, ``edgecolor``) for a side: supports/for or challenges/against."""
    side = STANCE_WORDS.get(str(stance).lower())
    if side is None:
        from livelihoods.errors import LivelihoodsError

        raise LivelihoodsError(f"unknown stance {stance!r}: expected one of {', '.join(sorted(STANCE_WORDS))}")
    return {"color": STANCE_COLOURS[side], "hatch": STANCE_HATCHES[side], "edgecolor": "#333333"}


#: The width a 390-pixel phone gives a figure (Chromium, the book's theme: measured by
#: tests/test_reader.py), and the smallest figure text, in CSS pixels, that the book accepts there.
PHONE_FIGURE_PX = 342
MIN_TEXT_PX = 9.0


#: The colours :func:`palette` hands out for categories: the palette less the two stance colours.
CATEGORICAL: tuple[str, ...] = tuple(c for c in OKABE_ITO if c not in STANCE_COLOURS.values())

#: Charts that must read on a phone: 4.3 inches wide, so that at the book's 96 dpi the figure fills a
#: 390-pixel screen with its text at readable sizes (points).
PHONE_WIDTH = 4.3
FONTS = {"title": 12.5, "label": 11.5, "tick": 11, "small": 10.5}


def palette(n: int) -> list[str]:
    """The first ``n`` colours for categories (cycled if more are asked for).

    The two stance colours (:data:`STANCE_COLOURS`) are never among them, so that blue always means
    "supports" and vermillion "challenges", whatever figure a reader is looking at.
    """
    return [CATEGORICAL[i % len(CATEGORICAL)] for i in range(n)]


#: What ``seaborn.set_theme(context="notebook", style="whitegrid")`` sets (seaborn 0.13), as plain
#: rcParams. Importing seaborn pulls in scipy.stats, about a second per kernel, and most chapters
#: draw no seaborn plot; the modules that do (heatmaps) import it themselves. A test checks this
#: against seaborn, so an upgrade that changes the theme fails loudly instead of drifting.
SEABORN_WHITEGRID: dict[str, object] = {
    "axes.axisbelow": True,
    "axes.edgecolor": ".8",
    "axes.grid": True,
    "axes.labelcolor": ".15",
    "axes.labelsize": 12.0,
    "axes.linewidth": 1.25,
    "axes.titlesize": 12.0,
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "font.size": 12.0,
    "grid.color": ".8",
    "grid.linewidth": 1.0,
    "legend.fontsize": 11.0,
    "legend.title_fontsize": 12.0,
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "text.color": ".15",
    "xtick.bottom": False,
    "xtick.color": ".15",
    "xtick.labelsize": 11.0,
    "xtick.major.size": 6.0,
    "xtick.major.width": 1.25,
    "xtick.minor.size": 4.0,
    "xtick.minor.width": 1.0,
    "ytick.color": ".15",
    "ytick.labelsize": 11.0,
    "ytick.left": False,
    "ytick.major.size": 6.0,
    "ytick.major.width": 1.25,
    "ytick.minor.size": 4.0,
    "ytick.minor.width": 1.0,
}


def use_style() -> None:
    """Apply the book's style to matplotlib (and so to seaborn); call once at the top of a chapter."""
    import matplotlib.pyplot as plt
    from cycler import cycler
    from matplotlib.colors import to_rgb

    plt.rcParams.update(SEABORN_WHITEGRID)
    plt.rcParams["axes.prop_cycle"] = cycler(color=[to_rgb(c) for c in CATEGORICAL])
    plt.rcParams.update(
        {
            "figure.figsize": (7.0, 4.0),
            "figure.dpi": 96,
            "savefig.dpi": 96,
            "savefig.bbox": "tight",
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.labelsize": 11,
            "xtick.labelsize": 10,
            "ytick.labelsize": 10,
            "legend.fontsize": 10,
            "legend.frameon": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": "livelihoods",
            # SVG text as text (<text> elements), not as outlines: crisp at any size, searchable, light,
            # and measurable by the browser tests (smallest figure text on a phone).
            "svg.fonttype": "none",
            "image.cmap": SEQUENTIAL,
        }
    )
    show_as_svg_and_png()


def show_as_svg_and_png() -> None:
    """Figures in a notebook carry an SVG (the web book shows it) and a PNG (the PDF and older viewers).

    myst-nb picks SVG for HTML and PNG for LaTeX (its output priorities), so the web book's figures
    are sharp on any screen while the PDF needs no SVG converter. Both are deterministic: no creation
    date or software version in the files (:data:`IMAGE_METADATA`).
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of the package
        return
    shell = get_ipython()
    if shell is None:
        return
    import matplotlib_inline.backend_inline  # noqa: F401  (its import sets the inline formats: override them after)
    from IPython.core.pylabtools import print_figure
    from matplotlib.figure import Figure

    formatters = shell.display_formatter.formatters
    formatters["image/svg+xml"].for_type(
        Figure, lambda fig: compact_svg(print_figure(fig, "svg", bbox_inches="tight", metadata=IMAGE_METADATA["svg"]))
    )
    formatters["image/png"].for_type(
        Figure, lambda fig: print_figure(fig, "png", bbox_inches="tight", metadata=IMAGE_METADATA["png"])
    )
    for mime in ("application/pdf", "image/jpeg"):
        formatters[mime].pop(Figure, None)


#: Metadata that would differ between two builds, left out of saved figures (SVG and PNG writers
#: accept different keys).
IMAGE_METADATA: dict[str, dict[str, None]] = {"svg": {"Date": None, "Creator": None}, "png": {"Software": None}}


_GEOMETRY = re.compile(r'(\s(?:d|x|y|transform)=")([^"]*)(")')
_LONG_NUMBER = re.compile(r"(\d\.\d{2})\d+")


def compact_svg(svg: str | None) -> str | None:
    """An SVG figure without what a reader cannot see: coordinates to 1/100 of a point, no indentation.

    Only geometry (path data, positions, transforms) is rounded, never the text of a label; a
    figure's file shrinks by about a quarter.
    """
    if not svg:
        return svg
    svg = _GEOMETRY.sub(lambda m: m[1] + _LONG_NUMBER.sub(r"\1", m[2]).replace("\n", " ") + m[3], svg)
    return re.sub(r"\n[ \t]+", "\n", svg)


def text_colour_on(background: object) -> str:
    """Dark or white text, whichever reads on ``background`` (seaborn's rule for heatmap labels).

    The relative luminance of the colour (WCAG's formula) above 0.408 takes near-black text.
    """
    from matplotlib.colors import to_rgb

    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(background)]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return ".15" if luminance > 0.408 else "w"


def wrap_labels(labels: Sequence[str], width: int = 18) -> list[str]:
    """Wrap long category labels onto several lines so they are not cut off on narrow screens."""
    import textwrap

    return ["\n".join(textwrap.wrap(str(label), width)) or str(label) for label in labels]


def min_font_points(fig: plt.Figure, width_inches: float | None = None) -> float:
    """The smallest font size (points) that a phone shows at :data:`MIN_TEXT_PX` for this figure's width.

    A phone shrinks the saved figure (``width_inches``, the figure's own width by default) to
    :data:`PHONE_FIGURE_PX`, so a point is worth ``PHONE_FIGURE_PX / width_in_points`` CSS pixels;
    5% is added for rounding and the padding of the saved image.
    """
    width_points = (width_inches or fig.get_figwidth()) * 72
    return round(MIN_TEXT_PX * width_points / PHONE_FIGURE_PX * 1.05, 1)


def saved_width(fig: plt.Figure) -> float:
    """The width in inches of the image the figure is saved as (``bbox_inches="tight"``: labels that stick
    out of the figure widen the image, and so shrink it further on a phone)."""
    import matplotlib.pyplot as plt

    renderer = fig.canvas.get_renderer()
    pad = plt.rcParams.get("savefig.pad_inches", 0.1)
    return max(fig.get_figwidth(), fig.get_tightbbox(renderer).width + 2 * float(pad))


def legible(fig: plt.Figure) -> plt.Figure:
    """Raise every text of the figure that a phone would show below :data:`MIN_TEXT_PX` to that size.

    The floor depends on the width of the saved image, which larger text can widen: repeated until
    nothing changes (at most a few rounds).
    """
    from matplotlib.text import Text

    for _ in range(4):
        floor = min_font_points(fig, saved_width(fig))
        small = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and t.get_fontsize() < floor]
        for text in small:
            text.set_fontsize(floor)
        if not small:
            break
    return fig


def finish(fig: plt.Figure, source: str | None = None) -> plt.Figure:
    """Tidy a figure's layout, add a small source line under it (the book cites every figure) and make
    every text legible on a phone (:func:`legible`)."""
    if source:
        # wrapped to the figure's width, so that a long source never widens the image
        fig.text(
            0.0,
            -0.02,
            f"Source: {source}",
            ha="left",
            va="top",
            fontsize=9,
            color="#444444",
            transform=fig.transFigure,
            wrap=True,
        )
    fig.tight_layout()
    legible(fig)
    fig.tight_layout()
    return fig
