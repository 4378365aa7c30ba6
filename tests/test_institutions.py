"""The institutional forces of section 5.2 (livelihoods.analyses.institutions), checked by hand against data/.

Expected values were read off data/codebook.csv, data/codings.csv, data/claim_evidence.csv,
data/figures.csv and data/context.csv; the working is in the comments.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from livelihoods import evidence
from livelihoods.analyses import institutions
from livelihoods.errors import ParameterError


def test_force_codes_follow_the_codebook():
    assert institutions.force_codes("platforms") == [
        "platform_constraints",
        "platform_improvements",
        "bidding_competition",
    ]
    assert institutions.force_codes("development_agencies") == ["agency_intervention", "walled_garden"]
    assert institutions.force_codes("freelancer_networks") == ["peer_support", "group_work"]
    assert len(institutions.force_codes("all")) == 7


def test_bad_force_is_one_clear_line():
    with pytest.raises(ParameterError, match=r"force 'banks' is not allowed: expected one of 'all', 'platforms'"):
        institutions.force_codes("banks")
    with pytest.raises(ParameterError, match="neither a force nor a leaf code"):
        institutions.excerpts_for("institutions")  # a component, not a force or leaf
    with pytest.raises(ParameterError, match="salience"):
        institutions.excerpts_for("platforms", salience="main")


def test_excerpts_for_reads_the_reference_coding():
    # platform_constraints: EX15, EX16; platform_improvements: EX17-19 (all primary);
    # bidding_competition: EX25, EX27 (secondary)
    assert institutions.excerpts_for("platforms", salience="primary") == ["EX15", "EX16", "EX17", "EX18", "EX19"]
    assert institutions.excerpts_for("platforms", salience="secondary") == ["EX25", "EX27"]
    # agency_intervention only as secondary content of EX10, EX23, EX24; walled_garden none
    assert institutions.excerpts_for("development_agencies", salience="primary") == []
    assert institutions.excerpts_for("development_agencies") == ["EX10", "EX23", "EX24"]
    assert institutions.excerpts_for("freelancer_networks") == ["EX20", "EX21", "EX22"]


def test_excerpts_for_on_a_toy_coding_keeps_paper_order():
    toy = pd.DataFrame(
        {
            "excerpt_id": ["EX22", "EX20"],
            "code_id": ["group_work", "peer_support"],
            "coder": ["x", "x"],
            "salience": ["primary", "secondary"],
        }
    )
    assert institutions.excerpts_for("freelancer_networks", codings=toy) == ["EX20", "EX22"]
    assert institutions.excerpts_for("freelancer_networks", salience="primary", codings=toy) == ["EX22"]


def test_section_5_2_excerpts_are_all_under_a_force():
    """Every excerpt the guide files under E3 is coded under one of the three forces (so the chapter quotes it)."""
    ex = evidence.load_excerpts()
    e3 = set(ex.loc[ex["guide_section"] == "E3", "excerpt_id"])
    assert e3 and e3 <= set(institutions.excerpts_for("all"))


def test_coding_counts():
    counts = institutions.coding_counts().set_index("code_id")
    assert counts.loc["walled_garden", "total"] == 0
    assert counts.loc["agency_intervention", ["primary", "secondary"]].tolist() == [0, 3]
    assert counts.loc["platform_improvements", "excerpts"] == "EX17, EX18, EX19"
    assert (counts["total"] == counts["primary"] + counts["secondary"]).all()


def test_claims_about_freelancer_networks():
    # theme freelancer_networks: C18. Excerpts EX20-22 back C18 (all three), C13 (EX22), C39 (EX20, EX22).
    assert institutions.claims_about("freelancer_networks") == ["C13", "C18", "C39"]


def test_claims_about_all_includes_institutions_theme():
    ids = institutions.claims_about("all")
    assert {"C13", "C19", "C37", "C38", "C39"} <= set(ids)  # theme 'institutions'
    assert "C24" not in ids  # illness and benefits: no institutional force


def test_minimum_rate_against_the_platform_record():
    rate = institutions.minimum_rate()
    # figures.csv F29 = 1, F30 = 3 (EX19); context.csv UPWORK.MIN.HOURLY = 3.0 in 2014, from 2014-11-19
    assert (rate["before"], rate["after"], rate["excerpt"]) == (1.0, 3.0, "EX19")
    assert (rate["record"], rate["record_year"], rate["record_from"]) == (3.0, 2014, "from 2014-11-19")
    assert "Upwork support page" in rate["record_source"]


def test_platform_changes_cover_every_improvement_excerpt():
    table = institutions.platform_changes()
    assert set(table["excerpt"]) == set(institutions.excerpts_for("platform_improvements"))
    rate_row = table[table["excerpt"] == "EX19"].iloc[0]
    assert rate_row["change (our words)"] == "Minimum hourly rate raised from US$1 to US$3"
    assert "2014-11-19" in rate_row["platform's own record"]
    others = table[table["excerpt"] != "EX19"]
    assert others["platform's own record"].str.startswith("no dated platform source").all()
    attributions = evidence.load_excerpts().set_index("excerpt_id")["attribution"]
    assert (table["reported by"] == table["excerpt"].map(attributions)).all()


def test_claims_table_has_view_and_stance():
    t = institutions.claims_table("platforms").set_index("claim")
    t.index = [i.split()[0] for i in t.index]  # "C15 (§5.2)" -> "C15"
    assert t.loc["C15", "view"] == "de-institutionalisation" and t.loc["C15", "stance"] == "challenges"
    assert t.loc["C14", "view"] == "–"


def test_claims_table_compact_fits_three_columns():
    t = institutions.claims_table("platforms", compact=True).set_index("claim")
    assert list(t.columns) == ["in our words", "excerpts"]
    full = institutions.claims_table("platforms").set_index("claim")
    assert list(t.index) == list(full.index)
    c15 = t.loc["C15 (§5.2)", "in our words"]
    assert c15.startswith(full.loc["C15 (§5.2)", "in our words"])  # the claim's words, then the stance
    assert c15.endswith("(Recorded stance: challenges the de-institutionalisation view.)")
    assert t.loc["C14 (§5.2)", "in our words"] == full.loc["C14 (§5.2)", "in our words"]  # no view: no remark


def test_numbers():
    n = institutions.numbers("freelancer_networks")
    assert n["rate_record_date"] == "19 November 2014"
    assert (n["rate_before"], n["rate_after"]) == (1, 3) and isinstance(n["rate_before"], int)
    assert n["n_section_excerpts"] == 8  # EX15-EX22
    assert n["n_section_voices"] == 6  # WA, YA, SK, RE, MU, NU
    assert n["kpk_target"] == 40000 and n["n_walled"] == 0
    assert (n["force_claims"], n["force_for"], n["force_against"]) == (3, 0, 3)
    assert n["force_label"] == "freelancers' own networks"


def test_plot_coding_names_groups_and_hatches_secondary():
    fig = institutions.plot_coding(institutions.coding_counts(), force="platforms")
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    for force in institutions.FORCES:
        assert institutions.short_label(force) in texts  # groups named, not only coloured
    assert "0: no excerpt" in texts
    assert any(p.get_hatch() == "//" and p.get_width() > 0 for p in ax.patches)
    # no gridline strikes through a count: none along the bars, and text masks the vertical ones
    assert not any(line.get_visible() for line in ax.get_ygridlines())
    assert all(t.get_bbox_patch() is not None for t in ax.texts)
    import matplotlib.pyplot as plt

    plt.close("all")
