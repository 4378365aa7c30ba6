"""Chapter A (a_rationale): its glued numbers exist, and it runs with every allowed figure_group.

The slow tests execute the notebook with papermill (kernel python3, cwd notebooks/) once per
allowed value and once with an invalid value, which must stop at the chapter.start cell with a
ParameterError naming the parameter.
"""

from __future__ import annotations

import re

import pytest

from chapter_runs import RUNS
from helpers import refused, ROOT, bib_keys, cell_source, load_nb
from livelihoods.analyses import rationale
from livelihoods.book import registry

STEM = "a_rationale"
NOTEBOOK = ROOT / "notebooks" / f"{STEM}.ipynb"
SOURCE = ROOT / "book" / "chapters" / "a_rationale.md"  # what the content tests read


def _glued_names(nb: dict) -> set[str]:
    text = "\n".join(cell_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    return set(re.findall(r"\{glue:(?:text|md)\}`([A-Za-z0-9_]+)", text)) | set(
        re.findall(r"```\{glue:md\} (\w+)", text)
    )


def test_every_glued_name_is_computed():
    names = _glued_names(load_nb(SOURCE))
    assert names, "the chapter glues no numbers"
    assert names - {"synopsis"} <= set(rationale.rationale_numbers()), names - set(rationale.rationale_numbers())


def test_every_cited_key_is_in_the_bibliography():
    text = "\n".join(cell_source(c) for c in load_nb(SOURCE)["cells"])
    keys = {k.strip() for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", text) for k in group.split(",")}
    bib = bib_keys()
    assert keys and keys <= bib, keys - bib


def test_parameter_values_come_from_the_data():
    (p,) = registry.REGISTRY[STEM]
    assert p.name == "figure_group" and p.choices == ("all", *rationale.figure_groups())


@pytest.mark.slow
@pytest.mark.parametrize("name", list(RUNS[STEM]))
def test_runs_with_every_figure_group(runs, name):
    run = runs.get(STEM, name)
    assert not run.errors() and "fig-a-scale" in run.images()


@pytest.mark.parametrize("bad", ["everything", "Platforms", 3])
def test_invalid_figure_group_is_refused(bad):
    message = refused(STEM, figure_group=bad)
    assert "'figure_group'" in message and "'markets'" in message
