"""Small helpers for strict config reading: unknown keys, wrong types and numbers that are not finite
(NaN, inf: TOML allows them) become one-line InputErrors."""

import math
from numbers import Real

from .errors import InputError, nearest

_TYPE_NAMES = {float: "a number", int: "an integer", str: "a string", bool: "true/false", list: "a list",
               dict: "a table"}


def check_keys(table: dict, allowed, where: str) -> None:
    """Raise on the first key of `table` not in `allowed`, suggesting the nearest valid one."""
    if not isinstance(table, dict):
        raise InputError(f"{where}: expected a table, got {type(table).__name__}")
    for key in table:
        if key not in allowed:
            raise InputError(f"{where}: unknown key '{key}'{nearest(key, allowed)}")


def value(table: dict, key: str, kind, where: str, default=...):
    """table[key] checked against `kind` (float accepts integers); `default` when absent, else required."""
    if key not in table:
        if default is ...:
            raise InputError(f"{where}: missing key '{key}'")
        return default
    v = table[key]
    ok = (isinstance(v, Real) and not isinstance(v, bool)) if kind is float else \
        isinstance(v, kind) and not (kind is int and isinstance(v, bool))
    if not ok:
        raise InputError(f"{where}.{key}: expected {_TYPE_NAMES.get(kind, kind.__name__)}, got {v!r}")
    if kind is float and not math.isfinite(v):
        raise InputError(f"{where}.{key}: expected a finite number, got {v!r}")
    return float(v) if kind is float else v


def in_range(table: dict, key: str, where: str, low: float, high: float, unit: str = "", default=...):
    """A finite number low <= v <= high (float; `default` when absent)."""
    v = value(table, key, float, where, default)
    if v is not None and not low <= v <= high:
        raise InputError(f"{where}.{key} must lie in [{low:g}, {high:g}]{(' ' + unit) if unit else ''}, got {v:g}")
    return v


def vector3(table: dict, key: str, where: str, default=...) -> list[float]:
    """A list of three numbers (e.g. a force in N)."""
    v = value(table, key, list, where, default)
    if v is default:
        return v
    if len(v) != 3 or not all(isinstance(x, Real) and not isinstance(x, bool) and math.isfinite(x) for x in v):
        raise InputError(f"{where}.{key}: expected three finite numbers [x, y, z], got {v!r}")
    return [float(x) for x in v]
