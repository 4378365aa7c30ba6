"""The book's one plotting style: colours, the seaborn theme without seaborn, labels and sources."""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from livelihoods.analyses import plots


@pytest.fixture
def fresh_rc():
    """Each test starts from matplotlib's defaults and leaves them as it found them."""
    with mpl.rc_context():
        mpl.rcdefaults()
        yield


def test_palette_is_okabe_ito_in_order_and_cycles():
    assert plots.palette(3) == ["#E69F00", "#56B4E9", "#009E73"]
    assert plots.palette(10)[8:] == plots.palette(2)
    assert len(set(plots.OKABE_ITO)) == 8


def test_hatches_are_distinct_so_colour_is_never_alone():
    assert len(set(plots.HATCHES)) == len(plots.HATCHES) >= 6


def test_style_equals_what_seaborn_set_theme_gives(fresh_rc):
    """The hard-coded theme must stay what seaborn's set_theme sets, apart from our own overrides."""
    sns = pytest.importorskip("seaborn")
    sns.set_theme(context="notebook", style="whitegrid", palette=list(plots.OKABE_ITO))
    seaborn_rc = {k: str(v) for k, v in mpl.rcParams.items()}
    mpl.rcdefaults()
    plots.use_style()
    ours = {k: str(v) for k, v in mpl.rcParams.items()}
    mpl.rcdefaults()
    defaults = {k: str(v) for k, v in mpl.rcParams.items()}
    set_by_seaborn = {k for k in seaborn_rc if seaborn_rc[k] != defaults[k]}
    overridden = {"image.cmap", "font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize",
                  "ytick.labelsize", "legend.fontsize"}
    differ = {k for k in set_by_seaborn - overridden if ours[k] != seaborn_rc[k]}
    assert not differ, f"plots.SEABORN_WHITEGRID is out of date with seaborn for {sorted(differ)}"


def test_style_does_not_import_seaborn_or_scipy():
    """The kernel of a chapter that draws no heatmap must not pay for seaborn and scipy.stats."""
    code = ("import sys; from livelihoods.analyses import plots; plots.use_style(); "
            "print(sorted(m for m in ('seaborn', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_style_is_readable_and_deterministic(fresh_rc):
    plots.use_style()
    assert mpl.rcParams["font.size"] >= 10 and mpl.rcParams["xtick.labelsize"] >= 10
    assert mpl.rcParams["image.cmap"] == plots.SEQUENTIAL
    assert mpl.rcParams["svg.hashsalt"] == "livelihoods"
    colours = [mpl.colors.to_hex(c["color"]).upper() for c in mpl.rcParams["axes.prop_cycle"]]
    assert colours == list(plots.OKABE_ITO)


def test_wrap_labels_keeps_every_word_and_short_lines():
    labels = ["Transforming structures and processes", "Aid"]
    wrapped = plots.wrap_labels(labels, width=12)
    assert [w.replace("\n", " ") for w in wrapped] == labels
    assert all(len(line) <= 12 for w in wrapped for line in w.split("\n"))


def test_finish_adds_the_source_line(fresh_rc):
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    plots.finish(fig, source="data/excerpts.csv")
    assert any(t.get_text() == "Source: data/excerpts.csv" for t in fig.texts)
    plt.close(fig)


def test_text_colour_reads_on_its_background():
    """Dark text on light cells, white on dark ones (seaborn's threshold on WCAG luminance)."""
    assert plots.text_colour_on("white") == ".15" and plots.text_colour_on("#000000") == "w"
    cmap = mpl.colormaps[plots.SEQUENTIAL]
    assert plots.text_colour_on(cmap(0.0)) == "w" and plots.text_colour_on(cmap(1.0)) == ".15"
