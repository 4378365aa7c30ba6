"""Chapter C runs with its defaults and every allowed highlight; a bad highlight is refused in one line."""

from __future__ import annotations

import pytest

from chapter_runs import RUNS
from helpers import refused

STEM = "c_framework"


@pytest.mark.slow
@pytest.mark.parametrize("name", list(RUNS[STEM]))
def test_runs_with_every_highlight(runs, name):
    run = runs.get(STEM, name)
    assert not run.errors()
    # outputs that show an image (each figure carries an SVG for the web book and a PNG for the PDF)
    images = sum(
        any(k.startswith("image/") for k in o.get("data", {})) for c in run.nb["cells"] for o in c.get("outputs", [])
    )
    assert images == 2
    highlight = run.parameters.get("highlight")
    if highlight:  # the parameter table shows this run's value
        shown = run.outputs("text/html")
        assert f"&#x27;{highlight}&#x27;" in shown or f"'{highlight}'" in shown


@pytest.mark.parametrize("bad", ["Human", "cultural_barriers", 3])
def test_bad_highlight_is_refused_with_the_parameter_named(bad):
    assert "'highlight'" in refused(STEM, highlight=bad)
