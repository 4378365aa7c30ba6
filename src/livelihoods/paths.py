"""Where things live: the data folder, the notebooks and the build output.

The data travel with the package: in a clone (editable install) they are read from the
repository's ``data/`` folder; in a built wheel they are shipped as ``livelihoods/_data``.
``LIVELIHOODS_DATA`` overrides both, which is how tests point the loaders at a corrupted copy;
``LIVELIHOODS_ROOT`` names another copy of the repository to work on (the test suite builds the
book in a temporary copy, never in the clone's own ``_build``).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


ROOT_ENV = "LIVELIHOODS_ROOT"


def repo_root() -> Path | None:
    """The repository root when running from a clone (``src/livelihoods`` layout), else None.

    ``LIVELIHOODS_ROOT`` overrides it (a copy of the repository holding ``_config.yml`` and ``data/``).
    """
    override = os.environ.get(ROOT_ENV)
    if override:
        root = Path(override).resolve()
        if (root / "_config.yml").is_file() and (root / "data").is_dir():
            return root
        from livelihoods.errors import LivelihoodsError

        raise LivelihoodsError(
            f"{ROOT_ENV}={override} is not a copy of the book's repository "
            "(no _config.yml and data/ there): unset it or point it at one"
        )
    root = PACKAGE_DIR.parent.parent
    if (root / "_config.yml").is_file() and (root / "data").is_dir():
        return root
    return None


def data_dir() -> Path:
    """The folder holding ``datapackage.json`` and the CSV files."""
    override = os.environ.get("LIVELIHOODS_DATA")
    if override:
        return Path(override).resolve()
    root = repo_root()
    if root is not None:
        return root / "data"
    return PACKAGE_DIR / "_data"


def notebooks_dir() -> Path:
    """The folder of chapter notebooks (only present in a clone)."""
    root = repo_root()
    if root is None:
        raise FileNotFoundError("the notebooks are only available in a clone of the repository")
    return root / "notebooks"


def require_root() -> Path:
    """The repository a command works on: the clone this package runs from, or the working folder.

    Commands that build or run the book need its sources; outside a clone (a wheel install) they
    work on the current folder when it holds the book's ``_config.yml`` and ``notebooks/``.
    """
    from livelihoods.errors import LivelihoodsError

    root = repo_root()
    if root is None:
        cwd = Path.cwd()
        if (cwd / "_config.yml").is_file() and (cwd / "notebooks").is_dir():
            return cwd
        raise LivelihoodsError("this command needs the book's sources: run it inside a clone of the repository")
    return root
