"""Chapter A, the rationale: the scale figures the paper argues from, Pakistan's context, the research questions.

Why this module exists: chapter A (why study online outsourcing in developing countries) argues
from things the paper itself states. Keeping the selection, grouping and drawing here (with unit
tests) keeps the notebook to one-line cells and makes every number on its page traceable to a row
of ``data/``:

* **scale figures**: the market and workforce numbers of sections 1-2 of the paper
  (``figures.csv``), grouped by unit so that numbers in different units never share an axis;
* **context**: public statistics for Pakistan in 2016 (``context.csv``), always shown with their
  source and release ("vintage"), never mixed with the paper's numbers;
* **research questions**: each mapped to the part of the Sustainable Livelihoods Framework that
  answers it and to the chapters of this book that take it up.

Chapter B's references, streams and views are in :mod:`livelihoods.analyses.literature`.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pandas as pd

from livelihoods import evidence
from livelihoods.analyses import plots, show
from livelihoods.analyses.literature import author_label
from livelihoods.errors import ParameterError

PAPER_KEY = "malik2017"

# ============================================================================ A: scale figures

#: Sections whose numbers make the case for the study (the introduction and the literature review).
SCALE_SECTIONS: tuple[str, ...] = ("1", "2")

#: Context indicators shown for Pakistan in the fieldwork year (codes in ``context.csv``).
CONTEXT_INDICATORS: tuple[str, ...] = (
    "NY.GDP.PCAP.CD",
    "IT.NET.USER.ZS",
    "EG.ELC.ACCS.ZS",
    "SL.TLF.CACT.FE.ZS",
    "PA.NUS.FCRF",
)
FIELDWORK_YEAR = 2016

#: Width of this module's figures in inches. A phone shows a figure about 340 pixels wide, so text
#: of ``f`` points comes out at about ``f * 340 / (72 * width)`` pixels: at 4.3 inches, 11-12 point
#: labels read at 12-13 pixels, close to the body text; on a desktop the figure keeps its natural

#: Font sizes (points) of this module's figures, sized for :data:`plots.PHONE_WIDTH` (see above).


def figure_groups() -> list[str]:
    """The groups of scale figures present in ``figures.csv``, in the order of the ``scale_group`` labels (``data/labels.csv``).

    The notebook parameter ``figure_group`` allows ``"all"`` plus exactly these (a test checks
    that the parameter registry and the data agree).
    """
    units = set(_scale_rows()["unit"])
    return [g for u, g in evidence.labels("scale_group").items() if u in units]


def _scale_rows() -> pd.DataFrame:
    fig = evidence.load_figures()
    keep = fig["paper_section"].astype(str).isin(SCALE_SECTIONS) & fig["unit"].isin(
        list(evidence.labels("scale_group"))
    )
    return fig[keep].sort_values("order").reset_index(drop=True)


def _scaled(x: float, unit: str) -> tuple[float, str]:
    """Divide a value into a readable magnitude: (value, suffix)."""
    if unit == "percent":
        return x, "%"
    if abs(x) >= 1e9:
        return x / 1e9, " bn"
    if abs(x) >= 1e6:
        return x / 1e6, " million"
    return x, ""


def _num(x: float) -> str:
    """A number without trailing zeros; thousands separated (4.8, 15, 40,000, 66.7)."""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def format_value(low: float, high: float, unit: str) -> str:
    """A figure as a reader would write it: ``US$15–25 bn``, ``4.5 million``, ``66.7%``.

    A range keeps both ends (an en dash between them), so a range is never shown as a point.
    Both ends use the magnitude of the upper end, so ``15–25 bn`` and not ``15 bn–25 bn``.
    """
    hi, suffix = _scaled(high, unit)
    factor = high / hi if hi else 1.0
    lo = low / factor
    prefix = "US$" if unit.startswith("US$") else ""
    text = _num(lo) if low == high else f"{_num(lo)}–{_num(hi)}"
    return f"{prefix}{text}{suffix}"


def reference_name(key: str) -> str:
    """A reference as a reader meets it: author and year, then its number in the paper's list.

    ``"kuek2015"`` -> ``"Kuek et al. 2015 [15]"`` (the number is the paper's own, as in the
    bibliography and chapter B); ``"paper"`` -> ``"the paper itself"``.
    """
    if key == "paper":
        return "the paper itself"
    refs = evidence.load_references().set_index("key")
    if key not in refs.index:
        raise ParameterError(f"{key!r} is not a key of references.csv (kuek2015, berg2016, ...)")
    r = refs.loc[key]
    return f"{author_label(str(r['authors']), int(r['year']))} [{int(r['ref_num'])}]"


def _source_text(source: str, sections: list[str]) -> str:
    where = ", ".join(f"§{s}" for s in sections)
    return f"{reference_name(source)}, cited in {where}"


def scale_figures(group: str = "all") -> pd.DataFrame:
    """The scale figures the paper cites in sections 1-2, one row per distinct figure.

    A figure stated twice (the 2020 forecast appears in sections 1 and 2) is one row listing
    both sections and both figure ids, so it is not drawn twice. ``group`` is ``"all"`` or one
    of :func:`figure_groups`. Columns: ``group, measure, low, high, unit, year, source,
    sections, figure_ids, is_range, value_text, source_text``.
    """
    groups = figure_groups()
    if group != "all" and group not in groups:
        raise ParameterError(
            f"figure group {group!r} is not allowed: expected 'all' or one of {', '.join(map(repr, groups))}"
        )
    rows: dict[tuple, dict[str, Any]] = {}
    for r in _scale_rows().itertuples(index=False):
        year = None if pd.isna(r.year) else int(r.year)
        key = (float(r.low), float(r.high), r.unit, year, r.source)
        if key in rows:
            rows[key]["sections"].append(str(r.paper_section))
            rows[key]["figure_ids"].append(r.figure_id)
            continue
        rows[key] = {
            "group": evidence.label("scale_group", r.unit),
            "measure": r.measure,
            "low": float(r.low),
            "high": float(r.high),
            "unit": r.unit,
            "year": year,
            "source": r.source,
            "sections": [str(r.paper_section)],
            "figure_ids": [r.figure_id],
        }
    out = pd.DataFrame(list(rows.values()))
    out["is_range"] = out["high"] > out["low"]
    out["value_text"] = [format_value(lo, hi, u) for lo, hi, u in zip(out["low"], out["high"], out["unit"])]
    out["source_text"] = [_source_text(s, secs) for s, secs in zip(out["source"], out["sections"])]
    out["sections"] = out["sections"].map(", ".join)
    out["figure_ids"] = out["figure_ids"].map(", ".join)
    out["year"] = pd.array(out["year"], dtype="Int64")
    order = {g: i for i, g in enumerate(groups)}
    out = out.sort_values("group", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    if group != "all":
        out = out[out["group"] == group].reset_index(drop=True)
    return out


def scale_table(df: pd.DataFrame) -> pd.DataFrame:
    """The scale figures as a reader's table: what, how much, who produced it, section, id in figures.csv.

    Five columns only, so that the table fits a phone screen; the year is part of each measure's
    wording. The source is a MyST citation (``[15] {cite:t}`kuek2015```), so the table prints it
    as the prose does and links it to the bibliography: show it with :func:`markdown_table`.
    """
    refs = evidence.load_references().set_index("key")["ref_num"]
    source = ["the paper itself" if k == "paper" else f"[{int(refs[k])}] {{cite:t}}`{k}`" for k in df["source"]]
    return pd.DataFrame(
        {
            "What the paper states": df["measure"],
            "Value": df["value_text"],
            "Source": source,
            "§": df["sections"],
            "Id": df["figure_ids"],
        }
    )


def market_growth() -> dict[str, float]:
    """How many times the 2020 forecast exceeds the 2016 estimate, at each end of the forecast range.

    Both numbers are the World Bank's as cited in section 2 (kuek2015); the ratio is ours.
    """
    m = scale_figures("markets")
    now = m[m["year"] == 2016]
    later = m[m["year"] == 2020]
    if len(now) != 1 or len(later) != 1:
        raise ValueError("figures.csv should hold exactly one 2016 and one 2020 market figure in sections 1-2")
    base = float(now["low"].iloc[0])
    return {"base": base, "low": float(later["low"].iloc[0]) / base, "high": float(later["high"].iloc[0]) / base}


def _axis_formatter(unit: str):
    """Tick labels in the panel's unit: ``5 bn`` for US$ a year, ``4 m`` for workers, ``50%``; zero is ``0``."""
    from matplotlib.ticker import FuncFormatter

    scale, suffix = {"US$ per year": (1e9, " bn"), "workers": (1e6, " m"), "percent": (1.0, "%")}.get(unit, (1.0, ""))

    def fmt(x: float, _pos: int) -> str:
        if x < 0:
            return ""
        return "0" if x == 0 else f"{_num(round(x / scale, 2))}{suffix}"

    return FuncFormatter(fmt)


