"""The results folder of a run: checked before any case is computed, and locked for the run.

A second run on the same folder (from this or another process) stops with one line instead of mixing
its results with the first one's. The lock is an advisory lock (flock) on `<folder>/.lock`, released
when the run ends or its process dies.
"""

import fcntl
import os
import re
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError

SUBFOLDERS = ("cases", "fields", "plots")
_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}(\.[A-Za-z0-9]+)?\Z")  # tempfile.mkstemp names of sim/atomic.py


def check_target(out_dir) -> None:
    """Before any work: `out_dir` is a folder, or can be made one (its nearest existing parent is a
    folder we can write)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: --out names a file, not a folder")
    existing = next(p for p in (out_dir, *out_dir.absolute().parents) if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"{out_dir}: cannot write there ({existing} is not a folder we can write)")


@contextmanager
def locked_output(out_dir):
    """Create and check `out_dir` (a folder we can write, its subfolders folders) and hold its lock."""
    out_dir = Path(out_dir)
    check_target(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for sub in SUBFOLDERS:
            if (out_dir / sub).exists() and not (out_dir / sub).is_dir():
                raise InputError(f"{out_dir / sub}: is a file; the results folder needs a folder here")
        fd = os.open(out_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise InputError(f"{out_dir}: cannot write to the results folder ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(f"{out_dir}: another run is writing to this folder; wait for it to finish "
                             f"or choose another --out") from None
        if not os.access(out_dir, os.W_OK | os.X_OK):
            raise InputError(f"{out_dir}: cannot write to the results folder (permission denied)")
        _remove_stale_temporaries(out_dir)
        yield out_dir
    finally:
        os.close(fd)


def _remove_stale_temporaries(out_dir: Path) -> None:
    """Temporary files (.<name>.<random>.<ext>, sim/atomic.py) left by a run that was killed mid-write."""
    for folder in (out_dir, *(out_dir / s for s in SUBFOLDERS)):
        if folder.is_dir():
            for tmp in folder.glob(".*.*"):
                if tmp.is_file() and _TEMPORARY.match(tmp.name):
                    tmp.unlink(missing_ok=True)
