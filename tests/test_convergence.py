"""Manufactured solution u = c sin(pi x) sin(pi y) sin(pi z) on the unit cube: L2 error rates ~2 (tet4), ~3 (tet10)."""

import numpy as np
import pytest

from sim.fem.assembly import body_force_vector
from sim.fem.basis import cell_basis
from sim.mesh.box import box_mesh
from sim.model import BoundarySpec, Problem

E, NU = 1000.0, 0.3
LAM, MU = E * NU / ((1 + NU) * (1 - 2 * NU)), E / (2 * (1 + NU))
C = np.array([1.0, -0.5, 0.25]) * 1e-2
FACES = ["xmin", "xmax", "ymin", "ymax", "zmin", "zmax"]


def exact(x):
    phi = np.sin(np.pi * x).prod(axis=-1)
    return phi[..., None] * C


def body_force(x):
    """f = -div sigma = -(mu lap u + (lam + mu) grad div u)."""
    s, c = np.sin(np.pi * x), np.cos(np.pi * x)
    phi = s.prod(axis=-1)
    hess = np.empty(x.shape[:-1] + (3, 3))
    for i in range(3):
        for j in range(3):
            k = 3 - i - j
            hess[..., i, j] = -np.pi**2 * phi if i == j else np.pi**2 * c[..., i] * c[..., j] * s[..., k]
    return -(MU * (-3 * np.pi**2) * phi[..., None] * C + (LAM + MU) * hess @ C)


def l2_error(n, order):
    mesh = box_mesh((n, n, n), order=order)
    problem = Problem(mesh, {"domain": {"E_MPa": E, "nu": NU}}, [BoundarySpec(f, {0: 0.0, 1: 0.0, 2: 0.0}) for f in FACES])
    fine = cell_basis(mesh, degree=6)
    u = problem.solve(body_force_vector(fine, body_force(fine.x_cqi)))
    u_q = np.einsum("qa,cai->cqi", fine.N_qa, u.reshape(-1, 3)[mesh.cells])
    return np.sqrt((((u_q - exact(fine.x_cqi)) ** 2).sum(axis=-1) * fine.dV_cq).sum())


@pytest.mark.parametrize("order, sizes, rate", [(1, (4, 8, 16), 2.0), (2, (2, 4, 8), 3.0)])
def test_l2_convergence_rate(order, sizes, rate):
    errors = [l2_error(n, order) for n in sizes]
    slope = np.polyfit(np.log(1.0 / np.array(sizes)), np.log(errors), 1)[0]
    last = np.log(errors[-2] / errors[-1]) / np.log(2)
    assert slope == pytest.approx(rate, abs=0.3)
    assert last == pytest.approx(rate, abs=0.2)
