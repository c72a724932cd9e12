"""Where data files (material cards, load curves, experiments) are looked up by name.

Each of these roots is searched for the same relative folder ('materials', 'experiments/loads'):
`$SPACER_SIM_HOME`, the current working directory, the repository root this package sits in
(a source checkout), and `<sys.prefix>/share/spacer-sim` (installed there as data-files by
pyproject.toml, for a non-editable `pip install .`). `$SPACER_SIM_HOME` is a deliberate choice and
wins; otherwise a name found in two roots with different contents (e.g. a ./materials/pmma.toml
beside the shipped card) is an error naming both files: no file silently shadows another; give the
path of the one you mean.
"""

import os
import sys
from pathlib import Path

from .errors import InputError

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


def find_data_file(relative: str, filename: str) -> Path | None:
    """`<root>/<relative>/<filename>` of the first root that has it, or None; an InputError when two
    roots other than $SPACER_SIM_HOME hold different files of that name."""
    found = [d / filename for d in data_dirs(relative) if (d / filename).is_file()]
    if not found:
        return None
    home = os.environ.get("SPACER_SIM_HOME")
    if home and found[0].is_relative_to((Path(home) / relative).resolve()):
        return found[0]  # an explicit choice of the user
    first = found[0].read_bytes()
    for other in found[1:]:
        if other.read_bytes() != first:
            raise InputError(f"'{Path(filename).stem}' is both {found[0]} and {other}, with different "
                             f"contents; give the path of the file you mean, or rename one")
    return found[0]
