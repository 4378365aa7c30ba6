"""Chapter A (a_rationale): its glued numbers exist, and it runs with every allowed figure_group.

The slow tests execute the notebook with papermill (kernel python3, cwd notebooks/) once per
allowed value and once with an invalid value, which must stop at the chapter.start cell with a
ParameterError naming the parameter.
"""

from __future__ import annotations

import re

import pytest

from helpers import ROOT, bib_keys, cell_source, load_nb
from livelihoods.analyses import paper
from livelihoods.book import params

STEM = "a_rationale"
NOTEBOOK = ROOT / "notebooks" / f"{STEM}.ipynb"
SOURCE = ROOT / "book" / "chapters" / "a_rationale.md"  # what the content tests read


def _glued_names(nb: dict) -> set[str]:
    text = "\n".join(cell_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    return set(re.findall(r"\{glue:(?:text|md)\}`([A-Za-z0-9_]+)", text)) | set(re.findall(r"```\{glue:md\} (\w+)", text))


def test_every_glued_name_is_computed():
    names = _glued_names(load_nb(SOURCE))
    assert names, "the chapter glues no numbers"
    assert names - {"synopsis"} <= set(paper.rationale_numbers()), names - set(paper.rationale_numbers())


def test_every_cited_key_is_in_the_bibliography():
    text = "\n".join(cell_source(c) for c in load_nb(SOURCE)["cells"])
    keys = {k.strip() for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", text) for k in group.split(",")}
    bib = bib_keys()
    assert keys and keys <= bib, keys - bib


def test_parameter_values_come_from_the_data():
    (p,) = params.REGISTRY[STEM]
    assert p.name == "figure_group" and p.choices == ("all", *paper.figure_groups())


def _run(tmp_path, **parameters):
    import papermill as pm

    out = tmp_path / f"{STEM}-{'-'.join(map(str, parameters.values()))}.ipynb"
    return pm.execute_notebook(str(NOTEBOOK), str(out), parameters=parameters, cwd=str(NOTEBOOK.parent),
                               kernel_name="python3", progress_bar=False, execution_timeout=300)


def _has_image(nb, figure_name: str) -> bool:
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("name") == figure_name:
            return any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
    return False


@pytest.mark.slow
@pytest.mark.parametrize("value", params.FIGURE_GROUPS)
def test_runs_with_every_figure_group(tmp_path, value):
    nb = _run(tmp_path, figure_group=value)
    assert _has_image(nb, "fig-a-scale")


@pytest.mark.slow
def test_invalid_figure_group_stops_at_start(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as info:
        _run(tmp_path, figure_group="everything")
    err = info.value
    assert err.ename == "ParameterError" and "'figure_group'" in err.evalue and "'markets'" in err.evalue
    assert f'chapter.start("{STEM}"' in err.source
