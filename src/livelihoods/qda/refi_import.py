"""Reading a REFI-QDA project coded elsewhere back into a coding sheet (``livelihoods import-qdpx``).

:func:`import_project` is lenient about the known vendor deviations (a ``.qde`` not called
``project.qde``, ``Sources/`` capitalised, a BOM, CRLF line endings, offsets in UTF-16 code units
or counting a line break as two characters, other namespace versions) and reports every
selection it cannot place on an excerpt or map to a code of the book's codebook, instead of
dropping it.

Where a selection falls (the offset conventions, the excerpts found in a source) is worked out by
:mod:`.refi_offsets`.

Cost: memory and time are linear in the input and bounded by :data:`.refi_archive.LIMITS`; see
:mod:`.refi_offsets` for how offsets and excerpt occurrences are found without a table per character.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from livelihoods import files
from livelihoods.qda import sheets
from livelihoods.qda.refi import Problem, QdpxError, codable, codebook, excerpts, guid
from livelihoods.qda.refi_archive import MAX_OFFSET_DIGITS, MAX_SELECTIONS_PER_SOURCE, Archive, decode, local, read_qde
from livelihoods.qda.refi_offsets import SourceText, Spans

log = logging.getLogger(__name__)

_OFFSET_RE = re.compile(r"^\s*(-?)(\d+)\s*$")
_SOURCE_KINDS = ("TextSource", "PDFSource", "PictureSource", "AudioSource", "VideoSource")


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if local(c.tag) == name]


def _child(el: Any, name: str) -> Any:
    found = _children(el, name)
    return found[0] if found else None


def _norm_guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


def _norm_name(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).replace("_", " ").split()).casefold()


@dataclass
class CodeMap:
    """The book's codes by GUID and by name, to map a project's codes onto them."""

    by_guid: dict[str, str]  # the book's code GUID -> code_id
    by_name: dict[str, str]  # normalised label or code_id -> code_id
    levels: dict[str, str]  # code_id -> level
    leaves: set[str]
    order: dict[str, int]

    @classmethod
    def load(cls) -> "CodeMap":
        cb = codebook()
        by_name: dict[str, str] = {}
        for row in cb.itertuples():
            by_name.setdefault(_norm_name(row.label), row.code_id)
            by_name.setdefault(_norm_name(row.code_id), row.code_id)
        return cls(
            {guid("code", c): c for c in cb["code_id"]},
            by_name,
            dict(zip(cb["code_id"], cb["level"])),
            codable(),
            {c: i for i, c in enumerate(cb["code_id"])},
        )

    def map(self, code_guid: str, name: str) -> tuple[str | None, str]:
        code_id = self.by_guid.get(code_guid) or self.by_name.get(_norm_name(name))
        if code_id is None:
            return None, f"code {name!r} is not in the book's codebook (matched by GUID, label or code_id)"
        if code_id not in self.leaves:
            return None, (
                f"code {name!r} is a {self.levels[code_id]} of the book's codebook, not a codable code: "
                "code with one of its sub-codes"
            )
        return code_id, ""


@dataclass
class _Reading:
    """What one import gathers: the file, its archive, codes and users, and the results so far."""

    path: Path
    archive: Archive | None
    base: str
    project_codes: dict[str, str]
    users: dict[str, str]
    codes: CodeMap
    bodies: dict[str, str]
    rows: list[tuple[str, str, str]]
    problems: list[Problem]
    present: set[str]
    unreadable: list[str]

    def targets(self, sel: Any, source_name: str) -> list[tuple[str, str, str]]:
        """(code guid, code name, coder) of each Coding of a selection; unknown references are errors."""
        out = []
        for coding in _children(sel, "Coding"):
            ref = _child(coding, "CodeRef")
            target = _norm_guid(ref.get("targetGUID") if ref is not None else None)
            if target not in self.project_codes:
                raise QdpxError(
                    f"{self.path}: a coding in source {source_name!r} refers to code {target or '(none)'}, "
                    "which is not in the project's codebook (the file is damaged or incomplete)"
                )
            user = _norm_guid(coding.get("creatingUser") or sel.get("creatingUser"))
            out.append((target, self.project_codes[target], self.users.get(user, user or "unknown")))
        return out

    def load_text(self, src: Any) -> tuple[str, bool] | str:
        """The source's text and whether it had a BOM, or why it cannot be read."""
        content = _child(src, "PlainTextContent")
        if content is not None and content.text is not None:
            raw = content.text
            return raw.lstrip("\ufeff"), raw.startswith("\ufeff")
        ref = src.get("plainTextPath") or ""
        target = ref.split("://", 1)[-1].replace("\\", "/").lstrip("/") if ref else f"{src.get('guid', '')}.txt"
        if self.archive is None:
            return f"its text {ref or target} is outside the .qde file (open the .qdpx project instead)"
        names = self.archive.names
        leaf = target.rsplit("/", 1)[-1].lower()
        wanted = [f"{self.base}sources/{leaf}".lower(), f"sources/{leaf}", target.lower()]
        stored = next((names[w] for w in wanted if w in names), None)
        if stored is None:
            matches = [names[n] for n in names if n.rsplit("/", 1)[-1] == leaf]
            stored = matches[0] if len(matches) == 1 else None
        if stored is None:
            return f"its text file {ref or target} is not in the archive"
        data = self.archive.read(stored)
        try:
            text = decode(data)
        except UnicodeDecodeError as err:
            return (
                f"its text file {stored} is not UTF-8 or UTF-16 text (byte 0x{data[err.start]:02x} at byte "
                f"{err.start:,}): save the document as UTF-8 text"
            )
        return text, data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))

    def take(
        self, excerpt_ids: list[str], targets: list[tuple[str, str, str]], source_name: str, s: int, e: int
    ) -> None:
        for code_guid, code_name, coder in targets:
            code_id, why = self.codes.map(code_guid, code_name)
            if code_id is None:
                self.problems.append(Problem(source_name, s, e, why, "unmapped"))
                continue
            self.rows.extend((excerpt_id, code_id, coder) for excerpt_id in excerpt_ids)


