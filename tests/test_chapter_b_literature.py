"""Chapter B (b_literature): its glued numbers exist, and it runs with every allowed stream.

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

STEM = "b_literature"
NOTEBOOK = ROOT / "notebooks" / f"{STEM}.ipynb"
SOURCE = ROOT / "book" / "chapters" / "b_literature.md"  # what the content tests read
FIGURES = ("fig-b-years", "fig-b-streams", "fig-b-citations", "fig-b-views")


def _glued_names(nb: dict) -> set[str]:
    text = "\n".join(cell_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    return set(re.findall(r"\{glue:(?:text|md)\}`([A-Za-z0-9_]+)", text)) | set(re.findall(r"```\{glue:md\} (\w+)", text))


def test_every_glued_name_is_computed():
    names = _glued_names(load_nb(SOURCE))
    assert names, "the chapter glues no numbers"
    assert names - {"synopsis"} <= set(paper.literature_numbers()), names - set(paper.literature_numbers())


def test_every_cited_key_is_in_the_bibliography():
    text = "\n".join(cell_source(c) for c in load_nb(SOURCE)["cells"])
    keys = {k.strip() for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", text) for k in group.split(",")}
    bib = bib_keys()
    assert keys and keys <= bib, keys - bib


def test_parameter_values_come_from_the_data():
    (p,) = params.REGISTRY[STEM]
    assert p.name == "stream" and p.choices == ("all", *paper.streams())


def _run(tmp_path, **parameters):
    import papermill as pm

    slug = re.sub(r"\W+", "-", "-".join(map(str, parameters.values())))
    out = tmp_path / f"{STEM}-{slug}.ipynb"
    return pm.execute_notebook(str(NOTEBOOK), str(out), parameters=parameters, cwd=str(NOTEBOOK.parent),
                               kernel_name="python3", progress_bar=False, execution_timeout=300)


def _images(nb) -> set[str]:
    names = set()
    for cell in nb["cells"]:
        name = cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("name")
        if name and any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
            names.add(name)
    return names


@pytest.mark.slow
@pytest.mark.parametrize("value", params.STREAMS)
def test_runs_with_every_stream(tmp_path, value):
    nb = _run(tmp_path, stream=value)
    assert _images(nb) == set(FIGURES)


@pytest.mark.slow
def test_invalid_stream_stops_at_start(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as info:
        _run(tmp_path, stream="gig economy")
    err = info.value
    assert err.ename == "ParameterError" and "'stream'" in err.evalue and "'critical labour'" in err.evalue
    assert f'chapter.start("{STEM}"' in err.source
