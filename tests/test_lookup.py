"""The one lookup layer over the evidence base (livelihoods.evidence.lookup)."""

from __future__ import annotations

import pytest

from livelihoods import evidence
from livelihoods.errors import DataError, ParameterError


def test_figure_and_range():
    assert evidence.figure_range("F23") == (12000.0, 15000.0)
    assert evidence.figure_range("F48") == (20000.0, 20000.0)  # a point value: low == high
    assert evidence.figure_range("F50") == (15.0, 20.0)
    assert evidence.figure("F37")["currency"] == "USD"
    with pytest.raises(DataError, match="figure 'F99'"):
        evidence.figure_range("F99")


def test_context_value_needs_exactly_one_row():
    assert evidence.context_value("SL.TLF.CACT.FE.ZS", 2016, "2026-07 release") == pytest.approx(23.16)
    assert evidence.context_value("SL.TLF.CACT.FE.ZS", 2015, "2026-07 release") == pytest.approx(23.98)
    assert evidence.context_value("IT.NET.USER.ZS", 2016) == 12.39
    assert evidence.context_value("OLW.ACTIVE") == 3.3e6
    with pytest.raises(ParameterError, match="matches 2 rows.*give the year and the vintage"):
        evidence.context_value("SL.TLF.CACT.FE.ZS", 2016)
    with pytest.raises(ParameterError, match="'NO.SUCH' matches 0 rows"):
        evidence.context_value("NO.SUCH")


def test_sic_note_gives_the_range_only_where_the_paper_dropped_its_dash():
    assert evidence.sic_note("EX07") == "*[sic: the paper prints the range without its dash; read US\\$12,000–15,000]*"
    assert evidence.sic_note("EX01") == ""
