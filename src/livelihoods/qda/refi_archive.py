"""Opening a REFI-QDA file safely: bounded archives, the project XML, schema validation.

A ``.qdpx`` file comes from a student's program, or from anyone: it is read as hostile input.
Memory and time stay bounded by :data:`LIMITS`, checked before anything is decompressed:

* the archive may list at most :data:`MAX_MEMBERS` files (read from the ZIP's end record, before
  Python's ``zipfile`` builds its index) and hold at most :data:`MAX_TOTAL_BYTES` uncompressed,
  the project XML at most :data:`MAX_QDE_BYTES`;
* members must be stored or deflated (what every REFI-QDA program writes) and not encrypted;
* every damaged member (bad CRC, bad deflate stream, truncated) is one :class:`QdpxError` line
  naming the file and the member, never a traceback.

The XML is parsed with ``defusedxml``, so entity expansion ("billion laughs") and external
entities are refused. :func:`validate` checks a file against the REFI-QDA schemas, which are
read from ``../shared/refi-qda/`` next to the repository (or ``$REFI_QDA_SCHEMAS``).
"""

from __future__ import annotations

import codecs
import io
import os
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from livelihoods.qda.refi import QDE_NAME, QdpxError

#: At most this many files in a ``.qdpx`` archive (the book's export has 17).
MAX_MEMBERS = 10_000
#: At most this many bytes in all the archive's files together, uncompressed (the book's export: ~60 KB).
MAX_TOTAL_BYTES = 48 * 1024 * 1024
#: At most this many bytes in the project XML (``project.qde``), uncompressed.
MAX_QDE_BYTES = 16 * 1024 * 1024
#: At most this many digits in a selection's start or end offset.
MAX_OFFSET_DIGITS = 12
#: At most this many coded selections in one source.
MAX_SELECTIONS_PER_SOURCE = 10_000

LIMITS = {
    "files in the archive": MAX_MEMBERS,
    "bytes uncompressed": MAX_TOTAL_BYTES,
    "bytes of project XML": MAX_QDE_BYTES,
    "digits in an offset": MAX_OFFSET_DIGITS,
    "coded selections per source": MAX_SELECTIONS_PER_SOURCE,
}

_SUPPORTED = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"


def _megabytes(n: int) -> str:
    return f"{n / 2**20:.0f} MiB"


def _zip_entry_count(path: Path) -> int:
    """The number of files the ZIP's end record announces (ZIP64 included), read without ``zipfile``."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        tail_len = min(size, 22 + 65535)
        handle.seek(size - tail_len)
        tail = handle.read(tail_len)
        at = tail.rfind(_EOCD)
        if at < 0 or len(tail) - at < 22:
            raise QdpxError(f"{path}: damaged ZIP archive (no end-of-archive record): export the project again")
        entries = struct.unpack("<H", tail[at + 10 : at + 12])[0]
        locator = tail[at - 20 : at] if at >= 20 else b""
        if locator.startswith(_EOCD64_LOCATOR):
            offset = struct.unpack("<Q", locator[8:16])[0]
            if offset + 56 > size:
                raise QdpxError(f"{path}: damaged ZIP archive (bad ZIP64 end record): export the project again")
            handle.seek(offset)
            record = handle.read(56)
            if not record.startswith(b"PK\x06\x06"):
                raise QdpxError(f"{path}: damaged ZIP archive (bad ZIP64 end record): export the project again")
            entries = struct.unpack("<Q", record[32:40])[0]
    return entries


@dataclass
class Archive:
    """An open ``.qdpx`` whose members are read within the limits (each byte counted once)."""

    path: Path
    zf: zipfile.ZipFile
    budget: int = MAX_TOTAL_BYTES
    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def open(cls, path: Path) -> "Archive":
        count = _zip_entry_count(path)
        if count > MAX_MEMBERS:
            raise QdpxError(
                f"{path}: the archive lists {count:,} files; a REFI-QDA project may hold at most "
                f"{MAX_MEMBERS:,} (limit): is this the project you exported?"
            )
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
            raise QdpxError(f"{path}: damaged ZIP archive ({err}): export the project again") from None
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if len(infos) > MAX_MEMBERS or total > MAX_TOTAL_BYTES:
            zf.close()
            raise QdpxError(
                f"{path}: its files would take {total:,} bytes uncompressed; a REFI-QDA project may hold "
                f"at most {_megabytes(MAX_TOTAL_BYTES)} (limit): is this the project you exported?"
            )
        names = {n.replace("\\", "/").lstrip("/").lower(): n for n in zf.namelist() if not n.endswith(("/", "\\"))}
        return cls(path, zf, MAX_TOTAL_BYTES, names)

    def close(self) -> None:
        self.zf.close()

    def read(self, name: str, limit: int | None = None) -> bytes:
        """A member's bytes: one :class:`QdpxError` line for anything the archive cannot give."""
        info = self.zf.getinfo(name)
        if info.flag_bits & 0x1:
            raise QdpxError(f"{self.path}: {name} is encrypted: export the project again without a password")
        if info.compress_type not in _SUPPORTED:
            raise QdpxError(
                f"{self.path}: {name} uses compression method {info.compress_type}, which is not "
                "supported (REFI-QDA projects are stored or deflated): export the project again"
            )
        cap = min(self.budget, limit if limit is not None else self.budget)
        if info.file_size > cap:
            raise QdpxError(
                f"{self.path}: {name} would take {info.file_size:,} bytes uncompressed, more than the "
                f"{cap:,} left within the limits: is this the project you exported?"
            )
        try:
            with self.zf.open(info) as handle:
                data = handle.read(cap + 1)
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            RuntimeError,
            NotImplementedError,
        ) as err:
            reason = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise QdpxError(f"{self.path}: {name} is damaged ({reason}): export the project again") from None
        if len(data) > cap:  # pragma: no cover - zipfile stops at the declared size
            raise QdpxError(f"{self.path}: {name} is larger than its archive says: export the project again")
        self.budget -= len(data)
        return data

    def find_qde(self) -> str:
        qdes = sorted(n for n in self.names if n.endswith(".qde"))
        top = [n for n in qdes if "/" not in n]
        if QDE_NAME in self.names:
            return self.names[QDE_NAME]
        if len(top) == 1:
            return self.names[top[0]]
        if not top and len(qdes) == 1:
            return self.names[qdes[0]]
        if not qdes:
            raise QdpxError(
                f"{self.path}: no .qde file in the archive (a REFI-QDA project holds project.qde and sources/)"
            )
        raise QdpxError(
            f"{self.path}: several .qde files and none called project.qde: "
            + ", ".join(self.names[n] for n in (top or qdes))
        )


