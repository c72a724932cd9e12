"""Experiments under [analysis] kinematics = "finite": contact interfaces are refused in one line before any
work; with bonded interfaces a case runs end to end (gait, stiffness probes, pseudo-joint) and at a small load
agrees with the small-strain case."""

import csv
from pathlib import Path

import pytest

from sim.cli import main

QUICK = """
[experiment]
name = "quick_finite"
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
[materials]
joint_cartilage = "cartilage_neo_hookean"
soft_tissue = "scar_tissue_neo_hookean"
[loads]
preset = "walking_stance"
n_frames = 3
scale = 0.002
[analysis]
kinematics = "finite"
[pseudo_joint]
moment_Nmm = 20.0
steps = 2
"""


def test_contact_interface_under_finite_kinematics_is_refused_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(QUICK + '[interfaces]\ncement_bone = "contact"\n')
    assert main(["run", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "not available under finite kinematics" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_finite_case_runs_and_matches_small_strain_at_a_small_load(tmp_path):
    rows = {}
    for kinematics in ("finite", "small"):
        path = tmp_path / f"{kinematics}.toml"
        path.write_text(QUICK.replace('kinematics = "finite"', f'kinematics = "{kinematics}"')
                        .replace("quick_finite", f"quick_{kinematics}"))
        assert main(["run", str(path), "--out", str(tmp_path / kinematics), "--jobs", "1"]) == 0
        with open(tmp_path / kinematics / "summary.csv") as fh:
            rows[kinematics] = next(csv.DictReader(fh))
    for key in ("construct_stiffness_axial_N_per_mm", "construct_stiffness_bending_N_per_mm",
                "pseudo_joint_rotation_plantarflexion_deg"):
        assert float(rows["finite"][key]) == pytest.approx(float(rows["small"][key]), rel=0.02), key
    assert (tmp_path / "finite" / "fields" / "quick_finite.vtu").exists()
