"""Source of notebooks/c_framework.ipynb (run: .venv/bin/python -m tools.chapters.c_framework)."""

from tools.nb import code, fig, md, notebook

DIAGRAM_ALT = (
    "Diagram of the sustainable livelihoods framework, read from top to bottom. At the top, a box labelled "
    "Vulnerability context (shocks, trends, seasonality) with an arrow down to Livelihood assets. Livelihood "
    "assets is a pentagon with one capital at each corner: human, social, physical and financial capital are "
    "shaded and joined by solid lines; natural capital is grey and dashed because the paper leaves it out. A "
    "two-headed arrow labelled influence and access joins the assets to the box Transforming structures and "
    "processes (structures: levels of government, private sector; processes: laws, policies, culture, "
    "institutions), which also points back up to the vulnerability context. Assets and structures both point "
    "down to Livelihood strategies, which points, in order to achieve, to Livelihood outcomes (more income, "
    "increased well-being, reduced vulnerability, improved food security, more sustainable use of the natural "
    "resource base). A thick orange arrow labelled impact runs from the outcomes back up the left side to the "
    "assets: the lower reverse arrow the paper uses to judge impact. Small tags mark where each research "
    "question is answered: RQ1 on the vulnerability context, RQ2 on transforming structures and processes, "
    "RQ3 on the outcomes. The part named by the highlight parameter has a thick black outline."
)

COVERAGE_ALT = (
    "Two horizontal bar charts. The upper one counts the published excerpts coded under each of the five parts "
    "of the framework; the transforming structures and processes have the longest bar, and the vulnerability "
    "context, strategies and outcomes the shortest. The lower one counts excerpts per capital, split into "
    "excerpts where the capital appears as a barrier (orange, hatched) and as an impact (blue, plain): human "
    "and financial capital have both, physical capital only barriers, social capital none, and natural "
    "capital is marked as left out by the paper. The highlighted part has a thick outline and a pointer."
)

