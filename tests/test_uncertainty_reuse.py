"""Uncertainty samples on the finite-element model: reusing a worker's mesh and factorization is exact, the
model is linear in load (load scale and body mass rescale stresses exactly), and a metric that does not
depend on an input gets a total Sobol index of zero through the whole pipeline."""

import csv
from dataclasses import replace

import numpy as np
import pytest

from sim.experiment import reuse
from sim.experiment.case import run_case
from sim.experiment.config import read_experiment
from sim.experiment.runner import run_experiment
from sim.experiment.sweep import set_path

COARSE = """
[experiment]
name = "coarse"
[geometry]
ray = 2
[geometry.resection]
bone = "metatarsal"
lesion_extent_mm = 15.0
[geometry.spacer]
shape = "plug"
fill_fraction = 0.5
[mesh]
size_mm = 8.0
order = 1
[loads]
preset = "walking_stance"
scale = 0.6
n_frames = 3
[outputs]
fields = false
"""
STUDY = """
[uncertainty]
method = "sobol"
samples = 16
seed = 2
[uncertainty.inputs]
"loads.scale" = { distribution = "uniform", low = 0.4, high = 0.8 }
"material_scaling.soft_tissue.modulus_factor" = { distribution = "lognormal", median = 1.0, sigma = 0.6 }
"""
STRESSES = ("cement_peak_tension_MPa", "cement_peak_compression_MPa", "bone_interface_peak_von_mises_MPa",
            "peak_von_mises_cortical_MPa", "cement_stress_amplitude_MPa")


def variant(case, **values):
    doc = case.doc
    for key, v in values.items():
        doc = set_path(doc, key, v)
    return replace(case, doc=doc)


def numbers(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if isinstance(v, float) and k != "case"}


@pytest.fixture(scope="module")
def nominal(tmp_path_factory):
    path = tmp_path_factory.mktemp("coarse") / "coarse.toml"
    path.write_text(COARSE)
    return read_experiment(path).cases[0]


@pytest.mark.slow
def test_reused_mesh_and_factorization_give_the_fresh_result(nominal, tmp_path):
    heavier = variant(nominal, **{"loads.scale": 0.9, "loads.body_mass_kg": 95.0,
                                  "material_scaling.cement.strength_factor": 0.8})
    reuse.clear()
    run_case(nominal, tmp_path)
    reused = run_case(heavier, tmp_path)["summary"]
    assert reuse.stats["mesh"] == {"hits": 1, "misses": 1} and reuse.stats["solver"] == {"hits": 1, "misses": 1}
    reuse.clear("solver")  # the same mesh (an immutable value of its config), factorized afresh
    fresh = run_case(heavier, tmp_path)["summary"]
    assert reuse.stats["solver"] == {"hits": 0, "misses": 1}
    for key, v in numbers(fresh).items():
        assert reused[key] == pytest.approx(v, rel=1e-10, nan_ok=True), key
    softer = variant(nominal, **{"material_scaling.soft_tissue.modulus_factor": 2.0})
    stiffer = run_case(softer, tmp_path)["summary"]
    assert reuse.stats["solver"]["misses"] == 2  # a new stiffness is factorized, never served from the cache
    assert stiffer["construct_stiffness_axial_N_per_mm"] > 1.05 * reused["construct_stiffness_axial_N_per_mm"]


@pytest.mark.slow
def test_load_scale_and_body_mass_rescale_stresses_exactly(nominal, tmp_path):
    base = run_case(nominal, tmp_path)["summary"]
    factor = (0.9 / 0.6) * (95.0 / 80.0)
    scaled = run_case(variant(nominal, **{"loads.scale": 0.9, "loads.body_mass_kg": 95.0}), tmp_path)["summary"]
    for key in STRESSES:
        assert scaled[key] == pytest.approx(factor * base[key], rel=1e-9), key
    assert scaled["cement_safety_factor"] == pytest.approx(base["cement_safety_factor"] / factor, rel=1e-9)
    assert scaled["construct_stiffness_axial_N_per_mm"] == pytest.approx(
        base["construct_stiffness_axial_N_per_mm"], rel=1e-9)


@pytest.mark.slow
def test_metric_independent_of_an_input_has_zero_total_index(tmp_path):
    path = tmp_path / "coarse.toml"
    path.write_text(COARSE + STUDY)
    run_experiment(read_experiment(path), tmp_path / "out", jobs=1)
    with open(tmp_path / "out" / "sensitivity.csv", newline="") as fh:
        rows = {(r["metric"], r["input"]): r for r in csv.DictReader(fh)}
    # stiffness does not depend on the load; the cement's stress barely on the scar (statics: series path)
    for metric in ("construct_stiffness_axial_N_per_mm", "construct_stiffness_bending_N_per_mm"):
        assert abs(float(rows[(metric, "loads.scale")]["ST"])) < 1e-9
        assert float(rows[(metric, "material_scaling.soft_tissue.modulus_factor")]["ST"]) > 0.5
    assert float(rows[("cement_peak_tension_MPa", "loads.scale")]["ST"]) > 0.5
