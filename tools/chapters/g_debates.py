"""Source of notebooks/g_debates.ipynb (run: .venv/bin/python -m tools.chapters.g_debates).

One section per development question of the educators' guide, each under its label debate-d1 ..
debate-d6 (chapter.prepares links to them): the question verbatim, evidence pointers for two sides
(livelihoods.debates), one excerpt per side, a seminar prompt; questions 1 and 3 carry a cost scenario
(livelihoods.scenarios).
"""

from tools.nb import code, fig, md, notebook


def section(n: int, title: str) -> list:
    """The label, heading and verbatim question that open every debate section."""
    return [
        md(f"""
(debate-d{n})=
## Question {n}: {title}
"""),
        code(f'chapter.question("D{n}")', tags=["remove-input"]),
    ]


def evidence(n: int) -> list:
    """The two sides with their evidence pointers, then one excerpt voicing each side."""
    return [
        md("**Evidence on each side** (our reading, open to dispute):"),
        code(f'debates.show("D{n}")', tags=["remove-input"]),
        md("**Two voices, one for each side:**"),
        code(f'chapter.quote(*debates.key_excerpts("D{n}"))', tags=["remove-input"]),
    ]


def prompt(text: str) -> object:
    return md(f"""
```{{admonition}} Seminar prompt
:class: tip

{text.strip()}
```
""")


