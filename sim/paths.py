"""Where data files (material cards, load curves) are looked up; the first match wins.

Each of these roots is searched for the same relative folder ('materials', 'experiments/loads'):
`$SPACER_SIM_HOME`, the current working directory, the repository root this package sits in
(a source checkout), and `<sys.prefix>/share/spacer-sim` (installed there as data-files by
pyproject.toml, for a non-editable `pip install .`).
"""

import os
import sys
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[1]


def data_roots() -> list[Path]:
    """The roots in search order."""
    home = os.environ.get("SPACER_SIM_HOME")
    roots = [Path(home)] if home else []
    return roots + [Path.cwd(), _REPO_ROOT, Path(sys.prefix) / "share" / "spacer-sim"]


def data_dirs(relative: str) -> list[Path]:
    """Existing `<root>/<relative>` directories in search order, without duplicates."""
    found = []
    for root in data_roots():
        path = (root / relative).resolve()
        if path.is_dir() and path not in found:
            found.append(path)
    return found


def material_dirs() -> list[Path]:
    """Directories holding material cards (*.toml)."""
    return data_dirs("materials")
