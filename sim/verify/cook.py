"""Cook's membrane at finite strain, compressible and in plane strain: the problem of Miehe (1994, Int J Numer
Meth Eng 37:1981-2004, fig. 5, plotted only), with the converged value tabulated by Pelteret & McBride (2016,
the deal.II code gallery "Quasi-Static Finite-Strain Compressible Elasticity", doi:10.5281/zenodo.1228964,
table as corrected in 2021 to Miehe's evaluation point); geometry after Cook (1974).

A tapered panel with corners (0, 0), (48, 44), (48, 60), (0, 44) mm, 1 mm thick (z from -0.5 to 0.5) and in
plane strain (u_z = 0), clamped at x = 0; its end face x = 48 carries a uniform dead traction of total force
1 N along +y. Law: W = mu/2 (I1_bar - 3) + kappa/4 (J^2 - 1 - 2 ln J), mu = 0.4225 MPa, nu = 0.3,
kappa = 2 mu (1 + nu) / (3 (1 - 2 nu)). Published converged vertical displacement of the end face's midpoint
(48, 52) mm: 14.74 mm (Q2 hexahedra with 32 and with 64 elements per edge; 14.71 at 8, 14.73 at 16).
"""

from dataclasses import replace

import numpy as np

from ..fem.constraints import Dirichlet
from ..laws import Ogden
from ..laws.tensors import outer, sym_product
from ..mesh import elevate_to_tet10
from ..mesh.box import box_mesh
from ..model import BoundarySpec, LoadSpec
from ..model.finite import FiniteProblem

TIP_DISPLACEMENT_MM = 14.74  # Pelteret & McBride 2016, Q2, 32 and 64 elements per edge
MU_MPA, NU = 0.4225, 0.3
KAPPA_MPA = 2 * MU_MPA * (1 + NU) / (3 * (1 - 2 * NU))


class CookNeoHookean(Ogden):
    """The reference's law: one-term Ogden with alpha = 2 (mu/2 (I1_bar - 3)) with the volumetric energy
    kappa/4 (J^2 - 1 - 2 ln J) in place of Ogden's K/2 (ln J)^2."""

    def __init__(self):
        super().__init__({"mu_MPa": (MU_MPA,), "alpha": (2.0,), "K_MPa": KAPPA_MPA}, "Cook's membrane")

    def stress_tangent(self, F):
        S, tangent = super().stress_tangent(F)
        C_inv = np.linalg.inv(np.swapaxes(F, -1, -2) @ F)
        J = np.linalg.det(F)[..., None, None]
        # S_vol = J U'(J) C^-1: K ln J C^-1 (Ogden's), kappa/2 (J^2 - 1) C^-1 (the reference's)
        S = S + (KAPPA_MPA / 2 * (J**2 - 1) - KAPPA_MPA * np.log(J)) * C_inv
        J4 = J[..., None, None]
        tangent = tangent + (KAPPA_MPA * (J4**2 - 1) * outer(C_inv, C_inv)
                             - (KAPPA_MPA * (J4**2 - 1) - 2 * KAPPA_MPA * np.log(J4)) * sym_product(C_inv))
        return S, tangent


def membrane_mesh(n: int):
    """tet10 mesh of the panel: n x n x 1 hexes (6 tets each) mapped onto the trapezoid, straight edges."""
    box = box_mesh((n, n, 1), lengths_mm=(48.0, 44.0, 1.0), origin_mm=(0.0, 0.0, -0.5))
    x, y = box.nodes_mm[:, 0], box.nodes_mm[:, 1]
    theta = y / 44.0
    nodes = box.nodes_mm.copy()
    nodes[:, 1] = (1 - theta) * 44.0 * x / 48.0 + theta * (44.0 + 16.0 * x / 48.0)
    return elevate_to_tet10(replace(box, nodes_mm=nodes))


def tip_displacement_mm(n: int, increments: int = 2) -> float:
    """Vertical displacement (mm) of the end face's midpoint (48, 52) on the n x n mesh."""
    mesh = membrane_mesh(n)
    problem = FiniteProblem(mesh, {"domain": CookNeoHookean()}, [BoundarySpec("xmin", {0: 0.0, 1: 0.0, 2: 0.0})],
                            increments=increments)
    z_dofs = 3 * np.arange(mesh.n_nodes) + 2  # plane strain
    dofs = np.union1d(problem.bc.dofs, z_dofs)
    problem.bc = Dirichlet(dofs, np.zeros(len(dofs)))
    u = problem.solve(problem.load_vector(LoadSpec("xmax", force_N=(0.0, 1.0, 0.0)))).reshape(-1, 3)
    tip = np.flatnonzero(np.isclose(mesh.nodes_mm[:, 0], 48.0) & np.isclose(mesh.nodes_mm[:, 1], 52.0))
    if len(tip) == 0:
        raise ValueError(f"no node at (48, 52) on the {n} x {n} mesh: n must be even")
    return float(u[tip, 1].mean())
