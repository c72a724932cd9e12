"""Experiment output names a contact pressure peak on a sharp edge or on the interface's rim:
<interface>_p99_on_sharp_edge and _p99_on_rim per frame, in the case summary at the frame of the largest
p99, and the run's one-line note.

Two blocks in frictional contact on a clamped base (sim.contact.ContactProblem, as an experiment's
interfaces), where the answer is known:
  punch    a 2 x 2 x 1 block pressed uniformly onto the middle of a 4 x 4 base: a flat punch, whose pressure
           grows as 1 / sqrt(distance) towards its rim (Johnson 1985, Contact Mechanics, ch. 5), so the top
           1 % of the contact area sits on the punch's rim, a sharp edge of the upper body;
  plate    a 4 x 4 x 0.5 plate on the same base, loaded on a 1 x 1 patch in the middle of its top: the
           pressure below peaks under the patch, away from every edge of either body.
"""

import numpy as np
import pytest

from sim.contact import ContactProblem, InterfaceSpec
from sim.contact.results import p99_at
from sim.experiment.case import _extremes
from sim.experiment.interfaces import interface_columns, interface_edges
from sim.experiment.validity import sharp_edge_note
from sim.geometry.features import interface_bodies, interface_rim_nodes
from sim.mesh import Mesh
from sim.mesh.box import box_mesh
from sim.mesh.mesh import compacted
from sim.mesh.split import region_interface, split_interface
from sim.model import BoundarySpec, LoadSpec

MATERIALS = {"base": {"E_MPa": 1000.0, "nu": 0.3}, "top": {"E_MPa": 1000.0, "nu": 0.3}}


def blocks(punch: bool) -> Mesh:
    """Base [0, 4]^2 x [0, 2] and on it the punch [1, 3]^2 x [2, 3] or the plate [0, 4]^2 x [2, 2.5] (0.5 mm
    cells), split along their interface 'iface' (side b the upper body); facet set 'load' on top: the whole
    punch top or the plate's middle 1 x 1 mm."""
    height = 3.0 if punch else 2.5
    mesh = box_mesh((8, 8, int(2 * height)), (4.0, 4.0, height))
    x = mesh.nodes_mm
    centre = x[mesh.cells].mean(axis=1)
    upper = centre[:, 2] > 2.0
    inside = (np.abs(centre[:, :2] - 2.0) < 1.0).all(axis=1)
    keep = ~upper | inside if punch else np.ones(len(centre), bool)
    top = mesh.facet_sets["zmax"]
    load = top[(np.abs(x[top].mean(axis=1)[:, :2] - 2.0) < (1.0 if punch else 0.5)).all(axis=1)]
    mesh = Mesh(x, mesh.cells[keep], upper[keep].astype(int), {0: "base", 1: "top"}, {},
                {"zmin": mesh.facet_sets["zmin"], "load": load})
    mesh = compacted(mesh)
    mesh.facet_sets["iface"] = region_interface(mesh, ["base"], ["top"])
    split, _ = split_interface(mesh, "iface", ["top"])
    return split


def solve(punch: bool):
    mesh = blocks(punch)
    problem = ContactProblem(mesh, MATERIALS, [BoundarySpec("zmin", {0: 0.0, 1: 0.0, 2: 0.0})],
                             [InterfaceSpec("iface", "frictional", 2.0)])
    result = problem.solve_sequence(problem.load_vector(LoadSpec("load", pressure_MPa=1.0)))
    return mesh, result


