"""Contact across a split interface (sim.contact): blocks pressed together, pulled apart, compressive loads
equal to bonded, warm starts, bad input, non-convergence, pseudo-joint rotation."""

from types import SimpleNamespace

import numpy as np
import pytest

from sim.contact import ContactDidNotConverge, ContactProblem, InterfaceSpec, relative_rotation_deg
from sim.contact.results import CLOSED, OPEN, SLIP
from sim.errors import InputError
from sim.fem import post
from sim.mesh import Mesh
from sim.mesh.box import box_mesh
from sim.mesh.split import region_interface, split_interface
from sim.model import BoundarySpec, LoadSpec, Problem

SAME = {"low": {"E_MPa": 1000.0, "nu": 0.3}, "up": {"E_MPa": 1000.0, "nu": 0.3}}
MIXED = {"low": {"E_MPa": 17000.0, "nu": 0.3}, "up": {"E_MPa": 2500.0, "nu": 0.4}}
ROUND_OFF = 1e-10


def stacked(order: int, n=(3, 3, 4)) -> tuple[Mesh, Mesh, np.ndarray]:
    """A 1 x 1 x 2 box: 'low' (z < 1) and 'up'; corner node sets for minimal supports. Returns the conforming
    mesh, the mesh split at z = 1 (interface 'iface', side b = 'up') and the node pairs."""
    mesh = box_mesh(n, (1.0, 1.0, 2.0), order=order)
    x = mesh.nodes_mm
    zc = x[mesh.cells[:, :4], 2].mean(axis=1)
    corner = {f"c{k}": np.flatnonzero(np.isclose(x, p).all(axis=1))
              for k, p in enumerate([(0, 0, 0), (1, 0, 0), (0, 0, 2), (1, 0, 2)])}
    mesh = Mesh(x, mesh.cells, (zc > 1).astype(int), {0: "low", 1: "up"}, corner, mesh.facet_sets)
    mesh.facet_sets["iface"] = region_interface(mesh, ["low"], ["up"])
    split, pairs = split_interface(mesh, "iface", ["up"])
    return mesh, split, pairs