def local(tag: Any) -> str:
    """An element's name without its namespace (REFI-QDA programs use several versions)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_xml(xml: bytes, path: Path, name: str) -> ET.Element:
    """The root of an XML document, parsed without entity expansion; one line for a malformed file."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        return SafeET.fromstring(xml)
    except ET.ParseError as err:
        line, col = getattr(err, "position", (None, None))
        raise QdpxError(
            f"{path}: {name} is not well-formed XML (line {line}, column {col}): {str(err).split(':')[0]}"
        ) from None
    except DefusedXmlException as err:
        raise QdpxError(
            f"{path}: {name} declares XML entities or a DTD ({type(err).__name__}), which a "
            "REFI-QDA project does not use: export the project again"
        ) from None


def decode(data: bytes) -> str:
    """A source text: UTF-8 (with or without BOM) or UTF-16 with a BOM; raises UnicodeDecodeError."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        text = data.decode("utf-8")
    return text.lstrip("\ufeff")


def read_qde(path: str | Path) -> tuple[ET.Element, Archive | None, str]:
    """Parse the project XML of a ``.qdpx`` (or a bare ``.qde``): (root, open archive or None, .qde name)."""
    p = Path(path)
    if not p.is_file():
        raise QdpxError(f"{p}: no such file")
    with p.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(b"PK"):
        archive = Archive.open(p)
        try:
            name = archive.find_qde()
            xml = archive.read(name, limit=MAX_QDE_BYTES)
        except BaseException:
            archive.close()
            raise
    else:
        if p.stat().st_size > MAX_QDE_BYTES:
            raise QdpxError(
                f"{p}: {p.stat().st_size:,} bytes, more than a project file may have "
                f"({_megabytes(MAX_QDE_BYTES)}, limit)"
            )
        xml = p.read_bytes()
        start = xml[:512].lstrip(codecs.BOM_UTF8).lstrip()
        if not (p.suffix.lower() == ".qde" or start.startswith(b"<")):
            raise QdpxError(f"{p} is not a REFI-QDA project: a .qdpx file is a ZIP archive, and this is not one")
        archive, name = None, p.name
    try:
        root = parse_xml(xml, p, name)
        if local(root.tag) != "Project":
            raise QdpxError(
                f"{p}: {name} is not a REFI-QDA project (root element <{local(root.tag)}>, expected <Project>)"
            )
    except BaseException:
        if archive is not None:
            archive.close()
        raise
    return root, archive, name


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
        raise QdpxError(
            "the REFI-QDA schemas are not available: expected Project.xsd and Codebook.xsd in "
            "../shared/refi-qda/ next to the repository (or set REFI_QDA_SCHEMAS to their folder)"
        )
    if isinstance(path_or_bytes, (bytes, bytearray)):
        xml, label = bytes(path_or_bytes), "the XML"
        if xml.startswith(b"PK\x03\x04"):
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / "project.qdpx"
                target.write_bytes(xml)
                return validate(target, schema)
    else:
        p = Path(path_or_bytes)
        if not p.is_file():
            raise QdpxError(f"{p}: no such file")
        label = str(p)
        with p.open("rb") as handle:
            zipped = handle.read(4) == b"PK\x03\x04"
        if zipped:
            archive = Archive.open(p)
            try:
                xml = archive.read(archive.find_qde(), limit=MAX_QDE_BYTES)
            finally:
                archive.close()
        else:
            xml = p.read_bytes()
    import xmlschema

    try:
        errors = list(_schema(str(folder / f"{schema}.xsd")).iter_errors(io.BytesIO(xml)))
    except xmlschema.XMLResourceError as err:
        raise QdpxError(f"{label}: not well-formed XML ({str(err).splitlines()[0]})") from None
    if errors:
        first = errors[0]
        where = f" at {first.path}" if getattr(first, "path", None) else ""
        reason = (first.reason or str(first)).splitlines()[0]
        raise QdpxError(
            f"{label} does not validate against {schema}.xsd ({len(errors)} error(s)); first{where}: {reason}"
        )
