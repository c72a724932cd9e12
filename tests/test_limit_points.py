"""A load path that ends at a limit point is a result, not a crash: the finite problem stops there and says
where (frame, load reached), and the experiment's gait, stiffness and pseudo-joint probes record it."""

from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp

from sim.experiment.interfaces import PseudoJointOptions, curve_metrics, pseudo_joint
from sim.experiment.limit_points import gait_limit, limit_note
from sim.experiment.metrics import construct_stiffness
from sim.mesh.box import box_mesh
from sim.model import BoundarySpec
from sim.model.finite import FiniteProblem, Limit
from sim.solve import SolveFailed


class Springs:
    """A softening spring on every DOF: force u / (1 + u^2) N, at most 0.5 N (at u = 1 mm)."""

    def residual_tangent(self, u):
        with np.errstate(over="ignore", invalid="ignore"):
            return u / (1 + u**2), sp.diags((1 - u**2) / (1 + u**2) ** 2, format="csr")


def springs_problem():
    mesh = box_mesh((1, 1, 1), order=1)
    law = {"model": "neo_hookean", "E_MPa": 1e-4, "nu": 0.3}
    problem = FiniteProblem(mesh, {"domain": law}, [BoundarySpec("zmin", {0: 0.0, 1: 0.0, 2: 0.0})],
                            increments=2, items=[Springs()])
    return problem, mesh.nodes_of("zmax")


def test_follow_stops_at_the_limit_load_and_says_where():
    """Frames of 0.3 and 0.8 N per top node: the first is carried, the second is beyond the springs' 0.5 N:
    the path stops at the limit (the load reached is the springs' peak, to the cut-back resolution), the
    frame not reached is NaN, and solve_sequence still fails on it."""
    problem, top = springs_problem()
    F = np.zeros((problem.n_dofs, 2))
    F[3 * top + 2] = [0.3, 0.8]
    U, limit = problem.follow(F)
    assert isinstance(limit, Limit) and limit.frame == 1
    assert np.isfinite(U[:, 0]).all() and np.isnan(U[:, 1]).all()
    per_node = limit.reached(np.array([0.3, 0.8]))
    assert 0.46 < per_node <= 0.5 + 1e-3
    assert "limit point or buckling" in limit.reason and "load frame 2 of 2" in limit.reason
    with pytest.raises(SolveFailed):
        problem.solve_sequence(F)


def test_limit_reached_interpolates_from_the_previous_frame():
    limit = Limit(frame=2, load_factor=0.25, reason="")
    assert limit.reached(np.array([[0.0, 1.0], [10.0, 2.0], [30.0, 6.0]])) == pytest.approx([15.0, 3.0])
    assert Limit(0, 0.5, "").reached(np.array([[8.0], [9.0]])) == pytest.approx([4.0])


def test_probe_direction_that_folds_is_recorded_with_its_moment():
    """A stand-in hinge: the plantarflexion path ends at a limit point 40 % of the way from 1000 to 1500 N
    mm; the curve stops there, the stiffnesses come from the steps reached, and the moment is a result."""
    from test_contact import hinge_block

    mesh, upper = hinge_block()

    def respond(forces_N, moments_Nmm):
        U = np.zeros((3 * mesh.n_nodes, len(moments_Nmm)))
        for k, m in enumerate(moments_Nmm[:, 1]):
            x = mesh.nodes_mm - (0.5, 0.5, 1.0)
            t = np.radians(m / 50.0)  # 50 N mm/deg, about y: x' = x cos t + z sin t
            u = np.zeros_like(x)
            u[upper, 0] = x[upper, 0] * (np.cos(t) - 1) + x[upper, 2] * np.sin(t)
            u[upper, 2] = -x[upper, 0] * np.sin(t) + x[upper, 2] * (np.cos(t) - 1)
            U[:, k] = u.ravel()
        limit = None
        if moments_Nmm[-1, 1] > 0:
            U[:, 3:] = np.nan
            limit = Limit(3, 0.4, "load frame 4 of 5: ... a limit point or buckling ...")
        return SimpleNamespace(u_mm=U, limit=limit)

    out = pseudo_joint(mesh, respond, 80.0, PseudoJointOptions(moment_Nmm=2000.0, steps=4), finite=True,
                       physiological_Nmm=800.0)
    assert out["pseudo_joint_limit_moment_plantarflexion_Nmm"] == pytest.approx(1200.0)
    assert np.isnan(out["pseudo_joint_limit_moment_dorsiflexion_Nmm"]) and np.isnan(out["pseudo_joint_limit_preload_N"])
    assert out["pseudo_joint_rotation_plantarflexion_deg"] == pytest.approx(20.0, rel=1e-6)  # at 1000 N mm
    assert out["pseudo_joint_rotation_dorsiflexion_deg"] == pytest.approx(40.0, rel=1e-6)
    assert out["pseudo_joint_k_rot_Nmm_per_deg"] == pytest.approx(50.0, rel=1e-6)  # both to 1000 N mm
    assert out["pseudo_joint_k_rot_initial_Nmm_per_deg"] == pytest.approx(50.0, rel=1e-6)
    assert out["pseudo_joint_rom_deg"] == pytest.approx(32.0, rel=1e-6)
    assert np.isnan(curve_metrics({label: (np.asarray(m), np.asarray(t)) for label, (m, t) in
                                   out["moment_rotation"].items()}, 1100.0)["pseudo_joint_rom_deg"])
    note = limit_note("c00", out)
    assert note.startswith("case c00: limit point") and "plantarflexion at 1200 N mm" in note
    assert limit_note("c00", {**out, "pseudo_joint_limit_moment_plantarflexion_Nmm": float("nan")}) is None


