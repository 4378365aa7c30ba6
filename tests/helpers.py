"""Shared test helpers (not fixtures): repository paths and notebook inspection."""

from __future__ import annotations

import ast
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def load_nb(path: Path) -> dict:
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
