"""The class report's page: one self-contained HTML file with a figure beside every table.

It renders a :class:`.class_report.ClassReport` (passed in, not imported: the report module calls
this one). The page opens offline from disk (figures are embedded PNGs, styles inline, no script) and is
built to pass the book's own browser checks: every figure has alt text saying what it shows and a
caption, every table a caption and header cells, wide tables scroll inside a focusable region,
and the colours are the book's colour-blind-safe palette (:mod:`livelihoods.analyses.plots`).
"""

from __future__ import annotations

import base64
import html
import io
import math
from typing import Any, Sequence

import numpy as np
import pandas as pd

from livelihoods import evidence
from livelihoods.qda import template

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fff;
       margin: 0; line-height: 1.5; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2rem; }
p, li, figcaption, blockquote { overflow-wrap: anywhere; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 0.95rem; color: #333; }
.table-wrap { overflow-x: auto; max-width: 100%; margin: 1rem 0; }
table { border-collapse: collapse; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { border-bottom: 1px solid #ccc; padding: 0.3rem 0.6rem 0.3rem 0; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
blockquote { margin: 0.5rem 0 0.5rem 1rem; padding-left: 0.8rem; border-left: 4px solid #56B4E9; }
.note { background: #f4f4f4; padding: 0.6rem 0.8rem; }
a { color: #0b57a3; }
"""


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _figure(src: str, alt: str, caption: str) -> str:
    return (
        f'<figure><img src="{src}" alt="{html.escape(alt, quote=True)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def _fmt(value: object, digits: int = 2) -> str:
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return "undefined"
        text = f"{value:.{digits}f}"
        return text.lstrip("-") if float(text) == 0 else text  # no "-0.00"
    return str(value)


def _table(df: pd.DataFrame, caption: str, ident: str) -> str:
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in df.columns)
    rows = []
    for _, row in df.iterrows():
        cells = []
        for i, (_col, value) in enumerate(row.items()):
            num = isinstance(value, (int, float, np.integer, np.floating))
            text = html.escape(_fmt(value))
            if i == 0:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f'<td class="num">{text}</td>' if num else f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{ident}">'
        f'<table><caption id="{ident}">{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _styled(draw):
    """Run a drawing function under the book's plotting style, restoring matplotlib's settings after."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots

    with plt.rc_context():
        plt.rcParams.update(plots.SEABORN_WHITEGRID)
        plt.rcParams.update(
            {"axes.spines.top": False, "axes.spines.right": False, "font.size": 11, "image.cmap": plots.SEQUENTIAL}
        )
        return _png(draw(plt, plots))


def students_figure(students: pd.DataFrame) -> str:
    def draw(plt, plots):
        order = students.sort_values("kappa", na_position="first").reset_index(drop=True)
        fig, ax = plt.subplots(figsize=(7.0, min(12.0, 1.6 + 0.22 * len(order))))
        y = np.arange(len(order))
        # Category colours only: blue and vermilion mean "supports" and "challenges" across the book.
        orange, green = plots.CATEGORICAL[0], plots.CATEGORICAL[2]
        ax.scatter(order["kappa"], y, marker="o", s=28, color=green, label="Cohen's kappa", zorder=3)
        ax.scatter(
            order["alpha"],
            y,
            marker="D",
            s=18,
            facecolor="none",
            edgecolor=orange,
            label="Krippendorff's alpha",
            zorder=3,
        )
        if len(order) <= 40:
            ax.set_yticks(y, order["student"].tolist(), fontsize=9)
        else:
            ax.set_yticks([])
            ax.set_ylabel(f"{len(order)} students, ranked by kappa")
        ax.set_xlabel("agreement with the reference coding")
        ax.set_xlim(min(-0.1, float(np.nanmin(order[["kappa", "alpha"]].to_numpy(), initial=0.0)) - 0.05), 1.05)
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, frameon=False)
        fig.tight_layout()
        return fig

    return _styled(draw)


def codes_figure(codes: pd.DataFrame, kappas: pd.DataFrame, level: str) -> str:
    labels = template.labels()

    def draw(plt, plots):
        shown = codes[codes["students_defined"] > 0]
        fig, ax = plt.subplots(figsize=(7.0, min(14.0, 1.5 + 0.34 * max(1, len(shown)))))
        data = [
            kappas.loc[(kappas["category"] == c) & kappas["kappa"].notna(), "kappa"].to_numpy()
            for c in shown["category"]
        ]
        if data:
            positions = np.arange(len(data))[::-1]
            ax.boxplot(
                data,
                positions=positions,
                orientation="horizontal",
                widths=0.6,
                showfliers=False,
                medianprops={"color": "black", "linewidth": 2},
                boxprops={"color": "#444444"},
                whiskerprops={"color": "#444444"},
                capprops={"color": "#444444"},
            )
            rng = np.random.default_rng(0)
            for pos, values in zip(positions, data):
                ax.scatter(
                    values,
                    pos + rng.uniform(-0.18, 0.18, len(values)),
                    s=10,
                    color=plots.CATEGORICAL[2],  # the kappa colour of the students figure
                    alpha=0.6,
                    zorder=3,
                )
            ax.set_yticks(positions, [labels.get(c, c) for c in shown["category"]], fontsize=9)
        ax.set_xlabel(f"Cohen's kappa of each student with the reference, per {template.noun(level)}")
        ax.set_xlim(-1.05, 1.05)
        ax.set_xticks([-1.0, -0.5, 0.0, 0.5, 1.0])
        fig.tight_layout()
        return fig

    return _styled(draw)


def excerpts_figure(report: Any, top: pd.DataFrame) -> str:
    data = report.data
    labels = template.labels()

    def draw(plt, plots):
        rows = [data.excerpt_ids.index(e) for e in top["excerpt_id"]]
        shares = data.present[:, rows, :].sum(axis=0) / np.maximum(data.coded[:, rows].sum(axis=0), 1)[:, None]
        used = np.flatnonzero(shares.max(axis=0) > 0)
        fig, ax = plt.subplots(figsize=(min(12.0, 2.5 + 0.5 * len(used)), 2.6 + 0.45 * len(rows)))
        if len(used):
            cmap = plt.get_cmap(plots.SEQUENTIAL).with_extremes(bad="white")
            image = ax.imshow(np.ma.masked_equal(shares[:, used], 0), cmap=cmap, vmin=0, vmax=1, aspect="auto")
            for i in range(len(rows)):
                for j, c in enumerate(used):
                    if shares[i, c] > 0:
                        ax.text(
                            j,
                            i,
                            f"{shares[i, c]:.0%}",
                            ha="center",
                            va="center",
                            fontsize=8,
                            color=plots.text_colour_on(image.cmap(image.norm(shares[i, c]))),
                        )
                    if data.reference[rows[i], c]:
                        ax.add_patch(
                            plt.Rectangle(
                                (j - 0.46, i - 0.46), 0.92, 0.92, fill=False, edgecolor="black", linewidth=2.5
                            )
                        )
            ax.set_xticks(
                range(len(used)),
                plots.wrap_labels([labels.get(data.categories[c], "") for c in used], 16),
                rotation=90,
                fontsize=8,
            )
            fig.colorbar(image, ax=ax, label="share of the students who coded it", shrink=0.8)
        ax.set_yticks(range(len(rows)), top["excerpt_id"].tolist())
        ax.grid(False)
        fig.tight_layout()
        return fig

    return _styled(draw)


def pairs_figure(pairs: pd.DataFrame) -> str:
    def draw(plt, plots):
        n = len(pairs)
        fig, ax = plt.subplots(figsize=(7.0, 6.2))
        image = ax.imshow(pairs.to_numpy(dtype=float), cmap=plots.SEQUENTIAL, vmin=-1, vmax=1)
        if n <= 30:
            ax.set_xticks(range(n), pairs.columns.tolist(), rotation=90, fontsize=8)
            ax.set_yticks(range(n), pairs.index.tolist(), fontsize=8)
        else:
            ax.set_xlabel(f"{n} students"), ax.set_ylabel(f"{n} students")
            ax.set_xticks([]), ax.set_yticks([])
        ax.grid(False)
        fig.colorbar(image, ax=ax, label="Cohen's kappa on the excerpts both coded (blank: none shared)", shrink=0.8)
        fig.tight_layout()
        return fig

    return _styled(draw)


def _pairs_to_discuss(report: Any, k: int = 10) -> pd.DataFrame:
    kappa, shared = report.pairs_kappa.to_numpy(), report.pairs_shared.to_numpy()
    i, j = np.triu_indices(len(kappa), 1)
    rows = pd.DataFrame(
        {
            "student": np.asarray(report.pairs_kappa.index)[i],
            "with": np.asarray(report.pairs_kappa.index)[j],
            "excerpts shared": shared[i, j],
            "kappa": kappa[i, j],
        }
    )
    enough = rows["excerpts shared"] >= 3  # a pair that shares one or two excerpts says little
    rows = rows[enough if enough.any() else rows["excerpts shared"] > 0]
    rows = rows.sort_values(["kappa", "excerpts shared"], ascending=[True, False])
    return rows.head(k).reset_index(drop=True)


def page_html(report: Any, links: Sequence[str]) -> str:
    """The page: summary, then per section a table and a figure; the CSV files linked."""
    data, students, codes = report.data, report.students, report.codes
    noun = template.noun(data.level)
    top = report.excerpts.head(min(8, len(report.excerpts)))
    worst_code = codes.iloc[0] if len(codes) and codes.iloc[0]["students_defined"] > 0 else None
    n_cov = report.pairs_shared.to_numpy()[np.triu_indices(data.n, 1)]
    parts = [f"<h1>Class report: {data.n} coding sheets against the reference coding</h1>"]
    summary = (
        f"{data.n} students; compared at the {data.level} level on the excerpts each coded "
        f"({int(data.coded.sum(axis=1).min())} to {int(data.coded.sum(axis=1).max())} excerpts per student). "
        f"The class's Krippendorff's alpha, every student a coder: {_fmt(report.alpha, 3)}. "
    )
    if worst_code is not None:
        summary += f"Most disputed {noun}: {worst_code['label']} (mean kappa {_fmt(worst_code['mean_kappa'])}). "
    if len(top):
        summary += f"Most disputed excerpt: {top.iloc[0]['excerpt_id']}."
    parts.append(f"<p>{html.escape(summary)}</p>")
    if data.skipped:
        items = "".join(f"<li>{html.escape(problem)}</li>" for _file, problem in data.skipped)
        parts.append(
            f'<div class="note"><p>Left out {len(data.skipped)} sheet(s) that could not be read:</p><ul>{items}</ul></div>'
        )
    parts.append("<h2>Each student and the reference</h2>")
    parts.append(
        "<p>Pooled over every excerpt a student coded and every category: percentage agreement, Cohen's "
        "kappa and Krippendorff's alpha. A low figure is a conversation to have, not a grade: the reference "
        "is the book's reading, and can be wrong.</p>"
    )
    shown = students.rename(columns={"percent_agreement": "agreement %", "disagreements": "units differing"})
    parts.append(
        _table(shown.drop(columns="sheet"), "Each student's agreement with the reference coding", "t-students")
    )
    parts.append(
        _figure(
            students_figure(students),
            f"Dot chart of {data.n} students ranked by their kappa with the reference coding, with each "
            f"student's alpha beside it; kappa runs from {_fmt(float(np.nanmin(students['kappa'], initial=np.nan)))} "
            f"to {_fmt(float(np.nanmax(students['kappa'], initial=np.nan)))}.",
            "Each student's Cohen's kappa (filled circles) and Krippendorff's alpha (open diamonds) with "
            "the reference coding, lowest kappa at the bottom.",
        )
    )
    parts.append(f"<h2>The {noun}s the class disputed</h2>")
    parts.append(
        f"<p>For each {noun}, the kappa of every student with the reference (where it is defined: one of the "
        "two used it on the excerpts the student coded), the most disputed first: the one on which most "
        "students' coding differs from the reference. A wide box is a definition the class reads in "
        "different ways.</p>"
    )
    table = codes.drop(columns="category").rename(
        columns={
            "label": noun,
            "students_defined": "students (kappa defined)",
            "mean_kappa": "mean kappa",
            "median_kappa": "median",
            "min_kappa": "lowest",
            "max_kappa": "highest",
            "students_disagreeing": "students differing",
        }
    )
    parts.append(
        _table(
            table,
            f"Kappa across students per {noun}, the most disputed first (most students "
            "differing from the reference, then lowest mean kappa)",
            "t-codes",
        )
    )
    parts.append(
        _figure(
            codes_figure(codes, report.kappas, data.level),
            f"Box and strip plot of each student's kappa with the reference for every {noun} that some "
            f"student or the reference used, one row per {noun}, the most disputed at the top"
            + (f" ({worst_code['label']})." if worst_code is not None else "."),
            f"Distribution of kappa across students per {noun}; each dot is a student, the box spans the "
            "middle half, the thick line is the median.",
        )
    )
    parts.append("<h2>The excerpts the class disputed most</h2>")
    parts.append(
        "<p>Ranked by the number of categories on which two students who coded the excerpt differ, on "
        "average. Use these in the next seminar: read the excerpt, show the split, and ask the students who "
        "chose differently to argue from the definitions.</p>"
    )
    ex = evidence.load_excerpts().set_index("excerpt_id")
    for _, row in top.iterrows():
        parts.append(
            f"<h3>{html.escape(row['excerpt_id'])}: {html.escape(_fmt(row['dispute']))} categories apart on average, "
            f"{int(row['students'])} students</h3>"
        )
        parts.append(
            f"<blockquote><p>{html.escape(str(ex.loc[row['excerpt_id'], 'text']))}</p>"
            f"<p>— {html.escape(str(ex.loc[row['excerpt_id'], 'attribution']))} (Malik, Nicholson &amp; Heeks 2017)</p></blockquote>"
        )
        note = evidence.sic_note(str(row["excerpt_id"]))
        if note:  # Markdown in the book: *[sic: ...]* with "$" escaped
            parts.append(f"<p><em>{html.escape(note.strip('*').replace(chr(92) + '$', '$'))}</em></p>")
        parts.append(
            f"<p>The class: {html.escape(row['class_split'])}. The reference: {html.escape(row['reference'])}.</p>"
        )
    if len(top):
        parts.append(
            _figure(
                excerpts_figure(report, top),
                f"Heatmap of the {len(top)} most disputed excerpts (rows) against the categories the class "
                "gave them (columns), each cell the share of the students who gave that category, with the "
                "reference coding's categories outlined.",
                "How the class split on the most disputed excerpts: the share of the students who coded "
                "each excerpt that gave each category; outlined cells are the reference coding.",
            )
        )
    parts.append("<h2>Student by student</h2>")
    parts.append(
        f"<p>Cohen's kappa of every pair of students on the excerpts both coded (pooled over every category); "
        f"pairs share {int(n_cov.min()) if len(n_cov) else 0} to {int(n_cov.max()) if len(n_cov) else 0} "
        "excerpts (see pairs_shared.csv); pairs with none in common are left blank. To pair students for "
        "discussion, start with the pairs that agree least.</p>"
    )
    parts.append(
        _table(
            _pairs_to_discuss(report),
            "The pairs of students who agree least (sharing at least three excerpts where any pair does)",
            "t-pairs",
        )
    )
    parts.append(
        _figure(
            pairs_figure(report.pairs_kappa),
            f"Heatmap of kappa between every pair of the {data.n} students, students in the order of the "
            "tables, brighter for higher agreement.",
            "Student-by-student Cohen's kappa on the excerpts both students coded.",
        )
    )
    parts.append(
        "<h2>The tables</h2><ul>"
        + "".join(f'<li><a href="{html.escape(n)}">{html.escape(n)}</a></li>' for n in links if n != "index.html")
        + "</ul>"
    )
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Class report: {data.n} coding sheets</title><style>{_STYLE}</style></head>"
        f"<body><main>\n{body}\n</main></body></html>\n"
    )
