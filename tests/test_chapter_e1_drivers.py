"""Chapter E1 (e1_drivers): its structure follows the reference coding, and it runs with every organisation.

The slow tests execute the notebook with papermill (kernel python3, cwd notebooks/) once per allowed
value of ``organisation`` and once with an invalid value, which must stop at the chapter.start cell
with a ParameterError naming the parameter. The default run is also checked for quoting, verbatim
and with attribution, every excerpt that the educators' guide files under section E1.
"""

from __future__ import annotations

import re

import pytest

from helpers import refused, ROOT, bib_keys, cell_source, load_nb
from livelihoods import evidence
from livelihoods.book import chapter
from livelihoods.analyses import drivers, findings
from livelihoods.book import registry

STEM = "e1_drivers"
NOTEBOOK = ROOT / "notebooks" / f"{STEM}.ipynb"
SOURCE = ROOT / "book" / "chapters" / "e1_drivers.md"  # what the content tests read
SECTION = "E1"


def _markdown_source(nb: dict) -> str:
    return "\n".join(cell_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_every_glued_name_is_computed():
    text = _markdown_source(load_nb(SOURCE))
    names = set(re.findall(r"\{glue:(?:text|md)\}`([A-Za-z0-9_]+)", text))
    assert names and names <= set(drivers.e1_values()), names - set(drivers.e1_values())


def test_every_cited_key_is_in_the_bibliography():
    text = "\n".join(cell_source(c) for c in load_nb(SOURCE)["cells"])
    keys = {k.strip() for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", text) for k in group.split(",")}
    bib = bib_keys()
    assert "malik2017" in keys and keys <= bib, keys - bib


def test_one_quotation_cell_per_driver_code_in_codebook_order():
    """Every leaf code of the driver themes is quoted, none twice, in the order of the codebook."""
    quoted = re.findall(r'q\.code\("(\w+)"\)', "\n".join(cell_source(c) for c in load_nb(SOURCE)["cells"]))
    assert quoted == [c for theme in drivers.DRIVER_THEMES for c in findings.leaves_under(theme)]


def test_parameter_matches_the_organisations():
    (p,) = registry.REGISTRY[STEM]
    assert p.name == "organisation" and p.choices == registry.ORGANISATIONS


def test_figures_have_captions_and_alt_text():
    figs = [c["metadata"]["mystnb"] for c in load_nb(SOURCE)["cells"] if "mystnb" in c.get("metadata", {})]
    assert figs and all(f["figure"]["caption"] and len(f["image"]["alt"]) > 40 for f in figs)


def test_exercises_have_hidden_solutions():
    nb = load_nb(SOURCE)
    labels = re.findall(r":label: (ex-e1-[\w-]+)", _markdown_source(nb))
    solutions = [cell_source(c) for c in nb["cells"] if "solution" in c.get("metadata", {}).get("tags", [])]
    assert labels and len(solutions) == len(labels)
    assert all(f"{{solution}} {lab}" in s and ":class: dropdown" in s for lab, s in zip(labels, solutions))


# --------------------------------------------------------------------------- executed


@pytest.mark.slow
def test_default_run_quotes_every_section_excerpt_with_attribution(runs):
    run = runs.get(STEM)
    shown = run.markdown
    ex = evidence.load_excerpts()
    mine = ex[ex["guide_section"] == SECTION]
    assert len(mine) > 0
    missing = [row.excerpt_id for row in mine.itertuples() if chapter.quote_md(ex.loc[row.Index]) not in shown]
    assert not missing, f"excerpts of section {SECTION} not quoted verbatim with attribution: {missing}"
    assert "fig-e1-drivers" in run.images()


@pytest.mark.slow
@pytest.mark.parametrize("organisation", [o for o in registry.ORGANISATIONS if o != "all"])
def test_runs_with_every_organisation_and_filters_the_quotations(runs, organisation):
    run = runs.get(STEM, f"organisation={organisation}")
    assert not run.errors() and "fig-e1-drivers" in run.images()
    shown = run.markdown
    ex = evidence.excerpts_with_respondents().set_index("excerpt_id")
    kept = set(findings.excerpt_ids(drivers.DRIVER_THEMES, organisation))
    for eid in findings.excerpt_ids(drivers.DRIVER_THEMES):
        quoted = ex.loc[eid, "text"].replace("$", "\\$")  # as chapter.quote_md writes it (no dollar maths)
        assert (quoted in shown) == (eid in kept), eid


def test_invalid_organisation_is_refused():
    message = refused(STEM, organisation="NUST")
    assert "'organisation'" in message and "'KADO'" in message
