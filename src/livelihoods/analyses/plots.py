"""One plotting style for the whole book.

Colour-blind-safe colours (Okabe & Ito, 2008) in a fixed order, sizes that stay readable on a
phone, and deterministic output (no timestamps or random ids in saved files), so two builds of
the book give identical images. Every chapter calls :func:`use_style` once (the data loaders do
not import matplotlib, and nothing here imports seaborn, keeping kernels quick to start).
"""

from __future__ import annotations

from typing import Sequence

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

#: Hatches used alongside colours so that categories never rely on colour alone.
HATCHES: tuple[str, ...] = ("", "//", "..", "xx", "\\\\", "oo", "--", "++")

#: A sequential colour map for heatmaps (perceptually uniform, colour-blind safe).
SEQUENTIAL = "cividis"

#: Charts that must read on a phone: 4.3 inches wide, so that at the book's 96 dpi the figure fills a
#: 390-pixel screen with its text at readable sizes (points).
PHONE_WIDTH = 4.3
FONTS = {"title": 12.5, "label": 11.5, "tick": 11, "small": 10.5}


def palette(n: int) -> list[str]:
    """The first ``n`` colours of the book's palette (cycled if more are asked for)."""
    return [OKABE_ITO[i % len(OKABE_ITO)] for i in range(n)]


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
    from cycler import cycler
    from matplotlib.colors import to_rgb

    plt.rcParams.update(SEABORN_WHITEGRID)
    plt.rcParams["axes.prop_cycle"] = cycler(color=[to_rgb(c) for c in OKABE_ITO])
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
            "image.cmap": SEQUENTIAL,
        }
    )
    # Deterministic images: no creation dates or software versions in the PNG metadata.
    import matplotlib_inline.backend_inline as inline

    try:
        inline.set_matplotlib_formats("png", metadata={"Software": None})
    except TypeError:  # older matplotlib-inline without kwargs
        inline.set_matplotlib_formats("png")


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


def finish(fig: plt.Figure, source: str | None = None) -> plt.Figure:
    """Tidy a figure's layout and add a small source line under it (the book cites every figure)."""
    if source:
        fig.text(0.0, -0.02, f"Source: {source}", ha="left", va="top", fontsize=9, color="#444444",
                 transform=fig.transFigure)
    fig.tight_layout()
    return fig
