"""Linear-elastic stiffness in Voigt form (order xx, yy, zz, yz, xz, xy; engineering shear strain), MPa."""

import numpy as np

from ..errors import InputError

_VOIGT = np.array([[0, 0], [1, 1], [2, 2], [1, 2], [0, 2], [0, 1]])

MATERIAL_KEYS = {
    "isotropic": ("E_MPa", "nu"),
    "transversely_isotropic": ("E_axial_MPa", "E_transverse_MPa", "nu_axial", "nu_transverse", "G_axial_MPa"),
}


def isotropic(E_MPa: float, nu: float) -> np.ndarray:
    """6x6 stiffness of an isotropic material."""
    lam = E_MPa * nu / ((1 + nu) * (1 - 2 * nu))
    mu = E_MPa / (2 * (1 + nu))
    D = np.zeros((6, 6))
    D[:3, :3] = lam
    D[np.arange(3), np.arange(3)] += 2 * mu
    D[np.arange(3, 6), np.arange(3, 6)] = mu
    return D


def transversely_isotropic(E_axial_MPa, E_transverse_MPa, nu_axial, nu_transverse, G_axial_MPa,
                           axis=(0.0, 0.0, 1.0)) -> np.ndarray:
    """6x6 stiffness with symmetry axis `axis` (global frame).

    nu_axial = -eps_transverse / eps_axial under axial stress; nu_transverse acts in the isotropic
    plane; G_axial_MPa is the shear modulus of planes containing the axis.
    """
    Ea, Et, Ga = E_axial_MPa, E_transverse_MPa, G_axial_MPa
    S = np.zeros((6, 6))  # compliance with the axis as local direction 0
    S[0, 0] = 1 / Ea
    S[1, 1] = S[2, 2] = 1 / Et
    S[0, 1] = S[1, 0] = S[0, 2] = S[2, 0] = -nu_axial / Ea
    S[1, 2] = S[2, 1] = -nu_transverse / Et
    S[3, 3] = 2 * (1 + nu_transverse) / Et
    S[4, 4] = S[5, 5] = 1 / Ga
    return rotate(np.linalg.inv(S), _frame(axis))


def _frame(axis) -> np.ndarray:
    """Rotation R (rows = local axes in global coordinates) whose first row is `axis`."""
    a = np.asarray(axis, float)
    a = a / np.linalg.norm(a)
    helper = np.eye(3)[np.argmin(np.abs(a))]
    b = np.cross(a, helper)
    b /= np.linalg.norm(b)
    return np.vstack([a, b, np.cross(a, b)])


def rotate(D_local: np.ndarray, R: np.ndarray) -> np.ndarray:
    """Express a Voigt stiffness given in the local frame R (rows = local axes) in the global frame."""
    C = np.zeros((3, 3, 3, 3))
    for I, (i, j) in enumerate(_VOIGT):
        for J, (k, l) in enumerate(_VOIGT):
            for p, q in {(i, j), (j, i)}:
                for r, s in {(k, l), (l, k)}:
                    C[p, q, r, s] = D_local[I, J]
    Cg = np.einsum("pi,qj,rk,sl,pqrs->ijkl", R, R, R, R, C)
    return Cg[_VOIGT[:, 0], _VOIGT[:, 1]][:, _VOIGT[:, 0], _VOIGT[:, 1]]


def stiffness(params: dict, where: str) -> np.ndarray:
    """6x6 stiffness from a material dict ({'model': ..., keys in MATERIAL_KEYS}); `where` names it in errors."""
    model = params.get("model", "isotropic")
    if model not in MATERIAL_KEYS:
        raise InputError(f"{where}: unknown material model '{model}'; use one of {', '.join(MATERIAL_KEYS)}")
    missing = [k for k in MATERIAL_KEYS[model] if k not in params]
    if missing:
        raise InputError(f"{where}: {model} material needs {', '.join(missing)}")
    p = {k: float(params[k]) for k in MATERIAL_KEYS[model]}
    for key in (k for k in p if k.endswith("_MPa")):
        if not p[key] > 0:
            raise InputError(f"{where}: {key} must be > 0, got {p[key]:g}")
    for key in (k for k in p if k.startswith("nu")):
        if not -1 < p[key] < 0.5:
            raise InputError(f"{where}: {key} must lie in (-1, 0.5), got {p[key]:g}")
    if model == "isotropic":
        return isotropic(p["E_MPa"], p["nu"])
    D = transversely_isotropic(**p, axis=params.get("axis", (1.0, 0.0, 0.0)))
    if np.linalg.eigvalsh(D).min() <= 0:
        raise InputError(f"{where}: transversely isotropic constants are not positive definite")
    return D
