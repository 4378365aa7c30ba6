"""`make lint` (the pre-commit hooks' checks without git) passes on the tree and fails on each planted mistake:
a notebook with outputs, a ruff violation, an unformatted module, a chapter whose runnable notebook is out of step. And the pre-commit
hooks themselves run offline and strip a notebook's outputs.

Each case works on a temporary copy of the repository that borrows this clone's .venv and .cache (symlinks), with
the copy's own sources first on PYTHONPATH so that `livelihoods notebooks --check` reads the copy, not this clone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from browser_helpers import require
from helpers import ROOT

pytestmark = pytest.mark.slow

STAMP = ROOT / ".venv" / ".installed"
IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "_build",
    ".cache",
    "dist",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "node_modules",
    ".ipynb_checkpoints",
)


def copy_repo(dest: Path) -> Path:
    """A copy of the working tree whose files are older than this clone's install stamp, so that make finds the
    borrowed .venv up to date and never reinstalls into it."""
    assert STAMP.is_file(), "this clone has no .venv/.installed: run `make setup` first"
    shutil.copytree(ROOT, dest, ignore=IGNORE, symlinks=True)
    old = STAMP.stat().st_mtime - 3600
    for path in dest.rglob("*"):
        if not path.is_symlink():
            os.utime(path, (old, old))
    (dest / ".venv").symlink_to(ROOT / ".venv")
    if (ROOT / ".cache").is_dir():
        (dest / ".cache").symlink_to(ROOT / ".cache")
    return dest


def env_for(copy: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(copy / "src")}
    env.pop("MAKEFLAGS", None)
    env.pop("MFLAGS", None)
    return env


def make_lint(copy: Path) -> subprocess.CompletedProcess:
    dry = subprocess.run(["make", "-n", "lint"], cwd=copy, capture_output=True, text=True, env=env_for(copy))
    assert "-m pip" not in dry.stdout, "make would reinstall the borrowed .venv: run `make setup` in the clone first"
    return subprocess.run(
        ["make", "--no-print-directory", "lint"],
        cwd=copy,
        capture_output=True,
        text=True,
        env=env_for(copy),
        timeout=600,
    )


@pytest.fixture
def repo(tmp_path) -> Path:
    return copy_repo(tmp_path / "repo")


def chapter_stem(copy: Path) -> str:
    return sorted(p.stem for p in (copy / "book" / "chapters").glob("[a-z]_*.md"))[0]


def test_make_lint_passes_on_the_tree(repo):
    proc = make_lint(repo)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    for line in (
        "none carries outputs",
        "notebooks/ is in step with book/chapters/",
        "ruff check: no problems",
        "ruff format: all files formatted",
        "data/datapackage.json: valid",
        "make lint: all checks passed",
    ):
        assert line in out, f"{line!r} missing from:\n{out}"


def test_make_lint_fails_on_a_notebook_with_outputs(repo):
    path = repo / "notebooks" / f"{chapter_stem(repo)}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["outputs"] = [{"name": "stdout", "output_type": "stream", "text": ["a printed line\n"]}]
    cell["execution_count"] = 1
    path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    proc = make_lint(repo)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert f"notebooks/{path.name}: 1 code cell(s) carry outputs" in out, out
    assert f"run 'python .ci/strip_outputs.py notebooks/{path.name}'" in out
    assert "ruff check: no problems" in out and "make lint: FAILED" in out


def test_make_lint_fails_on_a_ruff_violation(repo):
    (repo / "src" / "livelihoods" / "_planted.py").write_text(
        '"""Planted by a test."""\n\nimport os\n', encoding="utf-8"
    )
    proc = make_lint(repo)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "_planted.py:3:8: F401" in out, out
    assert "notebooks/ is in step with book/chapters/" in out and "make lint: FAILED" in out


def test_make_lint_fails_on_an_unformatted_module(repo):
    (repo / "src" / "livelihoods" / "_planted.py").write_text(
        '"""Planted by a test."""\n\nVALUES = [1,2,\n  3]\n', encoding="utf-8"
    )
    proc = make_lint(repo)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "ruff check: no problems" in out, out
    assert "src/livelihoods/_planted.py" in out, out
    assert "ruff format: run '.venv/bin/ruff format .' and commit the result" in out and "make lint: FAILED" in out


def test_make_lint_fails_on_a_chapter_out_of_step(repo):
    stem = chapter_stem(repo)
    source = repo / "book" / "chapters" / f"{stem}.md"
    source.write_text(
        source.read_text(encoding="utf-8") + "\nA sentence added to the chapter's source only.\n", encoding="utf-8"
    )
    proc = make_lint(repo)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert f"out of step with book/chapters/: {stem}.ipynb: run 'livelihoods notebooks'" in out, out
    assert "none carries outputs" in out and "make lint: FAILED" in out


def test_pre_commit_hooks_run_offline_and_strip_outputs(tmp_path):
    """`pre-commit run --all-files` in a git copy: all hooks pass; then a notebook with outputs and an unused
    import make it fail, and the output hook has stripped the notebook back to what `livelihoods notebooks` writes."""
    pre_commit = ROOT / ".venv" / "bin" / "pre-commit"
    require(
        pre_commit.is_file(),
        "PRE-COMMIT (in .venv)",
        "It is in pyproject.toml's test extra: regenerate the lock (`make lock`) and run `make setup`.",
    )
    repo = copy_repo(tmp_path / "repo")
    env = {
        **env_for(repo),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }

    def git(*args):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)

    git("init", "-q")
    (repo / ".git" / "info" / "exclude").write_text(".venv\n.cache\n", encoding="utf-8")  # symlinks, not folders
    git("add", "-A")
    git("commit", "-q", "-m", "copy")
    run = [str(pre_commit), "run", "--all-files", "--color", "never"]
    proc = subprocess.run(run, cwd=repo, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("Passed") == 6, proc.stdout

    path = repo / "notebooks" / f"{chapter_stem(repo)}.ipynb"
    clean = path.read_bytes()
    nb = json.loads(clean)
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["outputs"], cell["execution_count"] = [{"name": "stdout", "output_type": "stream", "text": ["x\n"]}], 3
    path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    (repo / "src" / "livelihoods" / "_planted.py").write_text("import os\n", encoding="utf-8")
    git("add", "-A")
    proc = subprocess.run(run, cwd=repo, capture_output=True, text=True, env=env, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "files were modified by this hook" in out and "F401" in out, out
    assert path.read_bytes() == clean, "the hook must strip the notebook back to its generated form"
