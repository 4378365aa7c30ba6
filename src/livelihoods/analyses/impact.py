"""Scenarios for the impact chapter (E4) and the debates: the paper's numbers and the trajectory funnel.

Why this module exists: section 5.3 of the paper gives a handful of numbers (c. 60% of trainees
never take up freelancing, a few quoted earnings in rupees and dollars, hourly rates from data
entry to programming, a semester fee earned in 15 to 20 days) and one comparison point (monthly
per-capita income of US$120 in 2015). Everything a reader may want to ask of them ("how many
swimmers per 100 trainees?", "what is that in dollars at the official rate?", "what does one
swimmer cost a funder?") needs assumptions the paper does not make: how the non-sinkers split
across the other three trajectories, how many hours a month someone freelances, what training
costs. Those assumptions are explicit arguments here, the paper's numbers are read from
``data/figures.csv`` by id (never retyped), and every function is checked against hand-worked
cases in ``tests/test_scenarios.py``. This module reads the paper's numbers and exchange rates and
divides a cohort across the trajectories; the earnings, hourly rates and fee are in
:mod:`livelihoods.analyses.money`, and what a cohort costs in :mod:`livelihoods.analyses.costs`.

Conventions: shares are fractions (0.6, not 60); money is US$ unless a name says ``pkr``.
"""

from __future__ import annotations

import math

import pandas as pd

from livelihoods import evidence
from livelihoods.errors import DataError, ParameterError

#: The four trajectories of section 5.3, in the order the paper names them.
TRAJECTORIES: tuple[str, ...] = ("sinking", "struggling", "surviving", "swimming")

#: The three trajectories of trainees who do take up freelancing (the split parameters).
TAKE_UP: tuple[str, ...] = TRAJECTORIES[1:]

#: How far the three split shares may miss 1 (so 0.333 + 0.333 + 0.334 is accepted).
SPLIT_TOLERANCE = 0.001


# figures.csv ids of the numbers this module uses (stable ids; the values are read from the data)
DROPOUT_FIGURE = "F34"  # c. 60% of trainees did not take up freelancing (5.3)
INCOME_FIGURE = "F37"  # monthly per-capita income, Pakistan 2015, US$120 (5.3, worldbank2016)
KPK_TARGET_FIGURE = "F12"  # the KPK Youth Employment Programme aims to train 40,000 (2)


# --------------------------------------------------------------------------- reading the paper's numbers


def paper_dropout_share() -> float:
    """The share of trainees who never took up freelancing, as a fraction (section 5.3: c. 60%).

    This is one programme manager's estimate that the authors report without quoting it; it is
    the default of every ``dropout_share`` parameter (a test keeps the two equal).
    """
    row = evidence.figure(DROPOUT_FIGURE)
    if row["unit"] != "percent":
        raise DataError("figures.csv", f"{DROPOUT_FIGURE} should be in percent, not {row['unit']!r}", column="unit")
    return float(row["low"]) / 100


def income_per_capita_month() -> float:
    """Pakistan's monthly per-capita income in 2015 as the paper gives it (US$, cited to worldbank2016)."""
    return float(evidence.figure(INCOME_FIGURE)["low"])


def conversion_pairs() -> pd.DataFrame:
    """Every amount the paper prints in both rupees and dollars, with the rate each pair implies.

    Pairs are found in the data, not listed by hand: a PKR figure and a US$ figure from the same
    excerpt whose units differ only in the currency ("PKR per month" and "US$ per month").
    """
    figures = evidence.load_figures()
    money = figures[figures["currency"].notna() & (figures["excerpt_id"] != "")]
    rows = []
    for excerpt_id, group in money.groupby("excerpt_id", sort=True):
        pkr = group[group["currency"] == "PKR"]
        usd = group[group["currency"] == "USD"]
        for _, p in pkr.iterrows():
            basis = p["unit"].replace("PKR", "").strip()
            match = usd[usd["unit"].str.replace("US$", "", regex=False).str.strip() == basis]
            for _, u in match.iterrows():
                rows.append(
                    {
                        "excerpt_id": excerpt_id,
                        "what": p["measure"],
                        "pkr_low": float(p["low"]),
                        "pkr_high": float(p["high"]),
                        "usd_low": float(u["low"]),
                        "usd_high": float(u["high"]),
                        "rate_low": float(p["low"]) / float(u["low"]),
                        "rate_high": float(p["high"]) / float(u["high"]),
                        "figures": f"{p['figure_id']}, {u['figure_id']}",
                    }
                )
    return pd.DataFrame(rows)


