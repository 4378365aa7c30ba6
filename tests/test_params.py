"""The parameter registry and its validator (livelihoods.book.registry, livelihoods.book.params)."""

import pytest

from livelihoods.book import params
from livelihoods.book import registry
from livelihoods.errors import ParameterError

P = registry.Param


def test_validate_accepts_defaults_for_every_chapter():
    for chapter in params.chapters():
        assert params.validate(chapter, **params.defaults(chapter)) == params.defaults(chapter)


def test_unknown_chapter_names_the_choices():
    with pytest.raises(ParameterError, match=r"unknown chapter 'zz'.*d_methods"):
        params.spec("zz")


def test_unknown_parameter_is_named():
    with pytest.raises(
        ParameterError, match=r"unknown parameter 'organisaton' for d_methods: expected one of organisation"
    ):
        params.validate("d_methods", organisaton="KADO", organisation="all")


def test_missing_parameter_is_named():
    with pytest.raises(ParameterError, match="parameter 'organisation' of d_methods is missing"):
        params.validate("d_methods")


def test_bad_choice_names_parameter_value_and_allowed():
    with pytest.raises(ParameterError) as err:
        params.validate("d_methods", organisation="NUST", grouping="group")
    msg = str(err.value)
    assert "'organisation'" in msg and "'NUST'" in msg and "'KADO'" in msg and "\n" not in msg


@pytest.mark.parametrize(
    "p, value, reason",
    [
        (P("n", int, 5, "", low=1, high=35), 0, "too small"),
        (P("n", int, 5, "", low=1, high=35), 36, "too large"),
        (P("n", int, 5, "", low=1, high=35), 2.5, "wrong type"),
        (P("n", int, 5, "", low=1, high=35), True, "wrong type"),
        (P("x", float, 0.6, "", low=0, high=1), "0.6", "wrong type"),
        (P("x", float, 0.6, "", low=0, high=1), float("nan"), "not a number"),
        (P("s", str, "a", ""), "  ", "empty"),
        (P("s", str, "a", ""), None, "= None is not allowed: expected a non-empty string"),
        (P("b", bool, True, ""), 1, "wrong type"),
    ],
)
def test_check_value_rejects(p, value, reason):
    with pytest.raises(ParameterError, match=reason):
        params.check_value("test", p, value)


def test_check_value_accepts_int_for_float_and_none_when_nullable():
    assert params.check_value("t", P("x", float, 0.5, "", low=0, high=1), 1) == 1.0
    assert params.check_value("t", P("s", str, None, "", nullable=True), None) is None


def test_allowed_text():
    assert P("n", int, 5, "", low=1, high=35).allowed() == "an integer from 1 to 35"
    assert P("x", float, 1.0, "", low=0).allowed() == "a number of at least 0"
    assert P("o", str, "a", "", choices=("a", "b")).allowed() == "one of 'a', 'b'"


def test_parse_cli_value_types_and_errors():
    assert params.parse_cli_value("d_methods", "organisation", "KADO") == "KADO"
    with pytest.raises(ParameterError, match="unknown parameter 'colour'"):
        params.parse_cli_value("d_methods", "colour", "red")
    with pytest.raises(ParameterError, match="given twice"):
        params.parse_cli_pairs("d_methods", [("organisation", "EP"), ("organisation", "KADO")])


def test_meaning_labels_an_assumption_once_and_cleanly():
    plain = P("x", float, 0.5, "A share of trainees (0 to 1)", low=0, high=1)
    assumed = P("x", float, 0.5, "A share of trainees (0 to 1)", low=0, high=1, assumption=True)
    assert plain.meaning() == "A share of trainees (0 to 1)"
    assert assumed.meaning() == "A share of trainees (0 to 1). An assumption: the paper gives no figure."
    assert P("y", int, 1, "Hours.", assumption=True).meaning() == "Hours. An assumption: the paper gives no figure."
