"""Claims and their evidence (livelihoods.analyses.conclusions): counts checked against hand-worked cases.

Two kinds of case: small hand-built tables, where every count can be read off the fixture, and
the real evidence base, where the expected numbers were worked out by reading data/claims.csv,
data/claim_evidence.csv and data/respondents.csv by hand (the working is in each comment).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from livelihoods import evidence
from livelihoods.book import chapter
from livelihoods.analyses import claims, conclusions, conclusions_charts
from livelihoods.errors import ParameterError

# ------------------------------------------------------------------------------------------ fixtures


@pytest.fixture()
def toy():
    """Two findings and a conclusion on RQ1, one finding on RQ2, four excerpts from three people.

    C01 (finding, RQ1, theme t1)   <- E1 supports, E2 illustrates
    C02 (finding, RQ1, theme t2)   <- E3 supports, E4 qualifies (not counted)
    C03 (finding, RQ2, theme t1)   <- E1 supports
    C09 (conclusion, RQ1, theme t1)<- E3 supports
    Speakers: E1 AA (trainee), E2 AA (trainee), E3 BB (trainer), E4 CC (trainee).
    Views: C01 supports v digital_sweatshop; C02 challenges it; C03 challenges deinstitutionalisation.
    """
    cl = pd.DataFrame(
        {
            "claim_id": ["C01", "C02", "C03", "C09"],
            "kind": ["finding", "finding", "finding", "conclusion"],
            "research_question": ["RQ1", "RQ1", "RQ2", "RQ1"],
            "theme_id": ["t1", "t2", "t1", "t1"],
            "claim": ["one", "two", "three", "nine"],
            "literature_view": ["digital_sweatshop", "digital_sweatshop", "deinstitutionalisation", None],
            "stance": ["supports", "challenges", "challenges", None],
            "evidence_basis": ["interview"] * 4,
        }
    )
    links = pd.DataFrame(
        {
            "claim_id": ["C01", "C01", "C02", "C02", "C03", "C09"],
            "excerpt_id": ["E1", "E2", "E3", "E4", "E1", "E3"],
            "relation": ["supports", "illustrates", "supports", "qualifies", "supports", "supports"],
        }
    )
    speakers = pd.DataFrame(
        {
            "excerpt_id": ["E1", "E2", "E3", "E4"],
            "initials": ["AA", "AA", "BB", "CC"],
            "group": ["trainee", "trainee", "trainer", "trainee"],
        }
    )
    return cl, links, speakers


# ------------------------------------------------------------------------------------------ counting


def test_excerpts_behind_counts_supports_and_illustrates_not_qualifies(toy):
    cl, links, speakers = toy
    assert claims.excerpts_behind(["C01"], links) == ["E1", "E2"]
    assert claims.excerpts_behind(["C02"], links) == ["E3"]  # E4 only qualifies C02
    assert claims.excerpts_behind(["C01", "C03"], links) == ["E1", "E2"]  # E1 counted once


def test_voices_are_people_not_quotations(toy):
    _, _, speakers = toy
    voices, groups = claims.voices_and_groups(["E1", "E2"], speakers)
    assert voices == ["AA"] and groups == ["trainee"]  # two quotations, one voice
    voices, groups = claims.voices_and_groups(["E1", "E3", "E4"], speakers)
    assert voices == ["AA", "BB", "CC"] and groups == ["trainee", "trainer"]


def test_evidence_for_against_toy(toy):
    cl, links, speakers = toy
    out = claims.evidence_for_against(claims=cl, links=links, speakers=speakers)
    assert len(out) == 2 * len(claims.VIEWS)  # every view, both sides, zeros kept
    row = out.set_index(["view", "side"])
    # for digital_sweatshop: C01 -> E1, E2 -> one voice (AA)
    assert row.loc[("digital_sweatshop", "for"), ["claims", "excerpts", "voices"]].tolist() == [1, 2, 1]
    # against digital_sweatshop: C02 -> E3 (E4 only qualifies)
    assert row.loc[("digital_sweatshop", "against"), ["claims", "excerpts", "voices"]].tolist() == [1, 1, 1]
    assert row.loc[("deinstitutionalisation", "against"), "claim_ids"] == "C03"
    assert row.loc[("relative_earnings", "for"), "claims"] == 0


def test_evidence_for_against_restricted_to_some_claims(toy):
    cl, links, speakers = toy
    out = claims.evidence_for_against(["C02"], claims=cl, links=links, speakers=speakers)
    assert out["claims"].sum() == 1
    assert out.set_index(["view", "side"]).loc[("digital_sweatshop", "for"), "claims"] == 0


def test_evidence_for_against_real_deinstitutionalisation():
    # claims.csv: deinstitutionalisation/challenges = C13, C15, C16, C17, C18, C39 (6); none supports it.
    # claim_evidence (supports/illustrates): C13 EX17 EX10 EX22; C15 EX17-19; C16 EX10 EX24 EX23;
    # C17 none; C18 EX20-22; C39 EX10 EX20 EX22 -> EX10 EX17 EX18 EX19 EX20 EX21 EX22 EX23 EX24 (9)
    # speakers: EJ (EX10, EX23) SK (EX17) YA (EX18, EX22) RE (EX19) MU (EX20) NU (EX21) MK (EX24) -> 7
    row = claims.evidence_for_against().set_index(["view", "side"])
    assert row.loc[("deinstitutionalisation", "against"), ["claims", "excerpts", "voices"]].tolist() == [6, 9, 7]
    assert row.loc[("deinstitutionalisation", "for"), "claims"] == 0
    # digital_sweatshop: C24 supports (EX26), C38 challenges (EX17-19)
    assert row.loc[("digital_sweatshop", "for"), "excerpt_ids"] == "EX26"
    assert row.loc[("digital_sweatshop", "against"), "excerpt_ids"] == "EX17, EX18, EX19"


# ------------------------------------------------------------------------------------------ findings -> conclusions


def test_findings_supporting_rule_toy(toy):
    cl, links, _ = toy
    # C09 (RQ1, t1, E3): C01 shares the theme; C02 shares E3 (supports); C03 is RQ2 -> excluded
    assert claims.findings_supporting("C09", cl, links) == ["C01", "C02"]


def test_findings_supporting_ignores_qualifying_links(toy):
    cl, links, _ = toy
    cl = cl.copy()
    cl.loc[cl["claim_id"] == "C01", "theme_id"] = "t3"  # C01 no longer shares the theme
    links = links.copy()
    links.loc[(links["claim_id"] == "C09"), "excerpt_id"] = "E4"  # C02 holds E4 only as 'qualifies'
    assert claims.findings_supporting("C09", cl, links) == []


def test_findings_supporting_real():
    # C38: RQ2, theme institutions, excerpts EX17-19. Same theme: C13, C19. Shared excerpt: C13 (EX17), C15.
    assert claims.findings_supporting("C38") == ["C13", "C15", "C19"]
    # C36: RQ2, cultural_barriers, EX14 -> C11, C12 by theme; EX14 also backs C12.
    assert claims.findings_supporting("C36") == ["C11", "C12"]
    assert claims.findings_supporting("C45") == []  # the conclusion about the framework answers no RQ


def test_findings_supporting_errors():
    with pytest.raises(ParameterError, match="'C99' is not in claims.csv"):
        claims.findings_supporting("C99")
    with pytest.raises(ParameterError, match="is a finding, not a conclusion"):
        claims.findings_supporting("C13")


# ------------------------------------------------------------------------------------------ audit


def test_audit_toy(toy):
    cl, links, speakers = toy
    out = conclusions.audit("all", cl, links, speakers).set_index("claim_id")
    assert list(out.index) == ["C09", "C01", "C02"]  # conclusion, then its findings
    # C09 pools its own E3 with C01 (E1, E2) and C02 (E3): E1 E2 E3 -> AA, BB; trainee, trainer
    assert out.loc["C09", ["n_excerpts", "n_voices", "n_groups"]].tolist() == [3, 2, 2]
    assert out.loc["C09", "linked"] == "backed by C01, C02"
    assert out.loc["C01", "flags"] == "one voice, one group"
    assert out.loc["C02", "linked"] == "backs C09"


def test_audit_finding_backing_two_conclusions_appears_once(toy):
    cl, links, speakers = toy
    extra = pd.DataFrame(
        {
            "claim_id": ["C08"],
            "kind": ["conclusion"],
            "research_question": ["RQ1"],
            "theme_id": ["t2"],
            "claim": ["eight"],
            "literature_view": [None],
            "stance": [None],
            "evidence_basis": ["paper_argument"],
        }
    )
    cl = pd.concat([cl, extra], ignore_index=True)
    out = conclusions.audit("RQ1", cl, links, speakers)
    assert out["claim_id"].tolist().count("C02") == 1  # backs C08 (theme t2) and C09 (shared E3)
    assert out.set_index("claim_id").loc["C02", "linked"] == "backs C09, C08"


def test_audit_real_rows_and_flags():
    out = conclusions.audit().set_index("claim_id")
    assert (out["kind"] == "conclusion").sum() == len(evidence.load_claims().query("kind == 'conclusion'"))
    # C34 <- C06 (EX06, YA trainer) and C07 (EX07, HU trainee), plus its own EX06, EX07
    assert out.loc["C34", ["n_voices", "n_groups", "groups"]].tolist() == [2, 2, "trainee; trainer"]
    assert out.loc["C45", "flags"] == conclusions.FLAG_NO_QUOTE
    assert out.loc["C06", "flags"] == "one voice, one group"


def test_audit_filters_by_research_question():
    out = conclusions.audit("RQ1")
    assert set(out.loc[out["kind"] == "conclusion", "claim_id"]) == {"C33", "C34"}
    assert set(out["research_question"]) == {"RQ1"}


def test_bad_research_question_is_one_clear_line():
    with pytest.raises(ParameterError, match=r"research_question 'RQ4' is not allowed: expected one of 'all', 'RQ1'"):
        conclusions.audit("RQ4")


def test_flags_and_below():
    assert conclusions.flags(0, 0, 0) == [conclusions.FLAG_NO_QUOTE]
    assert conclusions.flags(3, 1, 1) == [conclusions.FLAG_ONE_VOICE, conclusions.FLAG_ONE_GROUP]
    assert conclusions.flags(3, 2, 1) == [conclusions.FLAG_ONE_GROUP]
    assert conclusions.flags(3, 2, 2) == []
    df = pd.DataFrame({"n_voices": [0, 1, 2, 5]})
    assert conclusions.below(df, 2).index.tolist() == [0, 1]
    assert conclusions.below(df, 5).index.tolist() == [0, 1, 2]
    for bad in (0, True, 2.5):
        with pytest.raises(ParameterError, match="min_voices"):
            conclusions.below(df, bad)


def test_audit_summary_counts_rows():
    df = pd.DataFrame(
        {
            "kind": ["conclusion", "finding", "finding"],
            "n_voices": [3, 1, 0],
            "flags": ["", "one voice, one group", conclusions.FLAG_NO_QUOTE],
        }
    )
    assert conclusions.audit_summary(df, 2) == {
        "conclusions": 1,
        "findings": 2,
        "below": 2,
        "conclusions_below": 0,
        "one_voice": 1,
        "one_group": 1,
        "no_quote": 1,
    }


def test_audit_table_marks_low_rows_in_text_not_only_colour():
    audit = conclusions.audit("RQ1")
    html = conclusions.audit_table(audit, 3, caption="x").to_html()
    assert "fewer than 3 voices" in html  # C34 has 2 voices: marked in words
    assert "#FBE3C8" in html  # and shaded
    assert "fewer than" not in conclusions.audit_table(audit, 1, caption="x").to_html()


def test_audit_table_is_three_columns_and_keeps_excerpts_and_flags():
    # narrow enough for a phone: id, the claim with its excerpts and flags, voices / groups
    audit = conclusions.audit("RQ1")
    styler = conclusions.audit_table(audit, 3, caption="x")
    assert list(styler.data.columns) == ["claim", "in our words, with its excerpts", "voices / groups"]
    rows = styler.data.set_index("claim")
    # C02 rests on EX02 alone: one voice, one group (audit rows above, by hand from claim_evidence.csv)
    c02 = rows.loc["↳ C02"]
    assert "excerpts: EX02" in c02.iloc[0] and "flag: one voice, one group" in c02.iloc[0]
    assert c02.iloc[1] == "1 / 1" and rows.loc["C33"].iloc[1] == "4 / 2"
    html = styler.to_html()
    assert "<br>" in html and "flag: one voice, one group" in html
    assert chapter_md_has_no_html(styler._repr_markdown_())


def chapter_md_has_no_html(text: str) -> bool:
    return "<br>" not in text and "<span" not in text


# ------------------------------------------------------------------------------------------ coverage and rendering


def test_code_coverage_real():
    # codings.csv: human_capital primary on EX23, EX24, EX30, EX31; financial_capital secondary on
    # EX28-EX31; nothing is coded social_capital or physical_capital.
    cov = conclusions.code_coverage(
        ["human_capital", "social_capital", "physical_capital", "financial_capital"]
    ).set_index("code_id")
    assert cov["total"].tolist() == [4, 0, 0, 4]
    assert cov.loc["financial_capital", ["primary", "secondary"]].tolist() == [0, 4]
    assert cov.loc["human_capital", "excerpts"] == "EX23, EX24, EX30, EX31"
    with pytest.raises(ParameterError, match="'nope' is not in codebook.csv"):
        conclusions.code_coverage(["nope"])


def test_research_questions_are_quoted_verbatim():
    rqs = evidence.load_research_questions()
    md = conclusions.research_questions_md()
    for text in rqs["text"]:
        assert text in md
    assert "RQ2" in conclusions.research_questions_md("RQ2") and "RQ1" not in conclusions.research_questions_md("RQ2")


def test_answers_md_lists_only_the_chosen_question():
    md = conclusions.answers_md("RQ2")
    assert "**C38.**" in md and "**C33.**" not in md
    assert evidence.load_research_questions().set_index("rq_id").loc["RQ2", "text_in_conclusions"] in md


def test_dollar_signs_cannot_start_maths():
    assert claims.md_text("US$1 to US$3") == "US\\$1 to US\\$3"
    md = conclusions.evidence_md("RQ3")  # C41 quotes EX28 ("$250 to $300"), C28 says "US$4" and "US$30"
    assert "$" in md and "$" not in md.replace("\\$", "")


def test_evidence_md_quotes_own_evidence_with_annotations():
    md = conclusions.evidence_md("RQ1")
    assert md.count(":::{dropdown}") == 2  # C33, C34
    ex = evidence.load_excerpts().set_index("excerpt_id", drop=False)
    assert chapter.quote_md(ex.loc["EX06"]).replace("$", "\\$") in md
    assert "*Annotation (supports):* Autonomy." in md
    assert "its evidence basis is `paper_argument`" in conclusions.evidence_md("all")  # C45


def test_numbers_real():
    n = conclusions.numbers()
    assert (n["n_social"], n["n_physical"], n["n_human"]) == (0, 0, 4)
    assert n["n_futures"] == 3  # EX33, EX34, EX35
    assert n["years_in_oo"] == 1 and n["n_interviews"] == 29 and n["n_quoted"] == 16
    assert conclusions.numbers("RQ1", 3)["n_conclusions"] == 2


def test_plots_use_hatches_and_labels():
    from livelihoods.analyses import institutions

    fig = claims.plot_for_against(claims.evidence_for_against(institutions.claims_about("all")), title="t")
    assert any(p.get_hatch() for ax in fig.axes for p in ax.patches)
    fig = conclusions_charts.plot_audit(conclusions.audit(), 3)
    assert any(p.get_hatch() for p in fig.axes[0].patches)
    # the threshold in the reader's words, not the parameter's name; whole-number ticks for counts of people
    assert "threshold: 3 voices" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert all(float(t).is_integer() for t in fig.axes[0].get_xticks())
    assert conclusions_charts.threshold_label(1) == "threshold: 1 voice"
    fig = conclusions_charts.plot_coverage(conclusions.code_coverage(conclusions.LIMITS_CODES), title="t")
    assert any("no excerpt" in t.get_text() for t in fig.axes[0].texts)
    import matplotlib.pyplot as plt

    plt.close("all")
