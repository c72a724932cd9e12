"""Structural benchmarks against closed-form solutions (references in shared verification notes:
Timoshenko/Cowper tube, springs in series, Lame cylinder)."""

import numpy as np
import pytest

import gmsh_shapes
from sim.fem import post
from sim.mesh import Mesh, read_mesh
from sim.mesh.box import box_mesh
from sim.model import BoundarySpec, LoadSpec, Problem

FIX_ALL = {0: 0.0, 1: 0.0, 2: 0.0}


def test_hollow_tube_cantilever_matches_timoshenko(tmp_path):
    """L=60, Ro=5, Ri=2.5, E=17000, nu=0.3, P=100: Timoshenko with Cowper's k, tet10 within 1 %."""
    L, Ro, Ri, E, nu, P = 60.0, 5.0, 2.5, 17000.0, 0.3, 100.0
    gmsh_shapes.tube(tmp_path / "tube.msh", L, Ro, Ri, size=1.25, order=2)
    mesh = read_mesh(tmp_path / "tube.msh")
    problem = Problem(mesh, {"tube": {"E_MPa": E, "nu": nu}}, [BoundarySpec("base", FIX_ALL)])
    u = problem.solve(problem.load_vector(LoadSpec("tip", force_N=(P, 0.0, 0.0)))).reshape(-1, 3)
    tip = mesh.node_sets["tip"]
    I, A, G, m = np.pi * (Ro**4 - Ri**4) / 4, np.pi * (Ro**2 - Ri**2), E / (2 * (1 + nu)), Ri / Ro
    k = 6 * (1 + nu) * (1 + m**2) ** 2 / ((7 + 6 * nu) * (1 + m**2) ** 2 + (20 + 12 * nu) * m**2)
    timoshenko = P * L**3 / (3 * E * I) + P * L / (k * G * A)
    assert u[tip, 0].mean() == pytest.approx(timoshenko, rel=0.01)
    assert abs(u[tip, 0].mean() - P * L**3 / (3 * E * I)) > 0.01 * timoshenko  # shear deflection is resolved


def two_material_bar(nu):
    """10 x 10 x 40 prism, z < 20 'bone' (E 17000), z > 20 'cement' (E 2500); minimal supports."""
    mesh = box_mesh((3, 3, 8), (10.0, 10.0, 40.0), order=2)
    centroid_z = mesh.nodes_mm[mesh.cells[:, :4], 2].mean(axis=1)
    x = mesh.nodes_mm
    corner = lambda p: np.flatnonzero(np.all(np.isclose(x, p), axis=1))
    mesh = Mesh(x, mesh.cells, (centroid_z > 20).astype(int), {0: "bone", 1: "cement"},
                {"origin": corner([0, 0, 0]), "x_corner": corner([10, 0, 0])}, mesh.facet_sets)
    problem = Problem(mesh, {"bone": {"E_MPa": 17000.0, "nu": nu}, "cement": {"E_MPa": 2500.0, "nu": nu}},
                      [BoundarySpec("zmin", {2: 0.0}), BoundarySpec("origin", {0: 0.0, 1: 0.0}),
                       BoundarySpec("x_corner", {1: 0.0})])
    return mesh, problem


def test_two_materials_in_series_match_spring_formula():
    """k = 1 / (L1/(E1 A) + L2/(E2 A)) = 10 897 N/mm for A = 100, L1 = L2 = 20 (within 0.5 %).

    nu = 0: with nu > 0 the two materials contract laterally by different amounts, the interface
    constrains them and the bar is ~1 % stiffer than the spring formula for this short prism.
    """
    mesh, problem = two_material_bar(0.0)
    F = 1000.0
    f = problem.load_vector(LoadSpec("zmax", force_N=(0.0, 0.0, F)))
    u = problem.solve(f).reshape(-1, 3)
    top = np.unique(mesh.facet_sets["zmax"])
    k = F / u[top, 2].mean()
    assert k == pytest.approx(1.0 / (20 / (17000 * 100) + 20 / (2500 * 100)), rel=0.005)


def test_reactions_balance_applied_loads():
    """Sum of reactions + applied force = 0, and likewise for moments about the origin."""
    mesh, problem = two_material_bar(0.3)
    load = LoadSpec("zmax", force_N=(30.0, -20.0, 500.0), moment_Nmm=(100.0, 50.0, -80.0), point_mm=(5, 5, 40))
    f = problem.load_vector(load)
    u = problem.solve(f)
    reactions = post.reactions(problem.residual(u, f), mesh.nodes_mm, problem.set_dofs)
    force = sum(F for F, _ in reactions.values())
    moment = sum(M for _, M in reactions.values())
    applied_moment = np.array(load.moment_Nmm) + np.cross(load.point_mm, load.force_N)
    assert np.abs(force + load.force_N).max() < 1e-8 * 500
    assert np.abs(moment + applied_moment).max() < 1e-8 * 500 * 40


def test_lame_thick_cylinder_hoop_stress(tmp_path):
    """a=1, b=2, p=100, E=200e3, nu=0.3, plane strain: hoop stress within 2 % at mid-wall, u_r(a)=9.533e-4."""
    a, b, p, E, nu = 1.0, 2.0, 100.0, 200e3, 0.3
    gmsh_shapes.thick_cylinder_quarter(tmp_path / "cyl.msh", a, b, size=0.15, order=2)
    mesh = read_mesh(tmp_path / "cyl.msh")
    problem = Problem(mesh, {"wall": {"E_MPa": E, "nu": nu}},
                      [BoundarySpec("sym_x", {0: 0.0}), BoundarySpec("sym_y", {1: 0.0}), BoundarySpec("ends", {2: 0.0})])
    u = problem.solve(problem.load_vector(LoadSpec("inner", pressure_MPa=p)))
    _, s = post.strain_stress(problem.basis, problem.D_ckl, u)
    x = problem.basis.x_cqi
    r = np.hypot(x[..., 0], x[..., 1])
    c, sn = x[..., 0] / r, x[..., 1] / r
    hoop = s[..., 0] * sn**2 + s[..., 1] * c**2 - 2 * s[..., 5] * sn * c
    A_, B_ = p * a**2 / (b**2 - a**2), p * a**2 * b**2 / (b**2 - a**2)
    mid = np.abs(r - 1.5) < 0.05
    assert np.abs(hoop[mid] / (A_ + B_ / r[mid] ** 2) - 1).max() < 0.02
    nodes = mesh.nodes_mm
    inner = np.abs(np.hypot(nodes[:, 0], nodes[:, 1]) - a) < 1e-9
    ur = np.hypot(*u.reshape(-1, 3)[inner, :2].T)
    assert ur.mean() == pytest.approx((1 + nu) / E * (A_ * (1 - 2 * nu) * a + B_ / a), rel=0.01)


def test_rigid_motion_gives_zero_stress():
    """A small rotation plus translation is strain-free for both element orders."""
    for order in (1, 2):
        mesh = box_mesh((2, 2, 2), (3.0, 2.0, 1.0), order=order)
        problem = Problem(mesh, {"domain": {"E_MPa": 1000.0, "nu": 0.3}}, [BoundarySpec("zmin", FIX_ALL)])
        u = (np.cross([1e-3, -2e-3, 5e-4], mesh.nodes_mm) + [0.1, -0.2, 0.3]).ravel()
        _, s = post.strain_stress(problem.basis, problem.D_ckl, u)
        assert np.abs(s).max() < 1e-10
        assert np.abs(problem.K @ u).max() < 1e-9
