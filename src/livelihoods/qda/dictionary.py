"""The dictionary coder: a transparent keyword baseline, and what it gets wrong.

:func:`dictionary_code` gives an excerpt a code whenever one of the code's keywords
(``data/dictionary.csv``) occurs in it as a whole word. It is deliberately naive and fully
transparent (the ``keywords`` column says what matched), so the coding lab can show what keyword
coding catches and what it misses: irony, negation, a theme expressed without its usual words.
:func:`dictionary_baseline` and :func:`dictionary_failures` compare it with the reference.
"""

from __future__ import annotations

import re
from typing import Sequence

import pandas as pd

from livelihoods import evidence
from livelihoods.errors import DataError
from livelihoods.qda import template
from livelihoods.qda.agreement import Agreement, compare

CODER = "dictionary"


def _normalise(text: str) -> str:
    """Lower case with curly apostrophes straightened, for matching only (the text is never changed)."""
    return text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A whole-word/phrase pattern: no letter or digit may touch either end; any spacing inside."""
    words = _normalise(keyword).split()
    body = r"\s+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w){body}(?!\w)")


def dictionary_code(excerpts: pd.DataFrame, dictionary: pd.DataFrame) -> pd.DataFrame:
    """Code excerpts by keywords: a code applies if any of its keywords occurs as a whole word.

    Rows follow the excerpts' order, then the dictionary's order of codes; ``coder`` is
    ``dictionary`` and ``keywords`` lists what matched.
    """
    for column in ("code_id", "keyword"):
        if column not in dictionary.columns:
            raise DataError("dictionary.csv", f"has no column {column!r}")
    patterns: list[tuple[str, str, re.Pattern[str]]] = []
    for i, (code, keyword) in enumerate(zip(dictionary["code_id"], dictionary["keyword"])):
        if not isinstance(keyword, str) or not keyword.strip():
            raise DataError("dictionary.csv", "the keyword is empty", row=i + 2, column="keyword")
        patterns.append((code, keyword.strip(), _keyword_pattern(keyword)))
    code_order = list(dict.fromkeys(dictionary["code_id"]))
    rows = []
    for eid, text in zip(excerpts["excerpt_id"], excerpts["text"]):
        body = _normalise(str(text))
        hits: dict[str, list[str]] = {}
        for code, keyword, pattern in patterns:
            if pattern.search(body):
                hits.setdefault(code, []).append(keyword)
        for code in code_order:
            if code in hits:
                rows.append({"excerpt_id": eid, "code_id": code, "coder": CODER, "keywords": "; ".join(hits[code])})
    return pd.DataFrame(rows, columns=["excerpt_id", "code_id", "coder", "keywords"])


def dictionary_coding() -> pd.DataFrame:
    """The dictionary coder's coding of all 35 excerpts (``data/dictionary.csv``)."""
    return dictionary_code(evidence.load_excerpts(), evidence.load_dictionary())


def dictionary_baseline(auto: pd.DataFrame, level: str = "code") -> Agreement:
    """The dictionary coder's agreement with the reference over all excerpts (it can code every one)."""
    return compare(auto, template.reference_codings(), list(template.excerpt_order()), level=level)


def dictionary_failures(
    auto: pd.DataFrame, reference: pd.DataFrame, excerpt_ids: Sequence[str], level: str = "code", brief: bool = False
) -> pd.DataFrame:
    """Excerpts where the dictionary's coding differs from the reference, and how.

    ``missed``: categories the reference gives and the dictionary does not; ``added``: the
    reverse; ``keywords``: what the dictionary matched, per code, so each error can be traced to
    a word. Excerpts where the two agree are left out. ``brief`` keeps only the excerpt, the
    keywords and the reference coding (the rest follows from them), for a table narrow enough
    for a phone.
    """
    labels = template.labels()
    mine, theirs = template.codes_by_excerpt(auto, level), template.codes_by_excerpt(reference, level)
    ancestor = {} if level == "code" else template.ancestor_map(level)
    rows = []
    for eid in excerpt_ids:
        a, b = mine.get(eid, []), theirs.get(eid, [])
        missed, added = [c for c in b if c not in a], [c for c in a if c not in b]
        if not missed and not added:
            continue
        hits = auto[auto["excerpt_id"] == eid]
        keywords = "; ".join(
            f"{labels.get(ancestor.get(c, c), c)} ← {k}" for c, k in zip(hits["code_id"], hits["keywords"])
        )
        rows.append(
            {
                "excerpt": eid,
                "reference": ", ".join(labels.get(c, c) for c in b) or "(none)",
                "dictionary": ", ".join(labels.get(c, c) for c in a) or "(none)",
                "missed": ", ".join(labels.get(c, c) for c in missed),
                "added": ", ".join(labels.get(c, c) for c in added),
                "keywords matched": keywords or "(no keyword matched)",
            }
        )
    out = pd.DataFrame(rows, columns=["excerpt", "reference", "dictionary", "missed", "added", "keywords matched"])
    return out[["excerpt", "keywords matched", "reference"]] if brief else out