#: Characters per line of a figure's label in :func:`plot_scale_figures` (fits :data:`plots.PHONE_WIDTH`).
SCALE_LABEL_WIDTH = 40


def _scale_label(measure: str, source_text: str) -> list[str]:
    """The lines over one figure of the chart: what it measures, then who gives it and where."""
    return textwrap.wrap(measure, SCALE_LABEL_WIDTH) + textwrap.wrap(f"— {source_text}", SCALE_LABEL_WIDTH)


def plot_scale_figures(df: pd.DataFrame):
    """One panel per unit; a range as a hatched interval bar, a single value as a diamond.

    Why faceting rather than one shared axis: the groups are in different units (workers,
    US dollars a year, people to be trained, per cent), so any single axis would compare
    things that cannot be compared. Each panel starts at zero so that lengths within a panel
    are honest; a dotted line leads from zero to the start of each range, which makes clear
    that the bar itself covers only the range. Over each figure, its wording and its source
    (author, year and number in the paper's reference list, then the paper's section) sit on a
    white ground, so the gridlines never run through the text.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if df.empty:
        raise ValueError("no scale figures to plot")
    range_colour, point_colour = plots.palette(4)[0], plots.palette(4)[3]
    groups = list(dict.fromkeys(df["group"]))
    labels = {i: _scale_label(m, s) for i, m, s in zip(df.index, df["measure"], df["source_text"])}
    # vertical room per figure: the mark itself plus its label lines (data units; one unit = unit_inch)
    unit_inch = 0.42
    line = plots.FONTS["tick"] * 1.2 / 72 / unit_inch  # one label line, in data units
    steps = {i: 0.75 + line * len(lines) for i, lines in labels.items()}
    spans = [sum(steps[i] for i in df.index[df["group"] == g]) + 0.35 for g in groups]
    legend_h = 0.75
    height = unit_inch * sum(spans) + 0.85 * len(groups) + legend_h + 0.1
    fig, axes = plt.subplots(
        len(groups) + 1,
        1,
        figsize=(plots.PHONE_WIDTH, height),
        squeeze=False,
        gridspec_kw={"height_ratios": [legend_h / unit_inch, *spans]},
    )
    key_ax = axes[0, 0]
    key_ax.axis("off")
    handles = [
        Patch(facecolor=range_colour, hatch="//", edgecolor="#333333", label="range (low to high)"),
        Line2D([], [], marker="D", ls="", ms=9, color=point_colour, mec="#222222", label="single value"),
        Line2D([], [], ls=":", color="#666666", label="guide from zero"),
    ]
    key_ax.legend(
        handles=handles,
        loc="center left",
        ncol=2,
        frameon=False,
        borderaxespad=0,
        handlelength=2.0,
        columnspacing=1.2,
        fontsize=plots.FONTS["small"],
    )
    for ax, g in zip(axes[1:, 0], groups):
        sub = df[df["group"] == g]
        unit = sub["unit"].iloc[0]
        right = 100.0 if unit == "percent" else float(sub["high"].max()) * 1.75
        y = 0.0
        for i, row in list(sub.iterrows())[::-1]:  # bottom-up, so the first figure is drawn on top
            ax.plot([0, row["low"]], [y, y], ls=":", lw=1.2, color="#666666", zorder=1)
            if row["is_range"]:
                ax.barh(
                    y,
                    row["high"] - row["low"],
                    left=row["low"],
                    height=0.36,
                    color=range_colour,
                    hatch="//",
                    edgecolor="#333333",
                    linewidth=1,
                    zorder=2,
                )
            else:
                ax.plot(row["low"], y, marker="D", ms=10, color=point_colour, mec="#222222", zorder=3)
            ax.text(
                row["high"] + right * 0.05,
                y,
                row["value_text"],
                va="center",
                ha="left",
                fontsize=plots.FONTS["label"],
                fontweight="bold",
                zorder=4,
                bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none"),
            )
            ax.text(
                0,
                y + 0.3,
                "\n".join(labels[i]),
                va="bottom",
                ha="left",
                fontsize=plots.FONTS["tick"],
                color="#222222",
                linespacing=1.15,
                zorder=4,
                bbox=dict(boxstyle="square,pad=0.12", facecolor="white", edgecolor="none"),
            )
            y += steps[i]
        ax.set_xlim(0, right)
        ax.set_ylim(-0.45, y - 0.4)
        ax.set_yticks([])
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(_axis_formatter(unit))
        ax.xaxis.set_major_locator(plt.MaxNLocator(4))
        ax.tick_params(axis="x", labelsize=plots.FONTS["tick"])
        ax.set_title(evidence.label("scale_group_title", g), loc="left", fontsize=plots.FONTS["title"])
    return plots.finish(
        fig,
        source="data/figures.csv (Malik et al. 2017, §1–2).\n"
        "Under each figure: who gives it [its number in\nthe paper's reference list], "
        "and where the paper cites it",
    )


def _short_source(source: str) -> str:
    """A short name for a context source: ``World Bank WDI`` or ``ITU``; anything else up to its first bracket."""
    if source.startswith("World Bank, World Development Indicators"):
        return "World Bank WDI"
    if source.startswith("ITU"):
        return "ITU"
    return source.split(" (")[0]


def context_figures(year: int = FIELDWORK_YEAR) -> pd.DataFrame:
    """Public statistics for Pakistan in the fieldwork year, from ``context.csv`` (not from the paper).

    Every release ("vintage") the data hold is kept: the value the World Bank published when the
    study was written can differ from today's revised value, and a reader should see both.
    """
    ctx = evidence.load_context()
    sel = ctx[ctx["indicator_code"].isin(CONTEXT_INDICATORS) & (ctx["year"] == year)].copy()
    sel["_order"] = sel["indicator_code"].map({c: i for i, c in enumerate(CONTEXT_INDICATORS)})
    sel = sel.sort_values(["_order", "vintage"], kind="stable")
    return pd.DataFrame(
        {
            "indicator": [i.replace(" (ILO modelled estimate)", "").replace(" (ITU)", "") for i in sel["indicator"]],
            "value": sel["value"].astype(float).to_numpy(),
            "unit": sel["unit"].to_numpy(),
            "source": [_short_source(s) for s in sel["source"]],
            "release": [v.replace(" release", "") for v in sel["vintage"]],
            "code": sel["indicator_code"].to_numpy(),
        }
    )


def context_table(year: int = FIELDWORK_YEAR) -> pd.DataFrame:
    """:func:`context_figures` for the page: four columns, so the table fits a phone.

    The unit goes in brackets after the indicator; the indicator code is left out (it is in
    ``context.csv`` beside the indicator's name). Values stay numbers.
    """
    ctx = context_figures(year)
    return pd.DataFrame(
        {
            "Indicator (unit)": [f"{i} ({u})" for i, u in zip(ctx["indicator"], ctx["unit"])],
            "Value": ctx["value"].to_numpy(),
            "Source": ctx["source"].to_numpy(),
            "Release": ctx["release"].to_numpy(),
        }
    )


# ============================================================================ A: research questions


def research_question_map() -> pd.DataFrame:
    """The three research questions with the SLF part and the chapters that answer them.

    Adds how many of the paper's findings (section 5) and conclusions (section 6) in
    ``claims.csv`` answer each question, so the reader can see where the paper's weight lies.
    """
    rq = evidence.load_research_questions()
    labels = evidence.load_codebook().set_index("code_id")["label"]
    claims = evidence.load_claims()
    claims = claims[claims["research_question"].notna()]
    counts = claims.groupby(["research_question", "kind"], observed=False).size().unstack(fill_value=0)
    return pd.DataFrame(
        {
            "rq_id": rq["rq_id"].astype(str),
            "question": rq["text"],
            "slf_part_id": rq["slf_part"].astype(str),
            "slf_part": [labels[p] for p in rq["slf_part"].astype(str)],
            "chapter": rq["chapter"].astype(str),
            "also_in": rq["also_in"].astype(str),
            "findings": [int(counts.loc[r, "finding"]) if r in counts.index else 0 for r in rq["rq_id"].astype(str)],
            "conclusions": [
                int(counts.loc[r, "conclusion"]) if r in counts.index else 0 for r in rq["rq_id"].astype(str)
            ],
        }
    )


def research_question_table(rq: pd.DataFrame) -> pd.DataFrame:
    """The research-question map with links: SLF part to chapter C, chapters to their pages.

    Three columns (the SLF part and the chapters share one), so that the table fits a phone.
    """
    framework = show.chapter_exists("c_framework")
    where = []
    for part, main, also in zip(rq["slf_part"], rq["chapter"], rq["also_in"]):
        part_text = f"{{doc}}`{part} <c_framework>`" if framework else part
        chapters = " and ".join([show.chapter_link(main)] + ([show.chapter_link(also)] if also else []))
        where.append(f"{part_text}; chapter{'s' if also else ''} {chapters}")
    return pd.DataFrame(
        {
            "Research question (verbatim, §1)": [f"**{i}** {q}" for i, q in zip(rq["rq_id"], rq["question"])],
            "SLF part; chapters of this book": where,
            "Claims": [f"{f} + {c}" for f, c in zip(rq["findings"], rq["conclusions"])],
        }
    )


# ============================================================================ B: references


# ============================================================================ B: literature views


# ============================================================================ numbers for the prose


def _figure(figure_id: str) -> pd.Series:
    fig = scale_figures()
    hit = fig[fig["figure_ids"].str.split(", ").map(lambda ids: figure_id in ids)]
    if len(hit) != 1:
        raise ParameterError(f"{figure_id!r} is not one of the scale figures of sections 1-2 in figures.csv")
    return hit.iloc[0]


def rationale_numbers() -> dict[str, Any]:
    """Every number chapter A's prose states, computed from ``figures.csv``, ``context.csv`` and ``claims.csv``.

    Values from the paper keep its wording as a formatted string (``"US$15–25 bn"``) so the prose
    and the chart say the same thing; shares are fractions for ``:.0%`` formatting.
    """
    growth = market_growth()
    rq = research_question_map()
    rq["claims"] = rq["findings"] + rq["conclusions"]
    profiles = evidence.context_value("OLW.PROFILES")
    active = evidence.context_value("OLW.ACTIVE")
    return {
        "upwork": _figure("F01")["value_text"],
        "freelancer": _figure("F02")["value_text"],
        "market_2016": _figure("F07")["value_text"],
        "forecast_2020": _figure("F03")["value_text"],
        "forecast_top": format_value(float(_figure("F03")["high"]), float(_figure("F03")["high"]), "US$ per year"),
        "growth_low": growth["low"],
        "growth_high": growth["high"],
        "mturk_share": float(_figure("F10")["low"]) / 100,
        "youth_share": float(_figure("F11")["low"]) / 100,
        "kpk_target": int(_figure("F12")["low"]),
        "internet_2016": evidence.context_value("IT.NET.USER.ZS", FIELDWORK_YEAR) / 100,
        "gdp_pc_2016_then": evidence.context_value("NY.GDP.PCAP.CD", FIELDWORK_YEAR, vintage="2018-08 release"),
        "gdp_pc_2016_now": evidence.context_value("NY.GDP.PCAP.CD", FIELDWORK_YEAR, vintage="2026-07 release"),
        "gdp_pc_month_then": evidence.context_value("NY.GDP.PCAP.CD", FIELDWORK_YEAR, vintage="2018-08 release") / 12,
        "electricity_then": evidence.context_value("EG.ELC.ACCS.ZS", FIELDWORK_YEAR, vintage="2018-08 release") / 100,
        "electricity_now": evidence.context_value("EG.ELC.ACCS.ZS", FIELDWORK_YEAR, vintage="2026-07 release") / 100,
        "female_lfp_2016": evidence.context_value("SL.TLF.CACT.FE.ZS", FIELDWORK_YEAR, vintage="2026-07 release") / 100,
        "olw_profiles_m": profiles / 1e6,
        "olw_ever_m": evidence.context_value("OLW.EVER.WORKED") / 1e6,
        "olw_active_m": active / 1e6,
        "olw_active_share": active / profiles,
        # Upwork's registered workers at the global share significantly active, to the nearest 10,000
        # (an illustration: the paper gives no activity rate for any platform)
        "upwork_active": int(round(float(_figure("F01")["low"]) * active / profiles, -4)),
        "n_rq": len(rq),
        "rq_most_claims": str(rq.loc[rq["claims"].idxmax(), "rq_id"]),
        "rq_most_claims_n": int(rq["claims"].max()),
    }
