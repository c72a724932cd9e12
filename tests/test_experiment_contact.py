"""Interfaces in experiments: a bonded interface on a split mesh equals the shared-node model, contact
runs report contact and pseudo-joint columns, and bad interface input is one line with exit 2."""

import csv
import json

import numpy as np
import pytest

from sim.cli import main

BEAD = """
[experiment]
name = "joint"
[geometry]
ray = 2
[geometry.resection]
bone = "metatarsal"
resection_length_mm = 25.0
[geometry.spacer]
shape = "bead"
fill_fraction = 0.5
[mesh]
size_mm = 4.0
order = 1
[loads]
preset = "walking_stance"
n_frames = 3
[interfaces]
cement_bone = "bonded"
[pseudo_joint]
moment_Nmm = 100.0
steps = 2
[reference]
name = "shared_nodes"
remove = ["interfaces", "pseudo_joint"]
[sweep]
"interfaces.cement_bone" = ["bonded", "contact", "frictional"]
"""


@pytest.fixture(scope="module")
def joint(tmp_path_factory):
    folder = tmp_path_factory.mktemp("joint")
    (folder / "joint.toml").write_text(BEAD)
    assert main(["run", str(folder / "joint.toml"), "--out", str(folder / "out"), "--jobs", "1"]) == 0
    with open(folder / "out" / "summary.csv", newline="") as fh:
        return folder, {r["case"]: r for r in csv.DictReader(fh)}


@pytest.mark.slow
def test_bonded_split_interface_equals_shared_nodes(joint):
    _, rows = joint
    bonded, shared = rows["c00_cement_bone-bonded"], rows["shared_nodes"]
    for key in ("construct_stiffness_axial_N_per_mm", "construct_stiffness_bending_N_per_mm",
                "peak_von_mises_cement_MPa", "bone_interface_peak_von_mises_MPa"):
        assert float(bonded[key]) == pytest.approx(float(shared[key]), rel=1e-6)
    assert float(bonded["cement_stump_gap_max_mm"]) < 1e-6


@pytest.mark.slow
def test_unbonded_spacer_is_a_softer_pseudo_joint(joint):
    _, rows = joint
    k = {name: float(rows[f"c0{i}_cement_bone-{name}"]["pseudo_joint_k_rot_Nmm_per_deg"])
         for i, name in enumerate(("bonded", "contact", "frictional"))}
    assert k["contact"] < k["frictional"] < k["bonded"]
    assert float(rows["c01_cement_bone-contact"]["cement_stump_peak_interface_tension_MPa"]) == 0.0
    assert float(rows["c00_cement_bone-bonded"]["cement_stump_peak_interface_tension_MPa"]) > 0.0


@pytest.mark.slow
def test_contact_outputs_and_plots(joint):
    folder, _ = joint
    record = json.loads((folder / "out" / "cases" / "c01_cement_bone-contact.json").read_text())
    assert set(record["moment_rotation"]) == {"plantarflexion", "dorsiflexion"}
    assert "cement_distal_contact_area_mm2" in record["frames"][0]
    for stem in ("moment_rotation", "contact_vs_gait"):
        assert (folder / "out" / "plots" / f"{stem}.png").stat().st_size > 1000


