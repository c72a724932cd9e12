"""Sanity check of loads plus supports: the intact ray of experiments/intact.toml, under its calibrated
walking load, shows the in-vivo peak dorsal shaft strain of metatarsal 2 (Arndt et al. 2002, J Biomech
35:621: -1534 +/- 636 microstrain, barefoot walking)."""

from pathlib import Path

import pytest

from sim.experiment.case import run_case
from sim.experiment.config import read_experiment
from sim.experiment.sweep import set_path

pytestmark = pytest.mark.slow  # meshes whole rays (tens of seconds each)

INTACT = Path(__file__).parents[1] / "experiments" / "intact.toml"


def test_intact_ray_dorsal_strain_matches_arndt(tmp_path):
    case = read_experiment(INTACT).cases[0]
    for key, v in (("mesh.size_mm", 3.0), ("loads.n_frames", 5), ("outputs.fields", False)):
        case = type(case)(case.name, set_path(case.doc, key, v), case.base_dir, case.swept)
    strain = run_case(case, tmp_path)["summary"]["dorsal_shaft_strain_microstrain"]
    assert strain == pytest.approx(-1534, abs=636)
    assert strain == pytest.approx(-1534, rel=0.1)  # the calibration itself (scale = 0.6)
