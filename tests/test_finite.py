"""Finite strain (total Lagrangian): homogeneous fields against closed forms, rigid rotation, the tangent
against finite differences, Newton's quadratic convergence, agreement with small strain at small loads."""

import re

import numpy as np
import pytest

from sim.errors import InputError
from sim.fem import post
from sim.fem.basis import cell_basis
from sim.fem.constraints import Dirichlet
from sim.fem.finite import FiniteStrainBody
from sim.laws import make_law
from sim.mesh.box import box_mesh
from sim.model import BoundarySpec, LoadSpec, Problem
from sim.model.finite import FiniteProblem
from sim.solve import SolveFailed
from sim.verify import run

E, NU = 3.0, 0.3
NEO_HOOKE = {"model": "neo_hookean", "E_MPa": E, "nu": NU}


ALL_FACES = [BoundarySpec(f"{a}{s}", {0: 0.0, 1: 0.0, 2: 0.0}) for a in "xyz" for s in ("min", "max")]


def prescribe_all_boundary(problem, motion):
    """Hold every boundary node (the problem was built with ALL_FACES fixed) at u = motion(X) (mm)."""
    dofs = problem.bc.dofs
    problem.bc = Dirichlet(dofs, motion(problem.mesh.nodes_mm[dofs // 3])[np.arange(len(dofs)), dofs % 3])


@pytest.mark.parametrize("name", ["finite_uniaxial_stretch", "finite_simple_shear"])
def test_homogeneous_fields_match_the_closed_forms(name):
    """The verification cases sim.verify.finite: uniaxial stretch 1.5 (lateral stretch, force, Cauchy stress,
    J, Green-Lagrange strain) and simple shear 0.5 (Cauchy stress, J = 1)."""
    failed = [c for c in run(name) if not c.passed]
    assert not failed, failed


def test_rigid_rotation_by_90_degrees_is_stress_free_only_under_finite_strain():
    mesh = box_mesh((2, 2, 2), order=1)
    R = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])  # 90 degrees about z
    finite = FiniteProblem(mesh, {"domain": NEO_HOOKE}, ALL_FACES, increments=4)
    prescribe_all_boundary(finite, lambda X: X @ R.T - X)
    sigma, _, _ = finite.body.stresses(finite.solve(np.zeros(finite.n_dofs)))
    assert np.abs(sigma).max() < 1e-9 * E
    small = Problem(mesh, {"domain": NEO_HOOKE}, ALL_FACES)
    prescribe_all_boundary(small, lambda X: X @ R.T - X)
    u = small.solve(np.zeros(small.n_dofs))
    _, stress = post.strain_stress(small.basis, small.D_ckl, u)
    assert np.abs(stress).max() > 0.5 * E  # the linear strain of a rotation is -1 in x and y


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("table", [NEO_HOOKE, {"model": "ogden", "mu_MPa": [0.5, -0.1], "alpha": [3.0, -2.0],
                                               "K_MPa": 4.0},
                                   {"model": "transversely_isotropic", "E_axial_MPa": 17.0,
                                    "E_transverse_MPa": 11.5, "nu_axial": 0.46, "nu_transverse": 0.58,
                                    "G_axial_MPa": 3.28, "axis": [1.0, 2.0, 0.5]}])
def test_tangent_is_the_derivative_of_the_residual(order, table):
    mesh = box_mesh((2, 1, 1), order=order)
    body = FiniteStrainBody(cell_basis(mesh), {0: make_law(table, "test")})
    rng = np.random.default_rng(3)
    u = 0.03 * rng.standard_normal(3 * mesh.n_nodes)
    r, K = body.residual_tangent(u)
    du, h = rng.standard_normal(len(u)), 1e-6
    fd = (body.residual_tangent(u + h * du)[0] - body.residual_tangent(u - h * du)[0]) / (2 * h)
    assert np.abs(K @ du - fd).max() < 1e-7 * np.abs(fd).max()
    assert abs(K - K.T).max() < 1e-12 * abs(K).max()


@pytest.mark.parametrize("order", [1, 2])
def test_neo_hookean_spatial_form_equals_the_generic_material_form(order):
    """finite_spatial.py (the neo-Hookean fast path) against the generic path fed the same law's S and dS/dE."""
    mesh = box_mesh((2, 1, 1), order=order)
    law = make_law(NEO_HOOKE, "test")

    class Generic:  # not a NeoHookean instance, so the body takes the generic path
        stress_tangent = staticmethod(law.stress_tangent)

    A = np.array([[1.3, 0.4, 0.0], [-0.2, 0.9, 0.1], [0.0, 0.3, 1.1]])  # a large homogeneous deformation...
    X = mesh.nodes_mm
    u = (X @ A.T - X).ravel() + 0.02 * np.random.default_rng(5).standard_normal(3 * mesh.n_nodes)  # ...and noise
    f_spatial, K_spatial = FiniteStrainBody(cell_basis(mesh), {0: law}).residual_tangent(u)
    f_generic, K_generic = FiniteStrainBody(cell_basis(mesh), {0: Generic()}).residual_tangent(u)
    assert np.linalg.norm(f_spatial - f_generic) < 1e-12 * np.linalg.norm(f_generic)
    assert abs(K_spatial - K_generic).max() < 1e-12 * abs(K_generic).max()


def cantilever(order=2):
    mesh = box_mesh((4, 1, 1), lengths_mm=(4.0, 1.0, 1.0), order=order)
    return mesh, [BoundarySpec("xmin", {0: 0.0, 1: 0.0, 2: 0.0})]


def test_newton_converges_quadratically_on_a_bending_cantilever():
    mesh, bcs = cantilever()
    problem = FiniteProblem(mesh, {"domain": NEO_HOOKE}, bcs, increments=1)
    f = problem.load_vector(LoadSpec("xmax", force_N=(0.0, 0.0, -0.3)))
    problem.solve(f)
    norms = np.array(problem.last.residuals_N[-1])
    assert norms[-1] < 1e-8 * np.abs(f).sum()
    rates = np.log(norms[2:] / norms[1:-1]) / np.log(norms[1:-1] / norms[:-2])
    assert rates[-1] > 1.8, norms  # e_{k+1} ~ C e_k^2


def test_small_load_finite_equals_small_to_the_order_of_the_strain():
    """The difference is of the order of the displacement gradient (strain and rotation) and first order in
    the load: ten times the load, ten times the relative difference."""
    mesh, bcs = cantilever()
    small = Problem(mesh, {"domain": NEO_HOOKE}, bcs)
    finite = FiniteProblem(mesh, {"domain": NEO_HOOKE}, bcs)
    differences = []
    for force in (1e-4, 1e-3):
        f = small.load_vector(LoadSpec("xmax", force_N=(-force, 0.0, -force)))
        u_small, u_finite = small.solve(f), finite.solve(f)
        gradient = np.abs(np.einsum("cqaj,cai->cqij", small.basis.grad_cqai,
                                    u_small.reshape(-1, 3)[mesh.cells])).max()
        differences.append(np.linalg.norm(u_finite - u_small) / np.linalg.norm(u_small))
        assert differences[-1] < 2 * gradient
    assert 8 < differences[1] / differences[0] < 12


def test_inversion_cuts_back_then_fails_in_one_line_naming_increment_region_and_cell():
    """A face pushed through the opposite one: no equilibrium without J <= 0. Saint Venant-Kirchhoff (a
    linear law under finite strain) has a finite energy at J = 0, so its elements can be pushed through."""
    mesh = box_mesh((1, 1, 1), order=1)
    bcs = [BoundarySpec("xmin", {0: 0.0, 1: 0.0, 2: 0.0}), BoundarySpec("xmax", {0: -1.5})]
    problem = FiniteProblem(mesh, {"domain": {"E_MPa": E, "nu": NU}}, bcs)
    with pytest.raises(SolveFailed) as err:
        problem.solve(np.zeros(problem.n_dofs))
    message = str(err.value)
    assert "\n" not in message and re.search(r"^increment \d+ .*cell \d+ in region 'domain' is inverted", message)
    assert isinstance(err.value, InputError)