def test_stiffness_probe_and_gait_record_the_force_reached():
    loads = SimpleNamespace(surface_displacement=lambda U: np.nan_to_num(U.T[:, :3], nan=np.nan))

    def respond(forces_N, moments_Nmm):  # the axial step is carried (0.1 mm), the dorsal one folds halfway
        U = np.full((3, 2), np.nan)
        U[:, 0] = [-0.1, 0.0, 0.0]
        return SimpleNamespace(u_mm=U, limit=Limit(1, 0.5, "..."))

    out = construct_stiffness(loads, respond, 90.0)
    assert out["construct_stiffness_axial_N_per_mm"] == pytest.approx(900.0)
    assert np.isnan(out["construct_stiffness_bending_N_per_mm"])
    assert out["bending_limit_force_N"] == pytest.approx(22.5) and np.isnan(out["axial_limit_force_N"])
    gait = SimpleNamespace(force_N=np.array([[0.0, 0, 0], [-40.0, 0, 20.0], [-80.0, 0, 40.0]]),
                           stance_percent=np.array([0.0, 25.0, 50.0]))
    row = gait_limit(Limit(1, 0.25, "load frame 2 of 3: ..."), gait)
    assert row["gait_limit_stance_percent"] == 25.0 and row["gait_limit_axial_force_N"] == pytest.approx(10.0)
    assert row["limit_point"].startswith("load frame 2")
    assert np.isnan(gait_limit(None, gait)["gait_limit_axial_force_N"])


class Chattering:
    """Unit springs whose force flips by +/-0.3 N at every evaluation once loaded: no increment converges and
    the tangent (the identity) gives no sign of a limit point."""

    calls = 0

    def residual_tangent(self, u):
        self.calls += 1
        flip = 0.3 * (-1) ** self.calls if np.abs(u).max() > 0 else 0.0
        return u + flip, sp.identity(len(u), format="csr")


def test_a_path_that_finds_no_equilibrium_beyond_a_load_ends_there_and_says_it_is_not_a_limit_point():
    """follow records the end of a path whose Newton fails without the tangent pointing to a limit point
    (limit_point False, its reason), so that an experiment case still reaches its end; solve_sequence
    still fails; the summary columns say 'not converged' and the run line says so."""
    mesh = box_mesh((1, 1, 1), order=1)
    law = {"model": "neo_hookean", "E_MPa": 1.0, "nu": 0.3}
    problem = FiniteProblem(mesh, {"domain": law}, [BoundarySpec("zmin", {0: 0.0, 1: 0.0, 2: 0.0})],
                            items=[Chattering()])
    F = np.zeros((problem.n_dofs, 2))
    F[3 * mesh.nodes_of("zmax") + 2, 1] = 0.1
    U, limit = problem.follow(F)
    assert limit.frame == 1 and not limit.limit_point and limit.load_factor == 0.0
    assert "gave up" in limit.reason and np.isfinite(U[:, 0]).all() and np.isnan(U[:, 1]).all()
    with pytest.raises(SolveFailed):
        problem.solve_sequence(F)
    gait = SimpleNamespace(force_N=np.array([[0.0, 0, 0], [-40.0, 0, 20.0]]), stance_percent=np.array([0.0, 50.0]))
    row = gait_limit(limit, gait)
    assert row["gait_end"] == "not converged" and row["gait_limit_axial_force_N"] == 0.0
    assert "not converged" in limit_note("c00", row)
    assert gait_limit(Limit(1, 0.5, "..."), gait)["gait_end"] == "limit point"
