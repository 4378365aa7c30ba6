"""The facts the educators' guide's tables show, gathered from the sources (plain Python, no Sphinx).

The Sphinx directives of :mod:`.guide` turn these into docutils tables; everything they show is
read here from the chapters, their runnable notebooks, the parameter registry and ``data/``:

- each chapter's title and time (:func:`chapters`, :func:`chapter_info`), the time read from its
  ``**Time:**`` line (:func:`parse_time`, :func:`format_minutes`);
- which of the guide's questions each chapter answers or prepares (:func:`question_matrix`), and the
  questions in the guide's order (:func:`ordered_questions`);
- every notebook's parameters (:func:`parameter_rows`), read from its ``parameters`` cell with
  ``papermill.inspect_notebook``, with the allowed values and meaning from
  ``livelihoods.book.registry`` and, where the two disagree, why.

Tested in ``tests/test_guide.py``.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_TIME = re.compile(r"\*\*Time:?\*\*:?\s*(?P<text>[^*\n]*)", re.I)
_NUM = r"(\d+(?:\.\d+)?)"
_RANGE = re.compile(rf"{_NUM}\s*(?:(?:-|–|—|to)\s*{_NUM}\s*)?(minutes?|mins?|hours?|hrs?|h)\b", re.I)
_WORD_HOURS = {"an hour": 60, "one hour": 60, "half an hour": 30, "two hours": 120}


@dataclass(frozen=True)
class ChapterInfo:
    """What the guide shows of one chapter notebook."""

    stem: str
    docname: str
    title: str
    minutes: tuple[int, int] | None
    path: Path

    @property
    def short(self) -> str:
        """The title up to its first colon (``D · Methods``), for tables with many columns."""
        return self.title.split(":", 1)[0].strip()


@dataclass(frozen=True)
class ParamRow:
    """One row of the guide's parameter table."""

    chapter: str
    name: str
    default: str  # as written in the notebook's parameters cell
    allowed: str
    meaning: str
    problem: str = ""  # why the notebook and the registry disagree ("" when they agree)


def parse_time(text: str) -> tuple[int, int] | None:
    """Minutes (low, high) from a chapter's ``**Time:** about 30 minutes`` line; None if absent.

    Accepts ranges (``30-45 minutes``, ``1 to 2 hours``) and ``an hour``; the first match wins.
    """
    m = _TIME.search(text)
    if not m:
        return None
    phrase = m["text"]
    r = _RANGE.search(phrase)
    if r:
        factor = 60 if r[3].lower().startswith("h") else 1
        low = float(r[1]) * factor
        high = float(r[2]) * factor if r[2] else low
        return int(round(low)), int(round(high))
    for words, minutes in sorted(_WORD_HOURS.items(), key=lambda kv: -len(kv[0])):
        if words in phrase.lower():
            return minutes, minutes
    return None


def format_minutes(span: tuple[int, int] | None, prefix: str = "about ") -> str:
    """``about 30 min``, ``30–45 min`` or ``–`` (not stated)."""
    if span is None:
        return "–"
    low, high = span
    return f"{prefix}{low} min" if low == high else f"{low}–{high} min"


def _markdown(nb: dict) -> str:
    return "\n\n".join(
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
    )


def chapter_info(path: Path, root: Path) -> ChapterInfo:
    """Title and time of one chapter notebook, read from its Markdown cells.

    Remembered per file version: the guide's directives ask for every chapter several times in one
    build, and parsing the eleven notebooks each time cost about 1.5 s of the Sphinx phase.
    """
    stat = path.stat()
    return _chapter_info(path, root, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=128)
def _chapter_info(path: Path, root: Path, mtime_ns: int, size: int) -> ChapterInfo:
    from livelihoods.book import sources

    text = _markdown(sources.read_notebook(path))
    title = next((m[1] for m in re.finditer(r"(?m)^#\s+(.+?)\s*$", text)), path.stem)
    title = re.sub(r"\{[\w:.-]+\}`([^`]*)`|[*_`]", lambda m: m[1] or "", title)
    docname = path.relative_to(root).with_suffix("").as_posix()
    return ChapterInfo(path.stem, docname, title, parse_time(text), path)


def chapters(root: Path) -> list[ChapterInfo]:
    """Every chapter notebook of the book, in table-of-contents order."""
    from livelihoods.book import sources

    return [chapter_info(p, root) for p in sources.toc_chapters(root)]


def question_matrix(stems: list[str]) -> dict[str, dict[str, str]]:
    """chapter -> question id -> ``answers`` or ``prepares``, from ``data/question_links.csv``."""
    from livelihoods import evidence

    links = evidence.load_question_links()
    out: dict[str, dict[str, str]] = {s: {} for s in stems}
    for _, row in links.iterrows():
        if row["chapter"] in out:
            out[row["chapter"]][str(row["question_id"])] = str(row["role"])
    return out


def parameter_rows(root: Path, notebooks: list[Path] | None = None) -> list[ParamRow]:
    """Every parameter of every chapter notebook, read from the notebook with papermill.

    The default is the literal written in the ``parameters`` cell; the allowed values and the
    meaning come from ``livelihoods.book.registry``. A disagreement between the two is kept in
    ``problem`` so the build can warn about it.
    """
    import logging

    import papermill as pm

    from livelihoods.book import sources
    from livelihoods.book import params

    logging.getLogger("papermill").setLevel(logging.ERROR)
    rows: list[ParamRow] = []
    for path in notebooks if notebooks is not None else sources.toc_chapters(root):
        stem = path.stem
        runnable = root / "notebooks" / f"{stem}.ipynb"  # generated from the source, kept in step by a test
        found = pm.inspect_notebook(str(runnable if path.suffix == ".md" else path))
        try:
            spec = params.spec(stem)
        except Exception:
            spec = {}
        for name, info in found.items():
            default = str(info["default"])
            p = spec.get(name)
            if p is None:
                rows.append(
                    ParamRow(
                        stem,
                        name,
                        default,
                        "–",
                        str(info.get("help") or ""),
                        f"{stem}: parameter {name!r} is in the notebook but not in livelihoods.book.registry.REGISTRY",
                    )
                )
                continue
            problem = ""
            try:
                if ast.literal_eval(default) != p.default:
                    problem = f"{stem}: parameter {name!r} defaults to {default} in the notebook but {p.default!r} in the registry"
            except (ValueError, SyntaxError):
                problem = f"{stem}: parameter {name!r} has a default that is not a literal: {default}"
            rows.append(ParamRow(stem, name, default, p.allowed(), p.meaning(), problem))
        for name in spec:
            if name not in found:
                p = spec[name]
                rows.append(
                    ParamRow(
                        stem,
                        name,
                        "–",
                        p.allowed(),
                        p.meaning(),
                        f"{stem}: parameter {name!r} is in livelihoods.book.registry.REGISTRY but not in the notebook's parameters cell",
                    )
                )
    return rows


def ordered_questions(questions: Any) -> Any:
    """The guide's questions (a ``data/questions.csv`` table) in the guide's order: synopsis questions
    first, then development questions, each by number."""
    key = questions["kind"].astype(str).map({"synopsis": 0, "development": 1}).fillna(2) * 1000 + questions[
        "number"
    ].astype(int)
    return questions.assign(_order=key).sort_values("_order").drop(columns="_order")
