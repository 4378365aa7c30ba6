"""livelihoods.analyses.impact, money and costs against hand-worked cases (the arithmetic is in the comments).

Paper figures used below (data/figures.csv): F34 drop-out c. 60%; F37 US$120 a month per capita (2015);
F22/F23 PKR 1,200,000-1,500,000 = US$12,000-15,000 (EX07); F38/F39 PKR 25,000-30,000 = US$250-300 a month
(EX28); F48/F49 fee PKR 20,000 = US$200 (EX31), F50 earned in 15-20 days; F41/F42 a US$30 job in 3 hours;
hourly rates F29 1, F45 1, F30 3, F51 4, F46 27, F52 30; F12 KPK target 40,000 trainees.
"""

from __future__ import annotations

import csv
import math
import shutil

import matplotlib
import pytest

matplotlib.use("Agg")

from helpers import ROOT  # noqa: E402
from livelihoods import evidence  # noqa: E402
from livelihoods.book import params
from livelihoods.analyses import costs, impact, money
from livelihoods.errors import DataError, ParameterError  # noqa: E402

DEFAULT_SPLIT = {"struggling": 0.4, "surviving": 0.3, "swimming": 0.3}


@pytest.fixture(autouse=True)
def _real_data(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LIVELIHOODS_DATA", str(ROOT / "data"))
    evidence.clear_cache()
    yield
    evidence.clear_cache()


# ----------------------------------------------------------------- the paper's numbers


def test_paper_dropout_share_is_60_percent_as_a_fraction():
    # F34: 60 percent -> 60 / 100 = 0.6
    assert impact.paper_dropout_share() == pytest.approx(0.6)


def test_income_per_capita_month():
    assert impact.income_per_capita_month() == 120.0  # F37


def test_conversion_pairs_found_in_the_data():
    pairs = impact.conversion_pairs().set_index("excerpt_id")
    # exactly the three amounts printed in both currencies: EX07, EX28, EX31
    assert sorted(pairs.index) == ["EX07", "EX28", "EX31"]
    # 1,200,000 / 12,000 = 100; 1,500,000 / 15,000 = 100
    assert pairs.loc["EX07", ["rate_low", "rate_high"]].tolist() == [100.0, 100.0]
    # 25,000 / 250 = 100; 30,000 / 300 = 100
    assert pairs.loc["EX28", ["rate_low", "rate_high"]].tolist() == [100.0, 100.0]
    # 20,000 / 200 = 100
    assert pairs.loc["EX31", "rate_low"] == 100.0
    # the EX28 job values (US$30, 60, 90) have no rupee twin and must not be paired
    assert pairs.loc["EX28", "figures"] == "F38, F39"


def test_paper_rupees_per_usd():
    assert impact.paper_rupees_per_usd() == 100.0


def test_paper_rupees_per_usd_refuses_disagreeing_conversions(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    path = copy / "figures.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    for row in rows:
        if row[0] == "F39":  # US$250 -> US$200 makes EX28 imply 25,000 / 200 = 125 PKR per US$
            row[rows[0].index("low")] = "200"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    monkeypatch.setenv("LIVELIHOODS_DATA", str(copy))
    evidence.clear_cache()
    with pytest.raises(DataError, match="different rates"):
        impact.paper_rupees_per_usd()


def test_official_rate_and_wdi_income():
    assert impact.official_rupees_per_usd(2016) == pytest.approx(104.769)  # WDI PA.NUS.FCRF
    assert impact.official_rupees_per_usd(2015) == pytest.approx(102.769)
    with pytest.raises(ParameterError, match="year 1990"):
        impact.official_rupees_per_usd(1990)
    # GDP per capita 2015 (2026-07 release) 1380.47 / 12 = 115.039...
    assert impact.wdi_income_per_capita_month(2015) == pytest.approx(115.0392, abs=1e-4)


# ----------------------------------------------------------------- the funnel


def test_check_split_accepts_and_rescales():
    assert impact.check_split(0.4, 0.3, 0.3) == pytest.approx(DEFAULT_SPLIT)
    # 0.333 + 0.333 + 0.334 = 1.000 exactly; 0.333 * 3 = 0.999 is within the 0.001 tolerance and is
    # rescaled to thirds: 0.333 / 0.999 = 1/3
    assert impact.check_split(0.333, 0.333, 0.333)["swimming"] == pytest.approx(1 / 3)
    assert impact.check_split(1, 0, 0) == {"struggling": 1.0, "surviving": 0.0, "swimming": 0.0}


def test_check_split_rejects_a_bad_sum_in_one_line_naming_all_three():
    with pytest.raises(ParameterError) as err:
        impact.check_split(0.5, 0.5, 0.5)  # 0.5 + 0.5 + 0.5 = 1.5
    msg = str(err.value)
    assert all(n in msg for n in ("split_struggling", "split_surviving", "split_swimming"))
    assert "1.5" in msg and "sum to 1" in msg and "\n" not in msg


@pytest.mark.parametrize(
    "bad, name",
    [
        ((-0.1, 0.6, 0.5), "split_struggling"),
        ((0.5, 1.2, 0), "split_surviving"),
        ((0.5, 0.5, "x"), "split_swimming"),
        ((0.5, 0.5, float("nan")), "split_swimming"),
    ],
)
def test_check_split_rejects_bad_shares(bad, name):
    with pytest.raises(ParameterError, match=name):
        impact.check_split(*bad)


def test_funnel_default():
    f = impact.funnel(0.6, DEFAULT_SPLIT, cohort_size=100).set_index("trajectory")
    # sinking 0.6 * 100 = 60; the other 40 split 0.4 / 0.3 / 0.3 -> 16, 12, 12
    assert f["trainees"].tolist() == pytest.approx([60, 16, 12, 12])
    assert f["share"].tolist() == pytest.approx([0.6, 0.16, 0.12, 0.12])
    assert f["share"].sum() == pytest.approx(1)
    assert f.loc["sinking", "basis"].startswith("paper") and f.loc["swimming", "basis"] == "assumed split"
    # a drop-out share other than the paper's is no longer the paper's estimate
    assert impact.funnel(0.5, DEFAULT_SPLIT).set_index("trajectory").loc["sinking", "basis"] == "set in this run"


def test_funnel_edges_and_errors():
    # nobody takes up freelancing: 10 trainees all sink
    f = impact.funnel(1.0, DEFAULT_SPLIT, cohort_size=10)
    assert f["trainees"].tolist() == pytest.approx([10, 0, 0, 0])
    # a cohort of 10, drop-out 0.5, all the rest swim: 5 sink, 5 swim
    f = impact.funnel(0.5, {"struggling": 0, "surviving": 0, "swimming": 1}, cohort_size=10)
    assert f["trainees"].tolist() == pytest.approx([5, 0, 0, 5])
    with pytest.raises(ParameterError, match="dropout_share"):
        impact.funnel(1.2, DEFAULT_SPLIT)
    with pytest.raises(ParameterError, match="cohort_size"):
        impact.funnel(0.6, DEFAULT_SPLIT, cohort_size=0)


def test_funnel_view_formats_for_reading():
    view = impact.funnel_view(impact.funnel(0.6, DEFAULT_SPLIT))
    assert view["share of trainees"].tolist() == ["60%", "16%", "12%", "12%"]
    # trainees are people: whole numbers print without ".0"; a fractional expectation keeps one decimal
    assert view["expected trainees"].tolist() == ["60", "16", "12", "12"]
    third = impact.funnel_view(impact.funnel(0.6, impact.check_split(1 / 3, 1 / 3, 1 / 3)))
    assert third["expected trainees"].tolist() == ["60", "13.3", "13.3", "13.3"]  # 40 / 3 = 13.33


def test_readable_count():
    assert impact.readable_count(16.0) == 16 and isinstance(impact.readable_count(16.0), int)
    assert impact.readable_count(40 / 3) == 13.3
    assert impact.readable_count(15.96) == 16  # rounds to one decimal first: 16.0
    assert str(impact.readable_count(4.0000000001)) == "4"  # 40 * 0.1 in floating point


# ----------------------------------------------------------------- earnings, rates and the fee


def test_conversions():
    assert money.to_usd(25000, 100) == 250  # 25,000 / 100
    assert money.to_usd(20000, 104.769) == pytest.approx(190.896, abs=1e-3)  # 20,000 / 104.769 = 190.896
    with pytest.raises(ParameterError, match="rupees_per_usd"):
        money.to_usd(100, 0)
    assert money.income_multiple(300, 120) == 2.5  # 300 / 120
    assert money.income_multiple(250) == pytest.approx(2.0833, abs=1e-4)  # 250 / 120 (paper's default)
    assert money.monthly_from_hourly(27, 160) == 4320  # 27 * 160
    with pytest.raises(ParameterError, match="hours_per_month"):
        money.monthly_from_hourly(27, 0)
    assert money.hours_needed(300, 3) == 100  # 300 / 3
    assert money.minimum_rate() == 3.0
    assert money.job_hourly_rate() == 10.0  # US$30 / 3 hours


def test_fee():
    assert money.fee_usd(100) == 200  # 20,000 / 100
    # US$4 an hour, 160 hours a month over 30 days: 4 * 160 / 30 = 21.33 a day; 200 / 21.33 = 9.375 days
    assert money.fee_days(200, 4, 160) == pytest.approx(9.375)
    # US$30 an hour: 30 * 160 / 30 = 160 a day; 200 / 160 = 1.25 days
    assert money.fee_days(200, 30, 160) == pytest.approx(1.25)


def test_fee_implied():
    f = money.fee_implied(100, 160)
    # US$200 in 20 days = 10 a day = 300 a month = 300 / 160 = 1.875 an hour
    # US$200 in 15 days = 13.33 a day = 400 a month = 400 / 160 = 2.5 an hour
    assert f["fee_usd"] == 200
    assert (f["per_day_low"], f["per_day_high"]) == pytest.approx((10, 13.3333), abs=1e-4)
    assert (f["per_month_low"], f["per_month_high"]) == pytest.approx((300, 400))
    assert (f["per_hour_low"], f["per_hour_high"]) == pytest.approx((1.875, 2.5))
    # at 80 hours the same earnings mean twice the hourly rate: 300 / 80 = 3.75, 400 / 80 = 5
    assert money.fee_implied(100, 80)["per_hour_high"] == pytest.approx(5)


def test_quoted_earnings():
    e = money.quoted_earnings(100).set_index("excerpt")
    # EX28: 25,000-30,000 / 100 = 250-300 US$; / 120 = 2.083-2.5
    assert e.loc["EX28", ["US$ a month, low", "US$ a month, high"]].tolist() == [250, 300]
    assert e.loc["EX28", "× per-capita income, low"] == pytest.approx(2.0833, abs=1e-4)
    assert e.loc["EX28", "× per-capita income, high"] == pytest.approx(2.5)
    # EX31: 20,000 in 20 days * 30 = 30,000 a month; in 15 days * 30 = 40,000; / 100 = 300-400 US$
    assert e.loc["EX31", ["PKR a month, low", "PKR a month, high"]].tolist() == pytest.approx([30000, 40000])
    assert e.loc["EX31", ["US$ a month, low", "US$ a month, high"]].tolist() == pytest.approx([300, 400])
    # EX07: 1,200,000-1,500,000 / 100 = 12,000-15,000 US$; / 120 = 100-125
    assert e.loc["EX07", ["× per-capita income, low", "× per-capita income, high"]].tolist() == pytest.approx(
        [100, 125]
    )
    # the printed dollar amounts come from the data (F39, F49, F23)
    assert e.loc["EX28", "US$ in the quote"] == "US$250 to 300 a month"
    assert e.loc["EX31", "US$ in the quote"] == "US$200 fee"
    # at the official rate the dollars shrink: 25,000 / 104.769 = 238.62
    assert money.quoted_earnings(104.769).set_index("excerpt").loc["EX28", "US$ a month, low"] == pytest.approx(
        238.62, abs=0.01
    )


def test_earnings_view_fits_four_columns():
    view = money.earnings_view(money.quoted_earnings(100))
    assert view.columns.tolist() == ["earnings", "PKR a month", "US$ a month", "× income"]
    # 25,000-30,000 / 100 = 250-300; / 120 = 2.1-2.5
    assert view.iloc[0].tolist() == [
        "A swimmer's earnings (EX28; quote: US$250 to 300 a month)",
        "25,000–30,000",
        "250–300",
        "2.1–2.5",
    ]
    # the role model's 100 to 125 times income prints as whole numbers, not "100.0–125.0"
    assert view.iloc[2]["× income"] == "100–125"
    assert view.iloc[1]["earnings"].startswith("A fee in 15–20 days, per month")  # days from figures.csv F50


def test_hourly_rates():
    r = money.hourly_rates(160, 100)
    assert r["figure"].tolist() == ["F29", "F45", "F30", "F51", "F46", "F52"]
    assert r["US$ an hour"].tolist() == [1, 1, 3, 4, 27, 30]
    # * 160 hours
    assert r["US$ a month"].tolist() == [160, 160, 480, 640, 4320, 4800]
    # / 120: 4,800 / 120 = 40
    assert r["× per-capita income"].iloc[-1] == pytest.approx(40)
    # fee US$200 at US$1 an hour: 1 * 160 / 30 = 5.33 a day; 200 / 5.33 = 37.5 days
    assert r["days to pay the fee"].iloc[0] == pytest.approx(37.5)
    view = money.rates_view(r)
    assert view["US$ a month"].iloc[-1] == "4,800" and view["days to pay the fee"].iloc[-1] == "1.2"
    # multiples: one decimal below 10, whole from 10 up (160 / 120 = 1.33; 4,800 / 120 = 40)
    assert view["× per-capita income"].tolist() == ["1.3", "1.3", "4.0", "5.3", "36", "40"]


def test_compact():
    import pandas as pd

    df = pd.DataFrame(
        {
            "a": ["x", "y"],
            "v, low": [1000.0, 2.0],
            "v, high": [1500.0, 2.0],
            "m, low": [2.08, 1.0],
            "m, high": [2.5, 1.0],
        }
    )
    out = money.compact(df, {"m": 1})
    assert out.columns.tolist() == ["a", "v", "m"]
    assert out["v"].tolist() == ["1,000–1,500", "2"]  # equal ends print once
    assert out["m"].tolist() == ["2.1–2.5", "1.0"]


# ----------------------------------------------------------------- cohort costs


def test_cohort_costs_default():
    c = costs.cohort_costs(100, 500, 0.6, DEFAULT_SPLIT).set_index("trajectory")
    per = c["cost per trainee reaching it (US$)"]
    # 100 trainees * US$500 = US$50,000 for the cohort
    assert c["cost of the cohort (US$)"].iloc[0] == 50000
    # 50,000 / 60 sinking = 833.33; / 16 struggling = 3,125; / 12 surviving = 4,166.67; / 12 swimming = 4,166.67
    assert per["sinking"] == pytest.approx(833.333, abs=1e-3)
    assert per["struggling"] == pytest.approx(3125)
    assert per["swimming"] == pytest.approx(4166.667, abs=1e-3)
    # any take-up: 16 + 12 + 12 = 40 trainees; 50,000 / 40 = 1,250
    assert c["trainees"].iloc[-1] == pytest.approx(40)
    assert per.iloc[-1] == pytest.approx(1250)


def test_cohort_costs_do_not_depend_on_cohort_size_and_are_nan_when_nobody_arrives():
    small = costs.cohort_costs(10, 500, 0.6, DEFAULT_SPLIT)["cost per trainee reaching it (US$)"]
    large = costs.cohort_costs(40000, 500, 0.6, DEFAULT_SPLIT)["cost per trainee reaching it (US$)"]
    assert small.tolist() == pytest.approx(large.tolist())
    c = costs.cohort_costs(100, 500, 0.6, {"struggling": 1, "surviving": 0, "swimming": 0}).set_index("trajectory")
    assert math.isnan(c.loc["swimming", "cost per trainee reaching it (US$)"])
    # 40 strugglers: 50,000 / 40 = 1,250
    assert c.loc["struggling", "cost per trainee reaching it (US$)"] == pytest.approx(1250)
    assert costs.cost_view(c.reset_index())["US$ per trainee reaching it"].tolist()[2] == "–"
    with pytest.raises(ParameterError, match="cost_per_trainee_usd"):
        costs.cohort_costs(100, 0, 0.6, DEFAULT_SPLIT)


def test_sensitivity():
    assert costs.SENSITIVITY_DROPOUTS[0] == 0.3 and costs.SENSITIVITY_DROPOUTS[-1] == 0.9
    assert len(costs.SENSITIVITY_DROPOUTS) == 13  # 0.30, 0.35, ..., 0.90
    s = costs.sensitivity(500, DEFAULT_SPLIT)
    assert len(s) == 13 * 4  # struggling, surviving, swimming, any take-up
    at = s[s["dropout_share"] == 0.3].set_index("trajectory")["cost per trainee reaching it (US$)"]
    # any take-up: 500 / 0.7 = 714.29; swimming: 500 / (0.7 * 0.3) = 2,380.95
    assert at["any take-up"] == pytest.approx(714.286, abs=1e-3)
    assert at["swimming"] == pytest.approx(2380.952, abs=1e-3)
    # doubling: at 0.8 the take-up (0.2) is half of that at 0.6 (0.4), so each cost doubles
    at6 = s[s["dropout_share"] == 0.6].set_index("trajectory")["cost per trainee reaching it (US$)"]
    at8 = s[s["dropout_share"] == 0.8].set_index("trajectory")["cost per trainee reaching it (US$)"]
    assert (at8 / at6).tolist() == pytest.approx([2, 2, 2, 2])


def test_swimmer_months():
    # 4,166.67 / 300 = 13.89 months; / 250 = 16.67 months
    assert costs.swimmer_months(4166.67) == pytest.approx((13.889, 16.667), abs=1e-3)


def test_identical_series_are_drawn_once():
    s = costs.sensitivity(500, DEFAULT_SPLIT)  # surviving and swimming both 0.3 -> the same curve
    assert costs._identical_series(s) == [["struggling"], ["surviving", "swimming"], ["any take-up"]]
    s = costs.sensitivity(500, {"struggling": 0.5, "surviving": 0.3, "swimming": 0.2})
    assert len(costs._identical_series(s)) == 4


# ----------------------------------------------------------------- plots


def test_plots_have_distinct_hatches_markers_and_no_mathtext():
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots

    plots.use_style()
    fig = impact.plot_funnel(impact.funnel(0.6, DEFAULT_SPLIT))
    bars = fig.axes[0].patches
    assert len(bars) == 4 and len({b.get_hatch() for b in bars}) == 4
    # counts "out of 100": the axis stops at the cohort, and the labels are whole numbers
    assert fig.axes[0].get_xlim() == (0, 100)
    assert "60 (paper)" in [t.get_text() for t in fig.axes[0].texts]
    for f in (fig, money.plot_rates(money.hourly_rates(160, 100), 160)):
        # no gridline runs through a bar's label or name
        assert not any(line.get_visible() for line in f.axes[0].get_xgridlines() + f.axes[0].get_ygridlines())
    fig2 = money.plot_rates(money.hourly_rates(160, 100), 160)
    texts = [t.get_text() for t in fig2.axes[0].texts]
    assert "Data entry, at most (§5.3)" in texts
    assert len({b.get_hatch() for b in fig2.axes[0].patches}) == 6
    fig3 = costs.plot_sensitivity(costs.sensitivity(500, DEFAULT_SPLIT), 0.6, 500)
    lines = [line for line in fig3.axes[0].lines if line.get_label() and not line.get_label().startswith("_")]
    assert len({line.get_marker() for line in lines}) == len(lines) == 3
    for f in (fig, fig2, fig3):
        f.canvas.draw()  # mathtext errors (an unescaped "$") would raise here
    plt.close("all")


# ----------------------------------------------------------------- the registry and the paper agree


def test_registry_defaults_come_from_the_paper():
    for stem in ("e4_impact", "g_debates"):
        spec = params.spec(stem)
        assert spec["dropout_share"].default == impact.paper_dropout_share()
        assert not spec["dropout_share"].assumption
        assert all(spec[f"split_{t}"].assumption for t in impact.TAKE_UP)
        impact.check_split(*(spec[f"split_{t}"].default for t in impact.TAKE_UP))  # defaults sum to 1
    e4 = params.spec("e4_impact")
    assert e4["rupees_per_usd"].default == impact.paper_rupees_per_usd()
    assert e4["rupees_per_usd"].low <= impact.official_rupees_per_usd(2016) <= e4["rupees_per_usd"].high
    assert e4["hours_per_month"].assumption and not e4["rupees_per_usd"].assumption
    g = params.spec("g_debates")
    assert g["cohort_size"].high == evidence.figure_range(impact.KPK_TARGET_FIGURE)[0]  # 40,000
    assert g["cohort_size"].assumption and g["cost_per_trainee_usd"].assumption


def test_trajectory_parameters_are_the_same_in_both_chapters():
    e4, g = params.spec("e4_impact"), params.spec("g_debates")
    for name in ("dropout_share", "split_struggling", "split_surviving", "split_swimming"):
        assert e4[name] == g[name]


@pytest.mark.parametrize("dropout, side", [(0.6, None), (0.3, "right"), (0.9, "left"), (0.0, "right"), (1.0, "left")])
def test_sensitivity_labels_stay_clear_of_the_dashed_line(dropout, side):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from livelihoods.analyses import plots
    from livelihoods.analyses import impact

    plots.use_style()
    split = impact.check_split(0.4, 0.3, 0.3)
    fig = costs.plot_sensitivity(costs.sensitivity(500, split), dropout, 500)
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    frame = ax.get_window_extent(renderer)
    assert legend.y0 >= frame.y1 - 1  # above the plot, so no line can run through it
    label = next(t for t in ax.texts if "cost per trainee" in t.get_text())
    box = label.get_window_extent(renderer)
    x_line = ax.transData.transform((dropout, 1))[0]
    assert not box.x0 <= x_line <= box.x1, "the dashed line runs through the label"
    if side:
        assert label.get_ha() == side
    plt.close("all")
