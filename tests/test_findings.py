"""Shared analyses of the findings (livelihoods.analyses.findings), checked against hand-worked cases.

The expected values below were worked out by hand from data/codings.csv, excerpts.csv,
respondents.csv, claims.csv, claim_evidence.csv and barrier_actors.csv; a second set of tests
edits a copy of the data to show that the analyses follow the reference coding.
"""

from __future__ import annotations

import re
import shutil

import pytest

from helpers import ROOT
from livelihoods import evidence
from livelihoods.analyses import barriers, drivers, findings
from livelihoods.book import registry
from livelihoods.errors import ParameterError


@pytest.fixture(autouse=True)
def _real_data(monkeypatch):
    monkeypatch.setenv("LIVELIHOODS_DATA", str(ROOT / "data"))
    evidence.clear_cache()
    yield
    evidence.clear_cache()


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A writable copy of data/ that the loaders read instead of the real one."""
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    monkeypatch.setenv("LIVELIHOODS_DATA", str(copy))
    evidence.clear_cache()
    return copy


def add_codings(folder, *rows: str) -> None:
    with open(folder / "codings.csv", "a", encoding="utf-8") as f:
        for row in rows:
            f.write(row + "\n")
    evidence.clear_cache()


# --------------------------------------------------------------------------- codebook helpers


def test_leaves_under_theme_component_and_code():
    assert findings.leaves_under("push_drivers") == ["no_alternative_livelihood", "home_based_work_women"]
    assert findings.leaves_under("pull_drivers") == ["autonomy", "role_models", "earnings_potential"]
    assert findings.leaves_under("autonomy") == ["autonomy"]
    assert findings.leaves_under("vulnerability_context") == [
        "physical_vulnerability",
        "politico_economic_vulnerability",
        "no_alternative_livelihood",
        "home_based_work_women",
    ]


def test_leaves_under_unknown_code_is_one_clear_line():
    with pytest.raises(ParameterError, match=r"'autonmy' is not in data/codebook.csv") as err:
        findings.leaves_under("autonmy")
    assert "\n" not in str(err.value)


def test_barrier_parameter_choices_match_the_codebook():
    """registry.BARRIERS is typed out for the registry; it must stay equal to the codebook's barrier codes."""
    assert list(registry.BARRIERS) == ["all", *barriers.barrier_codes()]
    assert barriers.barrier_codes() == [
        "infrastructure_barrier",
        "knowledge_skills_barrier",
        "finance_payments_barrier",
        "gender_expectations",
        "cultural_view_of_work",
    ]


# --------------------------------------------------------------------------- excerpts for a code


def test_excerpt_ids_follow_the_coding_in_paper_order():
    assert findings.excerpt_ids("push_drivers") == ["EX01", "EX04", "EX05"]  # EX01 as secondary content
    assert findings.excerpt_ids("cultural_barriers") == ["EX05", "EX12", "EX13", "EX14"]
    assert findings.excerpt_ids(barriers.BARRIER_THEMES, guide_section="E2") == [
        "EX08",
        "EX09",
        "EX10",
        "EX11",
        "EX12",
        "EX13",
        "EX14",
    ]


def test_organisation_filter_keeps_only_that_organisations_speakers():
    assert findings.excerpt_ids(drivers.DRIVER_THEMES, "EP") == ["EX03"]  # SK, EP's project manager
    assert findings.excerpt_ids(drivers.DRIVER_THEMES, "World Bank") == ["EX05"]  # AL, printed "WB"
    assert findings.excerpt_ids("pull_drivers", "EP") == []


def test_unknown_organisation_is_refused():
    with pytest.raises(ParameterError, match=r"organisation 'NUST' is not allowed: expected one of 'all'"):
        findings.coded_excerpts("push_drivers", "NUST")


def test_every_guide_section_excerpt_is_reached_by_its_chapters_themes():
    """E1's and E2's themes reach every excerpt the educators' guide files under E1 and E2."""
    ex = evidence.load_excerpts()
    for section, themes in (("E1", drivers.DRIVER_THEMES), ("E2", barriers.BARRIER_THEMES)):
        wanted = set(ex.loc[ex["guide_section"] == section, "excerpt_id"])
        assert wanted <= set(findings.excerpt_ids(themes)), section


# --------------------------------------------------------------------------- quotations


