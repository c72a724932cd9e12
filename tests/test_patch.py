"""Patch tests (MacNeal & Harder 1985): the verification cases sim.verify.patch, and a check that they can fail."""

import numpy as np
import pytest

from sim.verify import run
from sim.verify.patch import assembled, distorted_cube, solve_with_boundary_field


@pytest.mark.parametrize("name", ["patch_tet4", "patch_tet10"])
def test_displacement_patch_test(name):
    failed = [c for c in run(name) if not c.passed]
    assert not failed, failed


def test_patch_test_detects_a_wrong_stiffness():
    """Perturb one stiffness column: the interior no longer reproduces the linear field."""
    mesh = distorted_cube(1)
    _, _, K = assembled(mesh)
    K.data[K.indices == 3 * 21] *= 1.01
    u, exact = solve_with_boundary_field(mesh, K)
    assert np.abs(u - exact).max() > 1e-8
