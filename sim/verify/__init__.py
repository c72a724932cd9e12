"""Verification cases: each solves a problem with an independent answer and returns Checks. `spacer-sim
verify` runs them all (run_all) and prints one table; the tests call them one by one."""

import tempfile
from pathlib import Path

# each module registers its cases on import; the table follows this order
from . import patch  # noqa: F401  (isort: skip)
from . import manufactured  # noqa: F401
from . import benchmarks  # noqa: F401
from . import hertz  # noqa: F401
from . import finite  # noqa: F401
from .registry import CASES, Check, case, register, table


def run(name: str, work_dir=None) -> list[Check]:
    """Run one registered case in work_dir (a fresh temporary folder when None)."""
    if work_dir is not None:
        return CASES[name](Path(work_dir))
    with tempfile.TemporaryDirectory(prefix=f"spacer-verify-{name}-") as tmp:
        return CASES[name](Path(tmp))


def run_all(names=None) -> list[Check]:
    """Every registered case (or the named ones), in registration order."""
    return [check for name in (names or list(CASES)) for check in run(name)]


__all__ = ["CASES", "Check", "case", "register", "run", "run_all", "table"]
