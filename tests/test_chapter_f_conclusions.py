"""Chapter F (conclusions) runs for every value of its parameters and stops cleanly on bad ones."""

from __future__ import annotations

import pytest

from helpers import ROOT, load_nb
from livelihoods.book import params

STEM = "f_conclusions"
NOTEBOOK = ROOT / "notebooks" / f"{STEM}.ipynb"
SOURCE = ROOT / "book" / "chapters" / "f_conclusions.md"  # what the content tests read
pytestmark = pytest.mark.slow
SPEC = params.spec(STEM)


def run(tmp_path, **parameters):
    import papermill as pm

    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters=parameters, cwd=str(NOTEBOOK.parent),
                        kernel_name="python3", progress_bar=False, execution_timeout=300)
    return load_nb(out)


def shown_text(nb: dict) -> str:
    parts = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            for kind in ("text/markdown", "text/html"):
                value = output.get("data", {}).get(kind)
                if value:
                    parts.append("".join(value) if isinstance(value, list) else value)
    return "\n".join(parts)


# Each research question once, paired so that min_voices also takes its bounds and a middle value
# (the default run covers research_question="all" with the default min_voices).
CASES = [
    ({}, "C45"),
    ({"research_question": "RQ1", "min_voices": int(SPEC["min_voices"].low)}, "C33"),
    ({"research_question": "RQ2", "min_voices": 3}, "C38"),
    ({"research_question": "RQ3", "min_voices": int(SPEC["min_voices"].high)}, "C41"),
]


@pytest.mark.parametrize("values, expected", CASES, ids=["defaults", "RQ1-min1", "RQ2-min3", "RQ3-min5"])
def test_runs_with_allowed_values(tmp_path, values, expected):
    text = shown_text(run(tmp_path, **values))
    assert expected in text
    if values.get("research_question") == "RQ2":
        assert "C33" not in text.split("Evidence audit")[-1]  # the audit shows only RQ2's conclusions
    if values.get("min_voices", 2) >= 3:
        assert f"fewer than {values['min_voices']} voices" in text


def test_cases_cover_every_allowed_value():
    rqs = {v.get("research_question", SPEC["research_question"].default) for v, _ in CASES}
    assert rqs == set(SPEC["research_question"].choices)


@pytest.mark.parametrize("name, value", [("research_question", "RQ4"), ("min_voices", 6), ("min_voices", 0)])
def test_bad_value_stops_at_chapter_start(tmp_path, name, value):
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as err:
        run(tmp_path, **{name: value})
    assert err.value.ename == "ParameterError"
    assert f"'{name}'" in err.value.evalue
    assert 'chapter.start("f_conclusions"' in err.value.source