cells = [
    md("""
# C · The framework: sustainable livelihoods

```{glue:md} synopsis
:format: myst
```

**Learning objectives.** After this chapter you can sketch the sustainable livelihoods framework (SLF) and
name its five parts and its arrows; say which four capitals the paper uses, how it defines them and which
one it leaves out; explain which part of the framework answers each of the three research questions; and
judge, from the published evidence, where the paper's findings are well supported and where they are thin.

**Time:** about 35 minutes. **Read first:** sections 1 and 3 of the paper {cite:p}`malik2017`; if you want
the original, DFID's guidance sheet on the framework {cite:p}`dfid1999`.
"""),
    md("""
## Parameters

`highlight` picks one part of the framework, or one capital, to emphasise in the diagram and in the evidence
chart: `"none"` (the default); one of the five parts by its codebook id (`"vulnerability_context"`,
`"livelihood_assets"`, `"institutions"`, `"livelihood_strategies"`, `"livelihood_outcomes"`); or one of the
five capitals (`"human"`, `"social"`, `"physical"`, `"financial"`, `"natural"`). Try
`livelihoods run c_framework -p highlight natural`.
"""),
    code('highlight = "none"  # "none", an SLF part or a capital', tags=["parameters"]),
    code("""
from livelihoods import chapter, slf

P = chapter.start("c_framework", highlight=highlight)
""", tags=["remove-input"]),
    md("""
## Why a livelihoods framework?

The paper treats work found through online platforms as a *livelihood*: one of the ways in which people
put together a living from what they have and from what surrounds them {cite:p}`malik2017`. Following
earlier work on outsourcing IT-based work to marginalised groups {cite:p}`heeks2010`, the authors chose the
sustainable livelihoods framework of the UK Department for International Development {cite:p}`dfid1999` to
shape both their fieldwork and their analysis. The figure of the framework they print is a summary taken
from {cite:t}`duncombe2007`.

The framework is used as a *sensitising lens* (section 1): a list of places to look and questions to ask,
not a theory that predicts what will be found. Chapter D shows how the same structure guided the
interviews and the coding.
"""),
    md("""
## The framework, drawn from data

The diagram below is drawn by code from a small table of parts, corners and arrows in
`livelihoods.slf`, following DFID's own figure {cite:p}`dfid1999`. DFID draws it from left to right; we
turned it to run from top to bottom so that it stays readable on a phone. Nothing else is changed.
"""),
    fig("""
slf.draw_framework(highlight=P["highlight"]);
""", name="fig-c-slf",
        caption="The sustainable livelihoods framework, redrawn from DFID (1999) as summarised in the paper's "
                "Fig. 1; the paper's four capitals are shaded, natural capital (left out) is dashed, and the "
                "lower reverse arrow the paper uses for impact is the thick orange one.",
        alt=DIAGRAM_ALT),
    md("""
Read it from the top.

- **Vulnerability context**: the shocks, trends and seasons that people cannot control. The paper answers its
  first research question here: remote mountains, a disputed political status, conflict and little investment
  close off other work in Gilgit-Baltistan and Khyber Pakhtunkhwa (section 5.1; chapter E1).
- **Livelihood assets**: what people have to work with, drawn as a pentagon of five *capitals*. The paper keeps
  four of them (shaded) and leaves natural capital out (dashed).
- **Transforming structures and processes**: governments, firms, laws, policies, culture and institutions.
  They decide who can reach which assets, hence the two-way arrow "influence & access". The paper reads the
  barriers to online work, and the ecosystem needed to overcome them, through this box (research question 2;
  chapters E2 and E3).
- **Livelihood strategies** draw on the assets and are shaped by the structures: online freelancing is one
  such strategy, alongside a government job or work in a factory.
- **Livelihood outcomes** are what the strategies are meant to achieve, in DFID's own list.

DFID's guidance stresses that the arrows stand for influences of several kinds, none of them a direct cause
{cite:p}`dfid1999`. One arrow matters more than the others for this paper: the **lower reverse arrow** from
outcomes back to assets. The authors define the impact of online outsourcing as what it does to the stock
of assets people can call upon afterwards (section 3; research question 3; chapter E4). A trainee paying a
semester's fees from freelancing income shows the arrow at work, financial capital being turned into human
capital:
"""),
    code('chapter.quote("EX31")', tags=["remove-input"]),
    md("""
## The four capitals the paper uses

The paper draws on four capitals that the earlier study had found most relevant {cite:p}`heeks2010`, and
quotes DFID's definition of each (section 3). The table reads them from `data/capitals.csv`, where they are
stored verbatim. Natural capital is in the framework but not in the paper; the paper does not say why, so the
one-line description in the table is ours.
"""),
    code("""
chapter.table(slf.capitals_table(), caption="The five capitals of the SLF: the paper's four, with DFID's definitions as quoted in section 3, and natural capital, which the paper leaves out")
""", tags=["remove-input"]),
    md("""
## Three questions, three parts of the framework

Each research question is answered through one part of the framework. Chapter A gives the questions in the
paper's words, with the chapters of this book that take each one up ({numref}`tbl-a-rq`). The table below
adds the framework's side: the box or arrow of the diagram through which the paper reads each question, and
how many published interview excerpts our reference coding puts in that part (chapter D explains the
coding).
"""),
    code("""
chapter.table(slf.rq_map(), caption="Each research question's part of the SLF, how the paper reads it, and the published excerpts coded there")
""", tags=["remove-input"]),
    md("""
The mapping is not one-to-one in practice. The second question asks about barriers and about the ecosystem
that removes them: barriers are shortfalls of *assets* (internet, skills, payments), but the paper explains
them through *institutions* that give or withhold access to those assets (section 3). The third question
is asked of the outcomes but answered through the assets, via the reverse arrow.
"""),
    md("""
## Where the published evidence falls

How much of the paper's evidence sits in each part of the framework? The chart counts the
{glue:text}`n_excerpts` published interview excerpts by the part of the framework their codes belong to
(codes rolled up the codebook tree), and then by capital. An excerpt coded under two parts counts in both.
"""),
    code("""
for name, value in slf.headline_numbers().items():
    chapter.glue_value(name, value)
""", tags=["remove-cell"]),
    fig("""
slf.plot_coverage(highlight=P["highlight"]);
""", name="fig-c-coverage",
        caption="Published interview excerpts per part of the framework and per capital, from our reference "
                "coding of the paper's excerpts (one excerpt may count in several parts).",
        alt=COVERAGE_ALT),
    code("""
chapter.table(slf.coverage_table(), caption="Excerpts per part of the framework (share of all published excerpts)").format({"share": "{:.0%}"})
""", tags=["hide-input"]),
    md("""
Four things stand out.

- **Institutions carry the most evidence**: {glue:text}`n_institutions` excerpts, or
  {glue:text}`share_institutions:.0%` of all of them, are about platforms, agencies, networks or culture.
  The vulnerability context, which answers the first research question, rests on only
  {glue:text}`n_vulnerability`.
- **Human and financial capital are well documented** ({glue:text}`n_human` and {glue:text}`n_financial`
  excerpts), both as barriers and as impacts.
- **Physical and social capital are thin.** Physical capital has {glue:text}`n_physical` excerpts, about
  barriers such as internet and electricity; the number about an impact on it is {glue:text}`n_physical_impact`.
  Social capital has {glue:text}`n_social`. This matches the paper's own caution that the evidence on social
  and physical capital is limited (section 6).
- **Natural capital** has no evidence because the study never looked for it.

These counts describe the paper's *published* evidence as we coded it, not the {glue:text}`n_interviews` interviews behind it: the
authors chose which excerpts to print. Chapter D looks at whose voices those excerpts carry.
"""),
    md("""
## What a framework does, and what it leaves out

A framework decides in advance what counts as relevant. The SLF makes the study look at the vulnerability
context, at all the capitals and at institutions, and it gives the paper a clear definition of impact. In
our reading it also has blind spots: anything that is not an asset, a structure or a strategy, such as the design of the
platforms' algorithms or the world market for online work, has to be squeezed into the "structures and
processes" box. The authors conclude that the SLF proved workable and useful for organising evidence on
online outsourcing (section 6). The last development question below asks what other frameworks could do
instead.
"""),
    md("""
## Exercises

```{exercise}
:label: ex-c-natural

Run this chapter with `highlight = "natural"`. Why might a study of online work leave natural capital out?
Suggest one way in which natural capital could still matter for freelancers in Gilgit-Baltistan, and say
what evidence you would need to check it.
```
"""),
    md("""
```{solution} ex-c-natural
:class: dropdown

Online work does not draw on land, water or forests directly, so natural capital looks irrelevant to the
strategy itself, and the earlier study the paper follows used the same four capitals. But it can enter
indirectly: the paper mentions exposure to climate-related disasters in the region (section 5.1), which the
framework places in the vulnerability context, and a household's land or livestock may be what it falls
back on when freelancing earns nothing. The paper has no data on either; you would need questions about
household assets and shocks in the interviews, which the published evidence cannot supply.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-c-arrow

Which arrow of the framework does the paper use to define impact? List two consequences of that choice for
what counts as an impact of online outsourcing, and one kind of outcome it could miss.
```
"""),
    md("""
```{solution} ex-c-arrow
:class: dropdown

The lower reverse arrow, from livelihood outcomes back to livelihood assets (section 3). Consequences:
impact is measured as a change in stocks (skills, money, relationships, property) rather than as a flow of
income; and earnings count most when they are turned into other capitals, such as fees for a degree or
savings for a home (section 5.3). It can miss outcomes that are not assets, such as well-being or reduced
vulnerability, which DFID lists among the outcomes themselves; and because the sample was of
trainees, gains in human capital were, as the authors note, expected (section 6).
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-c-social

Run the chapter with `highlight = "social"`. Does the zero for social capital mean that online work has no
effect on people's social resources? Look at where our codebook puts the excerpts about friends helping with
a first project (chapter D shows the codebook tree), and say how a different coding choice would change the
chart.
```
"""),
    md("""
```{solution} ex-c-social
:class: dropdown

No: it means no published excerpt was coded as a change in social capital. Absence of evidence is not
evidence of absence, and the paper itself calls the evidence limited (section 6). Our codebook files the
excerpts on friends and relatives helping newcomers under *freelancer networks*, an institution (section
5.2). A coder who read them as social capital being drawn on, or built, would move them to the assets, and
the social-capital bar would no longer be empty. The chart measures the evidence *as coded*; the coding lab
(chapter D2) lets you test such choices.
```
""", tags=["solution"]),
    md("""
## Development questions this chapter prepares for
"""),
    code('chapter.prepares("c_framework")', tags=["remove-input"]),
]

if __name__ == "__main__":
    print(notebook("notebooks/c_framework.ipynb", cells))
