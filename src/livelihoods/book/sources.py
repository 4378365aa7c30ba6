"""The book's sources as the build sees them: its configuration, its table of contents, its notebooks.

Shared by the build (:mod:`.build`), the execution (:mod:`.execute`) and the educators' guide. A
Markdown page with MyST-NB front matter counts as a notebook and is read exactly as myst-nb reads it,
so the execution cache's hashes agree with the ones Jupyter Book computes.
"""

from __future__ import annotations

from pathlib import Path
from livelihoods.errors import LivelihoodsError


def load_config(root: Path) -> dict:
    """The book's ``_config.yml`` as a dict."""
    import yaml

    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def toc_files(root: Path) -> list[Path]:
    """Every file the table of contents lists, resolved to an existing path, in book order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    entries: list[str] = [toc["root"]]

    def walk(node: dict | list) -> None:
        items = node if isinstance(node, list) else [node]
        for item in items:
            if not isinstance(item, dict):
                continue
            if "file" in item:
                entries.append(item["file"])
            for key in ("parts", "chapters", "sections"):
                if key in item:
                    walk(item[key])

    walk(toc)
    paths = []
    for entry in entries:
        matches = [root / (entry + ext) for ext in ("", ".md", ".ipynb") if (root / (entry + ext)).is_file()]
        if not matches:
            raise LivelihoodsError(f"_toc.yml lists {entry!r} but no such .md or .ipynb file exists")
        paths.append(matches[0])
    return paths


def is_text_notebook(path: Path) -> bool:
    """A Markdown page with MyST-NB front matter (``file_format: mystnb``): executed like a notebook."""
    from myst_nb.core.read import is_myst_markdown_notebook

    return path.suffix == ".md" and is_myst_markdown_notebook(path.read_text(encoding="utf-8"))


def read_notebook(path: Path):
    """Read an .ipynb, or a MyST text notebook exactly as myst-nb reads it (so cache hashes agree)."""
    import nbformat

    if path.suffix == ".md":
        from myst_nb.core.read import read_myst_markdown_notebook

        return read_myst_markdown_notebook(path.read_text(encoding="utf-8"), path=path)
    return nbformat.read(path, as_version=4)


def toc_notebooks(root: Path) -> list[Path]:
    """The notebooks the book executes (.ipynb chapters and MyST text notebooks), in book order."""
    return [p for p in toc_files(root) if p.suffix == ".ipynb" or is_text_notebook(p)]


def toc_chapters(root: Path) -> list[Path]:
    """The chapter sources (MyST notebooks in ``book/chapters/``) in book order."""
    chapters = root / "book" / "chapters"
    return [p for p in toc_notebooks(root) if p.parent == chapters]


def cache_path(root: Path) -> Path:
    return root / "_build" / ".jupyter_cache"


def fingerprint(root: Path) -> str:
    """A hash of everything a chapter's outputs depend on besides its own code: the package and the data.

    jupyter-cache keys a notebook on its code cells only, so without this an edit to a plotting
    function or a CSV would leave stale figures in the book.
    """
    import hashlib

    digest = hashlib.sha256()
    for folder in (root / "src" / "livelihoods", root / "data"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()