@pytest.mark.parametrize("change, message", [
    (('cement_bone = "bonded"', 'cement_stumpp = "contact"'), "unknown interface 'cement_stumpp' (did you mean 'cement_stump'?); interfaces are: cement_stump,"),
    (('cement_bone = "bonded"', 'cement_bone = "glued"'), "is not one of: bonded, contact, frictional"),
    (('cement_bone = "bonded"', 'cement_bone = "frictional"\nmu = -0.1'), "interfaces.mu must lie in [0, 10]"),
])
def test_bad_interface_input(tmp_path, capsys, change, message):
    bad = tmp_path / "bad.toml"
    bad.write_text(BEAD.replace(*change).replace('"interfaces.cement_bone" = ["bonded", "contact", "frictional"]', ""))
    assert main(["run", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and not (tmp_path / "out").exists()


def test_pseudo_joint_curve_metrics_of_known_curves():
    """A linear joint (M = 8 theta) has one stiffness everywhere and a range of motion of 2 M / 8; a joint
    that stiffens (M = 2 theta + 0.5 theta^2, slope 2 + theta) has at 10 degrees the secant of the step
    9.6 -> 10.2 degrees, 2 + 0.5 (9.6 + 10.2), and at M = 30 N mm a range of motion of twice the root of
    M = 2 theta + 0.5 theta^2 (to the error of linear interpolation between steps)."""
    from sim.experiment.interfaces import curve_metrics

    theta = np.linspace(0.0, 21.0, 36)
    linear = curve_metrics({"plantarflexion": (8 * theta, theta), "dorsiflexion": (-8 * theta, -theta)}, 40.0)
    assert linear["pseudo_joint_k_rot_initial_Nmm_per_deg"] == pytest.approx(8.0)
    assert linear["pseudo_joint_k_rot_10deg_Nmm_per_deg"] == pytest.approx(8.0)
    assert linear["pseudo_joint_k_rot_Nmm_per_deg"] == pytest.approx(8.0)
    assert linear["pseudo_joint_rom_deg"] == pytest.approx(10.0)
    moment = 2 * theta + 0.5 * theta**2
    stiff = curve_metrics({"plantarflexion": (moment, theta), "dorsiflexion": (-moment, -theta)}, 30.0)
    assert stiff["pseudo_joint_k_rot_10deg_Nmm_per_deg"] == pytest.approx(2 + 0.5 * (9.6 + 10.2), rel=1e-9)
    assert stiff["pseudo_joint_rom_deg"] == pytest.approx(2 * (-2 + np.sqrt(4 + 2 * 30.0)), rel=0.01)
    assert np.isnan(curve_metrics({"plantarflexion": (moment, theta), "dorsiflexion": (-moment, -theta)},
                                  1e6)["pseudo_joint_rom_deg"])


def test_physiological_moment_is_the_largest_gait_moment_about_the_stump():
    from sim.experiment.interfaces import physiological_moment_Nmm

    force = np.array([[-100.0, 0.0, 10.0], [-50.0, 0.0, -30.0]])  # N; lever 20 mm along x, 2 mm up
    moment = np.array([[0.0, 5.0, 0.0], [0.0, 0.0, 0.0]])
    # M_y = (r x F)_y + M_y = r_z F_x - r_x F_z + M_y
    expected = max(abs(2 * -100 - 20 * 10 + 5), abs(2 * -50 - 20 * -30))
    assert physiological_moment_Nmm(force, moment, [20.0, 0.0, 2.0], [0.0, 0.0, 0.0]) == expected


@pytest.mark.parametrize("change, message", [
    ('cement_bone = "frictional"\nmu = -0.1', "interfaces.mu must lie in [0, 10]"),
    ('cement_stump = "sliding"', "is not one of: bonded, contact, frictional"),
])
def test_bad_interface_input_under_finite_kinematics(tmp_path, capsys, change, message):
    """The same checks hold for the sliding-contact interfaces of finite kinematics: one line, exit 2."""
    bad = tmp_path / "bad.toml"
    bad.write_text(BEAD.replace('cement_bone = "bonded"', change).replace(
        '"interfaces.cement_bone" = ["bonded", "contact", "frictional"]', "")
        + '[analysis]\nkinematics = "finite"\n')
    assert main(["run", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and not (tmp_path / "out").exists()


def test_pseudo_joint_preload_is_read_and_checked():
    from sim.errors import InputError
    from sim.experiment.interfaces import parse_pseudo_joint

    assert parse_pseudo_joint({"moment_Nmm": 500.0}, "pseudo_joint").preload_N is None  # the gait's
    assert parse_pseudo_joint({"preload_N": 0}, "pseudo_joint").preload_N == 0.0
    with pytest.raises(InputError, match=r"pseudo_joint.preload_N must lie in \[0, 10000\] N"):
        parse_pseudo_joint({"preload_N": -5.0}, "pseudo_joint")
