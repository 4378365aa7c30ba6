"""What a cohort costs: the training bill per trainee who takes up freelancing and per swimmer (chapter G).

The paper reports no costs (section 5.3 gives only the trajectories), so the cost per trainee is a
parameter labelled as an assumption; the funnel it is spread over is chapter E4's
(:mod:`livelihoods.analyses.impact`). The sensitivity table and chart show how the cost per
swimmer moves with the drop-out share, the one number the paper does give.
"""

from __future__ import annotations

import math
from typing import Iterable
import numpy as np
import pandas as pd
from livelihoods import evidence
from livelihoods.analyses.money import SWIMMER_USD_FIGURE
from livelihoods.analyses.impact import TAKE_UP, funnel, readable_count
from livelihoods.errors import ParameterError


#: Drop-out shares the sensitivity chart of the debates chapter runs over.
SENSITIVITY_DROPOUTS: tuple[float, ...] = tuple(float(x) for x in np.round(np.linspace(0.3, 0.9, 13), 2))


def _cost(cost_per_trainee_usd: float) -> float:
    if (
        isinstance(cost_per_trainee_usd, bool)
        or not isinstance(cost_per_trainee_usd, (int, float))
        or not cost_per_trainee_usd > 0
    ):
        raise ParameterError(
            f"cost_per_trainee_usd = {cost_per_trainee_usd!r} is not allowed: expected a number above 0"
        )
    return float(cost_per_trainee_usd)


