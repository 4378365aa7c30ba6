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
    assert plots.palette(8)[6:] == plots.palette(2)
    assert len(set(plots.OKABE_ITO)) == 8


def test_one_meaning_per_colour_the_stance_colours_are_never_categories():
    """Blue always means "supports", vermillion always "challenges": palette() never hands them out."""
    stance = set(plots.STANCE_COLOURS.values())
    assert len(stance) == 2 and stance <= set(plots.OKABE_ITO)
    assert not stance & set(plots.palette(50))
    assert plots.stance_style("for") == plots.stance_style("supports")
    assert plots.stance_style("against") == plots.stance_style("challenges")
    sup, chal = plots.stance_style("supports"), plots.stance_style("challenges")
    assert sup["color"] != chal["color"] and sup["hatch"] != chal["hatch"]  # never colour alone
    with pytest.raises(Exception, match="unknown stance"):
        plots.stance_style("neutral")


def test_small_text_is_raised_to_what_a_phone_shows_at_9_pixels(fresh_rc):
    fig, ax = plt.subplots(figsize=(5.0, 3.0))
    ax.set_title("title", fontsize=14)
    small = ax.text(0.5, 0.5, "tiny", fontsize=6)
    plots.finish(fig, source="somewhere")
    floor = plots.min_font_points(fig, plots.saved_width(fig))
    # 9 CSS px at the 342 px a phone gives a figure at least 5 inches (360 pt) wide: at least 9.47 pt
    assert floor >= plots.MIN_TEXT_PX * 360 / plots.PHONE_FIGURE_PX
    assert small.get_fontsize() >= floor and ax.title.get_fontsize() == 14
    assert all(t.get_fontsize() >= floor for t in fig.texts)
    plt.close(fig)


def test_compact_svg_rounds_geometry_never_label_text():
    svg = '<svg>\n   <path d="M 1.234567 2.5\nL 3.14159 4"/>\n  <text x="1.23456" y="2">1.23456 and 0.625</text></svg>'
    out = plots.compact_svg(svg)
    assert '<path d="M 1.23 2.5 L 3.14 4"/>' in out and 'x="1.23"' in out
    assert ">1.23456 and 0.625</text>" in out


def test_figures_are_shown_as_svg_with_text_and_png_without_dates():
    """In a kernel a figure carries an SVG (text as text, no date) and a PNG (no software version)."""
    code = (
        "from IPython.testing.globalipapp import get_ipython; ip = get_ipython(); "
        "from livelihoods.analyses import plots; plots.use_style(); import matplotlib.pyplot as plt; "
        "fig, ax = plt.subplots(); ax.set_title('Hello'); "
        "f = ip.display_formatter.formatters; [setattr(f[m], 'enabled', True) for m in f]; "
        "data = {m: f[m](fig) for m in ('image/svg+xml', 'image/png')}; "
        "svg = data['image/svg+xml']; "
        "print('<text' in svg, 'Hello' in svg, '<dc:date>' in svg, 'image/png' in data and bool(data['image/png']), "
        "b'Software' in data['image/png'] if isinstance(data['image/png'], bytes) else 'Software' in data['image/png'])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.split() == ["True", "True", "False", "True", "False"], out.stdout + out.stderr


def test_hatches_are_distinct_so_colour_is_never_alone():
    assert len(set(plots.HATCHES)) == len(plots.HATCHES) >= 6


def test_style_equals_what_seaborn_set_theme_gives(fresh_rc):
    """The hard-coded theme must stay what seaborn's set_theme sets, apart from our own overrides."""
    sns = pytest.importorskip("seaborn")
    sns.set_theme(context="notebook", style="whitegrid", palette=list(plots.CATEGORICAL))
    seaborn_rc = {k: str(v) for k, v in mpl.rcParams.items()}
    mpl.rcdefaults()
    plots.use_style()
    ours = {k: str(v) for k, v in mpl.rcParams.items()}
    mpl.rcdefaults()
    defaults = {k: str(v) for k, v in mpl.rcParams.items()}
    set_by_seaborn = {k for k in seaborn_rc if seaborn_rc[k] != defaults[k]}
    overridden = {
        "image.cmap",
        "font.size",
        "axes.titlesize",
        "axes.labelsize",
        "xtick.labelsize",
        "ytick.labelsize",
        "legend.fontsize",
    }
    differ = {k for k in set_by_seaborn - overridden if ours[k] != seaborn_rc[k]}
    assert not differ, f"plots.SEABORN_WHITEGRID is out of date with seaborn for {sorted(differ)}"


def test_style_does_not_import_seaborn_or_scipy():
    """The kernel of a chapter that draws no heatmap must not pay for seaborn and scipy.stats."""
    code = (
        "import sys; from livelihoods.analyses import plots; plots.use_style(); "
        "print(sorted(m for m in ('seaborn', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_style_is_readable_and_deterministic(fresh_rc):
    plots.use_style()
    assert mpl.rcParams["font.size"] >= 10 and mpl.rcParams["xtick.labelsize"] >= 10
    assert mpl.rcParams["image.cmap"] == plots.SEQUENTIAL
    assert mpl.rcParams["svg.hashsalt"] == "livelihoods"
    colours = [mpl.colors.to_hex(c["color"]).upper() for c in mpl.rcParams["axes.prop_cycle"]]
    assert colours == list(plots.CATEGORICAL)


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


def test_no_figure_uses_the_stance_colours_for_anything_else():
    """The analyses take the stance colours only through plots.stance_style/STANCE_COLOURS, never by hand.

    (A hard-coded "#D55E00" or OKABE_ITO[4] in a figure function is how vermillion came to mean a threshold
    line in one figure and "challenges" in the next.) Scans the chapter modules and the QDA layer's figures
    (the coding lab's and the class report's). ``qda/refi.py`` is left out: its palette colours the codes of an
    exported project inside the student's QDA program, not a figure of the book.
    """
    import re
    from pathlib import Path

    package = Path(plots.__file__).parent.parent
    pattern = re.compile(r"#0072B2|#D55E00|OKABE_ITO\[\s*[34]\s*\]", re.I)
    found = [
        f"{p.parent.name}/{p.name}:{n}: {line.strip()}"
        for p in sorted([*(package / "analyses").glob("*.py"), *(package / "qda").glob("*.py")])
        if p.name not in ("plots.py", "refi.py")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not found, "stance colours used by hand (use plots.stance_style):\n" + "\n".join(found)
