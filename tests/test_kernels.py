"""Kernels under stress (issue 19, items 1 and 8): they cannot collide, a kernel that dies before replying
is replaced, the build's workers die with it, Ctrl-C keeps what has finished, and the failure hint works
for every page.

Everything here goes through the package's own execution path (``execute.execute_into_cache``, its
worker ``execute._execute_one`` and ``run.run_notebook``) on small notebooks the tests write.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

import background

from livelihoods.book import build, execute, kernels, run, sources
from livelihoods.errors import LivelihoodsError

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def tiny_root(folder: Path, timeout: int = 60) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_config.yml").write_text(f"execute:\n  timeout: {timeout}\n", encoding="utf-8")
    return folder


def write_nb(path: Path, *sources: str, kernel: str = "python3") -> Path:
    nb = new_notebook(
        cells=[new_code_cell(s) for s in sources], metadata={"kernelspec": {**KERNELSPEC, "name": kernel}}
    )
    nbformat.write(nb, str(path))
    return path


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# --------------------------------------------------------------------------------------------
# The kernel manager: IPC in a private folder, removed afterwards
# --------------------------------------------------------------------------------------------


@pytest.mark.skipif(not kernels.ipc_available(), reason="no IPC transport on this platform")
def test_kernel_listens_on_private_unix_sockets_and_cleans_up(tmp_path):
    seen = {}

    class Spy(kernels.PrivateKernelManager):
        async def _async_post_start_kernel(self, **kw):
            info = self.get_connection_info()
            seen.update(transport=info["transport"], ip=info["ip"], mode=os.stat(Path(info["ip"]).parent).st_mode)
            return await super()._async_post_start_kernel(**kw)

    path = write_nb(tmp_path / "a.ipynb", "print(6 * 7)")

    def run(options):
        from jupyter_cache.executors.utils import single_nb_execution

        return single_nb_execution(
            sources.read_notebook(path),
            cwd=str(tmp_path),
            timeout=30,
            allow_errors=False,
            **{**options, "kernel_manager_class": Spy},
        )

    result = kernels.with_fresh_kernel(run, "a.ipynb")
    assert result.err is None and result.nb.cells[0].outputs[0]["text"] == "42\n"
    assert seen["transport"] == "ipc"
    folder = Path(seen["ip"]).parent
    assert folder.name.startswith("livelihoods-kernel-") and seen["mode"] & 0o077 == 0, "a private folder (0700)"
    assert not folder.exists(), "the kernel's socket folder is removed after it stops"


# --------------------------------------------------------------------------------------------
# A kernel that dies before replying is replaced, with a line saying so; one that answered is not
# --------------------------------------------------------------------------------------------


@pytest.fixture
def flaky_python3(tmp_path, monkeypatch):
    """A kernelspec named python3, first on JUPYTER_PATH, whose first N starts die before replying."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    counter = tmp_path / "starts"
    script = tmp_path / "flaky_kernel.py"
    script.write_text(
        textwrap.dedent("""
        import sys
        from pathlib import Path
        counter, deaths = Path(sys.argv[1]), int(sys.argv[2])
        n = int(counter.read_text()) if counter.exists() else 0
        counter.write_text(str(n + 1))
        if n < deaths:
            sys.exit(3)  # dies before it binds anything, as a kernel hit by "Address already in use" does
        from ipykernel import kernelapp
        kernelapp.launch_new_instance(argv=sys.argv[3:])
    """),
        encoding="utf-8",
    )

    def make(deaths: int) -> Path:
        counter.unlink(missing_ok=True)
        (spec / "kernel.json").write_text(
            json.dumps(
                {
                    "argv": [sys.executable, str(script), str(counter), str(deaths), "-f", "{connection_file}"],
                    "display_name": "flaky",
                    "language": "python",
                }
            ),
            encoding="utf-8",
        )
        return counter

    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return make


def test_build_replaces_a_kernel_that_died_before_replying(flaky_python3, tmp_path):
    from jupyter_cache import get_cache

    counter = flaky_python3(1)
    root = tiny_root(tmp_path / "book")
    path = write_nb(root / "a.ipynb", "print('ran')")
    lines: list[str] = []
    (outcome,) = execute.execute_into_cache(root, notebooks=[path], jobs=1, echo=lines.append)
    assert outcome.status == "executed", outcome.error
    assert counter.read_text() == "2"
    (note,) = [line for line in lines if line.startswith("note:")]
    assert "a.ipynb: the kernel died before replying" in note and "attempt 2 of 3" in note
    nb = get_cache(str(sources.cache_path(root))).get_cache_bundle(1).nb
    assert nb.cells[0].outputs[0]["text"] == "ran\n"


