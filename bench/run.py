"""Measure the book's build on this machine and write bench/results.md (run with `make bench`).

What it measures, each several times (medians reported):
- cold build: empty execution cache and no HTML, venv present;
- warm rebuild: nothing changed;
- one-notebook change: one chapter's code edited (a harmless comment), then rebuilt;
- each notebook's execution time (from the cold builds);
- `livelihoods assign` for a 100-student roster (when the command exists);
- the page-weight report (when the command exists);
- for comparison, in the same run, the template book that `jupyter-book create` makes (Jupyter Book 1.x),
  so the headline is a ratio of seconds per executed notebook page, ours against the template's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import results_file

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return seconds, proc.stdout + proc.stderr


def clean(root: Path) -> None:
    shutil.rmtree(root / "_build", ignore_errors=True)


def copy_env(root: Path) -> dict:
    """Environment in which `livelihoods` (and its kernels) use the copy's package, data and notebooks.

    The command finds the book from its package's location, so without this it would build the
    user's clone instead of the benchmark's copy.
    """
    return {
        **os.environ,
        "LIVELIHOODS_ROOT": str(root),
        "PYTHONPATH": f"{root / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    }


def build_ours(root: Path) -> tuple[float, str]:
    return run([str(BIN / "livelihoods"), "build"], root, env=copy_env(root))


def per_notebook_times(log: str) -> dict[str, float]:
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"\] (\S+): executed in ([\d.]+)s", log)}


def template_book(workdir: Path) -> Path:
    book = workdir / "template"
    run([str(BIN / "jupyter-book"), "create", str(book)], workdir)
    return book


def build_template(book: Path) -> float:
    shutil.rmtree(book / "_build", ignore_errors=True)
    seconds, _ = run([str(BIN / "jupyter-book"), "build", str(book)], book.parent)
    return seconds


def template_executed_pages(book: Path) -> int:
    """Pages of the template that execute code: .ipynb files and MyST text notebooks."""
    n = 0
    for path in list(book.glob("*.ipynb")) + list(book.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb" or "file_format: mystnb" in text or "format_name: myst" in text:
            n += 1
    return n


def edit_first_code_cell(path: Path) -> None:
    """Change one chapter's code harmlessly (a comment in its first code cell), as an author would.

    Chapters are MyST Markdown notebooks, so the edit goes through jupytext in the chapter's own format.
    """
    import jupytext

    nb = jupytext.read(path)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.source += "\n# bench edit"
    jupytext.write(nb, path, fmt="md:myst")


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each measurement (default 3)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    from livelihoods.book import sources

    notebooks = sources.toc_notebooks(ROOT)
    n_exec = len(notebooks)
    work = Path(tempfile.mkdtemp(prefix="livelihoods-bench-"))
    # Benchmark a copy so the user's _build and notebooks are never touched.
    copy = work / "book"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", ".pytest_cache")
    )
    env_note = f"{platform.node() or 'this machine'}: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"

    cold, warm, one, tpl = [], [], [], []
    exec_times: dict[str, list[float]] = {}
    changed = copy / notebooks[-1].relative_to(ROOT)
    tpl_book = template_book(work)
    tpl_pages = template_executed_pages(tpl_book)
    for i in range(args.runs):
        print(f"[run {i + 1}/{args.runs}] cold build ...", flush=True)
        clean(copy)
        seconds, log = build_ours(copy)
        cold.append(seconds)
        for name, t in per_notebook_times(log).items():
            exec_times.setdefault(name, []).append(t)
        print(f"[run {i + 1}/{args.runs}] warm rebuild ...", flush=True)
        warm.append(build_ours(copy)[0])
        print(f"[run {i + 1}/{args.runs}] one-notebook change ...", flush=True)
        original = changed.read_text(encoding="utf-8")
        edit_first_code_cell(changed)
        seconds, log = build_ours(copy)
        one.append(seconds)
        re_executed = len(per_notebook_times(log))
        changed.write_text(original, encoding="utf-8")
        print(f"[run {i + 1}/{args.runs}] template book (jupyter-book create) ...", flush=True)
        tpl.append(build_template(tpl_book))

    assign_s = None
    if shutil.which("livelihoods", path=str(BIN)):
        roster = work / "roster.csv"
        roster.write_text("id,name\n" + "".join(f"s{i:03d},Student {i}\n" for i in range(100)), encoding="utf-8")
        probe = subprocess.run([str(BIN / "livelihoods"), "assign", "--help"], capture_output=True, text=True)
        if probe.returncode == 0:
            times = []
            for i in range(args.runs):
                out = work / f"assign{i}"
                chapter = notebooks[1].stem if len(notebooks) > 1 else notebooks[0].stem
                command = [str(BIN / "livelihoods"), "assign", chapter, "--roster", str(roster), "--out", str(out)]
                # a first run warms the caches (and checks the command works here); the second is timed
                if subprocess.run(command, cwd=copy, capture_output=True, env=copy_env(copy)).returncode != 0:
                    break
                shutil.rmtree(out)
                start = time.perf_counter()
                subprocess.run(command, cwd=copy, capture_output=True, env=copy_env(copy))
                times.append(time.perf_counter() - start)
            assign_s = median(times) if times else None

    weight = ""
    proc = subprocess.run(
        [str(BIN / "livelihoods"), "page-weight", "--html", str(copy / "_build" / "html")],
        cwd=copy,
        capture_output=True,
        text=True,
        env=copy_env(copy),
    )
    if proc.returncode == 0:
        weight = proc.stdout.strip()

    ours_per_page = median(cold) / n_exec
    tpl_per_page = median(tpl) / tpl_pages
    lines = [
        "# Build benchmark",
        "",
        f"Measured {dt.date.today().isoformat()} with `make bench` ({args.runs} runs each, medians) on {env_note}.",
        "",
        "| measurement | median seconds | runs |",
        "|---|---|---|",
        f"| cold build (empty cache, {n_exec} executed notebook pages) | {median(cold):.1f} | {', '.join(f'{x:.1f}' for x in cold)} |",
        f"| warm rebuild (nothing changed) | {median(warm):.1f} | {', '.join(f'{x:.1f}' for x in warm)} |",
        f"| one notebook changed ({changed.name}; {re_executed} re-executed) | {median(one):.1f} | {', '.join(f'{x:.1f}' for x in one)} |",
        f"| template book from `jupyter-book create` ({tpl_pages} executed pages) | {median(tpl):.1f} | {', '.join(f'{x:.1f}' for x in tpl)} |",
    ]
    if assign_s is not None:
        lines.append(f"| `livelihoods assign` for 100 students | {assign_s:.2f} | |")
    lines += [
        "",
        "| ratio | value | target |",
        "|---|---|---|",
        f"| seconds per executed notebook page, ours / template | {ours_per_page:.2f} / {tpl_per_page:.2f} = {ours_per_page / tpl_per_page:.2f} | at most 0.7 |",
        f"| warm rebuild / cold build | {median(warm) / median(cold):.1%} | under 10% |",
        f"| notebooks re-executed after a one-notebook change | {re_executed} | 1 |",
        "",
        "## Execution time per notebook (cold builds, median seconds)",
        "",
        "| notebook | seconds |",
        "|---|---|",
    ]
    lines += [f"| {name} | {median(ts):.1f} |" for name, ts in sorted(exec_times.items())]
    if weight:
        lines += ["", "## Page weight", "", "```text", weight, "```"]
    text = "\n".join(lines) + "\n"
    # The sections other benchmarks keep in the same file (bench/qda.py, bench/tests.py) stay as they are.
    text += results_file.sections(Path(args.out))
    results_file.write(Path(args.out), text)
    print(text)
    print(f"wrote {args.out}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
