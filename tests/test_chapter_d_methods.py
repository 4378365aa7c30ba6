"""Chapter D runs with its defaults and every allowed value of each parameter; bad values are refused."""

from __future__ import annotations

import pytest

from chapter_runs import RUNS
from helpers import refused

STEM = "d_methods"


@pytest.mark.slow
@pytest.mark.parametrize("name", list(RUNS[STEM]))
def test_runs(runs, name):
    run = runs.get(STEM, name)
    assert not run.errors()
    # outputs that show an image (each figure carries an SVG for the web book and a PNG for the PDF)
    images = sum(
        any(k.startswith("image/") for k in o.get("data", {})) for c in run.nb["cells"] for o in c.get("outputs", [])
    )
    assert images == 2


@pytest.mark.parametrize("name, bad", [("organisation", "NUST"), ("grouping", "gender")])
def test_bad_value_is_refused_with_the_parameter_named(name, bad):
    assert f"'{name}'" in refused(STEM, **{name: bad})
