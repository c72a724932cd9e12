"""Patch tests (MacNeal & Harder, Finite Elem. Anal. Des. 1, 1985): a linear displacement field imposed on the
boundary of an irregular tet4 / tet10 mesh is reproduced exactly inside, with the exact constant stress."""

import numpy as np

from ..fem import post
from ..fem.assembly import StiffnessAssembler
from ..fem.basis import cell_basis
from ..fem.constraints import Dirichlet, constrained_matrix, constrained_rhs
from ..laws import isotropic
from ..fem.solvers import DirectSolver
from ..mesh import Mesh, elevate_to_tet10
from ..mesh.box import box_mesh
from .registry import Check, case

E_MPA, NU = 1.0e6, 0.25
A = 1e-3 * np.array([[2, 1, 1], [1, 2, 1], [1, 1, 2]]) / 2.0  # u = A x (mm)
EXACT_STRESS_MPA = np.array([2000, 2000, 2000, 400, 400, 400.0])  # C : sym(A), Voigt


def distorted_cube(order: int) -> Mesh:
    """Unit cube, 3x3x3 hexes of 6 tets, interior nodes moved irregularly (deterministic)."""
    mesh = box_mesh((3, 3, 3), (1, 1, 1), order=1)
    x = mesh.nodes_mm.copy()
    interior = np.all((x > 1e-9) & (x < 1 - 1e-9), axis=1)
    x[interior] += np.random.default_rng(7).uniform(-0.1, 0.1, (interior.sum(), 3))
    mesh = Mesh(x, mesh.cells, mesh.region, mesh.region_names, {}, mesh.facet_sets)
    return elevate_to_tet10(mesh) if order == 2 else mesh


def assembled(mesh: Mesh):
    """Basis, per-cell stiffness D (c, 6, 6) and K of the patch material."""
    basis = cell_basis(mesh)
    D = np.broadcast_to(isotropic(E_MPA, NU), (mesh.n_cells, 6, 6))
    return basis, D, StiffnessAssembler(basis)(D)


def solve_with_boundary_field(mesh: Mesh, K):
    """Impose u = A x on the cube's boundary nodes; return computed and exact displacements (3 n,)."""
    x = mesh.nodes_mm
    boundary = np.flatnonzero(np.any((x < 1e-9) | (x > 1 - 1e-9), axis=1))
    exact = (x @ A.T).ravel()
    dofs = (3 * boundary[:, None] + np.arange(3)).ravel()
    bc = Dirichlet(dofs, exact[dofs])
    u = DirectSolver(constrained_matrix(K, dofs, 1.0e6)).solve(constrained_rhs(K, np.zeros(len(exact)), bc, 1.0e6))
    return u, exact


def patch_checks(order: int) -> list[Check]:
    mesh = distorted_cube(order)
    basis, D, K = assembled(mesh)
    u, exact = solve_with_boundary_field(mesh, K)
    _, stress = post.strain_stress(basis, D, u)
    name = f"patch_tet{4 if order == 1 else 10}"
    return [Check(name, "max |u - A x| (mm)", 0.0, float(np.abs(u - exact).max()), 1e-13, relative=False),
            Check(name, "max |sigma - C:A| (MPa)", 0.0, float(np.abs(stress - EXACT_STRESS_MPA).max()), 2e-5,
                  relative=False)]


@case("patch_tet4")
def patch_tet4(work_dir) -> list[Check]:
    return patch_checks(1)


@case("patch_tet10")
def patch_tet10(work_dir) -> list[Check]:
    return patch_checks(2)
