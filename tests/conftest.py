"""Session fixtures shared by the test modules: the built book and the chapter runs.

Both are expensive and shared. They start in the background as soon as collection shows that a
selected test needs them, so fast tests run while kernels work:

- ``built_book``: the instructor edition built once, strictly (``-W -n --keep-going``), cold, in a
  temporary copy of the repository (the clone's own ``_build`` is never written by the suite);
- ``runs``: every chapter executed once per distinct parameter set (``tests/chapter_runs.py``);
- the background jobs of ``tests/background.py`` (a PDF build, a second clean execution, a fresh virtual
  environment...), one at a time after the build.

Tests run in three groups: those that need none of these first (while the build and the runs use the
other core), then those that read the book or a run, then those that read a job, in the jobs' order.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import background
from chapter_runs import RUNS, Runs
from helpers import copy_repository
from page_survey import laptop_survey, phone_survey  # noqa: F401 - jobs' fixtures, for test_browser.py and test_reader.py


@dataclass
class BuiltBook:
    """The built instructor edition: the copy it was built in, its HTML folder, and the build's output."""

    root: Path
    returncode: int
    stdout: str
    stderr: str

    @property
    def html(self) -> Path:
        return self.root / "_build" / "html"

    def env(self) -> dict[str, str]:
        """The environment that makes ``livelihoods`` work on this copy."""
        return background.environ(LIVELIHOODS_ROOT=str(self.root))

    def livelihoods(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        """Run the ``livelihoods`` command on this copy."""
        return subprocess.run(
            [sys.executable, "-m", "livelihoods.cli", *args],
            cwd=self.root,
            env=self.env(),
            capture_output=True,
            text=True,
            **kwargs,
        )


class _Background:
    """The book build, started in a thread when collection shows a test needs it."""

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None
        self.result: BuiltBook | None = None
        self.folder: Path | None = None
        self.seconds: float | None = None  # when the build ended, from the session's start

    def start(self, folder: Path) -> None:
        if self.thread is not None:
            return
        self.folder = folder

        def work() -> None:
            root = copy_repository(folder / "book")
            env = background.environ(LIVELIHOODS_ROOT=str(root))  # not os.environ: tests change it meanwhile
            # cold, at 8 parallel kernels on however many cores: CI's build must never fail by chance (issue 19)
            proc = subprocess.run(
                [sys.executable, "-m", "livelihoods.cli", "build", "--jobs", "8"],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
            )
            self.result = BuiltBook(root, proc.returncode, proc.stdout, proc.stderr)
            self.seconds = time.monotonic() - background.SESSION_START

        self.thread = threading.Thread(target=work, name="book-build", daemon=True)
        self.thread.start()

    def wait(self) -> BuiltBook:
        assert self.thread is not None
        self.thread.join()
        assert self.result is not None, "the book build thread ended without a result"
        return self.result


_BOOK = _Background()
_RUNS: list[Runs] = []
_READY: list[
    float
] = []  # when the build and the chapter runs were both done (the jobs' start), from the session's start


_FOLDERS: list[Path] = []


def _session_folder(config: pytest.Config) -> Path:
    """A temporary folder for this session's shared builds and runs (removed when the session ends)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="livelihoods-tests-"))
    _FOLDERS.append(folder)
    return folder


def _jobs_of(item: pytest.Item) -> list[str]:
    return [name for name in background.JOBS if name in getattr(item, "fixturenames", ())]


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that reads the built book, a chapter run or a job is slow, whatever its module says; tests
    that need none of them run first, those that read a job last, in the jobs' order."""
    order = {name: i for i, name in enumerate(background.order())}

    def group(item: pytest.Item) -> tuple[int, int]:
        jobs = _jobs_of(item)
        if jobs:
            return 2, max(order[name] for name in jobs)
        return (1 if {"runs", "built_book"} & set(getattr(item, "fixturenames", ())) else 0), 0

    for item in items:
        if group(item)[0]:
            item.add_marker(pytest.mark.slow)
    items.sort(key=group)  # stable: within a group, the usual order


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the book build and the chapter runs that the selected tests need, in the background.

    Runs after ``-m``/``-k`` deselection, so ``make test-fast`` starts no kernel.
    """
    config, items = session.config, session.items
    needs_book = any("built_book" in getattr(item, "fixturenames", ()) for item in items)
    stems: set[str] = set()
    defaults_only = False
    for item in items:
        if "runs" not in getattr(item, "fixturenames", ()):
            continue
        stem = getattr(item.module, "STEM", None)
        if stem in RUNS:
            stems.add(stem)
        else:
            defaults_only = True
    jobs = sorted({name for item in items for name in _jobs_of(item)}, key=background.order().index)
    needs_book = needs_book or any(background.JOBS[name].after_book for name in jobs)
    if needs_book:
        _BOOK.start(_session_folder(config))
    if stems or defaults_only:
        runs = _runs(config)
        runs.prefetch(sorted(stems))
        if defaults_only:
            runs.prefetch(sorted(RUNS), only_defaults=True)
    if jobs:
        # The jobs start once the build and the chapter runs are done: until then both cores are busy with
        # them and the first tests; afterwards the browser tests leave one core mostly idle, which the jobs use.
        def ready() -> BuiltBook | None:
            book = _BOOK.wait() if _BOOK.thread is not None else None
            if _RUNS:
                _RUNS[0].wait()
            _READY.append(time.monotonic() - background.SESSION_START)
            return book

        background.configure(_session_folder(config), ready)
        background.start(jobs)


def pytest_terminal_summary(terminalreporter) -> None:
    """One line on the background work: when the book build and each job started and how long it took."""
    parts = []
    if _BOOK.seconds is not None:
        parts.append(f"book build 0-{_BOOK.seconds:.0f} s")
    if _READY:
        parts.append(f"build and chapter runs done at {_READY[0]:.0f} s")
    parts += [f"{name} {began:.0f}+{took:.0f} s" for name, (began, took) in background.TIMES.items()]
    if parts:
        terminalreporter.write_line("background work (start+duration): " + ", ".join(parts))


def _runs(config: pytest.Config) -> Runs:
    if not _RUNS:
        _RUNS.append(Runs(_session_folder(config)))
    return _RUNS[0]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    background.shutdown()
    for runs in _RUNS:
        runs.close()
    if _BOOK.thread is not None:
        _BOOK.thread.join()
    for folder in _FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def runs(pytestconfig) -> Runs:
    """The chapter runs of ``tests/chapter_runs.py``: ``runs.get("e4_impact", "middles")``."""
    return _runs(pytestconfig)


@pytest.fixture(scope="session")
def built_book(pytestconfig) -> BuiltBook:
    """The instructor edition, built once per session in a temporary copy of the repository."""
    _BOOK.start(_session_folder(pytestconfig))
    return _BOOK.wait()
