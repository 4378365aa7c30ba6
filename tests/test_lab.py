"""The coding-lab chapter's building blocks (livelihoods.qda.lab, lab_results) and the sheet-path check.

Figures for the student fixture are the ones worked out by hand in tests/test_coding.py:
pooled over 330 units kappa = 5550/8850 = .6271, alpha = .6276, agreement 320/330; per code,
one shared use plus one coder alone gives kappa .16/.26 = .6154 and alpha 1 - 19/51 = .6275;
one coder alone once gives kappa 0 and alpha 0.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import ROOT
from livelihoods.qda import agreement, dictionary, disagreements, lab, lab_results, sheets, template
from livelihoods import evidence
from livelihoods.book import params
from livelihoods.errors import ParameterError, SheetError

STUDENT = ROOT / "tests" / "fixtures" / "coding" / "student_sheet.csv"


@pytest.fixture
def student() -> agreement.Agreement:
    return agreement.compare_sheet(sheets.read_sheet(STUDENT), "reference", level="code")


@pytest.fixture
def example() -> pd.DataFrame:
    return sheets.read_sheet(lab.example_sheet_path())


# ------------------------------------------------------------------------------------------ the sample


def test_sample_is_reproducible_and_matches_sample_excerpts():
    first = lab.lab_sample(10, 2017, "all")
    assert first == lab.lab_sample(10, 2017, "all")
    assert list(first.excerpt_ids) == sheets.sample_excerpts(10, 2017, "all")
    assert not first.clipped and first.available == 35
    assert lab.lab_sample(10, 2018, "all").excerpt_ids != first.excerpt_ids


def test_sample_takes_all_when_the_organisation_has_fewer():
    joined = evidence.excerpts_with_respondents()
    world_bank = joined.loc[joined["organisation"] == "World Bank", "excerpt_id"].tolist()
    assert world_bank == ["EX05", "EX32"]  # the project lead, AL, speaks twice
    drawn = lab.lab_sample(10, 1, "World Bank")
    assert list(drawn.excerpt_ids) == world_bank and drawn.clipped
    assert "You asked for 10, but only 2 excerpts" in drawn.describe()
    assert drawn.stem() == "sheet-world-bank-n2-seed1"
    assert lab.n_available("KADO") == (joined["organisation"] == "KADO").sum()
    with pytest.raises(ParameterError, match="organisation 'NUST'"):
        lab.n_available("NUST")


# ------------------------------------------------------------------------------------------ blank sheets


def test_blank_sheets_are_written_once_and_never_replace_a_different_file(tmp_path):
    ids = ["EX01", "EX12"]
    paths = lab.save_blank_sheets(ids, "sheet-x", folder=tmp_path)
    assert paths["long"] == tmp_path / "sheet-x.csv" and paths["wide"] == tmp_path / "sheet-x-spreadsheet.csv"
    assert paths["long"].read_text(encoding="utf-8") == sheets.blank_sheet(ids)
    assert paths["wide"].read_bytes().startswith(b"\xef\xbb\xbf")  # BOM, for Excel
    # the same run again finds its own identical files
    assert lab.save_blank_sheets(ids, "sheet-x", folder=tmp_path) == paths
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet-x-spreadsheet.csv", "sheet-x.csv"]
    # a student fills in the sheet in place: a new run must not touch it
    filled = "excerpt_id,code_id,note\nEX01,physical_vulnerability,\nEX12,gender_expectations,\n"
    paths["long"].write_text(filled, encoding="utf-8")
    again = lab.save_blank_sheets(ids, "sheet-x", folder=tmp_path)
    assert again["long"] == tmp_path / "sheet-x-2.csv" and again["wide"] == paths["wide"]
    assert paths["long"].read_text(encoding="utf-8") == filled
    # and the filled-in sheet is readable
    assert len(sheets.read_sheet(paths["long"])) == 2


def test_lab_dir_is_in_build_never_in_sources(monkeypatch, tmp_path):
    monkeypatch.delenv(lab.LAB_DIR_ENV, raising=False)
    folder = lab.lab_dir()
    assert folder == ROOT / "_build" / "coding-lab"
    assert lab.shown_path(folder / "sheet.csv") == "_build/coding-lab/sheet.csv"
    monkeypatch.setenv(lab.LAB_DIR_ENV, str(tmp_path))
    assert lab.lab_dir() == tmp_path


def test_blank_sheets_markdown_shows_paths_and_the_sheet(tmp_path):
    paths = lab.save_blank_sheets(["EX02"], "s", folder=tmp_path)
    text = lab.blank_sheets_markdown(paths, ["EX02"])
    assert "s.csv" in text and "s-spreadsheet.csv" in text and "excerpt_id,code_id,note\nEX02,," in text


# ------------------------------------------------------------------------------------------ the sheet compared


def test_example_sheet_codes_every_excerpt_with_deliberate_departures(example):
    assert sheets.sheet_excerpts(example) == list(template.excerpt_order())
    assert (example["coder"] == "example").all()
    result = agreement.compare_sheet(example, "reference", level="code")
    assert 0 < result.kappa < 1
    # every excerpt in the sheet carries at least one code
    assert set(example["excerpt_id"]) == set(list(template.excerpt_order()))


def test_lab_sheet_restricts_the_example_to_the_sample():
    sample = ["EX03", "EX12", "EX25"]
    sheet = lab.lab_sheet(None, sample)
    assert sheets.sheet_excerpts(sheet) == sample
    assert set(sheet["excerpt_id"]) == set(sample)
    assert "example sheet" in lab.sheet_markdown(sheet, None, sample)


def test_lab_sheet_reads_a_student_sheet_as_is():
    sheet = lab.lab_sheet(str(STUDENT), ["EX01", "EX02"])
    assert sheets.sheet_excerpts(sheet)[-1] == "EX33"
    text = lab.sheet_markdown(sheet, str(STUDENT), ["EX01", "EX02"])
    assert "student_sheet.csv" in text and "lists 10 excerpts, 1 of them in this run's sample" in text
    with pytest.raises(SheetError, match="no such file"):
        lab.lab_sheet("/no/such/sheet.csv", ["EX01"])


# ------------------------------------------------------------------------------------------ reading the statistics


@pytest.mark.parametrize(
    "kappa, name",
    [
        (-0.1, "poor"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.21, "fair"),
        (0.4, "fair"),
        (0.6, "moderate"),
        (0.61, "substantial"),
        (0.8, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
        (math.nan, "undefined"),
    ],
)
def test_landis_koch_bands(kappa, name):
    assert lab_results.landis_koch(kappa) == name


@pytest.mark.parametrize(
    "alpha, reading",
    [
        (0.8, "at or above 0.8"),
        (0.7999, "tentative (0.667 to 0.8)"),
        (0.667, "tentative (0.667 to 0.8)"),
        (0.666, "below 0.667"),
        (-0.5, "below 0.667"),
        (math.nan, "undefined"),
    ],
)
def test_krippendorff_thresholds(alpha, reading):
    assert lab_results.krippendorff_reading(alpha) == reading


def test_overall_table_for_the_student_sheet(student):
    table = lab_results.overall_table(student).set_index("statistic")
    pooled, mean = table.columns
    assert "330" in pooled and "16 of 33" in mean
    assert table.loc["percentage agreement", pooled] == "97.0%"
    assert table.loc["Cohen's kappa", pooled] == "0.63"  # 5550/8850
    assert table.loc["Landis and Koch's name", pooled] == "substantial"
    assert table.loc["Krippendorff's alpha", pooled] == "0.63"
    assert table.loc["Krippendorff's thresholds", pooled] == "below 0.667"  # .6276
    assert table.loc["Cohen's kappa", mean] == "0.49"  # (6 + 3 * .6154) / 16
    assert table.loc["Landis and Koch's name", mean] == "moderate"


def test_per_category_table_lists_defined_codes_then_undefined_ones(student):
    table = lab_results.per_category_table(student)
    assert list(table.columns) == ["code", "both", "A only", "B only", "neither", "agreement", "kappa", "alpha"]
    assert len(table) == 16 + 1  # 16 defined codes, then the 17 unused ones on one row
    assert table["kappa"].iloc[0] == "0.00" and table["kappa"].iloc[15] == "1.00"
    row = table.set_index("code").loc["No alternative livelihood"]
    assert (row["both"], row["A only"], row["B only"], row["neither"]) == (1, 0, 1, 8)
    assert (row["agreement"], row["kappa"], row["alpha"]) == ("90.0%", "0.62", "0.63")
    last = table.iloc[-1]
    assert last["code"] == "17 codes, see below" and last["kappa"] == last["alpha"] == "undefined"
    assert (last["neither"], last["agreement"]) == (10, "100.0%")
    full = lab_results.per_category_table(student, collapse_undefined=False)
    assert len(full) == 33 and (full["undefined because"].iloc[16:] == "neither coder used this code").all()
    text = lab_results.undefined_markdown(student)
    assert "Undefined because neither coder used this code** (17)" in text and "Walled garden" in text


def test_narrow_table_shortens_headers_on_the_page_only(student):
    table = lab_results.per_category_table(student)
    styler = lab_results.narrow_table(table, caption="x")
    html = styler.to_html()
    assert ">A</th>" in html and ">B</th>" in html and "agree\u00adment" in html and "unde\u00adfined" in html
    assert list(styler.data.columns) == list(table.columns)  # the data keep their names
    markdown = styler._repr_markdown_()
    assert "| A only |" in markdown and "\u00ad" not in markdown  # the PDF keeps the full headers


def test_landis_koch_table_reads_the_bands():
    table = lab_results.landis_koch_table()
    assert table["kappa"].tolist() == [
        "below 0",
        "0 to 0.20",
        "0.21 to 0.40",
        "0.41 to 0.60",
        "0.61 to 0.80",
        "0.81 to 1",
    ]
    assert table["Landis and Koch's name"].tolist() == [name for _, name in lab_results.LANDIS_KOCH]
    # each band's name is what landis_koch() says for a value inside it
    assert [lab_results.landis_koch(k) for k in (-0.1, 0.1, 0.3, 0.5, 0.7, 0.9)] == table[
        "Landis and Koch's name"
    ].tolist()


def test_paradox_rows_are_the_codes_used_once_by_one_coder(student):
    rows = lab_results.paradox_rows(student)
    # the seven codes one coder used once and the other never: 90% agreement, kappa 0
    assert len(rows) == 7
    assert (rows["agreement"] == "90.0%").all() and (rows["kappa"] == "0.00").all()
    assert (rows["used by either"] == 1).all() and (rows["both"] == 0).all()
    assert "Cultural view of work" in set(rows["code"]) and "No alternative livelihood" not in set(rows["code"])
    assert lab_results.share_neither(student) == pytest.approx(311 / 330)


def test_paradox_example_falls_back_when_the_run_has_none(student):
    reference = template.reference_codings()
    same = agreement.compare(reference, reference, list(template.excerpt_order()))
    rows, sentence = lab_results.paradox_example(same, student, "the student sheet")
    assert len(rows) == 7 and sentence.startswith("This run's comparison has no code") and "student sheet" in sentence
    rows, sentence = lab_results.paradox_example(student, same, "unused")
    assert len(rows) == 7 and sentence.startswith("In this run's comparison, 7 of the 33 codes")


def test_comparison_table_side_by_side(student):
    table = lab_results.comparison_table({"student": student, "again": student}).set_index("statistic")
    assert list(table.columns) == ["student", "again"]
    assert table.loc["excerpts", "student"] == "10" and table.loc["Cohen's kappa", "again"] == "0.63"


# ------------------------------------------------------------------------------------------ the dictionary


def test_dictionary_baseline_is_over_all_excerpts():
    auto = dictionary.dictionary_coding()
    baseline = dictionary.dictionary_baseline(auto, "code")
    assert baseline.n_excerpts == 35
    direct = agreement.compare(auto, template.reference_codings(), evidence.load_excerpts()["excerpt_id"].tolist())
    assert baseline.kappa == pytest.approx(direct.kappa)


def test_dictionary_failures_behind_the_chapter_prose():
    auto, reference = dictionary.dictionary_coding(), template.reference_codings()
    code = dictionary.dictionary_failures(auto, reference, list(template.excerpt_order()), "code").set_index("excerpt")
    # negation: EX33 is coded the opposite of what it says
    assert code.loc["EX33", "missed"] == "Short-term livelihood" and code.loc["EX33", "added"] == "Long-term potential"
    assert "career" in code.loc["EX33", "keywords matched"]
    # "of course" triggers the training keyword
    assert code.loc["EX12", "added"] == "Agency intervention" and "← course" in code.loc["EX12", "keywords matched"]
    # meaning without the words
    assert code.loc["EX31", "dictionary"] == "(none)" and code.loc["EX31", "keywords matched"] == "(no keyword matched)"
    # at the theme level the EX33 error disappears (both codes are under Futures); EX12 and EX31 stay
    theme = dictionary.dictionary_failures(auto, reference, list(template.excerpt_order()), "theme").set_index(
        "excerpt"
    )
    assert "EX33" not in theme.index and {"EX12", "EX31"} <= set(theme.index)
    brief = dictionary.dictionary_failures(auto, reference, ["EX12", "EX31", "EX33"], brief=True)
    assert list(brief.columns) == ["excerpt", "keywords matched", "reference"] and len(brief) == 3


def test_exercise_on_adding_earning_keywords():
    # Solution of exercise 4: "earn"/"earning" for financial capital would add EX04, EX07, EX28, EX30, EX31.
    excerpts, keywords = evidence.load_excerpts(), evidence.load_dictionary()
    before = dictionary.dictionary_code(excerpts, keywords)
    extra = pd.DataFrame({"code_id": ["financial_capital", "financial_capital"], "keyword": ["earn", "earning"]})
    after = dictionary.dictionary_code(excerpts, pd.concat([keywords, extra], ignore_index=True))
    had = set(before.loc[before["code_id"] == "financial_capital", "excerpt_id"])
    has = set(after.loc[after["code_id"] == "financial_capital", "excerpt_id"])
    assert has - had == {"EX04", "EX07", "EX28", "EX30", "EX31"}
    reference = template.reference_codings()
    right = set(reference.loc[reference["code_id"] == "financial_capital", "excerpt_id"])
    assert (has - had) & right == {"EX28", "EX30", "EX31"}


# ------------------------------------------------------------------------------------------ solutions' claims about the example sheet


def test_example_sheet_claims_in_the_solutions(example):
    reference = template.reference_codings()
    ids = list(template.excerpt_order())
    code = disagreements.disagreement_matrix(example, reference, ids, "code")
    assert code.loc["cultural_view_of_work", "gender_expectations"] >= 1  # EX12
    assert code.loc["sinking", "struggling"] >= 1  # EX25
    assert code.loc["struggling", "surviving"] >= 1  # EX27
    mine, theirs = template.codes_by_excerpt(example, "theme"), template.codes_by_excerpt(reference, "theme")
    assert mine["EX12"] == theirs["EX12"] == ["cultural_barriers"]  # sibling confusion vanishes
    for eid in ("EX25", "EX27"):  # the trajectory confusions vanish too...
        assert "trajectories" in mine[eid] and "trajectories" in theirs[eid], eid
    assert mine["EX27"] == theirs["EX27"]
    assert set(theirs["EX25"]) - set(mine["EX25"]) == {"platforms"}  # ...but EX25 still misses bidding
    assert mine["EX16"] != theirs["EX16"]  # the finance reading crosses themes
    full = agreement.compare_sheet(example, "reference", level="code").per_category.set_index("category")
    row = full.loc["no_employment_benefits"]
    assert (row["n_both"], row["n_a_only"], row["n_b_only"], row["n_neither"]) == (0, 0, 1, 34)
    assert row["kappa"] == pytest.approx(0.0) and row["percent_agreement"] == pytest.approx(100 * 34 / 35)
    assert reference.loc[reference["code_id"] == "no_employment_benefits", "excerpt_id"].tolist() == ["EX26"]
    theme = agreement.compare_sheet(example, "reference", level="theme")
    assert theme.kappa > agreement.compare_sheet(example, "reference", level="code").kappa


# ------------------------------------------------------------------------------------------ the disagreement matrix


def test_disagreement_matrix_of_the_student_sheet():
    # Per excerpt (student A vs reference B): EX12 cultural_view_of_work where B has gender_expectations;
    # EX28 earnings_potential where B has swimming (financial_capital agreed, not crossed); EX04 and EX20
    # A added home_based_work_women / group_work with nothing in their place; EX01, EX15, EX26, EX33 B has
    # no_alternative_livelihood, knowledge_skills_barrier, no_employment_benefits, short_term_livelihood
    # with nothing in their place. Diagonal within the focus: no_alternative_livelihood (EX04),
    # home_based_work_women and gender_expectations (EX05).
    sheet = sheets.read_sheet(STUDENT)
    m = disagreements.disagreement_matrix(sheet, template.reference_codings(), sheets.sheet_excerpts(sheet), "code")
    n = disagreements.NOTHING
    off = {(r, c): int(m.loc[r, c]) for r in m.index for c in m.columns if r != c and m.loc[r, c]}
    assert off == {
        ("cultural_view_of_work", "gender_expectations"): 1,
        ("earnings_potential", "swimming"): 1,
        ("home_based_work_women", n): 1,
        ("group_work", n): 1,
        (n, "no_alternative_livelihood"): 1,
        (n, "knowledge_skills_barrier"): 1,
        (n, "no_employment_benefits"): 1,
        (n, "short_term_livelihood"): 1,
    }
    diagonal = {c: int(m.loc[c, c]) for c in m.index if c != n and m.loc[c, c]}
    assert diagonal == {"no_alternative_livelihood": 1, "home_based_work_women": 1, "gender_expectations": 1}
    assert "financial_capital" not in m.index and "physical_vulnerability" not in m.index
    assert list(m.index) == list(m.columns) and m.index[-1] == n
    # unfocused: every category either coder used appears
    assert (
        "financial_capital"
        in disagreements.disagreement_matrix(
            sheet, template.reference_codings(), sheets.sheet_excerpts(sheet), "code", focus=False
        ).index
    )


def test_plots_draw_and_identical_codings_say_so():
    import matplotlib

    matplotlib.use("Agg")
    sheet = sheets.read_sheet(STUDENT)
    m = disagreements.disagreement_matrix(sheet, template.reference_codings(), sheets.sheet_excerpts(sheet))
    fig = disagreements.plot_disagreements(m)
    assert fig.get_size_inches()[0] <= 7.0
    assert fig.axes[0].get_ylabel().startswith("coded by")
    # the chapter names the axes as its caption does
    fig = disagreements.plot_disagreements(m, rows="the sheet", columns="the reference coding")
    assert (fig.axes[0].get_ylabel(), fig.axes[0].get_xlabel()) == ("the sheet", "the reference coding")
    reference = template.reference_codings()
    same = disagreements.disagreement_matrix(reference, reference, ["EX01"])
    fig = disagreements.plot_disagreements(same)
    assert any("no disagreements" in t.get_text() for t in fig.axes[0].texts)


# ------------------------------------------------------------------------------------------ the sheet parameter


def test_codebook_markdown_lists_every_code_under_its_theme():
    text = lab.codebook_markdown()
    counts = lab.template_counts()
    assert text.count("\n    - `") + text.startswith("    - `") == counts["code"]
    assert "  - *Push drivers*" in text and "- **Livelihood outcomes**" in text
    assert counts == {"component": 5, "theme": 12, "code": 33}


def test_sheet_path_problem_and_locate(tmp_path, monkeypatch):
    assert sheets.sheet_path_problem(STUDENT) == ""
    assert sheets.sheet_path_problem(tmp_path / "missing.csv") == "no such file"
    assert sheets.sheet_path_problem(tmp_path) == "a folder, not a file"
    monkeypatch.chdir(tmp_path)  # relative paths fall back to the repository folder
    assert sheets.locate_sheet("tests/fixtures/coding/student_sheet.csv") == STUDENT.resolve()
    local = tmp_path / "mine.csv"
    local.write_text("excerpt_id,code_id\nEX01,autonomy\n", encoding="utf-8")
    assert sheets.locate_sheet("mine.csv") == local.resolve()


def test_sheet_parameter_is_checked_by_the_one_validator(tmp_path):
    defaults = params.defaults("d2_coding_lab")
    assert defaults == {"n_excerpts": 10, "seed": 2017, "level": "code", "organisation": "all", "sheet": None}
    assert params.validate("d2_coding_lab", **{**defaults, "sheet": str(STUDENT)})["sheet"] == str(STUDENT)
    missing = str(tmp_path / "nope.csv")
    with pytest.raises(ParameterError) as err:
        params.validate("d2_coding_lab", **{**defaults, "sheet": missing})
    message = str(err.value)
    assert "\n" not in message and "'sheet'" in message and "no such file" in message
    assert "a path to an existing coding sheet (CSV)" in message
    with pytest.raises(ParameterError, match="parameter 'sheet'.*wrong type"):
        params.validate("d2_coding_lab", **{**defaults, "sheet": 3})
    assert params.parse_cli_value("d2_coding_lab", "sheet", "None") is None
    with pytest.raises(ParameterError, match="no such file"):
        params.parse_cli_value("d2_coding_lab", "sheet", missing)