def test_build_gives_up_after_three_dead_kernels(flaky_python3, tmp_path):
    counter = flaky_python3(5)
    root = tiny_root(tmp_path / "book")
    path = write_nb(root / "a.ipynb", "print('ran')")
    lines: list[str] = []
    (outcome,) = execute.execute_into_cache(root, notebooks=[path], jobs=1, echo=lines.append)
    assert outcome.status == "failed" and "3 kernels in a row died before replying" in outcome.error
    assert len([line for line in lines if line.startswith("note:")]) == 2
    assert counter.read_text() == "3"


def test_run_notebook_replaces_a_kernel_that_died_before_replying(flaky_python3, tmp_path, caplog):
    flaky_python3(1)
    source = write_nb(tmp_path / "a.ipynb", "print('ran')")
    out = run.run_notebook(source, {}, tmp_path / "out" / "a.ipynb", timeout=30)
    nb = nbformat.read(str(out), as_version=4)
    assert nb.cells[0].outputs[0]["text"] == "ran\n" and run.is_run_output(out)
    assert any("died before replying" in r.getMessage() for r in caplog.records)


def test_a_kernel_that_dies_after_replying_is_not_started_again(tmp_path, monkeypatch):
    from livelihoods.analyses.markup import MODE_ENV

    # the worker sets the book's markup mode in its own process's environment; run here in the test process,
    # it must not leak into later tests (a student's 'livelihoods run' in test_writers then glued for myst-nb)
    monkeypatch.setenv(MODE_ENV, "myst")
    path = write_nb(tmp_path / "a.ipynb", "import os\nos._exit(1)")
    status, _, error, nb, notes = execute._execute_one(str(path), 30)
    assert status == "failed" and notes == [], "the notebook's own failure is not retried"


# --------------------------------------------------------------------------------------------
# Many kernels at once: at least 200 from 8 processes, through the build's own path
# --------------------------------------------------------------------------------------------

STRESS = """
import json, sys, time
from pathlib import Path
from livelihoods.book import execute
root = Path(sys.argv[1])
lines = []
start = time.perf_counter()
outcomes = execute.execute_into_cache(root, notebooks=sorted(root.glob("nb*.ipynb")), jobs=8, echo=lines.append)
print(json.dumps({"seconds": time.perf_counter() - start, "lines": lines,
                  "failed": [(o.path.name, o.error) for o in outcomes if o.status != "executed"]}))
"""


@background.job("two_hundred_kernels", late=True)  # eight kernels at a time: run while the browser tests run
def two_hundred_kernels(folder: Path) -> dict:
    """200 notebooks executed through the build's own path, 8 worker processes at a time, in a process of
    its own (the test session's threads are no place to fork workers from)."""
    root = tiny_root(folder / "book")
    for i in range(200):
        write_nb(root / f"nb{i:03d}.ipynb", f"print({i})")
    proc = subprocess.run(
        [sys.executable, "-c", STRESS, str(root)],
        capture_output=True,
        text=True,
        timeout=1200,
        env=background.environ(),
    )
    return {"root": root, "proc": proc}


