"""What `spacer-sim list` shows: material cards, load presets and shipped experiments, with one line each."""

from pathlib import Path

from ..loads import list_presets
from ..materials import list_cards, load_card
from ..paths import data_dirs


def experiment_files() -> list[Path]:
    """The experiment files shipped in experiments/ (or found on the data path)."""
    return sorted({p for d in data_dirs("experiments") for p in d.glob("*.toml")})


def catalogue() -> str:
    lines = ["material cards (materials/):"]
    for name in list_cards():
        card = load_card(name)
        lines.append(f"  {name:22s} {card.description}")
    lines.append("load presets (experiments/loads/):")
    lines += [f"  {name}" for name in list_presets()]
    lines.append("experiments (experiments/):")
    for path in experiment_files():
        first = next((l[1:].strip() for l in path.read_text().splitlines() if l.startswith("#")), "")
        lines.append(f"  {path.stem:22s} {first}")
    return "\n".join(lines)
