"""Chapter E4 (impact): the frame, every E4 excerpt quoted, and every parameter exercised under papermill."""

from __future__ import annotations

import json
import re

import pytest

from helpers import ROOT, bib_keys, cell_source, load_nb
from livelihoods import evidence
from livelihoods.book import params
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
    for part in ("**Learning objectives.**", "**Time:**", "**Read first:**", "## Parameters", "## Exercises",
                 "## Development questions this chapter prepares for"):
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
    md = "\n".join(cell_source(c) for c in _cells("markdown"))
    assert "**The paper gives no split**" in md
    for name in params.spec(STEM):
        assert f"`{name}`" in md, f"the Parameters section does not describe {name}"
    assert all(params.spec(STEM)[n].assumption for n in ("split_struggling", "split_surviving", "split_swimming",
                                                         "hours_per_month"))


def test_prose_cites_only_known_keys():
    keys = bib_keys()
    md = "\n".join(cell_source(c) for c in _cells("markdown"))
    cited = {k.strip() for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", md) for k in group.split(",")}
    assert cited and cited <= keys, cited - keys


def test_defaults_are_the_papers_figures():
    assert params.defaults(STEM)["dropout_share"] == impact.paper_dropout_share()
    assert params.defaults(STEM)["rupees_per_usd"] == impact.paper_rupees_per_usd()


# ----------------------------------------------------------------- papermill runs

VALID_RUNS = [
    {},  # defaults
    # lower bounds, with all of the rest struggling
    {"dropout_share": 0.0, "rupees_per_usd": 50.0, "hours_per_month": 20,
     "split_struggling": 1.0, "split_surviving": 0.0, "split_swimming": 0.0},
    # upper bounds, with all of the rest surviving (nobody takes up freelancing at dropout_share 1)
    {"dropout_share": 1.0, "rupees_per_usd": 300.0, "hours_per_month": 240,
     "split_struggling": 0.0, "split_surviving": 1.0, "split_swimming": 0.0},
    # middle values, with all of the rest swimming
    {"dropout_share": 0.5, "rupees_per_usd": 175.0, "hours_per_month": 130,
     "split_struggling": 0.0, "split_surviving": 0.0, "split_swimming": 1.0},
    # the middle value 0.5 of each split share
    {"split_struggling": 0.5, "split_surviving": 0.5, "split_swimming": 0.0},
    {"split_struggling": 0.0, "split_surviving": 0.5, "split_swimming": 0.5},
    # the documented alternative rate
    {"rupees_per_usd": 104.769},
]

INVALID_RUNS = [
    ({"dropout_share": 1.5}, "dropout_share"),
    ({"split_struggling": -0.1}, "split_struggling"),
    ({"split_surviving": 1.2}, "split_surviving"),
    ({"split_swimming": "most"}, "split_swimming"),
    ({"rupees_per_usd": 10.0}, "rupees_per_usd"),
    ({"hours_per_month": 12.5}, "hours_per_month"),
    ({"split_struggling": 0.5, "split_surviving": 0.5, "split_swimming": 0.5}, "split_swimming"),  # sums to 1.5
]


def _run(tmp_path, parameters: dict):
    import papermill as pm

    out = tmp_path / f"{STEM}.ipynb"
    pm.execute_notebook(str(NB), str(out), parameters=parameters, cwd=str(NB.parent), kernel_name="python3",
                        progress_bar=False, execution_timeout=300)
    return json.loads(out.read_text(encoding="utf-8"))


def _outputs_text(nb: dict) -> str:
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            for value in out.get("data", {}).values():
                parts.append("".join(value) if isinstance(value, list) else str(value))
            parts.append("".join(out.get("text", "")))
    return "\n".join(parts)


@pytest.mark.slow
def test_runs_with_all_allowed_values_covered():
    """The valid runs reach both bounds and a middle value of every parameter."""
    for name, p in params.spec(STEM).items():
        seen = {run.get(name, p.default) for run in VALID_RUNS}
        middle = (p.low + p.high) / 2
        assert {p.low, p.high} <= seen and any(abs(v - middle) <= (p.high - p.low) * 0.05 for v in seen), name


@pytest.mark.slow
@pytest.mark.parametrize("parameters", VALID_RUNS, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "defaults")
def test_runs_with_allowed_values(tmp_path, parameters):
    nb = _run(tmp_path, parameters)
    text = _outputs_text(nb)
    assert "image/png" in json.dumps(nb)
    if not parameters:  # with the defaults: every E4 excerpt appears verbatim in the outputs
        excerpts = evidence.load_excerpts()
        for t in excerpts.loc[excerpts["guide_section"] == "E4", "text"]:
            assert t.replace("$", "\\$").split("\n")[0] in text


@pytest.mark.slow
@pytest.mark.parametrize("parameters, name", INVALID_RUNS, ids=[n for _, n in INVALID_RUNS])
def test_invalid_value_stops_at_start_with_parameter_error(tmp_path, parameters, name):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as err:
        _run(tmp_path, parameters)
    assert err.value.ename == "ParameterError" and name in err.value.evalue
    nb = json.loads((tmp_path / f"{STEM}.ipynb").read_text(encoding="utf-8"))
    failed = [c for c in nb["cells"] if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert len(failed) == 1 and f'chapter.start("{STEM}"' in cell_source(failed[0])