@pytest.mark.slow
def test_two_hundred_kernels_from_eight_processes_all_start(two_hundred_kernels):
    root, proc = two_hundred_kernels["root"], two_hundred_kernels["proc"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    failed, lines = report["failed"], report["lines"]
    assert not failed, f"{len(failed)} of 200 kernels failed: {failed[:5]}"
    assert "executing 200 notebook(s), 8 at a time" in lines
    retries = [line for line in lines if line.startswith("note:")]
    assert not [r for r in retries if "Address already in use" in r], retries
    print(f"200 kernels from 8 processes in {report['seconds']:.0f}s, {len(retries)} restarted")
    from jupyter_cache import get_cache

    assert len(get_cache(str(sources.cache_path(root))).list_cache_records()) == 200


def test_default_number_of_kernels_is_capped(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert execute.default_jobs() == execute.MAX_DEFAULT_JOBS == 4
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert execute.default_jobs() == 3  # one more than the cores: kernels wait part of the time
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert execute.default_jobs() == 2


@pytest.mark.parametrize("jobs", [0, -3])
def test_jobs_below_one_is_one_clear_line(jobs, tmp_path):
    with pytest.raises(LivelihoodsError, match=r"--jobs .* is not allowed.*at least 1"):
        execute.execute_into_cache(tiny_root(tmp_path), notebooks=[], jobs=jobs, echo=lambda _: None)


@pytest.mark.parametrize("timeout", [0, -1])
def test_config_timeout_below_one_is_refused(timeout, tmp_path):
    root = tiny_root(tmp_path, timeout=timeout)
    with pytest.raises(LivelihoodsError, match=r"execute.timeout in _config.yml"):
        execute.execute_into_cache(root, notebooks=[], echo=lambda _: None)


# --------------------------------------------------------------------------------------------
# The failure hint: a command that works for every page, book/intro.md included
# --------------------------------------------------------------------------------------------


def test_failure_hint_runs_the_failing_intro_page(tmp_path, monkeypatch):
    root = tiny_root(tmp_path / "book")
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/intro\n", encoding="utf-8")
    (root / "book").mkdir()
    (root / "book" / "intro.md").write_text(
        textwrap.dedent("""\
        ---
        file_format: mystnb
        kernelspec:
          name: python3
          display_name: Python 3
        ---

        # Intro

        ```{code-cell}
        total = 1 / 0
        ```
        """),
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    with pytest.raises(LivelihoodsError) as err:
        build.build(root, echo=lambda _: None)
    message = str(err.value)
    assert "1 notebook(s) failed to execute: book/intro.md" in message
    command = message.split("run one on its own: ", 1)[1].rstrip(")")
    assert command.endswith("book/intro.md")
    proc = subprocess.run(command, shell=True, cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "ZeroDivisionError" in proc.stderr, proc.stderr[-2000:]


# --------------------------------------------------------------------------------------------
# Killing the build ends its workers; Ctrl-C keeps what has finished
# --------------------------------------------------------------------------------------------

DRIVER = """
import sys
from pathlib import Path
from livelihoods.book import build, execute, run, sources
root = Path(sys.argv[1])
paths = sorted(root.glob("*.ipynb"))
try:
    execute.execute_into_cache(root, notebooks=paths, jobs=3, echo=lambda s: print(s, flush=True))
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
    sys.exit(130)
"""


def start_driver(root: Path, tmpdir: Path) -> subprocess.Popen:
    """The build's execution in a process of its own (its own session, as a terminal's job is)."""
    (root / "driver.py").write_text(DRIVER, encoding="utf-8")
    env = {**os.environ, "TMPDIR": str(tmpdir)}  # what a killed build cannot clean up stays in the test's folder
    return subprocess.Popen(
        [sys.executable, str(root / "driver.py"), str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=env,
    )


@pytest.fixture
def short_tmp():
    """A temporary folder with a short path (Unix socket paths are limited to about 100 characters)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="lvt-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def wait_for(predicate, seconds: float, step: float = 0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; the parent-death signal is Linux's")
def test_sigkill_of_the_build_leaves_no_worker_or_kernel(tmp_path, short_tmp):
    root = tiny_root(tmp_path / "book")
    for name in ("a", "b", "c"):
        write_nb(root / f"{name}.ipynb", "import time\ntime.sleep(120)")
    proc = start_driver(root, short_tmp)
    try:

        def started():
            workers = children(proc.pid)
            kernels_ = [k for w in workers for k in children(w)]
            return (workers, kernels_) if len(kernels_) >= 3 else None

        found = wait_for(started, 90)
        assert found, "three workers with a kernel each never appeared"
        workers, kernels_ = found
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        left = wait_for(lambda: [p for p in workers + kernels_ if alive(p)] == [], 15)
        assert left, f"still running after the build was killed: {[p for p in workers + kernels_ if alive(p)]}"
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_keeps_finished_notebooks_in_the_cache_and_says_so(tmp_path, short_tmp):
    from jupyter_cache import get_cache

    root = tiny_root(tmp_path / "book")
    quick = write_nb(root / "a_quick.ipynb", "print('done')")
    for name in ("b_slow", "c_slow"):
        write_nb(root / f"{name}.ipynb", "import time\ntime.sleep(120)")
    proc = start_driver(root, short_tmp)
    lines: list[str] = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if "a_quick.ipynb: executed" in line:
                break
        assert any("a_quick.ipynb: executed" in line for line in lines), lines
        workers = children(proc.pid)
        workers += [k for w in workers for k in children(w)]  # and their kernels
        start = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole foreground group
        out, err = proc.communicate(timeout=110)
        # the notebooks in flight sleep 120 s: a build that waited for them takes at least that long
        assert time.monotonic() - start < 60, "the build waited for the notebooks in flight"
    finally:
        if proc.poll() is None:
            proc.kill()
    text = "".join(lines) + out
    assert proc.returncode == 130 and "KeyboardInterrupt" in text
    assert "interrupted: kept the 1 notebook(s) already executed in the cache" in text, text
    assert "Traceback" not in err, err[-2000:]
    cache = get_cache(str(sources.cache_path(root)))
    cache.match_cache_notebook(sources.read_notebook(quick))  # raises KeyError if it was thrown away
    assert wait_for(lambda: [p for p in workers if alive(p)] == [], 15), "workers or kernels left after Ctrl-C"
    assert list(short_tmp.iterdir()) == [], "the kernels' socket folders are removed"
