"""Starting Jupyter kernels that cannot collide, and ending them with the build.

Why this module: the book executes its chapters in several worker processes at once, and each
worker starts a kernel. Over TCP, jupyter_client picks a kernel's ports by binding port 0, closing
the socket and handing the number to the kernel, which binds it a moment later; another process
can take the same port in between (jupyter_client issue 487, papermill issue 511), and the kernel
then dies with "Address already in use" before it answers. Three defences, used by every path that
executes a notebook (the build's workers, ``livelihoods run``, ``handout``):

- :class:`PrivateKernelManager`: the kernel listens on Unix sockets (the IPC transport) in a folder
  of its own, made with :func:`tempfile.mkdtemp` (mode 0700) and removed when the kernel is cleaned
  up, so no two kernels can ask for the same address. Where the platform has no IPC transport
  (Windows) it falls back to TCP.
- :func:`with_fresh_kernel`: a kernel that dies (or never answers) before replying to its first
  request is replaced by a new one, at most :data:`ATTEMPTS` times in all, with a line saying so. A
  kernel that has started is never retried: a failure after that is the notebook's own.
- :func:`die_with_parent`: a worker process (or the Sphinx build) is killed when the process that
  started it dies, even by SIGKILL (Linux's parent-death signal); its kernel notices its parent is
  gone and exits within a second (ipykernel's parent poller).

Book layer: imports only the foundation.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import sys
import tempfile
from typing import Any, Callable, TypeVar

from jupyter_client.manager import AsyncKernelManager
from traitlets import CaselessStrEnum

log = logging.getLogger(__name__)

T = TypeVar("T")

#: How many kernels one notebook may start before its execution counts as failed: the first and
#: two more, each only if the one before died before answering.
ATTEMPTS = 3

#: Longest Unix socket path Linux and macOS accept, less room for the "-N" port suffix.
_MAX_SOCKET_PATH = 100


def ipc_available() -> bool:
    """True where kernels can talk over Unix domain sockets (Linux, macOS, the BSDs)."""
    import zmq

    return os.name == "posix" and bool(zmq.has("ipc"))


class PrivateKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel listens on Unix sockets in a private folder, removed afterwards.

    nbclient (``kernel_manager_class``) and papermill (the same keyword, passed on to nbclient) create
    one per notebook. The folder is made just before the kernel starts, so the connection file's
    addresses (``ipc://<folder>/k-1`` ...) are unique whatever else runs on the machine.
    """

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc" if ipc_available() else "tcp", config=True)

    _private_dir: str | None = None

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.transport == "ipc" and self._private_dir is None:
            folder = tempfile.mkdtemp(prefix="livelihoods-kernel-", dir=_kernels_dir)
            if len(folder) + 4 > _MAX_SOCKET_PATH:  # a very long TMPDIR: sockets cannot live there
                os.rmdir(folder)
                log.info("temporary folder %s too long for Unix sockets: kernel uses TCP", folder)
                self.transport = "tcp"
                self.ip = "127.0.0.1"
            else:
                self._private_dir = folder
                self.ip = os.path.join(folder, "k")
                if not self.connection_file:  # its key too stays in the private folder, removed with it
                    self.connection_file = os.path.join(folder, "kernel.json")
        return await super()._async_pre_start_kernel(**kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        try:
            await super()._async_cleanup_resources(restart=restart)
        finally:
            if not restart and self._private_dir is not None:
                shutil.rmtree(self._private_dir, ignore_errors=True)
                self._private_dir = None

    cleanup_resources = _async_cleanup_resources  # AsyncKernelManager binds the name to the base method


class KernelStartError(RuntimeError):
    """Every kernel started for one notebook died before replying."""


def _start_failure(err: BaseException) -> bool:
    """A failure that a new kernel may cure (not a missing kernelspec, nor an interrupt)."""
    from jupyter_client.kernelspec import NoSuchKernel

    if isinstance(err, NoSuchKernel):
        return False
    import zmq

    return isinstance(err, (RuntimeError, TimeoutError, OSError, zmq.ZMQError))


def with_fresh_kernel(
    run: Callable[[dict[str, Any]], T], what: str, attempts: int = ATTEMPTS, say: Callable[[str], None] | None = None
) -> T:
    """Call ``run(kernel_options)``, starting over with a new kernel if the last one died before replying.

    ``kernel_options`` are keyword arguments for nbclient's ``NotebookClient`` (and so for
    jupyter-cache's ``single_nb_execution`` and papermill's ``execute_notebook``): the kernel manager
    class and a hook that records that the kernel answered. ``run`` must start from the notebook as
    it was (nothing it did before the kernel answered is kept). Each retry is announced through
    ``say`` (default: a warning on this module's logger) naming ``what``.
    """
    say = say or log.warning
    for attempt in range(1, attempts + 1):
        answered: list[bool] = []

        def on_start(answered: list[bool] = answered, **_: Any) -> None:  # this attempt's list, bound now
            answered.append(True)

        options = {"kernel_manager_class": PrivateKernelManager, "on_notebook_start": on_start}
        try:
            return run(options)
        except Exception as err:  # noqa: BLE001 - sorted below; anything else is re-raised
            if answered or not _start_failure(err):
                raise
            reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            if attempt == attempts:
                raise KernelStartError(
                    f"{what}: {attempts} kernels in a row died before replying (last: {reason})"
                ) from err
            say(
                f"{what}: the kernel died before replying ({reason}); starting a new one "
                f"(attempt {attempt + 1} of {attempts})"
            )
    raise AssertionError("unreachable")  # pragma: no cover


def die_with_parent(parent: int | None = None) -> None:
    """Have the kernel kill this process when its parent dies (Linux; elsewhere nothing happens).

    Called first thing in a child process (a pool worker's initializer, a subprocess's
    ``preexec_fn``). ``parent`` is the pid expected as parent: if it is already gone (it died
    between the fork and this call), the process exits at once.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: nothing to do
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)


_in_worker = False
#: Where this process's kernels make their socket folders (None: the system's temporary folder). The
#: build gives its workers one folder for all their kernels and removes it at the end, so that even
#: kernels stopped by Ctrl-C (which leave their sockets behind) leave nothing.
_kernels_dir: str | None = None


def worker_init(parent: int, kernels_dir: str | None = None) -> None:
    """Initializer of the build's worker processes: die with the build, leave Ctrl-C to it.

    The build process alone handles Ctrl-C (it keeps the notebooks already finished and stops the
    workers), so a worker ignores SIGINT instead of printing a traceback of its own.
    """
    global _in_worker, _kernels_dir
    _in_worker = True
    _kernels_dir = kernels_dir
    die_with_parent(parent)
    ignore_ctrl_c()


def ignore_ctrl_c() -> None:
    """In a build worker, ignore SIGINT (again: nbclient's event loop puts Python's default handler back
    after each notebook). Elsewhere nothing happens."""
    if _in_worker:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
