"""REFI-QDA interoperability: the evidence base as a project for NVivo, ATLAS.ti, MAXQDA, QualCoder.

Export
    :func:`export_project` writes a ``.qdpx`` file (REFI-QDA 1.5 project exchange): a ZIP holding
    ``project.qde`` (QDA-XML, namespace ``urn:QDA-XML:project:1.0``) and ``sources/<guid>.txt``, one
    plain-text source per quoted respondent. A source holds that respondent's published excerpts in
    paper order, separated by :data:`SEPARATOR` (a blank line). The codebook is exported as nested
    codes (components and themes are grouping codes, ``isCodable="false"``; the leaf codes carry
    their definition as ``Description``), and the coding (the book's reference coding, a student's
    coding sheet, or none) as one ``PlainTextSelection`` per (excerpt, code) whose
    ``startPosition``/``endPosition`` (characters from 0, end exclusive) slice exactly the excerpt
    text from its source. :func:`export_codebook` writes the codebook exchange file (``.qdc``).

Determinism
    Two exports of the same data are byte-identical: every GUID is a uuid5 of a stable name
    (``"code:<code_id>"``, ``"source:<initials>"``, ``"selection:<excerpt_id>:<code_id>:<coder>"``...)
    under the fixed namespace :data:`GUID_NAMESPACE`; every date in the XML is the fixed, obviously
    artificial :data:`FIXED_DATETIME` (1980-01-01, the earliest date a ZIP entry can carry), which is
    also the timestamp of every ZIP entry; entries are sorted and stored uncompressed, so the bytes do
    not depend on the zlib version either. The dates are therefore not the time of the export.

Import
    :func:`import_project` reads a project coded in another program back into coding-sheet rows. It
    is lenient about the known vendor deviations (a ``.qde`` not called ``project.qde``, ``Sources/``
    capitalised, a BOM, CRLF line endings, offsets in UTF-16 code units or counting a line break as two
    characters, other namespace versions) and reports every selection it cannot place on an excerpt
    or map to a code of the book's codebook, instead of dropping it.

Validation
    :func:`validate` checks a ``.qde``/``.qdpx``/``.qdc`` against the REFI-QDA schemas, which are read
    from ``../shared/refi-qda/`` next to the repository (or ``$REFI_QDA_SCHEMAS``); the package does
    not ship a copy.
"""

from __future__ import annotations

import bisect
import codecs
import io
import os
import re
import sys
import tempfile
import unicodedata
import uuid
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from livelihoods import __version__
from livelihoods.errors import LivelihoodsError, SheetError

__all__ = [
    "GUID_NAMESPACE", "FIXED_DATETIME", "SEPARATOR", "QdpxError", "Problem",
    "guid", "source_texts", "project_files", "project_bytes", "export_project",
    "codebook_bytes", "export_codebook", "import_project", "read_qde", "schema_dir",
    "validate", "sheet_csv", "main_export", "main_import",
]

#: Namespace of every derived GUID. Never change it: it would change every GUID of every export.
GUID_NAMESPACE = uuid.UUID("12afa2b3-071b-4208-aa06-f57d0f76e6f0")
#: The date written wherever the standard allows one, and the ZIP entries' timestamp (see module doc).
FIXED_DATETIME = "1980-01-01T00:00:00Z"
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
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


def _data() -> Any:
    from livelihoods import evidence

    return evidence


def _excerpts() -> pd.DataFrame:
    ex = _data().load_excerpts().copy()
    ex["order"] = ex["order"].astype(int)
    ex = ex.sort_values("order", kind="stable").reset_index(drop=True)
    for row in ex.itertuples():
        text = str(row.text)
        if "\r" in text or "\ufeff" in text or any(ord(ch) > 0xFFFF for ch in text):
            raise QdpxError(f"excerpt {row.excerpt_id}: text must be LF-only, without BOM and without characters above U+FFFF")
        if text != unicodedata.normalize("NFC", text):
            raise QdpxError(f"excerpt {row.excerpt_id}: text is not in Unicode NFC")
    return ex


def _codebook() -> pd.DataFrame:
    cb = _data().load_codebook().copy()
    cb["order"] = cb["order"].astype(int)
    cb["parent_id"] = cb["parent_id"].fillna("").astype(str)
    return cb.sort_values("order", kind="stable").reset_index(drop=True)


def _leaves(cb: pd.DataFrame) -> set[str]:
    parents = set(cb["parent_id"])
    return {c for c, lvl in zip(cb["code_id"], cb["level"]) if lvl == "code" or (lvl != "component" and c not in parents)}


