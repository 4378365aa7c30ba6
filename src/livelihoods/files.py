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
from typing import Callable, Iterable, Sequence

from livelihoods.errors import LivelihoodsError

#: The timestamp every zip entry carries, so that two runs give identical archives.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


#: Folders of the repository that no command writes into, replaces or deletes, ``--force`` or not.
PROTECTED = ("data", "notebooks", "book", "src", "tests")
#: The file a command leaves in a folder it wrote, listing what it wrote (JSON): ``--force`` may
#: replace such a folder, and only while it holds nothing else.
MARKER = ".livelihoods-output.json"


def umask() -> int:
    """The process's umask (read without changing it for more than an instant)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def inside(path: Path, folder: Path) -> bool:
    """True if ``path`` is ``folder`` or lies under it (symbolic links resolved)."""
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _protected(path: Path) -> Path | None:
    """The protected repository folder that ``path`` is, lies in or contains, if any."""
    from livelihoods.paths import repo_root

    roots = {r for r in (repo_root(), Path.cwd() if (Path.cwd() / "_config.yml").is_file() else None) if r}
    for root in roots:
        if path.resolve() == root.resolve():
            return root
        for name in PROTECTED:
            folder = root / name
            if folder.exists() and (inside(path, folder) or inside(folder, path)):
                return folder
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _check_parent(out: Path) -> None:
    """One line for an --out whose folder cannot hold it: a parent that is a file, or read-only."""
    for parent in [out.parent, *out.parent.parents]:
        if parent.exists():
            if not parent.is_dir():
                raise LivelihoodsError(f"--out {out}: {parent} is a file, not a folder: choose another path")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise LivelihoodsError(
                    f"--out {out}: cannot write into {parent} (permission denied or a read-only file system): "
                    "choose a folder you can write to"
                )
            return


def check_output_file(
    out: Path,
    *,
    force: bool,
    suffixes: Sequence[str],
    what: str,
    inputs: Iterable[Path] = (),
    ours: Callable[[Path], bool] | None = None,
) -> None:
    """Refuse an ``--out`` file a command must not write, before any work is done.

    Refused always: a wrong suffix, a folder, a parent that is a file or read-only, a path inside
    the repository's own sources (:data:`PROTECTED`), one of the command's own inputs. Refused
    without ``force``: an existing file. Refused even with ``force``: an existing file that
    ``ours`` (the command's test for a file it writes) does not recognise.
    """
    out = Path(out)
    if suffixes and out.suffix.lower() not in suffixes:
        raise LivelihoodsError(f"--out {out} should end in {' or '.join(suffixes)} ({what})")
    if out.is_dir():
        raise LivelihoodsError(f"--out {out} is a folder: give a file name ending in {suffixes[0] if suffixes else ''}")
    _check_parent(out)
    folder = _protected(out)
    if folder is not None:
        raise LivelihoodsError(f"--out {out} is inside the book's own sources ({folder.name}/): write it elsewhere")
    for given in inputs:
        if _same_file(out, Path(given)):
            raise LivelihoodsError(f"--out {out} is this command's input: write the output to another file")
    if out.exists() or out.is_symlink():
        if not force:
            raise LivelihoodsError(f"--out {out} exists: choose another name or add --force to replace it")
        if ours is not None and not ours(out):
            raise LivelihoodsError(
                f"--out {out} was not written by this command, so --force will not replace it: "
                "choose another name, or move the file away yourself"
            )


def check_output_dir(out: Path, *, force: bool, inputs: Iterable[Path] = (), command: str | None = None) -> None:
    """Refuse an ``--out`` folder a command must not write, before any work is done.

    Refused always: a file, a parent that is a file or read-only, a folder that is read-only, the
    repository's sources or a folder containing them, a folder holding one of the command's inputs
    or the working folder. Refused without ``force``: a folder that is not empty. Refused even with
    ``force``: a folder holding anything the command did not write (it has no :data:`MARKER`, its
    marker names another ``command``, or it holds files its marker does not list).
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise LivelihoodsError(f"--out {out} is a file: give a folder (new or empty)")
    _check_parent(out)
    if out.is_dir() and not os.access(out, os.W_OK | os.X_OK):
        raise LivelihoodsError(
            f"--out {out}: cannot write into it (permission denied or a read-only file system): "
            "choose a folder you can write to"
        )
    folder = _protected(out)
    if folder is not None:
        raise LivelihoodsError(
            f"--out {out} is or holds the book's own sources ({folder.name}/): choose another folder"
        )
    for given in [*inputs, Path.cwd()]:
        if inside(Path(given), out):
            raise LivelihoodsError(
                f"--out {out} contains {given}, which the output would replace: choose another folder"
            )
    if not out.is_dir() or not any(out.iterdir()):
        return
    if not force:
        raise LivelihoodsError(
            f"--out {out} is not empty: choose a new or empty folder, or add --force to replace "
            "what this command wrote there before"
        )
    why = foreign_file(out, command)
    if why is not None:
        raise LivelihoodsError(
            f"--out {out} {why}, so --force will not replace it: choose another folder, "
            "or move its contents away yourself"
        )


def foreign_file(folder: Path, command: str | None = None) -> str | None:
    """Why ``folder`` is not entirely a command's output (None if it is): no :data:`MARKER`, a
    marker left by another command than ``command`` (when given), or a file the marker does not list."""
    import json

    marker = folder / MARKER
    try:
        written = json.loads(marker.read_text(encoding="utf-8"))
        listed = set(written["files"])
        by = written.get("command")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return f"was not written by a livelihoods command (it has no readable {MARKER})"
    if command is not None and by != command:
        return f"was written by 'livelihoods {by}', not 'livelihoods {command}'"
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if (path.is_file() or path.is_symlink()) and rel != MARKER and rel not in listed:
            return f"holds {rel}, which the command did not write"
    return None


def marker_bytes(command: str, files: Iterable[str]) -> bytes:
    """The :data:`MARKER` a command writes into a folder it builds: the command and every file it wrote."""
    import json

    return (json.dumps({"command": command, "files": sorted(files)}, indent=1) + "\n").encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that readers see either the old or the new content, never half of it.

    The file gets the mode a new file gets from the umask (``mkstemp`` alone would give 0600).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_dir(built: Path, out: Path) -> None:
    """Move a finished folder into place: the old one is renamed away first and removed last, so at
    every moment ``out`` is either the complete old output or the complete new one.

    When ``out`` is a symbolic link to a folder, the folder it points to is replaced and the link is
    left as it is (still pointing at the new output); nothing named ``.<out>.old-*`` is left behind.
    Build ``built`` beside that folder (:func:`build_beside`), so the renames stay on one file system.
    """
    os.chmod(built, 0o777 & ~umask())
    if out.is_symlink() and out.is_dir():
        out = out.resolve()
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


def build_beside(out: Path) -> Path:
    """A new hidden folder to build an output folder in, beside where it will end up (beside the
    folder a symbolic link ``out`` points to), for :func:`replace_dir` to move into place."""
    final = out.resolve() if out.is_symlink() and out.is_dir() else out
    final.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))


def write_zip(
    target: Path | io.BufferedIOBase,
    entries: Iterable[tuple[str, bytes | Path]],
    comment: bytes = b"",
    stored: bool = False,
) -> None:
    """A zip whose bytes depend only on its contents: sorted names, fixed dates and permissions.

    ``comment`` is the archive's comment, which is how a command recognises a zip it wrote.
    ``stored``: entries not compressed, so the bytes do not depend on the zlib version either (the
    REFI-QDA export is the same on every machine); otherwise deflated at level 9.
    """
    kind = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    items = sorted(entries, key=lambda e: e[0])
    with zipfile.ZipFile(target, "w", compression=kind, compresslevel=None if stored else 9) as zf:
        zf.comment = comment
        for name, content in items:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = kind
            info.create_system = 3  # Unix, whatever the platform
            info.external_attr = 0o100644 << 16
            data = content.read_bytes() if isinstance(content, Path) else content
            zf.writestr(info, data, compresslevel=None if stored else 9)


def zip_bytes(entries: Iterable[tuple[str, bytes | Path]], stored: bool = False) -> bytes:
    """:func:`write_zip` into memory."""
    buf = io.BytesIO()
    write_zip(buf, entries, stored=stored)
    return buf.getvalue()
