"""The paper's own numbers, research questions and references, as analyses.

Why this module exists: chapters A (why study online outsourcing) and B (what the literature
says) argue from things the paper itself states: the scale figures it cites to justify the study,
its three research questions, and its 26 references. Keeping the selection, grouping and drawing
here (with unit tests) keeps the notebooks to one-line cells and makes every number on those
pages traceable to a row of ``data/``:

* **scale figures** (chapter A): the market and workforce numbers of sections 1-2 of the paper
  (``figures.csv``), grouped by unit so that numbers in different units never share an axis;
* **context** (chapter A): public statistics for Pakistan in 2016 (``context.csv``), always
  shown with their source and release ("vintage"), never mixed with the paper's numbers;
* **research questions** (chapter A): each mapped to the part of the Sustainable Livelihoods
  Framework that answers it and to the chapters of this book that take it up;
* **references** (chapter B): counts by year, type and stream, where in the paper each is cited
  (``citations.csv``), and which references hold the literature views the paper contrasts
  (``literature_views.csv``) against the paper's own claims that support or challenge them.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import pandas as pd

from livelihoods import evidence
from livelihoods.errors import ParameterError

PAPER_KEY = "malik2017"

#: Section headings of the paper (section 1-6), as printed, for axis labels and captions.
SECTION_TITLES: dict[str, str] = {
    "1": "Introduction",
    "2": "Literature Review",
    "3": "Conceptual Framework",
    "4": "Methodology",
    "5": "Findings",
    "5.1": "Vulnerability Context",
    "5.2": "Mediation Effect of Institutions",
    "5.3": "Capital Assets and Livelihood Outcomes",
    "6": "Conclusions",
}

# ============================================================================ A: scale figures

#: Sections whose numbers make the case for the study (the introduction and the literature review).
SCALE_SECTIONS: tuple[str, ...] = ("1", "2")

#: The unit of a scale figure decides its group: one group per unit, so one axis per unit.
#: Sections 1-2 also state counts that are not about scale (3 research questions, 2 platform
#: types, 2 literature streams); their units are not listed here, so they are left out.
SCALE_GROUPS: dict[str, str] = {
    "workers": "platforms",
    "US$ per year": "markets",
    "trainees": "programmes",
    "percent": "shares",
}

#: Panel titles: what the group measures and in which unit.
GROUP_TITLES: dict[str, str] = {
    "platforms": "Workers registered on platforms",
    "markets": "Market size (US$ per year)",
    "programmes": "Training targets (young people)",
    "shares": "Shares of people (%)",
}

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
#: size (about 410 pixels at the book's 96 dpi), with labels the size of the body text.
PHONE_WIDTH = 4.3

#: Font sizes (points) of this module's figures, sized for :data:`PHONE_WIDTH` (see above).
FONT = {"title": 12.5, "label": 11.5, "tick": 11, "small": 10.5}


def figure_groups() -> list[str]:
    """The groups of scale figures present in ``figures.csv``, in the order of ``SCALE_GROUPS``.

    The notebook parameter ``figure_group`` allows ``"all"`` plus exactly these (a test checks
    that the parameter registry and the data agree).
    """
    units = set(_scale_rows()["unit"])
    return [g for u, g in SCALE_GROUPS.items() if u in units]


def _scale_rows() -> pd.DataFrame:
    fig = evidence.load_figures()
    keep = fig["paper_section"].astype(str).isin(SCALE_SECTIONS) & fig["unit"].isin(list(SCALE_GROUPS))
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
        raise ParameterError(f"figure group {group!r} is not allowed: expected 'all' or one of {', '.join(map(repr, groups))}")
    rows: dict[tuple, dict[str, Any]] = {}
    for r in _scale_rows().itertuples(index=False):
        year = None if pd.isna(r.year) else int(r.year)
        key = (float(r.low), float(r.high), r.unit, year, r.source)
        if key in rows:
            rows[key]["sections"].append(str(r.paper_section))
            rows[key]["figure_ids"].append(r.figure_id)
            continue
        rows[key] = {
            "group": SCALE_GROUPS[r.unit], "measure": r.measure, "low": float(r.low), "high": float(r.high),
            "unit": r.unit, "year": year, "source": r.source, "sections": [str(r.paper_section)],
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
    return pd.DataFrame({
        "What the paper states": df["measure"],
        "Value": df["value_text"],
        "Source": source,
        "§": df["sections"],
        "Id": df["figure_ids"],
    })


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


#: Characters per line of a figure's label in :func:`plot_scale_figures` (fits :data:`PHONE_WIDTH`).
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

    from livelihoods.analyses import plots

    if df.empty:
        raise ValueError("no scale figures to plot")
    range_colour, point_colour = plots.OKABE_ITO[0], plots.OKABE_ITO[3]
    groups = list(dict.fromkeys(df["group"]))
    labels = {i: _scale_label(m, s) for i, m, s in zip(df.index, df["measure"], df["source_text"])}
    # vertical room per figure: the mark itself plus its label lines (data units; one unit = unit_inch)
    unit_inch = 0.42
    line = FONT["tick"] * 1.2 / 72 / unit_inch  # one label line, in data units
    steps = {i: 0.75 + line * len(lines) for i, lines in labels.items()}
    spans = [sum(steps[i] for i in df.index[df["group"] == g]) + 0.35 for g in groups]
    legend_h = 0.75
    height = unit_inch * sum(spans) + 0.85 * len(groups) + legend_h + 0.1
    fig, axes = plt.subplots(len(groups) + 1, 1, figsize=(PHONE_WIDTH, height), squeeze=False,
                             gridspec_kw={"height_ratios": [legend_h / unit_inch, *spans]})
    key_ax = axes[0, 0]
    key_ax.axis("off")
    handles = [Patch(facecolor=range_colour, hatch="//", edgecolor="#333333", label="range (low to high)"),
               Line2D([], [], marker="D", ls="", ms=9, color=point_colour, mec="#222222", label="single value"),
               Line2D([], [], ls=":", color="#666666", label="guide from zero")]
    key_ax.legend(handles=handles, loc="center left", ncol=2, frameon=False, borderaxespad=0, handlelength=2.0,
                  columnspacing=1.2, fontsize=FONT["small"])
    for ax, g in zip(axes[1:, 0], groups):
        sub = df[df["group"] == g]
        unit = sub["unit"].iloc[0]
        right = 100.0 if unit == "percent" else float(sub["high"].max()) * 1.75
        y = 0.0
        for i, row in list(sub.iterrows())[::-1]:  # bottom-up, so the first figure is drawn on top
            ax.plot([0, row["low"]], [y, y], ls=":", lw=1.2, color="#666666", zorder=1)
            if row["is_range"]:
                ax.barh(y, row["high"] - row["low"], left=row["low"], height=0.36, color=range_colour,
                        hatch="//", edgecolor="#333333", linewidth=1, zorder=2)
            else:
                ax.plot(row["low"], y, marker="D", ms=10, color=point_colour, mec="#222222", zorder=3)
            ax.text(row["high"] + right * 0.05, y, row["value_text"], va="center", ha="left",
                    fontsize=FONT["label"], fontweight="bold", zorder=4,
                    bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none"))
            ax.text(0, y + 0.3, "\n".join(labels[i]), va="bottom", ha="left", fontsize=FONT["tick"],
                    color="#222222", linespacing=1.15, zorder=4,
                    bbox=dict(boxstyle="square,pad=0.12", facecolor="white", edgecolor="none"))
            y += steps[i]
        ax.set_xlim(0, right)
        ax.set_ylim(-0.45, y - 0.4)
        ax.set_yticks([])
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(_axis_formatter(unit))
        ax.xaxis.set_major_locator(plt.MaxNLocator(4))
        ax.tick_params(axis="x", labelsize=FONT["tick"])
        ax.set_title(GROUP_TITLES[g], loc="left", fontsize=FONT["title"])
    return plots.finish(fig, source="data/figures.csv (Malik et al. 2017, §1–2).\n"
                                    "Under each figure: who gives it [its number in\nthe paper's reference list], "
                                    "and where the paper cites it")


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
    return pd.DataFrame({
        "indicator": [i.replace(" (ILO modelled estimate)", "").replace(" (ITU)", "") for i in sel["indicator"]],
        "value": sel["value"].astype(float).to_numpy(),
        "unit": sel["unit"].to_numpy(),
        "source": [_short_source(s) for s in sel["source"]],
        "release": [v.replace(" release", "") for v in sel["vintage"]],
        "code": sel["indicator_code"].to_numpy(),
    })


def context_table(year: int = FIELDWORK_YEAR) -> pd.DataFrame:
    """:func:`context_figures` for the page: four columns, so the table fits a phone.

    The unit goes in brackets after the indicator; the indicator code is left out (it is in
    ``context.csv`` beside the indicator's name). Values stay numbers.
    """
    ctx = context_figures(year)
    return pd.DataFrame({
        "Indicator (unit)": [f"{i} ({u})" for i, u in zip(ctx["indicator"], ctx["unit"])],
        "Value": ctx["value"].to_numpy(),
        "Source": ctx["source"].to_numpy(),
        "Release": ctx["release"].to_numpy(),
    })


# ============================================================================ A: research questions


def chapter_label(stem: str) -> str:
    """A chapter's short label from its stem, as its title begins: ``e1_drivers`` -> ``E1 · Drivers``."""
    m = re.fullmatch(r"([a-z][0-9]?)_([a-z0-9_]+)", stem)
    if not m:
        raise ParameterError(f"chapter stem {stem!r} is not of the form letter[digit]_name")
    return f"{m.group(1).upper()} · {m.group(2).replace('_', ' ').capitalize()}"


def _chapter_exists(stem: str) -> bool:
    from livelihoods.paths import notebooks_dir

    try:
        return (notebooks_dir() / f"{stem}.ipynb").is_file()
    except FileNotFoundError:
        return False


def chapter_link(stem: str) -> str:
    """A MyST link to a chapter of the book, or its plain label if that chapter is not in this build.

    The fallback keeps a partial build (one chapter on a branch) free of broken cross-references.
    """
    label = chapter_label(stem)
    if _chapter_exists(stem):
        return f"{{doc}}`{label} <{stem}>`"
    return label


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
    return pd.DataFrame({
        "rq_id": rq["rq_id"].astype(str),
        "question": rq["text"],
        "slf_part_id": rq["slf_part"].astype(str),
        "slf_part": [labels[p] for p in rq["slf_part"].astype(str)],
        "chapter": rq["chapter"].astype(str),
        "also_in": rq["also_in"].astype(str),
        "findings": [int(counts.loc[r, "finding"]) if r in counts.index else 0 for r in rq["rq_id"].astype(str)],
        "conclusions": [int(counts.loc[r, "conclusion"]) if r in counts.index else 0 for r in rq["rq_id"].astype(str)],
    })


def _cell(text: str) -> str:
    """Text for one cell of a MyST list-table (no line breaks; nothing that starts a new item)."""
    return " ".join(str(text).split())


def list_table(df: pd.DataFrame, caption: str, name: str | None = None, widths: list[int] | None = None) -> str:
    """A DataFrame as a MyST ``list-table`` with a caption: cells may hold roles (citations, links).

    Chapter notebooks print it as Markdown (the book renders Markdown output as MyST), which is
    how a table can carry ``{cite:t}`` citations that resolve in the bibliography.
    """
    lines = [f":::{{list-table}} {caption}", ":header-rows: 1", ":width: 100%"]
    if name:
        lines.append(f":name: {name}")
    if widths:
        lines.append(":widths: " + " ".join(str(w) for w in widths))
    lines.append("")
    for row in [list(df.columns), *df.astype(str).itertuples(index=False)]:
        first, *rest = row
        lines.append(f"* - {_cell(first)}")
        lines.extend(f"  - {_cell(c)}" for c in rest)
    lines.append(":::")
    return "\n".join(lines)


def research_question_table(rq: pd.DataFrame) -> pd.DataFrame:
    """The research-question map with links: SLF part to chapter C, chapters to their pages.

    Three columns (the SLF part and the chapters share one), so that the table fits a phone.
    """
    framework = _chapter_exists("c_framework")
    where = []
    for part, main, also in zip(rq["slf_part"], rq["chapter"], rq["also_in"]):
        part_text = f"{{doc}}`{part} <c_framework>`" if framework else part
        chapters = " and ".join([chapter_link(main)] + ([chapter_link(also)] if also else []))
        where.append(f"{part_text}; chapter{'s' if also else ''} {chapters}")
    return pd.DataFrame({
        "Research question (verbatim, §1)": [f"**{i}** {q}" for i, q in zip(rq["rq_id"], rq["question"])],
        "SLF part; chapters of this book": where,
        "Claims": [f"{f} + {c}" for f, c in zip(rq["findings"], rq["conclusions"])],
    })


# ============================================================================ B: references

#: Readable names for the BibTeX entry types in ``references.csv``.
TYPE_LABELS: dict[str, str] = {
    "article": "journal article",
    "inproceedings": "conference paper",
    "incollection": "book chapter",
    "book": "book",
    "report": "report",
    "magazine": "magazine article",
}

#: The four literature views of section 2, as readers would name them.
VIEW_LABELS: dict[str, str] = {
    "digital_sweatshop": "Digital sweatshop",
    "deinstitutionalisation": "De-institutionalisation",
    "differentiated_outcomes": "Differentiated outcomes",
    "relative_earnings": "Relative earnings in the global South",
}

#: Which side of the contrast the paper draws in section 2 each view sits on: the "critical"
#: lens, largely built on secondary sources, or the "more nuanced" picture of primary research.
VIEW_CAMPS: dict[str, str] = {
    "digital_sweatshop": "critical",
    "deinstitutionalisation": "critical",
    "differentiated_outcomes": "nuanced",
    "relative_earnings": "nuanced",
}

_INITIALS = re.compile(r"(?:[A-Z]\.\s?)+(?:[A-Z]\.)?")


def author_label(authors: str, year: int) -> str:
    """A short author-year label from the authors as printed in the reference list.

    ``"Assemi, B., Schlagwein, D."`` -> ``"Assemi & Schlagwein 2016"``; three or more authors
    give ``"Kuek et al."``; an organisation (no initials) is kept whole (``"World Bank 2016"``).
    """
    parts = [p.strip() for p in authors.split(",") if p.strip()]
    surnames = [p for p in parts if not _INITIALS.fullmatch(p)]
    n_initials = len(parts) - len(surnames)
    if n_initials == 0:
        name = authors.strip()
    elif n_initials == 1:
        name = surnames[0]
    elif n_initials == 2:
        name = f"{surnames[0]} & {surnames[1]}"
    else:
        name = f"{surnames[0]} et al."
    return f"{name} {year}"


def references() -> pd.DataFrame:
    """The 26 references with a short label, a readable type and where the paper cites them.

    Adds ``label`` ("[5] Bergvall-Kåreborn & Howcroft 2014"), ``type_label``, ``citations``
    (times cited in the body), ``sections`` ("2 (3); 5.3 (1)") and ``views`` (literature views
    the reference holds, from ``literature_views.csv``).
    """
    refs = evidence.load_references()
    cites = evidence.load_citations()
    views = evidence.load("literature_views")
    refs["label"] = [f"[{n}] {author_label(a, y)}" for n, a, y in zip(refs["ref_num"], refs["authors"], refs["year"])]
    refs["type_label"] = refs["type"].astype(str).map(TYPE_LABELS)
    total = cites.groupby("key")["n"].sum()
    refs["citations"] = refs["key"].map(total).fillna(0).astype(int)
    where = (cites.assign(s=cites["paper_section"].astype(str))
             .groupby("key")
             .apply(lambda g: "; ".join(f"{s} ({n})" for s, n in zip(g["s"], g["n"])), include_groups=False))
    refs["sections"] = refs["key"].map(where).fillna("")
    held = views.groupby("view", observed=True)["key"].apply(list)
    refs["views"] = [", ".join(VIEW_LABELS[v] for v in VIEW_LABELS if v in held.index and k in held[v])
                     for k in refs["key"]]
    return refs


def streams() -> list[str]:
    """The literature streams, in the order of the data package's enum."""
    return list(evidence.load_references()["stream"].cat.categories)


def _check_stream(stream: str) -> None:
    allowed = ["all", *streams()]
    if stream not in allowed:
        raise ParameterError(f"stream {stream!r} is not allowed: expected one of {', '.join(map(repr, allowed))}")


def reference_counts(refs: pd.DataFrame, by: str) -> pd.DataFrame:
    """How many references per value of ``by`` (``year``, ``type`` or ``stream``), zeros kept for categories."""
    if by not in ("year", "type", "stream"):
        raise ParameterError(f"count by {by!r} is not allowed: expected 'year', 'type' or 'stream'")
    counts = refs.groupby(by, observed=False).size().rename("references").reset_index()
    if by == "type":
        counts = counts[counts["references"] > 0].sort_values("references", ascending=False, kind="stable")
        counts["type"] = counts["type"].astype(str).map(TYPE_LABELS)
    return counts.reset_index(drop=True)


def _fig_title(fig, text: str) -> None:
    """A chart's title at the figure's left edge (over the labels), not over the plotting area.

    A title aligned with the plotting area of a narrow chart with long labels ran past the right
    edge and made the image wider (and so smaller on a phone); at the figure's edge it fits.
    """
    fig.suptitle(text, x=0.01, ha="left", fontsize=FONT["title"], fontweight="bold")


def plot_reference_years(refs: pd.DataFrame):
    """References by year of publication, stacked by publication type (each type its own hatch).

    Years run down the side, one row each (the empty years kept, so gaps in time stay visible),
    which keeps every year label horizontal and legible on a phone.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from livelihoods.analyses import plots

    years = list(range(int(refs["year"].min()), int(refs["year"].max()) + 1))
    types = [t for t in reference_counts(refs, "type")["type"]]
    table = (refs.assign(t=refs["type_label"]).groupby(["year", "t"]).size().unstack(fill_value=0)
             .reindex(index=years, columns=types, fill_value=0))
    fig, ax = plt.subplots(figsize=(PHONE_WIDTH, 0.24 * len(years) + 1.2))
    y = [-i for i in range(len(years))]  # the oldest year on top
    left = pd.Series(0, index=years)
    for i, (t, colour) in enumerate(zip(types, plots.palette(len(types)))):
        ax.barh(y, table[t], left=left, color=colour, hatch=plots.HATCHES[i % len(plots.HATCHES)],
                edgecolor="#333333", linewidth=0.8, label=t, height=0.75)
        left = left + table[t]
    for yi, total in zip(y, left):
        if total:
            ax.text(total + 0.12, yi, str(int(total)), ha="left", va="center", fontsize=FONT["small"])
    ax.set_yticks(y, [str(yr) for yr in years])
    ax.set_ylim(y[-1] - 0.6, 0.6)
    ax.tick_params(axis="y", labelsize=FONT["small"])
    ax.tick_params(axis="x", labelsize=FONT["tick"])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("references", fontsize=FONT["label"])
    ax.set_xlim(0, left.max() + 1)
    ax.grid(axis="y", visible=False)
    _fig_title(fig, "When the cited work was published")
    ax.legend(title="type of publication", loc="upper right", fontsize=FONT["small"], title_fontsize=FONT["small"],
              frameon=True, framealpha=0.95, edgecolor="white")
    return plots.finish(fig, source="data/references.csv (the paper's reference list)")


def plot_streams(refs: pd.DataFrame, focus: str = "all"):
    """References per literature stream; the focused stream is hatched and named as such.

    With ``focus="all"`` every bar is drawn alike (nothing is hatched): there is no focus.
    """
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots

    _check_stream(focus)
    counts = reference_counts(refs, "stream")
    fig, ax = plt.subplots(figsize=(PHONE_WIDTH, 0.55 * len(counts) + 1.1))
    y = list(range(len(counts)))[::-1]
    for yi, (stream, n) in zip(y, counts.itertuples(index=False)):
        on = focus in ("all", stream)
        ax.barh(yi, n, color=plots.OKABE_ITO[3] if on else "#CCCCCC", hatch="//" if focus == stream else "",
                edgecolor="#333333", linewidth=1.5 if focus == stream else 0.6, height=0.7)
        ax.text(n + 0.1, yi, str(n), va="center", fontsize=FONT["small"])
    labels = [lab + ("\n◀ focus" if s == focus else "")
              for lab, s in zip(plots.wrap_labels(counts["stream"].astype(str), 20), counts["stream"].astype(str))]
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=FONT["small"])
    for tick, s in zip(ax.get_yticklabels(), counts["stream"].astype(str)):
        if s == focus:
            tick.set_fontweight("bold")
    ax.tick_params(axis="x", labelsize=FONT["tick"])
    ax.set_xlabel("references", fontsize=FONT["label"])
    ax.set_xlim(0, counts["references"].max() + 1)
    ax.grid(axis="y", visible=False)
    _fig_title(fig, "Literature streams (our grouping)")
    return plots.finish(fig, source="data/references.csv, column stream\n(assigned by the book's authors)")


def citation_matrix(refs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Times each reference is cited in each section: rows by stream then number, all nine sections as columns."""
    refs = references() if refs is None else refs
    cites = evidence.load_citations()
    sections = list(cites["paper_section"].cat.categories)
    wide = (cites.assign(s=cites["paper_section"].astype(str))
            .pivot_table(index="key", columns="s", values="n", aggfunc="sum", fill_value=0)
            .reindex(columns=sections, fill_value=0))
    ordered = refs.sort_values(["stream", "ref_num"], kind="stable")
    wide = wide.reindex(ordered["key"], fill_value=0).astype(int)
    wide.index = ordered["label"].to_numpy()
    wide.index.name = "reference"
    wide.columns.name = "paper section"
    return wide


def by_top_section(matrix: pd.DataFrame) -> pd.DataFrame:
    """A citation matrix with the subsections summed into their section (5.1-5.3 into 5): columns 1-6."""
    top = [str(c).split(".")[0] for c in matrix.columns]
    out = matrix.T.groupby(top, sort=False).sum().T
    out.columns.name = matrix.columns.name
    return out


#: Longest row label of the citation map (characters) before a second author is cut to an initial.
MAP_LABEL_WIDTH = 26


def _map_label(label: str) -> str:
    """A row label of the citation map: the reference's number and authors, without the year.

    ``"[2] Barnes et al. 2015"`` -> ``"[2] Barnes et al."``; a long second surname becomes an
    initial (``"[5] Bergvall-Kåreborn & H."``) so the figure stays narrow enough for a phone.
    """
    text = re.sub(r" \d{4}$", "", label)
    if len(text) > MAP_LABEL_WIDTH and " & " in text:
        first, second = text.split(" & ", 1)
        text = f"{first} & {second[0]}."
    return text


def plot_citation_map(matrix: pd.DataFrame, refs: pd.DataFrame, focus: str = "all"):
    """A grid of citations (references x sections 1-6), rows grouped under a header naming each stream.

    Subsections are summed into their section (5.1-5.3 into §5) so that six short, upright column
    headers fit a phone screen. Each non-empty cell carries its count, so the figure does not
    rely on colour; empty cells stay white so that the sections that cite nothing stand out.
    Stream names sit in header rows across the figure rather than in a side column, and rows
    are labelled with the reference's number in the paper's list and its authors.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from livelihoods.analyses import plots

    _check_stream(focus)
    by_label = refs.set_index("label")["stream"].astype(str)
    top = by_top_section(matrix)
    rows: list[tuple[str, str, bool]] = []  # (label, stream, is_header)
    for lab in top.index:
        stream = by_label[lab]
        if not rows or rows[-1][1] != stream:
            rows.append((stream, stream, True))
        rows.append((lab, stream, False))
    values = top.to_numpy()
    vmax = max(int(values.max()), 1)
    cmap = plt.get_cmap(plots.SEQUENTIAL)
    n_cols = len(top.columns)
    label_units = 6.2  # the label column, in cell widths
    fig, ax = plt.subplots(figsize=(PHONE_WIDTH, 0.27 * len(rows) + 0.9))
    fig.subplots_adjust(left=0.0, right=1.0, top=1.0 - 0.55 / (0.27 * len(rows) + 0.9), bottom=0.0)
    i_ref = 0
    for r, (lab, stream, header) in enumerate(rows):
        if header:
            mark = "▶ " if stream == focus else ""  # before the name: a long name fills the row
            ax.text(-label_units, r + 0.62, mark + stream, ha="left", va="center", fontsize=FONT["small"],
                    fontweight="bold", color="#222222" if stream == focus or focus == "all" else "#555555")
            ax.plot([-label_units, n_cols], [r + 1, r + 1], color="#333333", linewidth=1.0, clip_on=False)
            continue
        ax.text(-0.15, r + 0.5, _map_label(lab), ha="right", va="center", fontsize=FONT["small"],
                fontweight="bold" if stream == focus else "normal", color="#111111")
        for c in range(n_cols):
            n = int(values[i_ref, c])
            colour = cmap(n / vmax) if n else "white"
            ax.add_patch(plt.Rectangle((c, r), 1, 1, facecolor=colour, edgecolor="#CCCCCC", linewidth=0.6))
            if n:
                ax.text(c + 0.5, r + 0.5, str(n), ha="center", va="center", fontsize=FONT["small"],
                        color=plots.text_colour_on(colour), fontweight="bold")
        i_ref += 1
    ax.set_xlim(-label_units, n_cols)
    ax.set_ylim(len(rows), 0)
    ax.set_xticks(np.arange(n_cols) + 0.5)
    ax.set_xticklabels([f"§{c}" for c in top.columns], fontsize=FONT["tick"])
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel("section of the paper", fontsize=FONT["small"], loc="right")
    ax.set_yticks([])
    ax.tick_params(length=0)
    ax.grid(False)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    return plots.finish(fig, source="data/citations.csv (counted from the paper's\nbracketed citations)")


# ============================================================================ B: literature views


def literature_views() -> pd.DataFrame:
    """``literature_views.csv`` with the view's readable name, its side of the contrast and the reference label."""
    views = evidence.load("literature_views")
    refs = references().set_index("key")
    views["view_label"] = views["view"].astype(str).map(VIEW_LABELS)
    views["camp"] = views["view"].astype(str).map(VIEW_CAMPS)
    views["label"] = views["key"].map(refs["label"])
    views["stream"] = views["key"].map(refs["stream"].astype(str))
    order = {v: i for i, v in enumerate(VIEW_LABELS)}
    return views.sort_values("view", key=lambda s: s.astype(str).map(order), kind="stable").reset_index(drop=True)


def view_claims() -> pd.DataFrame:
    """The paper's claims (our summary, ``claims.csv``) that bear on a literature view, with their stance."""
    claims = evidence.load_claims()
    claims = claims[claims["literature_view"].notna()].copy()
    claims["view"] = claims["literature_view"].astype(str)
    claims["view_label"] = claims["view"].map(VIEW_LABELS)
    return claims[["claim_id", "paper_section", "kind", "view", "view_label", "stance", "claim"]].reset_index(drop=True)


def view_claims_table() -> pd.DataFrame:
    """The claims behind the views figure, in four narrow columns for reading on any screen."""
    claims = view_claims()
    return pd.DataFrame({
        "claim": claims["claim_id"].astype(str),
        "§": claims["paper_section"].astype(str),
        "view and stance": [f"{s} {v.lower()}" for v, s in zip(claims["view_label"], claims["stance"].astype(str))],
        "what the paper claims (our summary)": claims["claim"],
    })


def view_summary() -> pd.DataFrame:
    """Per view: its side of the contrast, the references holding it and the claims that support or challenge it."""
    views = literature_views()
    claims = view_claims()
    rows = []
    for view, label in VIEW_LABELS.items():
        held = views[views["view"] == view]
        mine = claims[claims["view"] == view]
        rows.append({
            "view": view, "view_label": label, "camp": VIEW_CAMPS[view],
            "references": len(held), "held_by": ", ".join(held["label"]),
            "supports": int((mine["stance"] == "supports").sum()),
            "challenges": int((mine["stance"] == "challenges").sum()),
        })
    return pd.DataFrame(rows)


def plot_views(summary: pd.DataFrame):
    """The paper's claims on each literature view: challenging to the left, supporting to the right.

    Hatches (not only colours) tell support from challenge. Each view's name, its side of the
    contrast and the number of references holding it stand over its bars, across the figure, so
    the bars get the figure's whole width on a phone.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from livelihoods.analyses import plots

    n = len(summary)
    fig, ax = plt.subplots(figsize=(PHONE_WIDTH, 1.05 * n + 1.9))
    y = [-1.5 * i for i in range(n)]
    sup_c, chal_c = plots.OKABE_ITO[2], plots.OKABE_ITO[4]
    ax.barh(y, -summary["challenges"], color=chal_c, hatch="..", edgecolor="#333333", height=0.45,
            label="◀ claims challenging the view")
    ax.barh(y, summary["supports"], color=sup_c, hatch="//", edgecolor="#333333", height=0.45,
            label="claims supporting the view ▶")
    lim = max(int(summary["supports"].max()), int(summary["challenges"].max())) + 1.2
    for yi, sup, chal, view, camp, refs in zip(y, summary["supports"], summary["challenges"], summary["view_label"],
                                               summary["camp"], summary["references"]):
        ax.text(sup + 0.12, yi, str(sup), va="center", ha="left", fontsize=FONT["small"])
        ax.text(-chal - 0.12, yi, str(chal), va="center", ha="right", fontsize=FONT["small"])
        ax.text(-lim + 0.05, yi + 0.3, f"{view}\n", va="bottom", ha="left", fontsize=FONT["label"],
                fontweight="bold", linespacing=1.25,
                bbox=dict(boxstyle="square,pad=0.08", facecolor="white", edgecolor="none"))
        ax.text(-lim + 0.05, yi + 0.3, f"{camp} view; {refs} reference{'s' if refs != 1 else ''}", va="bottom",
                ha="left", fontsize=FONT["small"], color="#444444",
                bbox=dict(boxstyle="square,pad=0.08", facecolor="white", edgecolor="none"))
    ax.set_xlim(-lim, lim)
    ax.set_ylim(y[-1] - 0.5, 1.25)
    ax.set_yticks([])
    ax.axvline(0, color="#333333", linewidth=1)
    ax.xaxis.set_major_formatter(_abs_formatter())
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="x", labelsize=FONT["tick"])
    ax.set_xlabel("the paper's claims (sections 5-6)", fontsize=FONT["label"])
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.2), ncol=1, fontsize=FONT["small"])
    _fig_title(fig, "The paper's claims on each view")
    return plots.finish(fig, source="data/claims.csv (our summary of the paper's claims),\ndata/literature_views.csv")


def _abs_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: f"{abs(x):g}")


def views_markdown() -> str:
    """The literature views as a MyST list: each view with its side and the paper's verdict, then who holds it.

    A grouped list rather than a table because each entry carries a sentence of explanation,
    which a four-column table squeezes into unreadable strips on a phone.
    """
    views = literature_views()
    summary = view_summary().set_index("view")
    blocks = []
    for view, label in VIEW_LABELS.items():
        held = views[views["view"] == view]
        s = summary.loc[view]
        verdict = f"the paper's claims: {s['supports']} supporting, {s['challenges']} challenging"
        lines = [f"**{label}** ({VIEW_CAMPS[view]} view; {verdict})", ""]
        for key, note, section in zip(held["key"], held["note"], held["paper_section"]):
            where = ", ".join(f"§{x}" for x in str(section).split("; "))
            lines.append(f"- {{cite:t}}`{key}` ({where}): {_cell(note)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def reference_table(stream: str = "all") -> pd.DataFrame:
    """The references of one stream (or all) with where the paper cites them and which views they hold.

    Rows are grouped by stream under a bold header row, so the table needs only three columns
    and fits a phone screen; long view names may break at a soft hyphen for the same reason.
    """
    _check_stream(stream)
    refs = references().sort_values(["stream", "ref_num"], kind="stable")
    if stream != "all":
        refs = refs[refs["stream"].astype(str) == stream]
    rows = []
    for name, group in refs.groupby("stream", observed=True, sort=False):
        rows.append({"Reference": f"**{name}**", "Cited in § (times)": "", "Views it holds": ""})
        for n, k, where, views in zip(group["ref_num"], group["key"], group["sections"], group["views"]):
            rows.append({"Reference": f"[{n}] {{cite:t}}`{k}`", "Cited in § (times)": where,
                         "Views it holds": views.replace("institutionalisation", "institution\u00adalisation") or "–"})
    return pd.DataFrame(rows, columns=["Reference", "Cited in § (times)", "Views it holds"])


def citation_facts(refs: pd.DataFrame | None = None) -> dict[str, Any]:
    """Numbers about the reference list for the prose: totals, where citations fall, how recent the work is."""
    refs = references() if refs is None else refs
    cites = evidence.load_citations()
    section = cites["paper_section"].astype(str)
    total = int(cites["n"].sum())
    in_findings = int(cites.loc[section.str.startswith("5"), "n"].sum())
    years = refs["year"].astype(int)
    return {
        "n_references": len(refs),
        "n_citations": total,
        "n_in_review": int(cites.loc[section == "2", "n"].sum()),
        "share_in_review": int(cites.loc[section == "2", "n"].sum()) / total,
        "n_in_findings": in_findings,
        "n_in_conclusions": int(cites.loc[section == "6", "n"].sum()),
        "n_in_results": in_findings + int(cites.loc[section == "6", "n"].sum()),
        "year_first": int(years.min()),
        "year_last": int(years.max()),
        "n_since_2014": int((years >= 2014).sum()),
        "share_since_2014": float((years >= 2014).mean()),
        "n_articles": int((refs["type"].astype(str) == "article").sum()),
        "n_streams": int(refs["stream"].astype(str).nunique()),
        "n_review_only": int(sum(set(section[cites["key"] == k]) == {"2"} for k in refs["key"])),
    }


# ============================================================================ numbers for the prose


def markdown_table(df: pd.DataFrame, caption: str, name: str | None = None, widths: list[int] | None = None) -> Any:
    """Show a DataFrame as a captioned MyST table (an IPython Markdown object) whose cells may hold roles."""
    from livelihoods.analyses.show import md

    return md(list_table(df, caption, name=name, widths=widths))


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


def literature_numbers(stream: str = "all") -> dict[str, Any]:
    """Every number chapter B's prose and solutions state, for the chosen ``stream``.

    Besides :func:`citation_facts`: how many references the focused stream has, how often the
    critical-labour references are cited outside the introduction and review, and what the
    paper's claims do to each literature view.
    """
    _check_stream(stream)
    refs = references()
    facts = citation_facts(refs)
    summary = view_summary().set_index("view")
    claims = view_claims()
    matrix = citation_matrix(refs)
    critical = refs.loc[refs["stream"].astype(str) == "critical labour", "label"]
    beyond = [c for c in matrix.columns if c not in ("1", "2")]
    deinst = claims[(claims["view"] == "deinstitutionalisation") & (claims["stance"] == "challenges")]
    facts.update({
        "stream_name": "all streams" if stream == "all" else stream,
        "n_focus": len(refs) if stream == "all" else int((refs["stream"].astype(str) == stream).sum()),
        "n_critical": len(critical),
        "critical_beyond_review": int(matrix.loc[critical, beyond].to_numpy().sum()),
        "n_view_refs": int(literature_views()["key"].nunique()),
        "n_view_claims": len(claims),
        "n_forces": int(evidence.figure_range("F28")[0]),
        "deinst_challenges": int(summary.loc["deinstitutionalisation", "challenges"]),
        "deinst_claims": ", ".join(deinst["claim_id"].astype(str)),
        "diff_supports": int(summary.loc["differentiated_outcomes", "supports"]),
        "sweatshop_supports": int(summary.loc["digital_sweatshop", "supports"]),
        "sweatshop_challenges": int(summary.loc["digital_sweatshop", "challenges"]),
    })
    return facts
