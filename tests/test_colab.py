"""The Colab route: a runnable notebook's first cell installs what the chapter needs, and it runs there.

Colab has a bare Python with IPython and Jupyter's kernel, and opens a notebook from GitHub. The
runnable notebooks generated with ``repository.url`` set start with a cell that, on Colab only,
pip-installs the package from the repository. This test takes that cell's command, points it at
the locally built wheel instead of GitHub, installs it into a fresh virtual environment (with the
kernel Colab provides, and the versions of the project's lock, so pip finds them in its cache),
checks that no Jupyter Book, Sphinx, papermill, Playwright or pytest came with it, and executes the
chapter there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import background
from helpers import ROOT

pytestmark = pytest.mark.slow

CHAPTER = "e4_impact"
NOT_ON_COLAB = ("jupyter-book", "sphinx", "myst-nb", "papermill", "playwright", "pytest", "jupyterlab", "nbconvert")


def _copy_with_repository(dest: Path) -> Path:
    shutil.copytree(
        ROOT,
        dest,
        ignore=shutil.ignore_patterns(
            ".venv", "_build", ".git", "__pycache__", ".cache", "dist", ".pytest_cache", "node_modules"
        ),
    )
    config = dest / "_config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        re.sub(r'(?m)^(\s*url:)\s*""', r"\1 https://github.com/example-org/livelihoods-book", text, count=1),
        encoding="utf-8",
    )
    return dest


def _colab_requirement(nb: dict) -> str:
    (cell,) = [c for c in nb["cells"] if "colab-setup" in c["metadata"].get("tags", [])]
    source = "".join(cell["source"])
    assert 'if "google.colab" in sys.modules:' in source, "the cell must do nothing outside Colab"
    return json.loads(re.search(r'"--quiet", ("[^"]+")\]', source)[1])


@background.job("colab_route")
def colab_route(folder: Path) -> dict:
    """The Colab route in a fresh virtual environment: the wheel built from a copy whose notebooks carry the
    set-up cell, installed with the cell's requirement pointed at it, and the chapter executed there
    (papermill in a process of its own: the kernel's JUPYTER_PATH is that process's alone). Each step's
    result is returned; a failed step ends the job and the test reports it."""
    steps: dict = {}
    copy = _copy_with_repository(folder / "book")
    steps["notebooks"] = subprocess.run(
        [sys.executable, "-m", "livelihoods.cli", "notebooks"],
        cwd=copy,
        env=background.environ(LIVELIHOODS_ROOT=str(copy)),
        capture_output=True,
        text=True,
    )
    if steps["notebooks"].returncode:
        return steps
    requirement = _colab_requirement(json.loads((copy / "notebooks" / f"{CHAPTER}.ipynb").read_text(encoding="utf-8")))
    dist = folder / "dist"
    steps["wheel"] = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(dist)],
        cwd=copy,
        capture_output=True,
        text=True,
        env=background.environ(),
    )
    if steps["wheel"].returncode:
        return steps
    (wheel,) = dist.glob("livelihoods-*.whl")
    local = requirement.split(" @ ", 1)[0] + f" @ {wheel.as_uri()}"
    venv = folder / "colab"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=background.environ())
    python = venv / "bin" / "python"
    # Colab's kernel (ipykernel) is there before the cell runs; the lock's versions keep pip in its cache.
    steps["install"] = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-compile",  # no byte-compiling every installed module up front: half the install's CPU
            "-c",
            str(ROOT / "requirements.lock"),
            local,
            "ipykernel",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env=background.environ(),
    )
    if steps["install"].returncode:
        return steps
    frozen = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
        env=background.environ(),
    )
    steps["installed"] = {p["name"].lower() for p in json.loads(frozen.stdout)}
    subprocess.run(
        [str(python), "-m", "ipykernel", "install", "--prefix", str(venv), "--name", "colab-like"],
        check=True,
        capture_output=True,
        env=background.environ(),
    )
    elsewhere = folder / "content"  # Colab's working folder: no repository around
    elsewhere.mkdir()
    env_path = background.environ().get("JUPYTER_PATH", "")
    env = background.environ(JUPYTER_PATH=os.pathsep.join(p for p in (str(venv / "share" / "jupyter"), env_path) if p))
    out = folder / "out.ipynb"
    steps["run"] = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(ROOT / "notebooks" / f"{CHAPTER}.ipynb"),
            str(out),
            "-k",
            "colab-like",
            "--cwd",
            str(elsewhere),
            "--no-progress-bar",
            "--execution-timeout",
            "300",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    steps["executed"] = out
    return steps


def test_the_first_cell_installs_the_package_alone_and_the_chapter_runs(tmp_path, colab_route):
    from livelihoods.teach import runnable

    copy = _copy_with_repository(tmp_path / "book")
    nb = json.loads(runnable.render(copy / "book" / "chapters" / f"{CHAPTER}.md"))
    assert "colab-setup" in nb["cells"][1]["metadata"]["tags"], "the set-up cell comes right after the title"
    requirement = _colab_requirement(nb)
    assert requirement == "livelihoods @ git+https://github.com/example-org/livelihoods-book@main"
    lab = json.loads(runnable.render(copy / "book" / "chapters" / "d2_coding_lab.md"))
    assert _colab_requirement(lab).startswith("livelihoods[qda] @ "), "the coding lab needs the qda extra"

    steps = colab_route
    assert steps["wheel"].returncode == 0, steps["wheel"].stderr[-2000:]
    assert steps["install"].returncode == 0, steps["install"].stderr[-3000:]
    installed = steps["installed"]
    assert "livelihoods" in installed and "pandas" in installed
    pulled = sorted(installed & set(NOT_ON_COLAB))
    assert not pulled, f"installing the package alone pulled {pulled}"
    assert steps["run"].returncode == 0, steps["run"].stderr[-3000:]
    executed = json.loads(steps["executed"].read_text(encoding="utf-8"))
    markdown = "\n".join(
        "".join(o.get("data", {}).get("text/markdown", "")) for c in executed["cells"] for o in c.get("outputs", [])
    )
    assert "out of 100 trainees 60 sink and 40 take" in " ".join(markdown.split())
    assert "{glue" not in markdown and "{cite" not in markdown