def _offset(value: str, path: Path, sel: Any, source_name: str) -> int | None:
    """A selection's offset as an integer; None when it is not one; a refusal beyond the digit limit."""
    match = _OFFSET_RE.match(value)
    if not match:
        return None
    if len(match.group(2)) > MAX_OFFSET_DIGITS:
        raise QdpxError(
            f"{path}: selection {sel.get('guid', '')} in source {source_name!r} has an offset of "
            f"{len(match.group(2)):,} digits; at most {MAX_OFFSET_DIGITS} are accepted (limit): "
            "the file is damaged"
        )
    return int(match.group(1) + match.group(2))


def _place_source(r: _Reading, src: Any) -> None:
    """Place the coded selections of one text source on the excerpts it contains."""
    source_name = src.get("name") or src.get("guid") or "(unnamed)"
    for _code_guid, code_name, _coder in r.targets(src, source_name):
        r.problems.append(
            Problem(
                source_name,
                None,
                None,
                f"the whole source is coded with {code_name!r}, not a text selection: code the excerpts themselves",
            )
        )
    selections = [s for s in _children(src, "PlainTextSelection") if _children(s, "Coding")]
    if len(selections) > MAX_SELECTIONS_PER_SOURCE:
        raise QdpxError(
            f"{r.path}: source {source_name!r} has {len(selections):,} coded selections; at most "
            f"{MAX_SELECTIONS_PER_SOURCE:,} are accepted per source (limit)"
        )
    loaded = r.load_text(src)
    text: SourceText | None = None
    spans: Spans | None = None
    if isinstance(loaded, str):
        r.unreadable.append(f"source {source_name!r}: {loaded}")
    else:
        text = SourceText(*loaded)
        spans = Spans(text.text, r.bodies)
        r.present.update(spans.ids)
    parsed = []
    for sel in selections:
        targets = r.targets(sel, source_name)
        start_s, end_s = sel.get("startPosition", ""), sel.get("endPosition", "")
        s, e = _offset(start_s, r.path, sel, source_name), _offset(end_s, r.path, sel, source_name)
        if s is None or e is None or s >= e:
            r.problems.append(
                Problem(
                    source_name,
                    None,
                    None,
                    f"selection {sel.get('guid', '')} has invalid offsets {start_s!r}-{end_s!r}",
                )
            )
        elif text is None:
            r.problems.append(Problem(source_name, s, e, f"cannot read the source: {loaded}"))
        elif not spans:
            r.problems.append(
                Problem(source_name, s, e, "the source contains none of the published excerpts (was its text edited?)")
            )
        else:
            parsed.append((sel, targets, s, e))
    if not parsed or text is None or spans is None:
        return
    # One program writes one offset convention: take the one that fits this source's selections
    # best (most exact excerpt spans, then best total fit; ties go to the likelier convention).
    fits = []
    for rank, convention in enumerate(text.conventions.values()):
        placed = []
        for _sel, _targets, s, e in parsed:
            a, b = text.to_text(convention, s), text.to_text(convention, e)
            placed.append(spans.score(a, b) if a is not None and b is not None and a < b else (0, []))
        fits.append(((sum(p[0] == 3 for p in placed), sum(p[0] for p in placed), -rank), placed))
    placed = max(fits, key=lambda fit: fit[0])[1]
    end_of_text = text.end()
    flat = {i: " ".join(body.split()) for i, body in r.bodies.items()}
    for (sel, targets, s, e), (score, excerpt_ids) in zip(parsed, placed):
        if score == 0:  # the offsets do not land on an excerpt: look for the selection's own text
            candidate = " ".join((sel.get("name") or "").split())
            owners = [i for i, body in flat.items() if len(candidate) >= 12 and candidate in body]
            if len(owners) == 1:
                score, excerpt_ids = 1, owners
        if score == 0:
            why = (
                f"the offsets lie beyond the end of the source text ({len(text.text)} characters)"
                if e > end_of_text
                else "the selection does not overlap any published excerpt (it falls between excerpts)"
            )
            r.problems.append(Problem(source_name, s, e, why))
            continue
        if len(excerpt_ids) > 1:
            r.problems.append(
                Problem(
                    source_name,
                    s,
                    e,
                    f"the selection spans {len(excerpt_ids)} excerpts ({', '.join(excerpt_ids)}): counted for each",
                    "note",
                )
            )
        r.take(excerpt_ids, targets, source_name, s, e)


