"""Chapter D runs under papermill with its defaults and every allowed value of each parameter."""

from __future__ import annotations

import pytest

from helpers import ROOT
from livelihoods.book import params

pytestmark = pytest.mark.slow
NB = ROOT / "notebooks" / "d_methods.ipynb"
SOURCE = ROOT / "book" / "chapters" / "d_methods.md"  # what the content tests read
SPEC = params.spec("d_methods")
DEFAULTS = params.defaults("d_methods")
# every allowed value of each parameter once, the others at their defaults
RUNS = [{}] + [{name: v} for name, p in SPEC.items() for v in p.choices if v != DEFAULTS[name]]


def _run(tmp_path, **parameters):
    import papermill as pm

    return pm.execute_notebook(str(NB), str(tmp_path / "out.ipynb"), parameters=parameters, cwd=str(NB.parent),
                               kernel_name="python3", progress_bar=False, execution_timeout=300)


@pytest.mark.parametrize("parameters", RUNS, ids=[",".join(f"{k}={v}" for k, v in r.items()) or "defaults" for r in RUNS])
def test_runs(tmp_path, parameters):
    nb = _run(tmp_path, **parameters)
    images = sum("image/png" in o.get("data", {}) for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"])
    assert images == 2


def test_organisation_and_grouping_together(tmp_path):
    _run(tmp_path, organisation="World Bank", grouping="respondent")


@pytest.mark.parametrize("name, bad", [("organisation", "NUST"), ("grouping", "gender")])
def test_bad_value_stops_at_start_with_the_parameter_named(tmp_path, name, bad):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as err:
        _run(tmp_path, **{name: bad})
    assert err.value.ename == "ParameterError" and f"'{name}'" in err.value.evalue
    assert 'chapter.start("d_methods"' in err.value.source
