"""Time ``make test`` as CI runs it, on a fresh clone, and record it in bench/results.md (section "tests").

The clone is made from this repository's committed HEAD into a temporary folder, with ``../shared``
beside it (a symbolic link to the one next to this repository), and runs ``CI=true bash .ci/run``, so
it pays for everything a fresh machine pays for except downloads pip has cached. Reported: the wall time
of the whole command, the test time pytest reports (the issue's target: at most 5 minutes on two cores),
set-up and lint (the difference), and pytest's slowest tests.

Run: ``.venv/bin/python bench/tests.py [--runs 1]``. Only the section between the tests markers is replaced.
It takes as long as ``make test`` (about ten minutes on two cores, most of it the first set-up).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import results_file

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"=+ (?P<counts>[^=]*?) in (?P<seconds>[\d.]+)s[^=]*=+\s*$", re.M)
DURATION = re.compile(r"^(?P<seconds>[\d.]+)s (?P<phase>call|setup|teardown)\s+(?P<test>\S+)$", re.M)


def one_run(work: Path, index: int) -> dict:
    clone = work / f"run{index}" / "main"
    clone.parent.mkdir(parents=True)
    (clone.parent / "shared").symlink_to(ROOT.parent / "shared")
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    env = {**os.environ, "CI": "true", "PYTEST_ADDOPTS": "--durations=15"}
    env.pop("VIRTUAL_ENV", None)
    start = time.perf_counter()
    proc = subprocess.run(["bash", ".ci/run"], cwd=clone, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    log = proc.stdout + proc.stderr
    (work / f"run{index}.log").write_text(log, encoding="utf-8")
    summary = SUMMARY.findall(log)
    if proc.returncode != 0 or not summary:
        sys.exit(
            f"bench/tests.py: make test failed on the fresh clone (exit {proc.returncode}); "
            f"its log is {work / f'run{index}.log'}:\n{log[-3000:]}"
        )
    counts, seconds = summary[-1]
    slowest = [(float(m["seconds"]), m["phase"], m["test"]) for m in DURATION.finditer(log)]
    background = re.search(r"^background work \(start\+duration\): (.*)$", log, re.M)
    return {
        "wall": wall,
        "pytest": float(seconds),
        "counts": counts,
        "slowest": slowest,
        "background": background[1] if background else "",
    }


def series(runs: list[dict], key: str) -> str:
    return ", ".join(f"{r[key]:.0f}" for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args()
    if not (ROOT.parent / "shared").is_dir():
        sys.exit(f"bench/tests.py: {ROOT.parent / 'shared'} is missing; CI runs with ../shared beside the clone")
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    work = Path(tempfile.mkdtemp(prefix="livelihoods-test-bench-"))
    runs = []
    for i in range(args.runs):
        print(f"[run {i + 1}/{args.runs}] make test on a fresh clone of {head} ...", flush=True)
        runs.append(one_run(work, i))
        print(
            f"[run {i + 1}/{args.runs}] {runs[-1]['wall']:.0f} s in all, pytest {runs[-1]['pytest']:.0f} s", flush=True
        )
    med = {k: statistics.median(r[k] for r in runs) for k in ("wall", "pytest")}
    env_note = f"{platform.node() or 'this machine'}: {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        "## `make test` on a fresh clone",
        "",
        f"Measured {date.today().isoformat()} with `python bench/tests.py --runs {args.runs}` on {env_note}, "
        f"commit {head}: `CI=true bash .ci/run` in a new clone with `../shared` beside it "
        f"(pip's download cache warm). Result: {runs[-1]['counts']}.",
        "",
        "| measurement | median seconds | runs | target |",
        "|---|---|---|---|",
        f"| test time (pytest's own figure) | {med['pytest']:.0f} | {series(runs, 'pytest')} | at most 300 |",
        f"| the whole `make test` (set-up of `.venv`, browser tools, lint, tests) | {med['wall']:.0f} | "
        f"{series(runs, 'wall')} | |",
        "",
        "Slowest tests of the last run (pytest `--durations`):",
        "",
        "| seconds | phase | test |",
        "|---|---|---|",
    ]
    lines += [f"| {s:.1f} | {phase} | `{test}` |" for s, phase, test in runs[-1]["slowest"]]
    if runs[-1]["background"]:
        lines += [
            "",
            "The work that ran beside the tests in the last run (seconds from pytest's start + seconds taken, "
            "from the suite's terminal summary):",
            "",
            runs[-1]["background"] + ".",
        ]
    out = Path(args.out)
    results_file.write_section(out, "tests", lines)
    shutil.rmtree(work, ignore_errors=True)
    print(f"wrote the tests section of {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