def _respondents() -> dict[str, dict]:
    try:
        rs = _data().load_respondents()
    except (AttributeError, FileNotFoundError):
        return {}
    return {str(r["initials"]): {k: ("" if pd.isna(v) else str(v)) for k, v in r.items()} for r in rs.to_dict("records")}


def _reference_codings() -> pd.DataFrame:
    cd = _data().load_codings()
    cd = cd[cd["coder"] == "reference"] if "coder" in cd.columns else cd
    return cd[["excerpt_id", "code_id"]].reset_index(drop=True)


@dataclass(frozen=True)
class _Source:
    initials: str
    name: str
    guid: str
    description: str
    text: str
    spans: dict[str, tuple[int, int]]  # excerpt_id -> (start, end), end exclusive


def source_texts() -> list[_Source]:
    """One source per quoted respondent, in the order of their first excerpt, with excerpt spans."""
    ex = _excerpts()
    people = _respondents()
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
        sources.append(_Source(str(initials), name, guid("source", str(initials)), description, "".join(parts), spans))
    return sources


# --------------------------------------------------------------------------- XML helpers


def _sub(parent: ET.Element, tag: str, attrs: Iterable[tuple[str, str]] = (), text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag, dict(attrs))
    if text is not None:
        el.text = text
    return el


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _add_codes(parent: ET.Element, cb: pd.DataFrame, with_colours: bool = True) -> None:
    children: dict[str, list] = {}
    for row in cb.itertuples():
        children.setdefault(row.parent_id, []).append(row)
    leaves = _leaves(cb)

    def add(el: ET.Element, row: Any, colour: str) -> None:
        attrs = [("guid", guid("code", row.code_id)), ("name", row.label),
                 ("isCodable", "true" if row.code_id in leaves else "false")]
        if with_colours:
            attrs.append(("color", colour))
        code = _sub(el, "Code", attrs)
        if str(row.definition):
            _sub(code, "Description", text=str(row.definition))
        for child in children.get(row.code_id, []):
            add(code, child, colour)

    for i, top in enumerate(children.get("", [])):
        add(parent, top, PALETTE[i % len(PALETTE)])


def _coding_rows(coder: str | pd.DataFrame) -> tuple[str | None, pd.DataFrame]:
    """(coder name, rows excerpt_id/code_id) for what to export, checked against the codebook."""
    if isinstance(coder, pd.DataFrame):
        name, rows = STUDENT, coder
    elif coder == "reference":
        name, rows = "reference", _reference_codings()
    elif coder == "none":
        return None, pd.DataFrame(columns=["excerpt_id", "code_id"])
    else:
        raise QdpxError(f"unknown coder {coder!r}: expected 'reference', 'none' or a coding sheet")
    missing = {"excerpt_id", "code_id"} - set(rows.columns)
    if missing:
        raise SheetError(f"the coding sheet has no column {sorted(missing)[0]!r}: expected excerpt_id, code_id")
    rows = rows[["excerpt_id", "code_id"]].astype(str).drop_duplicates().reset_index(drop=True)
    known = set(_excerpts()["excerpt_id"])
    cb = _codebook()
    leaves = _leaves(cb)
    for i, row in enumerate(rows.itertuples(), start=1):
        if row.excerpt_id not in known:
            raise SheetError(f"coding row {i}: unknown excerpt_id {row.excerpt_id!r} (expected EX01 to EX{len(known):02d})")
        if row.code_id not in leaves:
            what = "a grouping code, not a codable code" if row.code_id in set(cb["code_id"]) else "not in the codebook"
            raise SheetError(f"coding row {i}: code_id {row.code_id!r} is {what}")
    return name, rows