@pytest.mark.parametrize("punch, on_edge", [(True, True), (False, False)])
def test_a_punch_rim_is_named_and_a_plate_centre_is_not(punch, on_edge):
    mesh, result = solve(punch)
    assert interface_bodies(mesh, "iface") == [["base"], ["top"]]
    row = interface_columns(result, 0, interface_edges(mesh, result))
    p99, frames = row["iface_contact_pressure_p99_MPa"], result.interfaces["iface"]
    x = mesh.nodes_mm[frames.nodes[frames.pressure_MPa[0] >= p99]]
    rim = (np.abs(x[:, :2] - 2.0) > 0.99).any(axis=1)  # the punch's rim: |x - 2| or |y - 2| = 1
    assert row["iface_normal_force_N"] == pytest.approx(4.0 if punch else 1.0, rel=1e-6)
    assert rim.all() if punch else not rim.any()
    assert row["iface_p99_on_sharp_edge"] is on_edge
    assert row["iface_p99_on_rim"] is on_edge  # the punch's rim is the interface's; the plate's peak is inside
    frame = {"Fx_N": 0.0, "Fy_N": 0.0, "Fz_N": -1.0, "cement_safety_factor_tension": 1.0,
             "cement_safety_factor_compression": 1.0, "dorsal_shaft_strain_microstrain": 0.0, **row}
    summary = _extremes([frame])
    note = sharp_edge_note("c00", summary)
    assert (note is not None) is on_edge
    if on_edge:
        assert note.startswith("case c00: p99 contact pressure at a sharp edge at iface (")
        assert "a singular point of the geometry, not mesh-converged" in note


def test_the_flag_reads_the_top_one_percent_and_the_summary_its_largest_p99():
    on_edge = np.array([True, False, False])
    assert p99_at(np.array([5.0, 1.0, 1.0]), 5.0, on_edge)
    assert not p99_at(np.array([1.0, 5.0, 1.0]), 5.0, on_edge)
    assert not p99_at(np.array([0.0, 0.0, 0.0]), 0.0, on_edge)  # no contact
    assert not p99_at(np.full(3, np.nan), float("nan"), on_edge)  # a frame past a limit point
    base = {"Fx_N": 0.0, "Fy_N": 0.0, "Fz_N": 1.0, "cement_safety_factor_tension": 1.0,
            "cement_safety_factor_compression": 1.0, "dorsal_shaft_strain_microstrain": 0.0}
    frames = [base | {"a_contact_pressure_p99_MPa": 3.0, "a_p99_on_sharp_edge": True},
              base | {"a_contact_pressure_p99_MPa": 9.0, "a_p99_on_sharp_edge": False}]
    assert _extremes(frames)["a_p99_on_sharp_edge"] is False
    frames[0]["a_contact_pressure_p99_MPa"] = 12.0
    assert _extremes(frames)["a_p99_on_sharp_edge"] is True
    assert sharp_edge_note("c", {"a_p99_on_sharp_edge": False, "b_p99_on_sharp_edge": True,
                                 "b_contact_pressure_p99_MPa": 405.0}).startswith(
        "case c: p99 contact pressure at a sharp edge at b (405 MPa): a singular point")
    rim = sharp_edge_note("c", {"a_p99_on_rim": True, "a_contact_pressure_p99_MPa": 10.8})
    assert rim.startswith("case c: p99 contact pressure at the rim of a (10.8 MPa), where the surfaces that "
                          "can touch end") and "depends on the mesh and the contact penalty" in rim


@pytest.mark.parametrize("order", [1, 2])
def test_the_rim_of_an_interface_is_its_boundary_with_midside_nodes(order):
    """The plate's interface is the whole 4 x 4 face z = 2: its rim is the square's boundary (tri6: with
    the midside nodes on it), nothing inside."""
    mesh = box_mesh((4, 4, 2), (4.0, 4.0, 2.0), order=order)
    face = mesh.facet_sets["zmax"]
    mesh.facet_sets["iface"] = face
    nodes = np.unique(face)
    x = mesh.nodes_mm[nodes]
    boundary = (np.isclose(x[:, :2], 0.0) | np.isclose(x[:, :2], 4.0)).any(axis=1)
    assert np.array_equal(interface_rim_nodes(mesh, "iface", nodes), boundary)
