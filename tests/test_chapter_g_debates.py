"""The debates chapter: six labelled sections, evidence for each side, the cost scenario, every parameter exercised."""

from __future__ import annotations

import re

import pytest

from chapter_runs import RUNS
from helpers import refused, ROOT, bib_keys, cell_source, load_nb
from livelihoods import evidence
from livelihoods.analyses import debates
from livelihoods.book import params

STEM = "g_debates"
NB = ROOT / "notebooks" / f"{STEM}.ipynb"
SOURCE = ROOT / "book" / "chapters" / "g_debates.md"  # what the content tests read


def _cells() -> list[dict]:
    return load_nb(SOURCE)["cells"]


def _markdown() -> str:
    return "\n".join(cell_source(c) for c in _cells() if c["cell_type"] == "markdown")


def test_six_labelled_sections_each_quoting_its_question_with_evidence_and_a_prompt():
    cells = _cells()
    starts = [
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "markdown" and re.search(r"^\(debate-d\d\)=", cell_source(c), re.M)
    ]
    labels = [re.search(r"\(debate-(d\d)\)=", cell_source(cells[i])).group(1) for i in starts]
    assert labels == [f"d{n}" for n in range(1, 7)]
    bounds = starts + [len(cells)]
    for n, (a, b) in enumerate(zip(bounds, bounds[1:]), start=1):
        body = "\n".join(cell_source(c) for c in cells[a:b])
        assert re.search(
            rf"\(debate-d{n}\)=\n## [^\n]+\n\n```{{livelihoods-question}} D{n}\n```", cell_source(cells[a])
        ), f"D{n}: the question must follow its label and heading"
        assert f'debates.show("D{n}")' in body and f'debates.key_excerpts("D{n}")' in body
        assert "Seminar prompt" in body
        if n in (1, 3):
            assert "costs.cohort_costs(" in body, f"D{n} needs the cost scenario"
    first = "\n".join(cell_source(c) for c in cells[bounds[0] : bounds[1]])
    assert "costs.plot_sensitivity(" in first


def test_frame():
    md = _markdown()
    assert md.startswith("# G · Debates")
    for part in (
        "**Learning objectives.**",
        "**Time:**",
        "**Read first:**",
        "```{livelihoods-run}\n```",
        "## Exercises",
    ):
        assert part in md, part
    solutions = [c for c in _cells() if "solution" in c.get("metadata", {}).get("tags", [])]
    assert len(solutions) == md.count("```{exercise}") >= 2
    from livelihoods.book.pages import run_box_md

    box = run_box_md(STEM)  # the page's "Run this chapter yourself" box, the one place it speaks of parameters
    for name in params.spec(STEM):
        assert f"`{name}`" in box, f"the run box does not describe {name}"
    assert "The paper reports no costs" in box


def test_frameworks_table_cites_only_known_keys_and_the_capability_work():
    keys = bib_keys()
    md = _markdown()
    cited = {k.strip() for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", md) for k in group.split(",")}
    assert cited <= keys, cited - keys
    d6 = md[md.index("(debate-d6)=") :]
    assert "malik2015" in d6 and "malik2016" in d6 and "Capability approach" in d6
    table_rows = [line for line in d6.splitlines() if line.startswith("| **")]
    assert len(table_rows) >= 4


# ----------------------------------------------------------------- runs (tests/chapter_runs.py)

INVALID = [
    ({"cohort_size": 5}, "cohort_size"),
    ({"cost_per_trainee_usd": "cheap"}, "cost_per_trainee_usd"),
    ({"dropout_share": -0.2}, "dropout_share"),
    ({"split_struggling": 1.1}, "split_struggling"),
    ({"split_surviving": None}, "split_surviving"),
    ({"split_swimming": 2}, "split_swimming"),
]


def test_runs_cover_bounds_and_middles():
    for name, p in params.spec(STEM).items():
        seen = {run.get(name, p.default) for run in RUNS[STEM].values()}
        middle = (p.low + p.high) / 2
        assert {p.low, p.high} <= seen and any(abs(v - middle) <= (p.high - p.low) * 0.05 for v in seen), name


@pytest.mark.slow
@pytest.mark.parametrize("name", list(RUNS[STEM]))
def test_runs_with_allowed_values(runs, name):
    run = runs.get(STEM, name)
    assert not run.errors() and run.images()
    if name == "defaults":  # every development question is on the page (a markdown cell, from data/questions.csv)
        text = run.outputs() + "\n".join("".join(c["source"]) for c in run.nb["cells"] if c["cell_type"] == "markdown")
        questions = evidence.load_questions().set_index("question_id")
        for qid in debates.QUESTIONS:
            assert " ".join(questions.loc[qid, "text"].split()) in " ".join(text.split()), qid


@pytest.mark.parametrize("values, name", INVALID, ids=[n for _, n in INVALID])
def test_invalid_value_is_refused_with_parameter_error(values, name):
    assert name in refused(STEM, **values)
