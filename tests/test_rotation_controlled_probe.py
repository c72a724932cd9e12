"""The pseudo-joint probe under finite strain is rotation-controlled (sim.experiment.interfaces.pseudo_joint
with respond.trace): on a bending column without a limit point its curve lies on the moment-stepped one; a
joint whose moment rises and falls is followed past its peak to the end rotation, the peak recorded as the
limit; a joint that locks stops at the probe's moment; curve_metrics reads curves in unequal steps."""

from types import SimpleNamespace

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from sim.experiment.interfaces import PseudoJointOptions, curve_metrics, pseudo_joint
from sim.experiment.limit_points import limit_note
from sim.model import BoundarySpec
from sim.model.finite import FiniteProblem
from sim.solve.control import END_TOLERANCE, ControlledPath

from test_contact import stacked


def column():
    """The 1 x 1 x 2 mm block clamped at its base ('cement_stump', which does not turn), its top
    'cement_distal', and the nodal forces (3n,) of a unit moment (N mm) about y on the top face."""
    mesh, _, _ = stacked(1, n=(2, 2, 4))
    mesh.facet_sets["cement_stump"], mesh.facet_sets["cement_distal"] = mesh.facet_sets["zmin"], mesh.facet_sets["zmax"]
    law = {"model": "neo_hookean", "E_MPa": 100.0, "nu": 0.3}
    problem = FiniteProblem(mesh, {"low": law, "up": law}, [BoundarySpec("zmin", {0: 0.0, 1: 0.0, 2: 0.0})])
    top = mesh.nodes_of("zmax")
    dx = mesh.nodes_mm[top, 0] - mesh.nodes_mm[top, 0].mean()
    unit = np.zeros(problem.n_dofs)
    unit[3 * top + 2] = -dx / (dx @ dx)  # sum of -x f_z = 1 N mm about y
    return mesh, problem, unit


def test_rotation_controlled_curve_lies_on_the_moment_stepped_one():
    """A neo-Hookean column bent by an end moment (no limit point up to 3 N mm, about 20 degrees): the moment-stepped probe
    (load control) and the rotation-controlled one give the same moment-rotation relation; the latter ends
    where the moment reaches the probe's 3 N mm (the joint 'locks'), with the rotation it has there."""
    mesh, problem, unit = column()

    class Respond:
        def __call__(self, forces_N, moments_Nmm):
            U, limit = problem.follow(np.outer(unit, moments_Nmm[:, 1]))
            return SimpleNamespace(u_mm=U, limit=limit)

    stepped = pseudo_joint(mesh, Respond(), 0.0, PseudoJointOptions(moment_Nmm=3.0, steps=6), finite=True)
    respond = Respond()
    respond.trace = lambda force, moment, c, step, end: problem.trace(np.zeros_like(unit), moment[1] * unit, c,
                                                                     step, end)
    options = PseudoJointOptions(moment_Nmm=3.0, steps=10, rotation_deg=30.0)
    controlled = pseudo_joint(mesh, respond, 0.0, options, finite=True)
    for label in ("plantarflexion", "dorsiflexion"):
        m_s, t_s = (np.abs(np.asarray(v)) for v in stepped["moment_rotation"][label])
        m_c, t_c = (np.abs(np.asarray(v)) for v in controlled["moment_rotation"][label])
        assert t_c[-1] < 30.0 and m_c[-1] == pytest.approx(3.0, rel=0.011)
        assert controlled[f"pseudo_joint_end_{label}"] == "moment"
        assert np.isnan(controlled[f"pseudo_joint_limit_moment_{label}_Nmm"])
        assert np.interp(m_s, m_c, t_c) == pytest.approx(t_s, rel=0.02, abs=0.05)  # linear between points
        assert len(m_c) > 2 and np.all(np.diff(m_c) > 0)
    assert controlled["pseudo_joint_k_rot_initial_Nmm_per_deg"] == pytest.approx(
        stepped["pseudo_joint_k_rot_initial_Nmm_per_deg"], rel=0.05)


def rigid_joint(moment_of_deg):
    """A stand-in model: the upper half of the stacked block turns rigidly about y by theta while the
    moment is M(theta); its trace steps the linear measure c . u and answers with that path (the
    displacement-controlled solver's contract: ControlledPath, ending when end(u, lam) >= 1)."""
    mesh, _, _ = stacked(1)
    mesh.facet_sets["cement_stump"], mesh.facet_sets["cement_distal"] = mesh.facet_sets["zmin"], mesh.facet_sets["zmax"]
    upper = mesh.nodes_mm[:, 2] > 1.0
    x = mesh.nodes_mm - (0.5, 0.5, 1.0)

    def turned(deg):
        u = np.zeros_like(x)
        u[upper] = Rotation.from_rotvec([0.0, np.radians(deg), 0.0]).apply(x[upper]) - x[upper]
        return u.ravel()

    def trace(force, moment, c, step, end):
        path = ControlledPath()
        sign = np.sign(moment[1])
        for k in range(200):
            deg = sign * 0.5 * k
            u, lam = turned(deg), moment_of_deg(abs(deg)) / abs(moment[1])
            path.u_mm.append(u), path.lam.append(lam)
            if end(u, lam) >= 1 - END_TOLERANCE:
                break
        return path, None

    return mesh, SimpleNamespace(trace=trace)


