"""The intact ray's axial stiffness converges under mesh refinement (tet10, the two finest default sizes)."""

from pathlib import Path

import pytest

from sim.experiment.case import region_materials
from sim.experiment.config import resolve
from sim.experiment.metrics import LoadBasis, construct_stiffness, load_point_mm
from sim.experiment.response import Superposed
from sim.geometry import build_mesh
from sim.model import BoundarySpec, Problem

pytestmark = pytest.mark.slow  # meshes whole rays (tens of seconds each)

SIZES_MM = (2.0, 1.5)  # 1.5 mm is the geometry default size


def axial_stiffness(size_mm: float, tmp_path: Path) -> float:
    cfg = resolve({"geometry": {"ray": 2}}, "intact", Path("."), "")
    built = build_mesh(cfg.geometry, tmp_path / f"size{size_mm}", size_mm, 2)
    params, _ = region_materials(cfg, built.mesh.region_names.values())
    problem = Problem(built.mesh, params, [BoundarySpec("proximal_base", {0: 0.0, 1: 0.0, 2: 0.0})])
    loads = LoadBasis(problem, load_point_mm(problem))
    return construct_stiffness(loads, Superposed(problem, loads), 100.0)["construct_stiffness_axial_N_per_mm"]


def test_intact_ray_axial_stiffness_converges(tmp_path):
    coarse, fine = (axial_stiffness(s, tmp_path) for s in SIZES_MM)
    assert fine == pytest.approx(coarse, rel=0.02)
