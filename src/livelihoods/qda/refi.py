"""REFI-QDA: what the export and the import share (names, GUIDs, the book's sources and codebook).

REFI-QDA 1.5 project exchange lets students code the evidence base in NVivo, ATLAS.ti, MAXQDA or
QualCoder. A ``.qdpx`` file is a ZIP holding ``project.qde`` (QDA-XML, namespace
``urn:QDA-XML:project:1.0``) and ``sources/<guid>.txt``, one plain-text source per quoted
respondent: that respondent's published excerpts in paper order, separated by :data:`SEPARATOR`.
:mod:`.refi_export` writes it, :mod:`.refi_archive` opens one safely and validates it, and
:mod:`.refi_import` reads a coded project back into a coding sheet, placing its selections on the
excerpts with :mod:`.refi_offsets`.

Every GUID is a uuid5 of a stable name under :data:`GUID_NAMESPACE`, and every date is the fixed
:data:`FIXED_DATETIME`, so two exports of the same data are byte-identical.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass

import pandas as pd

from livelihoods import __version__, evidence
from livelihoods.errors import LivelihoodsError

#: Namespace of every derived GUID. Never change it: it would change every GUID of every export.
GUID_NAMESPACE = uuid.UUID("12afa2b3-071b-4208-aa06-f57d0f76e6f0")
#: The date written wherever the standard allows one (the ZIP entries carry the same: files.ZIP_DATE).
FIXED_DATETIME = "1980-01-01T00:00:00Z"
#: Between two excerpts of the same respondent: a blank line, so each excerpt is one paragraph.
SEPARATOR = "\n\n"

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
QDE_NAME = "project.qde"
SOURCES_DIR = "sources"

CITATION = (
    "Malik, F., Nicholson, B. and Heeks, R. (2017). Understanding the Development Implications of "
    "Online Outsourcing. IFIP Advances in Information and Communication Technology, vol. 504. "
    "Springer. (c) IFIP 2017."
)
ORIGIN = f"livelihoods {__version__} (reproducible teaching book on Malik, Nicholson & Heeks 2017)"
CODERS = ("reference", "none")
STUDENT = "student"
#: The user that creates the project and its sources: a neutral name, because QualCoder adopts the first
#: user as the coder's name; ``reference`` names only the reference coding's selections.
CREATOR = "livelihoods"
# Okabe-Ito colours (distinguishable with colour-vision deficiencies), one per component.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442", "#000000")


class QdpxError(LivelihoodsError, ValueError):
    """A REFI-QDA file cannot be read or written: names the file and what is wrong, in one line."""


@dataclass(frozen=True)
class Problem:
    """A text selection (or coding) that the import could not place or map, and why."""

    source: str
    start: int | None
    end: int | None
    reason: str
    kind: str = "unplaced"  # "unplaced", "unmapped" or "note" (placed, but worth a look)

    def __str__(self) -> str:
        where = f"source {self.source!r}"
        if self.start is not None:
            where += f" [{self.start}:{self.end}]"
        return f"{where}: {self.reason}"


def guid(kind: str, *parts: str) -> str:
    """The stable GUID of one object, e.g. ``guid("code", "autonomy")``."""
    return str(uuid.uuid5(GUID_NAMESPACE, ":".join((kind, *parts))))


# --------------------------------------------------------------------------- the book's data


def excerpts() -> pd.DataFrame:
    ex = evidence.load_excerpts().copy()
    ex["order"] = ex["order"].astype(int)
    ex = ex.sort_values("order", kind="stable").reset_index(drop=True)
    for row in ex.itertuples():
        text = str(row.text)
        if "\r" in text or "\ufeff" in text or any(ord(ch) > 0xFFFF for ch in text):
            raise QdpxError(
                f"excerpt {row.excerpt_id}: text must be LF-only, without BOM and without characters above U+FFFF"
            )
        if text != unicodedata.normalize("NFC", text):
            raise QdpxError(f"excerpt {row.excerpt_id}: text is not in Unicode NFC")
    return ex


def codebook() -> pd.DataFrame:
    """The codebook in display order, with ``parent_id`` "" for a component."""
    cb = evidence.load_codebook()
    cb["order"] = cb["order"].astype(int)
    cb["parent_id"] = cb["parent_id"].fillna("").astype(str)
    return cb.sort_values("order", kind="stable").reset_index(drop=True)


def codable() -> set[str]:
    """The codes a coder may apply: the leaves (``level`` code)."""
    return set(evidence.codebook_leaves())


def respondents() -> dict[str, dict]:
    try:
        rs = evidence.load_respondents()
    except (AttributeError, FileNotFoundError):
        return {}
    return {
        str(r["initials"]): {k: ("" if pd.isna(v) else str(v)) for k, v in r.items()} for r in rs.to_dict("records")
    }


@dataclass(frozen=True)
class Source:
    initials: str
    name: str
    guid: str
    description: str
    text: str
    spans: dict[str, tuple[int, int]]  # excerpt_id -> (start, end), end exclusive


def source_texts() -> list[Source]:
    """One source per quoted respondent, in the order of their first excerpt, with excerpt spans."""
    ex = excerpts()
    people = respondents()
    sources = []
    for initials in dict.fromkeys(ex["initials"]):
        rows = ex[ex["initials"] == initials]
        parts, spans, pos = [], {}, 0
        for row in rows.itertuples():
            if parts:
                parts.append(SEPARATOR)
                pos += len(SEPARATOR)
            spans[row.excerpt_id] = (pos, pos + len(row.text))
            parts.append(row.text)
            pos += len(row.text)
        person = people.get(initials, {})
        first = rows.iloc[0]
        role = person.get("role") or str(first.get("attributed_role", ""))
        org = person.get("organisation") or str(first.get("attributed_org", ""))
        label = ", ".join(x for x in (role, org) if x)
        name = f"{initials} ({label})" if label else str(initials)
        ids = ", ".join(spans)
        description = (
            f"Published interview excerpts attributed to {name} in Malik, Nicholson & Heeks (2017): "
            f"{ids}, in the order of the paper, one paragraph each. Quoted from: {CITATION}"
        )
        sources.append(Source(str(initials), name, guid("source", str(initials)), description, "".join(parts), spans))
    return sources
