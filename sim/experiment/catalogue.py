"""What `spacer-sim list` shows: material cards, load presets and experiments, each once, with its full
description; and the experiment file a name from that list stands for (`spacer-sim run NAME`)."""

import textwrap
from pathlib import Path

from ..errors import InputError, nearest
from ..loads import list_presets
from ..materials import list_cards, load_card
from ..paths import data_dirs, find_data_file
from ..textio import read_toml


def experiment_files() -> dict[str, Path]:
    """Experiment name (file stem) -> file, the first on the data path (sim/paths.py) for each name."""
    found: dict[str, Path] = {}
    for directory in data_dirs("experiments"):
        for path in sorted(directory.glob("*.toml")):
            found.setdefault(path.stem, path)
    return dict(sorted(found.items()))


def experiment_path(name_or_path) -> Path:
    """An existing experiment file, or the file of a name that `spacer-sim list` shows."""
    path = Path(name_or_path)
    if path.suffix or len(path.parts) > 1 or path.is_file():
        return path
    found = find_data_file("experiments", f"{path.name}.toml")
    if found is None:
        names = list(experiment_files())
        raise InputError(f"{name_or_path}: no such experiment file or name{nearest(str(name_or_path), names)}; "
                         f"names are: {', '.join(names) or 'none'}")
    return found


def _description(path: Path) -> str:
    try:
        meta = read_toml(path, "experiment file").get("experiment", {})
    except InputError as exc:
        return f"(unreadable: {exc})"
    return str(meta.get("description", "")) if isinstance(meta, dict) else ""


def catalogue(width: int = 110) -> str:
    lines = ["material cards (materials/):"]
    for name in list_cards():
        lines += _entry(name, load_card(name).description, width)
    lines.append("load presets (experiments/loads/):")
    lines += [f"  {name}" for name in list_presets()]
    lines.append("experiments (spacer-sim run NAME):")
    for name, path in experiment_files().items():
        lines += _entry(name, _description(path), width)
    return "\n".join(lines)


def _entry(name: str, text: str, width: int) -> list[str]:
    """'  name   text', the text wrapped (never cut) under itself."""
    return textwrap.wrap(text, width, initial_indent=f"  {name:22s} ", subsequent_indent=" " * 25) or [f"  {name}"]
