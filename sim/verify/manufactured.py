"""Manufactured solution u = c sin(pi x) sin(pi y) sin(pi z) on the unit cube (mm), with the body force
f = -div sigma(u) and u = 0 on the boundary: L2 displacement error rates ~2 (tet4) and ~3 (tet10)."""

import numpy as np

from ..fem.assembly import body_force_vector
from ..fem.basis import cell_basis
from ..mesh.box import box_mesh
from ..model import BoundarySpec, Problem
from .registry import Check, case

E_MPA, NU = 1000.0, 0.3
LAM, MU = E_MPA * NU / ((1 + NU) * (1 - 2 * NU)), E_MPA / (2 * (1 + NU))
C_MM = np.array([1.0, -0.5, 0.25]) * 1e-2
FACES = ["xmin", "xmax", "ymin", "ymax", "zmin", "zmax"]
REFINEMENTS = {1: (4, 8, 16), 2: (2, 4, 8)}  # hexes per side
RATES = {1: 2.0, 2: 3.0}


def exact(x):
    """u (..., 3) in mm at points x (..., 3)."""
    return np.sin(np.pi * x).prod(axis=-1)[..., None] * C_MM


def body_force(x):
    """f = -div sigma = -(mu lap u + (lam + mu) grad div u), N/mm^3."""
    s, c = np.sin(np.pi * x), np.cos(np.pi * x)
    phi = s.prod(axis=-1)
    hess = np.empty(x.shape[:-1] + (3, 3))
    for i in range(3):
        for j in range(3):
            k = 3 - i - j
            hess[..., i, j] = -np.pi**2 * phi if i == j else np.pi**2 * c[..., i] * c[..., j] * s[..., k]
    return -(MU * (-3 * np.pi**2) * phi[..., None] * C_MM + (LAM + MU) * hess @ C_MM)


def l2_error(n: int, order: int) -> float:
    """L2 norm (mm^2.5) of u_h - u on an n x n x n cube of tets, integrated with a degree-6 rule."""
    mesh = box_mesh((n, n, n), order=order)
    problem = Problem(mesh, {"domain": {"E_MPa": E_MPA, "nu": NU}},
                      [BoundarySpec(f, {0: 0.0, 1: 0.0, 2: 0.0}) for f in FACES])
    fine = cell_basis(mesh, degree=6)
    u = problem.solve(body_force_vector(fine, body_force(fine.x_cqi)))
    u_q = np.einsum("qa,cai->cqi", fine.N_qa, u.reshape(-1, 3)[mesh.cells])
    return float(np.sqrt((((u_q - exact(fine.x_cqi)) ** 2).sum(axis=-1) * fine.dV_cq).sum()))


def rate_checks(order: int) -> list[Check]:
    sizes = np.array(REFINEMENTS[order])
    errors = [l2_error(n, order) for n in sizes]
    slope = np.polyfit(np.log(1.0 / sizes), np.log(errors), 1)[0]
    last = np.log(errors[-2] / errors[-1]) / np.log(sizes[-1] / sizes[-2])
    name = f"manufactured_tet{4 if order == 1 else 10}"
    return [Check(name, f"L2 rate, fit over n = {', '.join(map(str, sizes))}", RATES[order], float(slope), 0.3,
                  relative=False),
            Check(name, f"L2 rate, n = {sizes[-2]} -> {sizes[-1]}", RATES[order], float(last), 0.2, relative=False)]


@case("manufactured_tet4")
def manufactured_tet4(work_dir) -> list[Check]:
    return rate_checks(1)


@case("manufactured_tet10")
def manufactured_tet10(work_dir) -> list[Check]:
    return rate_checks(2)
