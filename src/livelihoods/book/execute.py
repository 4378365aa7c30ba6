"""Executing the book's notebooks into the cache that myst-nb reads, in parallel and with progress.

Jupyter Book 1 executes notebooks one after another inside the Sphinx build. We execute them
first, in worker processes and with progress, straight into the same jupyter-cache that myst-nb
reads (``_build/.jupyter_cache``), so the Sphinx build then only hits the cache. A notebook whose
code has not changed is never executed again (jupyter-cache hashes code cells and kernelspec; a
stamp adds the package and the data). Kernels cannot collide (:mod:`.kernels`), only the parent
process writes to the cache, and a killed or interrupted build leaves no worker behind.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from livelihoods.book.sources import cache_path, fingerprint, load_config, read_notebook, toc_notebooks
from livelihoods.errors import LivelihoodsError
from livelihoods.files import write_atomic


#: Extra kernel arguments for every notebook we execute. ipykernel 7 logs a warning at each start
#: that its localhost TCP channels are unencrypted; our kernels are private to one local run, and the
#: line, printed once per notebook, buried the progress report and alarmed readers. Real errors still
#: reach the cell outputs and the failing notebook's message. Parallel kernels also need not share
#: (and lock) IPython's history database in the user's home folder.
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]


#: How kernels are stopped once the last cell has answered: at once. Every output has arrived by
#: then, and a graceful shutdown waited about half a second per notebook for the kernel to exit.
KERNEL_SHUTDOWN = "immediate"


ANSI = r"\x1b\[[0-9;]*m"


@dataclass(frozen=True)
class Outcome:
    """What happened to one notebook during pre-execution."""

    path: Path
    status: str  # "cached", "executed" or "failed"
    seconds: float = 0.0
    error: str = ""


def _stamps_path(root: Path) -> Path:
    return cache_path(root) / "livelihoods-fingerprints.json"


def _read_stamps(root: Path) -> dict[str, str]:
    import json

    try:
        return json.loads(_stamps_path(root).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def _write_stamps(root: Path, stamps: dict[str, str]) -> None:
    import json

    write_atomic(_stamps_path(root), json.dumps(stamps, indent=1, sort_keys=True).encode("utf-8"))


#: Notebooks executed at once when the caller does not say: one more than the cores, but never more
#: than this. Each kernel holds a chapter's data and figures in memory, and a build on a many-core
#: machine gained nothing from a dozen kernels at once but the risk of starting them all in the same
#: instant.
MAX_DEFAULT_JOBS = 4


def default_jobs() -> int:
    """Parallel kernels when ``--jobs`` is not given: the number of cores plus one, at most :data:`MAX_DEFAULT_JOBS`.

    Why one more than the cores: a kernel spends part of its life waiting (its start-up handshake, a
    message round trip per cell, its notebook sent back to this process), and a third kernel on two
    cores fills those gaps. Cold ``livelihoods build`` on two cores: 19.6 s with two kernels, 18.4 s
    with three (2026-12-06, ``--jobs 2`` and ``--jobs 3``, two runs each).
    """
    return max(1, min((os.cpu_count() or 1) + 1, MAX_DEFAULT_JOBS))


def check_timeout(seconds: object, what: str = "--timeout") -> int:
    """A per-cell time limit in whole seconds, at least 1: zero or a negative number is refused.

    nbclient and papermill take 0 or -1 to mean "no limit", so a mistyped ``--timeout 0`` would let
    a hung cell run for ever; there is no way to ask for that here.
    """
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 1:
        raise LivelihoodsError(
            f"{what} {seconds!r} is not allowed: give the seconds allowed per cell, a whole number of at least 1"
        )
    return seconds


def _execute_one(path: str, timeout: int) -> tuple[str, float, str, object, list[str]]:
    """Worker: execute one notebook in its own folder; return it to the parent, which caches it.

    Returns (status, seconds, last error line, the executed notebook or None, notes for the log).
    Only the parent writes to jupyter-cache: two workers writing its database at once could leave a
    record without its notebook file.
    """
    import asyncio

    from jupyter_cache.executors.utils import single_nb_execution

    from livelihoods.analyses.markup import MODE_ENV
    from livelihoods.book import kernels

    os.environ[MODE_ENV] = "myst"  # the kernel (a child of this worker) glues for myst-nb and prints MyST
    notes: list[str] = []

    def attempt(options: dict) -> object:
        nb = read_notebook(Path(path))  # a fresh copy for every kernel started
        return single_nb_execution(
            nb,
            cwd=str(Path(path).parent),
            timeout=timeout,
            allow_errors=False,
            extra_arguments=KERNEL_ARGS,
            shutdown_kernel=KERNEL_SHUTDOWN,
            **options,
        )

    start = time.perf_counter()
    try:
        result = kernels.with_fresh_kernel(attempt, Path(path).name, say=notes.append)
    except (Exception, asyncio.CancelledError) as err:  # noqa: BLE001 - a dead kernel, a failed start, Ctrl-C
        message = str(err).strip().splitlines()[0] if str(err).strip() else ""
        return ("failed", time.perf_counter() - start, f"{type(err).__name__}: {message}".rstrip(": "), None, notes)
    finally:
        kernels.ignore_ctrl_c()
    if result.err is not None:
        import re

        plain = re.sub(ANSI, "", result.exc_string or str(result.err))
        last = plain.strip().splitlines()
        return ("failed", result.time, last[-1] if last else type(result.err).__name__, None, notes)
    return ("executed", result.time, "", result.nb, notes)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers at once (their kernels follow within a second: they poll their parent)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # shutdown() forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        try:
            process.kill()
        except (OSError, ValueError, AttributeError):
            pass
    for process in processes:
        process.join(timeout=5)


class _Interrupt:
    """Ctrl-C while notebooks execute: noted, so the loop can keep what has finished and stop cleanly."""

    def __init__(self) -> None:
        self.hit = False
        self._old: object = None

    def __enter__(self) -> "_Interrupt":
        import threading

        if threading.current_thread() is threading.main_thread():
            import signal

            self._old = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum: int, frame: object) -> None:
        self.hit = True

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            import signal

            signal.signal(signal.SIGINT, self._old)


def execute_into_cache(
    root: Path,
    notebooks: list[Path] | None = None,
    jobs: int | None = None,
    echo: Callable[[str], None] = print,
    on_execute: Callable[[list[Path]], None] | None = None,
    on_cached: Callable[[Path], None] | None = None,
) -> list[Outcome]:
    """Execute every notebook whose code is not cached yet, ``jobs`` at a time, with progress.

    ``on_execute(notebooks)`` is called with the notebooks to execute once they are known, before the
    first kernel starts (not at all when every notebook is cached), and ``on_cached(notebook)`` as
    each executed notebook is written into the cache: the build starts Sphinx, which reads each page
    as its notebook arrives (:mod:`livelihoods.book.pipeline`).

    Workers execute; this process alone writes each finished notebook into the cache, as soon as it
    arrives. On Ctrl-C the notebooks already finished stay cached, those in flight are stopped, and
    :class:`KeyboardInterrupt` is raised after one line saying what was kept.
    """
    from concurrent.futures import FIRST_COMPLETED, wait

    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    from livelihoods.book import kernels

    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise LivelihoodsError(
            f"--jobs {jobs!r} is not allowed: give the number of notebooks to execute at once, at least 1"
        )
    notebooks = notebooks if notebooks is not None else toc_notebooks(root)
    timeout = check_timeout(load_config(root).get("execute", {}).get("timeout", 300), "execute.timeout in _config.yml,")
    cache = get_cache(str(cache_path(root)))
    outcomes: list[Outcome] = []
    todo: list[Path] = []
    total = len(notebooks)
    current = fingerprint(root)
    stamps = _read_stamps(root)
    for path in notebooks:
        key = str(path.relative_to(root))
        try:
            cache.match_cache_notebook(read_notebook(path))
            hit = stamps.get(key) == current
        except KeyError:
            hit = False
        if hit:
            outcomes.append(Outcome(path, "cached"))
        else:
            todo.append(path)
    if outcomes:
        echo(f"{len(outcomes)} of {total} notebooks unchanged since their last run, nor the package or data (cached)")
    jobs = max(1, min(jobs or default_jobs(), len(todo) or 1))
    done = len(outcomes)
    if todo:
        echo(f"executing {len(todo)} notebook(s), {jobs} at a time")
        if on_execute is not None:
            on_execute(list(todo))
        import tempfile

        sockets = tempfile.mkdtemp(prefix="livelihoods-kernels-")
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=kernels.worker_init, initargs=(os.getpid(), sockets))
        finished_cleanly = False
        with _Interrupt() as interrupt:

            def collect(future) -> None:
                nonlocal done
                path = futures[future]
                rel = path.relative_to(root)
                notes: list[str] = []
                try:
                    status, seconds, error, nb, notes = future.result()
                except (KeyboardInterrupt, SystemExit):
                    raise
                except BaseException as exc:  # noqa: BLE001 - a crash of the worker itself (or asyncio's cancel)
                    status, seconds, error, nb = "failed", 0.0, f"{type(exc).__name__}: {exc}", None
                if interrupt.hit and status != "executed":
                    return  # stopped by the Ctrl-C itself: not a failure of the notebook
                done += 1
                for note in notes:
                    echo(f"note: {note}")
                if status == "executed":
                    cache.cache_notebook_bundle(
                        CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                        check_validity=False,
                        overwrite=True,
                    )
                    stamps[str(rel)] = current
                    _write_stamps(root, stamps)
                    if on_cached is not None:
                        on_cached(path)
                outcomes.append(Outcome(path, status, seconds, error))
                if status == "failed":
                    echo(f"[{done}/{total}] {rel}: FAILED after {seconds:.1f}s: {error}")
                else:
                    echo(f"[{done}/{total}] {rel}: executed in {seconds:.1f}s")

            try:
                futures = {pool.submit(_execute_one, str(p), timeout): p for p in todo}
                pending = set(futures)
                while pending and not interrupt.hit:
                    finished, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                    for future in finished:
                        collect(future)
                for future in pending:  # after Ctrl-C: keep what finished in the meantime
                    if future.done() and not future.cancelled():
                        collect(future)
                finished_cleanly = not interrupt.hit
            finally:
                if finished_cleanly:
                    pool.shutdown(wait=True)
                else:
                    _stop_workers(pool)
                shutil.rmtree(sockets, ignore_errors=True)
        if interrupt.hit:
            kept = sum(o.status == "executed" for o in outcomes)
            echo(
                f"interrupted: kept the {kept} notebook(s) already executed in the cache "
                f"({cache_path(root).relative_to(root)}); {len(todo) - kept} not finished were stopped. "
                "Run the build again to execute only those."
            )
            raise KeyboardInterrupt
    order = {p: i for i, p in enumerate(notebooks)}
    return sorted(outcomes, key=lambda o: order[o.path])


def rerun_hint(root: Path, page: Path) -> str:
    """A command that executes one page of the book on its own and shows its error: any page, a
    chapter source or ``book/intro.md`` alike (jupytext reads MyST notebooks and runs them where they
    lie, as the build does)."""
    exe = Path(sys.executable)
    found = shutil.which("jupytext")
    if found and Path(found).parent.resolve() == exe.parent.resolve():
        tool = "jupytext"
    else:
        try:
            shown = exe.relative_to(Path.cwd())
        except ValueError:
            shown = exe
        tool = f"{shown} -m jupytext"
    try:
        page_shown = page.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        page_shown = page
    return f"{tool} --execute --to ipynb -o /dev/null {page_shown}"
