"""Shared test helpers (not fixtures): repository paths and notebook inspection."""

from __future__ import annotations

import ast
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: The chapter sources (MyST notebooks) the runnable notebooks are generated from.
SOURCES = sorted(p for p in (ROOT / "book" / "chapters").glob("*.md") if p.name != "README.md")


def load_nb(path: Path) -> dict:
    """A notebook as a plain dict: an .ipynb, or a MyST chapter source read as jupytext reads it."""
    if path.suffix == ".md":
        import jupytext

        return json.loads(json.dumps(jupytext.read(path, fmt="md:myst")))
    return json.loads(path.read_text(encoding="utf-8"))


def cell_source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def parameters_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]


def parameter_defaults(nb: dict) -> dict:
    """Names and literal default values assigned in the notebook's parameters cell."""
    (cell,) = parameters_cells(nb)
    tree = ast.parse(cell_source(cell))
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = ast.literal_eval(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = ast.literal_eval(node.value)
    return out


def bib_keys() -> set[str]:
    """Every citation key of the bib files the book's ``_config.yml`` lists (``bibtex_bibfiles``)."""
    import re

    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    keys: set[str] = set()
    for rel in config["bibtex_bibfiles"]:
        keys |= set(re.findall(r"@\w+\{([^,]+),", (ROOT / rel).read_text(encoding="utf-8")))
    return keys


def md(text: str, tags: list[str] | None = None):
    """A markdown cell for a notebook a test writes."""
    from nbformat.v4 import new_markdown_cell

    cell = new_markdown_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = tags
    return cell


def code(text: str, tags: list[str] | None = None, **metadata):
    """A code cell for a notebook a test writes."""
    from nbformat.v4 import new_code_cell

    cell = new_code_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = tags
    cell.metadata.update(metadata)
    return cell


def notebook(path: Path, cells: list) -> Path:
    """Write a small notebook with the chapters' kernelspec and fixed cell ids."""
    import nbformat
    from nbformat.v4 import new_notebook

    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3 (livelihoods)", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{Path(path).stem.replace('_', '-')}-{i:02d}"
    Path(path).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    return Path(path)


def refused(stem: str, **values) -> str:
    """The one-line message ``params.validate`` gives for these values (which must be refused).

    Every chapter calls ``chapter.start`` (which calls ``params.validate``) right after its
    parameters cell, so this is what a notebook, papermill or ``livelihoods run`` shows; one test in
    ``test_notebooks.py`` checks that a kernel really stops there.
    """
    import pytest

    from livelihoods.book import params
    from livelihoods.errors import ParameterError

    with pytest.raises(ParameterError) as err:
        params.validate(stem, **{**params.defaults(stem), **values})
    message = str(err.value)
    assert message and "\n" not in message.strip(), f"not one line: {message!r}"
    return message


def copy_repository(dest: Path) -> Path:
    """A copy of the repository's sources (what a fresh clone holds) at ``dest``: no environments,
    builds, caches or git data."""
    import shutil

    shutil.copytree(
        ROOT,
        dest,
        ignore=shutil.ignore_patterns(
            ".venv", "_build", ".git", "__pycache__", ".pytest_cache", ".cache", "dist", "node_modules", "*.egg-info"
        ),
    )
    return dest


def copy_with_cache(root: Path, dest: Path) -> Path:
    """A copy of the repository at ``dest`` with the execution cache of the book built in ``root``.

    A background job builds another edition or the PDF in such a copy, from the cache, so that it never
    writes the folders (``_build/.doctrees``, ``_build/html``) the foreground tests read and rebuild.
    """
    import shutil

    copy_repository(dest)
    shutil.copytree(root / "_build" / ".jupyter_cache", dest / "_build" / ".jupyter_cache")
    return dest


# --- comparing a source text with a rendered page (solutions present or absent) -------------------

import html  # noqa: E402
import re  # noqa: E402

from livelihoods.book.myst import FENCE_OPEN, OPTION  # noqa: E402

_SEARCH_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "--",
        "\u2014": "---",
        "\u2026": "...",
        "\u00a0": " ",
    }
)


def normalise_for_search(text: str) -> str:
    """Text reduced so that Markdown source and rendered HTML compare equal.

    Sphinx turns straight quotes, ``--`` and ``...`` into typographic ones and HTML breaks lines and
    wraps words in tags anywhere, so both sides are mapped back to ASCII and stripped of all
    whitespace before a substring search.
    """
    # Markdown emphasis and code marks ("*revision*", "`id`") vanish in HTML, so they vanish here too.
    return re.sub(r"[\s*`]+", "", html.unescape(text).translate(_SEARCH_MAP))


def html_text(page: str) -> str:
    """The visible text of an HTML page, roughly: scripts, styles and tags removed."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


_MARKUP = re.compile(
    r"\{[\w:.+-]+\}`[^`]*`"  # roles such as {glue:text}`n` or {cite:p}`malik2017`
    r"|`+[^`]*`+"  # inline code
    r"|\$[^$\n]+\$"  # inline maths
    r"|!?\[[^\]]*\]\([^)]*\)"  # links and images
    r"|<[^>\n]+>"  # inline HTML
    r"|https?://\S+"
)


def text_fragments(body: str, min_words: int = 5) -> list[str]:
    """Runs of plain prose (at least ``min_words`` words) in a piece of MyST Markdown.

    Markup (roles, code, links, maths, HTML) renders differently from its source, so it splits the
    text instead of being compared. Each fragment is a string the rendered page must contain if it
    shows the text, and must not contain if it does not.
    """
    kept = []
    for line in body.split("\n"):
        if FENCE_OPEN.match(line) or OPTION.match(line) or re.match(r"^[ \t]*(`{3,}|:{3,}|~{3,})", line):
            kept.append("|")
            continue
        line = re.sub(r"^[ \t]*(#+|[-*+]|\d+[.)]|>)[ \t]+", "|", line)  # headings, list items, quotes
        kept.append(line)
    text = _MARKUP.sub("|", " ".join(kept))
    text = text.replace("*", "").replace("\\", "")
    out = []
    for piece in text.split("|"):
        piece = " ".join(piece.split())
        if len(piece.split()) >= min_words:
            out.append(piece)
    return out
