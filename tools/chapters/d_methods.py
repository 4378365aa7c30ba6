"""Source of notebooks/d_methods.ipynb (run: .venv/bin/python -m tools.chapters.d_methods)."""

from tools.nb import code, fig, md, notebook

cells = [
    md("""
# D · Methods: who was interviewed, and whose voices we can hear

```{glue:md} synopsis
:format: myst
```

**Learning objectives.** After this chapter you can describe how the study's sample was drawn; say whose
voices the published evidence carries and whose it does not; explain what that means for how far each
finding can be generalised; walk through template analysis from a priori themes to a final template; and
say what can and cannot be reproduced from a qualitative paper.

**Time:** about 40 minutes. **Read first:** section 4 of the paper {cite:p}`malik2017`; for the method,
{cite:t}`king2012`.
"""),
    md("""
## Parameters

Change these when you run the notebook yourself (or with `livelihoods run d_methods -p organisation KADO`).
`organisation` restricts the respondents shown in the voices chart, the stakeholder table and the codebook
counts to one training organisation: `"all"`, `"KADO"`, `"EP"` or `"World Bank"`. `grouping` sets how the
voices chart is grouped: by stakeholder `"group"`, by `"organisation"` or by `"respondent"`.
"""),
    code("""
organisation = "all"  # "all", "KADO", "EP" or "World Bank"
grouping = "group"  # "group", "organisation" or "respondent"
""", tags=["parameters"]),
    code("""
from livelihoods import chapter, evidence

P = chapter.start("d_methods", organisation=organisation, grouping=grouping)
""", tags=["remove-input"]),
    code("""
for name, value in evidence.headline_numbers().items():
    chapter.glue_value(name, value)
""", tags=["remove-cell"]),
    md("""
## The sample as reported

The fieldwork took place in 2016 at two World Bank-funded training organisations, KADO in Gilgit-Baltistan
and Empower Pakistan (EP), with a purposive sample of project leads, trainers, project managers, trainees
and freelancers {cite:p}`malik2017`. The paper reports {glue:text}`n_interviews` semi-structured interviews,
{glue:text}`n_skype` of them by Skype and the rest face to face during a field visit. It calls the design a
qualitative exploratory field study {cite:p}`palvia2007`.
"""),
    fig("""
evidence.plot_sample(evidence.sample_by_location());
""", name="fig-d-sample",
        caption="The interviews by place and mode as section 4 of the paper reports them; the face-to-face "
                "count is not printed but follows from the total and the Skype interviews.",
        alt="Horizontal bar chart of interviews per place: one long bar for the face-to-face interviews in "
            "Gilgit-Baltistan and Islamabad, and three short hatched bars for the Skype interviews from Lahore, "
            "Washington DC and Karachi."),
    md("""
The face-to-face interviews ({glue:text}`n_face_to_face`) are not split between Gilgit-Baltistan and
Islamabad in the paper, so the chart cannot split them either.

**Purposive sampling** means choosing people for the part they play, not at random: the aim is to hear
every kind of stakeholder in the training programmes, not to estimate how common a view is among all
trainees. The paper names {glue:text}`n_types` stakeholder types but not how many people of each type were
interviewed. The table sets those types beside the respondents who are actually quoted (the mapping of
printed roles to types is ours).
"""),
    code("""
chapter.table(evidence.stakeholder_types(P["organisation"]), caption=f"Stakeholder types named in section 4 and the respondents quoted from each (organisation: {P['organisation']}); how many of each type were interviewed is not reported")
""", tags=["remove-input"]),
    md("""
## Whose voices carry the findings?

Only some of the interviewees speak in the published paper. Of the {glue:text}`n_interviews` interviewees,
{glue:text}`n_quoted` are quoted by name initials, in {glue:text}`n_excerpts` excerpts: that is
{glue:text}`share_quoted:.0%` of the people interviewed, assuming one interview per person (the paper does not
say). Everything this book can recompute rests on those excerpts.

The chart counts the published excerpts by stakeholder group, organisation or respondent (the `grouping`
parameter), with the organisation shown by colour and hatching.
"""),
    fig("""
evidence.plot_voices(evidence.voices(P["organisation"], P["grouping"]), organisation=P["organisation"], grouping=P["grouping"]);
""", name="fig-d-voices",
        caption="Published interview excerpts by the stakeholder group, organisation or respondent quoted "
                "(the grouping parameter), coloured and hatched by organisation.",
        alt="Horizontal bar chart of the number of published excerpts per stakeholder group, organisation or "
            "respondent, each bar split by organisation; with all organisations shown, KADO's bars are the "
            "longest and EP's and the World Bank's short."),
    code("""
chapter.table(evidence.voices(P["organisation"], P["grouping"]), caption="Published excerpts and respondents quoted")
""", tags=["hide-input"]),
    md("""
## What that means for reading the findings

- **KADO dominates.** {glue:text}`kado_share:.0%` of the excerpts come from KADO's staff and trainees in
  Gilgit-Baltistan. Findings about vulnerability, electricity and internet speak for that region; EP's
  trainees in Punjab and Khyber Pakhtunkhwa are heard far less.
- **A few people speak often.** The most quoted respondent, a KADO trainer who also freelances, appears
  {glue:text}`top_n` times, and {glue:text}`half_voices` people supply half of all excerpts, while
  {glue:text}`single_excerpt` respondents are quoted once each. The evidence speaks with fewer voices than
  the sample size suggests.
- **Trainees are the largest group** ({glue:text}`trainee_share:.0%` of excerpts), but all of them had been
  through the training. People who never took a course, or who dropped out early, are not among the voices;
  the paper notes that universal gains in skills were to be expected for that reason (section 6).
- **Programme staff speak about their own programmes.** Project leads, managers and trainers are well
  represented; read what they say about the programmes' effects with their position in mind.
- **The excerpts are a selection.** The authors chose them to illustrate their findings, so counting them
  measures what the paper shows, not how widely a view was held among the {glue:text}`n_interviews`
  people interviewed. The other {glue:text}`n_not_quoted` are not heard at all.
"""),
    md("""
## Template analysis, step by step

The interviews were recorded, translated, transcribed and coded in NVivo 10 using *template analysis*
(section 4). In the account of {cite:t}`king2012`, template analysis is a structured but flexible way of coding
qualitative data:

1. **A priori themes.** The researcher may start from a few themes fixed in advance, usually from the
   framework that shaped the study. Here the SLF supplied them: it structured the interview guide, while
   leaving the interviewer free to follow up unexpected topics (section 4).
2. **Initial template.** After reading and coding part of the data, the themes are organised into a
   hierarchy: broad themes with narrower ones beneath them.
3. **Revision.** The template is applied to the rest of the data and changed wherever it does not fit:
   codes are added, removed, merged or moved up or down the hierarchy.
4. **Final template.** The revised template is the basis for interpreting and writing up. The paper's
   findings are presented "grouped in relation to the categories of the SLF" (section 5).

The authors do not publish their template or their coding, so the tree below is **our reconstruction, not
the authors' NVivo file** (`data/codebook.csv`, built from the structure of sections 3, 5 and 6). It has
{glue:text}`a_priori` a priori themes (the parts of the SLF), {glue:text}`n_themes` themes and
{glue:text}`n_codes` codes. {glue:text}`n_added` codes, marked "(added)", are our revisions: the published
excerpts did not fit the initial template without them. Our reference coding applies the codes
{glue:text}`n_codings` times; {glue:text}`n_unused` codes carry no published excerpt at all. The counts
follow the `organisation` parameter.
"""),
    code("""
evidence.tree_table(evidence.codebook_tree(P["organisation"]), caption=f"The reconstructed coding template as a tree, with the published excerpts coded at or below each node (organisation: {P['organisation']})")
""", tags=["remove-input"]),
    md("""
## The honest limits of reproducing a qualitative paper

A statistical paper can be reproduced by re-running its analysis on its data. A qualitative paper like
this one cannot, and it is worth being exact about why.

- **What we can recompute:** who is quoted and how often; which parts of the framework the published
  excerpts support (chapter C); every number the paper prints; and whether each claim has an excerpt behind
  it (the findings chapters).
- **What we cannot:** the {glue:text}`n_interviews` transcripts are not public; the authors' template and
  coding are not published; the number of interviewees of each type is not reported; the excerpts are
  English translations, so their wording is partly the translator's; and we cannot know what the
  {glue:text}`n_not_quoted` unquoted interviewees said.
- **What we do instead:** make the chain from evidence to claim visible and open to dispute. The codebook and
  the reference coding are ours and can be challenged; the coding lab (chapter D2) asks you to code the
  excerpts yourself and measures how far you agree.

Reproducibility here means transparency about the evidence, not a second run of the analysis.
"""),
    md("""
## Exercises

```{exercise}
:label: ex-d-share

Run this chapter with `organisation = "EP"`. How many EP respondents are quoted, and in how many excerpts?
What kinds of finding would you be cautious about generalising to EP's trainees?
```
"""),
    md("""
```{solution} ex-d-share
:class: dropdown

The stakeholder table and the voices chart, recomputed for EP, answer the counting part. EP's voices are
far fewer than KADO's, so findings about barriers such as electricity and internet, which rest mostly on
KADO respondents in Gilgit-Baltistan, say little about EP's trainees in Punjab and Khyber Pakhtunkhwa.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-d-concentration

Run the chapter with `grouping = "respondent"`. How many respondents supply half of the published excerpts?
Why does that matter when a finding is illustrated by several quotations from the same person?
```
"""),
    md("""
```{solution} ex-d-concentration
:class: dropdown

{glue:text}`half_voices` respondents supply half of the excerpts, led by one KADO trainer quoted
{glue:text}`top_n` times. Several quotations from one person show that one person holds a view firmly,
not that many people share it; a finding supported by different stakeholder groups in both organisations
is on firmer ground.
```
""", tags=["solution"]),
    code('chapter.quote("EX20")', tags=["remove-input"]),
    md("""
```{exercise}
:label: ex-d-template

Our template codes the excerpt above as *peer support*, a theme under institutions (freelancer networks).
Where else in an SLF-based template could it go? Which step of template analysis would make that change,
and what would it do to the counts in chapter C?
```
"""),
    md("""
```{solution} ex-d-template
:class: dropdown

It could be coded as social capital, under the assets: friends are a social resource the trainee draws on.
Moving or double-coding it is a *revision* of the template (step 3). The social-capital bar in chapter C,
now empty, would gain an excerpt, and the paper's conclusion of "limited evidence" on social capital would
look less clear-cut. Coding choices shape what a framework appears to show.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-d-limits

Suppose the authors released all the transcripts. Name two claims of the paper you could then check, and
one you still could not check with these data.
```
"""),
    md("""
```{solution} ex-d-limits
:class: dropdown

With the transcripts you could check, for example, whether the gains in skills were reported by all trained
interviewees (section 5.3), and how many interviewees raised each barrier (section 5.1). You still could not
check a programme manager's estimate that about 60% of trainees did not take up freelancing (section
5.3), which needs
the programme's records, nor anything about longer-term careers, which needs following people over time.
```
""", tags=["solution"]),
    md("""
## Development questions this chapter prepares for
"""),
    code('chapter.prepares("d_methods")', tags=["remove-input"]),
]

if __name__ == "__main__":
    print(notebook("notebooks/d_methods.ipynb", cells))
