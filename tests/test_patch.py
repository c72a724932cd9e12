"""Patch tests (MacNeal & Harder 1985): a linear field on an irregular mesh is reproduced exactly."""

import numpy as np
import pytest

from sim.fem.constraints import Dirichlet, constrained_matrix, constrained_rhs
from sim.fem.solvers import DirectSolver
from sim.mesh import Mesh
from sim.mesh.box import box_mesh
from sim.fem import post
from sim.fem.assembly import StiffnessAssembler
from sim.fem.basis import cell_basis
from sim.fem.elasticity import isotropic

E, NU = 1.0e6, 0.25
A = 1e-3 * np.array([[2, 1, 1], [1, 2, 1], [1, 1, 2]]) / 2.0  # u = A x


def distorted_cube(order):
    """Unit cube, 3x3x3 hexes, interior nodes moved irregularly (deterministic)."""
    mesh = box_mesh((3, 3, 3), (1, 1, 1), order=1)
    x = mesh.nodes_mm.copy()
    interior = np.all((x > 1e-9) & (x < 1 - 1e-9), axis=1)
    rng = np.random.default_rng(7)
    x[interior] += rng.uniform(-0.1, 0.1, (interior.sum(), 3))
    mesh = Mesh(x, mesh.cells, mesh.region, mesh.region_names, {}, mesh.facet_sets)
    if order == 2:
        from sim.mesh import elevate_to_tet10

        mesh = elevate_to_tet10(mesh)
    return mesh


def assembled(mesh):
    basis = cell_basis(mesh)
    D = np.broadcast_to(isotropic(E, NU), (mesh.n_cells, 6, 6))
    return basis, D, StiffnessAssembler(basis)(D)


def solve_with_boundary_field(mesh, K):
    """Impose u = A x on the cube's boundary nodes; return computed and exact displacements."""
    x = mesh.nodes_mm
    boundary = np.flatnonzero(np.any((x < 1e-9) | (x > 1 - 1e-9), axis=1))
    exact = (x @ A.T).ravel()
    dofs = (3 * boundary[:, None] + np.arange(3)).ravel()
    bc = Dirichlet(dofs, exact[dofs])
    u = DirectSolver(constrained_matrix(K, dofs, 1.0e6)).solve(constrained_rhs(K, np.zeros(len(exact)), bc, 1.0e6))
    return u, exact


@pytest.mark.parametrize("order", [1, 2])
def test_displacement_patch_test(order):
    mesh = distorted_cube(order)
    basis, D, K = assembled(mesh)
    u, exact = solve_with_boundary_field(mesh, K)
    assert np.abs(u - exact).max() < 1e-13
    _, stress = post.strain_stress(basis, D, u)
    expected = np.array([2000, 2000, 2000, 400, 400, 400.0])
    assert np.abs(stress - expected).max() < 1e-8 * 2000


def test_patch_test_detects_a_wrong_stiffness():
    """Perturb one stiffness column: the interior no longer reproduces the linear field."""
    mesh = distorted_cube(1)
    _, _, K = assembled(mesh)
    K.data[K.indices == 3 * 21] *= 1.01
    u, exact = solve_with_boundary_field(mesh, K)
    assert np.abs(u - exact).max() > 1e-8
