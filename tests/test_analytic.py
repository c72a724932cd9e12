"""Structural benchmarks against closed-form solutions: the verification cases of sim.verify (tube against
Timoshenko/Cowper, springs in series, Lamé cylinder read back from fields.vtu, NAFEMS LE10), reactions and
rigid motions."""

import numpy as np
import pytest

from sim.fem import post
from sim.mesh.box import box_mesh
from sim.model import BoundarySpec, LoadSpec, Problem
from sim.verify import run
from sim.verify.benchmarks import two_material_bar

FIX_ALL = {0: 0.0, 1: 0.0, 2: 0.0}


@pytest.mark.parametrize("name", ["tube_timoshenko", "series_springs", "lame_cylinder", "nafems_le10"])
def test_benchmark_matches_its_reference(name, tmp_path):
    checks = run(name, tmp_path)
    failed = [c for c in checks if not c.passed]
    assert checks and not failed, failed


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


def test_rigid_motion_gives_zero_stress():
    """A small rotation plus translation is strain-free for both element orders."""
    for order in (1, 2):
        mesh = box_mesh((2, 2, 2), (3.0, 2.0, 1.0), order=order)
        problem = Problem(mesh, {"domain": {"E_MPa": 1000.0, "nu": 0.3}}, [BoundarySpec("zmin", FIX_ALL)])
        u = (np.cross([1e-3, -2e-3, 5e-4], mesh.nodes_mm) + [0.1, -0.2, 0.3]).ravel()
        _, s = post.strain_stress(problem.basis, problem.D_ckl, u)
        assert np.abs(s).max() < 1e-10
        assert np.abs(problem.K @ u).max() < 1e-9
