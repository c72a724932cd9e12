"""spacer-sim solve with [analysis] kinematics = "finite": fields and reactions; bad input in one line."""

from pathlib import Path

import meshio
import numpy as np
import pytest

from sim.cli import main

REPO = Path(__file__).resolve().parents[1]
TUBE = REPO / "meshes" / "tube.msh"  # 60 mm long, outer radius 5 mm, base at z = 0, tip at z = 60 mm

FINITE = f"""
[mesh]
file = "{TUBE}"
order = 1
[analysis]
kinematics = "finite"
increments = 2
[materials.tube]
model = "neo_hookean"
E_MPa = 3.0
nu = 0.45
[[boundary]]
set = "base"
fix = ["x", "y", "z"]
[[boundary]]
set = "tip"
displacement_mm = {{ z = 30.0 }}
"""


def run(tmp_path, text, capsys):
    model = tmp_path / "model.toml"
    model.write_text(text)
    code = main(["solve", str(model), "--out", str(tmp_path / "out")])
    return code, capsys.readouterr().err.strip()


def test_finite_stretch_writes_cauchy_stress_J_and_green_lagrange_strain(tmp_path, capsys):
    code, err = run(tmp_path, FINITE, capsys)
    assert code == 0 and err == ""
    fields = meshio.read(tmp_path / "out" / "fields.vtu")
    assert {"displacement", "von_mises", "J", "max_principal"} <= set(fields.point_data)
    cell = {k: v[0] for k, v in fields.cell_data.items()}
    assert cell["cauchy_stress"].shape[1] == 9 and cell["green_lagrange_strain"].shape[1] == 9
    # the tube is stretched by 1.5: the axial Green-Lagrange strain away from the clamped ends is ~ (1.5^2 - 1)/2
    centroid_z = fields.points[fields.cells[0].data[:, :4]].mean(axis=1)[:, 2]
    middle = np.abs(centroid_z - 30.0) < 10.0
    assert np.median(cell["green_lagrange_strain"][middle, 8]) == pytest.approx(0.625, rel=0.05)
    reactions = (tmp_path / "out" / "reactions.csv").read_text().splitlines()
    base = dict(zip(reactions[0].split(","), reactions[1].split(",")))
    tip = dict(zip(reactions[0].split(","), reactions[2].split(",")))
    assert float(base["Fz_N"]) == pytest.approx(-float(tip["Fz_N"]), rel=1e-6) and float(tip["Fz_N"]) > 0


@pytest.mark.parametrize("change, message", [
    (('kinematics = "finite"', 'kinematics = "large"'), "kinematics: 'large' is not one of small, finite"),
    (("increments = 2", "increments = 0"), "increments: must be >= 1"),
    (("nu = 0.45", "nu = 0.5"), "nu: must lie in (-1, 0.5) for this compressible law"),
    (('model = "neo_hookean"\nE_MPa = 3.0\nnu = 0.45', 'model = "ogden"\nmu_MPa = [-0.1]\nalpha = [2.0]\nK_MPa = 1.0'),
     "mu_MPa * alpha must be > 0"),
])
def test_bad_finite_input_is_one_line_exit_2(tmp_path, capsys, change, message):
    code, err = run(tmp_path, FINITE.replace(*change), capsys)
    assert code == 2 and message in err and "\n" not in err
    assert not (tmp_path / "out").exists()
