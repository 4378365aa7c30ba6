"""One chapter run with papermill: ``livelihoods run``, handouts, and the tests' runs.

A chapter notebook is known by its metadata (``livelihoods.chapter``), so a student's copy from
``livelihoods assign`` runs like the chapter it came from, with its own injected parameters kept.
"""

from __future__ import annotations

import os
from pathlib import Path
from livelihoods.book.execute import KERNEL_ARGS, KERNEL_SHUTDOWN, check_timeout
from livelihoods.errors import LivelihoodsError
from livelihoods.files import umask as _umask, write_atomic


def notebook_chapter(path: Path) -> str:
    """The chapter a notebook is, from its metadata (``livelihoods.chapter``), not from its file name.

    The runnable notebooks and every copy ``livelihoods assign`` writes (``d2_coding_lab-s01.ipynb``)
    carry it; a notebook without it counts as the chapter its file name says, if there is one.
    """
    import json

    from livelihoods.book import registry

    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError) as err:
        raise LivelihoodsError(
            f"notebook {path} cannot be read as a notebook ({err}): give a chapter's .ipynb"
        ) from None
    chapter = (meta.get("livelihoods") or {}).get("chapter") or path.stem
    if chapter not in registry.REGISTRY:
        raise LivelihoodsError(
            f"notebook {path} is not a chapter of this book (its metadata names no chapter): "
            f"give one of {', '.join(registry.REGISTRY)}, or a copy written by 'livelihoods assign'"
        )
    return chapter


def injected_parameters(path: Path) -> dict:
    """The values a notebook's ``injected-parameters`` cell sets (a copy from ``assign``): ``{}`` if none.

    ``livelihoods run`` starts from these, so that running a student's copy with ``-p level
    theme`` keeps the student's own seed instead of papermill's replacing the whole cell.
    """
    import ast
    import json

    nb = json.loads(path.read_text(encoding="utf-8"))
    values: dict = {}
    for cell in nb.get("cells", []):
        if "injected-parameters" not in (cell.get("metadata", {}).get("tags") or []):
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for node in ast.parse(source).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                try:
                    values[node.targets[0].id] = ast.literal_eval(node.value)
                except ValueError:
                    continue
    return values


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

    Parameters must already be checked (``livelihoods.book.params``); a cell that raises becomes
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
            pm.execute_notebook(
                str(notebook),
                str(tmp_out),
                parameters=parameters,
                cwd=str(notebook.parent),
                kernel_name="python3",
                progress_bar=False,
                execution_timeout=timeout,
                log_output=False,
                extra_arguments=KERNEL_ARGS,
                shutdown_kernel=KERNEL_SHUTDOWN,
                # Papermill rewrites the whole notebook (deep copy, JSON) at the start and end of every
                # cell so that a long run can be watched; ours is a temporary file moved into place at
                # the end, which nobody watches. Writing it once saves about a second of CPU per run.
                request_save_on_cell_execute=False,
                **options,
            )

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
