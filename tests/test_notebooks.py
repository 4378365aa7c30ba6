"""Committed notebooks: clean, parameterised, in sync with the registry, and executable."""

from __future__ import annotations

import pytest

from helpers import NOTEBOOKS, ROOT, cell_source, load_nb, parameter_defaults, parameters_cells
from livelihoods.book import params

IDS = [p.stem for p in NOTEBOOKS]


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ has no .ipynb chapter"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_without_outputs(path):
    nb = load_nb(path)
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs or execution counts; strip them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_exactly_one_parameters_cell(path):
    assert len(parameters_cells(load_nb(path))) == 1, f"{path.name} must have exactly one cell tagged 'parameters'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_parameters_match_registry(path):
    """The notebook's parameters cell and livelihoods.params agree on names and defaults."""
    assert path.stem in params.REGISTRY, f"{path.stem} is missing from livelihoods.params.REGISTRY"
    assert parameter_defaults(load_nb(path)) == params.defaults(path.stem)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_validates_parameters_right_after_parameters_cell(path):
    nb = load_nb(path)
    cells = nb["cells"]
    i = next(i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    following = next(c for c in cells[i + 1:] if c["cell_type"] == "code")
    assert f'chapter.start("{path.stem}"' in cell_source(following), f"{path.name}: the cell after 'parameters' must call chapter.start"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_kernelspec(path):
    assert load_nb(path)["metadata"]["kernelspec"]["name"] == "python3"


def test_notebooks_are_in_step_with_their_sources():
    """Chapters are written in book/chapters/<stem>.md; notebooks/<stem>.ipynb is generated from them."""
    from livelihoods.teach import runnable

    result = runnable.sync(ROOT, check=True)
    assert not result.changed, f"out of step with book/chapters/: {[p.name for p in result.changed]}: run 'livelihoods notebooks'"
    assert not result.orphans, f"notebooks without a source in book/chapters/: {[p.name for p in result.orphans]}"
    assert [p.stem for p in runnable.sources(ROOT)] == IDS


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_executes_with_defaults(path, tmp_path):
    import papermill as pm

    pm.execute_notebook(str(path), str(tmp_path / path.name), cwd=str(path.parent), kernel_name="python3",
                        progress_bar=False, execution_timeout=300)
