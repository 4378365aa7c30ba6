"""MyST directives in chapter sources, and the solutions among them.

Solutions are the cells tagged ``solution`` (markdown cells holding a ``{solution}`` directive):
the same tag tells the book which cells sphinx-exercise hides, tells the student edition what to
strip from its downloadable sources, and tells the teaching tools which cells to drop, so the
three cannot disagree.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

SOLUTION_TAG = "solution"

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:.+-]+)\}[ \t]*(?P<arg>.*?)\s*$")
OPTION = re.compile(r"^[ \t]*:(?P<key>[\w-]+):[ \t]*(?P<value>.*?)\s*$")


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
    """Indices of cells that hold a ``{solution}`` directive but lack the ``solution`` tag.

    Such a cell would leak its answer into every student notebook, so ``assign`` refuses the
    chapter and a test checks the committed notebooks.
    """
    bad = []
    for i, cell in enumerate(nb["cells"]):
        if is_solution(cell):
            continue
        if any(b.name == "solution" for b in directive_blocks(cell_text(cell))):
            bad.append(i)
    return bad


@dataclass
class Block:
    name: str
    arg: str
    options: dict[str, str]
    body: str
    start: int  # first line index (the opening fence)
    end: int  # line index after the closing fence


def closing(lines: list[str], start: int, fence: str) -> int:
    """Index of the line that closes ``fence`` opened on line ``start`` (or len(lines) if none)."""
    char, n = fence[0], len(fence)
    pattern = re.compile(rf"^[ \t]*{re.escape(char)}{{{n},}}[ \t]*$")
    for j in range(start + 1, len(lines)):
        if pattern.match(lines[j]):
            return j
    return len(lines)


def split_options(body_lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """MyST directive options at the top of a body: ``:key: value`` lines or a ``---`` YAML block."""
    options: dict[str, str] = {}
    if body_lines and body_lines[0].strip() == "---":
        for j in range(1, len(body_lines)):
            if body_lines[j].strip() == "---":
                for line in body_lines[1:j]:
                    if ":" in line:
                        key, value = line.split(":", 1)
                        options[key.strip()] = value.strip()
                return options, body_lines[j + 1:]
        return options, body_lines
    i = 0
    while i < len(body_lines) and (m := OPTION.match(body_lines[i])):
        options[m["key"]] = m["value"]
        i += 1
    return options, body_lines[i:]


def directive_blocks(text: str) -> list[Block]:
    """The top-level MyST directives (``` ```{name} ``` or ``:::{name}``) of a Markdown text."""
    lines = text.split("\n")
    blocks, i = [], 0
    while i < len(lines):
        m = FENCE_OPEN.match(lines[i])
        if m:
            j = closing(lines, i, m["fence"])
            options, body = split_options(lines[i + 1:j])
            blocks.append(Block(m["name"], m["arg"], options, "\n".join(body).strip("\n"), i, j + 1))
            i = j + 1
        elif re.match(r"^[ \t]*(`{3,}|~{3,})", lines[i]):  # an ordinary code fence: skip it whole
            fence = re.match(r"^[ \t]*(`{3,}|~{3,})", lines[i])[1]
            i = closing(lines, i, fence) + 1
        else:
            i += 1
    return blocks


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
        del lines[block.start:block.end]
    return "\n".join(lines)


