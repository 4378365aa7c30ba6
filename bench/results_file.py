"""bench/results.md, shared by the benchmarks: each writes its own section and keeps the others.

``make bench`` (bench/run.py) writes the file's head; bench/qda.py and bench/tests.py each own one
section between ``<!-- NAME: begin -->`` and ``<!-- NAME: end -->`` markers. Writes are atomic, so an
interrupted benchmark never leaves the file half written.
"""

from __future__ import annotations

import re
from pathlib import Path

SECTION = re.compile(r"<!-- (\w+): begin -->.*?<!-- \1: end -->", re.S)


def markers(name: str) -> tuple[str, str]:
    """The begin and end lines of the section ``name``."""
    return f"<!-- {name}: begin -->", f"<!-- {name}: end -->"


def write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def write_section(path: Path, name: str, body: list[str]) -> str:
    """Replace (or append) the section ``name`` with ``body`` between its markers; return the section."""
    begin, end = markers(name)
    section = "\n".join([begin, *body, end])
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    write(path, text)
    return section


def sections(path: Path) -> str:
    """Every marked section of the file as it stands, each on its own lines (to keep under a new head)."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    return "".join(f"\n{m.group(0)}\n" for m in SECTION.finditer(old))
