"""livelihoods.analyses.debates: evidence pointers read from the data, checked by hand against the CSV files."""

from __future__ import annotations

import pytest

from helpers import ROOT
from livelihoods import evidence
from livelihoods.analyses import debates
from livelihoods.errors import LivelihoodsError


@pytest.fixture(autouse=True)
def _real_data(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LIVELIHOODS_DATA", str(ROOT / "data"))
    evidence.clear_cache()
    yield
    evidence.clear_cache()


def test_every_question_has_two_sides_with_existing_claims_and_excerpts():
    claims = set(evidence.load_claims()["claim_id"])
    excerpts = set(evidence.load_excerpts()["excerpt_id"])
    questions = set(evidence.load_questions().query("kind == 'development'")["question_id"])
    assert set(debates.SIDES) == questions == set(debates.QUESTIONS)
    for qid, sides in debates.SIDES.items():
        assert len(sides) == 2
        for side in sides:
            assert len(side.claims) >= 3, f"{qid}: {side.position} needs at least three claims"
            assert set(side.claims) <= claims
            assert side.excerpt in excerpts
        assert not set(sides[0].claims) & set(sides[1].claims), f"{qid}: a claim cannot back both sides"


def test_pointers_join_claims_and_evidence():
    p = debates.pointers("D1").set_index("claim_id")
    # claim_evidence.csv: C26 -> EX28, EX29; C22 has no excerpt (interview_unquoted)
    assert p.loc["C26", "excerpts"] == "EX28, EX29"
    assert p.loc["C26", "voices"] == "MK – Trainee, EP; RD – Trainer, KADO"
    assert p.loc["C22", "excerpts"] == "" and p.loc["C22", "basis"] == "interview_unquoted"
    assert p.loc["C26", "side"] == 1 and p.loc["C22", "side"] == 2


def test_side_counts_by_hand():
    c = debates.side_counts("D1").set_index("side")
    first = debates.SIDES["D1"][0].position
    # side 1: C26 (EX28, EX29), C27 (EX30, EX31), C41 (EX25, EX27, EX28, EX31), C31 (EX34), C43 (EX10)
    # -> distinct EX10, EX25, EX27, EX28, EX29, EX30, EX31, EX34 = 8 excerpts; speakers EJ, AZ, NU, MK, RD, TR, WA, MU = 8
    assert c.loc[first].tolist() == [5, 8, 8]


def test_pointers_md_escapes_dollars_and_labels_sides():
    text = debates.pointers_md("D1")
    assert "**Side 1." in text and "**Side 2." in text
    assert "US\\$120" in text and "US$120" not in text.replace("US\\$120", "")
    assert "a respondent's statement the paper reports without quoting it" in text  # C22


def test_pointers_md_lists_excerpts_with_speakers_without_nested_brackets():
    import re

    text = debates.pointers_md("D1")
    # claim_evidence.csv: C26 -> EX28 (MK – Trainee, EP), EX29 (RD – Trainer, KADO)
    assert "- **C26** (§5.3): Swimmers" in text
    assert "Excerpts: EX28, MK – Trainee, EP; EX29, RD – Trainer, KADO." in text
    for line in text.splitlines():
        depth = 0
        for ch in line:
            depth += {"(": 1, ")": -1}.get(ch, 0)
            assert depth <= 1, f"nested brackets in: {line}"
    assert not re.search(r"\(claim C\d+", text)


def test_a_claim_is_given_in_full_once_then_referred_back_to():
    first = debates.first_cited()
    # C43 backs side 1 of D1 and side 1 of D3; C14 is first cited under D4 (side 1)
    assert first["C43"] == "D1" and first["C14"] == "D4"
    d1, d3 = debates.pointers_md("D1"), debates.pointers_md("D3")
    claim = evidence.load_claims().set_index("claim_id").loc["C43", "claim"]
    assert claim in d1 and claim not in d3
    line = next(line for line in d3.splitlines() if line.startswith("- **C43**"))
    assert "In full under {ref}`question 1 <debate-d1>`" in line and line.endswith("Excerpts: EX10.")
    assert "EJ – Project Manager" not in line
    # a reminder never ends inside a bracket
    assert (
        debates._shorten(
            "Earnings are reinvested in other capitals: physical (saving for a home) and human (paying for studies)."
        )
        == "Earnings are reinvested in other capitals …"
    )
    assert debates._shorten("Short claims stay whole.") == "Short claims stay whole."


def test_whole_numbers_for_money_and_people():
    import pandas as pd

    table = pd.DataFrame({"trainees": ["60.0", "12.5", "1,200.0"], "share": ["60%", "12%", "1%"]})
    assert debates.whole_numbers(table)["trainees"].tolist() == ["60", "12.5", "1,200"]
    assert debates.whole_numbers(table)["share"].tolist() == ["60%", "12%", "1%"]


def test_key_excerpts_and_unknown_question():
    assert debates.key_excerpts("D1") == ("EX30", "EX27")
    with pytest.raises(LivelihoodsError, match="D7"):
        debates.pointers("D7")


def test_prepared_by_names_chapters_by_the_books_one_short_label():
    # question_links.csv: D1 is prepared by a_rationale, e4_impact, f_conclusions
    assert debates.prepared_by("D1") == ["A · Rationale", "E4 · Impact", "F · Conclusions"]
    assert debates.prepared_by("D4") == ["E3 · Institutions"]
    md = debates.prepared_md().data
    assert md.count("\n") == 5 and "**Question 4:** chapter E3 · Institutions" in md


def test_global_uptake():
    g = debates.global_uptake().set_index("stage")["share of profiles"]
    # 14,000,000 / 163,000,000 = 0.0859; 3,300,000 / 163,000,000 = 0.0202
    assert g["ever got work"] == pytest.approx(0.08589, abs=1e-5)
    assert g["significantly active"] == pytest.approx(0.020245, abs=1e-6)
