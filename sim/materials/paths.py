"""Where data files (material cards, load curves) are looked up, first match wins.

Order: `$SPACER_SIM_HOME/<relative>`, `./<relative>` (current working directory),
`<repo root>/<relative>` (the checkout this package sits in), then the copy installed
as package data under `sim/<packaged>` (see pyproject.toml).
"""

import os
from pathlib import Path

_SIM_DIR = Path(__file__).resolve().parents[1]


def data_dirs(relative: str, packaged: str) -> list[Path]:
    """Existing directories to search for `relative` (e.g. 'materials'), without duplicates."""
    candidates = []
    home = os.environ.get("SPACER_SIM_HOME")
    if home:
        candidates.append(Path(home) / relative)
    candidates += [Path.cwd() / relative, _SIM_DIR.parent / relative, _SIM_DIR / packaged]
    found = []
    for path in candidates:
        path = path.resolve()
        if path.is_dir() and path not in found:
            found.append(path)
    return found


def material_dirs() -> list[Path]:
    """Directories holding material cards (*.toml)."""
    return data_dirs("materials", "material_cards")
