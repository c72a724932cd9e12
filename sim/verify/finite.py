"""Finite-strain closed forms (total Lagrangian, compressible neo-Hookean, E = 3 MPa, nu = 0.3): a uniaxial
stretch of 1.5 with free lateral faces and a simple shear of 0.5, homogeneous fields that tet10 reproduces to
solver precision (Holzapfel, Nonlinear Solid Mechanics, 2000, ch. 6: W = mu/2 (I1 - 3) - mu ln J + lambda/2
(ln J)^2, sigma = mu/J (b - I) + lambda ln J / J I)."""

import numpy as np
from scipy.optimize import brentq

from ..fem.constraints import Dirichlet
from ..mesh.box import box_mesh
from ..model import BoundarySpec
from ..model.finite import FiniteProblem
from .registry import Check, case

E_MPA, NU = 3.0, 0.3
MU, LAM = E_MPA / (2 * (1 + NU)), E_MPA * NU / ((1 + NU) * (1 - 2 * NU))
NEO_HOOKE = {"model": "neo_hookean", "E_MPa": E_MPA, "nu": NU}
ALL_FACES = [BoundarySpec(f"{a}{s}", {0: 0.0, 1: 0.0, 2: 0.0}) for a in "xyz" for s in ("min", "max")]


def uniaxial_stretch_solution(stretch: float = 1.5):
    """(mesh, problem, u (n, 3)) of a 2 x 1 x 1 mm block pulled to `stretch` along x, lateral faces free."""
    mesh = box_mesh((2, 2, 2), lengths_mm=(2.0, 1.0, 1.0), order=2)
    bcs = [BoundarySpec("xmin", {0: 0.0}), BoundarySpec("ymin", {1: 0.0}), BoundarySpec("zmin", {2: 0.0}),
           BoundarySpec("xmax", {0: 2.0 * (stretch - 1)})]
    problem = FiniteProblem(mesh, {"domain": NEO_HOOKE}, bcs, increments=2)
    return mesh, problem, problem.solve(np.zeros(problem.n_dofs)).reshape(-1, 3)


@case("finite_uniaxial_stretch")
def finite_uniaxial_stretch(work_dir) -> list[Check]:
    """Lateral stretch t from sigma_22 = mu (t^2 - 1) + lambda ln(1.5 t^2) = 0; axial force = sigma_11 t^2."""
    stretch = 1.5
    mesh, problem, u = uniaxial_stretch_solution(stretch)
    t = brentq(lambda t: MU * (t**2 - 1) + LAM * np.log(stretch * t**2), 0.5, 1.0)
    J = stretch * t**2
    sigma_11 = MU / J * (stretch**2 - 1) + LAM * np.log(J) / J
    force = problem.residual(u.ravel(), np.zeros(problem.n_dofs))[problem.set_dofs["xmax"]].sum()
    sigma, J_cq, E_cq = problem.body.stresses(u.ravel())
    name = "finite_uniaxial_stretch"
    return [Check(name, "max |u_y - (t - 1) y| (mm)", 0.0, float(np.abs(u[:, 1] - (t - 1) * mesh.nodes_mm[:, 1]).max()),
                  1e-9, relative=False),
            Check(name, "axial force (N) on the current area", sigma_11 * t**2, float(force), 1e-8),
            Check(name, "Cauchy sigma_11 (MPa), max over points", sigma_11, float(sigma[..., 0, 0].max()), 1e-8),
            Check(name, "J, max over points", J, float(J_cq.max()), 1e-9),
            Check(name, "Green-Lagrange E_11", 0.5 * (stretch**2 - 1), float(E_cq[..., 0, 0].max()), 1e-9)]


@case("finite_simple_shear")
def finite_simple_shear(work_dir) -> list[Check]:
    """F = I + gamma e_x (x) e_y on every boundary node: sigma_12 = mu gamma, sigma_11 = mu gamma^2, J = 1."""
    gamma = 0.5
    mesh = box_mesh((2, 2, 2), order=2)
    problem = FiniteProblem(mesh, {"domain": NEO_HOOKE}, ALL_FACES, increments=2)
    dofs = problem.bc.dofs
    X = problem.mesh.nodes_mm[dofs // 3]
    problem.bc = Dirichlet(dofs, np.where(dofs % 3 == 0, gamma * X[:, 1], 0.0))
    sigma, J, _ = problem.body.stresses(problem.solve(np.zeros(problem.n_dofs)))
    expected = np.zeros((3, 3))
    expected[0, 1] = expected[1, 0] = MU * gamma
    expected[0, 0] = MU * gamma**2
    name = "finite_simple_shear"
    return [Check(name, "Cauchy sigma_12 (MPa), max over points", MU * gamma, float(sigma[..., 0, 1].max()), 1e-9),
            Check(name, "Cauchy sigma_11 (MPa), max over points", MU * gamma**2, float(sigma[..., 0, 0].max()), 1e-9),
            Check(name, "max |sigma - closed form| (MPa)", 0.0, float(np.abs(sigma - expected).max()), 1e-9,
                  relative=False),
            Check(name, "max |J - 1|", 0.0, float(np.abs(J - 1.0).max()), 1e-9, relative=False)]
