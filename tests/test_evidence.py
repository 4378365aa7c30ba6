"""Counting the published evidence (livelihoods.evidence): sample, voices, codebook tree, template steps."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from livelihoods import evidence  # noqa: E402
from livelihoods.analyses import methods, plots
from livelihoods.book import params
from livelihoods.errors import ParameterError  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(autouse=True)
def _real_data(monkeypatch):
    monkeypatch.setenv("LIVELIHOODS_DATA", str(DATA))
    evidence.clear_cache()
    yield
    evidence.clear_cache()
    plt.close("all")


def _rewrite(tmp_path, monkeypatch, file: str, header: list[str], rows: list[tuple]) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    with open(copy / file, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    monkeypatch.setenv("LIVELIHOODS_DATA", str(copy))
    evidence.clear_cache()


# --------------------------------------------------------------------------- the sample


def test_headline_counts():
    assert methods.n_interviews() == 29 and methods.n_skype() == 5
    assert methods.n_excerpts() == 35 and methods.n_respondents_quoted() == 16


def test_sample_by_location_splits_place_and_mode():
    s = methods.sample_by_location()
    assert s["interviews"].sum() == methods.n_interviews()
    assert s.loc[s["mode"] == "Skype", "interviews"].sum() == methods.n_skype()
    assert set(s.loc[s["mode"] == "Skype", "place"]) == {"Washington DC", "Lahore", "Karachi"}
    assert s.loc[s["derived"], "place"].tolist() == ["Gilgit-Baltistan and Islamabad"]


def test_sample_by_location_rejects_a_place_without_mode(tmp_path, monkeypatch):
    _rewrite(
        tmp_path,
        monkeypatch,
        "sample.csv",
        ["dimension", "category", "count", "derived", "paper_section", "note"],
        [("mode", "all interviews", 29, "false", "4", ""), ("location", "Lahore", 3, "false", "4", "")],
    )
    with pytest.raises(ValueError, match="'Lahore'"):
        methods.sample_by_location()


def test_plot_sample_marks_the_derived_count():
    fig = methods.plot_sample(methods.sample_by_location())
    labels = [t.get_text().replace("\n", " ") for t in fig.axes[0].texts]  # the note wraps to fit a phone
    assert any("not printed: 29 − 5" in lab for lab in labels)


def test_stakeholder_types_in_paper_order_and_every_voice_once():
    t = methods.stakeholder_types()
    assert list(t["stakeholder type (section 4)"]) == list(methods.STAKEHOLDER_GROUPS)
    # the paper gives no count per type: no column that would read "not reported" in every row
    assert list(t.columns) == ["stakeholder type (section 4)", "quoted respondents", "excerpts", "quoted as (groups)"]
    assert t["quoted respondents"].sum() == methods.n_respondents_quoted()
    assert t["excerpts"].sum() == methods.n_excerpts()
    row = t.set_index("stakeholder type (section 4)").loc["OO freelancers"]
    assert row["quoted respondents"] == 0 and row["quoted as (groups)"] == "none alone"
    # every normalised group is mapped to exactly one stakeholder type
    groups = [g for gs in methods.STAKEHOLDER_GROUPS.values() for g in gs]
    assert sorted(groups) == sorted(evidence.load_respondents()["group"].cat.categories)


def test_stakeholder_types_by_organisation():
    t = methods.stakeholder_types("EP").set_index("stakeholder type (section 4)")
    # EP: SK (project manager, 2 excerpts), MK and AZ (trainees, 2 + 1)
    assert t.loc["project managers", ["quoted respondents", "excerpts"]].tolist() == [1, 2]
    assert t.loc["trainees (KADO and EP)", ["quoted respondents", "excerpts"]].tolist() == [2, 3]
    assert t.loc["trainers", "excerpts"] == 0


# --------------------------------------------------------------------------- voices


def test_voices_by_group_adds_up():
    v = methods.voices()
    assert v["excerpts"].sum() == 35 and v["respondents"].sum() == 16
    kado_trainees = v[(v["stakeholder group"] == "trainee") & (v["organisation"] == "KADO")]
    assert kado_trainees["excerpts"].item() == 12  # HU 2 + MU 3 + WA 3 + NU 2 + TR 1 + KM 1


def test_voices_by_organisation_by_hand():
    v = methods.voices(grouping="organisation").set_index("organisation")["excerpts"].to_dict()
    assert v == {"KADO": 28, "EP": 5, "World Bank": 2}


def test_voices_by_respondent_in_order_of_appearance():
    v = methods.voices("EP", "respondent")
    assert list(v["respondent"]) == ["SK (Project Manager)", "MK (Trainee)", "AZ (Trainee)"]
    assert list(v["excerpts"]) == [2, 2, 1]
    allv = methods.voices("all", "respondent")
    assert len(allv) == 16 and allv["excerpts"].sum() == 35
    assert allv["respondent"].iloc[0].startswith("RE ")


@pytest.mark.parametrize(
    "kwargs, name", [({"organisation": "NUST"}, "organisation"), ({"grouping": "role"}, "grouping")]
)
def test_voices_bad_input_names_the_parameter(kwargs, name):
    with pytest.raises(ParameterError) as err:
        methods.voices(**kwargs)
    assert str(err.value).startswith(f"{name} = ") and "expected one of" in str(err.value)


def test_filters_and_groupings_match_the_registry():
    assert params.spec("d_methods")["organisation"].choices == methods._organisations()
    assert params.spec("d_methods")["grouping"].choices == methods.GROUPINGS


@pytest.mark.parametrize("grouping", methods.GROUPINGS)
def test_plot_voices_one_row_per_group_and_totals(grouping):
    counts = methods.voices("all", grouping)
    fig = methods.plot_voices(counts, "all", grouping)
    ax = fig.axes[0]
    column = {"group": "stakeholder group", "organisation": "organisation", "respondent": "respondent"}[grouping]
    rows = list(dict.fromkeys(counts[column].astype(str)))
    ticks = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert sorted(ticks) == sorted(rows)
    totals = sorted(int(t.get_text()) for t in ax.texts if t.get_text().isdigit() and t.get_bbox_patch() is None)
    assert totals == sorted(counts.groupby(column, observed=True)["excerpts"].sum())


def test_plot_voices_refuses_mismatched_grouping():
    with pytest.raises(ParameterError, match="grouping = 'respondent' does not match"):
        methods.plot_voices(methods.voices(), "all", "respondent")


def test_voice_shares_by_hand():
    s = methods.voice_shares()
    assert s["kado_share"] == pytest.approx(28 / 35)
    assert s["trainee_share"] == pytest.approx((12 + 3 + 1) / 35)  # trainees KADO + EP, and the ex-trainee
    assert (s["top"], s["top_n"]) == ("YA", 6)
    assert s["n_not_quoted"] == 13
    assert s["single_excerpt"] == 5  # HA, AZ, RD, TR, KM


def test_respondents_covering():
    # excerpts per respondent, most first: 6, 3, 3, 3, 3, 2, ... -> 18 of 35 after five people
    assert methods.respondents_covering(0.5) == 5
    assert methods.respondents_covering(6 / 35) == 1
    assert methods.respondents_covering(1.0) == 16
    for bad in (0, 1.5, "half", True):
        with pytest.raises(ParameterError, match="share"):
            methods.respondents_covering(bad)


# --------------------------------------------------------------------------- the codebook tree and template analysis


def test_codebook_tree_counts_by_hand(tmp_path, monkeypatch):
    _rewrite(
        tmp_path,
        monkeypatch,
        "codings.csv",
        ["excerpt_id", "code_id", "coder", "salience"],
        [
            ("EX20", "peer_support", "reference", "primary"),  # MU, KADO
            ("EX20", "group_work", "reference", "secondary"),
            ("EX21", "peer_support", "reference", "primary"),  # NU, KADO
            ("EX25", "struggling", "reference", "primary"),  # AZ, EP
        ],
    )
    tree = methods.codebook_tree().set_index("node")
    by_label = {k.replace("\u2003", "").lstrip("└ "): v for k, v in tree.iterrows()}
    assert by_label["Peer support"][["excerpts", "codings"]].tolist() == [2, 2]
    assert by_label["Freelancer networks"][["excerpts", "codings"]].tolist() == [2, 3]
    assert by_label["Transforming structures and processes (institutions)"]["excerpts"] == 2
    assert by_label["Livelihood outcomes"]["excerpts"] == 1
    ep = {k.replace("\u2003", "").lstrip("└ "): v for k, v in methods.codebook_tree("EP").set_index("node").iterrows()}
    assert ep["Peer support"]["excerpts"] == 0 and ep["Struggling"]["excerpts"] == 1


def test_codebook_tree_shape_and_consistency_with_the_chapter_c_counts():
    from livelihoods.analyses import framework

    tree = methods.codebook_tree()
    codebook = evidence.load_codebook()
    assert len(tree) == len(codebook)
    depth = tree["node"].str.len() - tree["node"].str.lstrip("\u2003").str.len()
    assert depth.tolist() == [{"component": 0, "theme": 2, "code": 4}[str(lv)] for lv in codebook["level"]]
    comps = tree[tree["level"] == "component"]
    assert comps["excerpts"].tolist() == framework.coverage()["excerpts"].tolist()
    assert comps["codings"].sum() == len(evidence.load_codings())
    assert tree["node"].str.endswith("(added)").sum() == methods.template_steps()["added"]


def test_template_steps_follow_the_codebook():
    steps = methods.template_steps()
    codebook = evidence.load_codebook()
    assert steps["a_priori"] == (codebook["parent_id"] == "").sum()
    assert steps["a_priori"] + steps["themes"] + steps["codes"] == len(codebook)
    assert steps["codings"] == len(evidence.load_codings())
    unused = set(evidence.codebook_leaves()) - set(evidence.load_codings()["code_id"].astype(str))
    assert steps["unused"] == len(unused)


def test_tree_table_styles_levels_without_colour():
    html = methods.tree_table(methods.codebook_tree(), caption="tree").to_html()
    assert "font-weight: bold" in html and "font-weight: 600" in html and "<caption>tree</caption>" in html
    assert "color:" not in html
    assert "padding-left: 2.6em" in html and "\u2003" not in html  # indentation by padding, so wrapped labels stay put


def test_headline_numbers_for_chapter_d():
    h = methods.headline_numbers()
    assert h["n_face_to_face"] + h["n_skype"] == h["n_interviews"]
    assert h["n_quoted"] + h["n_not_quoted"] == h["n_interviews"]
    assert h["share_quoted"] == pytest.approx(16 / 29)
    assert h["n_types"] == len(methods.stakeholder_types())
    assert h["half_voices"] == methods.respondents_covering(0.5)


@pytest.mark.parametrize(
    "organisation, grouping", [("all", "group"), ("World Bank", "group"), ("all", "respondent"), ("EP", "organisation")]
)
def test_charts_stay_phone_narrow(organisation, grouping):
    """Saved with a tight bounding box, nothing (title, labels, legend) may push a chart past its phone width.

    (A wider image is shrunk more on a phone, and its text with it.)
    """
    for fig in (
        methods.plot_voices(methods.voices(organisation, grouping), organisation, grouping),
        methods.plot_sample(methods.sample_by_location()),
    ):
        fig.canvas.draw()
        assert fig.get_tightbbox(fig.canvas.get_renderer()).width <= plots.PHONE_WIDTH + 0.1 < 7.1
        plt.close(fig)
