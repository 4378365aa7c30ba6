"""``livelihoods bundle``: a built edition of the book as a zip that opens from disk, offline.

Every relative link is checked (:func:`broken_links`), and two bundles of the same build are
byte-identical (fixed dates and permissions in the zip).
"""

from __future__ import annotations

import html
import os
import re
import tempfile
import zipfile
from pathlib import Path
from livelihoods import files
from livelihoods.errors import LivelihoodsError
from livelihoods.paths import require_root


#: The comment of every zip ``bundle`` writes: how ``--force`` knows a zip is one it may replace.
BUNDLE_COMMENT = b"livelihoods bundle: the built book, open index.html"


def is_bundle(path: Path) -> bool:
    """True if ``path`` is a zip written by ``livelihoods bundle`` (its comment says so)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.comment == BUNDLE_COMMENT
    except (OSError, zipfile.BadZipFile, ValueError):
        return False


_LINK_ATTR = re.compile(r"""<(?:a|link|script|img|source|iframe)\b[^>]*?\s(?:href|src)\s*=\s*["']([^"']*)["']""", re.I)


def broken_links(folder: Path) -> list[tuple[str, str]]:
    """Relative links in the HTML under ``folder`` whose target file does not exist: (page, link).

    Links a browser follows from ``file://`` must be relative and point at files; absolute paths
    (``/x``) would resolve to the disk's root, so they count as broken too.
    """
    from urllib.parse import unquote, urlsplit

    bad = []
    for page in sorted(folder.rglob("*.html")):
        if page.relative_to(folder).parts[0] in ("_static", "_sources"):
            continue  # theme templates and sources shipped as files, not pages
        text = page.read_text(encoding="utf-8", errors="replace")
        for link in _LINK_ATTR.findall(text):
            link = html.unescape(link.strip())
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("#", "//")) or not link:
                continue
            if link.startswith("/"):
                bad.append((str(page.relative_to(folder)), link))
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not files.inside(target, folder) or not target.exists():
                bad.append((str(page.relative_to(folder)), link))
    return bad


def bundle(
    out: Path, edition: str = "instructor", force: bool = False, root: Path | None = None, html_dir: Path | None = None
) -> Path:
    """Zip a built edition of the book with ``index.html`` at the top, reproducibly."""
    from livelihoods.book import build

    if edition not in build.EDITIONS:
        raise LivelihoodsError(f"edition {edition!r} is not allowed: expected one of {', '.join(build.EDITIONS)}")
    if html_dir is None:
        root = Path(root) if root is not None else require_root()
        html_dir = build.output_dir(root, edition)
    out = Path(out)
    if not (html_dir / "index.html").is_file():
        flag = "" if edition == "instructor" else f" --edition {edition}"
        raise LivelihoodsError(
            f"the {edition} edition is not built ({html_dir / 'index.html'} is missing): "
            f"run 'livelihoods build{flag}' first"
        )
    if files.inside(out, html_dir):
        raise LivelihoodsError(f"--out {out} is inside the book's HTML folder {html_dir}: write it elsewhere")
    files.check_output_file(out, force=force, suffixes=(".zip",), what="a zip archive", ours=is_bundle)
    entries = [
        (p.relative_to(html_dir).as_posix(), p)
        for p in html_dir.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(html_dir).parts)
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            files.write_zip(handle, entries, comment=BUNDLE_COMMENT)
        os.chmod(tmp, 0o666 & ~files.umask())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
