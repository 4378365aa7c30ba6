"""Execute the chapter notebooks and build the book.

Jupyter Book 1 executes notebooks one after another inside the Sphinx build. We execute them
first, in parallel and with progress, straight into the same jupyter-cache that myst-nb reads
(``_build/.jupyter_cache``), so the Sphinx build then only hits the cache. A notebook whose
code has not changed is never executed again (jupyter-cache hashes code cells and kernelspec).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from livelihoods.errors import LivelihoodsError
from livelihoods.files import umask as _umask, write_atomic

EDITIONS = ("instructor", "student")

#: Extra kernel arguments for every notebook we execute. ipykernel 7 logs a warning at each start
#: that its localhost TCP channels are unencrypted; our kernels are private to one local run, and the
#: line, printed once per notebook, buried the progress report and alarmed readers. Real errors still
#: reach the cell outputs and the failing notebook's message. Parallel kernels also need not share
#: (and lock) IPython's history database in the user's home folder.
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]

#: How kernels are stopped once the last cell has answered: at once. Every output has arrived by
#: then, and a graceful shutdown waited about half a second per notebook for the kernel to exit.
KERNEL_SHUTDOWN = "immediate"

_ANSI = r"\x1b\[[0-9;]*m"


@dataclass(frozen=True)
class Outcome:
    """What happened to one notebook during pre-execution."""

    path: Path
    status: str  # "cached", "executed" or "failed"
    seconds: float = 0.0
    error: str = ""


def load_config(root: Path) -> dict:
    """The book's ``_config.yml`` as a dict."""
    import yaml

    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def toc_files(root: Path) -> list[Path]:
    """Every file the table of contents lists, resolved to an existing path, in book order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    entries: list[str] = [toc["root"]]

    def walk(node: dict | list) -> None:
        items = node if isinstance(node, list) else [node]
        for item in items:
            if not isinstance(item, dict):
                continue
            if "file" in item:
                entries.append(item["file"])
            for key in ("parts", "chapters", "sections"):
                if key in item:
                    walk(item[key])

    walk(toc)
    paths = []
    for entry in entries:
        matches = [root / (entry + ext) for ext in ("", ".md", ".ipynb") if (root / (entry + ext)).is_file()]
        if not matches:
            raise LivelihoodsError(f"_toc.yml lists {entry!r} but no such .md or .ipynb file exists")
        paths.append(matches[0])
    return paths


def is_text_notebook(path: Path) -> bool:
    """A Markdown page with MyST-NB front matter (``file_format: mystnb``): executed like a notebook."""
    from myst_nb.core.read import is_myst_markdown_notebook

    return path.suffix == ".md" and is_myst_markdown_notebook(path.read_text(encoding="utf-8"))


def read_notebook(path: Path):
    """Read an .ipynb, or a MyST text notebook exactly as myst-nb reads it (so cache hashes agree)."""
    import nbformat

    if path.suffix == ".md":
        from myst_nb.core.read import read_myst_markdown_notebook

        return read_myst_markdown_notebook(path.read_text(encoding="utf-8"), path=path)
    return nbformat.read(path, as_version=4)


def toc_notebooks(root: Path) -> list[Path]:
    """The notebooks the book executes (.ipynb chapters and MyST text notebooks), in book order."""
    return [p for p in toc_files(root) if p.suffix == ".ipynb" or is_text_notebook(p)]


def toc_chapters(root: Path) -> list[Path]:
    """The chapter sources (MyST notebooks in ``book/chapters/``) in book order."""
    chapters = root / "book" / "chapters"
    return [p for p in toc_notebooks(root) if p.parent == chapters]


def cache_path(root: Path) -> Path:
    return root / "_build" / ".jupyter_cache"


def fingerprint(root: Path) -> str:
    """A hash of everything a chapter's outputs depend on besides its own code: the package and the data.

    jupyter-cache keys a notebook on its code cells only, so without this an edit to a plotting
    function or a CSV would leave stale figures in the book.
    """
    import hashlib

    digest = hashlib.sha256()
    for folder in (root / "src" / "livelihoods", root / "data"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _theme_fingerprint(root: Path) -> str:
    """A hash of the inputs Sphinx does not track for unchanged pages: static files, templates, config.

    Sphinx rewrites only pages whose sources changed, and then skips copying static files too, so an
    edit to ``book/_static/book.css`` alone would never reach the built book.
    """
    import hashlib

    digest = hashlib.sha256()
    paths = [root / "_config.yml", root / "_toc.yml"]
    for folder in (root / "book" / "_static", root / "book" / "_templates"):
        if folder.is_dir():
            paths += sorted(p for p in folder.rglob("*") if p.is_file())
    for path in paths:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _book_inputs(root: Path, edition: str) -> str:
    """A hash of everything one edition's HTML is made from, so an unchanged book is not rebuilt.

    Covers the pages the table of contents lists, every file under ``book/``, the configuration,
    static files and templates, the package and data (:func:`fingerprint`) and the versions of the
    tools that render them. Executed outputs are covered by the cache: a build that executed
    anything never skips Sphinx.
    """
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(f"{edition}\n{_theme_fingerprint(root)}\n{fingerprint(root)}\n".encode())
    for name in ("jupyter-book", "sphinx", "myst-nb", "sphinx-book-theme", "sphinx-exercise"):
        try:
            digest.update(f"{name}=={version(name)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{name} missing\n".encode())
    book_dir = root / "book"
    paths = set(toc_files(root)) | ({p for p in book_dir.rglob("*") if p.is_file()} if book_dir.is_dir() else set())
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _html_complete(root: Path, html: Path) -> bool:
    """Every page of the table of contents (and the entry page) is present in a built edition."""
    pages = [html / p.relative_to(root).with_suffix(".html") for p in toc_files(root)]
    return (html / "index.html").is_file() and all(p.is_file() for p in pages)


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


#: Notebooks executed at once when the caller does not say: the core count, but never more than this.
#: Each kernel holds a chapter's data and figures in memory, and a build on a many-core machine gained
#: nothing from a dozen kernels at once but the risk of starting them all in the same instant.
MAX_DEFAULT_JOBS = 4


def default_jobs() -> int:
    """Parallel kernels when ``--jobs`` is not given: the number of cores, at most :data:`MAX_DEFAULT_JOBS`."""
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_JOBS))


def check_timeout(seconds: object, what: str = "--timeout") -> int:
    """A per-cell time limit in whole seconds, at least 1: zero or a negative number is refused.

    nbclient and papermill take 0 or -1 to mean "no limit", so a mistyped ``--timeout 0`` would let
    a hung cell run for ever; there is no way to ask for that here.
    """
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 1:
        raise LivelihoodsError(f"{what} {seconds!r} is not allowed: give the seconds allowed per cell, "
                               "a whole number of at least 1")
    return seconds


def _execute_one(path: str, timeout: int) -> tuple[str, float, str, object, list[str]]:
    """Worker: execute one notebook in its own folder; return it to the parent, which caches it.

    Returns (status, seconds, last error line, the executed notebook or None, notes for the log).
    Only the parent writes to jupyter-cache: two workers writing its database at once could leave a
    record without its notebook file.
    """
    import asyncio

    from jupyter_cache.executors.utils import single_nb_execution

    from livelihoods.book import kernels

    notes: list[str] = []

    def attempt(options: dict) -> object:
        nb = read_notebook(Path(path))  # a fresh copy for every kernel started
        return single_nb_execution(nb, cwd=str(Path(path).parent), timeout=timeout, allow_errors=False,
                                   extra_arguments=KERNEL_ARGS, shutdown_kernel=KERNEL_SHUTDOWN, **options)

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

        plain = re.sub(_ANSI, "", result.exc_string or str(result.err))
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
) -> list[Outcome]:
    """Execute every notebook whose code is not cached yet, ``jobs`` at a time, with progress.

    Workers execute; this process alone writes each finished notebook into the cache, as soon as it
    arrives. On Ctrl-C the notebooks already finished stay cached, those in flight are stopped, and
    :class:`KeyboardInterrupt` is raised after one line saying what was kept.
    """
    from concurrent.futures import FIRST_COMPLETED, wait

    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    from livelihoods.book import kernels

    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise LivelihoodsError(f"--jobs {jobs!r} is not allowed: give the number of notebooks to execute at once, "
                               "at least 1")
    notebooks = notebooks if notebooks is not None else toc_notebooks(root)
    timeout = check_timeout(load_config(root).get("execute", {}).get("timeout", 300),
                            "execute.timeout in _config.yml,")
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
        import tempfile

        sockets = tempfile.mkdtemp(prefix="livelihoods-kernels-")
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=kernels.worker_init,
                                   initargs=(os.getpid(), sockets))
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
                    cache.cache_notebook_bundle(CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                                                check_validity=False, overwrite=True)
                    stamps[str(rel)] = current
                    _write_stamps(root, stamps)
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
            echo(f"interrupted: kept the {kept} notebook(s) already executed in the cache "
                 f"({cache_path(root).relative_to(root)}); {len(todo) - kept} not finished were stopped. "
                 "Run the build again to execute only those.")
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


def output_dir(root: Path, edition: str) -> Path:
    """Where an edition's HTML goes: ``_build/html`` (instructor) or ``_build/student/html``."""
    return root / "_build" / ("html" if edition == "instructor" else "student/html")