def test_quotations_quote_once_then_point_back():
    q = findings.Quotations()
    first = q.markdown("role_models")
    assert "> …RA (a famous blogger in the region)" in first and "— HU – Trainee, KADO" in first
    again = q.markdown("earnings_potential")  # EX07 is also coded earnings_potential (secondary)
    assert again.startswith("*Also coded here:* excerpt EX07 (HU – Trainee, KADO)")
    assert "*Role models*" in again and "famous blogger" not in again


def test_quotations_flag_secondary_codings_with_their_main_code():
    q = findings.Quotations()
    text = q.markdown("gender_expectations")  # EX12 (primary) first, then EX05 (secondary, main code home-based work)
    assert text.index("EX12") < text.index("secondary content") < text.index("EX05")
    assert "secondary content" in text and "mainly for “home-based work for women”.*" in text
    assert "— AL– Project Lead, WB" in text  # attribution exactly as printed


def test_quotations_put_the_excerpt_mainly_about_a_code_first():
    """A chapter's lead-in ("An ex-trainee puts it plainly:") is followed by its quote, not by a pointer."""
    q = findings.Quotations()
    q.markdown("physical_vulnerability")  # quotes EX01
    text = q.markdown("no_alternative_livelihood")  # EX01 (secondary, already quoted) and EX04 (primary)
    assert text.startswith("> Everyone wants to get the government job")
    assert text.index("excerpt EX04") < text.index("*Also coded here:* excerpt EX01")


def test_sic_note_follows_the_quote_with_the_missing_dash():
    q = findings.Quotations()
    text = q.markdown("role_models")
    assert "(c. US\\$12,00015,000)" in text  # the quotation itself stays as printed
    assert text.endswith(
        "excerpt EX07)\n\n*[sic: the paper prints the range without its dash; read US\\$12,000–15,000]*"
    )


def test_quotations_say_so_when_a_filter_leaves_nothing():
    text = findings.Quotations("EP").markdown("autonomy")
    assert text == "*No published excerpt from EP respondents carries the code “Autonomy” in the reference coding.*"


def test_quotations_refuse_a_theme():
    with pytest.raises(ParameterError, match="is a theme or component"):
        findings.Quotations().markdown("pull_drivers")


def test_quotations_follow_a_changed_coding(data_copy):
    add_codings(data_copy, "EX06,role_models,reference,secondary")
    q = findings.Quotations()
    q.markdown("autonomy")
    assert "excerpt EX06 (YA – Trainer and Freelancer, KADO), quoted above under *Autonomy*" in q.markdown(
        "role_models"
    )


# --------------------------------------------------------------------------- code by group


def test_code_group_matrix_hand_worked():
    m = findings.code_group_matrix(drivers.DRIVER_THEMES)
    assert list(m.columns) == ["trainee", "ex-trainee", "trainer", "project manager or coordinator", "project lead"]
    assert list(m.index) == [c for t in drivers.DRIVER_THEMES for c in findings.leaves_under(t)]
    # EX02 (EJ) and EX03 (SK), both project managers
    assert m.loc["politico_economic_vulnerability"].to_dict() == {
        "trainee": 0,
        "ex-trainee": 0,
        "trainer": 0,
        "project manager or coordinator": 2,
        "project lead": 0,
    }
    # EX01 (RE, coordinator, secondary) and EX04 (HA, ex-trainee)
    assert m.loc["no_alternative_livelihood", "ex-trainee"] == 1
    assert m.loc["no_alternative_livelihood", "project manager or coordinator"] == 1
    assert int(m.to_numpy().sum()) == 9  # 7 excerpts, EX01 and EX07 carry two driver codes each


def test_code_group_matrix_filtered_keeps_its_shape_with_zeros():
    m = findings.code_group_matrix(drivers.DRIVER_THEMES, "World Bank")
    assert m.shape == (7, 5)
    assert int(m.to_numpy().sum()) == 1 and m.loc["home_based_work_women", "project lead"] == 1


def test_code_group_matrix_counts_people_or_excerpts():
    excerpts = findings.code_group_matrix("cultural_view_of_work")
    people = findings.code_group_matrix("cultural_view_of_work", count="respondents")
    assert excerpts.loc["cultural_view_of_work", "trainee"] == 2  # EX13 (HU), EX14 (MU)
    assert people.loc["cultural_view_of_work", "trainee"] == 2
    infra = findings.code_group_matrix("infrastructure_barrier")
    assert infra.loc["infrastructure_barrier", "trainer"] == 1  # EX08 (SA)
    with pytest.raises(ParameterError, match="count 'voices' is not allowed"):
        findings.code_group_matrix("autonomy", count="voices")


