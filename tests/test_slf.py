"""The SLF as data (livelihoods.analyses.framework): its structure, the evidence counts behind it and the drawings."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from livelihoods import evidence  # noqa: E402
from livelihoods.book import params
from livelihoods.book import registry
from livelihoods.analyses import diagram, framework, plots
from livelihoods.errors import ParameterError  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(autouse=True)
def _real_data(monkeypatch):
    monkeypatch.setenv("LIVELIHOODS_DATA", str(DATA))
    evidence.clear_cache()
    yield
    evidence.clear_cache()
    plt.close("all")


@pytest.fixture
def tiny_coding(tmp_path, monkeypatch):
    """The real package with a five-row coding, small enough to count by hand."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    rows = [
        ("EX01", "physical_vulnerability", "primary"),
        ("EX01", "infrastructure_barrier", "secondary"),
        ("EX02", "human_capital", "primary"),
        ("EX02", "knowledge_skills_barrier", "primary"),
        ("EX03", "peer_support", "primary"),
    ]
    with open(copy / "codings.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["excerpt_id", "code_id", "coder", "salience"])
        w.writerows((e, c, "reference", s) for e, c, s in rows)
    monkeypatch.setenv("LIVELIHOODS_DATA", str(copy))
    evidence.clear_cache()
    return copy


# --------------------------------------------------------------------------- structure


def test_components_are_the_codebook_components_in_order():
    codebook = evidence.load_codebook()
    assert [c.id for c in framework.COMPONENTS] == list(codebook.loc[codebook["level"] == "component", "code_id"])


def test_highlight_choices_come_from_data_and_match_the_registry():
    choices = framework.highlight_choices()
    assert choices[0] == "none"
    assert set(choices) == {"none", *(c.id for c in framework.COMPONENTS), *evidence.load_capitals()["capital"]}
    assert choices == registry.SLF_HIGHLIGHTS
    assert params.spec("c_framework")["highlight"].choices == choices


def test_pentagon_has_every_capital_once():
    assert sorted(diagram.PENTAGON["corners"]) == sorted(evidence.load_capitals()["capital"])


def test_arrows_are_dfids():
    """DFID 1999 Guidance Sheet 2.1 (see ../shared/facts): the usual arrows and only those."""
    pairs = {(a.source, a.target, a.kind) for a in diagram.ARROWS}
    assert pairs == {
        ("vulnerability_context", "livelihood_assets", "flow"),
        ("livelihood_assets", "institutions", "two_way"),
        ("institutions", "vulnerability_context", "flow"),
        ("institutions", "livelihood_strategies", "flow"),
        ("livelihood_assets", "livelihood_strategies", "flow"),
        ("livelihood_strategies", "livelihood_outcomes", "flow"),
        ("livelihood_outcomes", "livelihood_assets", "feedback"),
    }


def _on_edge(point, box, tol=1e-6) -> bool:
    x, y = point
    bx, by, bw, bh = box
    inside = bx - tol <= x <= bx + bw + tol and by - tol <= y <= by + bh + tol
    on_side = min(abs(x - bx), abs(x - bx - bw), abs(y - by), abs(y - by - bh)) <= tol
    return inside and on_side


def test_every_arrow_starts_and_ends_on_its_boxes():
    boxes = {c.id: c.box for c in framework.COMPONENTS}
    for a in diagram.ARROWS:
        assert _on_edge(a.path[0], boxes[a.source]), (a.source, a.target)
        assert _on_edge(a.path[-1], boxes[a.target]), (a.source, a.target)


def test_boxes_do_not_overlap_and_fit_the_canvas():
    w, h = diagram.CANVAS
    boxes = [c.box for c in framework.COMPONENTS]
    for x, y, bw, bh in boxes:
        assert 0 <= x and x + bw <= w and 0 <= y and y + bh <= h
    for i, (x1, y1, w1, h1) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1 :]:
            assert x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1


# --------------------------------------------------------------------------- tables


def test_check_highlight_error_names_parameter_and_choices():
    with pytest.raises(ParameterError) as err:
        framework.check_highlight("cultural capital")
    msg = str(err.value)
    assert "highlight" in msg and "'cultural capital'" in msg and "'natural'" in msg and "\n" not in msg


