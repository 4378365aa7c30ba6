"""Source of notebooks/e3_institutions.ipynb (run: .venv/bin/python -m tools.chapters.e3_institutions)."""

from tools.nb import code, fig, md, notebook

cells = [
    md("""
# E3 · Institutions: platforms, agencies and freelancers' own networks

```{glue:md} synopsis
:format: myst
```

**Learning objectives.** After this chapter you can name the three institutional forces the study found around
online outsourcing (OO) in Pakistan and the evidence for each; set the platform changes respondents reported
against an outside, dated record; explain what a "walled garden" is; and weigh how much of the published evidence
speaks for and against the critique that online work is *de-institutionalised*.

**Time:** about 35 minutes. **Read first:** section 5.2 of the paper and the end of section 2
{cite:p}`malik2017`.
"""),
    md("""
## Parameters

Change this when you run the notebook yourself (or with `livelihoods run e3_institutions -p force platforms`).
`force` spotlights one institutional force in the coding figure, the evidence count and the table of claims:
`"all"`, `"platforms"`, `"development_agencies"` or `"freelancer_networks"`. The quotations are always shown
in full, whatever the spotlight.
"""),
    code('force = "all"  # "all", "platforms", "development_agencies" or "freelancer_networks"', tags=["parameters"]),
    code("""
from livelihoods import chapter, claims, institutions

P = chapter.start("e3_institutions", force=force)
""", tags=["remove-input"]),
    code("""
for name, value in institutions.numbers(P["force"]).items():
    chapter.glue_value(name, value)
""", tags=["remove-cell"]),
    md("""
## The critique the paper answers

Writing about online outsourcing from the worker's side is often critical. It calls platform work a "digital
sweatshop" {cite:p}`zittrain2009` and lists what the work lacks: holiday and sick pay, health insurance, a
minimum wage, pensions and compensation for injury {cite:p}`bergvallkareborn2014,ettlinger2016`. One explanation
is **de-institutionalisation**: work that is invisible, mobile and crosses borders slips out of reach of labour
law and of collective institutions such as bargaining, wage agreements and unions
{cite:p}`bergvallkareborn2014`. Another points to the logic the platforms themselves impose, which makes work
decentralised, precarious and informal {cite:p}`ettlinger2016`. The same critical stream also looks for ways to
*re-institutionalise* such work, from tools that workers build for themselves to online labour organising
{cite:p}`irani2014,zuckerman2015`.

Section 5.2 of the paper answers this critique with what the fieldwork showed. Around the trainees and
freelancers in Pakistan, at least three institutional forces were at work: the platforms, development agencies
with government and NGOs, and the freelancers' own networks {cite:p}`malik2017`. In the terms of the Sustainable
Livelihoods Framework, these are the *transforming structures and processes* that decide who can reach which
assets {cite:p}`dfid1999`.
"""),
    md("""
## Three institutional forces, and the excerpts behind each

Section 5.2 quotes {glue:text}`n_section_excerpts` interview excerpts from {glue:text}`n_section_voices`
respondents. The figure counts every published excerpt that our reference coding files under one of the three
forces, including excerpts the paper quotes in other sections. The codebook and coding are our reconstruction,
not the authors' (see the coding lab). Two things stand out. The development agencies have
{glue:text}`agency_primary` excerpts quoted *for* their role and {glue:text}`agency_secondary` in which it shows
up as secondary content. The walled garden has {glue:text}`n_walled` excerpts coded under it: it is the
authors' own argument.
"""),
    fig("""
institutions.plot_coding(institutions.coding_counts(), force=P["force"]);
""", name="fig-e3-coding",
        caption="Published excerpts per institutional code under the reference coding, grouped by the three forces; "
                "solid bars are primary codes, hatched bars secondary ones.",
        alt="Horizontal bars in three labelled groups, one bar per code with its count. Platforms: constraints, "
            "improvements and bidding competition, the last all secondary. Development agencies: agency intervention, "
            "all secondary, and walled garden with no excerpt. Freelancers' networks: peer support and group work."),
    md("""
### 1. Platforms: what they make hard

The platforms shape the relationship between client and freelancer, and in the paper's reading that relationship
lacks human contact and trust, which sometimes leads to trouble {cite:p}`malik2017`. One trainee lists a whole
run of obstacles; a trainer describes clients who took the finished work and never paid:
"""),
    code('chapter.quote(*institutions.excerpts_for("platform_constraints"))', tags=["remove-input"]),
    md("""
### What the platforms have improved

Respondents also saw the platforms changing their rules, recently and to the freelancers' relative benefit. The
authors read these changes as attempts to reduce *moral hazard*: clients hold more power than freelancers, the
two do not trust each other, and a client who behaves badly pays no social price for it {cite:p}`malik2017`.
"""),
    code('chapter.quote(*institutions.excerpts_for("platform_improvements"))', tags=["remove-input"]),
    md("""
### What changed, and when

The table lists each change the respondents report, in our words, beside who reports it. One change can be checked
against the platform's own record. The respondents report a minimum hourly rate that rose from
US\\${glue:text}`rate_before` to US\\${glue:text}`rate_after`; Upwork's support page gives US\\${glue:text}`rate_record`
as the minimum for new hourly contracts from {glue:text}`rate_record_date` (the fact in `data/context.csv`,
source: Upwork support page "Minimum rate"). The rise therefore happened well before the 2016 fieldwork
(section 4 of the paper): "recent" in the respondents' sense, not news at the time of the interviews.
"""),
    code("""
claims.text_table(institutions.platform_changes(), caption="Platform changes reported in section 5.2, and whether a dated platform source confirms them",
                  nowrap=["excerpt"])
""", tags=["hide-input"]),
    md("""
Read beside the critique, these changes are real but limited. A floor on hourly rates, set by one platform for
its own contracts, is not the legal minimum wage whose absence the critics lament
{cite:p}`bergvallkareborn2014`, and the platform can change it at will. The authors make the same point in their
conclusions: the platforms made concessions that helped workers, but in order to keep activity on the platform
high {cite:p}`malik2017`.
"""),
    md("""
### 2. Development agencies, government and NGOs

The second force is deliberate intervention. Local NGOs funded by the World Bank (KADO and EP in this study) gave
trainees a wide range of skills, guidance and access to ICTs, and government bodies in Pakistan were starting
freelancing schemes of their own. The paper calls this *re-institutionalisation*: at the least it makes up for
asset deficits that would otherwise keep marginalised workers out of OO {cite:p}`malik2017`. No excerpt is
quoted for this point; the reference coding finds the agencies' work in excerpts quoted about skills:
"""),
    code('chapter.quote(*institutions.excerpts_for("development_agencies"))', tags=["remove-input"]),
    md("""
### The walled garden

Sometimes re-institutionalisation goes further. The provincial government of Khyber Pakhtunkhwa (KPK), whose
Youth Employment Programme aims to train {glue:text}`kpk_target:,` young people, planned a **walled garden**: a
protected area of an online platform into which tasks suited to local freelancers are channelled, sheltering them
from open bidding and the full force of competition (sections 2 and 5.2 of {cite:t}`malik2017`). Malaysia's
eRezeki programme already worked this way: after training hundreds of freelancers it ran a managed portal with
the US crowdsourcing platform Massolutions, in which the government controls the work process (section 2).

A walled garden answers the critique more directly than training does: it rebuilds, inside the platform, a space
that a public authority governs, the kind of oversight whose absence the de-institutionalisation critique describes.
It also moves control of the work to the state and the platform, away from the freelancer's own choice of clients. No respondent speaks about it, so the
book has no excerpt to quote.
"""),
    md("""
### 3. Freelancers' own networks

The third force comes from the freelancers themselves. At one end it is personal and social: friends and relatives
who help a newcomer understand OO and finish a first project. At the other end it is more organised and economic:
groups that take on projects together, share out the workload and bring on junior freelancers. The
{glue:text}`n_network_excerpts` excerpts come from {glue:text}`n_network_voices` different respondents:
"""),
    code('chapter.quote(*institutions.excerpts_for("freelancer_networks"))', tags=["remove-input"]),
    md("""
None of this removes competition, or the power clients hold over freelancers; the paper says so plainly. Its claim
is narrower: these institutions add some compensation and protection, and without them few if any freelancers in
this remote, resource-poor region would build a working OO livelihood {cite:p}`malik2017`.
"""),
    md("""
## Evidence for and against

How strong is the case against de-institutionalisation? Our claims table (`data/claims.csv`) records, for each
finding and conclusion, the literature view it bears on and whether it supports or challenges it;
`data/claim_evidence.csv` links each claim to the excerpts behind it. Across the whole paper,
{glue:text}`deinst_against_claims` claims challenge the de-institutionalisation view, backed by
{glue:text}`deinst_against_excerpts` distinct excerpts from {glue:text}`deinst_against_voices` respondents, and
{glue:text}`deinst_for_claims` support it. For the digital-sweatshop view the count is closer:
{glue:text}`sweatshop_for_claims` claim for it (the loss of income in illness, chapter E4) and
{glue:text}`sweatshop_against_claims` against it (the platforms' concessions).

The figure repeats the count for the claims that bear on {glue:text}`force_label` (a claim bears on a force when it
is about that force or rests on an excerpt coded under it): {glue:text}`force_claims` claims, of which
{glue:text}`force_against` challenge a literature view and {glue:text}`force_for` support one.
"""),
    fig("""
claims.plot_for_against(claims.evidence_for_against(institutions.claims_about(P["force"])), title=f"Claims on {institutions.SHORT_LABELS[P['force']]}: for and against");
""", name="fig-e3-for-against",
        caption="Claims (left) and the distinct excerpts behind them (right) that support (to the right) or challenge "
                "(to the left, hatched) each literature view, for the claims that bear on the chosen force.",
        alt="Diverging bar chart of four literature views, claims in one panel and excerpts in the other. With all "
            "forces, the de-institutionalisation view has only bars to the left (against it) and none for it; "
            "differentiated outcomes has bars to the right; digital sweatshop a short bar against; relative "
            "earnings none."),
    md("""
A one-sided count is not the same as one-sided evidence. The claims record the authors' framing, and ours. The two
excerpts on what platforms make hard sit under a finding (C14) that the paper does not set against any literature
view, so they add nothing to the "for" side, although a critic could read them as evidence of exactly the
unprotected work the critique describes. The table lists every claim that bears on the chosen force; where we
recorded a literature view and a stance for a claim, its text ends with them, so that you can check each one.
"""),
    code("""
claims.text_table(institutions.claims_table(P["force"], compact=True), caption=f"Claims that bear on {institutions.label(P['force'])}, with the literature view and stance recorded in data/claims.csv",
                  wide=["in our words"], min_width="11em")
""", tags=["hide-input"]),
    md("""
## Exercises

```{exercise}
:label: ex-e3-critic

Play the critic. Which excerpts quoted in this chapter could you use to *defend* the de-institutionalisation view,
and why does the figure show no claim in its favour? What would you change in `data/claims.csv` to record your
reading?
```
"""),
    md("""
```{solution} ex-e3-critic
:class: dropdown

The excerpts on platform constraints are the obvious material: a trainee facing a hard profile, cancelled jobs and poor
ratings, and a trainer whose "fake" clients took the work and never paid. Both show clients acting
without consequence, which is what the critique predicts when work escapes regulation. The figure shows nothing
for the view because the finding those excerpts support (C14) has no literature view in `claims.csv`: the paper
presents them as constraints, not as evidence for the critics. You could add `deinstitutionalisation` with stance
`supports` to C14 (and argue it), or add a new claim. The point is that the count follows the framing of the
claims, so the framing must be open to dispute.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-e3-date

A respondent says the minimum hourly rate was raised "later"; the paper says platforms are "recently" improving.
Using the table of platform changes, how long before the fieldwork did the rate change, and what does that suggest
about how respondents date changes? Which of the other changes could you try to date, and where would you look?
```
"""),
    md("""
```{solution} ex-e3-date
:class: dropdown

The platform's support page dates the minimum from November 2014, well over a year before the 2016 interviews, so
"recently" means "within the respondents' time in OO" rather than "just now". Few respondents had been
freelancing for more than a year (section 5.3), so the change may have reached them through trainers and peers
rather than as something they lived through. The other changes (account blocking, job-success scores, payment held in advance,
payment methods) could be dated from the platforms' help pages and announcements, or from archived copies of
those pages; until then they rest on the respondents' word alone, which the table says.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-e3-force

Run the chapter with `force = "freelancer_networks"` and then `force = "development_agencies"`. For each, how many
claims bear on it, and how many of the excerpts behind them were quoted *for* that force (primary codes)? Which
force's role in the paper rests most on the authors' own argument rather than on what respondents said?
```
"""),
    md("""
```{solution} ex-e3-force
:class: dropdown

The freelancers' networks rest on a few excerpts quoted for exactly that point, from different respondents, so the
claims about them are thin but direct. The development agencies have no excerpt quoted for their role at all:
their part shows up as secondary content of excerpts about skills and training, and the walled garden rests on
the authors' argument alone (claim C17, evidence basis `paper_argument`). That is not surprising in a study run
with the agencies' own trainees, whose training is the background to everything they say, but it means the
agencies' role is asserted more than it is shown in the published evidence.
```
""", tags=["solution"]),
    md("""
## Development questions this chapter prepares for
"""),
    code('chapter.prepares("e3_institutions")', tags=["remove-input"]),
]

if __name__ == "__main__":
    print(notebook("notebooks/e3_institutions.ipynb", cells))
