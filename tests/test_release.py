"""Releases a researcher can cite: one version number (pyproject.toml, the package, CITATION.cff, the built book's
footer, CHANGELOG.md), Zenodo metadata that points at the paper, and `make dist` building a wheel that works in a
fresh virtual environment.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

import background
import livelihoods
from helpers import ROOT
from livelihoods.book import sphinxext

PAPER_DOI = "10.1007/978-3-319-59111-7_35"


def pyproject_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_one_version_number():
    version = pyproject_version()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"pyproject.toml's version {version!r} is not X.Y.Z"
    assert livelihoods.__version__ == version, (
        f"src/livelihoods/__init__.py says __version__ = {livelihoods.__version__!r}, pyproject.toml {version!r}: "
        "set both to the same number"
    )
    assert str(citation()["version"]) == version, (
        f"CITATION.cff says version: {citation()['version']}, pyproject.toml {version!r}: set both (and "
        "date-released) to the release"
    )


def test_changelog_has_a_section_for_the_version():
    version = pyproject_version()
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", text, re.M), (
        f"CHANGELOG.md has no '## [{version}] - YYYY-MM-DD' section: add one for the version in pyproject.toml"
    )
    assert re.search(r"^## \[Unreleased\]$", text, re.M), "CHANGELOG.md should keep an '## [Unreleased]' section on top"


def test_the_footer_reads_the_version_when_the_book_is_built(monkeypatch):
    monkeypatch.setattr(livelihoods, "__version__", "9.8.7")
    config = SimpleNamespace(html_theme_options={"extra_footer": "<p>the excerpts' notice</p>"})
    sphinxext.add_version_footer(None, config)
    footer = config.html_theme_options["extra_footer"]
    assert footer.startswith("<p>the excerpts' notice</p>"), "the footer from _config.yml must be kept"
    assert 'class="livelihoods-version">Version 9.8.7 ' in footer


@pytest.mark.slow
def test_built_book_footer_shows_the_version(built_book):
    assert built_book.returncode == 0, built_book.stdout[-2000:] + built_book.stderr[-2000:]
    version = pyproject_version()
    for page in ("book/intro.html", "book/chapters/d_methods.html"):
        text = (built_book.html / page).read_text(encoding="utf-8")
        found = re.findall(r'class="livelihoods-version">Version (\S+) ', text)
        assert found == [version], f"{page}: footer versions {found}, pyproject.toml {version}"


def test_zenodo_metadata():
    meta = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert meta["title"] == citation()["title"], ".zenodo.json and CITATION.cff should give the same title"
    assert meta["upload_type"] == "software"
    assert meta["creators"] and all(c.get("name", "").strip() for c in meta["creators"])
    assert meta["license"] == citation()["license"] == "MIT"
    related = [r for r in meta["related_identifiers"] if r["identifier"] == PAPER_DOI]
    assert related, f".zenodo.json must relate the record to the paper's DOI {PAPER_DOI}"
    assert related[0]["relation"] == "isSupplementTo" and related[0]["scheme"] == "doi"
    assert "version" not in meta, "leave the version out: Zenodo takes it from the release tag"
    assert citation()["preferred-citation"]["doi"] == PAPER_DOI


@background.job("dist_in_a_fresh_venv")
def dist_in_a_fresh_venv(folder: Path) -> dict:
    """``make dist`` into a folder of its own, and its wheel alone (``--no-deps``) installed into a fresh
    virtual environment that borrows its dependencies from this environment's site-packages; then the
    installed package imported from elsewhere. Each step's result is returned for the test to check."""
    steps: dict = {"dist": folder / "dist", "venv": folder / "fresh"}
    steps["make"] = subprocess.run(
        ["make", "--no-print-directory", "dist", f"DIST={steps['dist']}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=background.environ(),
    )
    wheels = sorted(steps["dist"].glob("*.whl"))
    if steps["make"].returncode or len(wheels) != 1:
        return steps
    venv = steps["venv"]
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, env=background.environ())
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours = subprocess.run(
        [sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (venv / site / "_borrowed_dependencies.pth").write_text(ours + "\n", encoding="utf-8")
    steps["install"] = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheels[0])],
        capture_output=True,
        text=True,
        env=background.environ(),
    )
    if steps["install"].returncode:
        return steps
    elsewhere = folder / "elsewhere"
    elsewhere.mkdir()
    env = {
        k: v for k, v in background.environ().items() if k not in ("PYTHONPATH", "LIVELIHOODS_DATA", "LIVELIHOODS_ROOT")
    }
    code = (
        "import livelihoods, livelihoods.paths as p, livelihoods.evidence as d; print(livelihoods.__file__);"
        "print(livelihoods.__version__); print(p.data_dir()); d.validate_all(); print(len(d.load_excerpts()))"
    )
    steps["import"] = subprocess.run([str(python), "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True)
    steps["command"] = subprocess.run(
        [str(venv / "bin" / "livelihoods"), "--version"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    return steps


def test_make_dist_builds_a_wheel_that_works_in_a_fresh_venv(dist_in_a_fresh_venv):
    version = pyproject_version()
    steps = dist_in_a_fresh_venv
    dist, venv, proc = steps["dist"], steps["venv"], steps["make"]
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wheel, sdist = dist / f"livelihoods-{version}-py3-none-any.whl", dist / f"livelihoods-{version}.tar.gz"
    assert sorted(p.name for p in dist.iterdir()) == sorted([wheel.name, sdist.name])
    assert proc.stdout.strip().splitlines()[-1] == f"make dist: wrote {wheel.name} {sdist.name} into {dist}/"
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {"data/datapackage.json", "src/livelihoods/__init__.py", "pyproject.toml", "CITATION.cff"} <= names
    assert not any(n.startswith((".venv/", "_build/", ".cache/")) for n in names)

    assert steps["install"].returncode == 0, steps["install"].stderr[-2000:]
    proc = steps["import"]
    assert proc.returncode == 0, proc.stderr[-2000:]
    module, got_version, data_dir, excerpts = proc.stdout.strip().splitlines()
    assert module.startswith(str(venv)), f"imported {module}, not the installed wheel"
    assert got_version == version
    assert data_dir.startswith(str(venv)) and data_dir.endswith(os.path.join("livelihoods", "_data"))
    assert int(excerpts) > 0
    proc = steps["command"]
    assert proc.stdout.strip() == f"livelihoods {version}", proc.stdout + proc.stderr
