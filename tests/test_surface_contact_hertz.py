"""Hertz contact with non-matching meshes (Johnson, Contact Mechanics, 1985, ch. 4): an elastic sphere
(R = 2 mm) pressed on an elastic half-space, both E = 1.40625e7 MPa, nu = 0.25, so that
E* = 1 / (2 (1 - nu^2) / E) = 7.5e6 MPa; contact radius a = (3 F R / (4 E*))^(1/3), peak pressure
p0 = 3 F / (2 pi a^2). A quarter model: a spherical cap (tet10, refined at its pole) on a block 1.5 mm
(more than 10 a) wide and deep, meshed independently with a different size; symmetry planes x = 0 and
y = 0, the block's bottom held, the cap's top pushed down (its force is measured, the Hertz figures are
those of that force). The sphere is the slave surface, the block's top the master."""

import math

import gmsh
import numpy as np
import pytest

from newton_harness import LinearBody, newton
from sim.contact.surface_item import SurfaceContact, default_penalty
from sim.mesh import read_mesh
from sim.mesh.merge import merge_bodies
from sim.verify.hertz import cap_mesh
from sim.verify.shapes import faces_at, gmsh_model, write_graded

R, E, NU = 2.0, 1.40625e7, 0.25
E_STAR = 1.0 / (2 * (1 - NU**2) / E)
BLOCK = 1.5


def block_mesh(path, h_contact, fine_radius=0.25, h_far=0.3):
    """Quarter block [0, 1.5] x [0, 1.5] x [-1.5, 0] mm, tet10, refined at the origin. Groups: 'block',
    'sym_x', 'sym_y', 'bottom', 'top'."""
    with gmsh_model() as occ:
        box = occ.addBox(0, 0, -BLOCK, BLOCK, BLOCK, BLOCK)
        corner = occ.addPoint(0, 0, 0)
        occ.synchronize()
        gmsh.model.addPhysicalGroup(3, [box], name="block")
        for name, axis, value in (("sym_x", 0, 0.0), ("sym_y", 1, 0.0), ("bottom", 2, -BLOCK), ("top", 2, 0.0)):
            gmsh.model.addPhysicalGroup(2, faces_at(axis, value), name=name)
        write_graded(path, [corner], h_contact, h_far, fine_radius, BLOCK)


def solve(tmp_path, h_cap, h_block, push_mm=0.009):
    cap_mesh(tmp_path / "cap.msh", h_contact=h_cap, fine_radius=0.25)
    block_mesh(tmp_path / "block.msh", h_block)
    cap, block = read_mesh(tmp_path / "cap.msh"), read_mesh(tmp_path / "block.msh")
    surface = cap.facet_sets["surface"]
    centre = cap.nodes_mm[surface[:, :3]].mean(axis=1)
    cap.facet_sets["near_pole"] = surface[np.hypot(centre[:, 0], centre[:, 1]) < 0.3]
    mesh = merge_bodies({"cap": cap, "block": block})
    contact = SurfaceContact(mesh, "hertz", "cap.near_pole", "block.top",
                             penalty_MPa_per_mm=default_penalty(E, h_cap))
    pairs = [("cap.sym_x", 0), ("block.sym_x", 0), ("cap.sym_y", 1), ("block.sym_y", 1), ("block.bottom", 0),
             ("block.bottom", 1), ("block.bottom", 2), ("cap.top", 2)]
    fixed, values = [], []
    for name, comp in pairs:
        dofs = 3 * mesh.nodes_of(name) + comp
        fixed.append(dofs)
        values.append(np.full(len(dofs), -push_mm if name == "cap.top" else 0.0))
    fixed, first = np.unique(np.concatenate(fixed), return_index=True)
    u, iterations = newton([LinearBody(mesh, {"cap": {"E_MPa": E, "nu": NU}, "block": {"E_MPa": E, "nu": NU}}), contact],
                           3 * mesh.n_nodes, fixed=fixed, values=np.concatenate(values)[first], steps=2)
    state = contact.state(u)
    force = 4 * float((state.pressure_MPa * state.weight_mm2).sum())
    closed = state.pressure_MPa > 0
    a_hertz = (3 * force * R / (4 * E_STAR)) ** (1 / 3)
    x = mesh.nodes_mm[contact.slave.nodes]
    return {"force": force, "a_hertz": a_hertz, "p0_hertz": 3 * force / (2 * math.pi * a_hertz**2),
            "a": math.sqrt(4 * state.weight_mm2[closed].sum() / math.pi), "p0": state.pressure_MPa.max(),
            "r": np.hypot(x[:, 0], x[:, 1]), "p": state.pressure_MPa, "iterations": iterations}


@pytest.mark.slow
def test_sphere_on_elastic_block_non_matching_meshes_matches_hertz(tmp_path):
    """Cap h = 0.025 mm (a / 5.5) at the contact, block h = 0.035 mm: contact radius (from the area of the
    nodes in contact) and peak pressure within 5 % of Hertz at the measured force. (Refined to 0.0175 and
    0.025 mm the peak pressure error falls from 0.7 % to 0.2 % and the radius error from -4.0 % to -3.2 %:
    too slow for the test suite, see the README.)"""
    out = solve(tmp_path, 0.025, 0.035)
    assert out["a"] == pytest.approx(out["a_hertz"], rel=0.05)
    assert out["p0"] == pytest.approx(out["p0_hertz"], rel=0.05)
