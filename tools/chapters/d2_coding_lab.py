"""Source of notebooks/d2_coding_lab.ipynb (run: .venv/bin/python -m tools.chapters.d2_coding_lab)."""

from tools.nb import code, fig, md, notebook

cells = [
    md("""
# D2 · Coding lab: code the excerpts, then measure agreement

The educators' guide asks what research methods the study used. This chapter turns that question into
practice: you use the method yourself.

```{glue:md} lab_question
:format: myst
```

**Learning objectives.** After this chapter you can code interview excerpts with a template and record the
coding in a sheet; compute and read percentage agreement, Cohen's kappa and Krippendorff's alpha, overall and
per code; explain why high agreement can come with a low kappa; say what automatic keyword coding misses; and
argue whether such statistics suit interpretive qualitative work.

**Time:** about 90 minutes, half of it your own coding. **Read first:** section 4 of the paper
{cite:p}`malik2017` and chapter {doc}`d_methods`.
"""),
    md("""
## Parameters

Set these in the parameters cell, or with `livelihoods run d2_coding_lab -p NAME VALUE`.

- `n_excerpts` is how many excerpts are drawn for you to code, from 1 to 35. If the organisation has fewer, you
  get all of them.
- `seed` fixes the random draw (an integer from 0 to 2147483647): everyone with the same seed codes the same
  excerpts.
- `level` compares the codings `"code"` by code, or `"theme"` by theme after lifting each code to its theme.
- `organisation` draws only from the excerpts of `"KADO"`, `"EP"` or `"World Bank"` respondents, or from `"all"`.
- `sheet` is the path to your filled-in coding sheet, absolute or relative to the repository folder. With `None`,
  the chapter compares the book's example sheet instead.
"""),
    code("""
n_excerpts = 10  # excerpts to code: 1 to 35
seed = 2017  # seed of the draw: 0 to 2147483647
level = "code"  # "code" or "theme"
organisation = "all"  # "all", "KADO", "EP" or "World Bank"
sheet = None  # your coding sheet (CSV path), or None
""", tags=["parameters"]),
    code("""
from livelihoods import chapter, coding, lab
P = chapter.start("d2_coding_lab", n_excerpts=n_excerpts, seed=seed, level=level, organisation=organisation, sheet=sheet)
""", tags=["remove-input"]),
    code("""
from IPython.display import Markdown
from myst_nb import glue
glue("lab_question", chapter.question("S4"), display=False)
""", tags=["remove-cell"]),
    md("""
## A coding round in four steps

1. **Read the template** below: the codes you may apply, with their definitions.
2. **Code the excerpts** drawn for you, in the blank coding sheet this chapter writes.
3. **Run the chapter again** with `sheet` set to your filled-in sheet. The comparison then uses your coding.
4. **Discuss the disagreements.** Where you and the reference differ, ask why. Was the definition unclear?
   Is the excerpt ambiguous? Or is the reference coding wrong?

Until you have a sheet of your own, the comparison uses an example sheet, so you can see what you will get.
"""),
    md("""
## The template

The authors coded their interview transcripts in NVivo 10, using template analysis {cite:p}`malik2017`.
In template analysis the researcher builds a hierarchical list of codes, the template. It often starts from
themes chosen in advance (here, the parts of the Sustainable Livelihoods Framework), and it is revised as the
reading of the data goes on {cite:p}`king2012`.

The paper does not publish its template. The template below is **our reconstruction** from the structure of the
paper's framework and findings (sections 3, 5 and 6), so it can be disputed. It has
{glue:text}`n_components` components, {glue:text}`n_themes` themes and {glue:text}`n_codes` codes. Three of
the codes are our own additions, marked "Added code" in their definitions. You apply only the codes, the entries
shown with an id such as `physical_vulnerability`. An excerpt can take several codes.
"""),
    code("""
counts = lab.template_counts()
chapter.glue_value("n_components", counts["component"]); chapter.glue_value("n_themes", counts["theme"])
chapter.glue_value("n_codes", counts["code"])
""", tags=["remove-cell"]),
    code("Markdown(lab.codebook_markdown())", tags=["remove-input"]),
    md("""
## The excerpts to code

Read each excerpt whole before you code it, and give it every code that fits: at least one, often two. In the
`note` column, write in a few words why you chose the code. In template analysis the reasons matter as much as
the codes, and your notes are what you will discuss afterwards. **Finish coding before you scroll past the
next section**, because the comparison shows the reference coding.
"""),
    code("""
sample = lab.lab_sample(P["n_excerpts"], P["seed"], P["organisation"])
Markdown(sample.describe())
""", tags=["remove-input"]),
    code("chapter.quote(*sample.excerpt_ids)", tags=["remove-input"]),
    md("""
## Your coding sheet

A coding sheet is a CSV file with the columns `excerpt_id`, `code_id` and `note`. Use one line per code, or put
several codes in one cell, separated by spaces. If you think an excerpt takes no code at all, leave its `code_id`
empty: it then counts as "coded with nothing". The chapter writes two blank sheets for this run's excerpts. The
first has one line per excerpt. The second, for a spreadsheet program, also shows who said each excerpt and what
they said; its extra columns are ignored when the sheet is read back. Save your sheet as "CSV UTF-8". Commas and
semicolons both work. An existing file is never replaced: if a file of the same name holds anything else, the new
blank sheet gets a number.
"""),
    code("""
paths = lab.save_blank_sheets(sample.excerpt_ids, sample.stem())
Markdown(lab.blank_sheets_markdown(paths, sample.excerpt_ids))
""", tags=["remove-input"]),
    md("""
When you have filled it in, compare it with the reference coding in either of two ways:

```bash
# this chapter, with your sheet
livelihoods run d2_coding_lab -p sheet PATH/TO/YOUR-SHEET.csv
# the same figures, as a text report
livelihoods agreement PATH/TO/YOUR-SHEET.csv
```

If the sheet has a problem (an unknown excerpt or code, a theme where a code belongs, a code given twice to one
excerpt, a wrong header), reading stops with one line that names the line of the file and says how to fix it.
Nothing is skipped silently, because a skipped line would change the figures without telling you.
"""),
    md("""
## Comparing a coding with the reference

The comparison treats every pair of an excerpt and a category (a code, or a theme with `level = "theme"`) as
one **unit**. For each unit, each coder's answer is yes or no: did this coder give this excerpt this category?
NVivo's coding comparison works the same way, with characters of text instead of excerpts. Three statistics
summarise the answers:

- **Percentage agreement** is the share of units on which the two coders give the same answer, yes or no.
- **Cohen's kappa** corrects that share for the agreement two coders would reach by chance, given how often
  each of them says yes: kappa = (observed − chance) / (1 − chance). A kappa of 1 is perfect agreement, 0 is no
  better than chance, and a negative kappa is worse than chance.
- **Krippendorff's alpha** {cite:p}`krippendorff2004` is 1 minus the ratio of observed to expected disagreement, where the expected
  disagreement comes from both coders' answers pooled. It is computed here for nominal data. With two coders and
  no missing answers it is close to kappa. Unlike kappa, it also works for more coders and for gaps.

Below, coder A is the sheet and coder B is the reference coding.
"""),
    code("""
coded = lab.lab_sheet(P["sheet"], sample.excerpt_ids)
Markdown(lab.sheet_markdown(coded, P["sheet"], sample.excerpt_ids))
""", tags=["remove-input"]),
    code("""
result = coding.compare_sheet(coded, "reference", level=P["level"])
chapter.table(lab.overall_table(result), caption="Agreement of the sheet (A) with the reference coding (B), overall")
""", tags=["hide-input"]),
    code("""
chapter.glue_value("n_units", result.n_units); chapter.glue_value("n_compared", result.n_excerpts)
chapter.glue_value("sheet_agree", result.percent_agreement); chapter.glue_value("sheet_kappa", result.kappa)
chapter.glue_value("sheet_alpha", result.alpha); chapter.glue_value("n_undefined", lab.n_undefined(result))
""", tags=["remove-cell"]),
    md("""
In this run the two codings are compared on {glue:text}`n_compared` excerpts, which makes
{glue:text}`n_units` units. They give the same answer on {glue:text}`sheet_agree:.1f`% of the units. Kappa
is {glue:text}`sheet_kappa:.2f` and alpha is {glue:text}`sheet_alpha:.2f`. The table also names the
conventional band each value falls into. The section after the next one explains these bands and
their limits.

The table below gives the same figures category by category, lowest kappa first. The columns "both", "A", "B"
and "neither" count excerpts: those that both coders gave the category, only A (the sheet), only B (the
reference), or neither. For {glue:text}`n_undefined` categories in this run, kappa and alpha are
**undefined**, usually because neither coder used the category. Both statistics need some variation to work
with. Reporting 1 ("perfect agreement") or 0 ("no agreement") for such a category would claim something the
data cannot show, so the table says undefined, and the reason is given under it.
"""),
    code("""
lab.narrow_table(lab.per_category_table(result), caption="Agreement per category, lowest kappa first; excerpts coded with the category by both, only A (the sheet), only B (the reference), or neither")
""", tags=["hide-input"]),
    code("Markdown(lab.undefined_markdown(result))", tags=["remove-input"]),
    md("""
## Where the codings part

The statistics say how much the codings differ. A confusion matrix shows **how** they differ. In the figure,
each row is a category the sheet gave and each column a category the reference gave. A count on the diagonal is
the number of excerpts on which both gave that category. A count off the diagonal is the number of excerpts on
which the sheet gave the row's category where the reference gave the column's instead. The row and column
labelled "(nothing)" hold the codes one coder added with nothing in their place on the other side. To keep the
figure readable, it shows only the categories involved in at least one disagreement.

Look especially for off-diagonal cells between two codes of the same theme. Such a cell is a disagreement about
a fine distinction, and it disappears when you run the chapter again with `level = "theme"`.
"""),
    fig("""
matrix = lab.disagreement_matrix(coded, coding.reference_codings(), result.excerpt_ids, level=P["level"])
lab.plot_disagreements(matrix, rows="the sheet", columns="the reference coding");
""", name="fig-d2-confusion",
        caption="Where the sheet (rows) and the reference coding (columns) part, for the categories involved in at "
                "least one disagreement. Each number counts excerpts: on the diagonal, both gave the category; off "
                "it, the sheet gave the row's category where the reference gave the column's; '(nothing)' marks a "
                "code added with nothing in its place. Empty cells are zero.",
        alt="Heatmap with the sheet's categories as rows and the reference coding's as columns, with the count "
            "of excerpts printed in every non-empty cell. Counts on the diagonal show agreement on a category; the "
            "few counts off the diagonal and in the '(nothing)' row and column show excerpts the two coders read "
            "differently."),
    md("""
## Reading the numbers: bands and thresholds

Two sets of benchmarks are widely quoted. {cite:t}`landis1977` proposed names for ranges of kappa. They called
the divisions arbitrary, and offered them as benchmarks for discussion, not as tests.
"""),
    code("""
chapter.table(lab.landis_koch_table(), caption="Landis and Koch's names for ranges of kappa")
""", tags=["remove-input"]),
    code("""
chapter.glue_value("alpha_reliable", lab.ALPHA_RELIABLE); chapter.glue_value("alpha_tentative", lab.ALPHA_TENTATIVE)
""", tags=["remove-cell"]),
    md("""
{cite:t}`krippendorff2004` recommends relying on a coding only where alpha is at least
{glue:text}`alpha_reliable:.1f`. Values from {glue:text}`alpha_tentative:.3f` up to
{glue:text}`alpha_reliable:.1f` allow tentative conclusions at most, and below {glue:text}`alpha_tentative:.3f`
the coding should not be relied on. He also stresses that the threshold should depend on the cost of drawing a
wrong conclusion.

Two cautions apply to any run of this lab. First, the samples are small. On ten excerpts, a single
disagreement on a rarely used code moves that code's kappa from 1 to 0. Second, the reference is **our**
coding, reconstructed from the paper, not the authors' own coding. A low figure can mean that the reference is
wrong.
"""),
    md("""
## High agreement, low kappa: the prevalence paradox

Most categories apply to only a few excerpts. Most units are therefore "neither": neither coder gave that
excerpt that category. In this run, {glue:text}`share_neither:.0%` of the units are "neither". Agreement on
those units is easy, so percentage agreement is high almost whatever the coders do. Kappa discounts this easy
agreement, so it falls sharply when the coders disagree on the few excerpts where a category does apply.
{cite:t}`feinstein1990` described this as the first of two paradoxes of kappa: high agreement but low kappa,
which arises when one answer (here "no") is far more common than the other.

The table shows it in the data. Look at the column "used by either". A category used on one excerpt by one
coder and on none by the other gives an agreement of 90% on ten excerpts, yet kappa is exactly 0. The coders
never agreed on a single excerpt that has the code. Their agreement is entirely on excerpts without it.
"""),
    code("""
auto = lab.dictionary_coding()
baseline = lab.dictionary_baseline(auto, level=P["level"])
""", tags=["remove-cell"]),
    code("""
paradox, which = lab.paradox_example(result, baseline, "the dictionary baseline over all excerpts (next section)")
chapter.glue_value("share_neither", lab.share_neither(result))
Markdown(which)
""", tags=["remove-input"]),
    code("""
lab.narrow_table(paradox, caption="Categories with agreement of 90% or more but kappa of 0.4 or less")
""", tags=["hide-input"]),
    md("""
So report the counts (both, A only, B only, neither) beside any coefficient. For a rarely used code, the useful
question is not "what is its kappa?" but "what happened on the excerpts where one of us used it?".
"""),
    md("""
## The dictionary baseline: what keyword coding misses

Could a computer do the coding? The simplest automatic coder is a dictionary. The book's dictionary
(`data/dictionary.csv`, compiled by us, not by the authors) lists keywords for each code, and the coder gives an
excerpt a code whenever one of that code's keywords occurs in it as a whole word. It is fully transparent: for
every code it applies, it can say which word triggered it.

Over all {glue:text}`n_all` excerpts, at the level this run compares, the dictionary agrees with the reference
on {glue:text}`dict_agree:.1f`% of the units, with a kappa of {glue:text}`dict_kappa:.2f` and an alpha of
{glue:text}`dict_alpha:.2f`. Its coding differs from the reference on {glue:text}`n_dict_failures` of the
{glue:text}`n_all` excerpts. The table puts it beside the sheet, on the same excerpts.
"""),
    code("""
chapter.glue_value("n_all", baseline.n_excerpts); chapter.glue_value("dict_agree", baseline.percent_agreement)
chapter.glue_value("dict_kappa", baseline.kappa); chapter.glue_value("dict_alpha", baseline.alpha)
failures = lab.dictionary_failures(auto, coding.reference_codings(), baseline.excerpt_ids, level=P["level"])
chapter.glue_value("n_dict_failures", len(failures))
""", tags=["remove-cell"]),
    code("""
same = coding.agreement(auto, coding.reference_codings(), result.excerpt_ids, level=P["level"])
chapter.table(lab.comparison_table({"the sheet": result, "dictionary, same excerpts": same, "dictionary, all excerpts": baseline}), caption="The sheet and the dictionary coder, each compared with the reference coding")
""", tags=["hide-input"]),
    md("""
Three excerpts show the typical failures. Their dictionary readings are in the table after them.
"""),
    code('chapter.quote("EX12", "EX31", "EX33")', tags=["remove-input"]),
    code("""
chapter.table(lab.dictionary_failures(auto, coding.reference_codings(), ["EX12", "EX31", "EX33"], brief=True), caption="What the dictionary matched in three excerpts (code ← keyword), and the reference coding")
""", tags=["hide-input"]),
    md("""
- **Words out of context.** In EX12, "of course" contains the training keyword "course", so the dictionary
  adds Agency intervention to an excerpt about what is expected of the speaker, as a girl, when guests come.
- **Meaning without the usual words.** EX31 describes paying a semester's fees with freelancing income. A human
  reader sees human and financial capital. The dictionary finds no keyword, so it gives no code at all.
- **Negation.** EX33 says that freelancing is *not* a career for the long term. The dictionary sees "career" and
  "long term" and codes Long-term potential, the opposite of what is said. At the theme level this error happens
  to disappear, because both codes sit under the theme Futures. A coarser comparison can hide a reading that is
  wrong.

Adding keywords does not cure this: every new keyword catches some excerpts and misfires on others (try it in
the exercises). The full list of excerpts where the dictionary and the reference differ is below ("Show code
cell outputs"). Open it to see which failures are of these three kinds.
"""),
    code("""
chapter.table(failures, caption="Every excerpt where the dictionary's coding differs from the reference, at the compared level")
""", tags=["remove-input", "hide-output"]),
    md("""
## Should interpretive coding be measured at all?

Everything above assumes that agreement between coders is worth measuring. In qualitative research that
assumption is disputed.

King presents template analysis as a flexible technique, open to more than one view of what research can know.
Used interpretively, as in this study, its codes are the researcher's readings of what people said, not facts
waiting to be found. In that use, a second coder's reading serves to prompt reflection and discussion, and to
show where the template needs clearer definitions. It is not a test that the coding passes or fails
{cite:p}`king2012`. The
paper reports no agreement statistic, in keeping with that use {cite:p}`malik2017`.

Others disagree about how far the argument goes. Writing on reflexive thematic analysis, {cite:t}`braun2021`
argue that "coding reliability" measures are not a universal mark of quality: they belong to approaches that
treat the researcher's subjectivity as a possible bias to be controlled, whereas in reflexive analysis that
subjectivity is a resource. {cite:t}`oconnor2020` review the arguments on both sides and offer practical
guidelines. They argue that measuring intercoder reliability can make the coding more systematic and
transparent, prompt reflection and dialogue within a research team, and help convince readers that the analysis
can be trusted. {cite:t}`krippendorff2004` developed alpha for content analysis, where other coders must be able
to apply the codes the same way, and there reliability comes before any claim about what the data mean.

This lab takes a middle position. The statistics serve as a map of where to look, not as a grade. Work through
the disagreements one by one, decide whether each one comes from the excerpt, the definition or the reference,
and then revise the template. That revision is the step template analysis expects.
"""),
    md("""
(d2-qdpx)=
## Coding in NVivo, ATLAS.ti, MAXQDA or QualCoder

You can do the coding lab in the qualitative-analysis program you already use. The book exports the evidence
base as a **REFI-QDA project** (`.qdpx`). REFI-QDA is the open exchange standard of the Rotterdam Exchange
Format Initiative, <https://www.qdasoftware.org>. You code the project in your program and export it again as a
REFI-QDA project. The book then reads your coding back into a coding sheet, which this chapter can compare.

**What the project holds.** There is one plain-text document per quoted respondent ({glue:text}`n_documents`
documents, named for example `RE (Project Coordinator, KADO)`). Each document holds that respondent's published
excerpts in the order of the paper, one paragraph each, and its description lists the excerpt ids. The codebook
is a tree of codes. Its components and themes are grouping codes, and only the leaf codes can be applied. Each
code carries its definition, and the codes of each component share a colour. Depending on the export, the
project also holds the reference coding, your own coding sheet, or no coding at all. Every date in the file is
1 January 1980. This fixed date keeps two exports byte-identical and is not the date of the export.

### 1. Export a project

```bash
# blank: to code yourself
livelihoods export-qdpx --out lab.qdpx --coder none
# with the reference coding, to study it
livelihoods export-qdpx --out reference.qdpx
# a coding sheet you filled in
livelihoods export-qdpx --out mine.qdpx --sheet my-sheet.csv
# the codebook alone (REFI-QDA codebook)
livelihoods export-qdpx --codebook-only codebook.qdc
```

The command never replaces an existing file unless you add `--force`.

### 2. Open it in your program

Every program converts the `.qdpx` file into a project of its own. The menu names below come from each
vendor's documentation. Menus change between versions, so if your version differs, search its help for
"REFI-QDA".

- **NVivo.** NVivo's help describes opening the file with *File → Open*, choosing the file type *REFI-QDA
  Project (\\*.qdpx, \\*.qde)* and converting it into an NVivo project. The help pages for NVivo for Mac describe
  *File → Open Project*.
- **MAXQDA.** The MAXQDA manual has a chapter "Export and Import REFI-QDA Projects". It also describes the
  codebook file (`.qdc`), available under *Codes → Export/Import Code System*.
- **QualCoder** (free and open source). The QualCoder wiki ("Imports and Exports") lists REFI-QDA project
  import and export under the *Project* menu.
- **ATLAS.ti.** Other programs' documentation reports exchanging REFI-QDA projects with ATLAS.ti. We have not
  checked ATLAS.ti's own menus: look up "REFI-QDA" in its manual.

### 3. Code

- Code with the **leaf codes** only. A coding with a grouping code (a component or theme) cannot be compared
  with the reference, and the import reports it.
- Select a whole excerpt or any part of **one** excerpt. A selection that runs over two excerpts counts for
  both, and the import says so.
- **Do not edit the documents' text.** The import finds the excerpts by their text. If a document no longer
  contains any published excerpt, none of its codings can be placed.
- You can add codes of your own. The import reports them and leaves them out, because the comparison needs the
  book's codes.

### 4. Export from your program and import the coding

Export the coded project from your program as a REFI-QDA project (`.qdpx`). For NVivo, its help describes
*Share → Export Project → REFI-QDA Project* (Windows) and *File → Export Project* (Mac). Then run:

```bash
livelihoods import-qdpx my-coded-project.qdpx --out my-sheet.csv
# coded only the excerpts of your sample? name its blank sheet (written by this chapter)
livelihoods import-qdpx my-coded-project.qdpx --out my-sheet.csv --sample _build/coding-lab/sheet-all-n10-seed2017.csv
```

The import writes a coding sheet (`excerpt_id,code_id`) and prints one summary line. It matches codes by their
identifier, or else by their name (the code's label, or its `code_id`). It places each coded selection on the
excerpt whose text it covers. It tolerates the known differences between programs:

- a project file not called `project.qde`;
- a `Sources/` folder with a capital S;
- text files with a byte-order mark or Windows (CRLF) line ends;
- offsets counted in UTF-16 units, or with a line break counted as two characters;
- another version of the schema's namespace.

A selection it cannot place, or a code it cannot map, is **listed on the screen, never silently dropped**. The
summary line then starts its warning with `WARNING:`. Every excerpt you did not code is listed in the sheet with
an empty `code_id`, which the coding lab reads as "coded with nothing". If you coded only the excerpts of your
sample, pass its blank sheet with `--sample`: the sheet then keeps just those excerpts, so the agreement is not
computed over excerpts you never read. If the project still holds the reference
coding next to yours, and your program kept the name of the coder of each coding, only your coding is kept. To
be safe, code the blank project.

### 5. Agreement

```bash
# against the reference coding, per code
livelihoods agreement my-sheet.csv
# the same, per theme
livelihoods agreement my-sheet.csv --level theme
# two students who coded the same project
livelihoods agreement my-sheet.csv --against partner-sheet.csv
# this chapter, with your sheet
livelihoods run d2_coding_lab -p sheet my-sheet.csv
```

The imported sheet is an ordinary coding sheet, so this chapter reads it like any other.
"""),
    code("""
from livelihoods import evidence
chapter.glue_value("n_documents", evidence.n_respondents_quoted())
""", tags=["remove-cell"]),
    md("""
## Exercises

```{exercise}
:label: ex-d2_coding_lab-1

Code the excerpts drawn for you in the blank sheet, then run the chapter with `sheet` set to your file. Choose
two disagreements from the per-category table or from {numref}`fig-d2-confusion`, the figure of where the
codings part. For each, decide whether it comes from the
excerpt (it can fairly be read two ways), from the template (a definition that does not separate two codes) or
from the reference coding (which you think is wrong), and say why.
```
"""),
    md("""
```{solution} ex-d2_coding_lab-1
:class: dropdown

There is no single answer. What matters is the argument. The example sheet shows each kind. It codes EX12 (a
girl serving guests) as Cultural view of work, where the reference has Gender expectations. The
definitions overlap, since both are cultural barriers, so the template is at fault as much as the reader. It
codes EX25 (a friend who left freelancing for a factory) as Sinking, where the reference has Struggling. The
excerpt can fairly be read both ways. A good answer proposes a fix: a sharper definition, a note in the
codebook, or a change to the reference coding.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-d2_coding_lab-2

Run the chapter again with `level = "theme"` and the same sheet. Which disagreements disappear and which remain?
What does that tell you about where the template's distinctions are hard to apply?
```
"""),
    md("""
```{solution} ex-d2_coding_lab-2
:class: dropdown

Disagreements between two codes of the same theme disappear. For the example sheet these are EX12 (two codes
under Cultural barriers) and the readings of EX25 and EX27 (codes under Trajectories). Disagreements across
themes remain, such as EX16, read as a finance problem as well as a platform problem, and the bidding
competition (under Platforms) that the example coder missed in EX25. Kappa and alpha rise. The finest distinctions
(which trajectory, which cultural barrier) are the hardest to apply consistently. They are also the ones that
carry the paper's argument about differentiated outcomes, so the better theme-level figure should not reassure
you too much.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-d2_coding_lab-3

Run the chapter with `n_excerpts = 35` and no sheet (the example sheet on every excerpt). Find a code with an
agreement above 95% and a kappa of 0. Use its counts (both, A, B, neither) to explain why.
```
"""),
    md("""
```{solution} ex-d2_coding_lab-3
:class: dropdown

No employment benefits is one. The reference uses it once (EX26), and the example coder never uses it. The two
codings agree on the other 34 excerpts, an agreement of 97%. Kappa compares that with the agreement expected by
chance. One coder never says yes, so chance agreement equals the observed agreement, and kappa is
(0.97 − 0.97) / (1 − 0.97) = 0. The coders never agreed on an excerpt that has the code. This is the
prevalence paradox.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-d2_coding_lab-4

The dictionary finds no code in EX30 and EX31, which are about earning money to pay for studies. Suppose you
add "earning" and "earn" as keywords for Financial capital. Search the excerpts quoted in this book for those
words. Which excerpts would gain the code, and would each gain be right?
```
"""),
    md("""
```{solution} ex-d2_coding_lab-4
:class: dropdown

"Earn" matches EX31 ("that I earn through freelancing"), which is right. "Earning" matches EX30 ("through
earning online"), also right, and EX28 ("I am earning twenty five thousand"), right as well. It also matches
EX04 ("earning at home"), where the reference codes No alternative livelihood rather than a change in capital,
and EX07 ("his earning was"), where a role model's earnings are a pull driver, not the speaker's capital. Every
keyword trades misses for false alarms. Telling the cases apart needs the reading the keyword cannot do.
```
""", tags=["solution"]),
    md("""
```{exercise}
:label: ex-d2_coding_lab-5

Should the paper have reported an agreement statistic for its coding? Write a short paragraph for each side,
drawing on the section "Should interpretive coding be measured at all?".
```
"""),
    md("""
```{solution} ex-d2_coding_lab-5
:class: dropdown

For: a second coder and a kappa or alpha would let readers judge how far other readers would code the
excerpts the same way, for instance whether "swimming" and "surviving" can be told apart. That matters when the
paper's findings rest on counts or comparisons of codes. Against: the study is interpretive template analysis of
its interviews by a small team. Its codes are readings meant to develop an argument, and the template evolved
during the analysis. A coefficient would suggest a kind of objectivity the method does not claim. Transparency
is better served by publishing the template, the excerpts and the reasoning, which is what this book tries to
reconstruct.
```
""", tags=["solution"]),
    md("""
## Development questions this chapter prepares for
"""),
    code('chapter.prepares("d2_coding_lab")', tags=["remove-input"]),
]

if __name__ == "__main__":
    print(notebook("notebooks/d2_coding_lab.ipynb", cells))