def paper_rupees_per_usd() -> float:
    """The rupees per US$ that the paper's own conversions imply (the default exchange rate).

    Every pair in :func:`conversion_pairs` must imply the same rate (within 1%); if the data ever
    disagreed, a silent average would hide it, so this stops with a DataError instead.
    """
    pairs = conversion_pairs()
    if pairs.empty:
        raise DataError("figures.csv", "has no amount printed in both PKR and US$ to derive an exchange rate")
    rates = pd.concat([pairs["rate_low"], pairs["rate_high"]])
    if rates.max() > rates.min() * 1.01:
        raise DataError(
            "figures.csv",
            f"the paper's conversions imply different rates ({rates.min():g} to {rates.max():g} PKR per US$)",
        )
    return float(rates.median())


def official_rupees_per_usd(year: int = 2016) -> float:
    """The official PKR per US$ period average for a year, from ``data/context.csv`` (WDI PA.NUS.FCRF)."""
    context = evidence.load_context()
    rows = context[(context["indicator_code"] == "PA.NUS.FCRF") & (context["year"] == year)]
    if rows.empty:
        raise ParameterError(
            f"year {year!r} has no official exchange rate in data/context.csv: expected one of "
            + ", ".join(
                str(y) for y in sorted(set(context.loc[context["indicator_code"] == "PA.NUS.FCRF", "year"].dropna()))
            )
        )
    return float(rows["value"].iloc[0])


def wdi_income_per_capita_month(year: int = 2015) -> float:
    """GDP per capita from the current WDI release in ``data/context.csv``, divided by 12 (US$ a month).

    A check on the paper's US$120: later WDI releases revise the series, so the two differ a little.
    """
    context = evidence.load_context()
    rows = context[
        (context["indicator_code"] == "NY.GDP.PCAP.CD")
        & (context["year"] == year)
        & (context["vintage"] == "2026-07 release")
    ]
    if rows.empty:
        raise ParameterError(f"year {year!r} has no GDP per capita (2026-07 release) in data/context.csv")
    return float(rows["value"].iloc[0]) / 12


# --------------------------------------------------------------------------- the trajectory funnel


