"""Experiments under [analysis] kinematics = "finite": contact interfaces become sliding-contact items; with
bonded interfaces a case runs end to end (gait, stiffness probes, pseudo-joint) and at a small load
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


@pytest.mark.slow
def test_contact_interfaces_under_finite_kinematics_become_sliding_contact_items(tmp_path):
    """Under finite kinematics contact and frictional interfaces are split and solved as sliding-contact
    items (sim.contact.sliding), each with the case's mu; bonded ones keep their shared nodes."""
    from sim.contact.sliding import FiniteSliding
    from sim.experiment.case import case_model
    from sim.experiment.config import read_experiment

    path = tmp_path / "sliding.toml"
    path.write_text(QUICK + '[interfaces]\ncement_stump = "frictional"\ncement_distal = "bonded"\nmu = 0.3\n')
    cfg = read_experiment(path).cases[0].resolve()
    model = case_model(cfg)
    mesh, problem = model.built.mesh, model.problem
    assert isinstance(problem, FiniteSliding)
    assert [(s.name, s.kind, s.mu) for s in problem.specs] == [("cement_stump", "frictional", 0.3)]
    assert "cement_stump_b" in problem.mesh.facet_sets and "cement_distal" in problem.mesh.facet_sets
    assert problem.mesh.n_nodes == mesh.n_nodes + len(set(mesh.facet_sets["cement_stump"].ravel()))


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


@pytest.mark.slow
def test_finite_sliding_contact_agrees_with_node_pairs_at_a_small_load(tmp_path):
    """At a small load (finite strain = small strain) the sliding-contact items under finite kinematics and
    the node-pair solver under small kinematics, two independent contact implementations on the same split
    mesh, give the same construct and interface forces; the sliding case writes its contact pressure field."""
    import meshio

    rows = {}
    for kinematics in ("finite", "small"):
        path = tmp_path / f"{kinematics}.toml"
        path.write_text(QUICK.replace('kinematics = "finite"', f'kinematics = "{kinematics}"')
                        .replace("quick_finite", f"quick_{kinematics}") + '[interfaces]\ncement_bone = "contact"\n')
        assert main(["run", str(path), "--out", str(tmp_path / kinematics), "--jobs", "1"]) == 0
        with open(tmp_path / kinematics / "summary.csv") as fh:
            rows[kinematics] = next(csv.DictReader(fh))
    for key, rel in (("construct_stiffness_axial_N_per_mm", 0.05), ("construct_stiffness_bending_N_per_mm", 0.1),
                     ("cement_stump_normal_force_N", 0.05), ("cement_distal_normal_force_N", 0.05),
                     ("pseudo_joint_k_rot_Nmm_per_deg", 0.15), ("pseudo_joint_cement_stump_normal_force_N", 0.1),
                     ("pseudo_joint_cement_distal_normal_force_N", 0.1)):
        assert float(rows["finite"][key]) == pytest.approx(float(rows["small"][key]), rel=rel), key
    for side in ("stump", "distal"):  # the probe's contact: at the state of the largest p99, a turned one
        assert abs(float(rows["finite"][f"pseudo_joint_cement_{side}_p99_rotation_deg"])) > 0
    pressure = meshio.read(tmp_path / "finite" / "fields" / "quick_finite.vtu").point_data["contact_pressure_MPa"]
    peak = max(float(rows["finite"][f"cement_{side}_peak_contact_pressure_MPa"]) for side in ("stump", "distal"))
    assert 0 < pressure.max() <= peak * (1 + 1e-9) and pressure.min() >= 0