cells = [
    md("""
# G · Debates: six development questions

The educators' guide to {cite:t}`malik2017` ends with six development questions for discussion. They go
beyond what the paper set out to answer, so there is no single right answer in the evidence. This chapter
gives each question a section: the question as the guide words it, the evidence that speaks for each of two
sides, one excerpt to read aloud for each side, and a prompt for a seminar. Questions 1 and 3 are about
money, so they come with a small cost scenario you can change.

**Learning objectives.** After this chapter you can argue both sides of each development question from the
study's evidence, and say where that evidence is thin; put a price on the trajectory funnel of chapter E4
under stated assumptions, and say how sensitive it is to the drop-out share; and name other conceptual
frameworks for the same case and what each would look at.

**Time:** about 60 minutes to read the whole chapter, or about 20 minutes per question as a seminar.
**Read first:** section 6 of the paper {cite:p}`malik2017` and chapter E4.
"""),
    md("""
## Parameters

The scenario for questions 1 and 3 uses these. Change them in the cell below, or run
`livelihoods run g_debates -p cost_per_trainee_usd 1000`.

- `cohort_size` is the number of trainees in the illustrative cohort (a whole number from 10 to 40,000).
- `cost_per_trainee_usd` is what training one trainee costs, in US\\$ (a number from 50 to 5,000). **The
  paper reports no costs**: the default is a round figure of our choosing, not an estimate of KADO's or EP's
  costs.
- `dropout_share` and the three split shares (`split_struggling`, `split_surviving`, `split_swimming`) are
  the same parameters as in chapter E4, with the same defaults: the paper's estimate for the drop-out share, and our assumption for the split of everyone else
  across struggling, surviving and swimming (the three must add up to 1).
"""),
    code("""
cohort_size = 100  # trainees in the cohort (assumption)
cost_per_trainee_usd = 500.0  # US$ per trainee (assumption)
dropout_share = 0.6  # never take up freelancing (paper, 5.3)
split_struggling = 0.4  # of the rest: struggle (assumption)
split_surviving = 0.3  # of the rest: survive (assumption)
split_swimming = 0.3  # of the rest: swim (assumption)
""", tags=["parameters"]),
    code("""
from livelihoods import chapter, debates, scenarios

P = chapter.start("g_debates", cohort_size=cohort_size, cost_per_trainee_usd=cost_per_trainee_usd, dropout_share=dropout_share, split_struggling=split_struggling, split_surviving=split_surviving, split_swimming=split_swimming)
split = scenarios.check_split(P["split_struggling"], P["split_surviving"], P["split_swimming"])
""", tags=["remove-input"]),
    md("""
## How to run a debate

Split the group in two and give each half one side. Each half reads its evidence pointers and the excerpts
behind them (every excerpt is quoted in full in chapters E1 to E4), then argues its case from that evidence
alone, in five minutes. The other half answers. Then both halves drop their roles and discuss the prompt.
The counts after each side (claims, excerpts, speakers) are a reminder of how much, or how little, stands
behind it.

The evidence for each side is a list of claims from the paper's findings and conclusions, in our words. Each
claim has its id, the paper section it comes from, and the excerpts behind it, each with its speaker. Which
claim backs which side is our reading, and open to dispute. A claim that bears on several questions is given in
full, with its speakers, under the first question that cites it; later questions recall its opening words and
link back to it.
"""),
    # ------------------------------------------------------------------ D1
    *section(1, "worth significant investment?"),
    md("""
The paper's own conclusion has two halves. Interventions like KADO's and EP's *can* move people from
marginalised groups into digital work, and they are *necessary*, because the barriers to entry are too high
for most people in places like Gilgit-Baltistan. But the drop-out rate is high, and whether those who do
succeed make up for it is left open {cite:p}`malik2017`. The question asks which half should weigh more.
"""),
    *evidence(1),
    md("""
### A scenario: what does a swimmer cost?

The paper reports no costs, so any price on the funnel rests on assumptions. Take a cohort of
{glue:text}`cohort:,.0f` trainees, each costing US\\${glue:text}`cost:,.0f` to train (both assumptions), and
the funnel of chapter E4. The whole cohort then costs US\\${glue:text}`total:,.0f`. Dividing that by the number
expected to reach each trajectory gives what each of them costs: US\\${glue:text}`per_take_up:,.0f` for each
trainee who takes up freelancing at all and US\\${glue:text}`per_swimmer:,.0f` for each swimmer. The cost per
swimmer equals {glue:text}`months_low:.0f` to {glue:text}`months_high:.0f` months of the swimmer's earnings
in EX28 (US\\$250 to 300 a month). That is a yardstick of scale, not a return on investment: it ignores what
trainees would have earned anyway, and what the strugglers and survivors do earn.
"""),
    code("""
costs = scenarios.cohort_costs(P["cohort_size"], P["cost_per_trainee_usd"], P["dropout_share"], split)
chapter.table(debates.whole_numbers(scenarios.cost_view(costs)), caption="The illustrative cohort: expected trainees per trajectory and the cost per trainee who reaches each")
""", tags=["hide-input"]),
    code("""
per = costs.set_index("trajectory")["cost per trainee reaching it (US$)"]
chapter.glue_value("cohort", P["cohort_size"])
chapter.glue_value("cost", P["cost_per_trainee_usd"])
chapter.glue_value("total", costs["cost of the cohort (US$)"].iloc[0])
chapter.glue_value("per_take_up", per.iloc[-1])
chapter.glue_value("per_swimmer", per["swimming"])
chapter.glue_value("months_low", scenarios.swimmer_months(per["swimming"])[0])
chapter.glue_value("months_high", scenarios.swimmer_months(per["swimming"])[1])
chapter.glue_value("dropout", P["dropout_share"])
chapter.glue_value("dropout_double", 1 - (1 - P["dropout_share"]) / 2)
chapter.glue_value("sens_low", min(scenarios.SENSITIVITY_DROPOUTS))
chapter.glue_value("sens_high", max(scenarios.SENSITIVITY_DROPOUTS))
""", tags=["remove-cell"]),
    md("""
The drop-out share is a single manager's estimate, so it is worth seeing how much rides on it. The figure
recomputes the cost per trainee reaching each trajectory for drop-out shares from {glue:text}`sens_low:.0%`
to {glue:text}`sens_high:.0%`, keeping the
cost per trainee and the split fixed. The curves rise steeply on the right: when nine in ten drop out, each
swimmer costs several times what one does at three in ten. Halving the share who take up freelancing (for
example from the {glue:text}`dropout:.0%` of this run to {glue:text}`dropout_double:.0%`) doubles the cost of
every one of them.
"""),
    fig("""
scenarios.plot_sensitivity(scenarios.sensitivity(P["cost_per_trainee_usd"], split), P["dropout_share"],
                           P["cost_per_trainee_usd"]);
""", name="fig-g-sensitivity",
        caption="Cost per trainee who reaches each trajectory, against the share of trainees who never take up "
                "freelancing; cost per trainee and split as set in this run (both assumptions). The dashed "
                "vertical line marks this run's drop-out share.",
        alt="Line chart on a logarithmic scale: four rising lines (struggling, surviving, swimming, and any "
            "take-up) show the cost per trainee reaching each outcome growing as the drop-out share goes from "
            "30 to 90 percent; each line has its own marker and dash pattern."),
    md("""
A much larger funnel exists worldwide. Of about {glue:text}`olw_profiles:,.0f` million online worker
profiles counted in 2020-21 by {cite:t}`kassi2021`, only {glue:text}`olw_worked:.1%` had ever got any work
and {glue:text}`olw_active:.1%` were significantly active (their figures are in `data/context.csv`).
Sinking, in other words, is not peculiar to Pakistan's trainees; it is how open platforms work.
"""),
    code("""
uptake = debates.global_uptake().set_index("stage")["share of profiles"]
chapter.glue_value("olw_profiles", debates.context_value("OLW.PROFILES") / 1e6)
chapter.glue_value("olw_worked", uptake["ever got work"])
chapter.glue_value("olw_active", uptake["significantly active"])
""", tags=["remove-cell"]),
    prompt("""
Is US\\${glue:text}`per_swimmer:,.0f` per swimmer a lot? Compare it with something concrete: a year of a
swimmer's earnings, the cost of a place in a conventional vocational course, or the number of people the same
money could reach another way. Then ask what would make the programme *marginal* in the guide's sense: the
number of people it reaches, or the quality of the livelihoods it creates?
"""),
    # ------------------------------------------------------------------ D2
    *section(2, "does the name matter?"),
    md("""
The paper says *online outsourcing*, a term from the business and outsourcing literature; the longer working
paper of the same study is subtitled "A Study of Digital Labour Platforms in Pakistan"; the respondents say
*freelancing*. The literature the paper reviews offers more names still: a "human cloud" business model
{cite:p}`kaganer2013`, crowdsourcing {cite:p}`ettlinger2016`, a "digital sweatshop" {cite:p}`zittrain2009`,
and, for work deliberately sent to disadvantaged groups, impact sourcing {cite:p}`carmel2014`. Each name
frames the worker differently: as a supplier, an entrepreneur, a labourer or a beneficiary.
"""),
    *evidence(2),
    prompt("""
List the names above and, for each, who tends to use it (platforms, donors, critics, the workers themselves)
and what it makes easy or hard to see. Which name would the trainee in EX14, whose family thinks he has no
proper job, want used? Which would a labour-rights campaigner choose, and why?
"""),
    # ------------------------------------------------------------------ D3
    *section(3, "is public funding justified?"),
    md("""
Public money is already flowing. Both organisations studied are funded by the World Bank, and the Khyber
Pakhtunkhwa government's Youth Employment Programme aims to train {glue:text}`kpk:,.0f` young people
{cite:p}`malik2017`. The paper argues that such interventions are necessary, since few people in
resource-poor places could overcome the barriers alone, but it also finds barriers that no training
programme reaches, such as gender roles and family ideas of a proper job.
"""),
    *evidence(3),
    md("""
**The scenario at the scale of a programme.** If the KPK target of {glue:text}`kpk:,.0f` trainees followed
this run's funnel, about {glue:text}`kpk_swim:,.0f` would swim and {glue:text}`kpk_sink:,.0f` would never
take up freelancing, for a total of US\\${glue:text}`kpk_total_m:,` million at this run's assumed cost per
trainee. Whether that is justified depends on what else the money could do, and on whether the training has
value even for those who sink (chapter E4 finds that every trained freelancer interviewed gained skills).
"""),
    code("""
target = scenarios.figure_range(scenarios.KPK_TARGET_FIGURE)[0]
kpk = scenarios.cohort_costs(target, P["cost_per_trainee_usd"], P["dropout_share"], split).set_index("trajectory")
chapter.glue_value("kpk", target)
chapter.glue_value("kpk_swim", kpk.loc["swimming", "trainees"])
chapter.glue_value("kpk_sink", kpk.loc["sinking", "trainees"])
chapter.glue_value("kpk_total_m", scenarios.readable_count(kpk["cost of the cohort (US$)"].iloc[0] / 1e6))
""", tags=["remove-cell"]),
    prompt("""
Governments fund many kinds of training. What, if anything, is *special* about online outsourcing that would
justify *special* programmes? Consider who is reached (women who cannot work in offices, EX05), what the
money buys that the market would not (six months of support in Gilgit-Baltistan, EX10), and what it cannot
buy (electricity and bandwidth, EX08). Would the "walled garden" planned in KPK, which shelters local
freelancers from open bidding, be a better use of public money than more training?
"""),
    # ------------------------------------------------------------------ D4
    *section(4, "does it matter that the work comes through platforms?"),
    md("""
Platforms are one of the three institutional forces the paper finds, with development agencies and the
freelancers' own networks {cite:p}`malik2017`. The platform sets the terms of competition (open bidding,
profiles, ratings) and can change them: the respondents report payment held in advance, job-success metrics
and a higher minimum hourly rate. The critical literature sees platforms as the reason online work escapes
labour institutions {cite:p}`bergvallkareborn2014,ettlinger2016`; the paper sees a thicker ecosystem around
them.
"""),
    *evidence(4),
    prompt("""
Imagine the same trainees doing the same tasks for the same foreign clients, but hired through a local
outsourcing firm instead of a platform. Which of the barriers and outcomes in chapters E2 to E4 would
change, and which would stay? What does that tell you about the platform's part in this case?
"""),
    # ------------------------------------------------------------------ D5
    *section(5, "better or worse than the alternatives?"),
    md("""
The answer depends on the alternative. The respondents compare freelancing with a government job, which few
can get and which carries rights and status (EX04, EX13); with factory work (EX25); and, for many women,
with no paid work at all (EX05). In Pakistan in 2015 only {glue:text}`flfp:.0f`% of women aged 15 and over
were in the labour force (ILO modelled estimate, World Development Indicators; `data/context.csv`). The
authors warn that the comparison point has to be chosen with care {cite:p}`malik2017`.
"""),
    code("""
chapter.glue_value("flfp", debates.context_value("SL.TLF.CACT.FE.ZS", 2015, "2026-07 release"))
""", tags=["remove-cell"]),
    *evidence(5),
    prompt("""
Choose one alternative (a government job, factory work, informal local work, unpaid work at home) and
compare it with freelancing on the four capitals of the livelihoods framework: human, social, physical,
financial. Is the answer the same for a sinker and a swimmer? For a woman and a man?
"""),
    # ------------------------------------------------------------------ D6
    *section(6, "other frameworks?"),
    md("""
The paper uses the sustainable livelihoods framework {cite:p}`dfid1999` as a sensitising lens and concludes
that it worked {cite:p}`malik2017`. Every lens brings some things into focus and leaves others blurred. The
table names five alternatives. The works it cites are in the paper's reference list, apart from Sen's own
statement of the capability approach; institutional theory, a broad family of approaches, is named without a
single source.

| Framework | What it would look at, and what it might show here |
|---|---|
| **Capability approach** | Amartya Sen's approach {cite:p}`sen1999`, which the same authors used to evaluate impact sourcing in Pakistan {cite:p}`malik2015,malik2016`. *Looks at* what people are actually free to do and be, and the "conversion factors" that let some turn the same resources into a life they value. *Here:* gender roles (EX12) and family ideas of a proper job (EX13, EX14) as conversion factors that explain why equal training gives unequal outcomes. |
| **Institutional theory** | *Looks at* rules, norms and shared beliefs: how a new kind of work gains legitimacy, and who changes institutions and how. *Here:* freelancing's struggle to count as a real job; platforms, NGOs and freelancer groups as institution-builders (EX17 to EX22). |
| **Platform labour and labour process** | Close to the critical stream the paper reviews {cite:p}`bergvallkareborn2014,ettlinger2016`. *Looks at* control of work through ratings, bidding and algorithms, how labour becomes a commodity, and who carries the risk. *Here:* poor ratings, cancelled jobs and unpaid work (EX15, EX16) as control; escrow and minimum rates (EX18, EX19) as the platform's choices. |
| **Production networks and embeddedness** | As in {cite:t}`wood2016`. *Looks at* where the work sits in chains of clients, platforms and local intermediaries, and how it is cut loose from, and re-tied to, local social relations. *Here:* local groups sharing projects (EX22) and the move to off-platform clients (EX35) as re-embedding. |
| **Impact sourcing and social outsourcing** | {cite:t}`carmel2014`, {cite:t}`heeks2010`, {cite:t}`madon2013`. *Looks at* work deliberately sourced to disadvantaged people through intermediaries, and its social value. *Here:* KADO, EP and the KPK walled garden as intermediaries: should they channel work, not only train? |
"""),
    *evidence(6),
    prompt("""
Take three excerpts from chapters E1 to E4 and code them under one of the frameworks in the table instead of
the livelihoods framework (the coding lab, chapter D2, shows how). What does the new lens notice that the old
one did not, and what does it lose? Could the two be combined? (The same authors used the capability
approach in earlier work and the livelihoods framework here.)
"""),
    md("""
## Exercises

```{exercise}
:label: ex-g-1

Using the scenario of question 1: at what drop-out share does the cost per swimmer double compared with this
run's? Work it out by hand from the formula *cost per swimmer = cost per trainee / ((1 − drop-out share) ×
swimming share)*, then check it by running the chapter with that value.
```
"""),
    md("""
```{solution} ex-g-1
:class: dropdown

The cost per swimmer doubles when the share who take up freelancing, 1 − drop-out share, halves. From this
run's {glue:text}`dropout:.0%` that means a drop-out share of {glue:text}`dropout_double:.0%`. The cost per
trainee and the split do not enter: the answer depends only on the drop-out share, which is why it matters
that the paper's figure is a single estimate.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-g-2

Pick one development question and write the strongest paragraph you can for the side you disagree with,
citing at least two claims and one excerpt. Then name one piece of evidence, not in the paper, that would
settle the question for you, and say how it could be collected.
```
"""),
    md("""
```{solution} ex-g-2
:class: dropdown

Answers vary. A good one uses the evidence pointers of its question fairly (including the counts of excerpts
and speakers behind each side), quotes an excerpt verbatim with its attribution, and proposes evidence that
the paper could not give: for question 1, a follow-up of one whole cohort's earnings a year after training;
for question 5, the same respondents' earnings and hours in their previous or alternative jobs.
```
""", tags=["solution"]),
    md("""
## Where each question is prepared

Each chapter ends with the development questions it prepares for. Read the other way round:
"""),
    code("""
debates.prepared_md()
""", tags=["remove-input"]),
]

if __name__ == "__main__":
    print(notebook("notebooks/g_debates.ipynb", cells))
