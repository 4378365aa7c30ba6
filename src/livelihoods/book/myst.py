"""MyST directives in chapter sources, and the solutions among them.

Solutions are the cells tagged ``solution`` (markdown cells holding a ``{solution}`` directive):
the same tag tells the book which cells sphinx-exercise hides, tells the student edition what to
strip from its downloadable sources, and tells the teaching tools which cells to drop, so the
three cannot disagree.
"""

from __future__ import annotations

import copy
from typing import Any

from livelihoods.analyses.markup import FENCE_OPEN, OPTION, Block, closing, directive_blocks, split_options

SOLUTION_TAG = "solution"

__all__ = [
    "FENCE_OPEN",
    "OPTION",
    "SOLUTION_TAG",
    "Block",
    "cell_text",
    "closing",
    "directive_blocks",
    "is_solution",
    "solution_texts",
    "split_options",
    "strip_solution_directives",
    "strip_solutions",
    "untagged_solutions",
]


def cell_text(cell: dict) -> str:
    """A cell's source as one string (notebooks on disk may store it as a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def is_solution(cell: dict) -> bool:
    """True for a cell tagged ``solution``: removed from student notebooks and the student edition."""
    return SOLUTION_TAG in (cell.get("metadata", {}).get("tags") or [])


def strip_solutions(nb: Any) -> Any:
    """A copy of a notebook (nbformat node or plain dict) without its solution cells."""
    out = copy.deepcopy(nb)
    out["cells"] = [c for c in out["cells"] if not is_solution(c)]
    return out


def untagged_solutions(nb: Any) -> list[int]:
    """Indices of cells that hold a ``{solution}`` directive (or a runnable notebook's collapsed
    solution) but lack the ``solution`` tag.

    Such a cell would leak its answer into every student notebook, so ``assign`` refuses the
    chapter and a test checks the chapters.
    """
    bad = []
    for i, cell in enumerate(nb["cells"]):
        if is_solution(cell):
            continue
        text = cell_text(cell)
        if any(b.name == "solution" for b in directive_blocks(text)) or "<summary>Solution to " in text:
            bad.append(i)
    return bad


def solution_texts(nb: Any) -> list[str]:
    """The body of every solution in a notebook (directive fences and options removed)."""
    out = []
    for cell in nb["cells"]:
        if not is_solution(cell):
            continue
        text = cell_text(cell)
        blocks = [b for b in directive_blocks(text) if b.name == "solution"]
        out.extend(b.body for b in blocks) if blocks else out.append(text)
    return out


def strip_solution_directives(text: str) -> str:
    """Markdown with every ``{solution}`` directive block removed (for Markdown pages' sources)."""
    lines = text.split("\n")
    for block in reversed([b for b in directive_blocks(text) if b.name == "solution"]):
        del lines[block.start : block.end]
    return "\n".join(lines)
