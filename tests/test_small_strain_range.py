"""The small-strain range check (sim/experiment/validity.py) against fields whose strain and rotation are
known in closed form: a uniaxial stretch of a box solved under small strain (exact for linear tets), and a
rigid infinitesimal rotation."""

import numpy as np
import pytest

from sim.experiment.validity import ROTATION_LIMIT_DEG, STRAIN_LIMIT_PERCENT, outside_note, small_strain_range
from sim.mesh.box import box_mesh
from sim.model import BoundarySpec, Problem

L_MM = (2.0, 1.0, 1.0)


def stretched(strain: float):
    """A box solved with u_x = strain * L on xmax (rollers on xmin, ymin, zmin): uniform axial strain,
    lateral contraction -nu * strain, no rotation."""
    mesh = box_mesh((3, 2, 2), L_MM)
    problem = Problem(mesh, {"domain": {"E_MPa": 10.0, "nu": 0.3}},
                      [BoundarySpec("xmin", {0: 0.0}), BoundarySpec("ymin", {1: 0.0}),
                       BoundarySpec("zmin", {2: 0.0}), BoundarySpec("xmax", {0: strain * L_MM[0]})])
    return problem, problem.solve(np.zeros(problem.n_dofs))


@pytest.mark.parametrize("strain", [0.01, 0.12])
def test_uniaxial_stretch_gives_its_strain_and_the_note_only_above_the_limit(strain):
    problem, u = stretched(strain)
    columns = small_strain_range(problem, u, 99.0)
    assert columns["peak_strain_percent"] == pytest.approx(100.0 * strain, rel=1e-9)
    assert columns["peak_rotation_deg"] < 1e-9
    note = outside_note("box", columns)
    if 100.0 * strain > STRAIN_LIMIT_PERCENT:
        assert note.startswith("case box: small strain is outside its range here (")
        assert f"at {100.0 * strain:.3g} % strain" in note and 'kinematics = "finite"' in note
    else:
        assert note is None


@pytest.mark.parametrize("angle_deg", [2.0, 9.0])
def test_rigid_small_rotation_gives_its_angle(angle_deg):
    problem, _ = stretched(0.0)
    axis = np.array([1.0, 2.0, 2.0]) / 3.0
    x = problem.mesh.nodes_mm
    u = (np.radians(angle_deg) * np.cross(axis, x)).ravel()  # u = theta a x x: strain-free, rotation theta
    columns = small_strain_range(problem, u, 99.0)
    assert columns["peak_rotation_deg"] == pytest.approx(angle_deg, rel=1e-9)
    assert columns["peak_strain_percent"] < 1e-9
    assert (outside_note("box", columns) is not None) == (angle_deg > ROTATION_LIMIT_DEG)


def test_no_note_under_finite_kinematics_or_for_a_small_probe():
    finite = {"peak_strain_percent": float("nan"), "peak_strain_region": "", "peak_rotation_deg": float("nan"),
              "peak_rotation_region": "",
              "pseudo_joint_rotation_plantarflexion_deg": 40.0}
    assert outside_note("f", finite) is None
    small = {"peak_strain_percent": 1.0, "peak_strain_region": "cement", "peak_rotation_deg": 1.0,
             "peak_rotation_region": "cement",
             "pseudo_joint_rotation_plantarflexion_deg": 2.0}
    assert outside_note("s", small) is None
    assert "pseudo-joint probe turns 40 deg" in outside_note("s", {**small, "pseudo_joint_rotation_dorsiflexion_deg": 40.0})


def test_a_rotation_measure_beyond_any_real_angle_is_not_printed_as_an_angle():
    """A rigid rotation gives |w| = sin(theta) <= 1 rad: a measure of 900 deg is no angle, the line says so."""
    summary = {"peak_strain_percent": 200.0, "peak_strain_region": "joint_cartilage", "peak_rotation_deg": 900.0,
               "peak_rotation_region": "joint_cartilage"}
    note = outside_note("c", summary)
    assert "joint_cartilage turning more than 45 deg" in note and "900" not in note
    assert "turning 30 deg" in outside_note("c", {**summary, "peak_rotation_deg": 30.0})