def import_project(path: str | Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Coding-sheet rows (excerpt_id, code_id, coder) from a REFI-QDA project coded elsewhere.

    Returns the rows (deduplicated, in paper and codebook order) and the problems: every selection
    that could not be placed on a published excerpt or mapped to a codable code, with why. The
    sources that could not be read are in ``result.attrs["unreadable"]``. Raises
    :class:`QdpxError` for a file that is not a readable REFI-QDA project or breaks a limit.
    """
    p = Path(path)
    root, archive, qde_name = read_qde(p)
    try:
        ex = excerpts()
        order = dict(zip(ex["excerpt_id"], ex["order"]))
        project_codes = {
            _norm_guid(el.get("guid")): el.get("name", "")
            for el in root.iter()
            if local(el.tag) == "Code" and el.get("guid")
        }
        users = {
            _norm_guid(u.get("guid")): (u.get("name") or u.get("id") or _norm_guid(u.get("guid")))
            for u in root.iter()
            if local(u.tag) == "User"
        }
        slashed = qde_name.replace("\\", "/")
        base = slashed.rsplit("/", 1)[0] + "/" if "/" in slashed else ""
        codes = CodeMap.load()
        r = _Reading(
            p, archive, base, project_codes, users, codes, dict(zip(ex["excerpt_id"], ex["text"])), [], [], set(), []
        )
        for src in root.iter():
            kind = local(src.tag)
            if kind == "TextSource":
                _place_source(r, src)
            elif kind in _SOURCE_KINDS:
                name = src.get("name") or src.get("guid") or "(unnamed)"
                for sel in src.iter():
                    if local(sel.tag).endswith("Selection") and _children(sel, "Coding"):
                        r.problems.append(
                            Problem(
                                name,
                                None,
                                None,
                                f"a coded {local(sel.tag)}: only plain-text selections can be placed on excerpts",
                            )
                        )
    finally:
        if archive is not None:
            archive.close()
    df = pd.DataFrame(r.rows, columns=["excerpt_id", "code_id", "coder"]).drop_duplicates()
    if not df.empty:
        df = df.assign(_e=df["excerpt_id"].map(order), _c=df["code_id"].map(codes.order))
        df = df.sort_values(["_e", "_c", "coder"], kind="stable").drop(columns=["_e", "_c"])
    df = df.reset_index(drop=True)
    # The excerpts the coder had in front of them (found in the project's sources), in paper order:
    # the sample of the comparison, where an uncoded excerpt counts as coded with nothing.
    df.attrs["excerpt_ids"] = sorted(r.present | set(df["excerpt_id"]), key=order.__getitem__)
    df.attrs["unreadable"] = list(r.unreadable)
    return df, r.problems


# --------------------------------------------------------------------------- command line


def import_sheet(
    project: Path,
    out: Path,
    sample_sheet: str | None = None,
    force: bool = False,
    on_problem: Callable[[Problem], None] | None = None,
) -> str:
    """A project coded elsewhere, back into a coding sheet (CSV) at ``out``; returns one line saying what.

    Everything is checked before any work: the output (never the repository's sources, never the
    project itself, and with ``--force`` only a coding sheet), the project's existence and the
    sample sheet. Every selection or code that cannot be placed goes to ``on_problem`` (default: a
    warning on this module's logger) before anything is written.
    """
    out, project = Path(out), Path(project)
    on_problem = on_problem or (lambda problem: log.warning("%s: %s", problem.kind, problem))
    inputs = [project] + ([Path(sample_sheet)] if sample_sheet else [])
    files.check_output_file(
        out, force=force, suffixes=(".csv",), what="a coding sheet", inputs=inputs, ours=sheets.is_coding_sheet
    )
    if not project.is_file():
        raise QdpxError(f"{project}: no such file")
    sample = sheets.sheet_excerpts(sheets.read_sheet(sample_sheet, allow_blank=True)) if sample_sheet else None
    df, problems = import_project(project)
    excerpt_ids = df.attrs["excerpt_ids"]
    if not excerpt_ids:
        if df.attrs["unreadable"]:
            raise QdpxError(
                f"{project}: {df.attrs['unreadable'][0]}"
                + (f" (and {len(df.attrs['unreadable']) - 1} more)" if len(df.attrs["unreadable"]) > 1 else "")
            )
        raise QdpxError(
            f"{project}: none of its sources contains a published excerpt: "
            "is this the project exported by 'livelihoods export-qdpx'?"
        )
    for problem in problems:
        on_problem(problem)
    if df.empty:
        if problems:
            raise QdpxError(
                f"{project}: none of its coded selections could be placed on an excerpt and mapped "
                f"to a code ({len(problems)} problem(s) listed above): nothing written"
            )
        raise QdpxError(
            f"{project}: the project has no coded text selections: code the excerpts, "
            "export the project again and import that file: nothing written"
        )
    notes = []
    if sample is not None:
        # The coder worked on a sample (the coding lab's blank sheet): the excerpts outside it were
        # not part of the round, so they must not count as "coded with nothing" in the agreement.
        outside = df[~df["excerpt_id"].isin(sample)]
        if len(outside):
            notes.append(
                f"left out {len(outside)} codings of {outside['excerpt_id'].nunique()} excerpts "
                f"outside the sample of {sample_sheet}"
            )
        df = df[df["excerpt_id"].isin(sample)]
        excerpt_ids = [e for e in excerpt_ids if e in set(sample)]
        if df.empty:
            raise QdpxError(
                f"{project}: none of its codings falls on the {len(sample)} excerpts of "
                f"{sample_sheet}: is that the sample you coded? nothing written"
            )
    coders = sorted(set(df["coder"]))
    if "reference" in coders and len(coders) > 1:
        # The project still holds the reference coding next to the student's: keep the student's.
        notes.append(f"left out {int((df['coder'] == 'reference').sum())} reference codings still in the project")
        df = df[df["coder"] != "reference"]
        coders.remove("reference")
    if len(coders) > 1:
        notes.append(f"merged the codings of {len(coders)} users ({', '.join(coders)})")
    files.write_atomic(out, sheets.sheet_csv(df, excerpt_ids).encode("utf-8"))
    coded = df["excerpt_id"].nunique()
    summary = f"wrote {out}: {len(df)} codings of {coded} excerpts by {', '.join(coders)} from {project}"
    if len(excerpt_ids) > coded:
        summary += (
            f"; {len(excerpt_ids) - coded} of its {len(excerpt_ids)} excerpts uncoded (listed with an empty code_id)"
        )
        if sample is None:
            summary += (
                "; if you coded only a sample, import again with --sample YOUR_SAMPLE_SHEET.csv so that "
                "the agreement is not computed over excerpts you never coded"
            )
    summary += "".join(f"; {note}" for note in notes)
    missed = [pr for pr in problems if pr.kind != "note"]
    if missed:
        summary += (
            f"; WARNING: {len(missed)} selection(s) or coding(s) could not be placed or mapped "
            "and are NOT in the sheet (listed on stderr)"
        )
    return summary
