"""Sliding contact as experiments use it (sim.contact.sliding): a split interface between two blocks under
small and finite kinematics carries a uniaxial load as a uniform nominal pressure equal to the applied one,
frame after frame, and reports it per frame."""

import numpy as np
import pytest

from sim.contact import InterfaceSpec
from sim.contact.sliding import FiniteSliding, SmallSliding
from sim.fem.loads import pressure
from sim.fem.surface import facet_basis
from sim.mesh import Mesh
from sim.mesh.box import box_mesh
from sim.mesh.split import region_interface, split_interface
from sim.model import BoundarySpec

MATERIALS = {"low": {"E_MPa": 1000.0, "nu": 0.0}, "up": {"E_MPa": 300.0, "nu": 0.0}}  # nu = 0: no lateral motion
ROLLERS = [BoundarySpec("zmin", {2: 0.0}), BoundarySpec("xmin", {0: 0.0}), BoundarySpec("ymin", {1: 0.0})]


def split_blocks(order: int) -> Mesh:
    """1 x 1 x 2 mm box: 'low' below z = 1, 'up' above, split along z = 1 ('up' gets the copies)."""
    mesh = box_mesh((2, 2, 4), (1.0, 1.0, 2.0), order=order)
    zc = mesh.nodes_mm[mesh.cells[:, :4], 2].mean(axis=1)
    mesh = Mesh(mesh.nodes_mm, mesh.cells, (zc > 1).astype(int), {0: "low", 1: "up"}, {}, mesh.facet_sets)
    mesh.facet_sets["joint"] = region_interface(mesh, ["low"], ["up"])
    return split_interface(mesh, "joint", ["up"])[0]


@pytest.mark.parametrize("kind, mu", [("contact", 0.0), ("frictional", 0.4)])
@pytest.mark.parametrize("problem_class", [SmallSliding, FiniteSliding])
@pytest.mark.parametrize("order", [1, 2])
def test_uniaxial_load_crosses_the_interface_as_the_applied_pressure(problem_class, order, kind, mu):
    """Rollers on three faces, pressures of 0.5 and 2 MPa on the top: every slave node carries the applied
    nominal pressure (the force per reference area), the interface the whole force, nothing slips."""
    mesh = split_blocks(order)
    problem = problem_class(mesh, MATERIALS, ROLLERS, [InterfaceSpec("joint", kind, mu)])
    top = facet_basis(mesh, mesh.facets_of("zmax"))
    F = np.column_stack([pressure(top, p, mesh.n_nodes) for p in (0.5, 2.0)])
    result = problem.solve_sequence(F)
    frames = result.interfaces["joint"]
    for k, p in enumerate((0.5, 2.0)):
        assert np.allclose(frames.pressure_MPa[k], p, rtol=1e-5)
        row = frames.summary(k)
        assert row["normal_force_N"] == pytest.approx(p * 1.0, rel=1e-5)
        assert row["contact_area_mm2"] == pytest.approx(1.0, rel=1e-9)
        assert row["contact_pressure_p99_MPa"] == pytest.approx(p, rel=1e-5)
        assert row["slip_max_mm"] < 1e-9
        field = result.pressure_field(k, mesh.n_nodes)
        assert np.allclose(field[np.unique(mesh.facet_sets["joint_a"])], p, rtol=1e-5)
        assert field.sum() == pytest.approx(p * len(np.unique(mesh.facet_sets["joint_a"])), rel=1e-5)


def test_the_penalty_follows_the_softer_side():
    """default penalty 100 E / h of the softer block (300 MPa) at the facet size of the slave side."""
    problem = SmallSliding(split_blocks(1), MATERIALS, ROLLERS, [InterfaceSpec("joint", "contact")])
    assert problem.penalties["joint"] == pytest.approx(100 * 300.0 / 0.5)


@pytest.mark.parametrize("kind, mu", [("contact", 0.0), ("frictional", 0.4)])
@pytest.mark.parametrize("order", [1, 2])
def test_the_contact_at_given_states_is_the_followed_one_without_the_friction_history(order, kind, mu):
    """contact_states (the probe's contact: states of a displacement-controlled path) evaluates fresh items
    at given displacements: the applied pressure again at every slave node, slip and sliding area NaN."""
    mesh = split_blocks(order)
    problem = FiniteSliding(mesh, MATERIALS, ROLLERS, [InterfaceSpec("joint", kind, mu)])
    top = facet_basis(mesh, mesh.facets_of("zmax"))
    result = problem.solve_sequence(np.column_stack([pressure(top, p, mesh.n_nodes) for p in (0.5, 2.0)]))
    states = problem.contact_states(np.column_stack([np.zeros(mesh.n_nodes * 3), result.u_mm[:, 1]]))
    frames = states.interfaces["joint"]
    assert np.allclose(frames.pressure_MPa[0], 0.0) and np.allclose(frames.pressure_MPa[1], 2.0, rtol=1e-5)
    row = frames.summary(1)
    assert row["normal_force_N"] == pytest.approx(2.0, rel=1e-5)
    assert row["contact_pressure_p99_MPa"] == pytest.approx(2.0, rel=1e-5)
    assert np.isnan(row["slip_max_mm"]) and np.isnan(row["sliding_area_mm2"])
