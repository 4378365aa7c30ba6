"""Hostile and damaged REFI-QDA projects, made from the book's own export (no binary fixtures).

Used by tests/test_refi_hostile.py and bench/qda.py. Each function writes one file and returns its path.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

from livelihoods.qda import refi_export

QDE = "project.qde"


def members() -> dict[str, bytes]:
    return refi_export.project_files("reference")


def first_source(files: dict[str, bytes]) -> str:
    return sorted(n for n in files if n.startswith("sources/"))[0]


def write(path: Path, files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name in sorted(files):
            zf.writestr(name, files[name])
    return path


def _patch_headers(data: bytes, name: str, offset_local: int, offset_central: int, value: bytes) -> bytes:
    """Overwrite a field of one member's local header and central-directory entry."""
    raw = bytearray(data)
    encoded = name.encode()
    for signature, field_offset, name_offset in (
        (b"PK\x03\x04", offset_local, 30),
        (b"PK\x01\x02", offset_central, 46),
    ):
        for match in re.finditer(re.escape(signature), bytes(raw)):
            at = match.start()
            if raw[at + name_offset : at + name_offset + len(encoded)] == encoded:
                raw[at + field_offset : at + field_offset + len(value)] = value
    return bytes(raw)


def bad_crc(path: Path) -> Path:
    """A stored source whose bytes no longer match its CRC."""
    files = members()
    name = first_source(files)
    data = write(path, files, zipfile.ZIP_STORED).read_bytes()
    at = data.index(files[name])
    path.write_bytes(data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :])
    return path


def bad_deflate(path: Path) -> Path:
    """A deflated source whose compressed stream is garbage."""
    files = members()
    name = first_source(files)
    buf = io.BytesIO()
    write(buf, files)  # type: ignore[arg-type]
    data = bytearray(buf.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start : start + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    return path


def encrypted(path: Path) -> Path:
    """A source flagged as encrypted (general-purpose bit 0)."""
    files = members()
    name = first_source(files)
    data = write(path, files).read_bytes()
    path.write_bytes(_patch_headers(data, name, 6, 8, struct.pack("<H", 0x1)))
    return path


def unsupported_compression(path: Path, method: int = 99) -> Path:
    """A source compressed with a method Python cannot read (99: AES, 9: Deflate64)."""
    files = members()
    name = first_source(files)
    data = write(path, files).read_bytes()
    path.write_bytes(_patch_headers(data, name, 8, 10, struct.pack("<H", method)))
    return path


def long_offset(path: Path, digits: int = 5000) -> Path:
    """A selection whose start offset has ``digits`` digits (past Python's int-string limit)."""
    files = members()
    files[QDE] = re.sub(rb'startPosition="\d+"', b'startPosition="' + b"7" * digits + b'"', files[QDE], count=1)
    return write(path, files)


def badly_encoded(path: Path) -> Path:
    """Every source in Latin-1 with accented letters: neither UTF-8 nor UTF-16."""
    files = members()
    for name in [n for n in files if n.startswith("sources/")]:
        files[name] = ("caf\u00e9 " + files[name].decode("utf-8")).encode("latin-1", errors="replace")
    return write(path, files)


def bomb(path: Path, megabytes: int = 200) -> Path:
    """A source of ``megabytes`` MB of zeros, deflated to a fraction of a megabyte."""
    files = members()
    name = first_source(files)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for other in sorted(n for n in files if n != name):
            zf.writestr(other, files[other])
        with zf.open(name, "w", force_zip64=True) as handle:
            chunk = b"\0" * (1 << 20)
            for _ in range(megabytes):
                handle.write(chunk)
    return path


def many_members(path: Path, count: int = 20_000) -> Path:
    files = members()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in sorted(files):
            zf.writestr(name, files[name])
        for i in range(count):
            zf.writestr(f"junk/{i}.txt", b"")
    return path


def expanded_source(path: Path, megabytes: int = 32) -> Path:
    """The export with its first source followed by ``megabytes`` MB of filler lines (compresses to ~kB)."""
    files = members()
    name = first_source(files)
    line = b"lorem ipsum filler text that is not an excerpt, eighty characters long ........\n"
    files[name] = files[name] + b"\n\n" + line * (megabytes * 1_000_000 // len(line))
    return write(path, files)


def repeated_excerpt(path: Path, times: int = 30_000) -> Path:
    """The first source's first excerpt repeated ``times`` times, each copy a separate paragraph."""
    files = members()
    name = first_source(files)
    text = files[name].decode("utf-8")
    first = text.split("\n\n", 1)[0]
    files[name] = (text + ("\n\n" + first) * times).encode("utf-8")
    return write(path, files)


def many_selections(path: Path, count: int) -> Path:
    """A project with ``count`` coded selections in its first source (copies of the first selection)."""
    files = members()
    qde = files[QDE].decode("utf-8")
    match = re.search(r"<PlainTextSelection .*?</PlainTextSelection>", qde, flags=re.S)
    assert match is not None
    copies = "".join(
        re.sub(r'guid="[^"]+"', f'guid="00000000-0000-0000-0000-{i:012d}"', match.group(0), count=1)
        for i in range(count)
    )
    files[QDE] = (qde[: match.start()] + copies + qde[match.end() :]).encode("utf-8")
    return write(path, files)
