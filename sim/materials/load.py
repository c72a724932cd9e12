"""Finding and loading material cards by name or path."""

from pathlib import Path

from ..errors import InputError, nearest
from ..filecache import parse_once
from .card import MaterialCard
from .parse import card_from_toml, read_toml
from ..paths import find_data_file, material_dirs


def list_cards() -> list[str]:
    """Names of all cards on the search path (see sim.paths), sorted."""
    return sorted({p.stem for d in material_dirs() for p in d.glob("*.toml")})


def load_card(name_or_path) -> MaterialCard:
    """The validated card for a name ('pmma') or a path to a .toml file."""
    return _load(_resolve(name_or_path), chain=())


def card_files(name_or_path) -> list[Path]:
    """The files loading this card reads: its own and those of its [card] base chain."""
    files = [_resolve(name_or_path)]
    while len(files) < 32:
        base = parse_once(files[-1], read_toml).get("card", {}).get("base")
        if not isinstance(base, str) or base.strip() == "":
            break
        files.append(_resolve(base, near=files[-1]))
    return files


def _resolve(name_or_path, near: Path | None = None) -> Path:
    """A card file: an existing path, else <name>.toml beside `near` or on the search path."""
    text = str(name_or_path)
    as_path = Path(text)
    if as_path.suffix == ".toml" or as_path.is_file():
        if not as_path.is_file():
            raise InputError(f"{as_path}: material card file not found")
        return as_path
    if near is not None and (near.parent / f"{text}.toml").is_file():
        return near.parent / f"{text}.toml"
    found = find_data_file("materials", f"{text}.toml")
    if found is not None:
        return found
    dirs = ([near.parent] if near else []) + material_dirs()
    names = list_cards()
    raise InputError(f"unknown material '{text}'{nearest(text, names)}; "
                     f"available: {', '.join(names) or 'none'} "
                     f"(searched {', '.join(str(d) for d in dirs) or 'no materials/ folder found'})")


def _load(path: Path, chain: tuple) -> MaterialCard:
    resolved = path.resolve()
    if resolved in chain:
        raise InputError(f"{path}: [card] base: circular base chain {' -> '.join(p.stem for p in chain)}")

    def load_base(name: str, referrer: Path) -> MaterialCard:
        try:
            return _load(_resolve(name, near=referrer), chain + (resolved,))
        except InputError as exc:
            raise InputError(f"{referrer}: [card] base: {exc}") from None

    return card_from_toml(parse_once(path, read_toml), path, load_base)
