"""Chapter E3 (institutions) runs for every value of its parameter and stops cleanly on a bad one.

Also checks the chapter's promise that every excerpt the educators' guide files under E3
(section 5.2 of the paper) is quoted verbatim with its attribution in the executed page.
"""

from __future__ import annotations

import pytest

from helpers import ROOT, load_nb
from livelihoods import evidence
from livelihoods.book import chapter
from livelihoods.book import params

STEM = "e3_institutions"
NOTEBOOK = ROOT / "notebooks" / f"{STEM}.ipynb"
SOURCE = ROOT / "book" / "chapters" / "e3_institutions.md"  # what the content tests read
pytestmark = pytest.mark.slow


def run(tmp_path, name: str, **parameters):
    import papermill as pm

    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters=parameters, cwd=str(NOTEBOOK.parent),
                        kernel_name="python3", progress_bar=False, execution_timeout=300)
    return load_nb(out)


def markdown_outputs(nb: dict) -> str:
    texts = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            md = output.get("data", {}).get("text/markdown")
            if md:
                texts.append("".join(md) if isinstance(md, list) else md)
    return "\n".join(texts)


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    return run(tmp_path_factory.mktemp("e3"), "default")


def test_default_run_quotes_every_e3_excerpt_with_attribution(default_run):
    shown = markdown_outputs(default_run)
    excerpts = evidence.load_excerpts()
    e3 = excerpts[excerpts["guide_section"] == "E3"]
    assert len(e3) > 0
    missing = [row.excerpt_id for _, row in e3.iterrows() if chapter.quote_md(row) not in shown]
    assert not missing, f"E3 excerpts not quoted with attribution: {missing}"


@pytest.mark.parametrize("force", [c for c in params.spec(STEM)["force"].choices if c != params.defaults(STEM)["force"]])
def test_runs_with_every_force(tmp_path, force):
    from livelihoods.analyses import institutions

    nb = run(tmp_path, force, force=force)
    html = "\n".join("".join(o.get("data", {}).get("text/html", "")) for c in nb["cells"] for o in c.get("outputs", []))
    assert f"Claims that bear on {institutions.label(force)}" in html.replace("&#x27;", "'")  # the spotlight took effect


def test_bad_force_stops_at_chapter_start(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as err:
        run(tmp_path, "bad", force="banks")
    assert err.value.ename == "ParameterError"
    assert "'force'" in err.value.evalue and "'platforms'" in err.value.evalue
    assert 'chapter.start("e3_institutions"' in err.value.source