def on_conforming(u_split: np.ndarray, mesh: Mesh, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split-mesh displacements at the conforming mesh's nodes (side a), and at the copies (side b)."""
    u = u_split.reshape(-1, 3)
    return u[: mesh.n_nodes], u[pairs[:, 1]]


# the bottom on rollers, and x/y held at two corners of the bottom and (for frictionless contact, which
# cannot hold the top block sideways) of the top: these supports carry no force under uniform pressure
ROLLERS = [BoundarySpec("zmin", {2: 0.0}), BoundarySpec("c0", {0: 0.0, 1: 0.0}), BoundarySpec("c1", {1: 0.0}),
           BoundarySpec("c2", {0: 0.0, 1: 0.0}), BoundarySpec("c3", {1: 0.0})]


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("kind, mu", [("contact", 0.0), ("frictional", 0.0), ("frictional", 0.3)])
def test_blocks_pressed_together_carry_the_load_as_one_block(order, kind, mu):
    """1 MPa on the top: displacements equal the single-block solution to round-off, and the interface
    reports 1 MPa at every node over 1 mm^2, a normal force of 1 N and no gap."""
    mesh, split, pairs = stacked(order)
    bonded = Problem(mesh, SAME, ROLLERS)
    u_ref = bonded.solve(bonded.load_vector(LoadSpec("zmax", pressure_MPa=1.0))).reshape(-1, 3)
    problem = ContactProblem(split, SAME, ROLLERS, [InterfaceSpec("iface", kind, mu)])
    result = problem.solve_sequence(problem.load_vector(LoadSpec("zmax", pressure_MPa=1.0)))
    u_a, u_b = on_conforming(result.u_mm[:, 0], mesh, pairs)
    scale = np.abs(u_ref).max()
    assert np.abs(u_a - u_ref).max() < ROUND_OFF * scale
    assert np.abs(u_b - u_ref[pairs[:, 0]]).max() < ROUND_OFF * scale
    frames = result.interfaces["iface"]
    assert np.allclose(frames.pressure_MPa, 1.0, rtol=0, atol=ROUND_OFF)
    row = result.rows()[0]
    assert row["contact_area_mm2"] == pytest.approx(1.0, abs=ROUND_OFF)
    assert row["normal_force_N"] == pytest.approx(1.0, abs=ROUND_OFF)
    assert row["gap_max_mm"] < ROUND_OFF * scale


@pytest.mark.parametrize("order", [1, 2])
def test_blocks_pulled_apart_separate_with_zero_traction(order):
    """Top face lifted by 0.01 mm, bottom clamped: the interface opens by 0.01 mm everywhere, carries no
    pressure, and neither block is strained (bonded, the same pull would stress both)."""
    mesh, split, _ = stacked(order)
    lift = [BoundarySpec("zmin", {0: 0.0, 1: 0.0, 2: 0.0}), BoundarySpec("zmax", {0: 0.0, 1: 0.0, 2: 0.01})]
    problem = ContactProblem(split, MIXED, lift, [InterfaceSpec("iface", "contact")])
    result = problem.solve_sequence(np.zeros(problem.n_dofs))
    frames = result.interfaces["iface"]
    assert np.allclose(frames.gap_mm, 0.01, rtol=0, atol=1e-12)
    assert np.all(frames.pressure_MPa == 0.0) and np.all(frames.status == OPEN)
    assert result.rows()[0]["contact_area_mm2"] == 0.0
    _, stress = post.strain_stress(problem.basis, problem.D_ckl, result.u_mm[:, 0])
    assert np.abs(stress).max() < ROUND_OFF * 17000.0 * 0.01
    bonded = Problem(mesh, MIXED, lift)
    _, bonded_stress = post.strain_stress(bonded.basis, bonded.D_ckl, bonded.solve(np.zeros(bonded.n_dofs)))
    assert np.abs(bonded_stress).max() > 1.0


def compressive_load() -> LoadSpec:
    """1 N down with a small shear and moments: the bonded interface is in compression everywhere."""
    return LoadSpec("zmax", force_N=(0.03, -0.02, -1.0), moment_Nmm=(0.02, 0.03, 0.02), point_mm=(0.5, 0.5, 2.0))


@pytest.mark.parametrize("order", [1, 2])
def test_compressive_loads_give_the_bonded_answer(order):
    """Different materials (so the bonded interface also carries shear), clamped base, force + moments on
    top: with enough friction to stick, contact reproduces the bonded model to round-off, and the reported
    interface pressures and shears balance the applied force and moment."""
    mesh, split, pairs = stacked(order)
    clamp = [BoundarySpec("zmin", {0: 0.0, 1: 0.0, 2: 0.0})]
    bonded = Problem(mesh, MIXED, clamp)
    u_ref = bonded.solve(bonded.load_vector(compressive_load())).reshape(-1, 3)
    problem = ContactProblem(split, MIXED, clamp, [InterfaceSpec("iface", "frictional", 10.0)])
    result = problem.solve_sequence(problem.load_vector(compressive_load()))
    u_a, u_b = on_conforming(result.u_mm[:, 0], mesh, pairs)
    scale = np.abs(u_ref).max()
    assert np.abs(u_a - u_ref).max() < ROUND_OFF * scale
    assert np.abs(u_b - u_ref[pairs[:, 0]]).max() < ROUND_OFF * scale
    frames = result.interfaces["iface"]
    assert np.all(frames.status == CLOSED) and frames.pressure_MPa.min() > 0.1
    # resultant of the interface tractions on the top block: (0, 0, p) w over the nodes of side b
    p, w = frames.pressure_MPa[0], problem.interfaces[0].weight_mm2
    assert (p * w).sum() == pytest.approx(1.0, rel=1e-9)  # the applied 1 N: only the interface holds the top


def test_robust_contact_pressure_ignores_a_hot_node_under_one_percent_of_the_area():
    """99th percentile by contact area: one node at 1000 MPa on 0.5 % of the area in contact does not set it,
    the same node on 1.2 % does (it would not if the 50 mm2 of open interface counted as area)."""
    from sim.contact.results import InterfaceFrames

    def summary(hot_area_mm2):
        weight = np.r_[np.full(99, 1.0), hot_area_mm2, 50.0]
        pressure = np.r_[np.full(99, 2.0), 1000.0, 0.0][None]
        status = np.r_[np.full(100, CLOSED), OPEN][None]
        zeros = np.zeros_like(pressure)
        return InterfaceFrames("iface", "contact", np.arange(len(weight)), weight, pressure, zeros, zeros, zeros,
                               status).summary(0)

    assert summary(0.5)["contact_pressure_p99_MPa"] == 2.0
    assert summary(0.5)["peak_contact_pressure_MPa"] == 1000.0
    assert summary(1.2)["contact_pressure_p99_MPa"] == 1000.0


def test_contact_and_bonded_kinds_on_a_split_mesh_agree_when_closed():
    """'bonded' on a split mesh ties the pairs: the same answer as the conforming mesh, at no extra cost
    per frame; 'contact' with the same compressive uniform load agrees too."""
    mesh, split, pairs = stacked(2)
    bonded = Problem(mesh, SAME, ROLLERS)
    u_ref = bonded.solve(bonded.load_vector(LoadSpec("zmax", pressure_MPa=2.0))).reshape(-1, 3)
    for kind in ("bonded", "contact"):
        problem = ContactProblem(split, SAME, ROLLERS, [InterfaceSpec("iface", kind)])
        u_a, _ = on_conforming(problem.solve(problem.load_vector(LoadSpec("zmax", pressure_MPa=2.0))), mesh, pairs)
        assert np.abs(u_a - u_ref).max() < ROUND_OFF * np.abs(u_ref).max(), kind


def test_a_sequence_is_warm_started_and_matches_single_frames():
    """Frictionless contact is path independent: frames solved in a sequence equal frames solved alone;
    a repeated frame converges at once from the previous one (0 Newton iterations)."""
    _, split, _ = stacked(2)
    clamp = [BoundarySpec("zmin", {0: 0.0, 1: 0.0, 2: 0.0}), BoundarySpec("zmax", {0: 0.0, 1: 0.0})]
    problem = ContactProblem(split, MIXED, clamp, [InterfaceSpec("iface", "contact")])
    down = problem.load_vector(LoadSpec("zmax", pressure_MPa=1.0))
    tilt = problem.load_vector(LoadSpec("zmax", force_N=(0, 0, -1.0), moment_Nmm=(0.4, 0, 0), point_mm=(0.5, 0.5, 2)))
    F = np.column_stack([down, tilt, tilt, down])
    result = problem.solve_sequence(F)
    for k in range(F.shape[1]):
        alone = problem.solve_sequence(F[:, k]).u_mm[:, 0]
        assert np.abs(result.u_mm[:, k] - alone).max() < 1e-9 * np.abs(alone).max()
    assert result.iterations[2] == 0
    rows = result.rows()
    assert 0.0 < rows[1]["contact_fraction"] < 1.0  # the tilt opens part of the interface
    assert rows[1]["gap_max_mm"] > 0 and rows[0]["gap_max_mm"] < 1e-12


def test_unknown_interface_lists_the_ones_that_exist():
    _, split, _ = stacked(1)
    with pytest.raises(InputError, match=r"no interface 'ifac'.*did you mean 'iface'.*iface, xmax"):
        ContactProblem(split, SAME, ROLLERS, [InterfaceSpec("ifac", "contact")])


def test_negative_friction_coefficient_is_rejected():
    _, split, _ = stacked(1)
    with pytest.raises(InputError, match="mu must be >= 0"):
        ContactProblem(split, SAME, ROLLERS, [InterfaceSpec("iface", "frictional", -0.1)])


def test_sides_whose_nodes_differ_are_rejected():
    _, split, pairs = stacked(1)
    split.nodes_mm[pairs[4, 1]] += (0.0, 0.0, 1e-3)
    with pytest.raises(InputError, match="'iface_a'.*'iface_b'.*do not match: 1 nodes"):
        ContactProblem(split, SAME, ROLLERS, [InterfaceSpec("iface", "contact")])


def test_contact_on_an_unsplit_interface_asks_for_the_split():
    mesh, _, _ = stacked(1)
    with pytest.raises(InputError, match="split_interface"):
        ContactProblem(mesh, SAME, ROLLERS, [InterfaceSpec("iface", "contact")])


def test_a_part_the_interface_cannot_hold_is_named():
    """Frictionless contact cannot hold the top block sideways: an InputError before any solve."""
    _, split, _ = stacked(1)
    with pytest.raises(InputError, match="not constrained against rigid motion.*translation along"):
        ContactProblem(split, SAME, ROLLERS[:3], [InterfaceSpec("iface", "contact")])


def test_no_equilibrium_raises_naming_interface_and_residual():
    """The top block held only by contact and pulled up: no solution; the error names the interface."""
    _, split, _ = stacked(1)
    problem = ContactProblem(split, SAME, ROLLERS, [InterfaceSpec("iface", "contact")], max_iter=10)
    with pytest.raises(ContactDidNotConverge, match=r"frame 1 after 10 iterations.*'iface'.*off equilibrium by"):
        problem.solve_sequence(np.column_stack([problem.load_vector(LoadSpec("zmax", pressure_MPa=s))
                                                for s in (1.0, -1.0)]))


def hinge_block() -> tuple[Mesh, np.ndarray]:
    """The conforming tet4 block of stacked() as a stand-in ray for pseudo-joint probes: its bottom face is
    'cement_stump', its top 'cement_distal'; returns the mesh and the mask of its upper (distal) nodes."""
    mesh, _, _ = stacked(1)
    mesh.facet_sets["cement_stump"], mesh.facet_sets["cement_distal"] = mesh.facet_sets["zmin"], mesh.facet_sets["zmax"]
    return mesh, mesh.nodes_mm[:, 2] > 1.0


def rigid_turn(x: np.ndarray, degrees_about: np.ndarray, centre=(0.5, 0.5, 1.0)) -> np.ndarray:
    """Displacement (n, 3) mm of points x turned rigidly by the small rotation vector (3,) in degrees."""
    return np.cross(np.radians(degrees_about), x - centre)


def test_relative_rotation_of_a_rigidly_turned_distal_part():
    """Distal part turned rigidly by 0.5 deg about x (plus a translation) over a proximal part turned by
    0.1 deg: relative rotation 0.4 deg."""
    _, mesh, _ = stacked(2)
    x = mesh.nodes_mm
    u = np.zeros_like(x)
    for region, angle in (("up", 0.5), ("low", 0.1)):
        nodes = np.unique(mesh.cells[mesh.cells_in(region)])
        u[nodes] = rigid_turn(x[nodes], [angle, 0.0, 0.0]) + (0.01, 0.0, -0.02)
    turned = relative_rotation_deg(x, u.ravel(), mesh.nodes_of("zmax"), mesh.nodes_of("zmin"))
    assert turned == pytest.approx([0.4, 0.0, 0.0], abs=1e-12)


def test_pseudo_joint_stiffness_of_a_hinge_with_known_stiffnesses():
    """A stand-in solver turns the distal face about y by M / k (k = 50 N mm/deg for plantarflexion, 20 for
    dorsiflexion) on top of a common rotation of the whole part: the probe reads back both stiffnesses, the
    rotations at the full moment, and the combined secant 2 M / (sum of the rotations)."""
    from sim.experiment.interfaces import PseudoJointOptions, pseudo_joint

    mesh, upper = hinge_block()

    def respond(forces_N, moments_Nmm):
        U = np.empty((3 * mesh.n_nodes, len(moments_Nmm)))
        for k, m in enumerate(moments_Nmm[:, 1]):
            hinge = m / 50.0 if m >= 0 else m / 20.0
            u = rigid_turn(mesh.nodes_mm, [0.0, 0.3, 0.0]) + (-0.01, 0.0, 0.0)
            u[upper] += rigid_turn(mesh.nodes_mm[upper], [0.0, hinge, 0.0])
            U[:, k] = u.ravel()
        return SimpleNamespace(u_mm=U)

    out = pseudo_joint(mesh, respond, 100.0, PseudoJointOptions(moment_Nmm=200.0, steps=4))
    assert out["pseudo_joint_k_rot_plantarflexion_Nmm_per_deg"] == pytest.approx(50.0, rel=1e-9)
    assert out["pseudo_joint_k_rot_dorsiflexion_Nmm_per_deg"] == pytest.approx(20.0, rel=1e-9)
    assert out["pseudo_joint_rotation_plantarflexion_deg"] == pytest.approx(4.0, rel=1e-9)
    assert out["pseudo_joint_k_rot_Nmm_per_deg"] == pytest.approx(400.0 / (4.0 + 10.0), rel=1e-9)
    moments, rotations = out["moment_rotation"]["dorsiflexion"]
    assert rotations == pytest.approx(np.asarray(moments) / 20.0, abs=1e-9)


def test_bonded_interface_with_shared_nodes_is_the_plain_problem():
    mesh, _, _ = stacked(2)
    problem = ContactProblem(mesh, MIXED, ROLLERS[:3], [InterfaceSpec("iface", "bonded")])
    plain = Problem(mesh, MIXED, ROLLERS[:3])
    f = plain.load_vector(compressive_load())
    assert problem.rows.m == 0
    assert np.abs(problem.solve(f) - plain.solve(f)).max() < ROUND_OFF * np.abs(plain.solve(f)).max()


def test_inverse_based_steps_agree_with_direct_solves(monkeypatch):
    """Large interfaces solve Newton steps through S^-1 (closed rows) and Woodbury (slipping nodes); forced
    on for a small one, they give the direct solves' answer over a sequence that sticks, slips and opens."""
    import sim.contact.dual as dual

    _, split, _ = stacked(2)
    clamp = [BoundarySpec("zmin", {0: 0.0, 1: 0.0, 2: 0.0})]
    loads = [LoadSpec("zmax", force_N=(fx, 0.0, -1.0), moment_Nmm=(mx, 0.0, 0.0), point_mm=(0.5, 0.5, 2.0))
             for fx, mx in ((0.0, 0.0), (0.1, 0.0), (0.2, 0.05), (0.25, 0.1), (0.1, 0.2), (0.0, 0.0))]
    used = {"woodbury": 0}
    woodbury = dual.DualSystem._woodbury

    def counting(self, *args):
        used["woodbury"] += 1
        return woodbury(self, *args)

    monkeypatch.setattr(dual.DualSystem, "_woodbury", counting)
    answers = []
    for threshold in (10**9, 0):
        monkeypatch.setattr(dual, "DIRECT_BELOW", threshold)
        problem = ContactProblem(split, MIXED, clamp, [InterfaceSpec("iface", "frictional", 0.3)])
        result = problem.solve_sequence(np.column_stack([problem.load_vector(load) for load in loads]))
        answers.append(result.u_mm)
        statuses = result.interfaces["iface"].status
    assert used["woodbury"] > 0 and (statuses == SLIP).any() and (statuses == OPEN).any()
    assert np.abs(answers[0] - answers[1]).max() < 1e-8 * np.abs(answers[0]).max()
