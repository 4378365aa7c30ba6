"""Source of notebooks/d_methods.ipynb (run: .venv/bin/python -m tools.chapters.d_methods)."""

from tools.nb import code, fig, md, notebook

cells = [
    md("""
# D · Methods: who was interviewed, and whose voices we can hear

```{glue:md} synopsis
:format: myst
```

**Learning objectives.** After this chapter you can describe how the study's sample was drawn; say whose
voices the published evidence carries and whose it does not; and explain what that means for how far each
finding can be generalised.

**Time:** about 30 minutes. **Read first:** section 4 of the paper {cite:p}`malik2017`.
"""),
    md("""
## Parameters

Change these when you run the notebook yourself (or with `livelihoods run d_methods -p organisation KADO`).
`organisation` restricts the respondents shown to one training organisation: `"all"`, `"KADO"`, `"EP"` or
`"World Bank"`.
"""),
    code('organisation = "all"  # "all", "KADO", "EP" or "World Bank"', tags=["parameters"]),
    code("""
from livelihoods import chapter, evidence

P = chapter.start("d_methods", organisation=organisation)
""", tags=["remove-input"]),
    md("""
## The sample as reported

The fieldwork took place in 2016 at two World Bank-funded training organisations, KADO in Gilgit-Baltistan
and Empower Pakistan (EP), with a purposive sample of project leads, trainers, project managers, trainees
and freelancers {cite:p}`malik2017`. The paper reports {glue:text}`n_interviews` semi-structured interviews,
{glue:text}`n_skype` of them by Skype and the rest face to face.

Only some of those people speak in the published paper. Of the {glue:text}`n_interviews` interviewees,
{glue:text}`n_quoted` are quoted by name initials, in {glue:text}`n_excerpts` excerpts: that is
{glue:text}`share_quoted:.0%` of the people interviewed. Everything this book can recompute rests on those
excerpts.
"""),
    code("""
counts = evidence.voices(P["organisation"])
chapter.glue_value("n_interviews", evidence.n_interviews())
chapter.glue_value("n_skype", evidence.n_skype())
chapter.glue_value("n_quoted", evidence.n_respondents_quoted())
chapter.glue_value("n_excerpts", evidence.n_excerpts())
chapter.glue_value("share_quoted", evidence.n_respondents_quoted() / evidence.n_interviews())
""", tags=["remove-cell"]),
    md("""
## Whose voices carry the findings?

The figure counts the published excerpts by the stakeholder group of the person quoted. Trainees and trainers
from KADO dominate; EP's trainees and managers and the World Bank project lead appear less often. When a
finding rests on one group's words, it tells us how that group saw things.
"""),
    fig("""
chapter.glue_figure("fig_voices", evidence.plot_voices(counts, organisation=P["organisation"]));
""", name="fig-d-voices",
        caption="Published interview excerpts by the stakeholder group of the person quoted, coloured by organisation.",
        alt="Horizontal bar chart of the number of published excerpts per stakeholder group, split by organisation."),
    code("""
chapter.table(counts, caption="Published excerpts and respondents quoted, by stakeholder group and organisation")
""", tags=["hide-input"]),
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

The table above, recomputed for EP, answers the counting part. EP's voices are fewer than KADO's, so findings
about barriers such as electricity and internet, which rest mostly on KADO respondents in Gilgit-Baltistan,
say little about EP's trainees in Punjab and Khyber Pakhtunkhwa.
```
""", tags=["solution"]),
    md("""
## Development questions this chapter prepares for
"""),
    code('chapter.prepares("d_methods")', tags=["remove-input"]),
]

if __name__ == "__main__":
    print(notebook("notebooks/d_methods.ipynb", cells))
