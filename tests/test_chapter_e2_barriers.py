"""Chapter E2 (e2_barriers): its structure follows the reference coding, and it runs with every barrier.

The slow tests execute the notebook with papermill (kernel python3, cwd notebooks/) once per allowed
value of ``barrier`` and once with an invalid value, which must stop at the chapter.start cell with a
ParameterError naming the parameter. The default run is also checked for quoting, verbatim and with
attribution, every excerpt that the educators' guide files under section E2.
"""

from __future__ import annotations

import re

import pytest

from helpers import refused, ROOT, bib_keys, cell_source, load_nb
from livelihoods import evidence
from livelihoods.book import chapter
from livelihoods.analyses import barriers, findings
from livelihoods.book import registry

STEM = "e2_barriers"
NOTEBOOK = ROOT / "notebooks" / f"{STEM}.ipynb"
SOURCE = ROOT / "book" / "chapters" / "e2_barriers.md"  # what the content tests read
SECTION = "E2"


def _markdown_source(nb: dict) -> str:
    return "\n".join(cell_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_every_glued_name_is_computed():
    text = _markdown_source(load_nb(SOURCE))
    names = set(re.findall(r"\{glue:(?:text|md)\}`([A-Za-z0-9_]+)", text))
    assert names and names <= set(barriers.e2_values()), names - set(barriers.e2_values())


def test_every_cited_key_is_in_the_bibliography():
    text = "\n".join(cell_source(c) for c in load_nb(SOURCE)["cells"])
    keys = {k.strip() for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", text) for k in group.split(",")}
    bib = bib_keys()
    assert "malik2017" in keys and keys <= bib, keys - bib


def test_one_quotation_cell_per_barrier_code_in_codebook_order():
    quoted = re.findall(r'q\.code\("(\w+)"\)', "\n".join(cell_source(c) for c in load_nb(SOURCE)["cells"]))
    assert quoted == barriers.barrier_codes()


def test_parameter_values_come_from_the_codebook():
    (p,) = registry.REGISTRY[STEM]
    assert p.name == "barrier" and p.choices == ("all", *barriers.barrier_codes())


def test_figures_have_captions_and_alt_text():
    figs = [c["metadata"]["mystnb"] for c in load_nb(SOURCE)["cells"] if "mystnb" in c.get("metadata", {})]
    assert len(figs) >= 2 and all(f["figure"]["caption"] and len(f["image"]["alt"]) > 40 for f in figs)


def test_exercises_have_hidden_solutions():
    nb = load_nb(SOURCE)
    labels = re.findall(r":label: (ex-e2-[\w-]+)", _markdown_source(nb))
    solutions = [cell_source(c) for c in nb["cells"] if "solution" in c.get("metadata", {}).get("tags", [])]
    assert labels and len(solutions) == len(labels)
    assert all(f"{{solution}} {lab}" in s and ":class: dropdown" in s for lab, s in zip(labels, solutions))


# --------------------------------------------------------------------------- executed


def _dossier(run) -> str:
    text = run.output_of("barrier_dossier_md(")
    assert text, "the evidence dossier printed nothing"
    return text


@pytest.mark.slow
def test_default_run_quotes_every_section_excerpt_with_attribution(runs):
    run = runs.get(STEM)
    shown = run.markdown
    ex = evidence.load_excerpts()
    mine = ex[ex["guide_section"] == SECTION]
    assert len(mine) > 0
    missing = [row.excerpt_id for row in mine.itertuples() if chapter.quote_md(ex.loc[row.Index]) not in shown]
    assert not missing, f"excerpts of section {SECTION} not quoted verbatim with attribution: {missing}"
    assert {"fig-e2-voices", "fig-e2-actors"} <= run.images()
    dossier = _dossier(run)
    assert all(f"**{findings.label(b)}**" in dossier for b in barriers.barrier_codes())


@pytest.mark.slow
@pytest.mark.parametrize("barrier", barriers.barrier_codes())
def test_runs_with_every_barrier_and_spotlights_it(runs, barrier):
    run = runs.get(STEM, f"barrier={barrier}")
    assert not run.errors() and "fig-e2-actors" in run.images()
    dossier = _dossier(run)
    for other in barriers.barrier_codes():
        assert (f"**{findings.label(other)}**" in dossier) == (other == barrier), other
    for eid in barriers.barrier_actor_evidence().query("barrier_code == @barrier")["evidence"]:
        assert f"**{eid}**" in dossier, eid


def test_invalid_barrier_is_refused():
    message = refused(STEM, barrier="electricity")
    assert "'barrier'" in message and "'gender_expectations'" in message
