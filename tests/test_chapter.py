"""The frame every chapter shares (livelihoods.chapter): parameters table, tables, quotations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from livelihoods import evidence
from livelihoods.book import chapter
from livelihoods.analyses import show
from livelihoods.book import params


def test_parameter_table_on_the_book_page_has_no_repeated_run_column():
    shown = chapter.parameter_table("e4_impact", {}).data
    assert list(shown.columns) == ["parameter", "default", "allowed", "meaning"]
    assert list(shown["parameter"]) == list(params.spec("e4_impact"))


def test_parameter_table_of_another_run_shows_its_values():
    shown = chapter.parameter_table("e4_impact", {"hours_per_month": 80}).data.set_index("parameter")
    assert shown.loc["hours_per_month", "this run"] == "80"
    assert shown.loc["hours_per_month", "default"] == repr(params.spec("e4_impact")["hours_per_month"].default)


def test_parameter_table_labels_assumptions_in_one_sentence():
    shown = chapter.parameter_table("e4_impact", {}).data.set_index("parameter")["meaning"]
    for name, p in params.spec("e4_impact").items():
        if p.assumption:
            assert shown[name].endswith(". An assumption: the paper gives no figure."), shown[name]
            assert "). (" not in shown[name] and "(an assumption" not in shown[name]
        else:
            assert "assumption" not in shown[name]


def test_table_markdown_has_a_bold_caption_not_a_numbered_title():
    """The PDF's fallback must not take a table number the HTML page never shows."""
    md = chapter.table(pd.DataFrame({"a": ["x"], "n": [3]}), caption="Counts").data.pipe(
        lambda df: show._table_markdown(df, "Counts", False, 2)
    )
    assert md.startswith("**Counts**\n\n| a | n |") and "{table}" not in md


def test_numbers_are_right_aligned_in_both_forms():
    df = pd.DataFrame({"label": ["x", "y"], "n": [1, 22], "share": [0.5, 0.25], "flag": [True, False]})
    styled = chapter.table(df, caption="c")
    html = styled.to_html()
    assert "td.col1 {\n  text-align: right;" in html and "td.col2 {\n  text-align: right;" in html
    assert "td.col0 {" not in html and "td.col3 {" not in html  # text and booleans stay left
    assert "|---|---:|---:|---|" in styled._repr_markdown_()


def test_table_ids_are_fixed_so_builds_are_identical():
    df = pd.DataFrame({"a": [1]})
    assert chapter.table(df, caption="x").to_html() == chapter.table(df, caption="x").to_html()


def test_quote_is_verbatim_with_its_attribution_and_escapes_dollars():
    ex = evidence.load_excerpts().set_index("excerpt_id", drop=False)
    with_dollar = next(e for e in ex.index if "$" in ex.loc[e, "text"] and not evidence.sic_note(e))
    md = chapter.quote_md(ex.loc[with_dollar])
    assert ex.loc[with_dollar, "text"].replace("$", "\\$") in md
    assert md.endswith(
        f"— {ex.loc[with_dollar, 'attribution']} ({chapter.PAPER}, "
        f"§{ex.loc[with_dollar, 'paper_section']}; excerpt {with_dollar})"
    )


def test_unknown_excerpt_is_one_clear_error():
    from livelihoods.errors import LivelihoodsError

    with pytest.raises(LivelihoodsError, match="unknown excerpt id 'EX99'"):
        chapter.quote("EX99")


def test_glue_value_keeps_plain_python_numbers(monkeypatch):
    from livelihoods.analyses import markup, show

    monkeypatch.delenv(markup.MODE_ENV, raising=False)
    assert chapter.glue_value("n_test", np.int64(3)) is None  # a cell ending with it prints nothing
    chapter.glue_value("x_test", np.float64(0.5))
    assert type(show.GLUED["n_test"]) is int and type(show.GLUED["x_test"]) is float
    assert (
        show.fill(show.template("{glue:text}`x_test:.0%` of {glue:text}`n_test` {not a field}"))
        == "50% of 3 {not a field}"
    )


def test_a_printed_slip_gets_its_sic_note_wherever_the_excerpt_is_quoted():
    """EX07 drops a range dash in the paper: the quote stays verbatim, a note follows it everywhere."""
    md = chapter.quote("EX07").data
    assert "(c. US\\$12,00015,000)" in md and md.endswith("read US\\$12,000–15,000]*")
    assert "[sic" not in chapter.quote("EX01").data
