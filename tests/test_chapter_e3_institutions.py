"""Chapter E3 (institutions) runs for every value of its parameter and stops cleanly on a bad one.

Also checks the chapter's promise that every excerpt the educators' guide files under E3
(section 5.2 of the paper) is quoted verbatim with its attribution in the executed page.
"""

from __future__ import annotations

import pytest

from helpers import refused, ROOT
from livelihoods import evidence
from livelihoods.book import chapter
from livelihoods.book import params

STEM = "e3_institutions"
NOTEBOOK = ROOT / "notebooks" / f"{STEM}.ipynb"
SOURCE = ROOT / "book" / "chapters" / "e3_institutions.md"  # what the content tests read
pytestmark = pytest.mark.slow


def test_default_run_quotes_every_e3_excerpt_with_attribution(runs):
    run = runs.get(STEM)
    shown = run.markdown
    excerpts = evidence.load_excerpts()
    e3 = excerpts[excerpts["guide_section"] == "E3"]
    assert len(e3) > 0 and not run.errors()
    missing = [row.excerpt_id for _, row in e3.iterrows() if chapter.quote_md(row) not in shown]
    assert not missing, f"E3 excerpts not quoted with attribution: {missing}"


@pytest.mark.parametrize(
    "force", [c for c in params.spec(STEM)["force"].choices if c != params.defaults(STEM)["force"]]
)
def test_runs_with_every_force(runs, force):
    from livelihoods.analyses import institutions

    run = runs.get(STEM, f"force={force}")
    html = run.outputs("text/html")
    assert f"Claims that bear on {institutions.label(force)}" in html.replace(
        "&#x27;", "'"
    )  # the spotlight took effect


@pytest.mark.parametrize("bad", ["banks", "Platforms"])
def test_bad_force_is_refused(bad):
    message = refused(STEM, force=bad)
    assert "'force'" in message and "'platforms'" in message