def test_a_joint_that_folds_is_followed_past_its_peak_to_the_end_rotation():
    """M(theta) = 40 theta exp(-theta / 8) N mm (peak 117.7 N mm at 8 deg, falling after): both directions
    go to 30 degrees, the moment falls, the peak is the limit, the initial stiffness is ~40 N mm/deg, the
    range of motion under 100 N mm is twice where M first reaches 100, none under 150 N mm."""
    M = lambda t: 40.0 * t * np.exp(-t / 8.0)
    mesh, respond = rigid_joint(M)
    out = pseudo_joint(mesh, respond, 0.0, PseudoJointOptions(moment_Nmm=1000.0, rotation_deg=30.0), finite=True,
                       physiological_Nmm=100.0)
    t100 = next(t for t in np.linspace(0, 8, 80001) if M(t) >= 100.0)
    for label in ("plantarflexion", "dorsiflexion"):
        assert out[f"pseudo_joint_rotation_{label}_deg"] == pytest.approx(30.0, abs=1e-9)
        assert out[f"pseudo_joint_end_{label}"] == "rotation"
        assert out[f"pseudo_joint_limit_moment_{label}_Nmm"] == pytest.approx(M(8.0), rel=1e-3)
    assert out["pseudo_joint_k_rot_initial_Nmm_per_deg"] == pytest.approx((M(0.5)) / 0.5, rel=1e-9)
    assert out["pseudo_joint_rom_deg"] == pytest.approx(2 * t100, abs=0.05)  # linear between 0.5-deg steps
    assert out["pseudo_joint_k_rot_Nmm_per_deg"] == pytest.approx(M(8.0) / 8.0, rel=0.01)  # secant to the peak
    assert "plantarflexion at 117.7 N mm" in limit_note("c00", out)
    curves = {k: (np.asarray(m), np.asarray(t)) for k, (m, t) in out["moment_rotation"].items()}
    assert np.isnan(curve_metrics(curves, 150.0)["pseudo_joint_rom_deg"])


def test_a_mechanism_has_a_near_zero_moment_and_a_locking_joint_stops_at_the_probe_moment():
    mesh, respond = rigid_joint(lambda t: 1e-6 * t * (2 - t / 30))  # rises, falls: round-off
    out = pseudo_joint(mesh, respond, 0.0, PseudoJointOptions(moment_Nmm=500.0, rotation_deg=30.0), finite=True)
    assert out["pseudo_joint_rotation_plantarflexion_deg"] == pytest.approx(30.0) and \
        out["pseudo_joint_k_rot_initial_Nmm_per_deg"] < 1e-5
    assert out["pseudo_joint_end_plantarflexion"] == "rotation, a mechanism"
    assert np.isnan(out["pseudo_joint_limit_moment_plantarflexion_Nmm"])
    mesh, respond = rigid_joint(lambda t: 10.0 * t + 2.0 * t**2)  # stiffening: 500 N mm at 13.51 deg
    out = pseudo_joint(mesh, respond, 0.0, PseudoJointOptions(moment_Nmm=500.0, rotation_deg=30.0), finite=True)
    assert out["pseudo_joint_end_dorsiflexion"] == "moment"
    assert out["pseudo_joint_rotation_dorsiflexion_deg"] == pytest.approx(13.51, abs=0.5)  # the stand-in steps 0.5 deg


def test_curve_metrics_on_unequal_steps():
    """A linear joint (8 N mm/deg) sampled at uneven rotations: every stiffness is 8, the ROM 2 M / 8."""
    theta = np.array([0.0, 0.3, 1.0, 2.5, 4.5, 7.0, 9.0, 11.5, 14.0])
    out = curve_metrics({"plantarflexion": (8 * theta, theta), "dorsiflexion": (-8 * theta[:6], -theta[:6])}, 40.0)
    for key in ("initial", "end", "10deg"):
        assert out[f"pseudo_joint_k_rot_{key}_Nmm_per_deg"] == pytest.approx(8.0)
    assert out["pseudo_joint_k_rot_Nmm_per_deg"] == pytest.approx(8.0) and out["pseudo_joint_rom_deg"] == pytest.approx(10.0)


def test_the_probe_reports_the_contact_of_its_state_with_the_largest_p99():
    """Of the states of both directions, the one whose p99 contact pressure is largest gives the columns and
    its rotation; an interface that never touches reports 0 and no rotation."""
    from types import SimpleNamespace

    from sim.contact.sliding import SlidingFrames
    from sim.experiment.interfaces import _ProbeContact

    def frames(name, p99s):
        rows = [{"contact_area_mm2": float(p > 0), "normal_force_N": p, "contact_pressure_p99_MPa": p,
                 "peak_contact_pressure_MPa": p, "gap_max_mm": 0.0, "slip_max_mm": np.nan} for p in p99s]
        return SlidingFrames(name, "frictional", rows, np.arange(2), np.array([[p, 0.0] for p in p99s]))

    def result(p99s):  # interface a touches with these p99s, b never
        return SimpleNamespace(interfaces={"a": frames("a", p99s), "b": frames("b", [0.0] * len(p99s))})

    contact = _ProbeContact(mesh=None)
    edges = {"sharp_edge": np.array([True, False]), "rim": np.array([False, False])}
    contact.on_edge = {"a": edges, "b": edges}
    contact.add(result([0.0, 2.0, 5.0]), np.array([0.0, 3.0, 6.0]))
    contact.add(result([0.0, 7.0, 4.0]), np.array([0.0, -3.0, -6.0]))
    columns = contact.columns()
    assert columns["pseudo_joint_a_contact_pressure_p99_MPa"] == 7.0
    assert columns["pseudo_joint_a_p99_rotation_deg"] == -3.0
    assert columns["pseudo_joint_a_p99_on_sharp_edge"] is True and columns["pseudo_joint_a_p99_on_rim"] is False
    assert np.isnan(columns["pseudo_joint_b_p99_rotation_deg"])