def build(root: Path, edition: str = "instructor", jobs: int | None = None, strict: bool = True,
          echo: Callable[[str], None] = print) -> Path:
    """Execute (through the cache) and build one edition of the book; return its HTML folder."""
    if edition not in EDITIONS:
        raise LivelihoodsError(f"edition {edition!r} is not allowed: expected one of {', '.join(EDITIONS)}")
    start = time.perf_counter()
    outcomes = execute_into_cache(root, jobs=jobs, echo=echo)
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        names = ", ".join(str(o.path.relative_to(root)) for o in failed)
        raise LivelihoodsError(f"{len(failed)} notebook(s) failed to execute: {names} (to see the error, run one "
                               f"on its own: {rerun_hint(root, failed[0].path)})")
    executed = sum(o.status == "executed" for o in outcomes)
    cached = sum(o.status == "cached" for o in outcomes)
    html = output_dir(root, edition)
    book_inputs = _book_inputs(root, edition)
    book_stamp = root / "_build" / f".book-inputs-{edition}"
    if (not executed and book_stamp.is_file() and book_stamp.read_text(encoding="utf-8") == book_inputs
            and _html_complete(root, html)):
        echo(f"{html.relative_to(root)}/ is up to date: no page, notebook, package or data file changed since it "
             f"was built ({executed} notebooks executed, {cached} from cache) in {time.perf_counter() - start:.1f}s")
        return html
    book_stamp.unlink(missing_ok=True)  # a build that fails half-way must not look up to date
    theme_inputs = _theme_fingerprint(root)
    theme_stamp = root / "_build" / ".theme-inputs"
    theme_changed = not theme_stamp.is_file() or theme_stamp.read_text(encoding="utf-8") != theme_inputs
    last_build = theme_stamp.stat().st_mtime if theme_stamp.is_file() else 0.0
    unnoticed = [o for o in outcomes if o.status == "executed" and o.path.stat().st_mtime <= last_build]
    if theme_changed or unnoticed:
        # Sphinx re-reads only sources whose files changed since its last build. A notebook
        # re-executed because the package or data changed has the same file, so Sphinx would keep
        # its old outputs: drop the parsed-doctree caches. (An edited notebook is newer than the
        # last build, and Sphinx re-reads just that page.)
        for doctrees in (root / "_build" / ".doctrees", root / "_build" / "student" / "book" / "_build" / ".doctrees"):
            shutil.rmtree(doctrees, ignore_errors=True)
    config = root / "_config.yml"
    path_output = root
    if edition == "student":
        import yaml

        cfg = load_config(root)
        cfg.setdefault("sphinx", {}).setdefault("config", {})["hide_solutions"] = True
        cfg["title"] = cfg.get("title", "") + " (student edition)"
        staging = root / "_build" / "student"
        staging.mkdir(parents=True, exist_ok=True)
        config = staging / "_config.yml"
        config.write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
        path_output = staging / "book"
    echo(f"building the {edition} edition (Sphinx)")
    cmd = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(root), "--path-output", str(path_output),
           "--config", str(config), "--builder", "html"]
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    from livelihoods.book import kernels

    parent = os.getpid()
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True,
                          preexec_fn=lambda: kernels.die_with_parent(parent))
    log = root / "_build" / f"build-{edition}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(proc.stdout + "\n" + proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        import re

        warnings = [re.sub(_ANSI, "", line) for line in (proc.stdout + proc.stderr).splitlines()
                    if "WARNING" in line or "ERROR" in line]
        for line in warnings[:40]:
            echo(line)
        raise LivelihoodsError(f"the book build failed ({len(warnings)} warning/error lines; full log in {log.relative_to(root)})")
    write_atomic(theme_stamp, theme_inputs.encode("utf-8"))
    if edition == "student":
        built = path_output / "_build" / "html"
        if html.exists():
            shutil.rmtree(html)
        html.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(built), str(html))
        remove_solutions_from_sources(html)
    write_atomic(book_stamp, book_inputs.encode("utf-8"))
    pages = len(list(html.glob("**/*.html")))
    echo(f"wrote {pages} HTML pages to {html.relative_to(root)}/ ({executed} notebooks executed, {cached} from cache) in {time.perf_counter() - start:.1f}s")
    return html