def test_voices_by_theme_hand_worked():
    t = findings.voices_by_theme(drivers.DRIVER_THEMES).set_index("theme")
    assert t.loc["Vulnerability", "excerpts"] == 3 and t.loc["Vulnerability", "people"] == 3
    assert t.loc["Vulnerability", "groups"] == "project manager or coordinator"
    assert t.loc["Push drivers", "excerpts"] == 3 and t.loc["Push drivers", "people"] == 3
    assert t.loc["Pull drivers", "groups"] == "trainee, trainer"


def test_plot_code_group_matrix_draws_every_cell():
    import matplotlib.pyplot as plt

    m = findings.code_group_matrix(drivers.DRIVER_THEMES, "EP")
    fig = findings.plot_code_group_matrix(m, "Drivers", organisation="EP")
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == m.size + len(drivers.DRIVER_THEMES)  # a count in every cell, a name per theme
    assert {"Vulnerability", "Push", "Pull"} <= set(texts) and texts.count("0") == m.size - 1
    assert ax.get_title(loc="left").endswith("\nEP respondents only")
    plt.close(fig)


@pytest.mark.parametrize("themes", [drivers.DRIVER_THEMES, barriers.BARRIER_THEMES])
def test_plot_code_group_matrix_group_names_never_touch(themes):
    """The column names ("trainee", "ex-trainee", "trainer"...) keep a gap on every line, even on a phone.

    Each line of a name is measured on its own: a long last line ("coordinator") may reach under a
    neighbour's column, where that neighbour has no line, but lines at the same height must not meet.
    """
    import matplotlib.pyplot as plt

    fig = findings.plot_code_group_matrix(findings.code_group_matrix(themes), "Matrix")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    spans = []
    for tick in fig.axes[0].get_xticklabels():
        box = tick.get_window_extent(renderer)
        centre = (box.x0 + box.x1) / 2
        widths = [
            renderer.get_text_width_height_descent(line, tick.get_fontproperties(), ismath=False)[0]
            for line in tick.get_text().split("\n")
        ]
        spans.append([(centre - w / 2, centre + w / 2) for w in widths])
    gaps = [right[0] - left[1] for a, b in zip(spans, spans[1:]) for left, right in zip(a, b)]
    assert min(gaps) >= 5, gaps  # pixels at 96 dpi; "traineeex-trainee" had about 2
    plt.close(fig)


# --------------------------------------------------------------------------- claims


def test_claims_for_research_question_and_themes():
    assert findings.claims_for(research_question="RQ1") == [
        "C01",
        "C02",
        "C03",
        "C04",
        "C05",
        "C06",
        "C07",
        "C33",
        "C34",
    ]
    assert findings.claims_for(themes=["cultural_barriers"]) == ["C11", "C12", "C36"]


def test_evidence_audit_hand_worked():
    a = findings.evidence_audit(["C04", "C36", "C34"]).set_index("claim")
    assert a.loc["C04", "excerpts"] == "EX01, EX04" and a.loc["C04", "voices"] == 2 and a.loc["C04", "groups"] == 2
    assert a.loc["C36", "excerpts"] == "EX14" and a.loc["C36", "basis"] == "paper argument"
    assert a.loc["C34", "voices"] == 2  # YA (EX06) and HU (EX07)
    ep = findings.evidence_audit(["C04", "C33"], "EP").set_index("claim")
    assert ep.loc["C04", "excerpts"] == "–" and ep.loc["C04", "voices"] == 0
    assert ep.loc["C33", "excerpts"] == "EX03"


def test_evidence_audit_compact_folds_the_counts():
    a = findings.evidence_audit(["C04", "C36"], compact=True).set_index("claim")
    assert list(a.columns) == ["what the paper finds (our words)", "basis", "evidence"]
    assert a.loc["C04 (§5.1)", "evidence"] == "EX01, EX04 (2 voices, 2 groups)"
    assert a.loc["C36 (§6)", "evidence"] == "EX14 (1 voice, 1 group)"
    assert findings.evidence_audit(["C04"], "EP", compact=True)["evidence"].tolist() == ["–"]


