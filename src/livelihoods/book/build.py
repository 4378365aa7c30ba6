"""Building an edition of the book: execute what changed (:mod:`.execute`) and run Sphinx, or nothing.

Sphinx starts as soon as notebooks are to be executed and reads each page once its notebook is in
the cache (:mod:`.pipeline`), so that reading pages overlaps executing the later notebooks.

An unchanged book skips Sphinx altogether (a hash of every input, :func:`_book_inputs`); a book
whose package or data changed drops Sphinx's parsed pages so no stale output survives. The
student edition is built from a copy of the configuration without solutions, and the sources it
offers for download are stripped of them too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

from livelihoods.book.execute import ANSI, execute_into_cache, rerun_hint
from livelihoods.book.sources import fingerprint, load_config, toc_files
from livelihoods.errors import LivelihoodsError
from livelihoods.files import write_atomic
from livelihoods.startup import SKIP_IRI_GRAMMAR

EDITIONS = ("instructor", "student")


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


def output_dir(root: Path, edition: str) -> Path:
    """Where an edition's HTML goes: ``_build/html`` (instructor) or ``_build/student/html``."""
    return root / "_build" / ("html" if edition == "instructor" else "student/html")


class _Sphinx:
    """The book's Sphinx build, in a process of its own, started while the notebooks still execute.

    Sphinx holds each page whose notebook is not in the cache yet (:mod:`.pipeline`) and reads the
    others meanwhile; the build marks each notebook as it arrives. The process dies with the build
    (:func:`kernels.die_with_parent`) and is stopped if a notebook fails (:meth:`stop`).
    """

    def __init__(self, root: Path, edition: str, strict: bool) -> None:
        self.root, self.edition, self.strict = root, edition, strict
        self.path_output = root
        self.proc: subprocess.Popen | None = None
        self.log: Any = None  # the process's output (a temporary file)
        self.waiting: Path | None = None  # the pipeline's folder, while notebooks execute

    def start(self, executing: list[Path] | None = None) -> None:
        """Start Sphinx; its pages for the notebooks in ``executing`` wait until :meth:`cached` says so."""
        if self.proc is not None:
            return
        import tempfile

        from livelihoods.analyses.markup import MODE_ENV
        from livelihoods.book import kernels, pipeline

        _drop_stale_doctrees(self.root, executing or [])
        config = self.root / "_config.yml"
        if self.edition == "student":
            import yaml

            cfg = load_config(self.root)
            cfg.setdefault("sphinx", {}).setdefault("config", {})["hide_solutions"] = True
            cfg["title"] = cfg.get("title", "") + " (student edition)"
            staging = self.root / "_build" / "student"
            staging.mkdir(parents=True, exist_ok=True)
            config = staging / "_config.yml"
            config.write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
            self.path_output = staging / "book"
        env = {**os.environ, MODE_ENV: "myst"}
        if executing:
            self.waiting = Path(tempfile.mkdtemp(prefix="livelihoods-executing-"))
            pipeline.prepare(self.waiting, self.root, executing)
            env[pipeline.ENV] = str(self.waiting)
        cmd = [
            sys.executable,
            "-c",
            f"{SKIP_IRI_GRAMMAR}; from jupyter_book.cli.main import main; main()",
            "build",
            str(self.root),
            "--path-output",
            str(self.path_output),
            "--config",
            str(config),
            "--builder",
            "html",
        ]
        if self.strict:
            cmd += ["-W", "-n", "--keep-going"]
        parent = os.getpid()
        # Output to a file, not a pipe: nobody reads a pipe while notebooks execute, and a full one would
        # stall Sphinx.
        self.log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.root,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=lambda: kernels.die_with_parent(parent),
        )

    def cached(self, notebook: Path) -> None:
        """A notebook's executed copy is in the cache: Sphinx may read its page."""
        if self.waiting is not None:
            from livelihoods.book import pipeline

            pipeline.mark_done(self.waiting, self.root, notebook)

    def run(self) -> tuple[int, str]:
        """Wait for the build (starting it first if no notebook was executed): its exit status and output."""
        self.start()
        assert self.proc is not None
        returncode = self.proc.wait()
        self.proc = None
        self.log.seek(0)
        return returncode, self.log.read()

    def stop(self) -> None:
        """End the process if it still runs (a notebook failed, or Ctrl-C), and remove the pipeline's folder."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
        if self.log is not None:
            self.log.close()
            self.log = None
        if self.waiting is not None:
            shutil.rmtree(self.waiting, ignore_errors=True)
            self.waiting = None


def _drop_stale_doctrees(root: Path, executing: list[Path]) -> None:
    """Drop Sphinx's parsed pages when it would otherwise keep stale ones.

    Sphinx re-reads only sources whose files changed since its last build. A notebook re-executed
    because the package or data changed has the same file, so Sphinx would keep its old outputs; and
    a change to the theme's inputs reaches unchanged pages only if they are written again. (An edited
    notebook is newer than the last build, and Sphinx re-reads just that page.)
    """
    theme_stamp = root / "_build" / ".theme-inputs"
    theme_changed = not theme_stamp.is_file() or theme_stamp.read_text(encoding="utf-8") != _theme_fingerprint(root)
    last_build = theme_stamp.stat().st_mtime if theme_stamp.is_file() else 0.0
    if theme_changed or any(path.stat().st_mtime <= last_build for path in executing):
        for doctrees in (root / "_build" / ".doctrees", root / "_build" / "student" / "book" / "_build" / ".doctrees"):
            shutil.rmtree(doctrees, ignore_errors=True)


def build(
    root: Path,
    edition: str = "instructor",
    jobs: int | None = None,
    strict: bool = True,
    echo: Callable[[str], None] = print,
) -> Path:
    """Execute (through the cache) and build one edition of the book; return its HTML folder."""
    if edition not in EDITIONS:
        raise LivelihoodsError(f"edition {edition!r} is not allowed: expected one of {', '.join(EDITIONS)}")
    start = time.perf_counter()
    sphinx = _Sphinx(root, edition, strict)
    try:
        outcomes = execute_into_cache(root, jobs=jobs, echo=echo, on_execute=sphinx.start, on_cached=sphinx.cached)
        return _build_after_execution(root, edition, outcomes, sphinx, start, echo)
    finally:
        sphinx.stop()


def _build_after_execution(
    root: Path, edition: str, outcomes: list, sphinx: "_Sphinx", start: float, echo: Callable[[str], None]
) -> Path:
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        names = ", ".join(str(o.path.relative_to(root)) for o in failed)
        raise LivelihoodsError(
            f"{len(failed)} notebook(s) failed to execute: {names} (to see the error, run one "
            f"on its own: {rerun_hint(root, failed[0].path)})"
        )
    executed = sum(o.status == "executed" for o in outcomes)
    cached = sum(o.status == "cached" for o in outcomes)
    html = output_dir(root, edition)
    book_inputs = _book_inputs(root, edition)
    book_stamp = root / "_build" / f".book-inputs-{edition}"
    if (
        not executed
        and book_stamp.is_file()
        and book_stamp.read_text(encoding="utf-8") == book_inputs
        and _html_complete(root, html)
    ):
        echo(
            f"{html.relative_to(root)}/ is up to date: no page, notebook, package or data file changed since it "
            f"was built ({executed} notebooks executed, {cached} from cache) in {time.perf_counter() - start:.1f}s"
        )
        return html
    book_stamp.unlink(missing_ok=True)  # a build that fails half-way must not look up to date
    theme_inputs = _theme_fingerprint(root)
    theme_stamp = root / "_build" / ".theme-inputs"
    echo(f"building the {edition} edition (Sphinx)")
    returncode, output = sphinx.run()
    log = root / "_build" / f"build-{edition}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(output, encoding="utf-8")
    if returncode != 0:
        import re

        warnings = [re.sub(ANSI, "", line) for line in output.splitlines() if "WARNING" in line or "ERROR" in line]
        for line in warnings[:40]:
            echo(line)
        raise LivelihoodsError(
            f"the book build failed ({len(warnings)} warning/error lines; full log in {log.relative_to(root)})"
        )
    write_atomic(theme_stamp, theme_inputs.encode("utf-8"))
    if edition == "student":
        built = sphinx.path_output / "_build" / "html"
        if html.exists():
            shutil.rmtree(html)
        html.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(built), str(html))
        remove_solutions_from_sources(html)
    write_atomic(book_stamp, book_inputs.encode("utf-8"))
    pages = len(list(html.glob("**/*.html")))
    echo(
        f"wrote {pages} HTML pages to {html.relative_to(root)}/ ({executed} notebooks executed, {cached} from cache) in {time.perf_counter() - start:.1f}s"
    )
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