def remove_solutions_from_sources(html: Path) -> int:
    """Strip the solutions from the source files a built edition offers for download.

    sphinx-exercise's ``hide_solutions`` leaves them out of the pages, but Sphinx still copies each
    page's source (a chapter notebook with its solution cells) into ``_sources/`` for the download
    button. Returns the number of files changed.
    """
    import json

    from livelihoods.book.myst import is_solution, strip_solution_directives

    changed = 0
    for path in sorted((html / "_sources").rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".ipynb":
            nb = json.loads(text)
            cells = [c for c in nb.get("cells", []) if not is_solution(c)]
            for cell in cells:
                if cell.get("cell_type") == "markdown":
                    src = cell.get("source", "")
                    cell["source"] = strip_solution_directives("".join(src) if isinstance(src, list) else src)
            new = json.dumps({**nb, "cells": cells}, indent=1, ensure_ascii=False) + "\n"
        else:
            new = strip_solution_directives(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def resolve_notebook(root: Path, name: str) -> Path:
    """Find a chapter notebook from a stem (``e4_impact``), a file name or a path."""
    candidates = [Path(name), root / name, root / "notebooks" / name, root / "notebooks" / f"{name}.ipynb"]
    for candidate in candidates:
        if candidate.is_file() and candidate.suffix == ".ipynb":
            return candidate.resolve()
    available = ", ".join(sorted(p.stem for p in (root / "notebooks").glob("*.ipynb")))
    raise LivelihoodsError(f"notebook {name!r} not found: expected one of {available}")


#: What ``livelihoods run`` writes into an executed notebook's metadata, so that ``--force`` can tell
#: its own output (which it may replace) from any other file (which it must not).
RUN_MARK = {"output_of": "livelihoods run"}


def is_run_output(path: Path) -> bool:
    """True if ``path`` is a notebook written by :func:`run_notebook` (its metadata says so)."""
    import json

    try:
        with open(path, encoding="utf-8") as handle:
            nb = json.load(handle)
        mark = nb.get("metadata", {}).get("livelihoods", {})
        return isinstance(mark, dict) and mark.get("output_of") == RUN_MARK["output_of"]
    except (OSError, ValueError, AttributeError):
        return False


def run_notebook(notebook: Path, parameters: dict, output: Path, timeout: int = 300) -> Path:
    """Execute one notebook with papermill and save the executed copy atomically.

    Parameters must already be checked (``livelihoods.params``); a cell that raises becomes
    one line naming the notebook, the cell and the error, not a traceback. The kernel is started as
    the build starts its kernels (:mod:`livelihoods.book.kernels`): on private Unix sockets, and
    started again if it dies before replying. The copy is marked as this command's output
    (:data:`RUN_MARK`).
    """
    import tempfile

    import nbformat
    import papermill as pm

    from livelihoods.book import kernels

    timeout = check_timeout(timeout)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="livelihoods-run-") as tmp:
        tmp_out = Path(tmp) / output.name

        def attempt(options: dict) -> None:
            pm.execute_notebook(str(notebook), str(tmp_out), parameters=parameters, cwd=str(notebook.parent),
                                kernel_name="python3", progress_bar=False, execution_timeout=timeout,
                                log_output=False, extra_arguments=KERNEL_ARGS, shutdown_kernel=KERNEL_SHUTDOWN,
                                **options)

        try:
            kernels.with_fresh_kernel(attempt, notebook.name)
        except pm.PapermillExecutionError as err:
            message = str(err.evalue).strip().splitlines()[0] if err.evalue else ""
            raise LivelihoodsError(f"{notebook.name} failed in cell {err.exec_count}: {err.ename}: {message}") from None
        except kernels.KernelStartError as err:
            raise LivelihoodsError(str(err)) from None
        nb = nbformat.read(str(tmp_out), as_version=4)
    nb.metadata["livelihoods"] = {**nb.metadata.get("livelihoods", {}), **RUN_MARK}
    write_atomic(output, nbformat.writes(nb).encode("utf-8"))
    os.chmod(output, 0o666 & ~_umask())
    return output
