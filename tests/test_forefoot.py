"""The forefoot model: bad input (one line, exit 2), and load sharing on a small symmetric three-ray foot.

The symmetric foot: rays 2-4 all with ray 3's bones, placed mirror-symmetrically about ray 3 (same
protrusion, declination and pad), so that any asymmetry in the results comes from the model, not the input.
"""

import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sim.errors import InputError
from sim.experiment.config import read_experiment
from sim.forefoot import anatomy
from sim.forefoot.config import resolve_forefoot
from sim.forefoot.mesh import build_forefoot_mesh
from sim.forefoot.outputs import interface_columns, force_columns, pressure_columns
from sim.forefoot.solve import solve_forefoot
from sim.geometry.config import parse_geometry

ROOT = Path(__file__).resolve().parents[1]
FORCE_N = 300.0
SPACING_MM = 14.0
SYMMETRIC = {2: anatomy.RayPlacement(-4.0, SPACING_MM, 12.0, 8.0), 3: anatomy.RayPlacement(-4.0, 0.0, 12.0, 8.0),
             4: anatomy.RayPlacement(-4.0, -SPACING_MM, 12.0, 8.0)}


def _doc(**forefoot):
    return {"forefoot": {"rays": [2, 3, 4], "ground": "contact", "load": {"force_N": FORCE_N}, **forefoot},
            "mesh": {"size_mm": 9.0, "order": 2}}


def _symmetric(doc, resected_head=False):
    cfg = resolve_forefoot(doc, "t", ROOT, "")
    geometry = {"ray": 3}
    rays = {r: parse_geometry(geometry) for r in (2, 3, 4)}
    if resected_head:
        rays[3] = parse_geometry({"ray": 3, "resection": {"bone": "metatarsal", "resection_length_mm": 20.0},
                                  "spacer": {"fill_fraction": 0.0, "void_fill": "empty"}})
    return dataclasses.replace(cfg, rays=rays, resected=(3,) if resected_head else ())


@pytest.fixture(scope="module")
def placement():
    """The symmetric placement, in force from the first test that asks for it to the end of this module: tests
    that need the shipped placement come before those."""
    saved = dict(anatomy.PLACEMENT)
    anatomy.PLACEMENT.clear()
    anatomy.PLACEMENT.update(SYMMETRIC)
    yield
    anatomy.PLACEMENT.clear()
    anatomy.PLACEMENT.update(saved)


def _solve(cfg, tmp):
    fm = build_forefoot_mesh(cfg, tmp)
    sol = solve_forefoot(cfg, fm)
    return fm, sol, {**pressure_columns(fm, sol), **force_columns(fm, sol)}


@pytest.fixture(scope="module")
def intact(placement, tmp_path_factory):
    return _solve(_symmetric(_doc()), tmp_path_factory.mktemp("intact"))


def _run_cli(tmp_path, text):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "sim.cli", "run", str(path), "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    return done, out


BASE = """
[geometry]
ray = 2
[geometry.resection]
bone = "metatarsal"
lesion_extent_mm = 15.0
[forefoot]
{forefoot}
[forefoot.load]
{load}
"""


@pytest.mark.parametrize("forefoot, load, message", [
    ("", "stance_percent = 78.0\n[geometry.phalanx]\nhead_width_mm = 26.0", "would overlap"),
    ("rays = [1, 2, 2, 3]", "stance_percent = 78.0", "would overlap or leave a gap"),
    ("insole = 'eva'\ninsole_thickness_mm = 14.0", "stance_percent = 78.0", "at most 12 mm"),
    ("", "force_N = -100.0", "lift it off"),
    ("", "stance_percent = 5.0", "lift it off"),
])
def test_bad_forefoot_input_is_one_line(tmp_path, forefoot, load, message):
    path = tmp_path / "bad.toml"
    path.write_text(BASE.format(forefoot=forefoot, load=load))
    with pytest.raises(InputError, match=message) as info:
        read_experiment(path)
    assert "\n" not in str(info.value)


def test_insole_card_must_exist():
    with pytest.raises(InputError, match="forefoot|insole"):
        resolve_forefoot({"forefoot": {"insole": "no_such_foam"}}, "t", ROOT, "")


