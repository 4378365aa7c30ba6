"""The coding template and the reference coding, as the QDA layer uses them.

The codebook (component > theme > code) and the reference coding come from the evidence base
(:func:`livelihoods.evidence.load_codebook`, :func:`livelihoods.evidence.load_codings`); this
module adds only what comparing codings needs: the levels of the template, the categories of a
level in codebook order, lifting codings from codes to themes, labels and definitions by id,
and excerpts in reading order.
"""

from __future__ import annotations

import pandas as pd

from livelihoods import evidence
from livelihoods.errors import DataError, ParameterError

#: The levels of the template, from broadest to finest.
LEVELS: tuple[str, ...] = ("component", "theme", "code")

#: The coder name of the book's reference coding in ``data/codings.csv``.
REFERENCE = "reference"


def check_level(level: str) -> None:
    """A :class:`ParameterError` unless ``level`` is one of :data:`LEVELS`."""
    if level not in LEVELS:
        raise ParameterError(f"level {level!r} is not allowed: expected one of {', '.join(map(repr, LEVELS))}")


def noun(level: str) -> str:
    """What a category of ``level`` is called in a report ("code", "theme", "component")."""
    return level if level in LEVELS else "category"


def level_categories(level: str = "code", codebook: pd.DataFrame | None = None) -> list[str]:
    """Every category of the template at a level, in codebook order."""
    check_level(level)
    book = evidence.load_codebook() if codebook is None else codebook
    return book[book["level"] == level].sort_values("order")["code_id"].tolist()


def category_order(codebook: pd.DataFrame | None = None) -> dict[str, int]:
    """Category id -> its position in the codebook, for sorting."""
    book = evidence.load_codebook() if codebook is None else codebook
    return {cid: i for i, cid in enumerate(book.sort_values("order")["code_id"])}


def excerpt_order() -> dict[str, int]:
    """Excerpt id -> its position in the paper, so every list of excerpts is in reading order."""
    excerpts = evidence.load_excerpts().sort_values("order")
    return {eid: i for i, eid in enumerate(excerpts["excerpt_id"])}


def labels() -> dict[str, str]:
    """Category id -> its label in the codebook."""
    book = evidence.load_codebook()
    return dict(zip(book["code_id"], book["label"]))


def definitions() -> dict[str, str]:
    """Category id -> its definition in the codebook."""
    book = evidence.load_codebook()
    return dict(zip(book["code_id"], book["definition"]))


def ancestor_map(level: str, codebook: pd.DataFrame | None = None) -> dict[str, str]:
    """Leaf code -> its ancestor at ``level``, walking the parent links of the codebook."""
    check_level(level)
    book = evidence.load_codebook() if codebook is None else codebook
    parent = dict(zip(book["code_id"], book["parent_id"].fillna("")))
    level_of = dict(zip(book["code_id"], book["level"]))
    out: dict[str, str] = {}
    for leaf in book.loc[book["level"] == "code", "code_id"]:
        node = leaf
        while node and level_of.get(node) != level:
            node = parent.get(node, "")
        if not node:
            raise DataError("codebook.csv", f"code {leaf!r} has no ancestor at level {level!r}")
        out[leaf] = node
    return out


def leaves_under(code_id: str, codebook: pd.DataFrame | None = None) -> list[str]:
    """The leaf codes below a theme or component, in codebook order."""
    book = (evidence.load_codebook() if codebook is None else codebook).sort_values("order")
    children: dict[str, list[str]] = {}
    for cid, pid in zip(book["code_id"], book["parent_id"].fillna("")):
        children.setdefault(pid, []).append(cid)
    level_of = dict(zip(book["code_id"], book["level"]))
    out: list[str] = []
    stack = list(reversed(children.get(code_id, [])))
    while stack:
        node = stack.pop()
        if level_of.get(node) == "code":
            out.append(node)
        stack.extend(reversed(children.get(node, [])))
    return out


def reference_codings() -> pd.DataFrame:
    """The reference coding (the book's coding of every excerpt), as ``excerpt_id, code_id, coder``."""
    codings = evidence.load_codings()
    codings = codings[codings["coder"] == REFERENCE]
    out = codings[["excerpt_id", "code_id", "coder"]].astype(str).reset_index(drop=True)
    out.attrs["excerpt_ids"] = list(excerpt_order())
    return out


def to_level(codings: pd.DataFrame, level: str, codebook: pd.DataFrame | None = None) -> pd.DataFrame:
    """Codings lifted to a level of the template: ``code`` keeps the leaves, ``theme`` their parents.

    Two codes of the same theme on one excerpt become one theme, because at the theme level the
    question is only whether the excerpt speaks to that theme. The column keeps its name
    ``code_id`` so the result feeds the same functions as leaf codings.
    """
    check_level(level)
    keep = [c for c in ("excerpt_id", "code_id", "coder") if c in codings.columns]
    out = codings[keep].copy()
    if level != "code":
        mapping = ancestor_map(level, codebook)
        unknown = sorted(set(out["code_id"]) - set(mapping))
        if unknown:
            raise ParameterError(
                f"code {unknown[0]!r} is not a leaf code of the codebook: cannot lift it to level {level!r}"
            )
        out["code_id"] = out["code_id"].map(mapping)
    out = out.drop_duplicates(subset=["excerpt_id", "code_id"]).reset_index(drop=True)
    out.attrs = dict(codings.attrs)
    return out


def coder_name(codings: pd.DataFrame, default: str) -> str:
    """The one coder named in a coding's ``coder`` column, else ``default``."""
    if "coder" in codings.columns and codings["coder"].nunique() == 1:
        return str(codings["coder"].iloc[0])
    return default


def codes_by_excerpt(codings: pd.DataFrame, level: str = "code") -> dict[str, list[str]]:
    """Excerpt id -> the categories a coding gives it at ``level``, in codebook order."""
    lifted = to_level(codings, level)
    rank = category_order()
    out: dict[str, list[str]] = {}
    for eid, code in zip(lifted["excerpt_id"], lifted["code_id"]):
        out.setdefault(str(eid), []).append(str(code))
    return {eid: sorted(codes, key=lambda c: (rank.get(c, len(rank)), c)) for eid, codes in out.items()}
