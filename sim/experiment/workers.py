"""A local process pool whose workers die with the run: on Ctrl-C, SIGTERM or an error the running cases
are stopped at once (a case is written atomically, so a stopped case leaves no file), and on Linux the
kernel kills each worker when its parent process dies, even by SIGKILL (PR_SET_PDEATHSIG). Workers
ignore Ctrl-C themselves, so the terminal shows only the parent's one-line message."""

import ctypes
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context

_PR_SET_PDEATHSIG = 1


def _worker_start(parent_pid: int) -> None:
    """Runs first in each worker: ignore SIGINT; be killed when the parent dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown still applies
        pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


@contextmanager
def process_pool(jobs: int):
    """A spawn-context ProcessPoolExecutor of `jobs` workers, stopped without waiting on any exception."""
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"), initializer=_worker_start,
                               initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.kill()
        for process in processes:
            process.join(timeout=5)
        raise
    pool.shutdown(wait=True)
