"""Chapter F (conclusions) runs for every value of its parameters and stops cleanly on bad ones."""

from __future__ import annotations

import pytest

from chapter_runs import RUNS
from helpers import refused, ROOT
from livelihoods.book import params

STEM = "f_conclusions"
NOTEBOOK = ROOT / "notebooks" / f"{STEM}.ipynb"
SOURCE = ROOT / "book" / "chapters" / "f_conclusions.md"  # what the content tests read
pytestmark = pytest.mark.slow
SPEC = params.spec(STEM)


# Each research question once, paired so that min_voices also takes its bounds and a middle value
# (the default run covers research_question="all" with the default min_voices).
CASES = {"defaults": "C45", "RQ1, min 1": "C33", "RQ2, min 3": "C38", "RQ3, min 5": "C41"}


@pytest.mark.parametrize("name", list(CASES))
def test_runs_with_allowed_values(runs, name):
    run = runs.get(STEM, name)
    values = run.parameters
    text = run.outputs("text/markdown", "text/html")
    assert not run.errors() and CASES[name] in text
    if values.get("research_question") == "RQ2":
        assert "C33" not in text.split("Evidence audit")[-1]  # the audit shows only RQ2's conclusions
    if values.get("min_voices", 2) >= 3:
        assert f"fewer than {values['min_voices']} voices" in text


def test_cases_cover_every_allowed_value():
    rqs = {v.get("research_question", SPEC["research_question"].default) for v in RUNS[STEM].values()}
    assert rqs == set(SPEC["research_question"].choices) and set(CASES) == set(RUNS[STEM])


@pytest.mark.parametrize("name, value", [("research_question", "RQ4"), ("min_voices", 6), ("min_voices", 0)])
def test_bad_value_is_refused(name, value):
    assert f"'{name}'" in refused(STEM, **{name: value})
