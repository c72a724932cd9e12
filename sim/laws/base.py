"""The material-law interface: a law checks its constants once, on construction, and then provides

    D                       small-strain stiffness (6, 6) in MPa, Voigt order xx yy zz yz xz xy;
    stress_tangent(F)       for finite strain: the second Piola-Kirchhoff stress S (..., 3, 3) in MPa and
                            its material tangent dS/dE (..., 3, 3, 3, 3) in MPa at deformation gradients
                            F (..., 3, 3), vectorized over any leading (cell, quadrature point) axes.

Errors raise InputError "<where> <key>: <what>", where `where` names the card or model-file table.
"""

import math

import numpy as np

from ..errors import InputError, nearest
from ..schema import check_keys

LAWS: dict[str, type] = {}  # registry: model name -> law class


def register(cls):
    LAWS[cls.model] = cls
    return cls


class Law:
    """Base of all laws. Subclasses set `model`, `keys` (scalar constants), `list_keys` (lists of 1-3)."""

    model = ""
    keys: tuple = ()
    list_keys: tuple = ()

    def __init__(self, constants: dict, where: str = "material"):
        self.where = where
        self.constants = dict(constants)
        self.check()

    @property
    def params(self) -> dict:
        """The law as plain data: {"model": ..., constants...} (what a card or model table holds)."""
        return {"model": self.model} | {k: (list(v) if isinstance(v, (list, tuple)) else v)
                                        for k, v in self.constants.items()}

    def fail(self, key: str, message: str):
        raise InputError(f"{self.where} {key}: {message}")

    def check(self) -> None:
        """Raise InputError unless the constants define a stable law."""

    @property
    def D(self) -> np.ndarray:
        raise NotImplementedError

    def stress_tangent(self, F: np.ndarray):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({self.params})"


def number(where: str, key: str, value) -> float:
    """A finite float; booleans and strings are errors."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"{where} {key}: expected a finite number, got {value!r}")
    return float(value)


def numbers(where: str, key: str, value) -> tuple:
    """A list of 1 to 3 finite floats."""
    if not isinstance(value, (list, tuple)) or not 1 <= len(value) <= 3:
        raise InputError(f"{where} {key}: must be a list of 1 to 3 numbers, got {value!r}")
    return tuple(number(where, key, v) for v in value)


def make_law(table: dict, where: str, placed: bool = True) -> Law:
    """The law of a material table ({"model": name, constants..., "axis" for an oriented law}).

    Unknown, missing and non-numeric keys are errors. placed=True (a model file, a solve): an oriented law
    needs its axis; placed=False (a material card): the axis is not the card's business.
    """
    if isinstance(table, Law):
        return table
    model = table.get("model", "isotropic")
    if model not in LAWS:
        raise InputError(f"{where} model: must be one of {', '.join(LAWS)}, got {model!r}"
                         f"{nearest(str(model), LAWS)}")
    cls = LAWS[model]
    extra = ("axis",) if getattr(cls, "oriented", False) else ()
    allowed = ("model",) + cls.keys + cls.list_keys + extra
    check_keys(table, allowed, where)
    for key in cls.keys + cls.list_keys:
        if key not in table:
            raise InputError(f"{where} {key}: missing (a {model} law needs {', '.join(cls.keys + cls.list_keys)})")
    constants = {k: number(where, k, table[k]) for k in cls.keys}
    constants |= {k: numbers(where, k, table[k]) for k in cls.list_keys}
    if extra:
        return cls(constants, where, axis=_axis(table, where, placed))
    return cls(constants, where)


def _axis(table: dict, where: str, placed: bool):
    """The unit symmetry axis (3,) of an oriented law, or None for an unplaced card."""
    if "axis" not in table:
        if placed:
            raise InputError(f"{where} axis: missing: a transversely isotropic law needs its symmetry (fibre) "
                             "axis = [x, y, z] in the model's frame; there is no default")
        return None
    axis = table["axis"]
    if (not isinstance(axis, (list, tuple)) or len(axis) != 3
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in axis)):
        raise InputError(f"{where} axis: expected three finite numbers [x, y, z], got {axis!r}")
    a = np.array(axis, float)
    if not np.linalg.norm(a) > 0:
        raise InputError(f"{where} axis: must not be the zero vector")
    return a / np.linalg.norm(a)
