"""Hyperelastic laws, isotropic, as functions of the right Cauchy-Green tensor C = F^T F (stresses in MPa).

neo_hookean (compressible; the form FEBio and felupe call neo-Hookean):
    W = mu/2 (I1 - 3) - mu ln J + lambda/2 (ln J)^2,  mu, lambda the Lame constants of E_MPa, nu.
ogden (1 to 3 terms, deviatoric-volumetric split; the convention of Abaqus and of Erdemir et al. 2006):
    W = sum_p 2 mu_p / alpha_p^2 (lb1^alpha_p + lb2^alpha_p + lb3^alpha_p - 3) + K/2 (ln J)^2,
    lb_i = J^(-1/3) lambda_i the isochoric principal stretches; initial shear modulus mu_0 = sum_p mu_p.
    With one term and alpha = 2 the deviatoric part is mu/2 (I1_bar - 3): neo-Hookean in isochoric motion.
Both linearise at F = I to isotropic elasticity (D), so their cards also serve small-strain solves.
"""

import numpy as np

from .base import Law, register
from .linear import check_young_poisson, isotropic, lame_MPa
from .tensors import I3, outer, sym_product


@register
class NeoHookean(Law):
    """Compressible neo-Hookean: E_MPa > 0, -1 < nu < 0.5 (a compressible law: nu = 0.5 is not allowed)."""

    model = "neo_hookean"
    keys = ("E_MPa", "nu")

    def check(self):
        check_young_poisson(self, " for this compressible law")

    @property
    def lame(self):
        return lame_MPa(self.constants["E_MPa"], self.constants["nu"])

    @property
    def D(self):
        return isotropic(self.constants["E_MPa"], self.constants["nu"])

    def stress_tangent(self, F):
        mu, lam = self.lame
        C = np.swapaxes(F, -1, -2) @ F
        Ci = np.linalg.inv(C)
        lnJ = np.log(np.linalg.det(F))[..., None, None]
        S = mu * (I3 - Ci) + lam * lnJ * Ci
        tangent = lam * outer(Ci, Ci) + 2 * (mu - lam * lnJ[..., None, None]) * sym_product(Ci)
        return S, tangent


@register
class Ogden(Law):
    """Ogden, 1-3 terms: mu_MPa, alpha (lists of equal length), K_MPa > 0; each mu_p alpha_p > 0 (Ogden's
    stability condition), alpha_p != 0."""

    model = "ogden"
    keys = ("K_MPa",)
    list_keys = ("mu_MPa", "alpha")

    def check(self):
        mu, alpha = self.constants["mu_MPa"], self.constants["alpha"]
        if len(mu) != len(alpha):
            self.fail("alpha", f"needs one value per mu_MPa term ({len(mu)}), got {len(alpha)}")
        for p, (m, a) in enumerate(zip(mu, alpha)):
            if not m * a > 0:
                self.fail("mu_MPa", f"term {p + 1}: mu_MPa * alpha must be > 0 for a stable law, got "
                          f"mu_MPa={m:g}, alpha={a:g}")
        if not sum(mu) > 0:
            self.fail("mu_MPa", f"the initial shear modulus sum(mu_MPa) must be > 0, got {sum(mu):g}")
        if not self.constants["K_MPa"] > 0:
            self.fail("K_MPa", f"must be > 0, got {self.constants['K_MPa']:g}")

    @property
    def D(self):
        mu0, K = sum(self.constants["mu_MPa"]), self.constants["K_MPa"]
        E, nu = 9 * K * mu0 / (3 * K + mu0), (3 * K - 2 * mu0) / (2 * (3 * K + mu0))
        return isotropic(E, nu)

    def stress_tangent(self, F):
        C = np.swapaxes(F, -1, -2) @ F
        Ci = np.linalg.inv(C)
        J = np.linalg.det(F)[..., None, None]
        c, N = np.linalg.eigh(C)  # C = N diag(c) N^T
        K = self.constants["K_MPa"]
        S = K * np.log(J) * Ci
        tangent = K * outer(Ci, Ci) - 2 * K * np.log(J)[..., None, None] * sym_product(Ci)
        for mu, alpha in zip(self.constants["mu_MPa"], self.constants["alpha"]):
            # W_p = k (a t - 3), a = J^(-alpha/3), t = tr C^(alpha/2), H = C^(alpha/2 - 1)
            k, beta = 2 * mu / alpha**2, alpha / 2 - 1
            a = J ** (-alpha / 3)
            t = (c ** (alpha / 2)).sum(axis=-1)[..., None, None]
            H = np.einsum("...Ii,...i,...Ji->...IJ", N, c**beta, N)
            S = S + k * alpha * a * (H - t / 3 * Ci)
            a4, t4 = a[..., None, None], t[..., None, None]
            tangent = tangent + 2 * k * alpha * a4 * (
                _power_derivative(c, N, beta) + t4 / 3 * sym_product(Ci)
                - alpha / 6 * (outer(H, Ci) + outer(Ci, H)) + alpha * t4 / 18 * outer(Ci, Ci))
        return S, tangent


def _power_derivative(c: np.ndarray, N: np.ndarray, beta: float) -> np.ndarray:
    """d(C^beta)/dC (..., 3, 3, 3, 3) for symmetric C = N diag(c) N^T (Daleckii-Krein divided differences;
    equal eigenvalues take the derivative beta c^(beta - 1))."""
    ci, cj = c[..., :, None], c[..., None, :]
    close = np.abs(ci - cj) <= 1e-8 * np.maximum(ci, cj)
    mean = 0.5 * (ci + cj)
    gamma = np.where(close, beta * mean ** (beta - 1),
                     (ci**beta - cj**beta) / np.where(close, 1.0, ci - cj))
    return 0.5 * (np.einsum("...ij,...Ii,...Jj,...Ki,...Lj->...IJKL", gamma, N, N, N, N, optimize=True)
                  + np.einsum("...ij,...Ii,...Jj,...Li,...Kj->...IJKL", gamma, N, N, N, N, optimize=True))
