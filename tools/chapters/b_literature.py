"""Source of notebooks/b_literature.ipynb (run: .venv/bin/python -m tools.chapters.b_literature)."""

from tools.nb import code, fig, md, notebook

cells = [
    md("""
# B · What the literature says about online outsourcing

```{glue:md} synopsis
:format: myst
```

**Learning objectives.** After this chapter you can describe the literature the paper builds on (how
recent it is, what kinds of publication, which streams); show where in the paper that literature is used;
state the two contrasting views of online work, and who holds them; and say which of those views the
paper's own findings support or challenge.

**Time:** about 40 minutes. **Read first:** section 2 of the paper {cite:p}`malik2017` and its reference
list (the bibliography of this book).
"""),
    md("""
## Parameters

Change this when you run the notebook yourself (or with
`livelihoods run b_literature -p stream "critical labour"`). `stream` picks the literature stream that the
reference table at the end shows and that the figures highlight: `"all"` or one of the streams of
`data/references.csv` (`"platform business and mechanics"`, `"critical labour"`, `"worker outcomes"`,
`"impact sourcing and social outsourcing"`, `"market and policy reports"`,
`"livelihoods and development frameworks"`, `"methods"`, `"statistics"`). The streams are our grouping,
not the paper's.
"""),
    code('stream = "all"  # "all" or a stream of data/references.csv', tags=["parameters"]),
    code("""
from IPython.display import Markdown
from livelihoods import chapter, paper

P = chapter.start("b_literature", stream=stream)
""", tags=["remove-input"]),
    code("""
for name, value in paper.literature_numbers(P["stream"]).items():
    chapter.glue_value(name, value)
""", tags=["remove-cell"]),
    md("""
## The reference list as data

The paper cites {glue:text}`n_references` works, published between {glue:text}`year_first` and
{glue:text}`year_last`. The field was young: {glue:text}`n_since_2014` of them
({glue:text}`share_since_2014:.0%`) appeared in 2014 or later. Only {glue:text}`n_articles` are journal
articles. The rest are reports by international organisations and think tanks, conference papers, book
chapters and a magazine piece. In a fast-moving field, evidence often appears outside journals first: the
paper's market figures come from a World Bank report {cite:p}`kuek2015` and its evidence on how much
workers rely on OO from an ILO report {cite:p}`berg2016`.
"""),
    fig("""
refs = paper.references()
paper.plot_reference_years(refs);
""", name="fig-b-years",
        caption="The paper's references by year of publication (one row per year, empty years included), "
                "stacked by type of publication.",
        alt="Horizontal stacked bar chart with one row per year of publication, oldest at the top: a few older "
            "works from 1999 onwards, then most published in 2014, 2015 and 2016; journal articles are the largest "
            "type, followed by reports."),
    md("""
## Streams of literature

The paper sees two streams of OO research with a bearing on development {cite:p}`malik2017`. The first
looks at organisations and the sector: OO as a "human cloud" business model {cite:p}`kaganer2013`, what
it does for clients {cite:p}`hanley2012`, and the mechanics of platforms such as work monitoring
{cite:p}`liang2016` and feedback information {cite:p}`assemi2016`. The second looks at the worker's end
of the value chain, often through a critical lens {cite:p}`zittrain2009,bergvallkareborn2014,ettlinger2016`.

A third, related body of work studies outsourcing by social enterprises that aim to create social as well
as economic value, known as *impact sourcing* or *social outsourcing*
{cite:p}`carmel2014,madon2013,malik2016,monitor2011`.

To count the references, we sorted each into one of {glue:text}`n_streams` finer streams (the grouping is
ours, documented in `data/README.md`). The figure shows how many fall into each. If you set the `stream`
parameter to one stream, that stream's bar is hatched and marked "◀ focus" and the others turn grey; with
the default, `"all"`, every bar looks the same.
"""),
    fig("""
paper.plot_streams(refs, focus=P["stream"]);
""", name="fig-b-streams",
        caption="The references by literature stream (our grouping). When the stream parameter names one stream, "
                "its bar is hatched and marked as the focus; with the default (all streams) no bar is singled out.",
        alt="Horizontal bar chart of the number of references in each of eight literature streams; impact "
            "sourcing and social outsourcing and critical labour are the largest streams."),
    md("""
## Where the paper cites what

Counting citations section by section shows how the paper uses its literature. Of
{glue:text}`n_citations` citations in the body, {glue:text}`n_in_review` ({glue:text}`share_in_review:.0%`)
sit in the literature review. Section 3 leans on the livelihoods framework {cite:p}`dfid1999` and an
earlier study that applied it to outsourcing {cite:p}`heeks2010`; section 4 on methods texts
{cite:p}`king2012,palvia2007`. The findings and conclusions together carry only
{glue:text}`n_in_results` citations.

That is typical of an exploratory, interview-based paper: the literature frames the questions, and the
findings speak through the interviews. The findings still answer the literature, but in words rather than
citations. Section 5.2, for instance, opens by setting its evidence against "de-institutionalisation"
critiques without citing them again.
"""),
    fig("""
paper.plot_citation_map(paper.citation_matrix(refs), refs, focus=P["stream"]);
""", name="fig-b-citations",
        caption="Where the paper cites each reference: times cited in each section (§1 Introduction, §2 Literature "
                "Review, §3 Conceptual Framework, §4 Methodology, §5 Findings, with its subsections 5.1-5.3 "
                "counted together, §6 Conclusions). Rows are grouped by literature stream and labelled with the "
                "reference's number in the paper's list; empty cells mean no citation. When the stream parameter "
                "names one stream, its header is marked ▶ and its rows are in bold.",
        alt="Grid with the references as rows, grouped by stream, and the six sections of the paper as "
            "columns; almost all citations fall in sections 1 to 4, mostly in section 2; the findings and "
            "conclusions columns are nearly empty."),
    md("""
## Two views of online work

Section 2 sets two views of OO against each other {cite:p}`malik2017`.

**The critical view.** OO is a "digital sweatshop" {cite:p}`zittrain2009`. It lacks the benefits of
employment, such as holiday and sick pay, insurance, a minimum wage and a pension
{cite:p}`bergvallkareborn2014,ettlinger2016`. One explanation is *de-institutionalisation*: the work
escapes legislation and collective bargaining because it is invisible, mobile and crosses borders
{cite:p}`bergvallkareborn2014`. Another is that platforms impose their own logic of decentralised,
precarious and informal work {cite:p}`ettlinger2016`. Those who share this diagnosis propose to
*re-institutionalise* OO, with tools that let workers rate clients {cite:p}`irani2014` or with unions
for online workers {cite:p}`zuckerman2015`.

**The differentiated view.** The paper notes that critical work often rests on secondary sources, while
primary research paints a more nuanced picture. OO can renew and build workers' skills, but only for those
who clear the barriers to entry and keep marketing themselves {cite:p}`barnes2015`. Most workers top up
other income, but many rely on OO, more often in developing countries {cite:p}`berg2016`. And workers in
the global South earn less than those in the North in absolute terms but more relative to local wages
{cite:p}`barnes2015,beerepoot2015`.

The list below ties each view to the references that hold it ({glue:text}`n_view_refs` references in all,
from `data/literature_views.csv`, our reading of section 2) and says how many of the paper's own claims
support or challenge it.
"""),
    code("""
Markdown(paper.views_markdown())
""", tags=["remove-input"]),
    md("""
## What the paper's findings say back

Our summary of the paper's findings and conclusions (`data/claims.csv`) records, for each claim that bears
on one of these views, whether it supports or challenges it; {glue:text}`n_view_claims` claims do so.

- **De-institutionalisation is challenged** by {glue:text}`deinst_challenges` claims: the study finds at
  least {glue:text}`n_forces` institutional forces at work (the platforms, development agencies and government, and the
  freelancers' own networks), and some of them act in the workers' favour {cite:p}`malik2017`.
- **Differentiated outcomes are supported** by {glue:text}`diff_supports` claims: trainees split into those
  who sink, struggle, survive or swim.
- **The digital sweatshop is both supported and challenged**: {glue:text}`sweatshop_supports` claim echoes
  the missing benefits (chiefly lost income in illness) and {glue:text}`sweatshop_challenges` says the
  range of institutions involved "slightly confounds" the negative portrayals.
"""),
    fig("""
paper.plot_views(paper.view_summary());
""", name="fig-b-views",
        caption="The paper's claims (our summary in data/claims.csv) that bear on each literature view: claims "
                "challenging the view to the left, claims supporting it to the right.",
        alt="Diverging bar chart for the four literature views: de-institutionalisation is only challenged, "
            "differentiated outcomes and relative earnings are only supported, and the digital sweatshop view "
            "is both supported and challenged."),
    code("""
chapter.table(paper.view_claims_table(), caption="The claims behind the figure (our wording, from data/claims.csv)")
""", tags=["hide-input", "hide-output"]),
    md("""
## The gap the paper fills

The impact sourcing literature shows that outsourced work can build the capabilities and livelihoods of
marginalised people {cite:p}`heeks2010,lacity2014,madon2013,malik2015`, and some studies look at OO
workers in developing countries {cite:p}`beerepoot2015,berg2016`. What the paper finds missing is research
on OO and development that focuses on marginalised groups in developing countries {cite:p}`malik2017`.
That is the gap the study sets out to fill, and chapter A shows why it matters.
"""),
    md("""
## The references in focus

The table lists the references of the stream chosen in the parameters (here:
{glue:text}`stream_name`, {glue:text}`n_focus` references), grouped by stream. For each it gives the
sections of the paper that cite it, with the number of citations in brackets, and the literature views it
holds.
"""),
    code("""
paper.markdown_table(paper.reference_table(P["stream"]), caption="References of the stream in focus: where the paper cites them and the views they hold", name="tbl-b-references", widths=[40, 25, 35])
""", tags=["remove-input"]),
    md("""
## Exercises

```{exercise}
:label: ex-b-critical

Run this chapter with `stream = "critical labour"`. In which sections of the paper are these references
cited? What does that tell you about how the paper engages with the critical view?
```
"""),
    md("""
```{solution} ex-b-critical
:class: dropdown

The {glue:text}`n_critical` critical-labour references are cited only in the introduction and the
literature review: {glue:text}`critical_beyond_review` citations in sections 3 to 6. The paper sets out the
critical view early and then answers it in the findings and conclusions through its interview evidence
(section 5.2 opens "contrary to de-institutionalisation critiques"), without citing the critics again. A
reader who wants to judge the dispute has to carry section 2 in mind while reading section 5.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-b-deinst

Which of the paper's claims challenge the de-institutionalisation view? For each, name the institution it
points to. Which reference would you send a sceptical reader to, to see the view in its strongest form?
```
"""),
    md("""
```{solution} ex-b-deinst
:class: dropdown

The claims are {glue:text}`deinst_claims` (open the hidden table under the figure). They point to the
platforms (rule changes in freelancers' favour), to development agencies, government and NGOs (training,
guidance, a planned walled garden), and to the freelancers' own networks. For the view itself, the paper
relies on {cite:t}`bergvallkareborn2014`; {cite:t}`ettlinger2016` gives the variant in which platforms,
not the absence of institutions, shape the work. Note that the paper's counter-evidence is mostly that
institutions *exist*; whether they protect workers as employment law would is a separate question.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-b-names

"Digital sweatshop", "online outsourcing", "gig work", "digital labour": pick two of these labels. What does
each assume about the work before any evidence is collected? (This prepares development question 2.)
```
"""),
    md("""
```{solution} ex-b-names
:class: dropdown

There is no single right answer. "Digital sweatshop" assumes exploitation and compares OO with the worst
factory work {cite:p}`zittrain2009`. "Online outsourcing" takes the client's view: work moved out of a firm
and across borders, neutral about its quality. "Gig work" stresses short, task-by-task engagement and
insecurity. "Digital labour" puts the worker and the labour relation first. The paper uses "online
outsourcing" and, through the livelihoods framework, judges the work by what it does to people's assets,
which lets it find both gains and losses.
```
""", tags=["solution"]),
    md("""
## Development questions this chapter prepares for
"""),
    code('chapter.prepares("b_literature")', tags=["remove-input"]),
]

if __name__ == "__main__":
    print(notebook("notebooks/b_literature.ipynb", cells))
