"""Chapter E4's money: the earnings, hourly rates and semester fee of section 5.3, in rupees, dollars and incomes.

Why this module exists: the excerpts of section 5.3 quote a few amounts (a swimmer's PKR 25,000-30,000
a month, a role model's twelve to fifteen lakh rupees, a PKR 20,000 semester fee earned in 15 to 20
days) and section 5.2-5.3 a handful of hourly rates, from Upwork's minimum to programming. Reading them
as livelihoods needs assumptions the paper does not make (an exchange rate, the hours a month someone
freelances); those are explicit arguments here, the amounts are read from ``data/figures.csv`` by id
(never retyped), and every function is checked against hand-worked cases in ``tests/test_scenarios.py``.
The paper's own numbers (the drop-out share, the per-capita income, the exchange rates) and the
trajectory funnel are in :mod:`livelihoods.analyses.impact`.

Conventions: money is US$ unless a name says ``pkr``; a month is :data:`DAYS_PER_MONTH` calendar days,
the reading we give to the respondent's "15 to 20 days".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from livelihoods import evidence
from livelihoods.analyses.impact import income_per_capita_month
from livelihoods.errors import ParameterError

#: Calendar days in a month for the day/month conversions (our convention, not the paper's).
DAYS_PER_MONTH = 30


# figures.csv ids of the numbers this module uses (stable ids; the values are read from the data)
FEE_PKR_FIGURE = "F48"  # one semester's fee, PKR 20,000 (EX31)
FEE_DAYS_FIGURE = "F50"  # earned in 15 to 20 days (EX31)
SWIMMER_PKR_FIGURE = "F38"  # PKR 25,000-30,000 a month (EX28)
SWIMMER_USD_FIGURE = "F39"  # US$250-300 a month, the bracketed conversion (EX28)
ROLE_MODEL_PKR_FIGURE = "F22"  # twelve to fifteen lakh rupees a month (EX07)
ROLE_MODEL_USD_FIGURE = "F23"  # c. US$12,000-15,000 (EX07)
FEE_USD_FIGURE = "F49"  # (US$200) in the quote (EX31)
MINIMUM_RATE_FIGURE = "F30"  # Upwork's minimum of US$3 an hour (EX19)
JOB_USD_FIGURE = "F41"  # a US$30 job ... (EX28)
JOB_HOURS_FIGURE = "F42"  # ... done in three hours (EX28)

#: Hourly rates the paper states, lowest first, with our short label for each (figures.csv ids).
RATE_FIGURES: tuple[tuple[str, str], ...] = (
    ("F29", "Upwork's minimum, earlier (EX19)"),
    ("F45", "A trainer's starting rate (EX29)"),
    ("F30", "Upwork's minimum, later (EX19)"),
    ("F51", "Data entry, at most (§5.3)"),
    ("F46", "The same trainer now, graphics and web (EX29)"),
    ("F52", "Web, graphics or programming (§5.3)"),
)


def _rate(rupees_per_usd: float) -> float:
    if isinstance(rupees_per_usd, bool) or not isinstance(rupees_per_usd, (int, float)) or not rupees_per_usd > 0:
        raise ParameterError(f"rupees_per_usd = {rupees_per_usd!r} is not allowed: expected a number above 0")
    return float(rupees_per_usd)


def _hours(hours_per_month: float) -> float:
    if isinstance(hours_per_month, bool) or not isinstance(hours_per_month, (int, float)) or not hours_per_month > 0:
        raise ParameterError(f"hours_per_month = {hours_per_month!r} is not allowed: expected a number above 0")
    return float(hours_per_month)


def to_usd(pkr: float, rupees_per_usd: float) -> float:
    """Rupees to US$ at a given rate (PKR per US$)."""
    return pkr / _rate(rupees_per_usd)


def income_multiple(usd_per_month: float, income_per_month: float | None = None) -> float:
    """Monthly earnings as a multiple of monthly per-capita income (the paper's US$120 by default)."""
    income = income_per_capita_month() if income_per_month is None else income_per_month
    if not income > 0:
        raise ParameterError(f"income_per_month = {income!r} is not allowed: expected a number above 0")
    return usd_per_month / income


def monthly_from_hourly(usd_per_hour: float, hours_per_month: float) -> float:
    """Monthly earnings if every one of ``hours_per_month`` hours were paid at ``usd_per_hour``."""
    return usd_per_hour * _hours(hours_per_month)


def fee_usd(rupees_per_usd: float) -> float:
    """The semester fee of EX31 (PKR 20,000 in figures.csv) in US$ at the given rate."""
    return to_usd(evidence.figure_range(FEE_PKR_FIGURE)[0], rupees_per_usd)


def fee_days(fee: float, usd_per_hour: float, hours_per_month: float) -> float:
    """Calendar days of freelancing that pay ``fee`` US$ at an hourly rate and a monthly workload.

    A month's hours are spread over :data:`DAYS_PER_MONTH` days, so a day earns
    ``usd_per_hour * hours_per_month / 30``.
    """
    if not usd_per_hour > 0:
        raise ParameterError(f"usd_per_hour = {usd_per_hour!r} is not allowed: expected a number above 0")
    per_day = usd_per_hour * _hours(hours_per_month) / DAYS_PER_MONTH
    return fee / per_day


def fee_implied(rupees_per_usd: float, hours_per_month: float) -> dict[str, float]:
    """What EX31's "twenty thousand PKR ... in 15 to 20 days" implies, under the parameters.

    Returns the fee in US$, and the earnings per day, per month and per hour it implies: the
    ``_low`` values come from 20 days (slower earning), the ``_high`` values from 15 days.
    """
    fee = fee_usd(rupees_per_usd)
    days_fast, days_slow = evidence.figure_range(FEE_DAYS_FIGURE)
    hours = _hours(hours_per_month)
    out = {"fee_usd": fee, "days_fast": days_fast, "days_slow": days_slow}
    for tag, days in (("low", days_slow), ("high", days_fast)):
        per_day = fee / days
        out[f"per_day_{tag}"] = per_day
        out[f"per_month_{tag}"] = per_day * DAYS_PER_MONTH
        out[f"per_hour_{tag}"] = per_day * DAYS_PER_MONTH / hours
    return out


def _printed(figure_id: str, what: str) -> str:
    """A US$ figure as the excerpt gives it, e.g. "US$250 to 300 a month" (read from figures.csv)."""
    low, high = evidence.figure_range(figure_id)
    amount = f"US${low:,.0f}" if low == high else f"US${low:,.0f} to {high:,.0f}"
    return f"{amount} {what}"


def hours_needed(usd_per_month: float, usd_per_hour: float) -> float:
    """Paid hours a month that earn ``usd_per_month`` at ``usd_per_hour``."""
    if not usd_per_hour > 0:
        raise ParameterError(f"usd_per_hour = {usd_per_hour!r} is not allowed: expected a number above 0")
    return usd_per_month / usd_per_hour


def minimum_rate() -> float:
    """Upwork's minimum hourly rate after the change EX19 reports (US$3, figures.csv)."""
    return evidence.figure_range(MINIMUM_RATE_FIGURE)[0]


def quoted_earnings(rupees_per_usd: float, income_per_month: float | None = None) -> pd.DataFrame:
    """The monthly earnings the excerpts speak of, in PKR and US$ and as multiples of per-capita income.

    Three amounts: the swimming trainee of EX28 (PKR 25,000-30,000 a month), the monthly rate
    implied by EX31 (a PKR 20,000 fee in 15-20 days, scaled to 30 days) and the role model of EX07
    (twelve to fifteen lakh rupees a month; exceptional, which is why it pulled people in). Rupee
    amounts are converted at ``rupees_per_usd``; the dollar amounts printed in the excerpts are
    kept alongside so a reader sees where the two agree.
    """
    income = income_per_capita_month() if income_per_month is None else income_per_month
    fee_low, _ = evidence.figure_range(FEE_PKR_FIGURE)
    days_fast, days_slow = evidence.figure_range(FEE_DAYS_FIGURE)
    swim = evidence.figure_range(SWIMMER_PKR_FIGURE)
    role = evidence.figure_range(ROLE_MODEL_PKR_FIGURE)
    rows = [
        ("EX28", "A swimmer's earnings", swim, _printed(SWIMMER_USD_FIGURE, "a month")),
        (
            "EX31",
            f"A fee in {days_fast:g}–{days_slow:g} days, per month",
            (fee_low / days_slow * DAYS_PER_MONTH, fee_low / days_fast * DAYS_PER_MONTH),
            _printed(FEE_USD_FIGURE, "fee"),
        ),
        ("EX07", "A role model at an event", role, _printed(ROLE_MODEL_USD_FIGURE, "a month")),
    ]
    out = []
    for excerpt_id, what, (lo, hi), printed in rows:
        usd_lo, usd_hi = to_usd(lo, rupees_per_usd), to_usd(hi, rupees_per_usd)
        out.append(
            {
                "excerpt": excerpt_id,
                "earnings": what,
                "PKR a month, low": lo,
                "PKR a month, high": hi,
                "US$ a month, low": usd_lo,
                "US$ a month, high": usd_hi,
                "× per-capita income, low": income_multiple(usd_lo, income),
                "× per-capita income, high": income_multiple(usd_hi, income),
                "US$ in the quote": printed,
            }
        )
    return pd.DataFrame(out)


def earnings_view(earnings: pd.DataFrame) -> pd.DataFrame:
    """:func:`quoted_earnings` for reading on a narrow screen: four columns, ranges as text.

    The excerpt id and the dollar amount printed in the quote go into the first column, so the
    table fits a phone without scrolling and the printed conversion still sits next to ours.
    """
    view = compact(earnings)
    first = [
        f"{what} ({ex}; quote: {printed})"
        for what, ex, printed in zip(view["earnings"], view["excerpt"], view["US$ in the quote"])
    ]
    multiples = [
        _multiple(lo, hi) for lo, hi in zip(earnings["× per-capita income, low"], earnings["× per-capita income, high"])
    ]
    return pd.DataFrame(
        {
            "earnings": first,
            "PKR a month": view["PKR a month"],
            "US$ a month": view["US$ a month"],
            "× income": multiples,
        }
    )


def _multiple(low: float, high: float | None = None) -> str:
    """A multiple of income as text: one decimal below 10 (2.1–2.5), whole from 10 up (100–125, 36)."""
    high = low if high is None else high
    k = 0 if min(low, high) >= 10 else 1
    a, b = f"{low:,.{k}f}", f"{high:,.{k}f}"
    return a if a == b else f"{a}–{b}"


def job_hourly_rate() -> float:
    """US$ an hour of EX28's morning job (US$30 in three hours): our arithmetic, not printed."""
    return evidence.figure_range(JOB_USD_FIGURE)[0] / evidence.figure_range(JOB_HOURS_FIGURE)[0]


def hourly_rates(hours_per_month: float, rupees_per_usd: float, income_per_month: float | None = None) -> pd.DataFrame:
    """The hourly rates the paper states, with what each would mean a month and for the fee.

    For each rate: US$ a month at ``hours_per_month`` hours, that as a multiple of per-capita
    income, and the days of freelancing that pay EX31's semester fee (converted at
    ``rupees_per_usd``). Every hour paid is an upper bound: the excerpts describe people who
    spend much of their time bidding for work they do not get.
    """
    income = income_per_capita_month() if income_per_month is None else income_per_month
    fee = fee_usd(rupees_per_usd)
    rows = []
    for figure_id, label in RATE_FIGURES:
        rate = evidence.figure_range(figure_id)[0]
        monthly = monthly_from_hourly(rate, hours_per_month)
        rows.append(
            {
                "rate": label,
                "figure": figure_id,
                "US$ an hour": rate,
                "US$ a month": monthly,
                "× per-capita income": income_multiple(monthly, income),
                "days to pay the fee": fee_days(fee, rate, hours_per_month),
            }
        )
    return pd.DataFrame(rows)


def rates_view(rates: pd.DataFrame) -> pd.DataFrame:
    """:func:`hourly_rates` for reading: whole dollars a month, one decimal for multiples and days."""
    return pd.DataFrame(
        {
            "rate": rates["rate"],
            "US$ an hour": [f"{x:g}" for x in rates["US$ an hour"]],
            "US$ a month": [f"{x:,.0f}" for x in rates["US$ a month"]],
            "× per-capita income": [_multiple(x) for x in rates["× per-capita income"]],
            "days to pay the fee": [f"{x:.1f}" for x in rates["days to pay the fee"]],
        }
    )


def plot_rates(rates: pd.DataFrame, hours_per_month: float):
    """Bars of the hourly rates, lowest at the top, each named above its bar and labelled at its end.

    The names sit above the bars rather than as tick labels so the bars get the full width, and
    the type is large, so the figure stays legible when a phone scales it down.
    """
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots

    n = len(rates)
    fig, ax = plt.subplots(figsize=(5.0, 0.95 * n + 1.0))
    y = np.arange(n)[::-1]  # first rate at the top
    bars = ax.barh(y, rates["US$ an hour"], height=0.42, color=plots.palette(n), edgecolor="#333333")
    for bar, hatch, yi, name in zip(bars, plots.HATCHES, y, rates["rate"]):
        bar.set_hatch(hatch)
        ax.text(0, yi + 0.27, name, fontsize=12, va="bottom", ha="left")
    labels = [
        f"\\${r:g} → \\${m:,.0f}/month ({x:.{0 if x >= 10 else 1}f}×)"
        for r, m, x in zip(rates["US$ an hour"], rates["US$ a month"], rates["× per-capita income"])
    ]
    ax.bar_label(bars, labels=labels, padding=4, fontsize=12)
    ax.set_yticks([])
    ax.set_ylim(-0.5, n - 0.1)
    ax.set_xlim(0, rates["US$ an hour"].max() * 2.3)
    ax.tick_params(labelsize=12)
    ax.set_xlabel("US$ an hour", fontsize=13)
    ax.set_title(f"Hourly rates; a month at {hours_per_month:g} paid hours", loc="left", fontsize=14)
    ax.grid(False)  # the names above the bars and the labels beside them would be crossed by gridlines
    return plots.finish(
        fig,
        source="data/figures.csv (Malik et al. 2017, §5.2–5.3);\n"
        "× = multiple of the US\\$120 monthly per-capita income (2015)",
    )


def compact(table: pd.DataFrame, decimals: int | dict[str, int] = 0) -> pd.DataFrame:
    """Merge each pair of "X, low" / "X, high" columns into one "X" column of text ranges.

    For display only (a phone-width table reads "2.1–2.5" better than two columns); a range
    whose ends agree prints as one number. ``decimals`` is one number for every range or a dict
    from merged column name to decimals (missing names get 0).
    """
    out = pd.DataFrame(index=table.index)
    for col in table.columns:
        if col.endswith(", high"):
            continue
        if col.endswith(", low"):
            name = col[: -len(", low")]
            lows, highs = table[col], table[f"{name}, high"]
            k = decimals.get(name, 0) if isinstance(decimals, dict) else decimals
            out[name] = [
                f"{lo:,.{k}f}" if f"{lo:,.{k}f}" == f"{hi:,.{k}f}" else f"{lo:,.{k}f}–{hi:,.{k}f}"
                for lo, hi in zip(lows, highs)
            ]
        else:
            out[col] = table[col]
    return out