def _share(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise ParameterError(f"{name} = {value!r} is not allowed: expected a number from 0 to 1")
    if not 0 <= value <= 1:
        raise ParameterError(f"{name} = {value!r} is not allowed: expected a number from 0 to 1")
    return float(value)


def check_split(split_struggling: float, split_surviving: float, split_swimming: float) -> dict[str, float]:
    """Check the split of take-up trainees across struggling, surviving and swimming.

    The paper gives no split, so the chapters take it as three parameters; together they must
    account for everyone who takes up freelancing, i.e. sum to 1 (within :data:`SPLIT_TOLERANCE`).
    Returns the shares rescaled to sum to exactly 1, keyed by trajectory.
    """
    values = {
        "struggling": _share("split_struggling", split_struggling),
        "surviving": _share("split_surviving", split_surviving),
        "swimming": _share("split_swimming", split_swimming),
    }
    total = sum(values.values())
    if abs(total - 1) > SPLIT_TOLERANCE:
        raise ParameterError(
            f"parameters split_struggling + split_surviving + split_swimming = {total:.3g} is not allowed: "
            f"the three shares must sum to 1 (within {SPLIT_TOLERANCE})"
        )
    return {k: v / total for k, v in values.items()}


def funnel(dropout_share: float, split: dict[str, float], cohort_size: float = 100) -> pd.DataFrame:
    """How a cohort divides across the four trajectories.

    ``dropout_share`` of the cohort sinks; the rest divides across struggling, surviving and
    swimming by ``split`` (from :func:`check_split`). Returns one row per trajectory with its
    share of the whole cohort and the expected number of trainees (not rounded: with 10 trainees
    and a share of 0.16 the expectation is 1.6 people, and rounding would hide the assumption).
    """
    d = _share("dropout_share", dropout_share)
    split = check_split(*(split[t] for t in TAKE_UP))
    if isinstance(cohort_size, bool) or not isinstance(cohort_size, (int, float)) or not cohort_size > 0:
        raise ParameterError(f"cohort_size = {cohort_size!r} is not allowed: expected a number above 0")
    shares = {"sinking": d, **{t: (1 - d) * split[t] for t in TAKE_UP}}
    # the sinking share is the paper's only while the parameter keeps the paper's figure
    sinking = "paper, §5.3 estimate" if math.isclose(d, paper_dropout_share()) else "set in this run"
    return pd.DataFrame(
        {
            "trajectory": list(TRAJECTORIES),
            "share": [shares[t] for t in TRAJECTORIES],
            "trainees": [shares[t] * cohort_size for t in TRAJECTORIES],
            "basis": [sinking] + ["assumed split"] * 3,
        }
    )


def readable_count(x: float) -> int | float:
    """An expected number of people for prose, tables and labels: 16, not 16.0; 13.3 where it is not whole.

    Rounded to one decimal, and a whole number then becomes an ``int``, so a glued value prints
    without a trailing ".0" and a fractional expectation (1.6 people) is still visible.
    """
    rounded = round(float(x), 1)
    return int(rounded) if rounded.is_integer() else rounded


def funnel_view(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`funnel` for reading: the share in per cent, trainees as :func:`readable_count`."""
    return pd.DataFrame(
        {
            "trajectory": table["trajectory"],
            "share of trainees": [f"{x:.0%}" for x in table["share"]],
            "expected trainees": [f"{readable_count(x):,}" for x in table["trainees"]],
            "source": table["basis"],
        }
    )


def plot_funnel(table: pd.DataFrame, cohort_size: float = 100):
    """Horizontal bars of trainees per trajectory, each with its own colour, hatch and label.

    Drawn narrow (4.8 inches) with large type, so that it stays legible when a phone scales it down.
    """
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots

    fig, ax = plt.subplots(figsize=(4.8, 3.3))
    order = table.iloc[::-1]  # sinking at the top
    colours = plots.palette(len(TRAJECTORIES))[::-1]
    hatches = list(plots.HATCHES[: len(TRAJECTORIES)])[::-1]
    bars = ax.barh(order["trajectory"], order["trainees"], color=colours, edgecolor="#333333")
    for bar, hatch in zip(bars, hatches):
        bar.set_hatch(hatch)
    short = {"paper, §5.3 estimate": "paper", "assumed split": "assumed", "set in this run": "this run"}
    labels = [
        f"{readable_count(n):,} ({short.get(basis, basis)})" for n, basis in zip(order["trainees"], order["basis"])
    ]
    ax.bar_label(bars, labels=labels, padding=4, fontsize=13)
    # the axis ends at the cohort ("out of 100"); a label past a long bar runs on into the margin
    ax.set_xlim(0, cohort_size)
    ax.grid(False)  # every bar carries its number; gridlines would run through the labels
    ax.tick_params(labelsize=13)
    ax.set_xlabel(f"expected trainees out of {cohort_size:g}", fontsize=13)
    ax.set_title(f"Four trajectories per {cohort_size:g} trainees", loc="left", fontsize=14)
    return plots.finish(fig, source="data/figures.csv F34 (Malik et al. 2017, §5.3);\nsplit: chapter parameters")
