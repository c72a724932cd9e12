"""Linear-elastic laws: small-strain stiffness D (Voigt xx yy zz yz xz xy, engineering shear, MPa); under
finite strain the same constants give Saint Venant-Kirchhoff, S = D : E with E the Green-Lagrange strain."""

import numpy as np

from .base import Law, register
from .tensors import I3, VOIGT, from_voigt_stress, tensor4, voigt_strain


class LinearLaw(Law):
    """A law with a constant D; stress_tangent is Saint Venant-Kirchhoff."""

    def stress_tangent(self, F: np.ndarray):
        E = 0.5 * (np.swapaxes(F, -1, -2) @ F - I3)
        D = self.D
        S = from_voigt_stress(voigt_strain(E) @ D.T)
        return S, np.broadcast_to(tensor4(D), F.shape[:-2] + (3, 3, 3, 3))

    def check_positive_definite(self, keys: str) -> None:
        """The one stability rule of a linear law: its stiffness is positive definite."""
        w = np.linalg.eigvalsh(self._local_D())
        if not w.min() > 1e-12 * w.max():
            self.fail(keys, f"the constants {self._summary()} give a stiffness that is not positive definite "
                      "(an unstable material)")

    def _summary(self) -> str:
        return ", ".join(f"{k}={v:g}" for k, v in self.constants.items())


@register
class Isotropic(LinearLaw):
    """Isotropic: E_MPa > 0 and -1 < nu < 0.5 (the same as a positive-definite D)."""

    model = "isotropic"
    keys = ("E_MPa", "nu")

    def check(self):
        check_young_poisson(self)

    def _local_D(self):
        return isotropic(self.constants["E_MPa"], self.constants["nu"])

    @property
    def D(self):
        return self._local_D()


@register
class TransverselyIsotropic(LinearLaw):
    """Transversely isotropic about a unit `axis` (model frame): moduli > 0 and a positive-definite stiffness.

    nu_axial = -eps_transverse / eps_axial under axial stress; nu_transverse acts in the isotropic plane;
    G_axial_MPa is the shear modulus of planes containing the axis. The axis has no default: a model file
    states it, an experiment uses the ray's long axis; a material card carries none (axis None).
    """

    model = "transversely_isotropic"
    keys = ("E_axial_MPa", "E_transverse_MPa", "nu_axial", "nu_transverse", "G_axial_MPa")
    oriented = True

    def __init__(self, constants: dict, where: str = "material", axis=None):
        self.axis = None if axis is None else np.asarray(axis, float) / np.linalg.norm(axis)
        super().__init__(constants, where)

    def oriented_along(self, axis) -> "TransverselyIsotropic":
        """The same constants with symmetry axis `axis`."""
        return TransverselyIsotropic(self.constants, self.where, axis)

    @property
    def params(self) -> dict:
        return super().params | ({} if self.axis is None else {"axis": self.axis.tolist()})

    def check(self):
        for key in ("E_axial_MPa", "E_transverse_MPa", "G_axial_MPa"):
            if not self.constants[key] > 0:
                self.fail(key, f"must be > 0, got {self.constants[key]:g}")
        self.check_positive_definite("nu_axial, nu_transverse")

    def _local_D(self):
        return transversely_isotropic_local(**self.constants)

    @property
    def D(self):
        if self.axis is None:
            raise ValueError(f"{self.where}: a transversely isotropic law needs an axis before use")
        return rotate(self._local_D(), frame(self.axis))


def check_young_poisson(law, qualifier: str = "") -> None:
    """E_MPa > 0 and -1 < nu < 0.5 among a law's constants; `qualifier` ends the nu message."""
    if not law.constants["E_MPa"] > 0:
        law.fail("E_MPa", f"must be > 0, got {law.constants['E_MPa']:g}")
    if not -1 < law.constants["nu"] < 0.5:
        law.fail("nu", f"must lie in (-1, 0.5){qualifier}, got {law.constants['nu']:g}")


def lame_MPa(E_MPa: float, nu: float) -> tuple[float, float]:
    """Lamé constants (mu, lambda) in MPa of Young's modulus and Poisson's ratio."""
    return E_MPa / (2 * (1 + nu)), E_MPa * nu / ((1 + nu) * (1 - 2 * nu))


def isotropic(E_MPa: float, nu: float) -> np.ndarray:
    """6x6 stiffness of an isotropic material."""
    mu, lam = lame_MPa(E_MPa, nu)
    D = np.zeros((6, 6))
    D[:3, :3] = lam
    D[np.arange(3), np.arange(3)] += 2 * mu
    D[np.arange(3, 6), np.arange(3, 6)] = mu
    return D


def transversely_isotropic_local(E_axial_MPa, E_transverse_MPa, nu_axial, nu_transverse, G_axial_MPa):
    """6x6 stiffness with the symmetry axis as local direction 0 (the inverse of the compliance)."""
    Ea, Et, Ga = E_axial_MPa, E_transverse_MPa, G_axial_MPa
    S = np.zeros((6, 6))
    S[0, 0] = 1 / Ea
    S[1, 1] = S[2, 2] = 1 / Et
    S[0, 1] = S[1, 0] = S[0, 2] = S[2, 0] = -nu_axial / Ea
    S[1, 2] = S[2, 1] = -nu_transverse / Et
    S[3, 3] = 2 * (1 + nu_transverse) / Et
    S[4, 4] = S[5, 5] = 1 / Ga
    return np.linalg.inv(S)


def transversely_isotropic(E_axial_MPa, E_transverse_MPa, nu_axial, nu_transverse, G_axial_MPa,
                           axis) -> np.ndarray:
    """6x6 stiffness with symmetry axis `axis` (global frame)."""
    D = transversely_isotropic_local(E_axial_MPa, E_transverse_MPa, nu_axial, nu_transverse, G_axial_MPa)
    return rotate(D, frame(axis))


def frame(axis) -> np.ndarray:
    """Rotation R (rows = local axes in global coordinates) whose first row is `axis`."""
    a = np.asarray(axis, float)
    a = a / np.linalg.norm(a)
    helper = np.eye(3)[np.argmin(np.abs(a))]
    b = np.cross(a, helper)
    b /= np.linalg.norm(b)
    return np.vstack([a, b, np.cross(a, b)])


def rotate(D_local: np.ndarray, R: np.ndarray) -> np.ndarray:
    """Express a Voigt stiffness given in the local frame R (rows = local axes) in the global frame."""
    Cg = np.einsum("pi,qj,rk,sl,pqrs->ijkl", R, R, R, R, tensor4(D_local))
    return Cg[VOIGT[:, 0], VOIGT[:, 1]][:, VOIGT[:, 0], VOIGT[:, 1]]
