"""Tests of livelihoods.analyses.paper: the paper's scale figures, research questions and references as analyses.

Hand-worked cases for the formatting and labelling helpers; for the analyses, numbers are
recomputed here from the raw CSV files with the csv module (an independent second reading), so
a wrong join or filter in the package shows up as a disagreement.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from livelihoods import evidence  # noqa: E402
from livelihoods.analyses import literature, literature_charts, plots, rationale, show
from livelihoods.book import registry
from livelihoods.errors import ParameterError  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
BODY = REPO.parent / "shared" / "seeds" / "ifip-2017-paper-body.txt"


@pytest.fixture(autouse=True)
def _real_data(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LIVELIHOODS_DATA", str(DATA))
    evidence.clear_cache()
    yield
    evidence.clear_cache()
    plt.close("all")


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------- formatting helpers


@pytest.mark.parametrize(
    "low, high, unit, expected",
    [
        (15e9, 25e9, "US$ per year", "US$15–25 bn"),
        (4.8e9, 4.8e9, "US$ per year", "US$4.8 bn"),
        (4.5e6, 4.5e6, "workers", "4.5 million"),
        (40000, 40000, "trainees", "40,000"),
        (66.7, 66.7, "percent", "66.7%"),
        (50, 50, "percent", "50%"),
        (1.2e6, 1.5e6, "PKR per month", "1.2–1.5 million"),
        (300, 400, "US$ per project", "US$300–400"),
    ],
)
def test_format_value(low, high, unit, expected):
    assert rationale.format_value(low, high, unit) == expected


@pytest.mark.parametrize(
    "authors, year, expected",
    [
        ("Assemi, B., Schlagwein, D.", 2016, "Assemi & Schlagwein 2016"),
        ("Barnes, S.A., Green, A., Hoyos, M.", 2015, "Barnes et al. 2015"),
        ("Berg, J.", 2016, "Berg 2016"),
        ("Bergvall-Kåreborn, B., Howcroft, D.", 2014, "Bergvall-Kåreborn & Howcroft 2014"),
        ("Kuek, S.C., Paradi-Guilford, C., Toks Fayomi, S.I., Ipeirotis, P.", 2015, "Kuek et al. 2015"),
        ("DFID", 1999, "DFID 1999"),
        ("World Bank", 2016, "World Bank 2016"),
    ],
)
def test_author_label(authors, year, expected):
    assert literature.author_label(authors, year) == expected


def test_chapter_label_and_bad_stem():
    # as the chapters' titles begin ("E1 · Drivers: why ...")
    assert show.chapter_label("e1_drivers") == "E1 · Drivers"
    assert show.chapter_label("d2_coding_lab") == "D2 · Coding lab"
    with pytest.raises(ParameterError, match="'Drivers'"):
        show.chapter_label("Drivers")


def test_chapter_link_falls_back_to_plain_label(monkeypatch):
    monkeypatch.setattr(show, "chapter_exists", lambda stem: False)
    assert show.chapter_link("e4_impact") == "E4 · Impact"
    monkeypatch.setattr(show, "chapter_exists", lambda stem: True)
    assert show.chapter_link("e4_impact") == "{doc}`E4 · Impact <e4_impact>`"


def test_list_table_is_a_captioned_myst_table():
    import pandas as pd

    df = pd.DataFrame({"a": [1, 2], "b": ["x  y", "{cite:t}`k2000`"]})
    assert show.list_table(df, "Cap", name="tbl-x") == "\n".join(
        [
            ":::{list-table} Cap",
            ":header-rows: 1",
            ":width: 100%",
            ":name: tbl-x",
            "",
            "* - a",
            "  - b",
            "* - 1",
            "  - x y",
            "* - 2",
            "  - {cite:t}`k2000`",
            ":::",
        ]
    )


def test_section_titles_match_the_paper():
    if not BODY.is_file():
        pytest.skip("seed text not available")
    headings = dict(re.findall(r"^([1-6](?:\.[1-3])?) (.+)$", BODY.read_text(encoding="utf-8"), flags=re.M))
    assert evidence.labels("paper_section") == headings
    assert list(evidence.labels("paper_section")) == list(evidence.load_citations()["paper_section"].cat.categories)


# --------------------------------------------------------------------------- A: scale figures


def test_scale_figures_select_merge_and_label():
    df = rationale.scale_figures()
    ids = [i for cell in df["figure_ids"] for i in cell.split(", ")]
    expected = [
        r["figure_id"]
        for r in _rows("figures")
        if r["paper_section"] in ("1", "2") and r["unit"] in evidence.labels("scale_group")
    ]
    assert sorted(ids) == sorted(expected)
    assert "F04" not in ids and "F06" not in ids  # counts of questions and platform types are not scale
    forecast = df[df["figure_ids"] == "F03, F08"].iloc[0]  # stated in sections 1 and 2: one row
    assert forecast["sections"] == "1, 2" and forecast["is_range"]
    # sources as a reader meets them: author and year, the paper's reference number, the section citing it
    assert (
        forecast["source_text"] == "Kuek et al. 2015 [15], cited in §1, §2" and forecast["value_text"] == "US$15–25 bn"
    )
    kpk = df[df["figure_ids"] == "F12"].iloc[0]
    assert kpk["source_text"] == "the paper itself, cited in §2" and not kpk["is_range"]
    assert list(dict.fromkeys(df["group"])) == rationale.figure_groups()


def test_scale_figure_groups_match_the_parameter():
    assert tuple(["all", *rationale.figure_groups()]) == registry.FIGURE_GROUPS
    for group in rationale.figure_groups():
        sub = rationale.scale_figures(group)
        assert len(sub) and set(sub["group"]) == {group} and sub["unit"].nunique() == 1
    with pytest.raises(ParameterError, match="figure group 'cats'.*'markets'"):
        rationale.scale_figures("cats")


def test_reference_name_and_scale_table_sources():
    assert rationale.reference_name("kuek2015") == "Kuek et al. 2015 [15]"
    assert rationale.reference_name("berg2016") == "Berg 2016 [4]"
    assert rationale.reference_name("paper") == "the paper itself"
    with pytest.raises(ParameterError, match="'kuek'"):
        rationale.reference_name("kuek")
    table = rationale.scale_table(rationale.scale_figures())
    assert list(table.columns) == ["What the paper states", "Value", "Source", "§", "Id"]
    by_id = table.set_index("Id")["Source"]
    assert by_id["F03, F08"] == "[15] {cite:t}`kuek2015`" and by_id["F12"] == "the paper itself"


def test_context_table_fits_a_phone():
    table = rationale.context_table()
    ctx = rationale.context_figures()
    assert list(table.columns) == ["Indicator (unit)", "Value", "Source", "Release"]
    assert list(table["Value"]) == list(ctx["value"]) and table["Value"].dtype.kind == "f"
    assert table["Indicator (unit)"].iloc[0] == "GDP per capita (current US$)"


def test_market_growth_by_hand():
    g = rationale.market_growth()
    assert g["base"] == 4.8e9
    assert g["low"] == pytest.approx(15 / 4.8) and g["high"] == pytest.approx(25 / 4.8)


def test_context_figures_are_labelled_with_source_and_vintage():
    ctx = rationale.context_figures()
    assert set(ctx["code"]) == set(rationale.CONTEXT_INDICATORS)
    assert set(ctx["source"]) == {"World Bank WDI", "ITU"}
    assert ctx.loc[ctx["code"] == "IT.NET.USER.ZS", "source"].tolist() == ["ITU"]
    gdp = ctx[ctx["code"] == "NY.GDP.PCAP.CD"]
    assert list(gdp["release"]) == ["2018-08", "2026-07"]
    assert list(gdp["value"]) == [1443.63, 1424.69]


def test_research_question_map_counts_claims():
    rq = rationale.research_question_map()
    assert list(rq["rq_id"]) == ["RQ1", "RQ2", "RQ3"]
    counted = Counter((r["research_question"], r["kind"]) for r in _rows("claims") if r["research_question"])
    for r in rq.itertuples():
        assert r.findings == counted[(r.rq_id, "finding")] and r.conclusions == counted[(r.rq_id, "conclusion")]
    assert rq.loc[rq["rq_id"] == "RQ1", "slf_part"].item() == "Vulnerability context"


def test_research_question_table_links(monkeypatch):
    rq = rationale.research_question_map()
    monkeypatch.setattr(show, "chapter_exists", lambda stem: True)
    table = rationale.research_question_table(rq)
    assert list(table.columns) == ["Research question (verbatim, §1)", "SLF part; chapters of this book", "Claims"]
    assert table.iloc[1, 1] == (
        "{doc}`Transforming structures and processes (institutions) <c_framework>`; chapters "
        "{doc}`E3 · Institutions <e3_institutions>` and {doc}`E2 · Barriers <e2_barriers>`"
    )
    assert table.iloc[0, 0].startswith("**RQ1** What drives")
    monkeypatch.setattr(show, "chapter_exists", lambda stem: False)
    assert rationale.research_question_table(rq).iloc[0, 1] == "Vulnerability context; chapter E1 · Drivers"


def test_rationale_numbers():
    n = rationale.rationale_numbers()
    assert n["forecast_2020"] == "US$15–25 bn" and n["forecast_top"] == "US$25 bn" and n["upwork"] == "4.5 million"
    assert n["kpk_target"] == 40000 and n["youth_share"] == pytest.approx(0.667)
    assert n["olw_active_share"] == pytest.approx(3.3 / 163)
    # chapter A's solution: Upwork's 4.5 million at the global share significantly active, about 90,000
    assert n["upwork_active"] == 90000 and abs(n["upwork_active"] - 4.5e6 * 3.3 / 163) < 5000
    assert n["gdp_pc_month_then"] == pytest.approx(1443.63 / 12)
    assert n["n_rq"] == 3


def test_plot_scale_figures_shows_ranges_points_and_sources():
    fig = rationale.plot_scale_figures(rationale.scale_figures())
    panels = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert [ax.get_title(loc="left") for ax in panels] == [
        evidence.label("scale_group_title", g) for g in rationale.figure_groups()
    ]
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts).replace("\xa0", " ").replace("\n", " ")
    assert "Kuek et al. 2015 [15], cited in §1, §2" in texts and "Ettlinger 2016 [9], cited in §1" in texts
    assert "US$15–25 bn" in texts and "kuek2015" not in texts  # no raw bibliography keys on the chart
    markets = panels[rationale.figure_groups().index("markets")]
    assert [p.get_hatch() for p in markets.patches] == ["//"]  # the one range is a hatched bar


# --------------------------------------------------------------------------- B: references


def test_references_labels_sections_and_views():
    refs = literature.references().set_index("key")
    assert len(refs) == 26
    assert refs.loc["bergvallkareborn2014", "label"] == "[5] Bergvall-Kåreborn & Howcroft 2014"
    assert refs.loc["barnes2015", "sections"] == "2 (3); 5.3 (1)"
    assert refs.loc["barnes2015", "views"] == "Differentiated outcomes, Relative earnings in the global South"
    assert refs.loc["assemi2016", "views"] == ""
    total = Counter()
    for r in _rows("citations"):
        total[r["key"]] += int(r["n"])
    assert refs["citations"].to_dict() == dict(total)


def test_reference_counts():
    refs = literature.references()
    by_stream = literature.reference_counts(refs, "stream").set_index("stream")["references"]
    assert by_stream.to_dict() == dict(Counter(r["stream"] for r in _rows("references")))
    by_type = literature.reference_counts(refs, "type")
    assert by_type["type"].iloc[0] == "journal article" and by_type["references"].sum() == 26
    with pytest.raises(ParameterError, match="count by 'venue'"):
        literature.reference_counts(refs, "venue")


def test_streams_match_the_parameter():
    assert tuple(["all", *literature.streams()]) == registry.STREAMS


def test_citation_matrix_and_facts():
    refs = literature.references()
    m = literature.citation_matrix(refs)
    rows = _rows("citations")
    assert m.shape == (26, 9) and int(m.to_numpy().sum()) == sum(int(r["n"]) for r in rows)
    assert m.loc["[7] DFID 1999", "3"] == 5
    streams = refs.set_index("label").loc[m.index, "stream"].astype(str).tolist()
    assert streams == sorted(streams, key=literature.streams().index)  # grouped by stream
    facts = literature.citation_facts(refs)
    assert facts["n_in_review"] == sum(int(r["n"]) for r in rows if r["paper_section"] == "2")
    assert facts["n_in_findings"] == sum(int(r["n"]) for r in rows if r["paper_section"].startswith("5"))
    assert facts["n_since_2014"] == sum(int(r["year"]) >= 2014 for r in _rows("references"))


def test_citation_map_sums_subsections_and_shortens_labels():
    m = literature.citation_matrix()
    top = literature.by_top_section(m)
    assert list(top.columns) == ["1", "2", "3", "4", "5", "6"]
    assert (top["5"] == m[["5", "5.1", "5.2", "5.3"]].sum(axis=1)).all() and (top["2"] == m["2"]).all()
    assert literature_charts._map_label("[2] Barnes et al. 2015") == "[2] Barnes et al."
    assert literature_charts._map_label("[5] Bergvall-Kåreborn & Howcroft 2014") == "[5] Bergvall-Kåreborn & H."
    assert literature_charts._map_label("[3] Beerepoot & Lambregts 2015") == "[3] Beerepoot & Lambregts"
    fig = literature_charts.plot_citation_map(m, literature.references())
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"§{c}" for c in range(1, 7)]
    assert all(t.get_rotation() == 0 for t in ax.get_xticklabels())  # upright headers, legible on a phone


@pytest.mark.parametrize("plot", ["scale", "years", "streams", "map", "views"])
def test_charts_are_narrow_enough_for_a_phone(plot):
    """Saved with a tight box, a chart stays near PHONE_WIDTH, so a phone shrinks it little."""
    refs = literature.references()
    fig = {
        "scale": lambda: rationale.plot_scale_figures(rationale.scale_figures()),
        "years": lambda: literature_charts.plot_reference_years(refs),
        "streams": lambda: literature_charts.plot_streams(refs, focus="impact sourcing and social outsourcing"),
        "map": lambda: literature_charts.plot_citation_map(
            literature.citation_matrix(refs), refs, focus="livelihoods and development frameworks"
        ),
        "views": lambda: literature_charts.plot_views(literature.view_summary()),
    }[plot]()
    fig.canvas.draw()
    assert fig.get_tightbbox(fig.canvas.get_renderer()).width <= plots.PHONE_WIDTH + 0.1


def test_reference_table_groups_and_filters_by_stream():
    full = literature.reference_table()
    headers = full[full["Reference"].str.startswith("**")]["Reference"].tolist()
    assert headers == [f"**{s}**" for s in literature.streams()]  # one header per stream, in order
    assert len(full) == 26 + len(headers)
    crit = literature.reference_table("critical labour")
    n_critical = sum(r["stream"] == "critical labour" for r in _rows("references"))
    assert crit["Reference"].iloc[0] == "**critical labour**" and len(crit) == 1 + n_critical
    assert "[25] {cite:t}`zittrain2009`" in set(crit["Reference"])
    five = crit[crit["Reference"] == "[5] {cite:t}`bergvallkareborn2014`"].iloc[0]
    assert (
        five["Cited in § (times)"] == "2 (2)"
        and five["Views it holds"].replace("\u00ad", "") == "Digital sweatshop, De-institutionalisation"
    )
    with pytest.raises(ParameterError, match="stream 'gig work' is not allowed"):
        literature.reference_table("gig work")


# --------------------------------------------------------------------------- B: literature views


def test_literature_views_are_cited_where_they_say():
    """Each (reference, section) in literature_views.csv is a section where the paper cites that reference."""
    cited = {(r["key"], r["paper_section"]) for r in _rows("citations")}
    for r in _rows("literature_views"):
        for section in r["paper_section"].split("; "):
            assert (r["key"], section) in cited, r


def test_literature_view_vocabulary_is_the_claims_vocabulary():
    views = evidence.load("literature_views")
    claims = evidence.load_claims()
    assert (
        list(views["view"].cat.categories)
        == list(claims["literature_view"].cat.categories)
        == list(evidence.labels("view"))
    )
    assert set(evidence.labels("view_camp")) == set(evidence.labels("view"))


def test_literature_view_notes_are_our_own_words():
    """No run of eight words from the paper body appears in a note."""
    if not BODY.is_file():
        pytest.skip("seed text not available")
    words = re.findall(r"[a-z]+", BODY.read_text(encoding="utf-8").lower())
    shingles = {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}
    for r in _rows("literature_views"):
        w = re.findall(r"[a-z]+", r["note"].lower())
        copied = [" ".join(w[i : i + 8]) for i in range(len(w) - 7) if " ".join(w[i : i + 8]) in shingles]
        assert not copied, (r["view"], r["key"], copied[0])


def test_view_summary_by_hand():
    s = literature.view_summary().set_index("view")
    claims = [r for r in _rows("claims") if r["literature_view"]]
    for view in evidence.labels("view"):
        mine = [r for r in claims if r["literature_view"] == view]
        assert s.loc[view, "supports"] == sum(r["stance"] == "supports" for r in mine)
        assert s.loc[view, "challenges"] == sum(r["stance"] == "challenges" for r in mine)
        assert s.loc[view, "references"] == sum(r["view"] == view for r in _rows("literature_views"))
    assert s.loc["deinstitutionalisation", "camp"] == "critical"


def test_views_markdown_cites_every_holder_under_its_view():
    text = literature.views_markdown()
    blocks = dict(zip(evidence.labels("view").values(), re.split(r"\n\n(?=\*\*)", text)))
    assert len(blocks) == len(evidence.labels("view"))
    for r in _rows("literature_views"):
        block = blocks[evidence.labels("view")[r["view"]]]
        assert f"- {{cite:t}}`{r['key']}` (§" in block and r["note"] in block
    s = literature.view_summary().set_index("view").loc["deinstitutionalisation"]
    assert (
        f"**De-institutionalisation** (critical view; the paper's claims: {s['supports']} supporting, "
        f"{s['challenges']} challenging)"
    ) in text
    assert text.count("\n- ") == len(_rows("literature_views"))


def test_literature_numbers():
    n = literature.literature_numbers("methods")
    assert n["n_focus"] == 2 and n["stream_name"] == "methods"
    assert literature.literature_numbers()["stream_name"] == "all streams"
    expected = [
        r["claim_id"]
        for r in _rows("claims")
        if r["literature_view"] == "deinstitutionalisation" and r["stance"] == "challenges"
    ]
    assert n["deinst_claims"] == ", ".join(expected)
    assert n["n_forces"] == 3
    with pytest.raises(ParameterError, match="stream 'x'"):
        literature.literature_numbers("x")


@pytest.mark.parametrize("focus", ["all", "critical labour"])
def test_b_plots_draw_and_mark_the_focus(focus):
    refs = literature.references()
    fig = literature_charts.plot_streams(refs, focus=focus)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("◀ focus" in lab for lab in labels) == (focus != "all")
    hatched = [p for p in fig.axes[0].patches if p.get_hatch()]
    assert len(hatched) == (0 if focus == "all" else 1)
    fig = literature_charts.plot_citation_map(literature.citation_matrix(refs), refs, focus=focus)
    shown = sorted(int(t.get_text()) for t in fig.axes[0].texts if t.get_text().isdigit())
    assert sum(shown) == int(literature.citation_matrix(refs).to_numpy().sum())  # every count is printed
    fig = literature_charts.plot_reference_years(refs)
    assert len({p.get_hatch() for p in fig.axes[0].patches}) == len(literature.reference_counts(refs, "type"))
    fig = literature_charts.plot_views(literature.view_summary())
    # the book's one meaning per colour and hatch: supports and challenges as everywhere else (plots.stance_style)
    from matplotlib.colors import to_hex

    drawn = {(to_hex(p.get_facecolor()).upper(), p.get_hatch() or "") for p in fig.axes[0].patches if p.get_width()}
    assert drawn == {(plots.STANCE_COLOURS[s].upper(), plots.STANCE_HATCHES[s]) for s in ("supports", "challenges")}
