"""fields.vtu content on a homogeneous field u = A x (exact for tet4 and tet10): stress and strain tensors at
nodes and cells, principal values and directions, region and set masks, read back with meshio. (The Lamé
cylinder checks the tensors against a varying closed-form field: sim.verify.benchmarks.lame_cylinder.)"""

import meshio
import numpy as np
import pytest

from sim.mesh import Mesh
from sim.mesh.box import box_mesh
from sim.model import BoundarySpec, Problem
from sim.model.output import write_solution
from sim.verify.patch import A, E_MPA, EXACT_STRESS_MPA, NU


@pytest.mark.parametrize("order", [1, 2])
def test_tensors_principal_axes_and_masks(tmp_path, order):
    box = box_mesh((2, 2, 2), (1.0, 1.0, 1.0), order=order)
    upper = (box.nodes_mm[box.cells[:, :4], 2].mean(axis=1) > 0.5).astype(int)
    mesh = Mesh(box.nodes_mm, box.cells, upper, {0: "bone", 1: "cement"}, {"corner": np.array([0])}, box.facet_sets)
    material = {"E_MPa": E_MPA, "nu": NU}
    problem = Problem(mesh, {"bone": material, "cement": material}, [BoundarySpec("zmin", {0: 0.0, 1: 0.0, 2: 0.0})])
    u = (mesh.nodes_mm @ A.T).ravel()
    write_solution(tmp_path, problem, u, np.zeros_like(u))
    out = meshio.read(tmp_path / "fields.vtu")
    sigma = EXACT_STRESS_MPA[[0, 5, 4, 5, 1, 3, 4, 3, 2]]  # Voigt xx yy zz yz xz xy -> row-major 3x3
    eps = 0.5 * (A + A.T)
    for data in (out.point_data, {k: v[0] for k, v in out.cell_data.items()}):
        assert data["stress"].shape[1] == 9 and np.abs(data["stress"] - sigma).max() < 1e-8
        assert np.abs(data["strain"] - eps.ravel()).max() < 1e-14
        # sigma = 2000 I + 400 (ones - I): 2800 along (1, 1, 1), 1600 twice across it
        assert np.allclose(data["max_principal"], 2800.0) and np.allclose(data["min_principal"], 1600.0)
        assert np.allclose(np.abs(data["max_principal_direction"] @ np.ones(3)), np.sqrt(3.0))
        assert np.allclose(data["min_principal_direction"] @ np.ones(3), 0.0, atol=1e-9)
    assert np.array_equal(out.cell_data["region"][0], upper)
    assert np.array_equal(out.cell_data["region:cement"][0], upper)
    assert np.array_equal(np.flatnonzero(out.point_data["set:corner"]), [0])
    zmin = np.unique(mesh.facet_sets["zmin"])
    assert np.array_equal(np.flatnonzero(out.point_data["set:zmin"]), zmin)
