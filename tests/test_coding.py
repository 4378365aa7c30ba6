"""The coding lab: sheets, agreement statistics, the confusion matrix and the dictionary coder.

Every agreement figure checked here is worked out by hand in the comments, with
    po    = observed agreement (units where both coders agree / all units)
    pe    = chance agreement = pA*pB + (1-pA)*(1-pB), pA and pB the share of units each coder coded
    kappa = (po - pe) / (1 - pe)
and Krippendorff's alpha for two coders, binary nominal data and no missing values:
    alpha = 1 - (2N - 1) * d / (n0 * n1)
with N units, d units where the coders disagree, n1 = values "present" pooled over both coders
(2N values in all) and n0 = 2N - n1.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from livelihoods.qda import agreement, dictionary, report, sheets, template
from livelihoods import evidence
from livelihoods.cli import main
from livelihoods.errors import LivelihoodsError, ParameterError, SheetError

FIXTURES = Path(__file__).parent / "fixtures" / "coding"
STUDENT = FIXTURES / "student_sheet.csv"


def codings(pairs: list[tuple[str, str]], coder: str = "x") -> pd.DataFrame:
    return pd.DataFrame(
        [{"excerpt_id": e, "code_id": c, "coder": coder} for e, c in pairs], columns=["excerpt_id", "code_id", "coder"]
    )


def alpha_by_hand(n_units: int, disagreements: int, n_present: int) -> float:
    n0 = 2 * n_units - n_present
    return 1 - (2 * n_units - 1) * disagreements / (n0 * n_present)


# ------------------------------------------------------------------------------------------
# Agreement statistics
# ------------------------------------------------------------------------------------------


def test_nvivo_published_example():
    # NVivo's help: 1,000 characters, 50 coded by both users, 150 by only one, 800 by neither,
    # giving 85% agreement and kappa 0.318. The help does not say how the 150 split between the
    # two users in the text, but kappa depends on it:
    #   A-only 100, B-only 50: pA = 150/1000, pB = 100/1000,
    #       pe = .15*.10 + .85*.90 = .015 + .765 = .78,  kappa = (.85 - .78) / .22 = .3182  <- NVivo's
    #   75 / 75:  pA = pB = .125, pe = .78125, kappa = .06875/.21875 = .3143
    #   150 / 0:  pA = .2, pB = .05, pe = .77,  kappa = .08/.23 = .3478
    # so NVivo's example is the 100/50 split (its worked sum is 150*100/1000 + 850*900/1000 = 780).
    a = np.array([1] * 50 + [1] * 100 + [0] * 50 + [0] * 800)
    b = np.array([1] * 50 + [0] * 100 + [1] * 50 + [0] * 800)
    result = agreement.binary_agreement(a, b)
    assert (result["n_both"], result["n_a_only"], result["n_b_only"], result["n_neither"]) == (50, 100, 50, 800)
    assert result["percent_agreement"] == pytest.approx(85.0)
    assert result["kappa"] == pytest.approx(70 / 220)
    assert round(result["kappa"], 3) == 0.318
    # alpha: N = 1000, d = 150, n1 = 150 + 100 = 250 -> 1 - 1999*150/(1750*250) = 0.3146
    assert result["alpha"] == pytest.approx(alpha_by_hand(1000, 150, 250))
    assert result["alpha"] == pytest.approx(0.314629, abs=1e-6)
    assert result["reason"] == ""

    # The same through agreement(): 1,000 excerpts and one made-up category.
    ids = [f"U{i:04d}" for i in range(1000)]
    ca = codings([(ids[i], "node") for i in range(1000) if a[i]], "A")
    cb = codings([(ids[i], "node") for i in range(1000) if b[i]], "B")
    agreed = agreement.compare(ca, cb, ids, level="code", categories=["node"])
    assert agreed.percent_agreement == pytest.approx(85.0)
    assert agreed.kappa == pytest.approx(70 / 220)
    assert agreed.per_category.loc[0, "kappa"] == pytest.approx(70 / 220)
    assert (agreed.coder_a, agreed.coder_b) == ("A", "B")


def test_small_hand_worked_example():
    # 4 excerpts, A = 1 1 0 0, B = 1 0 0 0: po = 3/4; pA = .5, pB = .25,
    # pe = .125 + .375 = .5, kappa = (.75 - .5) / .5 = .5;
    # alpha: N = 4, d = 1, n1 = 3, n0 = 5 -> 1 - 7*1/15 = 0.5333.
    result = agreement.binary_agreement([1, 1, 0, 0], [1, 0, 0, 0])
    assert result["percent_agreement"] == pytest.approx(75.0)
    assert result["kappa"] == pytest.approx(0.5)
    assert result["alpha"] == pytest.approx(1 - 7 / 15)


def test_two_categories_pooled_and_mean():
    # 4 excerpts, categories p and q.
    #   p: A = 1 1 0 0, B = 1 0 0 0  -> kappa .5 (above), alpha 8/15
    #   q: A = 0 0 1 0, B = 0 0 1 1  -> po = .75; pA = .25, pB = .5; pe = .125+.375 = .5; kappa .5
    # pooled over 8 units: A = 1 1 0 0 0 0 1 0 (3), B = 1 0 0 0 0 0 1 1 (3), both 2, disagree 2
    #   po = 6/8 = .75; pA = pB = 3/8; pe = 9/64 + 25/64 = 34/64; kappa = (48-34)/(64-34) = 14/30
    #   alpha: N = 8, d = 2, n1 = 6, n0 = 10 -> 1 - 15*2/60 = .5
    ids = ["e1", "e2", "e3", "e4"]
    a = codings([("e1", "p"), ("e2", "p"), ("e3", "q")], "A")
    b = codings([("e1", "p"), ("e3", "q"), ("e4", "q")], "B")
    result = agreement.compare(a, b, ids, categories=["p", "q"])
    per = result.per_category.set_index("category")
    assert per.loc["p", "kappa"] == pytest.approx(0.5)
    assert per.loc["q", "kappa"] == pytest.approx(0.5)
    assert result.percent_agreement == pytest.approx(75.0)
    assert result.kappa == pytest.approx(14 / 30)
    assert result.alpha == pytest.approx(0.5)
    assert result.mean_kappa == pytest.approx(0.5)
    assert result.n_defined == 2 and result.n_units == 8


def test_identical_codings_give_one():
    reference = template.reference_codings()
    ids = evidence.load_excerpts()["excerpt_id"].tolist()
    for level in ("code", "theme"):
        result = agreement.compare(reference, reference, ids, level=level)
        assert result.kappa == pytest.approx(1.0)
        assert result.alpha == pytest.approx(1.0)
        assert result.percent_agreement == pytest.approx(100.0)
        defined = result.per_category[result.per_category["reason"] == ""]
        assert len(defined) > 0
        assert np.allclose(defined["kappa"], 1.0) and np.allclose(defined["alpha"], 1.0)
        assert result.mean_kappa == pytest.approx(1.0)
        undefined = result.per_category[result.per_category["reason"] != ""]
        # A category the reference never used is undefined, not 1 (and not 0).
        assert undefined["kappa"].isna().all() and undefined["alpha"].isna().all()
        assert (undefined["reason"] == f"neither coder used this {level}").all()
    # the reference leaves some codes unused, so the undefined case is real here
    assert len(set(template.level_categories("code")) - set(reference["code_id"])) > 0


def test_undefined_cases_are_nan_with_a_reason():
    # neither coder used it: pe = 1, De = 0 -> both undefined
    neither = agreement.binary_agreement([0, 0, 0], [0, 0, 0])
    assert math.isnan(neither["kappa"]) and math.isnan(neither["alpha"])
    assert neither["reason"] == "neither coder used this code"
    assert neither["percent_agreement"] == 100.0  # agreement itself is defined
    # both coders used it on every excerpt: also no variation
    everywhere = agreement.binary_agreement([1, 1, 1], [1, 1, 1], noun="theme")
    assert math.isnan(everywhere["kappa"]) and math.isnan(everywhere["alpha"])
    assert everywhere["reason"] == "both coders used this theme on every excerpt"
    # one coder used it on every excerpt and the other on none: *defined*, total disagreement.
    #   po = 0, pA = 1, pB = 0, pe = 0 -> kappa = 0;  alpha: N = 3, d = 3, n1 = 3, n0 = 3
    #   -> 1 - 5*3/9 = -2/3 (alpha goes below 0 for systematic disagreement)
    opposite = agreement.binary_agreement([1, 1, 1], [0, 0, 0])
    assert opposite["reason"] == ""
    assert opposite["kappa"] == pytest.approx(0.0)
    assert opposite["alpha"] == pytest.approx(-2 / 3)
    # one coder used it everywhere, the other on some: pe = po -> kappa 0, defined
    some = agreement.binary_agreement([1, 1, 1, 1], [1, 0, 0, 0])
    assert some["kappa"] == pytest.approx(0.0) and some["reason"] == ""


def test_pooled_undefined_when_nobody_coded_anything():
    empty = codings([])
    result = agreement.compare(empty, empty, ["e1", "e2"], categories=["p", "q"])
    assert math.isnan(result.kappa) and math.isnan(result.alpha)
    assert result.reason == "neither coder used any code"
    assert math.isnan(result.mean_kappa) and result.n_defined == 0
    text = report.format_report(result)
    assert "undefined (neither coder used any code)" in text
    # the categories neither coder used fold into one line instead of a row each
    assert "2 codes used by neither coder (kappa and alpha undefined): p, q" in text
    assert "undefined (neither coder used this code)" not in text


def test_agreement_rejects_an_empty_sample_and_stray_categories():
    with pytest.raises(ParameterError, match="sample is empty"):
        agreement.compare(codings([]), codings([]), [], categories=["p"])
    with pytest.raises(ParameterError, match="'z'"):
        agreement.compare(codings([("e1", "z")]), codings([]), ["e1"], categories=["p"])


# ------------------------------------------------------------------------------------------
# The student's sheet (fixture with deliberate disagreements) against the reference
# ------------------------------------------------------------------------------------------
#
# The sheet codes 10 excerpts; the reference coding of them, and the student's:
#   EX01 ref: physical_vulnerability, no_alternative_livelihood   student: physical_vulnerability
#   EX04 ref: no_alternative_livelihood                           student: + home_based_work_women
#   EX05 ref: home_based_work_women, gender_expectations          student: the same (one cell, two codes)
#   EX08 ref: infrastructure_barrier                              student: the same
#   EX12 ref: gender_expectations                                 student: cultural_view_of_work
#   EX15 ref: platform_constraints, knowledge_skills_barrier      student: platform_constraints
#   EX20 ref: peer_support                                        student: + group_work
#   EX26 ref: no_employment_benefits, illness_risk                student: illness_risk
#   EX28 ref: swimming, financial_capital                         student: financial_capital, earnings_potential
#   EX33 ref: short_term_livelihood                               student: listed, no code
#
# Code level, N = 10 excerpts per code (A = student, B = reference):
#   both 1, neither 9 (physical_vulnerability, infrastructure_barrier, platform_constraints,
#     peer_support, illness_risk, financial_capital): kappa = alpha = 1
#   both 1 + one coder alone 1, neither 8 (no_alternative_livelihood [B], home_based_work_women [A],
#     gender_expectations [B]): po = .9, pA/pB = .1 and .2, pe = .02 + .72 = .74,
#     kappa = .16/.26 = .6154; alpha: d = 1, n1 = 3, n0 = 17 -> 1 - 19/51 = .6275
#   one coder alone once, neither 9 (cultural_view_of_work, group_work, earnings_potential [A];
#     knowledge_skills_barrier, no_employment_benefits, swimming, short_term_livelihood [B]):
#     po = .9, pe = 0*.1 + 1*.9 = .9 -> kappa 0; alpha: d = 1, n1 = 1, n0 = 19 -> 1 - 19/19 = 0
#   the other 33 - 16 = 17 codes: neither coder used them -> undefined
# Pooled over 10 x 33 = 330 units: A coded 13, B 15, both 9, A only 4, B only 6, neither 311.
#   po = 320/330 = 96.97%; pe = (13*15 + 317*315)/330^2 = 100050/108900;
#   kappa = (105600 - 100050)/(108900 - 100050) = 5550/8850 = .6271;
#   alpha: N = 330, d = 10, n1 = 28, n0 = 632 -> 1 - 659*10/(632*28) = .6276
# Mean kappa over the 16 defined codes: (6*1 + 3*.6154 + 7*0)/16 = .4904
STUDENT_CODE_LEVEL = {
    "physical_vulnerability": (1, 0, 0, 9, 1.0, 1.0),
    "infrastructure_barrier": (1, 0, 0, 9, 1.0, 1.0),
    "platform_constraints": (1, 0, 0, 9, 1.0, 1.0),
    "peer_support": (1, 0, 0, 9, 1.0, 1.0),
    "illness_risk": (1, 0, 0, 9, 1.0, 1.0),
    "financial_capital": (1, 0, 0, 9, 1.0, 1.0),
    "no_alternative_livelihood": (1, 0, 1, 8, 0.16 / 0.26, 1 - 19 / 51),
    "home_based_work_women": (1, 1, 0, 8, 0.16 / 0.26, 1 - 19 / 51),
    "gender_expectations": (1, 0, 1, 8, 0.16 / 0.26, 1 - 19 / 51),
    "cultural_view_of_work": (0, 1, 0, 9, 0.0, 0.0),
    "group_work": (0, 1, 0, 9, 0.0, 0.0),
    "earnings_potential": (0, 1, 0, 9, 0.0, 0.0),
    "knowledge_skills_barrier": (0, 0, 1, 9, 0.0, 0.0),
    "no_employment_benefits": (0, 0, 1, 9, 0.0, 0.0),
    "swimming": (0, 0, 1, 9, 0.0, 0.0),
    "short_term_livelihood": (0, 0, 1, 9, 0.0, 0.0),
}
STUDENT_EXCERPTS = ["EX01", "EX04", "EX05", "EX08", "EX12", "EX15", "EX20", "EX26", "EX28", "EX33"]


def test_student_sheet_reads_with_the_excerpt_coded_with_nothing():
    sheet = sheets.read_sheet(STUDENT)
    assert list(sheet.columns) == ["excerpt_id", "code_id", "coder", "note"]
    assert len(sheet) == 13
    assert (sheet["coder"] == "student_sheet").all()
    assert sheets.sheet_excerpts(sheet) == STUDENT_EXCERPTS  # EX33 is in the sample, with no code
    assert "EX33" not in set(sheet["excerpt_id"])
    assert sheet.loc[sheet["excerpt_id"] == "EX01", "note"].item() == "mountains, no industry"


def test_student_sheet_against_reference_code_level():
    result = agreement.compare_sheet(sheets.read_sheet(STUDENT), "reference", level="code")
    assert list(result.excerpt_ids) == STUDENT_EXCERPTS
    per = result.per_category.set_index("category")
    assert len(per) == 33
    for code, (both, a_only, b_only, neither, kappa, alpha) in STUDENT_CODE_LEVEL.items():
        row = per.loc[code]
        assert (row["n_both"], row["n_a_only"], row["n_b_only"], row["n_neither"]) == (both, a_only, b_only, neither), (
            code
        )
        assert row["kappa"] == pytest.approx(kappa), code
        assert row["alpha"] == pytest.approx(alpha), code
        assert row["reason"] == ""
    unused = per.drop(index=list(STUDENT_CODE_LEVEL))
    assert len(unused) == 17
    assert unused["kappa"].isna().all() and (unused["reason"] == "neither coder used this code").all()
    assert result.n_units == 330
    assert result.percent_agreement == pytest.approx(100 * 320 / 330)
    assert result.kappa == pytest.approx(5550 / 8850)
    assert result.alpha == pytest.approx(1 - 659 * 10 / (632 * 28))
    assert result.mean_kappa == pytest.approx((6 + 3 * 0.16 / 0.26) / 16)
    assert result.n_defined == 16


# Theme level (12 themes). Student themes: EX01 vulnerability; EX04 push_drivers (two codes, one
# theme); EX05 push_drivers, cultural_barriers; EX08 asset_barriers; EX12 cultural_barriers;
# EX15 platforms; EX20 freelancer_networks; EX26 precarity; EX28 capital_outcomes, pull_drivers.
# Reference adds push_drivers on EX01, asset_barriers on EX15, trajectories on EX28, futures on EX33.
#   push_drivers: both 2, B only 1, neither 7: po = .9, pA = .2, pB = .3, pe = .06 + .56 = .62,
#     kappa = .28/.38 = .7368; alpha: d = 1, n1 = 5, n0 = 15 -> 1 - 19/75 = .7467
#   asset_barriers: both 1, B only 1: kappa .6154, alpha .6275 (as above)
#   cultural_barriers: both 2 (EX12's confusion of two codes vanishes at theme level): 1, 1
#   pull_drivers [A], trajectories, futures [B]: 0, 0; development_agencies: undefined
# Pooled over 120 units: A 11, B 14, both 10, A only 1, B only 4, neither 105.
#   po = 115/120; pe = (11*14 + 109*106)/14400 = 11708/14400; kappa = 2092/2692 = .7771
#   alpha: N = 120, d = 5, n1 = 25, n0 = 215 -> 1 - 239*5/(215*25) = .7777
def test_student_sheet_against_reference_theme_level():
    result = agreement.compare_sheet(sheets.read_sheet(STUDENT), "reference", level="theme")
    per = result.per_category.set_index("category")
    assert len(per) == 12
    assert tuple(per.loc["push_drivers", ["n_both", "n_a_only", "n_b_only", "n_neither"]]) == (2, 0, 1, 7)
    assert per.loc["push_drivers", "kappa"] == pytest.approx(0.28 / 0.38)
    assert per.loc["push_drivers", "alpha"] == pytest.approx(1 - 19 / 75)
    assert per.loc["asset_barriers", "kappa"] == pytest.approx(0.16 / 0.26)
    assert per.loc["cultural_barriers", "kappa"] == pytest.approx(1.0)
    assert per.loc["pull_drivers", "kappa"] == pytest.approx(0.0)
    assert per.loc["development_agencies", "reason"] == "neither coder used this theme"
    assert result.percent_agreement == pytest.approx(100 * 115 / 120)
    assert result.kappa == pytest.approx(2092 / 2692)
    assert result.alpha == pytest.approx(1 - 239 * 5 / (215 * 25))


def test_cli_agreement_prints_the_report(capsys):
    assert main(["agreement", str(STUDENT)]) == 0
    out = capsys.readouterr().out
    assert "A = student_sheet, B = reference" in out
    assert "the 10 excerpts listed in the sheet; the other 25 of the 35" in out
    assert "percent agreement     97.0%" in out
    assert "Cohen's kappa         0.627" in out
    assert "Krippendorff's alpha  0.628" in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ") and line.split()}
    assert lines["no_alternative_livelihood"].split()[1:] == ["1", "0", "1", "8", "90.0%", "0.615", "0.627"]
    assert lines["cultural_view_of_work"].split()[1:] == ["0", "1", "0", "9", "90.0%", "0.000", "0.000"]
    # the 17 codes neither coder used take one line, not a row each
    (unused,) = [line for line in out.splitlines() if "used by neither coder" in line]
    assert unused.strip().startswith("17 codes used by neither coder")
    assert "walled_garden" in out.split("used by neither coder", 1)[1] and "walled_garden" not in lines
    assert "undefined (neither coder used this code)" not in out
    # lowest kappa first
    order = [
        line.split()[0]
        for line in out.splitlines()[
            out.splitlines().index(next(line for line in out.splitlines() if line.startswith("Per code"))) + 2 :
        ]
        if line.startswith("  ")
    ]
    assert order.index("cultural_view_of_work") < order.index("no_alternative_livelihood") < order.index("peer_support")


# Where the student's sheet and the reference differ (see the table above): every excerpt but EX05 and EX08.
STUDENT_DIFFERENCES = {
    "EX01": ((["physical_vulnerability"], [], ["no_alternative_livelihood"])),
    "EX04": ((["no_alternative_livelihood"], ["home_based_work_women"], [])),
    "EX12": (([], ["cultural_view_of_work"], ["gender_expectations"])),
    "EX15": ((["platform_constraints"], [], ["knowledge_skills_barrier"])),
    "EX20": ((["peer_support"], ["group_work"], [])),
    "EX26": ((["illness_risk"], [], ["no_employment_benefits"])),
    "EX28": ((["financial_capital"], ["earnings_potential"], ["swimming"])),
    "EX33": (([], [], ["short_term_livelihood"])),
}


def test_per_excerpt_feedback_lists_exactly_the_differences():
    from livelihoods.qda import disagreements

    sheet = sheets.read_sheet(STUDENT)
    result = agreement.compare_sheet(sheet)
    diffs = disagreements.differences(result, disagreements.sheet_notes(sheet))
    got = {d.excerpt_id: (sorted(d.both), sorted(d.only_a), sorted(d.only_b)) for d in diffs}
    assert got == {e: tuple(sorted(x) for x in v) for e, v in STUDENT_DIFFERENCES.items()}
    notes = {d.excerpt_id: d.note for d in diffs}
    assert (
        notes["EX12"] == "read this as about what counts as proper work" and notes["EX33"] == "not sure which code fits"
    )
    assert notes["EX15"] == ""
    # the counts of the per-category table follow from the same differences
    per = result.per_category.set_index("category")
    assert per["n_a_only"].sum() == sum(len(v[1]) for v in STUDENT_DIFFERENCES.values())
    assert per["n_b_only"].sum() == sum(len(v[2]) for v in STUDENT_DIFFERENCES.values())


def test_cli_agreement_lists_the_differences_excerpt_by_excerpt(capsys):
    assert main(["agreement", str(STUDENT)]) == 0
    out = capsys.readouterr().out
    section = out.split("Where the codings differ", 1)[1].split("Per code", 1)[0]
    assert section.startswith(": 8 of 10 excerpts")
    listed = [line.split()[0] for line in section.splitlines() if line.startswith("  EX")]
    assert listed == list(STUDENT_DIFFERENCES)
    definitions = dict(zip(evidence.load_codebook()["code_id"], evidence.load_codebook()["definition"]))
    block = section.split("  EX12", 1)[1].split("  EX15", 1)[0]
    assert "only A gave: cultural_view_of_work (" in block and "only B gave: gender_expectations (" in block
    flat = " ".join(block.split())
    assert " ".join(definitions["gender_expectations"].split()) in flat
    assert " ".join(definitions["cultural_view_of_work"].split()) in flat
    assert "A's note: read this as about what counts as proper work" in flat
    ex12 = evidence.load_excerpts().set_index("excerpt_id").loc["EX12", "text"]
    assert " ".join(ex12.split()[:12]) in flat and " ".join(ex12.split()) not in flat
    assert main(["agreement", str(STUDENT), "--full"]) == 0
    full = " ".join(capsys.readouterr().out.split())
    assert " ".join(ex12.split()) in full


def test_agreement_accepts_the_projects_own_codings_file(capsys):
    from livelihoods.paths import data_dir

    assert main(["agreement", str(data_dir() / "codings.csv")]) == 0
    out = capsys.readouterr().out
    assert "percent agreement     100.0%" in out and "Where the codings differ: 0 of 35 excerpts" in out


def test_an_unknown_extra_column_is_still_refused(tmp_path, capsys):
    sheet = tmp_path / "s.csv"
    sheet.write_text(
        "excerpt_id,code_id,salience,confidence\nEX01,physical_vulnerability,primary,high\n", encoding="utf-8"
    )
    assert main(["agreement", str(sheet)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "unexpected column 'confidence'" in err


def test_cli_agreement_theme_level_and_against_another_sheet(tmp_path, capsys):
    assert main(["agreement", str(STUDENT), "--level", "theme"]) == 0
    out = capsys.readouterr().out
    assert "Coding agreement at the theme level" in out and "Cohen's kappa         0.777" in out
    other = tmp_path / "partner.csv"
    other.write_text(
        "excerpt_id,code_id\nEX01,physical_vulnerability\nEX04,no_alternative_livelihood\nEX30,human_capital\n",
        encoding="utf-8",
    )
    assert main(["agreement", str(STUDENT), "--against", str(other)]) == 0
    out = capsys.readouterr().out
    assert "A = student_sheet, B = partner" in out
    # only EX01 and EX04 are in both sheets; A's extra home_based_work_women on EX04 is the one disagreement
    assert "the 2 excerpts listed in both sheets; left out: 8 listed only in A's sheet, 1 only in B's sheet" in out


def test_cli_bad_sheet_exits_2_with_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("excerpt_id,code_id\nEX01,physical_vulnerability\nEX99,autonomy\n", encoding="utf-8")
    assert main(["agreement", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("livelihoods agreement: error:") and "line 3" in err and "EX99" in err
    assert main(["agreement", str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------
# Reading sheets: what is accepted, and every error
# ------------------------------------------------------------------------------------------


def write(tmp_path: Path, content: str | bytes, name: str = "sheet.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_spreadsheet_export_bom_semicolon_crlf_is_accepted(tmp_path):
    # a note containing the delimiter is quoted, as spreadsheet programs do; ';;' is an empty row
    text = 'excerpt_id;code_id;note\r\n EX01 ; physical_vulnerability ;"mountains; no industry"\r\n\r\nEX02;politico_economic_vulnerability;\r\n;;\r\n'
    path = write(tmp_path, "\ufeff".encode("utf-8") + text.encode("utf-8"))
    sheet = sheets.read_sheet(path)
    assert sheet[["excerpt_id", "code_id"]].values.tolist() == [
        ["EX01", "physical_vulnerability"],
        ["EX02", "politico_economic_vulnerability"],
    ]
    assert sheet["note"].tolist() == ["mountains; no industry", ""]


def test_several_codes_in_one_cell_and_columns_in_any_order(tmp_path):
    path = write(tmp_path, 'code_id,excerpt_id,coder\n"autonomy, role_models",EX06,ali\nearnings_potential,EX07,ali\n')
    sheet = sheets.read_sheet(path)
    assert sheet[["excerpt_id", "code_id"]].values.tolist() == [
        ["EX06", "autonomy"],
        ["EX06", "role_models"],
        ["EX07", "earnings_potential"],
    ]
    assert (sheet["coder"] == "ali").all()


BAD_SHEETS = {
    # name: (content, expected message fragments)
    "empty": ("", ["is empty", "excerpt_id,code_id"]),
    "blank_lines_only": ("\n\n  \n", ["is empty"]),
    "header_only": ("excerpt_id,code_id\n", ["has a header but no codings", "add one line per excerpt and code"]),
    "no_codes_filled_in": ("excerpt_id,code_id\nEX01,\nEX02,\n", ["lists 2 excerpt(s) but no code_id is filled in"]),
    "wrong_header": (
        "excerpt,code\nEX01,autonomy\n",
        ["line 1", "has no column 'excerpt_id'", "a coding sheet has the columns excerpt_id and code_id"],
    ),
    "unexpected_column": ("excerpt_id,code_id,theme\nEX01,autonomy,x\n", ["line 1", "unexpected column 'theme'"]),
    "no_header": (
        "EX01,autonomy\nEX02,role_models\n",
        ["line 1", "starts with data, not a header", "insert the line 'excerpt_id,code_id'"],
    ),
    "unknown_excerpt": (
        "excerpt_id,code_id\nEX01,autonomy\n\nEX36,autonomy\n",
        ["line 4", "unknown excerpt id 'EX36'", "EX01..EX35"],
    ),
    "lowercase_excerpt": (
        "excerpt_id,code_id\nex01,autonomy\n",
        ["line 2", "unknown excerpt id 'ex01'", "did you mean 'EX01'"],
    ),
    "empty_excerpt": ("excerpt_id,code_id\n,autonomy\n", ["line 2", "the excerpt_id is empty"]),
    "unknown_code": (
        "excerpt_id,code_id\nEX01,atonomy\n",
        ["line 2", "unknown code id 'atonomy'", "did you mean 'autonomy'"],
    ),
    "theme_not_leaf": (
        "excerpt_id,code_id\nEX01,pull_drivers\n",
        ["line 2", "'pull_drivers' is a theme, not a code", "autonomy, role_models, earnings_potential"],
    ),
    "component_not_leaf": (
        "excerpt_id,code_id\nEX01,livelihood_outcomes\n",
        ["'livelihood_outcomes' is a component", "sinking, struggling"],
    ),
    "label_not_id": (
        "excerpt_id,code_id\nEX01,Physical vulnerability\n",
        ["line 2", "is a label, not a code id", "'physical_vulnerability'"],
    ),
    "duplicate_row": (
        "excerpt_id,code_id\nEX01,autonomy\nEX02,autonomy\nEX01, autonomy\n",
        ["line 4", "EX01 is coded 'autonomy' twice (first on line 2)", "delete one of the two"],
    ),
    "duplicate_in_cell": (
        "excerpt_id,code_id\nEX01,autonomy autonomy\n",
        ["line 2", "twice (earlier on the same line)"],
    ),
    "extra_field": (
        "excerpt_id,code_id\nEX01,autonomy,free to choose\n",
        ["line 2", "has 3 fields but the header has 2", "double quotes"],
    ),
    "two_coders": (
        "excerpt_id,code_id,coder\nEX01,autonomy,ali\nEX02,autonomy,sara\n",
        ["line 3", "a second coder 'sara'", "a sheet of their own"],
    ),
    "repeated_column": ("excerpt_id,code_id,code_id\nEX01,autonomy,autonomy\n", ["line 1", "'code_id' twice"]),
}


@pytest.mark.parametrize("name", sorted(BAD_SHEETS))
def test_bad_sheet_gives_one_clear_line(tmp_path, name):
    content, fragments = BAD_SHEETS[name]
    path = write(tmp_path, content, f"{name}.csv")
    with pytest.raises(SheetError) as err:
        sheets.read_sheet(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_not_utf8_names_the_line_and_the_fix(tmp_path):
    path = write(tmp_path, "excerpt_id,code_id,note\nEX01,autonomy,ok\nEX02,autonomy,caf\xe9\n".encode("cp1252"))
    with pytest.raises(SheetError, match=r"line 3: is not UTF-8 text .*save the sheet as 'CSV UTF-8'"):
        sheets.read_sheet(path)
    utf16 = write(tmp_path, "excerpt_id,code_id\nEX01,autonomy\n".encode("utf-16"), "u16.csv")
    with pytest.raises(SheetError, match="UTF-16.*CSV UTF-8"):
        sheets.read_sheet(utf16)
    xlsx = write(tmp_path, b"PK\x03\x04rest-of-a-zip", "book.xlsx")
    with pytest.raises(SheetError, match="workbook"):
        sheets.read_sheet(xlsx)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(SheetError, match="no such file"):
        sheets.read_sheet(tmp_path / "nope.csv")
    with pytest.raises(SheetError, match="is a folder"):
        sheets.read_sheet(tmp_path)


# ------------------------------------------------------------------------------------------
# Blank sheets and the sample
# ------------------------------------------------------------------------------------------


def test_sample_is_deterministic_sorted_and_filtered():
    first = sheets.sample_excerpts(8, seed=3)
    assert first == sheets.sample_excerpts(8, seed=3)
    assert first != sheets.sample_excerpts(8, seed=4)
    order = dict(zip(evidence.load_excerpts()["excerpt_id"], evidence.load_excerpts()["order"]))
    assert [order[e] for e in first] == sorted(order[e] for e in first)
    assert len(set(first)) == 8
    table = evidence.excerpts_with_respondents().set_index("excerpt_id")
    ep = sheets.sample_excerpts(2, seed=1, organisation="EP")
    assert (table.loc[ep, "organisation"] == "EP").all()
    n_ep = int((table["organisation"] == "EP").sum())
    with pytest.raises(ParameterError, match=f"more than the {n_ep} excerpts from EP: choose at most {n_ep}"):
        sheets.sample_excerpts(n_ep + 1, seed=1, organisation="EP")
    with pytest.raises(ParameterError, match="organisation"):
        sheets.sample_excerpts(3, seed=1, organisation="UN")
    with pytest.raises(ParameterError, match="at least 1"):
        sheets.sample_excerpts(0, seed=1)


def test_blank_sheets_round_trip(tmp_path):
    ids = ["EX02", "EX07"]
    assert sheets.blank_sheet(ids) == "excerpt_id,code_id,note\nEX02,,\nEX07,,\n"
    wide = sheets.blank_sheet_text(ids)
    assert wide.splitlines()[0] == "excerpt_id,attribution,text,code_id,note"
    assert "government is not doing much investment" in wide
    path = sheets.write_blank_sheet(tmp_path / "wide.csv", ids, wide=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads the curly quotes
    with pytest.raises(LivelihoodsError, match="exists.*force=True"):
        sheets.write_blank_sheet(path, ids)
    # a student fills in the wide form in a spreadsheet: codes in the code_id cell
    filled = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    filled.loc[0, "code_id"] = "politico_economic_vulnerability"
    filled.loc[1, "code_id"] = "role_models earnings_potential"
    filled.to_csv(path, index=False, encoding="utf-8-sig")
    sheet = sheets.read_sheet(path)
    assert sheet[["excerpt_id", "code_id"]].values.tolist() == [
        ["EX02", "politico_economic_vulnerability"],
        ["EX07", "role_models"],
        ["EX07", "earnings_potential"],
    ]
    long = sheets.write_blank_sheet(tmp_path / "long.csv", ids)
    assert sheets.write_blank_sheet(long, ids[:1], force=True).read_text() == "excerpt_id,code_id,note\nEX02,,\n"
    with pytest.raises(ParameterError, match="unknown excerpt id 'EX99'"):
        sheets.blank_sheet(["EX99"])


# ------------------------------------------------------------------------------------------
# Levels and presence
# ------------------------------------------------------------------------------------------


def test_to_level_merges_codes_of_one_theme():
    c = codings([("EX04", "no_alternative_livelihood"), ("EX04", "home_based_work_women"), ("EX06", "autonomy")])
    themes = template.to_level(c, "theme")
    assert themes[["excerpt_id", "code_id"]].values.tolist() == [["EX04", "push_drivers"], ["EX06", "pull_drivers"]]
    assert template.to_level(c, "component")["code_id"].tolist() == ["vulnerability_context", "livelihood_strategies"]
    with pytest.raises(ParameterError, match="level 'node'"):
        template.to_level(c, "node")


def test_presence_matrix():
    m = agreement.presence_matrix(codings([("e1", "p"), ("e3", "q"), ("e9", "p")]), ["e1", "e2", "e3"], ["p", "q"])
    assert m.values.tolist() == [[1, 0], [0, 0], [0, 1]]  # e9 is outside the sample


# ------------------------------------------------------------------------------------------
# The dictionary coder
# ------------------------------------------------------------------------------------------


def test_dictionary_is_data_with_leaf_codes():
    keywords = evidence.load_dictionary()
    assert list(keywords.columns[:2]) == ["code_id", "keyword"]
    leaves = set(template.level_categories("code"))
    assert set(keywords["code_id"]) == leaves  # every leaf has keywords, and only leaves
    assert (keywords["keyword"] == keywords["keyword"].str.lower().str.strip()).all()
    assert not keywords.duplicated(["code_id", "keyword"]).any()


def test_dictionary_coder_is_deterministic_and_codes_leaves():
    excerpts, keywords = evidence.load_excerpts(), evidence.load_dictionary()
    first = dictionary.dictionary_code(excerpts, keywords)
    pd.testing.assert_frame_equal(first, dictionary.dictionary_code(excerpts, keywords))
    assert set(first["code_id"]) <= set(template.level_categories("code"))
    assert (first["coder"] == "dictionary").all()
    assert not first.duplicated(["excerpt_id", "code_id"]).any()
    result = agreement.compare(first, template.reference_codings(), excerpts["excerpt_id"].tolist())
    assert -1 <= result.kappa <= 1 and result.kappa < 1  # a baseline, not a perfect coder


def test_dictionary_matching_rules():
    keywords = pd.DataFrame(
        {
            "code_id": ["autonomy", "knowledge_skills_barrier", "group_work"],
            "keyword": ["free", "don't know", "share projects"],
        }
    )
    excerpts = pd.DataFrame(
        {
            "excerpt_id": ["a", "b", "c", "d"],
            "text": ["Freelancing pays.", "We DON\u2019T KNOW how.", "I am free now", "we share\n projects"],
        }
    )
    coded = dictionary.dictionary_code(excerpts, keywords)
    # 'free' is a whole word: not inside 'Freelancing'; curly apostrophe matches "don't"; any spacing in phrases
    assert coded[["excerpt_id", "code_id"]].values.tolist() == [
        ["b", "knowledge_skills_barrier"],
        ["c", "autonomy"],
        ["d", "group_work"],
    ]
    assert coded["keywords"].tolist() == ["don't know", "free", "share projects"]
    assert excerpts.loc[1, "text"] == "We DON\u2019T KNOW how."  # the text itself is never changed
