"""One plotting style for the whole book.

Colour-blind-safe colours (Okabe & Ito, 2008) in a fixed order, sizes that stay readable on a
phone, and deterministic output (no timestamps or random ids in saved files), so two builds of
the book give identical images. Every chapter calls :func:`use_style` once (the loaders do not
import matplotlib, keeping notebooks that draw nothing light).
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


def palette(n: int) -> list[str]:
    """The first ``n`` colours of the book's palette (cycled if more are asked for)."""
    return [OKABE_ITO[i % len(OKABE_ITO)] for i in range(n)]


def use_style() -> None:
    """Apply the book's style to matplotlib and seaborn; call once at the top of a chapter."""
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", palette=list(OKABE_ITO))
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