def test_capitals_table_quotes_only_the_quoted_definitions():
    table = framework.capitals_table()
    caps = evidence.load_capitals()
    for row, cap in zip(table.itertuples(), caps.itertuples()):
        if cap.used_in_paper:
            assert (
                row.definition == f"“{cap.definition}”" and row.source == "DFID 1999, p. " + cap.source.split("p. ")[1]
            )
        else:
            assert not row.definition.startswith("“") and row.source.startswith("ours")


def test_coverage_counts_by_hand(tiny_coding):
    cov = framework.coverage().set_index("component")["excerpts"].to_dict()
    # EX01 -> vulnerability + assets; EX02 (two asset codes) counts once; EX03 -> institutions
    assert cov == {
        "vulnerability_context": 1,
        "livelihood_assets": 2,
        "institutions": 1,
        "livelihood_strategies": 0,
        "livelihood_outcomes": 0,
    }
    primary = framework.coverage("primary").set_index("component")["excerpts"].to_dict()
    assert primary["livelihood_assets"] == 1  # EX01's infrastructure code is secondary
    assert framework.coverage()["share"].iloc[1] == pytest.approx(2 / 35)


def test_capital_coverage_by_hand(tiny_coding):
    caps = framework.capital_coverage().set_index("capital")
    assert caps.loc["human", ["as a barrier", "as an impact", "total"]].tolist() == [1, 1, 2]
    assert caps.loc["physical", ["as a barrier", "as an impact"]].tolist() == [1, 0]
    assert caps.loc["natural", "total"] == 0 and not caps.loc["natural", "used_in_paper"]


def test_bad_salience_is_one_clear_error():
    with pytest.raises(ParameterError, match="salience = 'main'"):
        framework.coverage("main")


def test_coverage_table_names_the_parts():
    table = framework.coverage_table()
    cov = framework.coverage()
    assert list(table.columns) == ["part of the framework", "excerpts", "share"]
    assert list(table["part of the framework"]) == list(cov["label"]) and list(table["excerpts"]) == list(
        cov["excerpts"]
    )


def test_rq_map_gives_the_framework_side_and_counts_their_part():
    """Chapter C's table complements chapter A's (questions verbatim, chapters): part, reading, evidence."""
    table = framework.rq_map()
    rq = evidence.load_research_questions()
    assert list(table.columns) == ["question", "part of the SLF", "read through", "excerpts coded there"]
    assert list(table["question"]) == list(rq["rq_id"])
    cov = framework.coverage().set_index("component")["excerpts"]
    assert list(table["excerpts coded there"]) == [cov[str(p)] for p in rq["slf_part"]]
    reading = table.set_index("question")["read through"]
    assert "influence & access" in reading["RQ2"] and "reverse arrow" in reading["RQ3"]
    assert set(rq["slf_part"].astype(str)) <= set(evidence.labels("read_through"))


def test_reference_coding_puts_most_evidence_in_institutions():
    """Chapter C says so in words; this keeps the sentence true if the coding changes."""
    cov = framework.coverage().set_index("component")["excerpts"]
    assert cov.idxmax() == "institutions"
    caps = framework.capital_coverage().set_index("capital")
    assert caps.loc["social", "total"] == 0 and caps.loc["physical", "as an impact"] == 0


# --------------------------------------------------------------------------- drawings


def _texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_framework_draws_every_component_capital_and_question():
    fig = diagram.draw_framework()
    joined = " ".join(t.replace("\n", " ") for t in _texts(fig))
    for comp in framework.COMPONENTS:
        assert comp.title in joined
    for label in evidence.load_capitals()["label"]:
        assert label.replace(" capital", "") in joined
    for rq in evidence.load_research_questions()["rq_id"]:
        assert rq in joined
    assert "influence & access" in joined and "impact" in joined