def cohort_costs(
    cohort_size: float, cost_per_trainee_usd: float, dropout_share: float, split: dict[str, float]
) -> pd.DataFrame:
    """Cost of training a cohort, per trainee who reaches each trajectory.

    Every trainee costs the same, so the cost per trainee who ends up in a trajectory is the whole
    cohort's cost divided by the expected number who reach it, i.e. ``cost / share``; it does not
    depend on the cohort size. A last row counts everyone who takes up freelancing at all. Where
    nobody is expected to reach a trajectory the cost per trainee is undefined (NaN), not infinite.
    """
    cost = _cost(cost_per_trainee_usd)
    table = funnel(dropout_share, split, cohort_size)
    take_up = table[table["trajectory"].isin(TAKE_UP)]
    table = pd.concat(
        [
            table,
            pd.DataFrame(
                [
                    {
                        "trajectory": "any take-up",
                        "share": take_up["share"].sum(),
                        "trainees": take_up["trainees"].sum(),
                        "basis": "struggling + surviving + swimming",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    total = cost * cohort_size
    table["cost of the cohort (US$)"] = total
    table["cost per trainee reaching it (US$)"] = [total / n if n > 0 else math.nan for n in table["trainees"]]
    return table


def sensitivity(
    cost_per_trainee_usd: float, split: dict[str, float], dropouts: Iterable[float] = SENSITIVITY_DROPOUTS
) -> pd.DataFrame:
    """Cost per trainee reaching each take-up trajectory, over a range of drop-out shares (long format)."""
    rows = []
    for d in dropouts:
        table = cohort_costs(1, cost_per_trainee_usd, d, split)
        for _, r in table[table["trajectory"] != "sinking"].iterrows():
            rows.append(
                {
                    "dropout_share": float(d),
                    "trajectory": r["trajectory"],
                    "cost per trainee reaching it (US$)": r["cost per trainee reaching it (US$)"],
                }
            )
    return pd.DataFrame(rows)


def _identical_series(table: pd.DataFrame) -> list[list[str]]:
    """Group trajectories whose cost curves coincide (equal split shares), so no line hides another."""
    groups: list[list[str]] = []
    values: list[np.ndarray] = []
    for name in dict.fromkeys(table["trajectory"]):
        y = table.loc[table["trajectory"] == name, "cost per trainee reaching it (US$)"].to_numpy(dtype=float)
        for group, seen in zip(groups, values):
            if np.allclose(y, seen, equal_nan=True):
                group.append(name)
                break
        else:
            groups.append([name])
            values.append(y)
    return groups


def cost_view(costs: pd.DataFrame) -> pd.DataFrame:
    """:func:`cohort_costs` for reading: shares in per cent, whole dollars, "–" where nobody arrives."""
    cost = costs["cost per trainee reaching it (US$)"]
    return pd.DataFrame(
        {
            "trajectory": costs["trajectory"],
            "share of cohort": [f"{x:.0%}" for x in costs["share"]],
            "expected trainees": [f"{readable_count(x):,}" for x in costs["trainees"]],
            "US$ per trainee reaching it": ["–" if pd.isna(x) else f"{x:,.0f}" for x in cost],
        }
    )


def plot_sensitivity(table: pd.DataFrame, dropout_share: float, cost_per_trainee_usd: float):
    """Lines of cost per trainee reaching each trajectory against the drop-out share (log scale).

    Each line has its own colour, marker and line style; a dashed vertical line marks the
    chapter's drop-out share and a dotted horizontal one the cost per trainee trained.
    """
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots

    fig, ax = plt.subplots(figsize=(5.0, 4.4))
    outcomes = list(dict.fromkeys(table["trajectory"]))
    colours = dict(zip(outcomes, plots.palette(len(outcomes) + 1)[1:]))
    markers, styles = ("o", "s", "^", "D"), ("-", "--", "-.", ":")
    for i, names in enumerate(_identical_series(table)):
        part = table[table["trajectory"] == names[0]]
        ax.plot(
            part["dropout_share"],
            part["cost per trainee reaching it (US$)"],
            label=" = ".join(names),
            color=colours[names[0]],
            marker=markers[i % 4],
            linestyle=styles[i % 4],
            linewidth=2,
            markersize=6,
        )
    ax.axvline(dropout_share, color="#444444", linestyle="--", linewidth=1)
    ax.axhline(cost_per_trainee_usd, color="#444444", linestyle=":", linewidth=1)
    ax.set_yscale("log")
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.tick_params(labelsize=12)
    ax.set_xlabel(f"drop-out share (dashed: this run, {dropout_share:.0%})", fontsize=13)
    ax.set_ylabel("US$ per trainee reaching it (log)", fontsize=13)
    # Nothing may sit at a fixed place inside the plot: the dashed line (this run's drop-out share)
    # can fall anywhere across it. The legend goes above the plot, under the title; the dotted line's
    # label goes under that line, on the side away from the dashed one (no curve runs there: every
    # trajectory costs more than a trainee).
    handles, names = ax.get_legend_handles_labels()
    fig.set_size_inches(5.0, 4.4 + 0.25 * len(names))  # the plot keeps its height under the legend
    ax.legend(
        handles,
        names,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=1,
        fontsize=12,
        borderaxespad=0.3,
        handlelength=2.6,
    )
    ax.set_title("Cost per trainee reaching each trajectory", loc="left", fontsize=14, pad=12 + 22 * len(names))
    low, high = ax.get_ylim()
    ax.set_ylim(min(low, cost_per_trainee_usd / 1.9), high)  # room under the dotted line for two lines of text
    x0, x1 = ax.get_xlim()
    right = (dropout_share - x0) / (x1 - x0) < 0.5  # the dashed line is on the left half
    ax.annotate(
        "cost per trainee\ntrained",
        (0.98 if right else 0.02, cost_per_trainee_usd),
        xycoords=("axes fraction", "data"),
        xytext=(0, -3),
        textcoords="offset points",
        fontsize=12,
        va="top",
        ha="right" if right else "left",
        color="#333333",
    )
    return plots.finish(
        fig, source="scenario from the chapter parameters;\ndrop-out share c. 60% in Malik et al. 2017, §5.3"
    )


def swimmer_months(cost_per_swimmer: float) -> tuple[float, float]:
    """Months of a swimmer's printed earnings (EX28, US$250-300) that equal ``cost_per_swimmer``.

    Returns (at US$300, at US$250) so the first value is the smaller. A crude yardstick of scale,
    not a return on investment: it ignores what the swimmer would have earned otherwise.
    """
    low, high = evidence.figure_range(SWIMMER_USD_FIGURE)
    return cost_per_swimmer / high, cost_per_swimmer / low
