"""Self-contained slow work (a PDF build, a second clean execution, a fresh virtual environment) run in the
background while the rest of the suite runs, so that both cores stay busy.

A test module declares a job with the :func:`job` decorator on a function of a private folder (and of the
session's built book, for a job ``after_book``) that returns whatever its tests will check; the decorated
name becomes a session fixture whose value is that result. ``conftest.py`` starts the jobs that the
selected tests ask for once the book build and the chapter runs are done, one at a time in one thread, in the
order they were declared (``late`` jobs last: :func:`order`), and runs the tests that read a job last, in the
same order, so they rarely wait. An exception raised in a job is raised in each test that reads it. Jobs check
nothing themselves: the assertions stay in the tests.

Pytest's own fixtures (``tmp_path``, ``capsys``) do not exist in a job's thread; a job writes only into
its folder and returns data. Foreground tests change ``os.environ`` (``monkeypatch.setenv``) while a job
runs, so a job never reads it: every process a job starts gets :func:`environ`, the environment as it was
when the session began, and library code that reads the environment (``livelihoods.paths``) runs in such
a process, not in the job's thread.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass(frozen=True)
class Job:
    name: str
    module: str
    function: Callable[..., Any]
    after_book: bool
    late: bool = False


#: The environment when the session began (this module is imported by conftest.py before any test runs).
_ENVIRON: dict[str, str] = dict(os.environ)


def environ(**extra: str) -> dict[str, str]:
    """The session's starting environment with ``extra`` added: what every process started by a job gets."""
    return {**_ENVIRON, **extra}


#: Every declared job, by name, in the order the test modules declared them.
JOBS: dict[str, Job] = {}
#: For each job that ran: (seconds from the session's start to the job's start, seconds it took). The
#: terminal summary prints them (conftest.py): where the suite's time goes, for whoever makes it faster.
TIMES: dict[str, tuple[float, float]] = {}
SESSION_START = time.monotonic()

_pool: ThreadPoolExecutor | None = None
_futures: dict[str, Future] = {}
_lock = threading.Lock()
_folder: Path | None = None
_book_ready: Callable[[], Any] = lambda: None  # noqa: E731 - conftest's: waits for the build and runs, returns the book


def job(name: str, after_book: bool = False, late: bool = False) -> Callable[[Callable[..., Any]], Any]:
    """Declare ``function(folder)`` (``function(folder, book)`` when ``after_book``) as the job ``name``.

    The decorated name is a session fixture (named ``name``) whose value is the job's result. A ``late``
    job runs after the others: one that keeps both cores busy (many kernels at once) is best run while
    the browser tests, which leave part of the machine idle, run in the foreground, rather than while
    the first tests are still queued behind it.
    """

    def register(function: Callable[..., Any]) -> Any:
        JOBS[name] = Job(name, function.__module__, function, after_book, late)

        @pytest.fixture(scope="session", name=name)
        def fixture() -> Any:
            return result(name)

        fixture.__doc__ = function.__doc__
        return fixture

    return register


def order() -> list[str]:
    """The jobs in the order they run (and their tests run): as declared, the ``late`` ones last."""
    return sorted(JOBS, key=lambda name: (JOBS[name].late, list(JOBS).index(name)))


def configure(folder: Path, book_ready: Callable[[], Any]) -> None:
    """Where jobs write (a session folder) and how they wait for the book build (called by conftest)."""
    global _folder, _book_ready
    _folder, _book_ready = folder, book_ready


def start(names: list[str]) -> None:
    """Queue the named jobs, in order, behind the book build."""
    for name in names:
        _submit(name)


def _submit(name: str) -> Future:
    global _pool
    with _lock:
        if name not in _futures:
            if _pool is None:
                _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-job")
            assert _folder is not None, "background.configure was not called (conftest.py does it)"
            folder = _folder / f"job-{name}"
            folder.mkdir(parents=True, exist_ok=True)

            def run() -> Any:
                book = _book_ready()  # the build and the chapter runs keep both cores busy: a job waits for them
                declared = JOBS[name]
                began = time.monotonic()
                try:
                    return declared.function(folder, book) if declared.after_book else declared.function(folder)
                finally:
                    TIMES[name] = (began - SESSION_START, time.monotonic() - began)

            _futures[name] = _pool.submit(run)
        return _futures[name]


def result(name: str) -> Any:
    """The job's return value, waiting for it (and starting it, if collection did not)."""
    if name not in JOBS:
        raise KeyError(f"no background job named {name!r}; declared: {sorted(JOBS)}")
    return _submit(name).result()


def shutdown() -> None:
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
