"""Source of notebooks/e1_drivers.ipynb (run: .venv/bin/python -m tools.chapters.e1_drivers).

Every quotation comes from the reference coding through livelihoods.findings.Quotations, one
cell per leaf code of the themes in findings.DRIVER_THEMES (tests check that every code of those
themes has its cell and that every excerpt of guide section E1 is quoted on the page).
"""

from tools.nb import code, fig, md, notebook


def quotes(code_id: str):
    """The cell that quotes the excerpts coded ``code_id`` (input hidden, quotations shown)."""
    return code(f'q.code("{code_id}")', tags=["remove-input"])


cells = [
    md("""
# E1 · Drivers: why marginalised groups turn to online outsourcing

```{glue:md} synopsis
:format: myst
```

**Learning objectives.** After this chapter you can explain how the {term}`vulnerability context` of the
sustainable livelihoods framework frames the question of motivation; tell a push driver from a pull driver and
place each excerpt of section 5.1 under one of them; read a code-by-stakeholder matrix and say whose account of
the drivers it is; and judge how far the published evidence carries the paper's conclusion that necessity is
the main force.

**Time:** about 40 minutes. **Read first:** section 5.1 of the paper up to the paragraph on barriers, and the
first paragraph of section 6 {cite:p}`malik2017`; chapter C for the framework.
"""),
    md("""
## Parameters

`organisation` restricts the quotations, the matrix and the evidence table to the excerpts spoken by one
organisation's respondents: `"all"` (the default), `"KADO"`, `"EP"` or `"World Bank"` (the project lead who
speaks for the funder). From the command line: `livelihoods run e1_drivers -p organisation EP`.
"""),
    code('organisation = "all"  # "all", "KADO", "EP" or "World Bank"', tags=["parameters"]),
    code("""
from livelihoods import chapter, findings

P = chapter.start("e1_drivers", organisation=organisation)
""", tags=["remove-input"]),
    code("""
findings.glue_values(findings.e1_values(P["organisation"]))
q = findings.Quotations(P["organisation"])
""", tags=["remove-cell"]),
    md("""
This run quotes and counts the excerpts of {glue:md}`run_label`: {glue:text}`run_excerpts` excerpts from
{glue:text}`run_people` people. Each quotation below is printed exactly as the paper prints it, with the
attribution the paper gives; which code it appears under comes from this book's reference coding
(`data/codings.csv`), a reconstruction that chapter D2 invites you to challenge.

## Where the framework starts: the vulnerability context

The sustainable livelihoods framework {cite:p}`dfid1999` places every livelihood inside a vulnerability
context: shocks, trends and seasonal pressures that people cannot control and that narrow what they can do.
The paper reads that context as the thing that drives livelihood strategies, so it is where the authors look
for an answer to their first research question, what drives people in marginalised groups into online
outsourcing (section 3). Incentives and motivation were among the gaps in knowledge that {cite:t}`wood2016`
identified, and the framework comes to the study from earlier work on outsourcing IT-based work to marginalised
groups by {cite:t}`heeks2010`.

Most of the fieldwork took place in {term}`GB`, Pakistan's northernmost territory. The paper describes two
kinds of vulnerability there, and a third in the province where EP also trained young people.

### Physical vulnerability

Gilgit-Baltistan lies among the Karakoram, Himalaya and Hindu Kush ranges. The authors tie that geography to
exposure to climate-related disasters and to the lack of industry, and they quote a project coordinator on the
job market:
"""),
    quotes("physical_vulnerability"),
    md("""
Notice that the excerpt itself does not mention mountains. The step from geography to a weak job market is
the authors' reading, which is why `data/claims.csv` records it as a claim (C01) supported by this excerpt rather
than as something the respondent said.

### Politico-economic vulnerability

The paper's second strand is political. Gilgit-Baltistan sits in disputed Kashmir and is not a province: it
has no provincial legislature or budget of its own, a limbo that the authors say holds back public and private
investment and therefore jobs. The third strand concerns {term}`KPK`, where EP trained educated young people:
there, the authors argue, a lack of investment and jobs and the growth of extremism feed each other. The two
excerpts come from project managers, one at each organisation.
"""),
    quotes("politico_economic_vulnerability"),
    md("""
## Push: earning a living when other doors are closed

Against this background the paper describes a general push into online work: people turn to it because
nothing else is available. The reference coding files the push under two codes.

### No alternative livelihood

A government post is the job everyone hopes for, and there are too few of them. An ex-trainee puts it plainly:
"""),
    quotes("no_alternative_livelihood"),
    md("""
The government job reappears in chapter E2, where parents measure their sons' freelancing against it: the same
ideal of a secure public post is both the closed door that pushes people online and the yardstick that makes
online work look second-rate.

### Home-based work for women

For women the push takes a particular form. The World Bank's project lead explains the appeal of work that can
be done at home; the excerpt completes a sentence of the authors', which is why it begins mid-sentence:
"""),
    quotes("home_based_work_women"),
    md("""
For scale (a national figure, not the study's): the World Bank's World Development Indicators put the
labour-force participation of Pakistani women aged 15 and over at {glue:text}`female_lfp:.0f`% in 2016 (ILO
modelled estimate, 2026-07 release, in `data/context.csv`). Online work from home does not challenge the norms
that keep women out of offices; it works round them. Chapter E2 returns to the same norms as a barrier, and our
coding files this excerpt under both headings.

## Pull: what draws people in

Alongside the push, the paper finds things that attract some people to online work for its own sake: the
freedom it offers, the example of people who have done well, and the money.

### Autonomy

A trainer who also freelances describes the freedom of having no boss:
"""),
    quotes("autonomy"),
    md("""
The critical literature the paper reviews reads the same freedom from the other side. Work without a boss is
also work without an employer's obligations: no holiday or sick pay, no insurance, no minimum wage, no pension
{cite:p}`bergvallkareborn2014,ettlinger2016`, the conditions behind the label "digital sweatshop"
{cite:p}`zittrain2009`. Chapter E4 shows that the respondents themselves voice this downside, mostly as the loss
of income when ill.

### Role models

Success stories pull people in, sometimes through friends and sometimes at formal events. A trainee recalls a
well-known blogger opening his account in front of an audience:
"""),
    quotes("role_models"),
    md("""
The sum is striking. The paper converts it to about US\\${glue:text}`rm_usd_low:,.0f`–{glue:text}`rm_usd_high:,.0f`
a month; set against the monthly per-capita income of US\\${glue:text}`pc_income:.0f` that the paper cites for 2015
{cite:p}`worldbank2016`, that is {glue:text}`rm_multiple_low:.0f` to {glue:text}`rm_multiple_high:.0f` times the
average (`data/figures.csv`, F23 and F37). A role model chosen to inspire is by design an exception; chapter E4
shows how few trainees came anywhere near it.

### Earnings potential

The prospect of earnings ties the other pulls together. In section 5.1 it is voiced inside the role-model
story rather than on its own.
"""),
    quotes("earnings_potential"),
    md("""
The literature the paper draws on explains why the pull is strong in a country like Pakistan: online workers in
the global South tend to earn less than those in the North in absolute terms but more relative to local wages
{cite:p}`barnes2015,beerepoot2015`, a promise that has drawn development agencies to online work as a route
into jobs for women and young people {cite:p}`kuek2015`.

## Who voices which driver

The matrix counts the published excerpts that carry each driver code, by the stakeholder group of the person
quoted. It counts the authors' selection of quotations, not people and not how often something was said in the
{glue:text}`n_interviews` interviews.
"""),
    fig("""
m = findings.code_group_matrix(findings.DRIVER_THEMES, P["organisation"])
findings.plot_code_group_matrix(m, "Drivers by stakeholder group", organisation=P["organisation"]);
""", name="fig-e1-drivers",
        caption="Published excerpts carrying each driver code, by the stakeholder group of the person quoted "
                "(reference coding). An excerpt with two driver codes counts in both rows.",
        alt="Heatmap with the driver codes as rows, grouped into vulnerability, push and pull, and the five "
            "stakeholder groups as columns; each cell prints the number of published excerpts; cells with none are "
            "pale and darker cells hold more."),
    md("""
Read the matrix by theme. Across all organisations, the stakeholder groups quoted are:

- on the region's vulnerability: {glue:md}`groups_vulnerability`;
- on the push: {glue:md}`groups_push`;
- on the pull: {glue:md}`groups_pull`.

The structural account, in other words, comes from the people who run the training programmes, whose case for
funding rests on it, while the attractions of the work come from people who do it. Neither is wrong, but a
reader should know whose account each part of the finding is. The table gives the same information by theme.
"""),
    code("""
chapter.table(findings.voices_by_theme(findings.DRIVER_THEMES, P["organisation"]),
              caption="Excerpts, people and groups behind each driver theme (this run)")
""", tags=["remove-input"]),
    md("""
## Push, pull and what section 6 concludes

The paper's conclusion on the first research question has two parts {cite:p}`malik2017`. The main force is
necessity: physical, political and economic vulnerability leave people without other ways of earning a living.
For some, that push is joined by a pull, the appeal of an entrepreneurial way of working and living. The evidence
table lists the claims this book derives from section 5.1 and from the conclusions (C33, C34), with the excerpts
linked to each and how many people and stakeholder groups they come from.
"""),
    code("""
claims = findings.claims_for(research_question="RQ1")
chapter.table(findings.evidence_audit(claims, P["organisation"], compact=True),
              caption="Claims on drivers, with their evidence (this run)")
""", tags=["remove-input"]),
    md("""
Two things are worth noticing. First, the published excerpts cannot by themselves show that push outweighs pull:
the push theme has {glue:text}`n_push` excerpts and the pull theme {glue:text}`n_pull`, across all organisations.
The authors' weighting rests on all {glue:text}`n_interviews` interviews, which are not public; the quotations illustrate it. Second,
the distinction is cleaner in the framework than in the excerpts. The ex-trainee who finds nothing better than
freelancing is pushed into it, yet the excerpt ends on what makes it attractive: earning "at home", the feature
that draws women in.

The push side connects the study to the critical literature, which explains why workers accept poor terms by a
background of austerity and insecurity {cite:p}`bergvallkareborn2014,ettlinger2016`. In Gilgit-Baltistan the
background is regional vulnerability rather than austerity, but the logic is the same: when the alternatives
are poor, online work can be both precarious and the best option available. Whether it is better or worse than
those alternatives is development question 5.

## Exercises

```{exercise}
:label: ex-e1-org

Run the chapter with `organisation = "EP"` and then with `organisation = "World Bank"`. Which driver codes still
have an excerpt in each run? What does that tell you about how far the drivers reported in the paper describe
EP's trainees in Punjab and Khyber Pakhtunkhwa?
```
"""),
    md("""
```{solution} ex-e1-org
:class: dropdown

The EP run keeps only the excerpt from EP's project manager on extremism and unemployment; the World Bank run
keeps only the project lead's remark on women working at home. No EP trainee speaks about why they took up
online work, so the push and pull drivers, as published, are an account of Gilgit-Baltistan told mostly by
KADO's staff and trainees. They may hold for EP's trainees, but the published evidence cannot show it.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-e1-code

Read the ex-trainee's excerpt again (under *No alternative livelihood*). It ends "working and earning at home".
Would you give it a second code, and which? Compare your answer with the reference coding, and say what your
choice would change in the matrix above.
```
"""),
    md("""
```{solution} ex-e1-code
:class: dropdown

The reference coding gives it one code, *no alternative livelihood*, because "nothing better here" frames
freelancing as the best of poor options: a push. A case can be made for *home-based work for women* as a
secondary code only if the speaker's point is about staying at home, which the excerpt does not say, and the
code as defined is about women. A second code would add one to the ex-trainee column in the home-based row and
make home-based work look like a driver for men too, which is a claim the paper does not make. Chapter D2 shows
how to measure agreement between two codings of the same excerpts.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-e1-rolemodel

The role model's monthly earnings were at least {glue:text}`rm_multiple_low:.0f` times Pakistan's monthly
per-capita income. Why might a training
programme present such a case at an event, and what might it do to trainees' expectations? Use chapter E4's four
trajectories in your answer.
```
"""),
    md("""
```{solution} ex-e1-rolemodel
:class: dropdown

An exceptional earner makes the abstract promise of online work concrete and recruits trainees, which is what
a programme with enrolment targets needs. But a role model is selected for success: the many who tried and
failed do not take the stage. Chapter E4 shows that most trainees sink (section 5.3 reports one manager's
estimate) and that those who do earn start slowly, at low rates. Inflated expectations may make
early struggling feel like failure and add to the drop-out that the paper's conclusions worry about.
```
""", tags=["solution"]),
    md("""
## Development questions this chapter prepares for
"""),
    code('chapter.prepares("e1_drivers")', tags=["remove-input"]),
]

if __name__ == "__main__":
    print(notebook("notebooks/e1_drivers.ipynb", cells))
