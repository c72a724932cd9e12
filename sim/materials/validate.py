"""Checks on the tables of a material card; every failure names the file, table and key."""

import math

from ..errors import InputError, nearest
from ..laws import LAWS, make_law
from .card import CONFIDENCE_LEVELS, STRENGTH_KEYS

FATIGUE_REQUIRED = ("law", "coefficient_MPa", "exponent", "life_unit", "R_ratio", "test_condition")
FATIGUE_OPTIONAL = ("defining_points", "endurance_limit_MPa", "derivation")
FATIGUE_SOURCED = ("coefficient_MPa", "exponent", "endurance_limit_MPa")
LIFE_UNITS = ("cycles", "reversals")
DEFINING_POINT_TOLERANCE = 0.01  # relative; the Basquin constants must reproduce their defining points


def fail(path, table: str, key: str, message: str):
    raise InputError(f"{path}: [{table}] {key}: {message}")


def check_keys(path, table: str, values: dict, allowed, required=()):
    """Unknown keys (with a 'did you mean') and missing required keys are errors."""
    if not isinstance(values, dict):
        fail(path, table, "", "must be a table")
    for key in values:
        if key not in allowed:
            fail(path, table, key, f"unknown key{nearest(key, allowed)}; allowed: {', '.join(allowed)}")
    for key in required:
        if key not in values:
            fail(path, table, key, "missing")


def number(path, table: str, key: str, value) -> float:
    """A finite float; booleans and strings are errors."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        fail(path, table, key, f"must be a finite number, got {value!r}")
    return float(value)


def text(path, table: str, key: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        fail(path, table, key, f"must be a non-empty string, got {value!r}")
    return value


def elastic(path, values: dict) -> dict:
    """The [elastic] table as the law's data; the law checks its own constants (sim/laws)."""
    if not isinstance(values, dict):
        fail(path, "elastic", "", "must be a table")
    if "model" not in values:
        fail(path, "elastic", "model", f"missing; one of {', '.join(LAWS)}")
    if "axis" in values:
        fail(path, "elastic", "axis", "a card carries no axis: the model sets it per region")
    return make_law(values, f"{path}: [elastic]", placed=False).params


def strengths(path, values: dict, required: bool) -> dict:
    """Strengths in MPa, all > 0; compressive and tensile required for bone and cement."""
    needed = ("compressive_MPa", "tensile_MPa") if required else ()
    check_keys(path, "strength", values, STRENGTH_KEYS, required=needed)
    out = {k: number(path, "strength", k, v) for k, v in values.items()}
    for key, value in out.items():
        if value <= 0:
            fail(path, "strength", key, f"must be > 0, got {value}")
    return out


def fatigue(path, values: dict) -> dict:
    """A Basquin law stress_amplitude = coefficient * N**exponent, checked against its defining points."""
    check_keys(path, "fatigue", values, FATIGUE_REQUIRED + FATIGUE_OPTIONAL, required=FATIGUE_REQUIRED)
    if values["law"] != "basquin":
        fail(path, "fatigue", "law", f"only 'basquin' is supported, got {values['law']!r}")
    if values["life_unit"] not in LIFE_UNITS:
        fail(path, "fatigue", "life_unit", f"must be one of {', '.join(LIFE_UNITS)}, "
             f"got {values['life_unit']!r}")
    out = dict(values)
    for key in ("coefficient_MPa", "exponent", "R_ratio", "endurance_limit_MPa"):
        if key in values:
            out[key] = number(path, "fatigue", key, values[key])
    text(path, "fatigue", "test_condition", values["test_condition"])
    if out["coefficient_MPa"] <= 0:
        fail(path, "fatigue", "coefficient_MPa", f"must be > 0, got {out['coefficient_MPa']}")
    if not -1.0 < out["exponent"] < 0.0:
        fail(path, "fatigue", "exponent", f"must lie in (-1, 0), got {out['exponent']}")
    if out.get("endurance_limit_MPa", 1.0) <= 0:
        fail(path, "fatigue", "endurance_limit_MPa", "must be > 0")
    if "defining_points" in values:
        out["defining_points"] = _defining_points(path, values["defining_points"], out)
    return out


def _defining_points(path, points, law: dict) -> list:
    """[[N, stress_amplitude_MPa], ...]; the law must pass through each within 1 %."""
    if not isinstance(points, list) or len(points) < 2:
        fail(path, "fatigue", "defining_points", "must be a list of at least two [N, stress_MPa] pairs")
    out = []
    for point in points:
        if not isinstance(point, list) or len(point) != 2:
            fail(path, "fatigue", "defining_points", f"each entry must be [N, stress_MPa], got {point!r}")
        n, s = (number(path, "fatigue", "defining_points", v) for v in point)
        if n <= 0 or s <= 0:
            fail(path, "fatigue", "defining_points", f"N and stress must be > 0, got {point!r}")
        predicted = law["coefficient_MPa"] * n ** law["exponent"]
        if abs(predicted - s) > DEFINING_POINT_TOLERANCE * s:
            fail(path, "fatigue", "defining_points", f"the law gives {predicted:.4g} MPa at N={n:g}, "
                 f"not the defining {s:g} MPa")
        out.append([n, s])
    return out


def sources(path, values: dict, sourced_keys) -> dict:
    """One {ref, confidence, note?} entry per sourced value; none missing, none stale."""
    check_keys(path, "source", values, tuple(sourced_keys))
    for key in sourced_keys:
        if key not in values:
            fail(path, "source", key, f"no source for this value: add [source.{key}] with ref and confidence")
    out = {}
    for key, entry in values.items():
        table = f"source.{key}"
        check_keys(path, table, entry, ("ref", "confidence", "note"), required=("ref", "confidence"))
        text(path, table, "ref", entry["ref"])
        if entry["confidence"] not in CONFIDENCE_LEVELS:
            fail(path, table, "confidence", f"must be one of {', '.join(CONFIDENCE_LEVELS)}, "
                 f"got {entry['confidence']!r}{nearest(str(entry['confidence']), CONFIDENCE_LEVELS)}")
        out[key] = dict(entry)
    return out
