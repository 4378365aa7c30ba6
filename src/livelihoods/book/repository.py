"""Where this copy of the book lives online: one setting, ``repository.url`` in ``_config.yml``.

The launch buttons (Binder, Colab), the repository and issues buttons, the install cell that the
runnable notebooks start with on Colab, and the citations' link to the published bibliography all
need the repository's address. It is read from ``repository.url`` (and ``repository.branch``) in
``_config.yml`` and nowhere else, so a generated notebook depends only on committed files. Left
empty, as in a fresh copy, nothing points anywhere: no button, no install cell, no link to a site
that may not exist. Colab and Binder open GitHub repositories, so only GitHub addresses are used.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

log = logging.getLogger(__name__)

_GITHUB = re.compile(
    r"^(?:https?://|git@|ssh://git@)(?:[^@/]+@)?github\.com[:/](?P<owner>[\w.-]+)/(?P<name>[\w.-]+?)(?:\.git)?/?$"
)


@dataclass(frozen=True)
class Repository:
    """A GitHub repository holding this book, and the addresses built from it."""

    owner: str
    name: str
    branch: str = "main"
    site: str = ""  # the published book's address, when html.baseurl says where it is

    @property
    def url(self) -> str:
        return f"https://github.com/{self.owner}/{self.name}"

    @property
    def book_url(self) -> str:
        """Where the published book is: ``html.baseurl`` if given, else the repository's GitHub Pages site."""
        return (self.site or f"https://{self.owner}.github.io/{self.name}/").rstrip("/")

    def colab(self, path: str) -> str:
        return f"https://colab.research.google.com/github/{self.owner}/{self.name}/blob/{quote(self.branch)}/{path}"

    def binder(self, path: str) -> str:
        return (
            f"https://mybinder.org/v2/gh/{self.owner}/{self.name}/{quote(self.branch, safe='')}"
            f"?urlpath={quote('lab/tree/' + path, safe='')}"
        )

    def pip_requirement(self, extras: str = "") -> str:
        """What ``pip install`` takes to install the package from this repository."""
        extra = f"[{extras}]" if extras else ""
        return f"livelihoods{extra} @ git+{self.url}@{self.branch}"


def parse(url: str, branch: str = "main", site: str = "") -> Repository | None:
    """A GitHub address (https or ssh) as a :class:`Repository`; None for an empty or other address."""
    url = (url or "").strip()
    if not url:
        return None
    m = _GITHUB.match(url)
    if m is None:
        log.warning("repository.url %r is not a GitHub repository: launch buttons and the Colab cell need one", url)
        return None
    return Repository(m["owner"], m["name"], (branch or "main").strip(), (site or "").strip())


def from_config(config: dict) -> Repository | None:
    """The repository ``_config.yml`` names (``repository.url``, ``repository.branch``, ``html.baseurl``)."""
    repo = config.get("repository") or {}
    html = config.get("html") or {}
    return parse(str(repo.get("url") or ""), str(repo.get("branch") or "main"), str(html.get("baseurl") or ""))


def of_book(root: Path) -> Repository | None:
    """The repository of the book at ``root`` (from its ``_config.yml``)."""
    import yaml

    return from_config(yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {})
