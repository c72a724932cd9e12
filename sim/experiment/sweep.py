"""Sweeps over any config key: dotted paths, value lists or ranges, full grid or zipped lists.

    [sweep]
    mode = "grid"                                   # or "zip" (lists of equal length, side by side)
    "geometry.spacer.fill_fraction" = [0.25, 0.5]   # a list ...
    "loads.body_mass_kg" = { start = 60, stop = 100, step = 20 }   # ... or a range (stop included)
"""

import copy
import itertools
import math

import numpy as np

from ..errors import InputError, nearest
from ..schema import check_keys, value

MODES = ("grid", "zip")
MAX_CASES = 10000  # more cases than any machine this runs on could compute


def get_path(doc: dict, dotted: str, default=None):
    """doc['a']['b'] for 'a.b', or default when any part is missing."""
    node = doc
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def set_path(doc: dict, dotted: str, v) -> dict:
    """A deep copy of doc with doc['a']['b'] = v for 'a.b' (tables created as needed)."""
    doc = copy.deepcopy(doc)
    *parents, leaf = dotted.split(".")
    node = doc
    for part in parents:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise InputError(f"sweep key '{dotted}': '{part}' is a value, not a table")
    node[leaf] = v
    return doc


def delete_path(doc: dict, dotted: str, where: str = "remove") -> dict:
    """A deep copy of doc without the key at 'a.b'; a key the document does not have is an InputError
    (a typo would otherwise silently remove nothing)."""
    if not isinstance(dotted, str):
        raise InputError(f"{where}: expected dotted key names, got {dotted!r}")
    doc = copy.deepcopy(doc)
    *parents, leaf = dotted.split(".")
    node = get_path(doc, ".".join(parents)) if parents else doc
    if not isinstance(node, dict) or leaf not in node:
        present = sorted(_dotted_keys(doc))
        raise InputError(f"{where}: '{dotted}' is not in the experiment{nearest(dotted, present)}")
    node.pop(leaf)
    return doc


def _dotted_keys(doc: dict, prefix: str = ""):
    for key, v in doc.items():
        yield prefix + key
        if isinstance(v, dict):
            yield from _dotted_keys(v, prefix + key + ".")


def _values(key: str, spec, where: str) -> list:
    if isinstance(spec, list):
        if not spec:
            raise InputError(f"{where}.\"{key}\": the list of values is empty")
        return spec
    if isinstance(spec, dict):
        check_keys(spec, ("start", "stop", "step", "num"), f"{where}.\"{key}\"")
        start, stop = value(spec, "start", float, where), value(spec, "stop", float, where)
        if ("step" in spec) == ("num" in spec):
            raise InputError(f"{where}.\"{key}\": a range needs start, stop and one of step or num")
        if "num" in spec:
            num = value(spec, "num", int, where)
            if not 1 <= num <= MAX_CASES:
                raise InputError(f"{where}.\"{key}\".num must be 1 to {MAX_CASES}, got {num}")
            values = np.linspace(start, stop, num)
        else:
            step = value(spec, "step", float, where)
            if step <= 0 or stop < start:
                raise InputError(f"{where}.\"{key}\": a range needs step > 0 and stop >= start")
            count = math.floor((stop - start) / step + 1e-9) + 1
            if count > MAX_CASES:
                raise InputError(f"{where}.\"{key}\": this range has {count:.3g} values, more than "
                                 f"{MAX_CASES} cases; use a larger step")
            values = start + step * np.arange(count)
        return [round(float(v), 12) for v in values]
    raise InputError(f"{where}.\"{key}\": give a list of values or a range {{start, stop, step}}")


def expand(sweep: dict, where: str = "sweep") -> list[dict[str, object]]:
    """The list of {dotted key: value} overrides, one per case ([{}] when there is no sweep)."""
    if not sweep:
        return [{}]
    mode = value(sweep, "mode", str, where, "grid")
    if mode not in MODES:
        raise InputError(f"{where}.mode = '{mode}' is not one of: {', '.join(MODES)}")
    axes = {k: _values(k, v, where) for k, v in sweep.items() if k != "mode"}
    if not axes:
        return [{}]
    if mode == "zip":
        lengths = {k: len(v) for k, v in axes.items()}
        if len(set(lengths.values())) > 1:
            raise InputError(f"{where}: zip mode needs lists of equal length, got {lengths}")
        return [dict(zip(axes, combo)) for combo in zip(*axes.values())]
    count = math.prod(len(v) for v in axes.values())
    if count > MAX_CASES:
        raise InputError(f"{where}: the grid has {count} cases, more than {MAX_CASES}")
    return [dict(zip(axes, combo)) for combo in itertools.product(*axes.values())]