def project_files(coder: str | pd.DataFrame = "reference") -> dict[str, bytes]:
    """The files of the ``.qdpx`` archive, by name: ``project.qde`` and ``sources/<guid>.txt``."""
    coder_name, rows = _coding_rows(coder)
    cb = _codebook()
    code_order = {c: i for i, c in enumerate(cb["code_id"])}
    sources = source_texts()
    reference_user = guid("user", "reference")
    users = [("reference", reference_user)]
    if coder_name and coder_name != "reference":
        users.append((coder_name, guid("user", coder_name)))
    coder_guid = guid("user", coder_name) if coder_name else None

    what = {"reference": "with the book's reference coding", None: "not coded (for coding)",
            STUDENT: "with a student's coding sheet"}[coder_name]
    root = ET.Element("Project", {
        "xmlns": PROJECT_NS,
        "name": f"Malik, Nicholson & Heeks (2017): published excerpts, {what}",
        "origin": ORIGIN,
        "creatingUserGUID": reference_user,
        "creationDateTime": FIXED_DATETIME,
    })
    users_el = _sub(root, "Users")
    for name, g in users:
        _sub(users_el, "User", [("guid", g), ("name", name), ("id", name)])
    _add_codes(_sub(_sub(root, "CodeBook"), "Codes"), cb)

    by_excerpt: dict[str, list[str]] = {}
    for row in rows.itertuples():
        by_excerpt.setdefault(row.excerpt_id, []).append(row.code_id)
    sources_el = _sub(root, "Sources")
    files: dict[str, bytes] = {}
    for src in sources:
        el = _sub(sources_el, "TextSource", [
            ("guid", src.guid), ("name", src.name), ("plainTextPath", f"internal://{src.guid}.txt"),
            ("creatingUser", reference_user), ("creationDateTime", FIXED_DATETIME)])
        _sub(el, "Description", text=src.description)
        for excerpt_id, (start, end) in src.spans.items():
            for code_id in sorted(by_excerpt.get(excerpt_id, []), key=code_order.__getitem__):
                sel = _sub(el, "PlainTextSelection", [
                    ("guid", guid("selection", excerpt_id, code_id, coder_name)), ("name", excerpt_id),
                    ("startPosition", str(start)), ("endPosition", str(end)),
                    ("creatingUser", coder_guid), ("creationDateTime", FIXED_DATETIME)])
                coding = _sub(sel, "Coding", [("guid", guid("coding", excerpt_id, code_id, coder_name)),
                                              ("creatingUser", coder_guid), ("creationDateTime", FIXED_DATETIME)])
                _sub(coding, "CodeRef", [("targetGUID", guid("code", code_id))])
        files[f"{SOURCES_DIR}/{src.guid}.txt"] = src.text.encode("utf-8")
    _sub(root, "Description", text=(
        "The interview excerpts published in " + CITATION + " One plain-text document per quoted "
        "respondent holds that respondent's excerpts in the order of the paper, one paragraph each. "
        "The codebook is the teaching book's reconstruction from the paper's framework and findings, "
        "not the authors' NVivo template, and the reference coding is the book's. Code whole excerpts (or parts of them) with "
        "the codable codes, export a REFI-QDA project, and run 'livelihoods import-qdpx' to compare "
        "your coding with the reference. Exported by " + ORIGIN + "; dates are fixed, not the export time."))
    files[QDE_NAME] = _serialise(root)
    return files


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3  # Unix, whatever the exporting OS
            info.external_attr = 0o100644 << 16
            zf.writestr(info, files[name])
    return buf.getvalue()


def project_bytes(coder: str | pd.DataFrame = "reference") -> bytes:
    """The ``.qdpx`` archive in memory."""
    return _zip(project_files(coder))


def _write_atomic(path: Path, payload: bytes, force: bool) -> None:
    path = Path(path)
    if path.exists() and not force:
        raise QdpxError(f"{path} exists: choose another file or add --force to replace it")
    if path.is_dir():
        raise QdpxError(f"{path} is a folder: give a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_project(path: str | Path, coder: str | pd.DataFrame = "reference", force: bool = False) -> Path:
    """Write the REFI-QDA project (``.qdpx``); ``coder`` is "reference", "none" or a coding sheet."""
    payload = project_bytes(coder)
    _write_atomic(Path(path), payload, force)
    return Path(path)


def codebook_bytes() -> bytes:
    """The codebook exchange file (``.qdc``, namespace ``urn:QDA-XML:codebook:1.0``)."""
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": f"{ORIGIN}. Codebook for {CITATION}"})
    _add_codes(_sub(root, "Codes"), _codebook())
    return _serialise(root)


def export_codebook(path: str | Path, force: bool = False) -> Path:
    """Write the codebook exchange file (``.qdc``)."""
    _write_atomic(Path(path), codebook_bytes(), force)
    return Path(path)


# --------------------------------------------------------------------------- validation


def schema_dir() -> Path | None:
    """The folder holding Project.xsd and Codebook.xsd, or None where it is absent."""
    candidates = []
    if os.environ.get("REFI_QDA_SCHEMAS"):
        candidates.append(Path(os.environ["REFI_QDA_SCHEMAS"]))
    from livelihoods.paths import repo_root

    root = repo_root()
    if root is not None:
        candidates.append(root / ".." / "shared" / "refi-qda")
    for folder in candidates:
        if (folder / "Project.xsd").is_file() and (folder / "Codebook.xsd").is_file():
            return folder.resolve()
    return None


@lru_cache(maxsize=4)
def _schema(path: str) -> Any:
    import xmlschema

    return xmlschema.XMLSchema(path)


def validate(path_or_bytes: str | Path | bytes, schema: str = "Project") -> None:
    """Check a ``.qde``/``.qdpx`` (schema "Project") or ``.qdc`` (schema "Codebook") against the XSD.

    Raises :class:`QdpxError` naming the first error and how many there are.
    """
    if schema not in ("Project", "Codebook"):
        raise QdpxError(f"unknown schema {schema!r}: expected 'Project' or 'Codebook'")
    folder = schema_dir()
    if folder is None:
        raise QdpxError("the REFI-QDA schemas are not available: expected Project.xsd and Codebook.xsd in "
                        "../shared/refi-qda/ next to the repository (or set REFI_QDA_SCHEMAS to their folder)")
    if isinstance(path_or_bytes, (bytes, bytearray)):
        xml, label = bytes(path_or_bytes), "the XML"
    else:
        p = Path(path_or_bytes)
        if not p.is_file():
            raise QdpxError(f"{p}: no such file")
        xml, label = p.read_bytes(), str(p)
    if xml.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(xml)) as zf:
                xml = zf.read(_find_qde(zf, label))
        except zipfile.BadZipFile as err:
            raise QdpxError(f"{label}: damaged ZIP archive ({err})") from None
    import xmlschema

    try:
        errors = list(_schema(str(folder / f"{schema}.xsd")).iter_errors(io.BytesIO(xml)))
    except xmlschema.XMLResourceError as err:
        raise QdpxError(f"{label}: not well-formed XML ({str(err).splitlines()[0]})") from None
    if errors:
        first = errors[0]
        where = f" at {first.path}" if getattr(first, "path", None) else ""
        reason = (first.reason or str(first)).splitlines()[0]
        raise QdpxError(f"{label} does not validate against {schema}.xsd ({len(errors)} error(s)); first{where}: {reason}")


