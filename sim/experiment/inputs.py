"""The files a case reads besides its experiment file (material cards and their bases, the load curve, a
surface), with a SHA-256 of each: they enter the case hash, so editing any of them recomputes the case,
and the manifest records which files were used."""

import hashlib
from pathlib import Path

from ..errors import InputError
from ..loads import curve_file
from ..materials import card_files


def input_files(cfg, memo: dict | None = None) -> list[Path]:
    """Every file the resolved case config `cfg` (a CaseConfig, or a ForefootConfig: no curve file, one
    geometry per ray) reads, without duplicates; `memo` (one dict shared by the cases of one experiment
    read) avoids resolving the same card twice."""
    memo = {} if memo is None else memo
    files = [f for card in cfg.materials.values() for f in _cached(memo, ("card", card), card_files, card)]
    if hasattr(cfg, "loads"):
        files.append(curve_file(cfg.loads.curve))
    for geometry in (cfg.rays.values() if hasattr(cfg, "rays") else [cfg.geometry]):
        if geometry.surface is not None:
            files.append(Path(geometry.surface.path))
    unique = []
    for f in (Path(f).resolve() for f in files):
        if f not in unique:
            unique.append(f)
    return unique


def digest(path) -> str:
    """SHA-256 (hex) of a file's bytes; an unreadable file is an InputError naming it."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def input_digests(cfg, memo: dict | None = None) -> tuple:
    """((path, sha256), ...) of every file the case reads (`memo` as in input_files)."""
    memo = {} if memo is None else memo
    return tuple((str(f), _cached(memo, ("sha", f), digest, f)) for f in input_files(cfg, memo))


def _cached(memo: dict, key, function, argument):
    if key not in memo:
        memo[key] = function(argument)
    return memo[key]


def changed_inputs(inputs: tuple) -> list[str]:
    """Paths among `inputs` whose content is no longer the recorded one."""
    return [path for path, sha in inputs if digest(path) != sha]
