"""Toe dorsiflexion at push-off (sim/forefoot/toes.py): the rigid-turn algebra against closed forms, bad input,
and on the symmetric three-ray foot under finite kinematics: the prescribed turn reached by a rigid phalanx
(measured by a best fit that knows nothing of how it was prescribed), the forces still adding up to the load,
and the plantar pressure changed (so a run that ignored the option fails)."""

import subprocess
import sys

import numpy as np
import pytest

from sim.errors import InputError
from sim.experiment.config import read_experiment
from sim.forefoot.config import resolve_forefoot
from sim.forefoot.toes import MAX_DEG, dorsiflexion_matrix, fitted_turn, toe_columns, turn_steps
from test_forefoot import BASE, ROOT, _doc, _run_cli, _solve, _symmetric, placement  # noqa: F401  (fixture)

TURN_DEG = 20.0
LOAD_N = 300.0


def test_dorsiflexion_turns_the_anterior_axis_up():
    R = dorsiflexion_matrix(30.0)
    assert R @ np.array([1.0, 0.0, 0.0]) == pytest.approx([np.sqrt(3) / 2, 0.0, 0.5])
    assert R @ np.array([0.0, 1.0, 0.0]) == pytest.approx([0.0, 1.0, 0.0])
    assert R.T @ R == pytest.approx(np.eye(3))


def test_fitted_turn_recovers_a_rigid_motion_and_measures_a_non_rigid_one():
    X = np.random.default_rng(1).normal(size=(40, 3)) * [15.0, 5.0, 5.0]
    x = X @ dorsiflexion_matrix(25.0).T + [3.0, -1.0, 7.0]
    turn, rms = fitted_turn(X, x)
    assert turn == pytest.approx(25.0, abs=1e-9) and rms < 1e-9
    stretched = x * [1.01, 1.0, 1.0]  # 1 % stretch along x
    assert fitted_turn(X, stretched)[1] > 0.05


def test_turn_steps_end_at_the_angle_in_steps_of_at_most_six_degrees():
    assert turn_steps(42.0) == pytest.approx([6, 12, 18, 24, 30, 36, 42])
    assert turn_steps(10.0) == pytest.approx([5.0, 10.0])


@pytest.mark.parametrize("forefoot, message", [
    ("toe_dorsiflexion_deg = -5.0", "toe_dorsiflexion_deg = -5: give 0 to 60"),
    (f"toe_dorsiflexion_deg = {MAX_DEG + 1:g}", "give 0 to 60"),
    ("toe_dorsiflexion_deg = 20.0", "needs \\[analysis\\] kinematics"),  # small strain by default
])
def test_bad_toe_dorsiflexion_is_one_line(tmp_path, forefoot, message):
    path = tmp_path / "bad.toml"
    path.write_text(BASE.format(forefoot=forefoot, load="stance_percent = 78.0"))
    with pytest.raises(InputError, match=message) as info:
        read_experiment(path)
    assert "\n" not in str(info.value)


@pytest.mark.slow
def test_toe_dorsiflexion_out_of_range_exits_2_with_one_line(tmp_path):
    text = BASE.format(forefoot="toe_dorsiflexion_deg = 90.0", load="stance_percent = 78.0")
    done, out = _run_cli(tmp_path, text + "[analysis]\nkinematics = \"finite\"\n")
    assert done.returncode == 2 and "toe_dorsiflexion_deg = 90" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not out.exists()


def test_zero_turn_is_todays_case():
    doc = _doc()
    doc["analysis"] = {"kinematics": "finite"}
    assert resolve_forefoot(doc, "t", ROOT, "").toe_dorsiflexion_deg == 0.0


def _finite(turn_deg):
    doc = _doc(toe_dorsiflexion_deg=turn_deg)
    doc["forefoot"]["load"] = {"force_N": LOAD_N}
    doc["mesh"] = {"size_mm": 9.0, "order": 1}
    doc["analysis"] = {"kinematics": "finite"}
    return _symmetric(doc)


@pytest.mark.slow
def test_toes_turned_rigidly_by_the_prescribed_angle_and_forces_still_add_up(placement, tmp_path):  # noqa: F811
    flat_fm, flat_sol, flat = _solve(_finite(0.0), tmp_path / "flat")
    fm, sol, row = _solve(_finite(TURN_DEG), tmp_path / "turned")
    toes = toe_columns(fm, sol.u_mm, TURN_DEG)
    for ray in (2, 3, 4):
        assert toes[f"ray{ray}_toe_turn_deg"] == pytest.approx(TURN_DEG, abs=0.05)
        assert toes[f"ray{ray}_phalanx_rigid_rms_mm"] < 0.01  # bone strains ~1e-4 over ~30 mm
        # today's case: the phalanx is free and turns only a little (up, as its head sinks into the pad)
        assert abs(toe_columns(flat_fm, flat_sol.u_mm, 0.0)[f"ray{ray}_toe_turn_deg"]) < TURN_DEG / 4
    # the reactions that hold the toes are horizontal: the vertical load still goes through rays, tissue, ground
    parts = sum(row[f"ray{r}_vertical_force_N"] for r in (2, 3, 4)) + row["plantar_soft_tissue_vertical_force_N"]
    assert parts == pytest.approx(LOAD_N, rel=5e-3)
    assert row["sole_force_N"] == pytest.approx(LOAD_N, rel=5e-3)
    assert row["ray2_vertical_force_N"] == pytest.approx(row["ray4_vertical_force_N"], rel=0.03)  # symmetric
    # the toes' sole lifts: the contact area shrinks
    assert row["sole_contact_area_mm2"] < 0.95 * flat["sole_contact_area_mm2"]