@pytest.mark.slow
def test_resected_ray_outside_1_to_5_exits_2_with_one_line(tmp_path):
    done, out = _run_cli(tmp_path, BASE.format(forefoot="", load="stance_percent = 78.0").replace("ray = 2", "ray = 7"))
    assert done.returncode == 2 and "must be one of the foot's rays" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not out.exists()


def test_push_off_load_is_the_forefoot_share_of_the_grf():
    cfg = resolve_forefoot({"forefoot": {"load": {"stance_percent": 78.0, "body_mass_kg": 70.0}}}, "t", ROOT, "")
    assert cfg.force_N == pytest.approx(1.10 * 70.0 * 9.81)  # Perry 1992 second peak, all on the forefoot


@pytest.mark.slow
def test_forces_through_rays_and_tissue_add_up_to_the_load(intact):
    _, sol, row = intact
    assert row["sum_vertical_force_N"] == pytest.approx(FORCE_N, rel=5e-3)
    assert row["sole_force_N"] == pytest.approx(FORCE_N, rel=5e-3)  # the ground reaction, independently
    parts = sum(row[f"ray{r}_vertical_force_N"] for r in (2, 3, 4)) + row["plantar_soft_tissue_vertical_force_N"]
    assert parts == pytest.approx(FORCE_N, rel=5e-3)
    assert min(row[f"ray{r}_vertical_force_N"] for r in (2, 3, 4)) > 0.1 * FORCE_N  # every ray carries load


@pytest.mark.slow
def test_symmetric_foot_gives_symmetric_pressures(intact):
    fm, sol, row = intact
    assert row["ray2_vertical_force_N"] == pytest.approx(row["ray4_vertical_force_N"], rel=0.03)
    assert row["mth2_force_N"] == pytest.approx(row["mth4_force_N"], rel=0.05)
    # the pressure field itself, mirrored about y = 0 and interpolated, matches
    from scipy.interpolate import LinearNDInterpolator
    xy = fm.mesh.nodes_mm[sol.ground_nodes, :2]
    p = LinearNDInterpolator(xy, sol.pressure_MPa)
    inner = (np.abs(xy[:, 1]) < SPACING_MM + 5) & (xy[:, 0] > xy[:, 0].min() + 15) & (xy[:, 0] < xy[:, 0].max() - 10)
    mirrored = p(xy[inner] * [1.0, -1.0])
    ok = np.isfinite(mirrored)
    scale = sol.pressure_MPa[inner].max()
    assert np.abs(mirrored[ok] - sol.pressure_MPa[inner][ok]).mean() < 0.05 * scale


@pytest.mark.slow
def test_removing_a_head_shifts_force_to_its_neighbours(placement, intact, tmp_path):
    _, _, before = intact
    _, _, after = _solve(_symmetric(_doc(), resected_head=True), tmp_path)
    assert after["mth3_force_N"] < 0.8 * before["mth3_force_N"]  # Patel & Wieman 1994: site pressure falls
    assert after["mth3_pressure_p99_kPa"] < 0.9 * before["mth3_pressure_p99_kPa"]
    assert after["ray3_vertical_force_N"] < 0.8 * before["ray3_vertical_force_N"]
    for ray in (2, 4):  # the neighbours carry what the headless ray no longer does
        assert after[f"ray{ray}_vertical_force_N"] > 1.05 * before[f"ray{ray}_vertical_force_N"]


@pytest.mark.slow
def test_stiffer_insole_raises_peak_pressure(placement, tmp_path):
    soft = _symmetric(_doc(insole="poron", insole_thickness_mm=6.0))
    fm = build_forefoot_mesh(soft, tmp_path)
    peaks, felt = {}, {}
    for card in ("poron", "eva", "rigid_insole"):
        cfg = dataclasses.replace(soft, materials={**soft.materials, "insole": card})
        sol = solve_forefoot(cfg, fm)
        peaks[card] = pressure_columns(fm, sol)["mth3_peak_pressure_kPa"]
        felt[card] = interface_columns(fm, sol, finite=False)["mth3_interface_pressure_p99_kPa"]
    assert peaks["poron"] < peaks["eva"] < peaks["rigid_insole"]
    assert felt["poron"] < felt["eva"] < felt["rigid_insole"]  # also at the foot-insole interface