def test_feedback_arrow_is_emphasised():
    from matplotlib.patches import FancyArrowPatch

    fig = diagram.draw_framework()
    arrows = [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == len(diagram.ARROWS)
    widths = [a.get_linewidth() for a in arrows]
    feedback = arrows[[a.kind for a in diagram.ARROWS].index("feedback")]
    assert feedback.get_linewidth() == max(widths) > sorted(widths)[-2]


def test_highlight_outlines_one_component_only():
    from matplotlib.patches import FancyBboxPatch

    for comp in framework.COMPONENTS:
        fig = diagram.draw_framework(highlight=comp.id)
        outlines = [p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch) and p.get_facecolor()[3] == 0]
        thick = [p for p in outlines if p.get_linewidth() > 3]
        assert len(thick) == 1
        assert (thick[0].get_x(), thick[0].get_y()) == pytest.approx(comp.box[:2])
        plt.close(fig)


def test_highlight_capital_frames_its_label():
    fig = diagram.draw_framework(highlight="natural")
    framed = [t for t in fig.axes[0].texts if t.get_bbox_patch() is not None and t.get_bbox_patch().get_linewidth() > 3]
    assert [t.get_text() for t in framed] == ["Natural"]


def test_text_stays_inside_its_box_and_the_figure():
    """No title or detail line spills out of its box (the 'cut off' check, done by the renderer)."""
    fig = diagram.draw_framework(highlight="institutions")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    to_display = ax.transData.transform
    checked = 0
    for comp in framework.COMPONENTS:
        x, y, w, h = comp.box
        (x0, y0), (x1, y1) = to_display((x, y)), to_display((x + w, y + h))
        wanted = {comp.title.replace(" ", ""), *(d.replace(" ", "") for d in comp.details)}
        for t in ax.texts:
            if t.get_text().replace("\n", "").replace(" ", "") in wanted:
                bb = t.get_window_extent(renderer)
                assert x0 <= bb.x0 and bb.x1 <= x1 and y0 <= bb.y0 and bb.y1 <= y1, (comp.id, t.get_text())
                checked += 1
    assert checked == sum(1 + len(c.details) for c in framework.COMPONENTS)
    fig_bb = fig.bbox
    for t in ax.texts:
        bb = t.get_window_extent(renderer)
        assert fig_bb.x0 - 1 <= bb.x0 and bb.x1 <= fig_bb.x1 + 1, t.get_text()


@pytest.mark.parametrize("highlight", ["institutions", "human", "none"])
def test_coverage_chart_marks_the_highlight(highlight):
    fig = framework.plot_coverage(highlight=highlight)
    top, bottom = fig.axes[:2]
    labels = [t.get_text() for ax in (top, bottom) for t in ax.get_yticklabels()]
    marked = [lab for lab in labels if lab.startswith("▶")]
    assert len(marked) == (0 if highlight == "none" else 1)
    bars = [p.get_width() for p in top.patches][: len(framework.COMPONENTS)]
    assert bars == list(framework.coverage()["excerpts"])


def test_drawings_refuse_a_bad_highlight():
    with pytest.raises(ParameterError, match="highlight"):
        diagram.draw_framework(highlight="Human")
    with pytest.raises(ParameterError, match="highlight"):
        framework.plot_coverage(highlight="")


def test_headline_numbers_agree_with_the_tables():
    from livelihoods.analyses import methods

    h = framework.headline_numbers()
    cov = framework.coverage().set_index("component")
    caps = framework.capital_coverage().set_index("capital")
    assert h["n_excerpts"] == methods.n_excerpts() and h["n_interviews"] == methods.n_interviews()
    assert h["n_institutions"] == cov.loc["institutions", "excerpts"]
    assert h["share_institutions"] == pytest.approx(h["n_institutions"] / h["n_excerpts"])
    assert (h["n_human"], h["n_social"], h["n_physical"]) == tuple(caps.loc[["human", "social", "physical"], "total"])


@pytest.mark.parametrize("highlight", ["none", "natural", "institutions"])
def test_figures_stay_within_seven_inches(highlight):
    for fig, width in (
        (diagram.draw_framework(highlight), 7.1),
        (framework.plot_coverage(highlight), plots.PHONE_WIDTH + 0.1),
    ):
        fig.canvas.draw()
        assert fig.get_tightbbox(fig.canvas.get_renderer()).width <= width  # the chart: narrow enough for a phone
        plt.close(fig)
