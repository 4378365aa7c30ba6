"""Source of notebooks/f_conclusions.ipynb (run: .venv/bin/python -m tools.chapters.f_conclusions)."""

from tools.nb import code, fig, md, notebook

cells = [
    md("""
# F · Conclusions: the answers, and the evidence behind them

This chapter has no synopsis question of its own: it returns to the three research questions the paper set out to
answer, quoted here from its introduction.
"""),
    code("""
from IPython.display import Markdown
from livelihoods import chapter, claims

Markdown(claims.research_questions_md())
""", tags=["remove-input"]),
    md("""
**Learning objectives.** After this chapter you can state the paper's answer to each research question in your own
words; audit a qualitative conclusion by tracing it to the findings and quotations behind it and counting the
distinct voices and stakeholder groups that support it; and say what the study could not assess.

**Time:** about 40 minutes. **Read first:** section 6 of the paper, then skim section 5 {cite:p}`malik2017`.
"""),
    md("""
## Parameters

Change these when you run the notebook yourself (or with `livelihoods run f_conclusions -p research_question RQ2`).
`research_question` shows the answers and the evidence audit for one research question: `"all"`, `"RQ1"`,
`"RQ2"` or `"RQ3"`. `min_voices` (an integer from 1 to 5) highlights in the audit every claim backed by fewer
distinct voices than that.
"""),
    code("""
research_question = "all"  # "all", "RQ1", "RQ2" or "RQ3"
min_voices = 2  # highlight claims backed by fewer distinct voices (1 to 5)
""", tags=["parameters"]),
    code("""
P = chapter.start("f_conclusions", research_question=research_question, min_voices=min_voices)
audit = claims.audit(P["research_question"])
""", tags=["remove-input"]),
    code("""
for name, value in claims.numbers(P["research_question"], P["min_voices"]).items():
    chapter.glue_value(name, value)
""", tags=["remove-cell"]),
    md("""
## How to audit a qualitative conclusion

A qualitative paper persuades by pairing claims with quotations. The pairing is usually implicit: the reader sees
a conclusion in section 6 and has to remember which quotations in section 5 stood behind it. This book makes it
explicit, in the spirit of [annotation for transparent inquiry](https://qdr.syr.edu/ati) (ATI), a practice of the
Qualitative Data Repository in which each claim in a text is annotated with its source and a note on how the source
supports it. Our version has three parts, all in `data/` and all our reading of the paper:

- **claims**: every finding of section 5 and conclusion of section 6, in our own words (`claims.csv`);
- **annotations**: links from each claim to the excerpts that support or illustrate it, with a short analytic note
  (`claim_evidence.csv`); a link that only *qualifies* a claim is not counted in its favour;
- **a rule linking findings to conclusions**, because the paper does not: a finding backs a conclusion when both
  answer the same research question and they share a theme or an excerpt.

Then we count **voices**, not quotations. Three excerpts from one trainer are one voice, and five voices from one
stakeholder group tell us how that group sees things. Remember whose voices can be counted at all: only
{glue:text}`n_quoted` of the {glue:text}`n_interviews` interviewees are quoted in the paper (chapter D).
"""),
    md("""
## The answers to the research questions

Each research question below is quoted as the paper re-states it in section 6, followed by the conclusions that
answer it (our wording), the findings that back each, and how many distinct voices and stakeholder groups stand
behind it.
"""),
    code('Markdown(claims.answers_md(P["research_question"], audit))', tags=["remove-input"]),
    md("""
In short {cite:p}`malik2017`: people in marginalised groups turn to online outsourcing mainly out of necessity,
because physical, political and economic vulnerability leaves them few other livelihoods, while for some the
freedom and the example of successful freelancers also pull them in (RQ1). Getting in requires an ecosystem:
infrastructure, and institutions that lift people out of their asset deficits. Platforms, development agencies and
freelancers' own networks all played a part, which sits uneasily with the bleakest accounts of platform work,
while cultural barriers such as gender roles and ideas of a proper job lie beyond what these actors can change
(RQ2). Everyone trained gained skills, but the money that followed was very unequal: many never started, some
earned little, and a significant number earned a reasonable living and invested it (RQ3).
"""),
    md("""
## The evidence audit

The figure shows, for each conclusion, how many distinct respondents and stakeholder groups stand behind it,
counting the excerpts linked to the conclusion itself and to the findings that back it. The dashed line is the
threshold you set with `min_voices`.
"""),
    fig("""
claims.plot_audit(audit, P["min_voices"]);
""", name="fig-f-audit",
        caption="Distinct voices (respondents) and stakeholder groups behind each conclusion, counting its own "
                "excerpts and those of the findings that back it; the dashed line is the threshold set by the parameter "
                "min_voices.",
        alt="Paired horizontal bars, one pair per conclusion labelled with its research question: a plain bar for "
            "voices and a dotted bar for groups. Most conclusions rest on several voices from two to four groups; "
            "the conclusion about the framework itself rests on none."),
    md("""
The table is the audit itself: every conclusion (its id in bold), followed by the findings that back it. Each
finding appears once, under the first conclusion it backs; the list of answers above gives every link. Under each
claim are the excerpts behind it and, where the evidence is thin, a flag. Of the {glue:text}`n_conclusions`
conclusions and {glue:text}`n_findings` findings shown, {glue:text}`n_below` rest on fewer than {glue:text}`min_voices` voices
({glue:text}`n_conclusions_below` of them conclusions); {glue:text}`n_one_voice` rest on a single voice,
{glue:text}`n_one_group` on a single stakeholder group, and {glue:text}`n_no_quote` on no quoted evidence at all.
Rows below the threshold are shaded, and their flag says why.
"""),
    code("""
claims.audit_table(audit, P["min_voices"], caption="Evidence audit: each conclusion (in bold) and, marked ↳, the findings behind it, with the distinct voices and stakeholder groups behind each")
""", tags=["hide-input"]),
    md("""
Reading the flags takes judgement. Conclusions do better than findings because they pool the evidence of several
findings. A finding resting on one voice is not wrong: one trainer's account of freedom from a boss is good
evidence that such a pull exists, weak evidence of how common it is. And "no quoted evidence" marks claims that rest
on the authors' reasoning or on something a respondent said that the paper reports without quoting, such as the
estimate that most trainees never took up freelancing.
"""),
    md("""
## Each conclusion with its evidence

Open a conclusion to see the findings behind it and the excerpts linked to it directly, each with our annotation.
"""),
    code('Markdown(claims.evidence_md(P["research_question"], audit))', tags=["remove-input"]),
    md("""
## What the paper says it could not assess

The authors name two limits {cite:p}`malik2017`. First, the evidence on social and physical capital was thin.
Our reference coding agrees: among the published excerpts, {glue:text}`n_social` are coded as social capital and
{glue:text}`n_physical` as physical capital, against {glue:text}`n_human` for human capital; financial capital
appears in {glue:text}`n_financial` excerpts, all as secondary content ({glue:text}`n_financial_primary` primary).
Saving for a home, the paper's one example of physical capital, is reported without a quotation. Second,
online outsourcing was too new to judge longer-term effects such as careers: few freelancers had spent more than
{glue:text}`years_in_oo` year in it (section 5.3), and the {glue:text}`n_futures` excerpts about the future point
in different directions: no career for the long term, a long-term bet worth drawing the family into, and a move
off the platform to work for clients directly.
The authors also leave open whether the differences between those who succeed and those who drop out could guide
practice.
"""),
    fig("""
claims.plot_coverage(claims.code_coverage(claims.LIMITS_CODES), title="What the published excerpts can speak to");
""", name="fig-f-limits",
        caption="Published excerpts coded under each capital outcome and each view of the future (reference coding); "
                "solid bars are primary codes, hatched bars secondary ones.",
        alt="Horizontal bars for four capitals and three views of the future. Human capital has several primary "
            "excerpts, financial capital only secondary ones, and social and physical capital none; each view of "
            "the future has one or two excerpts."),
    md("""
## Exercises

```{exercise}
:label: ex-f-voices

Run the chapter with `min_voices = 3`. Which conclusions and findings are now highlighted? Pick one highlighted
finding and say what extra evidence (which kind of respondent, which question) would strengthen it.
```
"""),
    md("""
```{solution} ex-f-voices
:class: dropdown

Most conclusions stay above the line because they pool several findings; the ones that fall below are those
whose findings are few, or the conclusion about the framework, which rests on argument. Many findings fall below,
especially those quoted from one respondent. For example, the pull of autonomy (C06) rests on one trainer who is
also a freelancer; hearing the same from trainees, from EP as well as KADO, and asking how many chose OO for
freedom rather than necessity, would show whether the pull is common or rare.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-f-rule

Our rule links a finding to a conclusion when both answer the same research question and they share a theme or an
excerpt. Apply it by hand to conclusion C38 (the platforms' concessions). Which findings does it pick up, and
should finding C19 (competition remains, but institutions compensate) count as backing C38? Propose a better rule.
```
"""),
    md("""
```{solution} ex-f-rule
:class: dropdown

C38 is about the institutions theme and answers RQ2, so the rule picks up the RQ2 findings on that theme (C13 and
C19) and any RQ2 finding sharing one of C38's excerpts (the three platform-improvement excerpts lead to C15 and
C13). C19 is a doubtful match: it shares only the broad theme, rests on the authors' argument, and its one linked
excerpt *qualifies* the institutions' benefits rather than supporting them. A stricter rule would require a shared
excerpt, or a shared *code* rather than theme; a more honest one would be a hand-made link table with a note for
each link, like `claim_evidence.csv`, which others could dispute.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-f-social

The paper says evidence on social capital was limited, and the figure above shows no excerpt coded as social
capital. Yet chapter E3 quotes friends helping with a first project and a trainee guiding a cousin. Is that social
capital? What would change in the coding, and in the paper's conclusions, if it were?
```
"""),
    md("""
```{solution} ex-f-social
:class: dropdown

In the Sustainable Livelihoods Framework social capital is the social resources people draw on for their
livelihoods {cite:p}`dfid1999`, so help from friends and relatives is social capital being *used*. The paper files
it under institutions (freelancers' own networks), and our reference coding follows it. The research question on
impact, however, asks whether OO *changed* the stock of assets: whether freelancing built new networks, clients or
standing in the community. The excerpts show networks used, hardly networks built, so recoding them as social
capital would add evidence of its role as an input, not of OO's impact on it; the paper's limit stands.
```
""", tags=["solution"]),
    md("""
## Development questions this chapter prepares for
"""),
    code('chapter.prepares("f_conclusions")', tags=["remove-input"]),
]

if __name__ == "__main__":
    print(notebook("notebooks/f_conclusions.ipynb", cells))
