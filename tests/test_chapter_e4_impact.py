"""Chapter E4 (impact): the frame, every E4 excerpt quoted, and every parameter exercised under papermill."""

from __future__ import annotations

import re

import pytest

from chapter_runs import RUNS
from helpers import refused, ROOT, bib_keys, cell_source, load_nb
from livelihoods import evidence
from livelihoods.book import params
from livelihoods.errors import ParameterError
from livelihoods.analyses import impact

STEM = "e4_impact"
NB = ROOT / "notebooks" / f"{STEM}.ipynb"
SOURCE = ROOT / "book" / "chapters" / "e4_impact.md"  # what the content tests read


def _cells(kind: str | None = None) -> list[dict]:
    return [c for c in load_nb(SOURCE)["cells"] if kind is None or c["cell_type"] == kind]


def _quoted_ids() -> set[str]:
    ids: set[str] = set()
    for cell in _cells("code"):
        for call in re.findall(r"chapter\.quote\(([^)]*)\)", cell_source(cell)):
            ids |= set(re.findall(r"EX\d{2}", call))
    return ids


def test_every_e4_excerpt_is_quoted_with_attribution():
    excerpts = evidence.load_excerpts()
    e4 = set(excerpts.loc[excerpts["guide_section"] == "E4", "excerpt_id"])
    assert e4, "excerpts.csv has no E4 excerpts"
    missing = sorted(e4 - _quoted_ids())
    assert not missing, f"{STEM} does not quote {missing} through chapter.quote"


def test_frame():
    md = "\n".join(cell_source(c) for c in _cells("markdown"))
    assert md.startswith("# E4 · ")
    assert "```{livelihoods-question} S8\n```" in md
    for part in (
        "**Learning objectives.**",
        "**Time:**",
        "**Read first:**",
        "```{livelihoods-run}\n```",
        "## Exercises",
        "## Development questions this chapter prepares for",
    ):
        assert part in md, part
    assert md.count("```{exercise}") >= 2
    solutions = [c for c in _cells("markdown") if "solution" in c.get("metadata", {}).get("tags", [])]
    assert len(solutions) == md.count("```{exercise}")
    assert all(":class: dropdown" in cell_source(c) for c in solutions)
    assert "```{livelihoods-prepares}\n```" in md
    figures = [c for c in _cells("code") if "figure" in c.get("metadata", {}).get("mystnb", {})]
    assert len(figures) >= 2
    for c in figures:
        meta = c["metadata"]["mystnb"]
        assert meta["figure"]["caption"] and len(meta["image"]["alt"]) > 40


def test_assumptions_are_labelled_on_the_page():
    from livelihoods.book.pages import run_box_md

    box = run_box_md(STEM)  # the page's "Run this chapter yourself" box, the one place it speaks of parameters
    for name in params.spec(STEM):
        assert f"`{name}`" in box, f"the run box does not describe {name}"
    for name in ("split_struggling", "split_surviving", "split_swimming", "hours_per_month"):
        row = box.split(f"* - `{name}`", 1)[1].split("* - ", 1)[0]
        assert "An assumption: the paper gives no figure." in row, name
    assert all(
        params.spec(STEM)[n].assumption
        for n in ("split_struggling", "split_surviving", "split_swimming", "hours_per_month")
    )


def test_prose_cites_only_known_keys():
    keys = bib_keys()
    md = "\n".join(cell_source(c) for c in _cells("markdown"))
    cited = {k.strip() for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", md) for k in group.split(",")}
    assert cited and cited <= keys, cited - keys


def test_defaults_are_the_papers_figures():
    assert params.defaults(STEM)["dropout_share"] == impact.paper_dropout_share()
    assert params.defaults(STEM)["rupees_per_usd"] == impact.paper_rupees_per_usd()


# ----------------------------------------------------------------- runs (tests/chapter_runs.py)

INVALID = [
    ({"dropout_share": 1.5}, "dropout_share"),
    ({"split_struggling": -0.1}, "split_struggling"),
    ({"split_surviving": 1.2}, "split_surviving"),
    ({"split_swimming": "most"}, "split_swimming"),
    ({"rupees_per_usd": 10.0}, "rupees_per_usd"),
    ({"hours_per_month": 12.5}, "hours_per_month"),
]


def test_runs_with_all_allowed_values_covered():
    """The runs reach both bounds and a middle value of every parameter."""
    for name, p in params.spec(STEM).items():
        seen = {run.get(name, p.default) for run in RUNS[STEM].values()}
        middle = (p.low + p.high) / 2
        assert {p.low, p.high} <= seen and any(abs(v - middle) <= (p.high - p.low) * 0.05 for v in seen), name


@pytest.mark.slow
@pytest.mark.parametrize("name", list(RUNS[STEM]))
def test_runs_with_allowed_values(runs, name):
    run = runs.get(STEM, name)
    assert not run.errors() and run.images()
    text = run.outputs()
    if name == "defaults":  # every E4 excerpt appears verbatim in the outputs
        excerpts = evidence.load_excerpts()
        for t in excerpts.loc[excerpts["guide_section"] == "E4", "text"]:
            assert t.replace("$", "\\$").split("\n")[0] in text


@pytest.mark.parametrize("values, name", INVALID, ids=[n for _, n in INVALID])
def test_invalid_value_is_refused_with_parameter_error(values, name):
    assert name in refused(STEM, **values)


def test_a_split_that_does_not_add_up_is_refused_at_the_start():
    with pytest.raises(ParameterError, match="split_swimming|add up"):
        impact.check_split(0.5, 0.5, 0.5)  # chapter.start's next line: sums to 1.5
