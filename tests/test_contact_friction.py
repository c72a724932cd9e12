"""Coulomb friction: a block on a rigid plane under a normal force N and a tangential load T
(shared verification notes, 'Friction': no slip for T < mu N; slip with tangential traction = mu times
the normal traction over the whole face for T > mu N)."""

import numpy as np
import pytest

from sim.contact import ContactDidNotConverge, ContactProblem, InterfaceSpec
from sim.contact.results import CLOSED, SLIP
from sim.mesh.box import box_mesh
from sim.model import BoundarySpec, LoadSpec

MU = 0.3
PRESSURE = 1.0  # MPa on the 2 x 2 mm top: N = 4 N
N = 4.0
BLOCK = {"domain": {"E_MPa": 1000.0, "nu": 0.0}}  # nu = 0: the pressure alone makes no lateral slip
ON_PLANE = InterfaceSpec("zmin", "frictional", MU, plane_point_mm=(0.0, 0.0, 0.0), plane_normal=(0.0, 0.0, 1.0))


def block(order):
    return box_mesh((4, 4, 2), (2.0, 2.0, 0.5), order=order)


def loads(problem, tangential_N):
    return (problem.load_vector(LoadSpec("zmax", pressure_MPa=PRESSURE))
            + problem.load_vector(LoadSpec("zmax", force_N=(tangential_N, 0.0, 0.0))))


@pytest.mark.parametrize("order", [1, 2])
def test_block_sticks_below_mu_N(order):
    """T = 0.5 mu N, force control, the block held by nothing but the plane: every node sticks, inside the
    Coulomb cone, and nothing slips."""
    problem = ContactProblem(block(order), BLOCK, [], [ON_PLANE])
    result = problem.solve_sequence(loads(problem, 0.5 * MU * N))
    frames = result.interfaces["zmin"]
    assert np.all(frames.status == CLOSED)
    assert np.all(frames.shear_MPa < MU * frames.pressure_MPa)
    assert result.rows()[0]["normal_force_N"] == pytest.approx(N, rel=1e-9)
    assert result.rows()[0]["slip_max_mm"] < 1e-12


@pytest.mark.parametrize("order", [1, 2])
def test_block_slides_above_mu_N_with_traction_mu_times_pressure(order):
    """The top pushed 0.05 mm sideways (far more than the block's elastic shear takes): every node slides,
    the tangential traction equals mu times the normal traction node by node, and the force needed to push
    is mu N."""
    problem = ContactProblem(block(order), BLOCK, [BoundarySpec("zmax", {0: 0.05, 1: 0.0})], [ON_PLANE])
    f = problem.load_vector(LoadSpec("zmax", pressure_MPa=PRESSURE))
    result = problem.solve_sequence(f)
    frames = result.interfaces["zmin"]
    assert np.all(frames.status == SLIP)
    assert np.allclose(frames.shear_MPa, MU * frames.pressure_MPa, rtol=1e-9, atol=0)
    push = problem.residual(result.u_mm[:, 0], f).reshape(-1, 3)[problem.mesh.nodes_of("zmax")].sum(axis=0)
    assert push[0] == pytest.approx(MU * N, rel=1e-6)
    assert result.rows()[0]["slip_max_mm"] > 0.04
    assert result.rows()[0]["sliding_area_mm2"] == pytest.approx(4.0, rel=1e-12)


def test_a_frame_that_fails_is_reached_in_smaller_load_increments(monkeypatch):
    """When Newton fails on a frame, the frame is solved again in two half increments from the previous
    frame, friction history carried: the same answer as asking for the half-way frame explicitly."""
    from sim.contact.dual import DualNotConverged

    def pushed():
        problem = ContactProblem(block(2), BLOCK, [], [ON_PLANE])
        return problem, loads(problem, 0.8 * MU * N)

    problem, f = pushed()
    solve, offsets = problem.dual.solve, []

    def fails_once(d, e, y_prev, start):
        offsets.append(d.copy())
        if len(offsets) == 1:
            raise DualNotConverged(50, 1.0, 0, 0.0, 1e-9)
        return solve(d, e, y_prev, start)

    monkeypatch.setattr(problem.dual, "solve", fails_once)
    result = problem.solve_sequence(f)
    reference_problem, _ = pushed()
    reference = reference_problem.solve_sequence(np.column_stack([0.5 * f, f]))
    assert len(offsets) == 3 and np.allclose(offsets[1] - problem.rows.gap0, 0.5 * (offsets[0] - problem.rows.gap0))
    assert np.abs(result.u_mm[:, 0] - reference.u_mm[:, 1]).max() < 1e-8 * np.abs(reference.u_mm).max()  # Newton rtol
    assert result.iterations[0] == reference.iterations.sum()


def test_tangential_force_above_mu_N_has_no_equilibrium():
    """T = 1.5 mu N under force control: the block would accelerate; the solver says so instead of
    returning an answer."""
    problem = ContactProblem(block(1), BLOCK, [], [ON_PLANE], max_iter=20)
    with pytest.raises(ContactDidNotConverge, match=r"'zmin'.*off equilibrium.*mu"):
        problem.solve_sequence(loads(problem, 1.5 * MU * N))


def test_friction_is_followed_frame_by_frame():
    """Push, then release the push: slip done while pushing stays (friction holds the block where it slid),
    and releasing sticks."""
    problem = ContactProblem(block(1), BLOCK, [], [ON_PLANE])
    F = np.column_stack([loads(problem, 0.0), loads(problem, 0.9 * MU * N), loads(problem, 0.0)])
    result = problem.solve_sequence(F)
    slip = [r["slip_max_mm"] for r in result.rows()]
    assert slip[0] < 1e-12 and slip[1] > 0
    assert slip[2] > 0.5 * slip[1]  # not back to zero: the path matters


@pytest.mark.parametrize("order", [1, 2])
def test_partial_slip_obeys_coulomb_node_by_node(order):
    """T = 0.9 mu N: the rim of the face slips and the centre sticks; everywhere the tangential traction
    stays inside the Coulomb cone, and reaches it exactly where the block slips."""
    problem = ContactProblem(block(order), BLOCK, [], [ON_PLANE])
    frames = problem.solve_sequence(loads(problem, 0.9 * MU * N)).interfaces["zmin"]
    slipping, sticking = frames.status[0] == SLIP, frames.status[0] == CLOSED
    assert slipping.any() and sticking.any() and (slipping | sticking).all()
    p, t = frames.pressure_MPa[0], frames.shear_MPa[0]
    assert np.all(t <= MU * p * (1 + 1e-9))
    assert np.allclose(t[slipping], MU * p[slipping], rtol=1e-9, atol=0)
    assert np.all(t[sticking] < MU * p[sticking])
