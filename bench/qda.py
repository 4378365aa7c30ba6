"""Measure the QDA commands on this machine and record them in bench/results.md (section "qda").

* ``livelihoods class-report`` on 200 generated sheets (target: under 10 seconds), wall time of the whole
  command as an educator runs it, Python's start-up included;
* ``livelihoods import-qdpx`` on hostile projects made by tests/hostile_qdpx.py: sources expanded to 32 MB
  (target: under 300 MB peak, seconds), one excerpt repeated 30,000 times (was 32 s), a 200 MB bomb.

Run: ``.venv/bin/python bench/qda.py [--runs 3]``. Only the section between the qda markers is replaced.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import results_file

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]
LIVELIHOODS = str(Path(sys.executable).with_name("livelihoods"))

# Runs a command and prints its wall time and the peak resident set of the command (its own process tree).
MEASURE = (
    "import json, resource, subprocess, sys, time; t = time.perf_counter(); "
    "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "print(json.dumps({'seconds': time.perf_counter() - t, 'code': p.returncode, 'err': p.stderr[-300:], "
    "'rss': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}))"
)


def measure(argv: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, *argv], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args()
    import hostile_qdpx as hostile
    from test_class_report import make_class

    work = Path(tempfile.mkdtemp(prefix="livelihoods-qda-bench-"))
    rows = []
    try:
        make_class(work / "sheets", n=200)
        runs = []
        for i in range(args.runs):
            result = measure([LIVELIHOODS, "class-report", str(work / "sheets"), "--out", str(work / f"report{i}")])
            assert result["code"] == 0, result["err"]
            runs.append(result)
        seconds = [r["seconds"] for r in runs]
        rows.append(
            (
                "`livelihoods class-report` on 200 sheets (whole command)",
                statistics.median(seconds),
                max(r["rss"] for r in runs),
                ", ".join(f"{s:.1f}" for s in seconds),
                "under 10 s",
            )
        )
        cases = [
            ("`import-qdpx`, sources expanded to 32 MB", hostile.expanded_source, "under 300 MB, seconds"),
            ("`import-qdpx`, one excerpt repeated 30,000 times", hostile.repeated_excerpt, "seconds (was 32 s)"),
            ("`import-qdpx`, a 200 MB bomb (refused by the size limit)", hostile.bomb, "refused at once"),
        ]
        for label, make, target in cases:
            project = make(work / "case.qdpx")
            runs = []
            for i in range(args.runs):
                out = work / f"{make.__name__}-{i}.csv"
                runs.append(measure([LIVELIHOODS, "import-qdpx", str(project), "--out", str(out)]))
            seconds = [r["seconds"] for r in runs]
            label += f" ({project.stat().st_size / 1000:.0f} kB file; exit {runs[0]['code']})"
            rows.append(
                (
                    label,
                    statistics.median(seconds),
                    max(r["rss"] for r in runs),
                    ", ".join(f"{s:.2f}" for s in seconds),
                    target,
                )
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [
        "## QDA commands",
        "",
        f"Measured {date.today().isoformat()} with `python bench/qda.py --runs {args.runs}` on {platform.node()}: "
        f"Python {platform.python_version()}, {platform.platform()}. Wall time of the whole command (start-up "
        "included) and the peak resident set of its process.",
        "",
        "| measurement | median seconds | peak memory | runs | target |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {label} | {med:.2f} | {rss / 2**20:.0f} MiB | {runs} | {target} |" for label, med, rss, runs, target in rows
    ]
    path = Path(args.out)
    print(results_file.write_section(path, "qda", lines))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
