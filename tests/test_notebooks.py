"""Committed notebooks: clean, parameterised, in sync with the registry, and executable."""

from __future__ import annotations

import pytest

from helpers import NOTEBOOKS, ROOT, cell_source, load_nb, parameter_defaults, parameters_cells
from livelihoods.book import params
from livelihoods.book import registry

IDS = [p.stem for p in NOTEBOOKS]


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ has no .ipynb chapter"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_without_outputs(path):
    nb = load_nb(path)
    dirty = [
        i
        for i, c in enumerate(nb["cells"])
        if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs or execution counts; strip them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_exactly_one_parameters_cell(path):
    assert len(parameters_cells(load_nb(path))) == 1, f"{path.name} must have exactly one cell tagged 'parameters'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_parameters_match_registry(path):
    """The notebook's parameters cell and livelihoods.book.registry agree on names and defaults."""
    assert path.stem in registry.REGISTRY, f"{path.stem} is missing from livelihoods.book.registry.REGISTRY"
    assert parameter_defaults(load_nb(path)) == params.defaults(path.stem)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_validates_parameters_right_after_parameters_cell(path):
    nb = load_nb(path)
    cells = nb["cells"]
    i = next(i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    following = next(c for c in cells[i + 1 :] if c["cell_type"] == "code")
    assert f'chapter.start("{path.stem}"' in cell_source(following), (
        f"{path.name}: the cell after 'parameters' must call chapter.start"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_kernelspec(path):
    assert load_nb(path)["metadata"]["kernelspec"]["name"] == "python3"


def test_notebooks_are_in_step_with_their_sources():
    """Chapters are written in book/chapters/<stem>.md; notebooks/<stem>.ipynb is generated from them."""
    from livelihoods.teach import runnable

    result = runnable.sync(ROOT, check=True)
    assert not result.changed, (
        f"out of step with book/chapters/: {[p.name for p in result.changed]}: run 'livelihoods notebooks'"
    )
    assert not result.orphans, f"notebooks without a source in book/chapters/: {[p.name for p in result.orphans]}"
    assert [p.stem for p in runnable.sources(ROOT)] == IDS


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_executes_with_defaults(path, runs):
    run = runs.get(path.stem)
    assert not run.errors(), run.errors()
    assert not run.outputs("text/markdown").count("{glue"), "a number placeholder reached the page"


def test_runs_reach_every_allowed_value():
    """The shared runs (tests/chapter_runs.py) give every choice of every parameter, and both bounds and
    a middle value of every number, at least once."""
    from chapter_runs import RUNS

    for stem, spec in registry.REGISTRY.items():
        runs = [{**params.defaults(stem), **values} for values in RUNS[stem].values()]
        for p in spec:
            seen = [r[p.name] for r in runs]
            if p.choices:
                assert set(p.choices) <= set(seen), (stem, p.name, set(p.choices) - set(seen))
            elif p.low is not None and p.high is not None:
                middle = (p.low + p.high) / 2
                assert {p.low, p.high} <= set(seen), (stem, p.name, "bounds")
                assert any(abs(v - middle) <= (p.high - p.low) * 0.05 for v in seen), (stem, p.name, "middle")


@pytest.mark.slow
def test_a_bad_value_stops_the_kernel_at_the_chapters_start(tmp_path):
    """What every chapter's refusal tests assume: chapter.start runs first and stops with one line."""
    import papermill as pm

    path = ROOT / "notebooks" / "e4_impact.ipynb"
    out = tmp_path / "out.ipynb"
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(
            str(path),
            str(out),
            parameters={"dropout_share": 1.5},
            cwd=str(path.parent),
            kernel_name="python3",
            progress_bar=False,
            execution_timeout=120,
        )
    assert err.value.ename == "ParameterError" and "'dropout_share'" in err.value.evalue
    assert "\n" not in err.value.evalue.strip()
    nb = load_nb(out)
    failed = [c for c in nb["cells"] if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert len(failed) == 1 and 'chapter.start("e4_impact"' in cell_source(failed[0])


# --------------------------------------------------------------------------- readable in any front end

_MYST = ("{glue", "{cite", "{ref", "{numref", "{term", "{doc", "```{", ":::{")


def _commonmark(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").render(text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_markdown_cells_carry_no_myst(path):
    """Colab and plain Jupyter render CommonMark: no role, directive fence or label may be left as text."""
    for i, cell in enumerate(load_nb(path)["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        html = _commonmark(cell_source(cell))
        found = [m for m in _MYST if m in html] + (["a :label: line"] if ":label:" in html else [])
        assert not found, f"{path.name}, cell {i}: {found} would show raw in Colab or Jupyter"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_exercises_carry_their_chapter_number_and_solutions_are_collapsed(path):
    """Every exercise of the source is 'Exercise E4.n' in the runnable notebook, with its solution
    in a collapsed <details> block in a cell tagged 'solution'."""
    import re

    from livelihoods.book import myst
    from livelihoods.book.chapter import chapter_number

    source = load_nb(ROOT / "book" / "chapters" / f"{path.stem}.md")
    n = sum(
        b.name == "exercise"
        for c in source["cells"]
        if c["cell_type"] == "markdown"
        for b in myst.directive_blocks(cell_source(c))
    )
    nb = load_nb(path)
    text = "\n".join(cell_source(c) for c in nb["cells"])
    prefix = chapter_number(path.stem)
    numbers = re.findall(rf"\*\*Exercise ({re.escape(prefix)}\.\d+)\*\*", text)
    assert numbers == [f"{prefix}.{k}" for k in range(1, n + 1)], f"{path.name}: exercises numbered {numbers}"
    solutions = [cell_source(c) for c in nb["cells"] if myst.is_solution(c)]
    assert len(solutions) == n and all("<details>" in s and "<summary>Solution to Exercise" in s for s in solutions)
    assert myst.untagged_solutions(nb) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_computed_numbers_are_printed_by_hidden_cells(path):
    """A paragraph that quotes a computed number is a code cell with its source hidden (JupyterLab and
    Colab's form view) whose output is the paragraph: markdown cells hold no number placeholders."""
    nb = load_nb(path)
    prose = [c for c in nb["cells"] if c["cell_type"] == "code" and "prose(r" in cell_source(c)]
    for cell in prose:
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True
        assert cell["metadata"].get("cellView") == "form" and cell_source(cell).startswith("#@title")
        assert "{glue" not in cell_source(cell), "even the hidden code holds no MyST (GitHub shows it)"
        assert "remove-input" in cell["metadata"].get("tags", [])
    source = load_nb(ROOT / "book" / "chapters" / f"{path.stem}.md")
    uses_glue = any(c["cell_type"] == "markdown" and "{glue" in cell_source(c) for c in source["cells"])
    assert bool(prose) == uses_glue


@pytest.mark.parametrize("stem", ["e4_impact", "d2_coding_lab"])
def test_executed_notebook_through_nbconvert_shows_no_myst(runs, stem):
    """What GitHub's and Colab's viewers come close to: nbconvert's HTML of an executed runnable notebook."""
    import json
    import re

    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.reads(json.dumps(runs.get(stem).nb), as_version=4)
    body, _ = HTMLExporter().from_notebook_node(nb)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    found = [m for m in (*_MYST, ":label:") if m in text]
    assert not found, f"{stem}: MyST markup in nbconvert's page: {found}"
    assert "Exercise " in text and "Solution to Exercise" in text
