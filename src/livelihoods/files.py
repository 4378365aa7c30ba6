"""Writing files without losing anything: atomic writes, folders swapped into place, reproducible zips.

Why one module: every writer of the package (build stamps, coding sheets, REFI-QDA projects,
assignments, handouts, bundles) must leave either the old file or the complete new one, never half
of either, and must create files with the permissions the user's umask gives.

Foundation layer: imports nothing from the package but :mod:`livelihoods.errors`.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Iterable

#: The timestamp every zip entry carries, so that two runs give identical archives.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that readers see either the old or the new content, never half of it."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_dir(built: Path, out: Path) -> None:
    """Move a finished folder into place: the old one is renamed away first and removed last, so at
    every moment ``out`` is either the complete old output or the complete new one."""
    os.chmod(built, 0o777 & ~umask())
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        os.rename(out, old)
        try:
            os.rename(built, out)
        except BaseException:
            os.rename(old, out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(built, out)


def write_zip(target: Path | io.BufferedIOBase, entries: Iterable[tuple[str, bytes | Path]]) -> None:
    """A zip whose bytes depend only on its contents: sorted names, fixed dates and permissions."""
    items = sorted(entries, key=lambda e: e[0])
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, content in items:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the platform
            info.external_attr = 0o100644 << 16
            data = content.read_bytes() if isinstance(content, Path) else content
            zf.writestr(info, data, compresslevel=9)


def zip_bytes(entries: Iterable[tuple[str, bytes | Path]]) -> bytes:
    buf = io.BytesIO()
    write_zip(buf, entries)
    return buf.getvalue()


