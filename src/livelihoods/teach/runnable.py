"""The runnable notebooks in ``notebooks/``, generated from the chapter sources in ``book/chapters/``.

Chapters are written as MyST Markdown notebooks (jupytext's ``md:myst``), the format Jupyter Book
reads. Students, Colab, Binder, papermill and ``livelihoods assign`` open ``.ipynb`` files, so each
source is written out as a notebook with fixed cell ids; a test keeps the two in step
(``livelihoods notebooks --check``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (livelihoods)", "language": "python"}
SOURCES = Path("book") / "chapters"
NOTEBOOKS = Path("notebooks")


def sources(root: Path) -> list[Path]:
    """The chapter sources (``<letter>[digit]_<name>.md``; not the folder's README), in file-name order."""
    import re

    return sorted((p for p in (root / SOURCES).glob("*.md") if re.fullmatch(r"[a-z][0-9]?_\w+", p.stem)),
                  key=lambda p: p.name)


def read_source(path: Path):
    """A chapter source as an nbformat notebook, exactly as jupytext reads it."""
    import jupytext

    return jupytext.read(path, fmt="md:myst")


def runnable(path: Path):
    """The runnable notebook of one chapter source (cell ids fixed, so the file is reproducible)."""
    nb = read_source(path)
    stem = path.stem
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{stem.replace('_', '-')}-{i:02d}"
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    return nb


def render(path: Path) -> str:
    import nbformat

    nb = runnable(path)
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


@dataclass(frozen=True)
class Sync:
    """What :func:`sync` found or wrote: notebooks that differed from their source, and stale ones."""

    changed: tuple[Path, ...]
    orphans: tuple[Path, ...]


def sync(root: Path, check: bool = False) -> Sync:
    """Write ``notebooks/<stem>.ipynb`` for every chapter source (only those that differ).

    With ``check`` nothing is written. A notebook with no source (an orphan) is reported, never
    deleted: it may be someone's work.
    """
    from livelihoods.files import write_atomic

    changed = []
    wanted = set()
    for path in sources(root):
        target = root / NOTEBOOKS / f"{path.stem}.ipynb"
        wanted.add(target.name)
        text = render(path)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            changed.append(target)
            if not check:
                write_atomic(target, text.encode("utf-8"))
                log.info("wrote %s", target)
    orphans = tuple(p for p in sorted((root / NOTEBOOKS).glob("*.ipynb")) if p.name not in wanted)
    return Sync(tuple(changed), orphans)
