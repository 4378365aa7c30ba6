"""Source of notebooks/a_rationale.ipynb (run: .venv/bin/python -m tools.chapters.a_rationale)."""

from tools.nb import code, fig, md, notebook

cells = [
    md("""
# A · Why study online outsourcing in developing countries?

```{glue:md} synopsis
:format: myst
```

**Learning objectives.** After this chapter you can say how big online outsourcing was thought to be when
the study was done, and who produced those estimates; read a range as a range rather than a single number;
tell the paper's own figures apart from public statistics about Pakistan; and name the study's three
research questions and the part of the livelihoods framework each one uses.

**Time:** about 30 minutes. **Read first:** sections 1 and 2 of the paper {cite:p}`malik2017` (the
introduction and the first half of the literature review).
"""),
    md("""
## Parameters

Change this when you run the notebook yourself (or with `livelihoods run a_rationale -p figure_group markets`).
`figure_group` chooses which of the paper's scale figures the chart and its table show: `"all"`,
`"platforms"` (workers registered on platforms), `"markets"` (the money value of the market),
`"programmes"` (training targets of national programmes) or `"shares"` (shares of people, in per cent).
The groups come from the unit of each figure in `data/figures.csv`: one group per unit. The prose
below always speaks about all the figures.
"""),
    code('figure_group = "all"  # all, platforms, markets, programmes or shares', tags=["parameters"]),
    code("""
from livelihoods import chapter, paper

P = chapter.start("a_rationale", figure_group=figure_group)
""", tags=["remove-input"]),
    code("""
for name, value in paper.rationale_numbers().items():
    chapter.glue_value(name, value)
""", tags=["remove-cell"]),
    md("""
## A new way of working

Online outsourcing (OO) means that a client hands a task to a worker anywhere in the world through a
web platform such as Upwork, Freelancer or Fiverr. The paper distinguishes two kinds of platform:
*microwork*, where tasks are cut into small pieces, and *online freelancing*, where whole jobs such as a
website or a translation are contracted {cite:p}`malik2017`.

The paper opens with the size of the phenomenon. Two of the largest platforms were estimated to have
{glue:text}`upwork` (Upwork) and {glue:text}`freelancer` (Freelancer) workers worldwide
{cite:p}`ettlinger2016`. A World Bank report by {cite:t}`kuek2015` estimated the sector's revenues at
{glue:text}`market_2016` for 2016 and forecast {glue:text}`forecast_2020` a year by 2020.
"""),
    md("""
## Reading the scale figures

The chart gathers every scale figure that sections 1 and 2 of the paper cite. Three choices make it
honest:

- **One panel per unit.** Workers, US dollars, people to be trained and percentages cannot share an axis,
  so each unit gets its own panel, each starting at zero. Compare lengths within a panel, never across
  panels. We did not rescale the figures to a common index, because that would hide the very magnitudes
  the paper uses to argue.
- **Ranges stay ranges.** A range (low to high) is a hatched bar; a single value is a diamond. A dotted
  line leads from zero to each figure, so the bar is not mistaken for the whole amount.
- **Every figure names its source.** Under each figure stand the authors and year of the work it
  comes from, its number in the paper's reference list (the same number as in the bibliography of this
  book), and the section of the paper that cites it.
"""),
    fig("""
scale = paper.scale_figures(P["figure_group"])
paper.plot_scale_figures(scale);
""", name="fig-a-scale",
        caption="The scale figures the paper cites in its introduction and literature review, one panel per unit. "
                "Hatched bars are ranges from low to high; diamonds are single values; under each figure stand its "
                "source (authors, year and number in the paper's reference list) and the section of the paper that "
                "cites it.",
        alt="Panels of horizontal interval charts, one per unit: registered workers on Upwork and Freelancer; "
            "the 2016 market estimate and the 2020 forecast range in US dollars per year; the training target of "
            "the KPK Youth Employment Programme; and two percentages (Indian Mechanical Turk workers relying on "
            "online work, young people in developing countries unemployed or in poor jobs)."),
    code("""
paper.markdown_table(paper.scale_table(scale), caption="The figures behind the chart (Id: row of data/figures.csv)", name="tbl-a-scale", widths=[38, 18, 24, 8, 12])
""", tags=["hide-input"]),
    md("""
## A forecast is a range

The 2020 forecast is not one number but a band. Against the 2016 estimate, its low end means the market
would grow {glue:text}`growth_low:.1f` times in four years and its high end {glue:text}`growth_high:.1f`
times. Both ends come from the same report {cite:p}`kuek2015`; the width of the band is a measure of how
uncertain its authors were. Quoting only the top of the range overstates what the source says.

A second caution concerns the workforce figures. They count *registered* accounts. A later estimate by
{cite:t}`kassi2021`, not cited by the paper, counted {glue:text}`olw_profiles_m:.0f` million worker
profiles worldwide in 2020-21, of which {glue:text}`olw_ever_m:.0f` million had ever obtained work and
{glue:text}`olw_active_m:.1f` million were significantly active: about {glue:text}`olw_active_share:.0%`
of the profiles (the numbers are in `data/context.csv`). Registrations are an upper bound on the
workforce, not a count of it.
"""),
    md("""
## Why developing countries?

The paper gives several reasons why OO matters for development {cite:p}`malik2017`.

- **Relative earnings.** Workers in the global North earn more in absolute terms, but workers in the
  global South earn more relative to average wages in their own countries {cite:p}`barnes2015,beerepoot2015`.
- **Reliance.** Workers in developing countries more often make OO their main income: about
  {glue:text}`mturk_share:.0%` of Indian workers on Amazon Mechanical Turk said so {cite:p}`berg2016`.
- **Young people without good jobs.** An estimated {glue:text}`youth_share:.0%` of young people in
  developing countries are unemployed or stuck in low-quality, low-skill work {cite:p}`kuek2015`.

These promises have drawn in donors and governments. Nigeria's NaijaCloud runs awareness workshops;
Malaysia's eRezeki trains freelancers and channels work through a government-controlled portal; the
Youth Employment Programme of Pakistan's Khyber Pakhtunkhwa province aims to train
{glue:text}`kpk_target:,` young people {cite:p}`malik2017`. The two organisations the study visited,
KADO and Empower Pakistan, run World Bank-funded training of this kind.
"""),
    md("""
## A gap in what we know

Money and programmes were flowing before the evidence was in. The paper lists what was not known:
why people take up OO, what infrastructure it needs, what it does to incomes and to other parts of
people's lives, and where it leads over a career {cite:p}`wood2016`. Most earlier work looked at business
models, clients and platform mechanics, or took a critical view of the worker's lot; little looked at
marginalised groups in developing countries (chapter B surveys this literature). The study is a first,
exploratory step into that gap, based on fieldwork in Pakistan in 2016 {cite:p}`malik2017`.
"""),
    md("""
## Pakistan in 2016: public statistics, not the paper

The next table is **not from the paper**. It puts the fieldwork year in context with public statistics
for Pakistan from the World Bank's World Development Indicators (WDI) and, for internet use, the
International Telecommunication Union (ITU). Statistics are revised after publication, so each value
names the release ("vintage") it was read from; where the data hold two releases, both are shown.

- Only {glue:text}`internet_2016:.0%` of Pakistanis used the internet in 2016. Online work needs a
  connection that most Pakistanis did not have.
- GDP per head was about US\\${glue:text}`gdp_pc_2016_then:,.0f` a year in the release of August 2018
  (US\\${glue:text}`gdp_pc_2016_now:,.0f` in the July 2026 release): roughly
  US\\${glue:text}`gdp_pc_month_then:.0f` a month. Against that benchmark, dollar earnings online can look
  large.
- About {glue:text}`female_lfp_2016:.0%` of women aged 15 and over were in the labour force. The paper
  reports that working from home drew in women who, for cultural reasons, cannot work in offices
  {cite:p}`malik2017`.
- Revisions can be large: the August 2018 release put access to electricity at
  {glue:text}`electricity_then:.0%` of the population; the July 2026 release says
  {glue:text}`electricity_now:.0%` for the same year. Always say which release you used.
"""),
    code("""
chapter.table(paper.context_table(), caption="Pakistan, 2016: public statistics (not from the paper)", precision=2)
""", tags=["hide-input"]),
    md("""
## The research questions

The study asks {glue:text}`n_rq` questions, and answers each with one part of the Sustainable
Livelihoods Framework (SLF) {cite:p}`dfid1999`, which chapter C explains. Why people turn to OO is read
from the *vulnerability context* they live in. Barriers and the ecosystem OO needs are read as the access
to assets that *transforming structures and processes* (institutions and organisations) give or withhold.
Impact is read as change in people's stock of assets: the *outcomes* that feed back into assets through
the framework's lower reverse arrow {cite:p}`malik2017`.

The table links each question to the chapters of this book that take it up, and counts the claims of
the paper that answer it, as findings + conclusions (from our summary of the paper in
`data/claims.csv`). {glue:text}`rq_most_claims` carries the most weight, with
{glue:text}`rq_most_claims_n` claims.
"""),
    code("""
rq = paper.research_question_map()
paper.markdown_table(paper.research_question_table(rq), caption="The research questions, the part of the SLF that answers each, and where this book takes them up", name="tbl-a-rq", widths=[45, 40, 15])
""", tags=["remove-input"]),
    md("""
The paper's stated aim follows from the gap: to add findings where little was known, to show how the
SLF can be used to think about OO, and to give early guidance to practitioners and policy-makers who want
to use OO as a development tool {cite:p}`malik2017`. Chapter F weighs how far it got.
"""),
    md("""
## Exercises

```{exercise}
:label: ex-a-range

Run this chapter with `figure_group = "markets"`. Why would it be misleading to report "the online
outsourcing market will be worth {glue:text}`forecast_top` by 2020" on the strength of this source? How many times
bigger than the 2016 estimate is each end of the forecast?
```
"""),
    md("""
```{solution} ex-a-range
:class: dropdown

The source gives a range, {glue:text}`forecast_2020`, not a point. Reporting only its top end picks the
most optimistic reading. Against the 2016 estimate of {glue:text}`market_2016`, the low end is
{glue:text}`growth_low:.1f` times bigger and the high end {glue:text}`growth_high:.1f` times: the two
ends tell quite different stories. Both numbers come from one World Bank report {cite:p}`kuek2015`, so the
paper offers no independent check.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-a-registered

The paper cites {glue:text}`upwork` workers on Upwork. Using the later global estimate quoted above, what
would you expect the number of *active* workers on the platform to be, roughly, and what does this mean for
the argument that OO can employ large numbers of people in developing countries?
```
"""),
    md("""
```{solution} ex-a-registered
:class: dropdown

If the share active on Upwork were like the global share in 2020-21 (about {glue:text}`olw_active_share:.0%`
of profiles significantly active, {cite:t}`kassi2021`), only a small fraction of the registered workers would be working at any
one time. That share is an assumption: the paper gives no activity rate, and platforms differ. The lesson is
that registrations measure interest, not jobs; an argument for investing in OO training (development
question 1) needs evidence on how many trainees actually get work, which is what chapter E4 looks at.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-a-rq

Which research question needs two chapters of this book, and why? Use the table of research questions and
the SLF part it names.
```
"""),
    md("""
```{solution} ex-a-rq
:class: dropdown

The second question, on the infrastructure and institutions OO needs. The paper reads barriers as a lack of
access to assets (physical, human, financial) and the ecosystem as the institutions that give or withhold
that access. This book treats the barriers (chapter E2) and the institutions that address them (chapter E3)
separately, so the question spans both.
```
""", tags=["solution"]),
    md("""
## Development questions this chapter prepares for
"""),
    code('chapter.prepares("a_rationale")', tags=["remove-input"]),
]

if __name__ == "__main__":
    print(notebook("notebooks/a_rationale.ipynb", cells))