def test_evidence_audit_unknown_claim():
    with pytest.raises(ParameterError, match="claim 'C99' is not in data/claims.csv"):
        findings.evidence_audit(["C99"])


# --------------------------------------------------------------------------- barriers and actors


def _cell(ev, barrier, actor):
    return set(ev.loc[(ev["barrier_code"] == barrier) & (ev["actor"] == actor), "evidence"])


def test_barrier_actor_evidence_hand_worked():
    ev = barriers.barrier_actor_evidence()
    assert _cell(ev, "knowledge_skills_barrier", "development_agencies") == {"C16", "EX10"}
    assert _cell(ev, "knowledge_skills_barrier", "freelancer_networks") == {"C18", "EX20"}
    assert _cell(ev, "finance_payments_barrier", "platforms") == {"C15", "EX18"}
    assert _cell(ev, "gender_expectations", "nobody") == {"C36", "EX12"}
    # EX08 reaches the cell through C37's evidence links, not through barrier_actors.csv
    assert _cell(ev, "infrastructure_barrier", "nobody") == {"C37", "EX08"}
    src = ev.set_index(["barrier_code", "actor", "evidence"])["source"]
    assert src[("infrastructure_barrier", "nobody", "EX08")] == "claim evidence"
    # EX15 carries knowledge_skills_barrier and platform_constraints: a problem, not a remedy
    assert _cell(ev, "knowledge_skills_barrier", "platforms") == set()


def test_barrier_actor_matrix_counts_and_ids():
    counts = barriers.barrier_actor_matrix()
    ids = barriers.barrier_actor_matrix(what="ids")
    assert list(counts.index) == barriers.barrier_codes()
    assert list(counts.columns) == ["platforms", "development_agencies", "freelancer_networks", "local_banks", "nobody"]
    assert counts.loc["infrastructure_barrier", "development_agencies"] == 1
    assert counts.loc["cultural_view_of_work"].to_dict() == {
        "platforms": 0,
        "development_agencies": 0,
        "freelancer_networks": 0,
        "local_banks": 0,
        "nobody": 2,
    }
    assert ids.loc["knowledge_skills_barrier", "development_agencies"] == "C16, EX10"
    assert ids.loc["gender_expectations", "platforms"] == ""
    with pytest.raises(ParameterError, match="what 'list' is not allowed"):
        barriers.barrier_actor_matrix(what="list")


def test_co_coding_counts_remedies_only(data_copy):
    """A new coding that puts a remedy on a barrier excerpt adds a cell; a platform problem does not."""
    add_codings(data_copy, "EX08,peer_support,reference,secondary", "EX09,platform_constraints,reference,secondary")
    ev = barriers.barrier_actor_evidence()
    assert _cell(ev, "infrastructure_barrier", "freelancer_networks") == {"EX08"}
    assert _cell(ev, "infrastructure_barrier", "platforms") == set()


def test_barrier_summary_contrasts_asset_and_cultural():
    s = barriers.barrier_summary().set_index("barrier")
    assert s.loc["Infrastructure barrier", "addressed by"] == "development agencies"
    assert s.loc["Knowledge and skills barrier", "actors"] == 2
    assert s.loc["Finance and payments barrier", "addressed by"] == "platforms, local banks (added)"
    assert list(s.loc[s["kind"] == "cultural", "actors"]) == [0, 0]
    assert (
        s.loc["Infrastructure barrier", "also nobody"] == "yes"
        and s.loc["Knowledge and skills barrier", "also nobody"] == "no"
    )


def test_barrier_dossier_one_barrier_and_errors():
    d = barriers.barrier_dossier("finance_payments_barrier")
    assert set(d["evidence"]) == {"C15", "EX18", "C10", "EX11"}
    assert set(d["actor"]) == {"platforms", "local banks (added)"}
    row = d.set_index("evidence").loc["EX11"]
    assert row["what it says"] == "Excerpt from YA – Trainer, KADO (§5.1)"
    assert len(barriers.barrier_dossier("all")) == len(barriers.barrier_actor_evidence())
    with pytest.raises(
        ParameterError, match="barrier 'wifi' is not allowed: expected 'all' or one of infrastructure_barrier"
    ):
        barriers.barrier_dossier("wifi")


