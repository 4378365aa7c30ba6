"""Chapter C runs under papermill with its defaults and every allowed highlight, and stops on a bad one."""

from __future__ import annotations

import pytest

from helpers import ROOT
from livelihoods.book import params

pytestmark = pytest.mark.slow
NB = ROOT / "notebooks" / "c_framework.ipynb"
SOURCE = ROOT / "book" / "chapters" / "c_framework.md"  # what the content tests read
CHOICES = params.spec("c_framework")["highlight"].choices


def _run(tmp_path, **parameters):
    import papermill as pm

    return pm.execute_notebook(str(NB), str(tmp_path / "out.ipynb"), parameters=parameters, cwd=str(NB.parent),
                               kernel_name="python3", progress_bar=False, execution_timeout=300)


def _images(nb) -> int:
    return sum("image/png" in o.get("data", {}) for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"])


def test_runs_with_defaults(tmp_path):
    nb = _run(tmp_path)
    assert _images(nb) == 2


@pytest.mark.parametrize("highlight", [c for c in CHOICES if c != params.defaults("c_framework")["highlight"]])
def test_runs_with_every_highlight(tmp_path, highlight):
    nb = _run(tmp_path, highlight=highlight)
    assert _images(nb) == 2
    shown = "".join(str(o.get("data", {}).get("text/html", "")) for c in nb["cells"] if c["cell_type"] == "code"
                    for o in c["outputs"])
    assert f"&#x27;{highlight}&#x27;" in shown or f"'{highlight}'" in shown  # the parameter table shows this run


@pytest.mark.parametrize("bad", ["Human", "cultural_barriers", 3])
def test_bad_highlight_stops_at_start_with_the_parameter_named(tmp_path, bad):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as err:
        _run(tmp_path, highlight=bad)
    assert err.value.ename == "ParameterError" and "'highlight'" in err.value.evalue
    assert 'chapter.start("c_framework"' in err.value.source
