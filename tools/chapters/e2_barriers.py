"""Source of notebooks/e2_barriers.ipynb (run: .venv/bin/python -m tools.chapters.e2_barriers).

Every quotation comes from the reference coding through livelihoods.findings.Quotations, one
cell per leaf code of the themes in findings.BARRIER_THEMES (tests check that every code of those
themes has its cell and that every excerpt of guide section E2 is quoted on the page). The
barrier-actor matrix is built by livelihoods.findings from barrier_actors.csv, the reference
coding and the claims.
"""

from tools.nb import code, fig, md, notebook


def quotes(code_id: str):
    """The cell that quotes the excerpts coded ``code_id`` (input hidden, quotations shown)."""
    return code(f'q.code("{code_id}")', tags=["remove-input"])


cells = [
    md("""
# E2 · Barriers: what keeps marginalised groups out of online work

```{glue:md} synopsis
:format: myst
```

**Learning objectives.** After this chapter you can name the barriers the study found and the livelihood asset
each one is short of; read a matrix of barriers against the actors who address them and trace any cell back to
its claims and excerpts; and explain, and question, the paper's contrast between asset barriers, which can be
addressed, and cultural barriers, which it places beyond the reach of the main actors in online outsourcing.

**Time:** about 45 minutes. **Read first:** the second half of section 5.1 (from the paragraph on resource
constraints), section 5.2 and the second paragraph of section 6 {cite:p}`malik2017`.
"""),
    md("""
## Parameters

`barrier` picks one barrier to spotlight: its row is framed in the matrix of who addresses each barrier, and the
evidence list near the end gives only its claims and excerpts. Allowed: `"all"` (the default),
`"infrastructure_barrier"`, `"knowledge_skills_barrier"`, `"finance_payments_barrier"`, `"gender_expectations"`
or `"cultural_view_of_work"` (the codes under the asset and cultural barrier themes of `data/codebook.csv`).
From the command line: `livelihoods run e2_barriers -p barrier gender_expectations`.
"""),
    code('barrier = "all"  # "all" or a barrier code, e.g. "infrastructure_barrier", "gender_expectations"',
         tags=["parameters"]),
    code("""
from livelihoods import chapter, findings

P = chapter.start("e2_barriers", barrier=barrier)
""", tags=["remove-input"]),
    code("""
findings.glue_values(findings.e2_values(P["barrier"]))
q = findings.Quotations()
""", tags=["remove-cell"]),
    md("""
## Barriers as missing assets

In the sustainable livelihoods framework people build a living from capital assets: human, social, physical,
financial and natural capital {cite:p}`dfid1999`. The paper uses the first four and reads a barrier as a gap in
the assets people can reach, a gap that institutions may widen or close (section 3). Its second research question
asks what infrastructural and institutional ecosystems are needed, particularly to address the barriers that keep
marginalised groups out of online work. Infrastructural requirements were among the gaps in knowledge that
{cite:t}`wood2016` identified.

Respondents in Gilgit-Baltistan named {glue:text}`n_recurring` recurring barriers of this kind, which the paper
links to the region's remote, troubled and under-invested setting. Each section below quotes every published
excerpt that our reference coding files under the barrier, verbatim and with the paper's attribution.

### Infrastructure: physical capital

The first barrier is the most basic: slow internet and electricity that comes and goes.
"""),
    quotes("infrastructure_barrier"),
    md("""
The second excerpt shows how the gap turns into lost income: a client who can ask for a screenshot of a
connection's speed can see the infrastructure behind the worker, and choose someone else.

National figures (not the study's) give a sense of scale. According to the ITU, {glue:text}`internet_2016:.0f`%
of Pakistan's population used the internet in 2016. The World Bank's figure for access to electricity in 2016 is
{glue:text}`elec_2016_now:.0f`% in its 2026-07 release, but was {glue:text}`elec_2016_then:.0f`% in the 2018
release that was current when the paper appeared (both in `data/context.csv`). Neither says anything about hours
of supply or bandwidth, which is what the respondents complain of: a household can count as having access to
electricity and still lose a client to a power cut.

### Knowledge and skills: human capital

The second barrier is knowing what online outsourcing is, how to find work on it and how to do that work. The
skills missing are not only technical; they include dealing with clients, writing proposals and working in
English.
"""),
    quotes("knowledge_skills_barrier"),
    md("""
The project manager's comparison is telling: a training course of {glue:text}`train_city_weeks` week that suffices
for highly qualified people in cities becomes {glue:text}`train_gb_months` months of engagement in
Gilgit-Baltistan, roughly {glue:text}`train_ratio:.0f` times as long. Primary research on online work finds that it
can build skills and employability, but only for workers who first get past the barriers of skill at entry
{cite:p}`barnes2015`; the training programmes in this study exist to get people past them.

### Finance and payments: financial capital

The third barrier is money: being paid by clients abroad, and what it costs.
"""),
    quotes("finance_payments_barrier"),
    md("""
Section 5.1 treats payments as an asset barrier, one that was easing for some respondents. Section 6 lists
payment systems among the *institutional* barriers, alongside gender roles and ideas of work. Both readings fit:
the worker lacks a cheap way to receive money (financial capital), and whether one exists depends on banks and
platforms (institutions). Our codebook follows section 5.1; the first exercise below asks you to weigh the other reading.

## Cultural barriers: norms rather than assets

The paper judges the next two barriers harder to address. They are not shortfalls of something a person could be
given, but expectations held by families and communities.

### Gender expectations

Some project managers described male freelancers as more committed. A woman trainer explains the difference
from the inside:
"""),
    quotes("gender_expectations"),
    md("""
The two excerpts show the same norms from two sides. For the trainer, work at home competes with the duties
that fall on a woman in the home; for the project lead (quoted in chapter E1 as a driver), home-based online
work suits women who cannot work in offices. In 2016 the labour-force participation of women aged 15 and over in
Pakistan was {glue:text}`female_lfp:.0f`% (ILO modelled estimate, World Development Indicators, 2026-07 release,
in `data/context.csv`), a national figure that puts these accounts in context.

### Cultural view of work

The second cultural barrier is the idea of what counts as a proper livelihood. Trainees describe families who
measure them against an office job or a government post:
"""),
    quotes("cultural_view_of_work"),
    md("""
Freelancing's irregular hours (up all night, asleep in the morning) and lack of a visible workplace count
against it by this yardstick. The government post that families hold up is the same one whose scarcity
pushes people online (chapter E1).

## Whose voices report which barrier

As in chapter E1, the matrix counts the published excerpts that carry each barrier code, by the stakeholder group
of the person quoted. It counts the authors' selection from {glue:text}`n_interviews` interviews, not how often
each barrier was raised.
"""),
    fig("""
m = findings.code_group_matrix(findings.BARRIER_THEMES)
findings.plot_code_group_matrix(m, "Barriers by stakeholder group");
""", name="fig-e2-voices",
        caption="Published excerpts carrying each barrier code, by the stakeholder group of the person quoted "
                "(reference coding, all organisations). The line separates asset from cultural barriers.",
        alt="Heatmap with the barrier codes as rows, asset barriers above and cultural barriers below a line, and "
            "the stakeholder groups as columns; each cell prints the number of published excerpts; cells with none "
            "are pale and darker cells hold more."),
    md("""
The stakeholder groups quoted are:

- on the asset barriers: {glue:md}`groups_asset`;
- on the cultural barriers: {glue:md}`groups_cultural`, of whom {glue:md}`groups_gender` speak of gender
  expectations and {glue:md}`groups_view` of the family's view of freelancing as no proper job, about their own
  families.

The barriers that live inside households are told at least in part by the people who live with them; the
barriers of infrastructure, skills and payments mostly by the staff who run and teach the programmes.

## Who addresses each barrier

The second half of the paper's answer to its second research question is about institutions: who, if anyone,
helps people over each barrier. Section 5.2 names three institutional forces, the platforms, development agencies
with government and NGOs, and freelancers' own networks (chapter E3), and section 6 says which barriers lie beyond
all of them. The matrix below draws on three sources, so that no cell rests on a single table:

- `data/barrier_actors.csv`, our reading of which actor the paper says addresses each barrier, with a claim and an
  excerpt for each pair (local banks are our addition, from the payment excerpt);
- the excerpts linked to those claims in `data/claim_evidence.csv` that the reference coding also files under the
  barrier;
- excerpts that the reference coding files under a barrier *and* under one of an actor's remedial codes (for
  example agency intervention or peer support). Codes for problems that platforms create, such as platform
  constraints, do not count: an excerpt about a platform making English a hurdle is evidence of a barrier, not of
  anyone removing it.

Each cell prints the ids of its claims (C..) and excerpts (EX..), so every mark can be traced to
`data/claims.csv` and to the quotations above.
"""),
    fig("""
counts, ids = findings.barrier_actor_matrix(), findings.barrier_actor_matrix(what="ids")
findings.plot_barrier_actor_matrix(counts, ids, spotlight=P["barrier"]);
""", name="fig-e2-actors",
        caption="Each barrier against the actors who address it, with the claims and excerpts that say so; the "
                "shade shows how many: pale cells have none, and the darker a cell, the more ids it lists. "
                "Agencies: development agencies, government and NGOs; networks: freelancers' own networks; banks: "
                "local banks (our addition). A dashed frame marks the barrier chosen by the barrier parameter.",
        alt="Grid with the barriers as rows and the actors (platforms, development agencies, freelancers' networks, "
            "local banks, nobody) as columns. Each cell lists the ids of the claims and excerpts that link the barrier "
            "to the actor, so a reader can see which barriers have an actor and which have only nobody."),
    code("""
chapter.table(findings.barrier_summary().drop(columns="actors"), caption="Who addresses each barrier, by kind of barrier")
""", tags=["remove-input"]),
    md("""
The contrast is plain in the grid: {glue:text}`n_asset_addressed` of the {glue:text}`n_asset` asset barriers have
at least one actor working on them, and {glue:text}`n_cultural_addressed` of the {glue:text}`n_cultural` cultural
barriers do. The infrastructure row has entries in two columns for a reason: the NGOs give trainees access to
ICTs (claim C16), but nobody in the study supplies electricity or bandwidth to the region, which the
conclusions leave to a broader ecosystem (claim C37).

### Spotlight on one barrier

The list gathers the {glue:text}`spot_evidence` pieces of evidence behind the matrix for {glue:md}`spot_label`:
each claim in our words and each excerpt by its attribution (the excerpts themselves are quoted above), with the
actor it concerns. Every entry is named in `data/barrier_actors.csv` unless it says how else it was found. Set
the `barrier` parameter to spotlight another barrier.
"""),
    code("""
from IPython.display import Markdown
Markdown(findings.barrier_dossier_md(P["barrier"]))
""", tags=["remove-input"]),
    md("""
## Asset against cultural barriers: the contrast of section 6

The paper's conclusion {cite:p}`malik2017` draws the line this chapter has followed. Physical and human capital
were the scarcest assets. Asset barriers are the easier kind to overcome, but only with a broad ecosystem: an
infrastructure of electricity, telecommunications and ICT, and institutions that lift both individuals and places
out of their asset deficit. The cultural barriers, gender roles and ideas of meaningful work, are deep-rooted,
and dealing with them lies beyond the main actors in online outsourcing. The table gives the claims this book
derives from these passages (C35–C37) and from section 5.1, with the excerpts behind each.
"""),
    code("""
claims = findings.claims_for(themes=findings.BARRIER_THEMES) + ["C37"]  # C37: the ecosystem asset barriers need
chapter.table(findings.evidence_audit(claims, compact=True), caption="Claims on barriers, with their evidence")
""", tags=["remove-input"]),
    md("""
Three questions are worth asking of the contrast.

*Is "nobody" the whole story?* The programmes did not set out to change gender norms, but they were designed
around them: home-based work is offered to women precisely because they cannot work in offices, which is why one
excerpt appears in both chapters, as a driver and as a barrier. Accommodating a norm is not the same as
addressing it, and the paper is right that online outsourcing alone is unlikely to shift it; whether it should
try is a question for development policy (development question 3).

*Are the remedies in the critical literature any closer?* The proposals the paper reviews for re-institutionalising
online work, such as giving workers reputational information about clients {cite:p}`irani2014` or organising
online workers in unions {cite:p}`zuckerman2015`, target the balance of power between workers and platforms. They
would not reach a family's view of what a proper job is either.

*Is the line between asset and institution stable?* Payments sit on both sides of it, and the walled garden that
KPK planned (chapter E3) is an institution built to shelter local freelancers from open bidding, where newcomers
without a record of work lose out (section 5.3). The framework separates assets from institutions; the barriers the respondents describe
often need both.

## Exercises

```{exercise}
:label: ex-e2-payments

Run the chapter with `barrier = "finance_payments_barrier"`. Who addresses this barrier, according to the
spotlight list, and on what evidence? Section 6 calls payment systems an institutional barrier while section 5.1
treats payments as an asset barrier: which reading does that evidence support better?
```
"""),
    md("""
```{solution} ex-e2-payments
:class: dropdown

The list names the platforms (claim C15 and the trainer's excerpt on Upwork holding clients' payments and adding
easier payment methods) and local banks (claim C10 and the excerpt about receiving payments into a local bank
account without deductions). Both remedies are changes to institutions, the platform's rules and a bank's
service, rather than gifts of assets to the worker, which supports section 6's reading. What the worker lacked was
access to a cheap payment channel; once an institution supplies it, the asset gap disappears. A good answer notes
that the codebook's choice (asset barrier) is defensible but hides this.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-e2-nobody

Spotlight `gender_expectations`. The paper says no main online-outsourcing actor addresses it. Propose one
intervention that a development agency could make against this barrier, say which column of the matrix it would
fill, and say what evidence you would need before claiming it works. Which of your ideas could the published data
of this study test?
```
"""),
    md("""
```{solution} ex-e2-nobody
:class: dropdown

Answers vary; for example, training sessions timed around domestic duties, childcare at training centres, or
sessions that involve families. Any of these would fill the development agencies column, but only with new
evidence: excerpts from women trainees (the respondents' genders are not published, and among the barrier
excerpts only the trainer's says that the speaker is a woman), counts of women who complete training
and start earning, and a comparison with women not reached. The published data cannot test any of them; they can
only show that the barrier exists. Note also that the proposal accommodates the norm rather than changing it,
which is the distinction the chapter draws.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-e2-cocoding

The trainee's excerpt in the knowledge and skills section (EX15) is coded both as a knowledge and skills barrier
and as a platform constraint, yet the matrix does not count the platforms as addressing that barrier. Explain the
rule that leaves it out. Then suggest a coding of one excerpt that *would* add a mark to the platforms column of
the knowledge row, and say whether the paper supports it.
```
"""),
    md("""
```{solution} ex-e2-cocoding
:class: dropdown

Only remedial codes (platform improvements for the platforms) count as addressing a barrier; platform constraints
record problems the platform causes, so an excerpt carrying that code beside a barrier shows the barrier, not a
remedy. To add a mark, an excerpt would need both the knowledge and skills code and the platform improvements
code: for instance, if the excerpt on job-success metrics were read as helping newcomers learn what clients
value. The paper does not make that argument, so such a coding would go beyond the source; the coding lab
(chapter D2) is the place to argue it out.
```
""", tags=["solution"]),
    md("""
## Development questions this chapter prepares for
"""),
    code('chapter.prepares("e2_barriers")', tags=["remove-input"]),
]

if __name__ == "__main__":
    print(notebook("notebooks/e2_barriers.ipynb", cells))