# --------------------------------------------------------------------------- import


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    found = _children(el, name)
    return found[0] if found else None


def _norm_guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


def _norm_name(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).replace("_", " ").split()).casefold()


def _zip_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Normalised (forward slashes, lower case) name -> stored name, for the archive's files."""
    return {n.replace("\\", "/").lstrip("/").lower(): n for n in zf.namelist() if not n.endswith(("/", "\\"))}


def _find_qde(zf: zipfile.ZipFile, label: Any) -> str:
    names = _zip_names(zf)
    qdes = sorted(n for n in names if n.endswith(".qde"))
    top = [n for n in qdes if "/" not in n]
    if QDE_NAME in names:
        return names[QDE_NAME]
    if len(top) == 1:
        return names[top[0]]
    if not top and len(qdes) == 1:
        return names[qdes[0]]
    if not qdes:
        raise QdpxError(f"{label}: no .qde file in the archive (a REFI-QDA project holds project.qde and sources/)")
    raise QdpxError(f"{label}: several .qde files and none called project.qde: {', '.join(names[n] for n in (top or qdes))}")


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8):].decode("utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        text = data.decode("utf-8")
    return text.lstrip("\ufeff")


def read_qde(path: str | Path) -> tuple[ET.Element, zipfile.ZipFile | None, str]:
    """Parse the project XML of a ``.qdpx`` (or a bare ``.qde``): (root, open archive or None, .qde name)."""
    p = Path(path)
    if not p.is_file():
        raise QdpxError(f"{p}: no such file")
    if zipfile.is_zipfile(p):
        try:
            zf = zipfile.ZipFile(p)
            name = _find_qde(zf, p)
            xml = zf.read(name)
        except zipfile.BadZipFile as err:
            raise QdpxError(f"{p}: damaged ZIP archive ({err})") from None
    else:
        head = p.read_bytes()[:512].lstrip(codecs.BOM_UTF8).lstrip()
        if p.suffix.lower() == ".qde" or head.startswith(b"<"):
            zf, name, xml = None, p.name, p.read_bytes()
        else:
            raise QdpxError(f"{p} is not a REFI-QDA project: a .qdpx file is a ZIP archive, and this is not one")
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as err:
        line, col = getattr(err, "position", (None, None))
        raise QdpxError(f"{p}: {name} is not well-formed XML (line {line}, column {col}): {str(err).split(':')[0]}") from None
    if _local(root.tag) != "Project":
        raise QdpxError(f"{p}: {name} is not a REFI-QDA project (root element <{_local(root.tag)}>, expected <Project>)")
    return root, zf, name


_OFFSET_RE = re.compile(r"^\s*-?\d+\s*$")


class _Text:
    """A source text normalised to LF, with the offset conventions tools use mapped onto it."""

    def __init__(self, raw: str, had_bom: bool):
        self.raw = raw
        self.text = raw.replace("\r\n", "\n").replace("\r", "\n")
        crlf = "\r\n" in raw
        n = len(self.text)
        nl = [0] * (n + 1)
        astral = [0] * (n + 1)
        for i, ch in enumerate(self.text):
            nl[i + 1] = nl[i] + (ch == "\n")
            astral[i + 1] = astral[i] + (ord(ch) > 0xFFFF)
        base = list(range(n + 1))
        # Each convention maps a position in self.text to the offset a tool would write for it.
        conventions: dict[str, list[int]] = {}
        order = ["characters, line break = 2", "characters"] if crlf else ["characters", "characters, line break = 2"]
        for label in order:
            two = label.endswith("= 2")
            conventions[label] = [b + (nl[b] if two else 0) for b in base]
        if astral[-1]:
            for label in list(order):
                conventions[label.replace("characters", "UTF-16 units")] = [
                    u + astral[b] for b, u in zip(base, conventions[label])]
        if had_bom:
            for label in list(conventions):
                conventions[label + ", BOM counted"] = [u + 1 for u in conventions[label]]
        unique: dict[str, list[int]] = {}
        for label, units in conventions.items():
            if not any(units == other for other in unique.values()):
                unique[label] = units
        self.conventions = unique

    def to_text(self, units: list[int], offset: int) -> int | None:
        if offset < 0 or offset > units[-1]:
            return None
        return bisect.bisect_left(units, offset)


def _locate(text: str, excerpts: dict[str, str]) -> list[tuple[int, int, str]]:
    """Spans of the book's excerpts found in a source text (an excerpt inside a longer one is ignored)."""
    found = []
    for excerpt_id, body in excerpts.items():
        start = text.find(body)
        while start != -1:
            found.append((start, start + len(body), excerpt_id))
            start = text.find(body, start + 1)
    keep = [s for s in found if not any(o is not s and o[2] != s[2] and o[0] <= s[0] and s[1] <= o[1]
                                        and (o[1] - o[0]) > (s[1] - s[0]) for o in found)]
    return sorted(keep)


def _score(spans: list[tuple[int, int, str]], text: str, s: int, e: int) -> tuple[int, list[str]]:
    """How well the span [s, e) sits on excerpts: 3 exact, 2 inside one, 1 overlapping one, 0 not."""
    hits = []
    for a, b, excerpt_id in spans:
        lo, hi = max(a, s), min(b, e)
        if lo < hi and text[lo:hi].strip():
            if (a, b) == (s, e):
                return 3, [excerpt_id]
            hits.append((excerpt_id, a <= s and e <= b))
    if len(hits) == 1:
        return (2 if hits[0][1] else 1), [hits[0][0]]
    if hits:
        return 1, list(dict.fromkeys(h[0] for h in hits))
    return 0, []


@dataclass
class _Codes:
    by_guid: dict[str, str]          # the book's code GUID -> code_id
    by_name: dict[str, str]          # normalised label or code_id -> code_id
    levels: dict[str, str]           # code_id -> level
    leaves: set[str]
    order: dict[str, int]

    @classmethod
    def load(cls) -> "_Codes":
        cb = _codebook()
        by_name = {}
        for row in cb.itertuples():
            by_name.setdefault(_norm_name(row.label), row.code_id)
            by_name.setdefault(_norm_name(row.code_id), row.code_id)
        return cls({guid("code", c): c for c in cb["code_id"]}, by_name, dict(zip(cb["code_id"], cb["level"])),
                   _leaves(cb), {c: i for i, c in enumerate(cb["code_id"])})

    def map(self, code_guid: str, name: str) -> tuple[str | None, str]:
        code_id = self.by_guid.get(code_guid) or self.by_name.get(_norm_name(name))
        if code_id is None:
            return None, f"code {name!r} is not in the book's codebook (matched by GUID, label or code_id)"
        if code_id not in self.leaves:
            return None, f"code {name!r} is a {self.levels[code_id]} of the book's codebook, not a codable code: code with one of its sub-codes"
        return code_id, ""


def import_project(path: str | Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Coding-sheet rows (excerpt_id, code_id, coder) from a REFI-QDA project coded elsewhere.

    Returns the rows (deduplicated, in paper and codebook order) and the problems: every selection
    that could not be placed on a published excerpt or mapped to a codable code, with why.
    Raises :class:`QdpxError` for a file that is not a readable REFI-QDA project.
    """
    p = Path(path)
    root, zf, qde_name = read_qde(p)
    try:
        return _import(p, root, zf, qde_name)
    finally:
        if zf is not None:
            zf.close()


def _import(p: Path, root: ET.Element, zf: zipfile.ZipFile | None, qde_name: str) -> tuple[pd.DataFrame, list[Problem]]:
    codes = _Codes.load()
    ex = _excerpts()
    excerpt_text = dict(zip(ex["excerpt_id"], ex["text"]))
    excerpt_order = dict(zip(ex["excerpt_id"], ex["order"]))

    project_codes: dict[str, str] = {}
    for el in root.iter():
        if _local(el.tag) == "Code" and el.get("guid"):
            project_codes[_norm_guid(el.get("guid"))] = el.get("name", "")
    users = {_norm_guid(u.get("guid")): (u.get("name") or u.get("id") or _norm_guid(u.get("guid")))
             for u in root.iter() if _local(u.tag) == "User"}
    base = qde_name.replace("\\", "/").rsplit("/", 1)[0] + "/" if "/" in qde_name.replace("\\", "/") else ""
    names = _zip_names(zf) if zf is not None else {}

    rows: list[tuple[str, str, str]] = []
    problems: list[Problem] = []
    present: set[str] = set()

    def coding_targets(sel: ET.Element, source_name: str) -> list[tuple[str, str, str]]:
        """(code guid, code name, coder) of each Coding of a selection; unknown references are errors."""
        out = []
        for coding in _children(sel, "Coding"):
            ref = _child(coding, "CodeRef")
            target = _norm_guid(ref.get("targetGUID") if ref is not None else None)
            if target not in project_codes:
                raise QdpxError(
                    f"{p}: a coding in source {source_name!r} refers to code {target or '(none)'}, "
                    f"which is not in the project's codebook (the file is damaged or incomplete)")
            user = _norm_guid(coding.get("creatingUser") or sel.get("creatingUser"))
            out.append((target, project_codes[target], users.get(user, user or "unknown")))
        return out

    def load_text(src: ET.Element, source_name: str) -> tuple[str, bool] | str:
        content = _child(src, "PlainTextContent")
        if content is not None and content.text is not None:
            raw = content.text
            return raw.lstrip("\ufeff"), raw.startswith("\ufeff")
        ref = src.get("plainTextPath") or ""
        target = ref.split("://", 1)[-1].replace("\\", "/").lstrip("/") if ref else f"{src.get('guid', '')}.txt"
        if zf is None:
            return f"its text {ref or target} is outside the .qde file (open the .qdpx project instead)"
        leaf = target.rsplit("/", 1)[-1].lower()
        wanted = [f"{base}sources/{leaf}".lower(), f"sources/{leaf}", target.lower()]
        stored = next((names[w] for w in wanted if w in names), None)
        if stored is None:
            matches = [names[n] for n in names if n.rsplit("/", 1)[-1] == leaf]
            stored = matches[0] if len(matches) == 1 else None
        if stored is None:
            return f"its text file {ref or target} is not in the archive"
        data = zf.read(stored)
        try:
            text = _decode(data)
        except UnicodeDecodeError:
            return f"its text file {stored} is neither UTF-8 nor UTF-16"
        return text, data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))

    def take(excerpt_ids: list[str], targets: list[tuple[str, str, str]], source_name: str, s: int, e: int) -> None:
        for code_guid, code_name, coder in targets:
            code_id, why = codes.map(code_guid, code_name)
            if code_id is None:
                problems.append(Problem(source_name, s, e, why, "unmapped"))
                continue
            rows.extend((excerpt_id, code_id, coder) for excerpt_id in excerpt_ids)

    for src in root.iter():
        kind = _local(src.tag)
        if kind not in ("TextSource", "PDFSource", "PictureSource", "AudioSource", "VideoSource"):
            continue
        source_name = src.get("name") or src.get("guid") or "(unnamed)"
        if kind != "TextSource":
            for sel in src.iter():
                if _local(sel.tag).endswith("Selection") and _children(sel, "Coding"):
                    problems.append(Problem(source_name, None, None, f"a coded {_local(sel.tag)}: only plain-text selections can be placed on excerpts"))
            continue
        for _code_guid, code_name, _coder in coding_targets(src, source_name):
            problems.append(Problem(source_name, None, None,
                                    f"the whole source is coded with {code_name!r}, not a text selection: code the excerpts themselves"))
        selections = [s for s in _children(src, "PlainTextSelection") if _children(s, "Coding")]
        loaded = load_text(src, source_name)
        if isinstance(loaded, str):
            spans: list[tuple[int, int, str]] = []
        else:
            text_obj = _Text(*loaded)
            spans = _locate(text_obj.text, excerpt_text)
            present.update(span[2] for span in spans)
        parsed = []
        for sel in selections:
            targets = coding_targets(sel, source_name)
            start_s, end_s = sel.get("startPosition", ""), sel.get("endPosition", "")
            if not (_OFFSET_RE.match(start_s) and _OFFSET_RE.match(end_s)) or int(start_s) >= int(end_s):
                problems.append(Problem(source_name, None, None, f"selection {sel.get('guid', '')} has invalid offsets {start_s!r}-{end_s!r}"))
                continue
            s, e = int(start_s), int(end_s)
            if isinstance(loaded, str):
                problems.append(Problem(source_name, s, e, f"cannot read the source: {loaded}"))
            elif not spans:
                problems.append(Problem(source_name, s, e, "the source contains none of the published excerpts (was its text edited?)"))
            else:
                parsed.append((sel, targets, s, e))
        if not parsed:
            continue
        # One program writes one offset convention: take the one that fits this source's selections
        # best (most exact excerpt spans, then best total fit; ties go to the likelier convention).
        fits = []
        for rank, units in enumerate(text_obj.conventions.values()):
            placed = []
            for _sel, _targets, s, e in parsed:
                a, b = text_obj.to_text(units, s), text_obj.to_text(units, e)
                placed.append(_score(spans, text_obj.text, a, b) if a is not None and b is not None and a < b else (0, []))
            fits.append(((sum(p[0] == 3 for p in placed), sum(p[0] for p in placed), -rank), placed))
        placed = max(fits, key=lambda fit: fit[0])[1]
        end_of_text = max(units[-1] for units in text_obj.conventions.values())
        for (sel, targets, s, e), (score, excerpt_ids) in zip(parsed, placed):
            if score == 0:
                # The offsets do not land on an excerpt: look for the selection's own text.
                candidate = " ".join((sel.get("name") or "").split())
                owners = [i for i, body in excerpt_text.items() if len(candidate) >= 12 and candidate in " ".join(body.split())]
                if len(owners) == 1:
                    score, excerpt_ids = 1, owners
            if score == 0:
                if e > end_of_text:
                    why = f"the offsets lie beyond the end of the source text ({len(text_obj.text)} characters)"
                else:
                    why = "the selection does not overlap any published excerpt (it falls between excerpts)"
                problems.append(Problem(source_name, s, e, why))
                continue
            if len(excerpt_ids) > 1:
                problems.append(Problem(source_name, s, e, f"the selection spans {len(excerpt_ids)} excerpts ({', '.join(excerpt_ids)}): counted for each", "note"))
            take(excerpt_ids, targets, source_name, s, e)

    df = pd.DataFrame(rows, columns=["excerpt_id", "code_id", "coder"]).drop_duplicates()
    if not df.empty:
        df = df.assign(_e=df["excerpt_id"].map(excerpt_order), _c=df["code_id"].map(codes.order))
        df = df.sort_values(["_e", "_c", "coder"], kind="stable").drop(columns=["_e", "_c"])
    df = df.reset_index(drop=True)
    # The excerpts the coder had in front of them (found in the project's sources), in paper order:
    # the sample of the comparison, where an uncoded excerpt counts as coded with nothing.
    df.attrs["excerpt_ids"] = sorted(present | set(df["excerpt_id"]), key=excerpt_order.__getitem__)
    return df, problems


# --------------------------------------------------------------------------- command line


def _read_sheet(path: str | Path) -> pd.DataFrame:
    """A student's coding sheet, read (and checked) by the coding lab's reader."""
    from livelihoods.qda import coding

    return coding.read_sheet(path)


def main_export(args: Any) -> int:
    """``livelihoods export-qdpx``: the project (``--out``) and/or the codebook (``--codebook-only``)."""
    out = getattr(args, "out", None)
    qdc = getattr(args, "codebook_only", None)
    force = bool(getattr(args, "force", False))
    if not out and not qdc:
        raise QdpxError("say where to write: --out FILE.qdpx for the project, or --codebook-only FILE.qdc for the codebook")
    for target in (t for t in (out, qdc) if t):
        if Path(target).exists() and not force:
            raise QdpxError(f"{target} exists: choose another file or add --force to replace it")
    said = []
    if out:
        sheet = getattr(args, "sheet", None)
        coder: str | pd.DataFrame = _read_sheet(sheet) if sheet else (getattr(args, "coder", None) or "reference")
        files = project_files(coder)
        _write_atomic(Path(out), _zip(files), force)
        qde = files[QDE_NAME].decode("utf-8")
        n_sel = qde.count("<PlainTextSelection ")
        who = f"the coding sheet {sheet}" if sheet else ("no coding" if coder == "none" else "the reference coding")
        said.append(f"wrote {out}: {len(files) - 1} sources, {qde.count('<Code ')} codes, {n_sel} coded selections ({who})")
    if qdc:
        payload = codebook_bytes()
        _write_atomic(Path(qdc), payload, force)
        said.append(f"wrote {qdc}: the codebook, {payload.decode('utf-8').count('<Code ')} codes")
    print("; ".join(said))
    return 0


def sheet_csv(codings: pd.DataFrame, excerpt_ids: Iterable[str] | None = None) -> str:
    """A coding sheet (``excerpt_id,code_id``) in paper order; a listed excerpt without codes gets an
    empty ``code_id`` (the coding lab reads that as "coded with nothing")."""
    ids = list(excerpt_ids if excerpt_ids is not None else codings.attrs.get("excerpt_ids", []))
    by_excerpt: dict[str, list[str]] = {}
    for row in codings[["excerpt_id", "code_id"]].drop_duplicates().itertuples():
        by_excerpt.setdefault(row.excerpt_id, []).append(row.code_id)
    lines = ["excerpt_id,code_id"]
    for excerpt_id in dict.fromkeys([*ids, *by_excerpt]):
        lines += [f"{excerpt_id},{code_id}" for code_id in by_excerpt.get(excerpt_id, [])] or [f"{excerpt_id},"]
    return "\n".join(lines) + "\n"


def main_import(args: Any) -> int:
    """``livelihoods import-qdpx``: a project coded elsewhere, back into a coding sheet (CSV)."""
    out = Path(args.out)
    if out.exists() and not getattr(args, "force", False):
        raise QdpxError(f"{out} exists: choose another --out or add --force to replace it")
    df, problems = import_project(args.project)
    excerpt_ids = df.attrs["excerpt_ids"]
    if not excerpt_ids:
        raise QdpxError(f"{args.project}: none of its sources contains a published excerpt: "
                        "is this the project exported by 'livelihoods export-qdpx'?")
    if df.empty:
        for problem in problems:
            print(f"livelihoods import-qdpx: {problem.kind}: {problem}", file=sys.stderr)
        if problems:
            raise QdpxError(f"{args.project}: none of its coded selections could be placed on an excerpt and mapped "
                            f"to a code ({len(problems)} problem(s) listed above): nothing written")
        raise QdpxError(f"{args.project}: the project has no coded text selections: code the excerpts, "
                        "export the project again and import that file: nothing written")
    notes = []
    sample_sheet = getattr(args, "sample", None)
    if sample_sheet:
        # The coder worked on a sample (the coding lab's blank sheet): the excerpts outside it were
        # not part of the round, so they must not count as "coded with nothing" in the agreement.
        from livelihoods.qda import coding

        sample = coding.sheet_excerpts(coding.read_sheet(sample_sheet, allow_blank=True))
        outside = df[~df["excerpt_id"].isin(sample)]
        if len(outside):
            notes.append(f"left out {len(outside)} codings of {outside['excerpt_id'].nunique()} excerpts "
                         f"outside the sample of {sample_sheet}")
        df = df[df["excerpt_id"].isin(sample)]
        excerpt_ids = [e for e in excerpt_ids if e in set(sample)]
        if df.empty:
            raise QdpxError(f"{args.project}: none of its codings falls on the {len(sample)} excerpts of "
                            f"{sample_sheet}: is that the sample you coded? nothing written")
    coders = sorted(set(df["coder"]))
    if "reference" in coders and len(coders) > 1:
        # The project still holds the reference coding next to the student's: keep the student's.
        notes.append(f"left out {int((df['coder'] == 'reference').sum())} reference codings still in the project")
        df = df[df["coder"] != "reference"]
        coders.remove("reference")
    if len(coders) > 1:
        notes.append(f"merged the codings of {len(coders)} users ({', '.join(coders)})")
    _write_atomic(out, sheet_csv(df, excerpt_ids).encode("utf-8"), True)
    for problem in problems:
        print(f"livelihoods import-qdpx: {problem.kind}: {problem}", file=sys.stderr)
    coded = df["excerpt_id"].nunique()
    summary = f"wrote {out}: {len(df)} codings of {coded} excerpts by {', '.join(coders)} from {args.project}"
    if len(excerpt_ids) > coded:
        summary += f"; {len(excerpt_ids) - coded} of its {len(excerpt_ids)} excerpts uncoded (listed with an empty code_id)"
        if not sample_sheet:
            summary += ("; if you coded only a sample, import again with --sample YOUR_SAMPLE_SHEET.csv so that "
                        "the agreement is not computed over excerpts you never coded")
    summary += "".join(f"; {note}" for note in notes)
    missed = [pr for pr in problems if pr.kind != "note"]
    if missed:
        summary += (f"; WARNING: {len(missed)} selection(s) or coding(s) could not be placed or mapped "
                    "and are NOT in the sheet (listed on stderr)")
    print(summary)
    return 0
