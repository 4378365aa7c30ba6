"""Writing REFI-QDA files: the evidence base as a project (``.qdpx``) and the codebook (``.qdc``).

:func:`export_project` writes a ``.qdpx`` (see :mod:`.refi` for its layout). The codebook is
exported as nested codes (components and themes are grouping codes, ``isCodable="false"``; the
leaf codes carry their definition as ``Description``), and the coding (the book's reference
coding, a student's coding sheet, or none) as one ``PlainTextSelection`` per (excerpt, code)
whose ``startPosition``/``endPosition`` (characters from 0, end exclusive) slice exactly the
excerpt text from its source. The project is created by the neutral user :data:`.refi.CREATOR`;
the reference coding's selections are by ``reference``, a sheet's by ``student``.

Entries are sorted, dated :data:`.refi.FIXED_DATETIME` and stored uncompressed, so two exports
are byte-identical. ``--force`` replaces only a file this command wrote (:func:`is_our_project`,
:func:`is_our_codebook`).
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from livelihoods import files
from livelihoods.errors import SheetError
from livelihoods.qda import template
from livelihoods.qda.refi import (
    CITATION,
    CODEBOOK_NS,
    CREATOR,
    FIXED_DATETIME,
    ORIGIN,
    PALETTE,
    PROJECT_NS,
    QDE_NAME,
    SOURCES_DIR,
    STUDENT,
    QdpxError,
    codable,
    codebook,
    excerpts,
    guid,
    source_texts,
)

log = logging.getLogger(__name__)


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
    leaves = codable()

    def add(el: ET.Element, row: Any, colour: str) -> None:
        attrs = [
            ("guid", guid("code", row.code_id)),
            ("name", row.label),
            ("isCodable", "true" if row.code_id in leaves else "false"),
        ]
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
        name, rows = "reference", template.reference_codings()
    elif coder == "none":
        return None, pd.DataFrame(columns=["excerpt_id", "code_id"])
    else:
        raise QdpxError(f"unknown coder {coder!r}: expected 'reference', 'none' or a coding sheet")
    missing = {"excerpt_id", "code_id"} - set(rows.columns)
    if missing:
        raise SheetError(f"the coding sheet has no column {sorted(missing)[0]!r}: expected excerpt_id, code_id")
    rows = rows[["excerpt_id", "code_id"]].astype(str).drop_duplicates().reset_index(drop=True)
    known = set(excerpts()["excerpt_id"])
    cb = codebook()
    leaves = codable()
    for i, row in enumerate(rows.itertuples(), start=1):
        if row.excerpt_id not in known:
            raise SheetError(
                f"coding row {i}: unknown excerpt_id {row.excerpt_id!r} (expected EX01 to EX{len(known):02d})"
            )
        if row.code_id not in leaves:
            what = "a grouping code, not a codable code" if row.code_id in set(cb["code_id"]) else "not in the codebook"
            raise SheetError(f"coding row {i}: code_id {row.code_id!r} is {what}")
    return name, rows


def project_files(coder: str | pd.DataFrame = "reference") -> dict[str, bytes]:
    """The files of the ``.qdpx`` archive, by name: ``project.qde`` and ``sources/<guid>.txt``."""
    coder_name, rows = _coding_rows(coder)
    cb = codebook()
    code_order = {c: i for i, c in enumerate(cb["code_id"])}
    sources = source_texts()
    creator = guid("user", CREATOR)
    users = [(CREATOR, creator)] + ([(coder_name, guid("user", coder_name))] if coder_name else [])
    coder_guid = guid("user", coder_name) if coder_name else None

    what = {
        "reference": "with the book's reference coding",
        None: "not coded (for coding)",
        STUDENT: "with a student's coding sheet",
    }[coder_name]
    root = ET.Element(
        "Project",
        {
            "xmlns": PROJECT_NS,
            "name": f"Malik, Nicholson & Heeks (2017): published excerpts, {what}",
            "origin": ORIGIN,
            "creatingUserGUID": creator,
            "creationDateTime": FIXED_DATETIME,
        },
    )
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
        el = _sub(
            sources_el,
            "TextSource",
            [
                ("guid", src.guid),
                ("name", src.name),
                ("plainTextPath", f"internal://{src.guid}.txt"),
                ("creatingUser", creator),
                ("creationDateTime", FIXED_DATETIME),
            ],
        )
        _sub(el, "Description", text=src.description)
        for excerpt_id, (start, end) in src.spans.items():
            for code_id in sorted(by_excerpt.get(excerpt_id, []), key=code_order.__getitem__):
                sel = _sub(
                    el,
                    "PlainTextSelection",
                    [
                        ("guid", guid("selection", excerpt_id, code_id, coder_name)),
                        ("name", excerpt_id),
                        ("startPosition", str(start)),
                        ("endPosition", str(end)),
                        ("creatingUser", coder_guid),
                        ("creationDateTime", FIXED_DATETIME),
                    ],
                )
                coding = _sub(
                    sel,
                    "Coding",
                    [
                        ("guid", guid("coding", excerpt_id, code_id, coder_name)),
                        ("creatingUser", coder_guid),
                        ("creationDateTime", FIXED_DATETIME),
                    ],
                )
                _sub(coding, "CodeRef", [("targetGUID", guid("code", code_id))])
        files[f"{SOURCES_DIR}/{src.guid}.txt"] = src.text.encode("utf-8")
    _sub(
        root,
        "Description",
        text=(
            "The interview excerpts published in " + CITATION + " One plain-text document per quoted "
            "respondent holds that respondent's excerpts in the order of the paper, one paragraph each. "
            "The codebook is the teaching book's reconstruction from the paper's framework and findings, "
            "not the authors' NVivo template, and the reference coding is the book's. Code whole excerpts (or parts of them) with "
            "the codable codes, export a REFI-QDA project, and run 'livelihoods import-qdpx' to compare "
            "your coding with the reference. Exported by " + ORIGIN + "; dates are fixed, not the export time."
        ),
    )
    files[QDE_NAME] = _serialise(root)
    return files


def project_bytes(coder: str | pd.DataFrame = "reference") -> bytes:
    """The ``.qdpx`` archive in memory."""
    return files.zip_bytes(project_files(coder).items(), stored=True)


def export_project(path: str | Path, coder: str | pd.DataFrame = "reference", force: bool = False) -> Path:
    """Write the REFI-QDA project (``.qdpx``); ``coder`` is "reference", "none" or a coding sheet."""
    target = Path(path)
    files.check_output_file(target, force=force, suffixes=(".qdpx",), what="a REFI-QDA project", ours=is_our_project)
    files.write_atomic(target, project_bytes(coder))
    return target


def codebook_bytes() -> bytes:
    """The codebook exchange file (``.qdc``, namespace ``urn:QDA-XML:codebook:1.0``)."""
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": f"{ORIGIN}. Codebook for {CITATION}"})
    _add_codes(_sub(root, "Codes"), codebook())
    return _serialise(root)


def export_codebook(path: str | Path, force: bool = False) -> Path:
    """Write the codebook exchange file (``.qdc``)."""
    target = Path(path)
    files.check_output_file(target, force=force, suffixes=(".qdc",), what="a REFI-QDA codebook", ours=is_our_codebook)
    files.write_atomic(target, codebook_bytes())
    return target


# --------------------------------------------------------------------------- what --force may replace


def _origin_is_ours(root: Any) -> bool:
    return str(root.get("origin", "")).startswith(ORIGIN.split(" ", 1)[0] + " ")


def is_our_project(path: Path) -> bool:
    """True if ``path`` is a REFI-QDA project this package wrote (its ``origin`` names livelihoods)."""
    from livelihoods.qda.refi_archive import read_qde

    try:
        root, archive, _name = read_qde(path)
    except QdpxError:
        return False
    if archive is not None:
        archive.close()
    return _origin_is_ours(root)


def is_our_codebook(path: Path) -> bool:
    """True if ``path`` is a REFI-QDA codebook (``.qdc``) this package wrote."""
    from livelihoods.qda.refi_archive import MAX_QDE_BYTES, local, parse_xml

    p = Path(path)
    try:
        if not p.is_file() or p.stat().st_size > MAX_QDE_BYTES:
            return False
        root = parse_xml(p.read_bytes(), p, p.name)
    except (OSError, QdpxError):
        return False
    return local(root.tag) == "CodeBook" and _origin_is_ours(root)


# --------------------------------------------------------------------------- command line


def export(
    out: Path | None = None,
    qdc: Path | None = None,
    coder: str = "reference",
    sheet_path: str | None = None,
    force: bool = False,
) -> list[str]:
    """The project (``out``) and/or the codebook (``qdc``), checked before anything is written; one line
    per file written (``livelihoods export-qdpx`` prints them)."""
    if out is None and qdc is None:
        raise QdpxError(
            "say where to write: --out FILE.qdpx for the project, or --codebook-only FILE.qdc for the codebook"
        )
    inputs = [Path(sheet_path)] if sheet_path else []
    if out is not None:
        files.check_output_file(
            out, force=force, suffixes=(".qdpx",), what="a REFI-QDA project", inputs=inputs, ours=is_our_project
        )
    if qdc is not None:
        files.check_output_file(
            qdc, force=force, suffixes=(".qdc",), what="a REFI-QDA codebook", inputs=inputs, ours=is_our_codebook
        )
    said = []
    if out is not None:
        from livelihoods.qda.sheets import read_sheet

        coding: str | pd.DataFrame = read_sheet(sheet_path) if sheet_path else (coder or "reference")
        members = project_files(coding)
        files.write_atomic(out, files.zip_bytes(members.items(), stored=True))
        qde = members[QDE_NAME].decode("utf-8")
        who = (
            f"the coding sheet {sheet_path}"
            if sheet_path
            else ("no coding" if coding == "none" else "the reference coding")
        )
        said.append(
            f"wrote {out}: {len(members) - 1} sources, {qde.count('<Code ')} codes, "
            f"{qde.count('<PlainTextSelection ')} coded selections ({who})"
        )
    if qdc is not None:
        payload = codebook_bytes()
        files.write_atomic(qdc, payload)
        said.append(f"wrote {qdc}: the codebook, {payload.decode('utf-8').count('<Code ')} codes")
    return said
