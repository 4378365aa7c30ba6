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

    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3 (livelihoods)",
                                                            "language": "python"}, "language_info": {"name": "python"}})
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

    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(
        ".venv", "_build", ".git", "__pycache__", ".pytest_cache", ".cache", "dist", "node_modules", "*.egg-info"))
    return dest
