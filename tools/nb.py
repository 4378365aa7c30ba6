"""Tiny helpers for writing chapter notebooks with nbformat (used by maintainers, not by the book).

    from tools.nb import md, code, fig, notebook
    notebook("notebooks/x.ipynb", [md("# Title"), code("x = 1", tags=["parameters"]), ...])

Notebooks are written without outputs and with the kernelspec every chapter names.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (livelihoods)", "language": "python"}


def md(text: str, tags: list[str] | None = None):
    cell = new_markdown_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = tags
    return cell


def code(text: str, tags: list[str] | None = None, **metadata):
    cell = new_code_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = tags
    cell.metadata.update(metadata)
    return cell


def fig(text: str, name: str, caption: str, alt: str, tags: list[str] | None = None):
    """A code cell whose image output becomes a numbered figure with a caption and alt text."""
    return code(text, tags=tags or ["hide-input"],
                mystnb={"figure": {"name": name, "caption": caption}, "image": {"alt": alt}})


def notebook(path: str | Path, cells: list) -> Path:
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python"},
    })
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{Path(path).stem.replace('_', '-')}-{i:02d}"
    nbformat.validate(nb)
    path = Path(path)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    return path