def test_barrier_dossier_md_lists_each_piece_under_its_barrier():
    text = barriers.barrier_dossier_md("infrastructure_barrier")
    assert text.startswith("% evidence dossier\n\n**Infrastructure barrier** (asset barrier)")
    assert (
        "- *nobody* (linked to that claim in claim_evidence.csv): excerpt **EX08** (SA – Trainer, KADO, §5.1)" in text
    )
    assert text.count("\n- ") == 3  # C16, C37, EX08
    # entries named in barrier_actors.csv carry no source note (the chapter says so once)
    assert "- *development agencies*: claim **C16**: " in text and "barrier_actors.csv" not in text
    everything = barriers.barrier_dossier_md()
    assert all(f"**{findings.label(b)}**" in everything for b in barriers.barrier_codes())
    with pytest.raises(ParameterError, match="barrier 'wifi' is not allowed"):
        barriers.barrier_dossier_md("wifi")


def test_plot_barrier_actor_matrix_spotlight():
    import matplotlib.pyplot as plt

    counts, ids = barriers.barrier_actor_matrix(), barriers.barrier_actor_matrix(what="ids")
    fig = barriers.plot_barrier_actor_matrix(counts, ids, spotlight="gender_expectations")
    ax = fig.axes[0]
    assert ax.get_yticklabels()[3].get_fontweight() == "bold"
    # a cell says how much evidence it holds in words, not ids (issue 18); the ids are in the table beside it
    assert any(t.get_text() == "2" for t in ax.texts)
    assert not any(re.search(r"\b(?:EX|C)\d\d\b", t.get_text()) for t in ax.texts)
    table = barriers.barrier_actor_table(ids)
    row = table[(table["barrier"] == findings.label("gender_expectations")) & (table["claims"] == "C36")]
    assert list(row["excerpts"]) == ["EX12"]
    assert barriers.evidence_count("C16, EX10, EX11") == "3" and barriers.evidence_count("") == ""
    plt.close(fig)
    with pytest.raises(ParameterError, match="barrier 'wifi' is not allowed"):
        barriers.plot_barrier_actor_matrix(counts, ids, spotlight="wifi")


# --------------------------------------------------------------------------- figures and context


# --------------------------------------------------------------------------- numbers for the prose


def test_e1_values_hand_worked():
    v = drivers.e1_values()
    assert v["run_excerpts"] == 7 and v["run_people"] == 7 and v["run_label"] == "all organisations"
    assert v["groups_vulnerability"] == "*project manager or coordinator*"
    assert v["groups_pull"] == "*trainee* and *trainer*"
    assert v["groups_push"] == "*ex-trainee*, *project manager or coordinator* and *project lead*"
    assert (v["n_push"], v["n_pull"]) == (3, 2)
    assert (v["rm_multiple_low"], v["rm_multiple_high"]) == (100.0, 125.0)  # 12,000 and 15,000 over 120
    ep = drivers.e1_values("EP")
    assert (ep["run_excerpts"], ep["run_people"], ep["run_label"]) == (1, 1, "EP respondents only")
    assert ep["n_push"] == 3  # theme totals describe all organisations, as the prose says


def test_e2_values_hand_worked():
    v = barriers.e2_values()
    assert v["train_ratio"] == pytest.approx(26.0)  # six months of 52/12 weeks against one week
    assert (v["n_asset"], v["n_asset_addressed"], v["n_cultural"], v["n_cultural_addressed"]) == (3, 3, 2, 0)
    assert v["groups_view"] == "*trainee*" and v["spot_label"] == "all barriers" and v["spot_evidence"] == 15
    g = barriers.e2_values("gender_expectations")
    assert g["spot_label"] == "gender expectations" and g["spot_evidence"] == 2
    with pytest.raises(ParameterError, match="barrier 'wifi' is not allowed"):
        barriers.e2_values("wifi")
    with pytest.raises(ParameterError, match="organisation 'WB' is not allowed"):
        drivers.e1_values("WB")


def test_matrices_draw_without_seaborn():
    """E1 and E2's heatmaps are plain matplotlib: the chapters' kernels skip seaborn and scipy."""
    import subprocess
    import sys

    code = (
        "import sys, matplotlib; matplotlib.use('Agg'); from livelihoods.analyses import barriers, drivers, findings; "
        "findings.plot_code_group_matrix(findings.code_group_matrix(drivers.DRIVER_THEMES), 't'); "
        "barriers.plot_barrier_actor_matrix(barriers.barrier_actor_matrix(), "
        "barriers.barrier_actor_matrix(what='ids')); "
        "print(sorted(m for m in ('seaborn', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
