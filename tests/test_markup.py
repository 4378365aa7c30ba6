"""The one MyST-to-plain transform (livelihoods.analyses.markup), on hand-worked cases."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from helpers import ROOT
from livelihoods.analyses import markup
from livelihoods.analyses.markup import Plain, Target


@pytest.fixture
def plain():
    bib = markup.Bibliography.load(ROOT / "data" / "references.bib")
    labels = {
        "debate-d1": Target("Question 1: worth it?", "g_debates.ipynb#debate-d1"),
        "ex-a": Target("Exercise A.1", "a_rationale.ipynb#ex-a", "A.1"),
        "fig-x": Target("Figure A.2", "a_rationale.ipynb#fig-x", "A.2"),
    }
    return Plain(labels=labels, bib=bib)


def test_citations_are_author_year_links_to_the_reference_list(plain):
    assert plain.convert("as shown {cite:p}`malik2017`") == "as shown ([Malik et al., 2017](#ref-malik2017))"
    assert plain.convert("{cite:t}`assemi2016`") == "[Assemi and Schlagwein (2016)](#ref-assemi2016)"
    assert plain.convert("{cite:p}`assemi2016,malik2017`") == (
        "([Assemi and Schlagwein, 2016](#ref-assemi2016); [Malik et al., 2017](#ref-malik2017))"
    )
    assert plain.cited == ["malik2017", "assemi2016"]
    assert plain.bib.reference("assemi2016").startswith("Assemi, B. and Schlagwein, D. (2016). Provider feedback")
    assert plain.convert("{cite:p}`nosuchkey`") == "([nosuchkey])"


def test_references_resolve_to_the_runnable_notebooks(plain):
    assert plain.convert("see {ref}`debate-d1`") == "see [Question 1: worth it?](g_debates.ipynb#debate-d1)"
    assert plain.convert("{ref}`this one <debate-d1>`") == "[this one](g_debates.ipynb#debate-d1)"
    assert plain.convert("{numref}`fig-x`") == "[Figure A.2](a_rationale.ipynb#fig-x)"
    assert plain.convert("{numref}`Fig. %s <fig-x>`") == "[Fig. A.2](a_rationale.ipynb#fig-x)"
    assert plain.convert("{doc}`E1 <e1_drivers>`") == "[E1](e1_drivers.ipynb)"
    assert plain.convert("{term}`GB`") == "GB"


def test_glue_is_kept_for_run_time_or_filled(plain):
    text = "{glue:text}`share:.0%` of {glue:text}`n`"
    assert plain.convert(text) == text  # glue=None: show.prose fills it when the cell runs
    filled = Plain(glue=lambda role, key, fmt: format({"share": 0.5517, "n": 29}[key], fmt))
    assert filled.convert(text) == "55% of 29"
    assert plain.convert("```{glue:md} q\n:format: myst\n```") == "{glue:md}`q`"


def test_exercises_solutions_labels_and_comments(plain):
    text = (
        "(sec-x)=\n## X\n\n```{exercise}\n:label: ex-a\n\nDo {ref}`debate-d1`.\n```\n\n"
        "```{solution} ex-a\n:class: dropdown\n\nDone.\n```\n% a comment"
    )
    out = plain.convert(text)
    assert out.startswith('## X <a id="sec-x"></a>\n')
    assert "a comment" not in out and "(sec-x)=" not in out
    assert '**Exercise A.1** <a id="ex-a"></a>\n\nDo [Question 1: worth it?](g_debates.ipynb#debate-d1).' in out
    assert "<details>\n<summary>Solution to Exercise A.1</summary>\n\nDone.\n\n</details>" in out
    assert "Done." not in Plain(labels=plain.labels, solutions="drop").convert(text)


def test_code_is_left_alone(plain):
    assert plain.convert("Run `x = {cite:p}` now") == "Run `x = {cite:p}` now"
    out = plain.convert("Use `{glue:text}`n`` here.\n\n```python\n{cite:p}`malik2017`\n```")
    assert "```python\n{cite:p}`malik2017`\n```" in out


def test_admonitions_tables_and_containers(plain):
    assert plain.convert(":::{note}\nBe careful.\n:::") == "> **Note**\n>\n> Be careful."
    assert plain.convert("````{tab-set}\n```{tab-item} One\nA\n```\n````") == "**One**\n\nA"
    assert plain.convert("```{bibliography}\n```") == ""
    table = plain.convert(
        ":::{list-table} Sources\n:header-rows: 1\n\n* - Work\n  - n\n* - {cite:t}`assemi2016`\n  - 2|3\n:::"
    )
    assert table == (
        "**Sources**\n\n| Work | n |\n|---|---|\n| [Assemi and Schlagwein (2016)](#ref-assemi2016) | 2\\|3 |"
    )


def test_nothing_myst_survives_a_commonmark_renderer(plain):
    """What Colab and plain Jupyter would show: no role, fence or label left as text."""
    text = (
        "(l)=\n# T\n\n{cite:p}`malik2017` {ref}`debate-d1` {numref}`fig-x` {term}`GB`\n\n"
        "```{exercise}\n:label: ex-a\n\nQ?\n```\n\n```{admonition} Hint\nH\n```\n"
    )
    html = MarkdownIt("commonmark").render(plain.convert(text))
    for marker in ("{cite", "{ref", "{numref", "{term", "```{", ":label:"):
        assert marker not in html, marker


def test_mode_follows_the_environment(monkeypatch):
    monkeypatch.delenv(markup.MODE_ENV, raising=False)
    assert markup.mode() == "plain"
    monkeypatch.setenv(markup.MODE_ENV, "myst")
    assert markup.mode() == "myst"


@pytest.mark.parametrize("display", [False, True])
def test_book_glue_sends_what_myst_nbs_glue_sends(monkeypatch, display):
    """show.glue reimplements myst_nb.glue (to spare every kernel nbformat's import): same message."""
    import myst_nb.ext.glue as myst_glue_module
    import pandas as pd
    from IPython.display import Markdown
    from myst_nb import glue as myst_glue

    from livelihoods.analyses import show

    sent: list[tuple] = []

    def capture(*objs, **kw):
        sent.append((objs, kw))

    monkeypatch.setattr(myst_glue_module, "ipy_display", capture)
    monkeypatch.setattr("IPython.display.display", capture)
    monkeypatch.setenv(markup.MODE_ENV, "myst")
    values = [0.5517, 29, "text", Markdown("*a* paragraph"), pd.DataFrame({"a": [1, 2]})]
    for value in values:
        myst_glue("name", value, display=display)
        show.glue("name", value, display=display)
    assert len(sent) == 2 * len(values)
    for theirs, ours in zip(sent[::2], sent[1::2]):
        assert ours == theirs
    assert show.GLUE_PREFIX == myst_glue_module.GLUE_PREFIX
