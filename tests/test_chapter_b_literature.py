"""Chapter B (b_literature): its glued numbers exist, and it runs with every allowed stream.

The slow tests execute the notebook with papermill (kernel python3, cwd notebooks/) once per
allowed value and once with an invalid value, which must stop at the chapter.start cell with a
ParameterError naming the parameter.
"""

from __future__ import annotations

import re

import pytest

from chapter_runs import RUNS
from helpers import refused, ROOT, bib_keys, cell_source, load_nb
from livelihoods.analyses import literature
from livelihoods.book import registry

STEM = "b_literature"
NOTEBOOK = ROOT / "notebooks" / f"{STEM}.ipynb"
SOURCE = ROOT / "book" / "chapters" / "b_literature.md"  # what the content tests read
FIGURES = ("fig-b-years", "fig-b-streams", "fig-b-citations", "fig-b-views")


def _glued_names(nb: dict) -> set[str]:
    text = "\n".join(cell_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    return set(re.findall(r"\{glue:(?:text|md)\}`([A-Za-z0-9_]+)", text)) | set(
        re.findall(r"```\{glue:md\} (\w+)", text)
    )


def test_every_glued_name_is_computed():
    names = _glued_names(load_nb(SOURCE))
    assert names, "the chapter glues no numbers"
    assert names - {"synopsis"} <= set(literature.literature_numbers()), names - set(literature.literature_numbers())


def test_every_cited_key_is_in_the_bibliography():
    text = "\n".join(cell_source(c) for c in load_nb(SOURCE)["cells"])
    keys = {k.strip() for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", text) for k in group.split(",")}
    bib = bib_keys()
    assert keys and keys <= bib, keys - bib


def test_parameter_values_come_from_the_data():
    (p,) = registry.REGISTRY[STEM]
    assert p.name == "stream" and p.choices == ("all", *literature.streams())


@pytest.mark.slow
@pytest.mark.parametrize("name", list(RUNS[STEM]))
def test_runs_with_every_stream(runs, name):
    run = runs.get(STEM, name)
    assert not run.errors() and run.images() == set(FIGURES)


@pytest.mark.parametrize("bad", ["gig economy", "All", None])
def test_invalid_stream_is_refused(bad):
    message = refused(STEM, stream=bad)
    assert "'stream'" in message and "'critical labour'" in message
