"""Interfaces in experiments: a bonded interface on a split mesh equals the shared-node model, contact
runs report contact and pseudo-joint columns, and bad interface input is one line with exit 2."""

import csv
import json

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
                "peak_von_mises_cement_MPa"):
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
