"""Bad input gives one clear line on stderr and exit code 2, never a traceback."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sim.cli import main

REPO = Path(__file__).resolve().parents[1]
TUBE = REPO / "meshes" / "tube.msh"

GOOD = f"""
[mesh]
file = "{TUBE}"
[materials.tube]
E_MPa = 17000.0
nu = 0.3
[[boundary]]
set = "base"
fix = ["x", "y", "z"]
[[load]]
set = "tip"
force_N = [100.0, 0.0, 0.0]
"""


def run(tmp_path, text, capsys):
    model = tmp_path / "model.toml"
    model.write_text(text)
    code = main(["solve", str(model), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    return code, err


def test_good_model_solves(tmp_path, capsys):
    code, err = run(tmp_path, GOOD, capsys)
    assert code == 0 and err == ""
    assert (tmp_path / "out" / "fields.vtu").stat().st_size > 0
    assert (tmp_path / "out" / "reactions.csv").read_text().startswith("set,Fx_N,Fy_N,Fz_N,Mx_Nmm,My_Nmm,Mz_Nmm")


@pytest.mark.parametrize("change, message", [
    (("tube.msh", "missing.msh"), "mesh file not found"),
    (("E_MPa = 17000.0", "E_MPa = -5.0"), "E_MPa: must be > 0"),
    (("nu = 0.3", "nu = 0.5"), "nu: must lie in (-1, 0.5)"),
    (("[materials.tube]", "[materials.bone]"), "does not have; regions are: tube"),
    (('set = "base"', 'set = "bottom"'), "no set named 'bottom'; the mesh has: base, tip, tube"),
    (('fix = ["x", "y", "z"]', 'fix = ["x", "y"]'), "free rotation about x, rotation about y, translation along z"),
    (("E_MPa = 17000.0", "E_Mpa = 17000.0"), "unknown key 'E_Mpa' (did you mean 'E_MPa'?)"),
    (("E_MPa = 17000.0", 'E_MPa = "stiff"'), "E_MPa: expected a finite number"),
])
def test_bad_model_is_one_line_exit_2(tmp_path, capsys, change, message):
    code, err = run(tmp_path, GOOD.replace(*change), capsys)
    assert code == 2
    assert message in err and "\n" not in err
    assert not (tmp_path / "out").exists()


def test_region_without_material(tmp_path, capsys):
    code, err = run(tmp_path, GOOD.replace("[materials.tube]\nE_MPa = 17000.0\nnu = 0.3", "[materials]"), capsys)
    assert code == 2 and "region 'tube' has no material" in err


def test_unconstrained_model_names_free_motions(tmp_path, capsys):
    text = GOOD.replace('fix = ["x", "y", "z"]', 'fix = ["z"]')
    code, err = run(tmp_path, text, capsys)
    assert code == 2
    assert "free rotation about z, translation along x, translation along y" in err


def test_mesh_without_tetrahedra(tmp_path, capsys):
    import meshio

    flat = tmp_path / "flat.vtu"
    meshio.Mesh(np.eye(3), [("triangle", np.array([[0, 1, 2]]))]).write(flat)
    code, err = run(tmp_path, GOOD.replace(str(TUBE), str(flat)), capsys)
    assert code == 2 and "has no tetrahedra" in err


def test_inverted_element_is_named(tmp_path, capsys):
    import meshio

    points = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1.0]])
    cells = np.array([[0, 1, 2, 3], [1, 3, 2, 4]])  # the second is numbered inside out
    bad = tmp_path / "bad.vtu"
    meshio.Mesh(points, [("tetra", cells)]).write(bad)
    code, err = run(tmp_path, GOOD.replace(str(TUBE), str(bad)), capsys)
    assert code == 2 and "cell 1 in region 'region_0' is inverted" in err


def test_console_script_prints_no_traceback(tmp_path):
    model = tmp_path / "model.toml"
    model.write_text(GOOD.replace("tube.msh", "missing.msh"))
    done = subprocess.run([sys.executable, "-m", "sim.cli", "solve", str(model), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
