"""Source of notebooks/e4_impact.ipynb (run: .venv/bin/python -m tools.chapters.e4_impact)."""

from tools.nb import code, fig, md, notebook

cells = [
    md("""
# E4 · Impact: skills for all, earnings for some

```{glue:md} synopsis
:format: myst
```

**Learning objectives.** After this chapter you can say what every trainee gained and what only some did;
describe the four trajectories the paper finds (sinking, struggling, surviving, swimming) and tell which part
of the funnel the paper measures and which part is an assumption; turn the quoted earnings into US$ a month
and into multiples of Pakistan's per-capita income; and judge how far a single quote can be stretched.

**Time:** about 45 minutes. **Read first:** section 5.3 and the third paragraph of section 6 of the paper
{cite:p}`malik2017`.
"""),
    md("""
## Parameters

Change these in the cell below, or run `livelihoods run e4_impact -p hours_per_month 80`.

- `dropout_share` is the share of trainees who never take up freelancing (a number from 0 to 1). Its default
  is the paper's estimate.
- `split_struggling`, `split_surviving` and `split_swimming` divide everyone else across the other three
  trajectories. Each is a number from 0 to 1, and the three must add up to 1. **The paper gives no split**,
  so the defaults are our assumption.
- `rupees_per_usd` converts rupees to dollars (a number from 50 to 300). The default is the rate the
  paper's own conversions imply; the official 2016 average is the documented alternative.
- `hours_per_month` is the number of paid hours of freelancing in a month (a whole number from 20 to 240),
  used to turn hourly rates into monthly earnings. It is also an assumption.
"""),
    code("""
dropout_share = 0.6  # never take up freelancing (paper, 5.3)
split_struggling = 0.4  # of the rest: struggle (assumption)
split_surviving = 0.3  # of the rest: survive (assumption)
split_swimming = 0.3  # of the rest: swim (assumption)
rupees_per_usd = 100.0  # PKR per US$ (paper's conversions)
hours_per_month = 160  # paid hours a month (assumption)
""", tags=["parameters"]),
    code("""
from livelihoods import chapter, scenarios

P = chapter.start("e4_impact", dropout_share=dropout_share, split_struggling=split_struggling, split_surviving=split_surviving, split_swimming=split_swimming, rupees_per_usd=rupees_per_usd, hours_per_month=hours_per_month)
split = scenarios.check_split(P["split_struggling"], P["split_surviving"], P["split_swimming"])
""", tags=["remove-input"]),
    md("""
## Human capital: what every trainee gained

The sustainable livelihoods framework reads impact as a change in the stock of assets people can draw on
{cite:p}`dfid1999`, and the paper follows it {cite:p}`malik2017`. On one asset the finding is the same for
everybody interviewed: every trained freelancer gained **human capital**. Part of it is the technical content
of the courses, as a KADO project manager lists it:
"""),
    code('chapter.quote("EX23")', tags=["remove-input"]),
    md("""
Part of it is broader than freelancing. An EP trainee describes learning to write cover letters and
proposals and to deal with clients, and a gain in confidence that let him speak to the interviewer at all:
"""),
    code('chapter.quote("EX24")', tags=["remove-input"]),
    md("""
The authors note that this result was to be expected: they studied people who had been trained, so a gain in
skills is close to built into the sample {cite:p}`malik2017`. The harder question is what those skills turned
into.
"""),
    md("""
## Four trajectories: a funnel

Turning human capital into money (financial capital) is where the trainees part ways. The paper sorts them
into four trajectories {cite:p}`malik2017`:

- **Sinking**: never taking up freelancing at all. This is the largest group: one programme manager
  estimated that about {glue:text}`dropout_paper:.0%` of trainees did not take it up. The figure is a single
  estimate that the authors report without quoting, not a count.
- **Struggling**: trying but not winning work, because bidding is fierce and clients want a record of past
  work that a newcomer cannot have yet.
- **Surviving**: winning some work, at a low level.
- **Swimming**: building experience, reputation and contacts into reasonable earnings.

The paper gives the size of the first group only. How the rest divide among struggling, surviving and
swimming is **not reported**, so this chapter treats the split as an assumption you can change. With this
run's parameters, out of 100 trainees {glue:text}`n_sinking` sink and {glue:text}`n_take_up` take
up freelancing; of those, {glue:text}`n_struggling` struggle, {glue:text}`n_surviving` survive and
{glue:text}`n_swimming` swim.
"""),
    code("""
trajectories = scenarios.funnel(P["dropout_share"], split, cohort_size=100)
chapter.glue_value("dropout_paper", scenarios.paper_dropout_share())
for _, row in trajectories.iterrows():
    chapter.glue_value(f"n_{row['trajectory']}", scenarios.readable_count(row["trainees"]))
chapter.glue_value("n_take_up", scenarios.readable_count(100 - trajectories["trainees"].iloc[0]))
""", tags=["remove-cell"]),
    fig("""
scenarios.plot_funnel(trajectories, cohort_size=100);
""", name="fig-e4-funnel",
        caption="The four trajectories per 100 trainees. The size of the sinking group is the paper's estimate "
                "unless this run changes the drop-out share; the split of the rest is this run's assumption.",
        alt="Horizontal bar chart of expected trainees out of 100 in each trajectory, sinking at the top, "
            "then struggling, surviving and swimming; each bar is labelled with its number and whether it comes "
            "from the paper or from the assumed split."),
    code("""
chapter.table(scenarios.funnel_view(trajectories), caption="Trajectories per 100 trainees: share of the cohort, expected trainees and where the number comes from")
""", tags=["hide-input"]),
    md("""
### Voices from each stage

Struggling can end in sinking. An EP trainee tells of a friend who had no order for six months and, under
pressure from his family, took a factory job as a data entry operator:
"""),
    code('chapter.quote("EX25")', tags=["remove-input"]),
    md("""
Freelancing also lacks the protections of a salaried job. Respondents put this mainly in terms of illness;
the authors add that the comparison point matters, because government jobs in Pakistan carry rights that
informal jobs do not {cite:p}`malik2017`:
"""),
    code('chapter.quote("EX26")', tags=["remove-input"]),
    md("""
Surviving means competing with a very large pool of workers for each job:
"""),
    code('chapter.quote("EX27")', tags=["remove-input"]),
    md("""
The swimmers are the ones whose numbers we can work with, and the next section does.
"""),
    code('chapter.quote("EX28", "EX29")', tags=["remove-input"]),
    md("""
## What swimming pays, in dollars and against local income

The paper sets the swimmers' earnings against Pakistan's monthly per-capita income in 2015, which it gives
as US\\${glue:text}`income:.0f` from World Bank data {cite:p}`malik2017,worldbank2016`. (The current World
Development Indicators release gives a 2015 GDP per capita that works out at about
US\\${glue:text}`income_wdi:.0f` a month; see `data/context.csv`. Later releases revise the series.)

Some amounts in the quotes are in rupees, some in dollars, and some in both. Every pair printed in both
currencies implies the same rate, {glue:text}`rate_paper:.0f` rupees to the dollar: a round number, and
close to the official 2016 average of {glue:text}`rate_official:.6g` (World Bank, `data/context.csv`). This
run converts at {glue:text}`rate_run:.6g`. The table converts the rupee amounts and compares them with
per-capita income.
"""),
    code("""
earnings = scenarios.quoted_earnings(P["rupees_per_usd"])
chapter.table(scenarios.earnings_view(earnings), caption="Monthly earnings in the quotes at this run's rupees per US$; × income = multiple of monthly per-capita income")
""", tags=["hide-input"]),
    code("""
chapter.glue_value("income", scenarios.income_per_capita_month())
chapter.glue_value("income_wdi", scenarios.wdi_income_per_capita_month(2015))
chapter.glue_value("rate_paper", scenarios.paper_rupees_per_usd())
chapter.glue_value("rate_official", scenarios.official_rupees_per_usd(2016))
chapter.glue_value("rate_run", P["rupees_per_usd"])
for i, tag in ((0, "swim"), (2, "role")):
    chapter.glue_value(f"{tag}_x_low", earnings["× per-capita income, low"].iloc[i])
    chapter.glue_value(f"{tag}_x_high", earnings["× per-capita income, high"].iloc[i])
""", tags=["remove-cell"]),
    md("""
At this rate the swimming trainee of EX28 earns {glue:text}`swim_x_low:.1f` to {glue:text}`swim_x_high:.1f`
times the monthly per-capita income. That is the sense in which the paper calls such earnings reasonable,
and it fits the literature's finding that workers in the global South earn well *relative* to local incomes
{cite:p}`barnes2015,beerepoot2015`. The role model of EX07, who pulled trainees into freelancing (see
chapter E1), earned {glue:text}`role_x_low:.0f` to {glue:text}`role_x_high:.0f` times per-capita income: an
exceptional case that shows why role models pull, not what a trainee can expect.

### Hourly rates: from data entry to programming

The paper's account of progression is about the kind of work: data entry pays at most US\\$4 an hour, while
web, graphics or programming work can attract US\\$30 an hour {cite:p}`malik2017`. The figure puts the
hourly rates stated in the paper side by side and shows what each would give in a month of
{glue:text}`hours:.0f` paid hours, and how many times per-capita income that is.
"""),
    code("""
rates = scenarios.hourly_rates(P["hours_per_month"], P["rupees_per_usd"])
chapter.glue_value("hours", P["hours_per_month"])
""", tags=["remove-cell"]),
    fig("""
scenarios.plot_rates(rates, P["hours_per_month"]);
""", name="fig-e4-rates",
        caption="Hourly rates stated in the paper and its excerpts, each with the monthly earnings it would give at "
                "this run's paid hours a month and that amount as a multiple of monthly per-capita income.",
        alt="Horizontal bar chart of six hourly rates in US dollars, from Upwork's earlier one-dollar minimum and "
            "a trainer's starting rate at the top to thirty dollars for web, graphics or programming at the "
            "bottom; each bar is labelled with its monthly equivalent and multiple of per-capita income."),
    md("""
A month of paid hours is an upper bound, and a generous one. The swimmer of EX28 did a US\\$30 job in three
hours, which is US\\${glue:text}`job_rate:.0f` an hour; at {glue:text}`hours:.0f` hours that would be
US\\${glue:text}`job_month:,.0f` a month, far above the PKR 25,000 to 30,000 he reports. Hours spent bidding,
waiting and learning are not paid, which is exactly what the strugglers and survivors describe.
"""),
    code("""
chapter.glue_value("job_rate", scenarios.job_hourly_rate())
chapter.glue_value("job_month", scenarios.monthly_from_hourly(scenarios.job_hourly_rate(), P["hours_per_month"]))
""", tags=["remove-cell"]),
    md("""
## Reinvesting: a semester's fee in a few weeks

Swimmers' earnings flow into other assets: some save for a home (physical capital), others pay for their own
or their relatives' studies (human capital again) {cite:p}`malik2017`.
"""),
    code('chapter.quote("EX30", "EX31")', tags=["remove-input"]),
    md("""
We can recompute what the trainee in EX31 says. At this run's rate the fee is US\\${glue:text}`fee_usd:.0f`.
Earning it in 15 to 20 days means US\\${glue:text}`per_day_low:.1f` to US\\${glue:text}`per_day_high:.1f` a
day, or US\\${glue:text}`per_month_low:.0f` to US\\${glue:text}`per_month_high:.0f` over a
30-day month. If that came from {glue:text}`hours:.0f` paid hours a month, the hourly rate would be only
US\\${glue:text}`per_hour_low:.2f` to US\\${glue:text}`per_hour_high:.2f`. Compare Upwork's minimum of
US\\${glue:text}`minimum:.0f` an hour (EX19): at that minimum the same earnings need
{glue:text}`hours_min_low:.0f` to {glue:text}`hours_min_high:.0f` paid hours a month. Either the trainee works
fewer hours at a better rate, or the hours assumption is off; the quote cannot tell us which.

Turning it round, the table shows how many days of freelancing would pay the same fee at each hourly rate in
the paper, with this run's hours a month spread over a 30-day month.
"""),
    code("""
fee = scenarios.fee_implied(P["rupees_per_usd"], P["hours_per_month"])
for key in ("fee_usd", "per_day_low", "per_day_high", "per_month_low", "per_month_high", "per_hour_low", "per_hour_high"):
    chapter.glue_value(key, fee[key])
chapter.glue_value("minimum", scenarios.minimum_rate())
chapter.glue_value("hours_min_low", scenarios.hours_needed(fee["per_month_low"], scenarios.minimum_rate()))
chapter.glue_value("hours_min_high", scenarios.hours_needed(fee["per_month_high"], scenarios.minimum_rate()))
""", tags=["remove-cell"]),
    code("""
chapter.table(scenarios.rates_view(rates), caption="Days of freelancing that pay a semester's fee (EX31) at each hourly rate, with this run's hours a month")
""", tags=["hide-input"]),
    md("""
## Short stage or long career?

The paper sees a chronology: struggling and surviving are mostly early stages, after which people either
give up or move up to better-paid work {cite:p}`malik2017`. Few respondents had more than a year in online
outsourcing, so no one can yet say where the trajectories lead. Success was partly put down to personality
and drive, echoing {cite:t}`barnes2015`:
"""),
    code('chapter.quote("EX32")', tags=["remove-input"]),
    md("""
Trainees disagree about the future. For some it is a short-term way to pay for college; others stake
everything on it:
"""),
    code('chapter.quote("EX33", "EX34")', tags=["remove-input"]),
    md("""
And some plan to use the platform as a stepping stone to direct work with clients, off the platform, which
may pay more and be steadier:
"""),
    code('chapter.quote("EX35")', tags=["remove-input"]),
    md("""
## What the numbers can and cannot carry

Every number in this chapter comes from one person: one manager's drop-out estimate, one swimmer's monthly
earnings, one student's semester fee, one trainer's hourly rate. They are the authors' chosen illustrations
of each trajectory (chapter D shows how few of the 29 interviewees are quoted), not averages. They tell us
that the trajectories exist and roughly what swimming can pay; they cannot tell us how many swim. That is why
the split is a parameter here, and why the debates chapter asks what the funnel means for whoever pays for
the training.
"""),
    md("""
## Exercises

```{exercise}
:label: ex-e4-1

Which number in the funnel comes from the paper, and which are assumptions? Run the chapter with
`split_struggling = 0.6`, `split_surviving = 0.3` and `split_swimming = 0.1`. How many swimmers are there
now per 100 trainees? What evidence would you need to pin the split down?
```
"""),
    md("""
```{solution} ex-e4-1
:class: dropdown

Only the sinking share comes from the paper (an estimate by one programme manager). With that split and the
drop-out share of this run there are {glue:text}`alt_swim` swimmers per 100 trainees instead of
{glue:text}`n_swimming` with this run's split. To pin the split down you would need the
programmes' own follow-up records of what each trainee earns, or a survey of a whole cohort: the quoted
excerpts are chosen to illustrate the trajectories, so counting them says nothing about their sizes.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-e4-2

Run the chapter with `rupees_per_usd` set to the official 2016 average, {glue:text}`rate_official:.6g`. What happens to the swimmer's
earnings in dollars and as a multiple of per-capita income? Why do the dollar amounts printed inside the
quotes all imply a rate of exactly 100?
```
"""),
    md("""
```{solution} ex-e4-2
:class: dropdown

The swimmer's PKR 25,000 to 30,000 become US\\${glue:text}`alt_swim_usd_low:.0f` to
US\\${glue:text}`alt_swim_usd_high:.0f`, or {glue:text}`alt_swim_x_low:.1f` to
{glue:text}`alt_swim_x_high:.1f` times per-capita income: a little lower, but the conclusion (a
multiple of local income) does not change. The bracketed dollar amounts are rough conversions at a
round 100 rupees to the dollar, made by the speaker or the authors; they are a convenience, not a record of
the rate at which the money was paid.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-e4-3

The trainee in EX31 earns a semester's fee in 15 to 20 days. Run the chapter with `hours_per_month = 80`
and then 240. What hourly rate does the quote imply in each case, and which of the rates in the figure is
it closest to? What does that tell you about using a single `hours_per_month` for everyone?
```
"""),
    md("""
```{solution} ex-e4-3
:class: dropdown

At 80 hours a month the implied rate is US\\${glue:text}`alt_h80_low:.2f` to US\\${glue:text}`alt_h80_high:.2f`
an hour; at 240 hours it is US\\${glue:text}`alt_h240_low:.2f` to US\\${glue:text}`alt_h240_high:.2f`. Both
sit at the bottom of the figure, among the minimum rates and data entry, far from web or programming work.
The same monthly income can come from many hours at a low rate or few hours at a high one, so a single
hours figure hides exactly the difference between surviving and swimming.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-e4-4

Someone argues from EX28 that a skilled freelancer in Pakistan can earn US\\${glue:text}`job_rate:.0f` an
hour, "so about US\\${glue:text}`job_month:,.0f` a month" (at {glue:text}`hours:.0f` hours). Using the excerpts in this chapter, explain what is wrong with this reasoning.
```
"""),
    md("""
```{solution} ex-e4-4
:class: dropdown

The job rate counts only the hours of one delivered job. The excerpts show that much of a freelancer's time
goes on bidding for work that does not come (EX27: hundreds of applications for one job) and that months can
pass without an order (EX25). The trainee who did that job reports PKR 25,000 to 30,000 a month
in all, a fraction of the extrapolation. A rate per delivered hour is not an income.
```
""", tags=["solution"]),
    code("""
alt = scenarios.quoted_earnings(scenarios.official_rupees_per_usd(2016))
chapter.glue_value("alt_swim", scenarios.readable_count(scenarios.funnel(P["dropout_share"], scenarios.check_split(0.6, 0.3, 0.1))["trainees"].iloc[3]))
for col, tag in (("US$ a month", "usd"), ("× per-capita income", "x")):
    chapter.glue_value(f"alt_swim_{tag}_low", alt[f"{col}, low"].iloc[0])
    chapter.glue_value(f"alt_swim_{tag}_high", alt[f"{col}, high"].iloc[0])
for h in (80, 240):
    chapter.glue_value(f"alt_h{h}_low", scenarios.fee_implied(P["rupees_per_usd"], h)["per_hour_low"])
    chapter.glue_value(f"alt_h{h}_high", scenarios.fee_implied(P["rupees_per_usd"], h)["per_hour_high"])
""", tags=["remove-cell"]),
    md("""
## Development questions this chapter prepares for
"""),
    code('chapter.prepares("e4_impact")', tags=["remove-input"]),
]

if __name__ == "__main__":
    print(notebook("notebooks/e4_impact.ipynb", cells))
