"""Classes 'silently wrong', 'late' and 'tracebacks': every bad number, key or file is one line on
stderr and exit 2 before anything is written; curve sets of an elevated mesh gain their mid-edge nodes."""

import os
from pathlib import Path

import numpy as np
import pytest

from sim.cli import main

REPO = Path(__file__).resolve().parents[1]
TUBE = REPO / "meshes" / "tube.msh"

EXPERIMENT = """
[experiment]
name = "bad"
[geometry]
ray = 2
[geometry.resection]
bone = "metatarsal"
lesion_extent_mm = 15.0
[geometry.spacer]
shape = "plug"
fill_fraction = 0.5
[mesh]
size_mm = 4.0
order = 1
[loads]
preset = "walking_stance"
n_frames = 3
body_mass_kg = 80.0
[outputs]
steps_per_day = 5000.0
[interfaces]
cement_bone = "bonded"
mu = 0.4
[reference]
name = "intact"
remove = ["geometry.resection", "geometry.spacer", "interfaces"]
"""

MODEL = f"""
[mesh]
file = "{TUBE}"
[materials.tube]
model = "transversely_isotropic"
E_axial_MPa = 17000.0
E_transverse_MPa = 11500.0
nu_axial = 0.3
nu_transverse = 0.4
G_axial_MPa = 3300.0
axis = [0.0, 0.0, 1.0]
[[boundary]]
set = "base"
fix = ["x", "y", "z"]
[[load]]
set = "tip"
force_N = [100.0, 0.0, 0.0]
"""


def one_line_exit_2(capsys, argv, message, out):
    code = main(argv)
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert message in err, err
    assert "\n" not in err and "Traceback" not in err
    assert not Path(out).exists()


@pytest.mark.parametrize("old, new, message", [
    ("size_mm = 4.0", "size_mm = nan", "mesh.size_mm: expected a finite number, got nan"),
    ("body_mass_kg = 80.0", "body_mass_kg = 1e300", "loads.body_mass_kg must lie in [1, 650] kg"),
    ("steps_per_day = 5000.0", "steps_per_day = -5000.0", "outputs.steps_per_day must lie in"),
    ("mu = 0.4", "mu = inf", "interfaces.mu: expected a finite number, got inf"),
    ("lesion_extent_mm = 15.0", "lesion_extent_mm = 15.0\nmargin_mm = -nan", "margin_mm: expected a finite"),
    ('"geometry.spacer", "interfaces"', '"geometry.spacr", "interfaces"',
     "reference.remove: 'geometry.spacr' is not in the experiment (did you mean 'geometry.spacer'?)"),
    ("n_frames = 3", "n_frames = 0", "loads.n_frames must be 2 to 10000, got 0"),
    ("[reference]", '[sweep]\n"geometry.spacer.fill_fraction" = {start = 0, stop = 1, num = 0}\n[reference]',
     ".num must be 1 to 10000, got 0"),
    ("[reference]", '[sweep]\n"geometry.spacer.fill_fraction" = {start = 0, stop = 1, num = -3}\n[reference]',
     ".num must be 1 to 10000, got -3"),
    ("[reference]", '[sweep]\n"geometry.spacer.fill_fraction" = {start = nan, stop = 1, num = 3}\n[reference]',
     "expected a finite number, got nan"),
    ("[reference]", '[sweep]\n"geometry.spacer.fill_fraction" = {start = 0, stop = 1, step = 1e-9}\n[reference]',
     "more than 10000 cases"),
    ("[reference]", '[sweep]\n"geometry.resection.margin_mm" = [10.0, -5.0]\n[reference]',
     "margin_mm must be >= 0 mm, got -5"),
])
def test_bad_experiment_values_and_keys(tmp_path, capsys, old, new, message):
    assert old in EXPERIMENT
    (tmp_path / "e.toml").write_text(EXPERIMENT.replace(old, new, 1))
    one_line_exit_2(capsys, ["run", str(tmp_path / "e.toml"), "--out", str(tmp_path / "out")], message,
                    tmp_path / "out")


def test_an_all_zero_load_curve_is_refused(tmp_path, capsys):
    (tmp_path / "zero.csv").write_text("stance_percent,Fx_per_BW,Fz_per_BW\n0,0,0\n50,0,0\n100,0,0\n")
    text = EXPERIMENT.replace('preset = "walking_stance"', 'csv = "zero.csv"')
    (tmp_path / "e.toml").write_text(text)
    one_line_exit_2(capsys, ["run", str(tmp_path / "e.toml"), "--out", str(tmp_path / "out")],
                    "every force of ray 2 is zero", tmp_path / "out")


def test_unreadable_experiment_files(tmp_path, capsys):
    cases = {
        "latin1.toml": ("name = 'é'".encode("latin-1"), "is not UTF-8 text"),
        "deep.toml": (b"a = " + b"[" * 5000 + b"]" * 5000, "not valid TOML"),
    }
    for name, (content, message) in cases.items():
        (tmp_path / name).write_bytes(content)
        code = main(["run", str(tmp_path / name), "--out", str(tmp_path / "out")])
        err = capsys.readouterr().err.strip()
        assert code == 2 and "\n" not in err and "Traceback" not in err, (name, err)
        assert message in err, (name, err)
    long_name = tmp_path / ("x" * 300 + ".toml")
    one_line_exit_2(capsys, ["run", str(long_name), "--out", str(tmp_path / "out")], "File name too long",
                    tmp_path / "out")


def model_file(tmp_path, text):
    (tmp_path / "model.toml").write_text(text)
    return ["solve", str(tmp_path / "model.toml"), "--out", str(tmp_path / "out")]


@pytest.mark.parametrize("old, new, message", [
    ("axis = [0.0, 0.0, 1.0]", "axis = [0.0, 0.0, 0.0]", "axis: must not be the zero vector"),
    ("axis = [0.0, 0.0, 1.0]", "axis = [nan, 0.0, 1.0]", "expected three finite numbers"),
    ("force_N = [100.0, 0.0, 0.0]", "force_N = [inf, 0.0, 0.0]", "expected three finite numbers"),
    ("E_axial_MPa = 17000.0", "E_axial_MPa = nan", "E_axial_MPa: expected a finite number"),
    ('fix = ["x", "y", "z"]', 'displacement_mm = { z = nan }', "expected a finite number, got nan"),
])
def test_bad_model_numbers(tmp_path, capsys, old, new, message):
    one_line_exit_2(capsys, model_file(tmp_path, MODEL.replace(old, new)), message, tmp_path / "out")


@pytest.mark.parametrize("name, content, message", [
    ("empty.msh", b"", "the mesh file is empty"),
    ("random.vtu", os.urandom(4000), "cannot read mesh"),
    ("random.msh", os.urandom(4000), "cannot read mesh"),
], ids=["empty.msh", "random.vtu", "random.msh"])
def test_unreadable_meshes(tmp_path, capsys, name, content, message):
    (tmp_path / name).write_bytes(content)
    one_line_exit_2(capsys, model_file(tmp_path, MODEL.replace(str(TUBE), str(tmp_path / name))), message,
                    tmp_path / "out")


def test_nan_mesh_coordinates(tmp_path, capsys):
    import meshio

    mesh = meshio.read(TUBE)
    mesh.points[3, 1] = np.nan
    meshio.write(tmp_path / "nan.vtu", meshio.Mesh(mesh.points, [("tetra10", mesh.cells_dict["tetra10"])]))
    text = MODEL.replace(str(TUBE), str(tmp_path / "nan.vtu")).replace("[materials.tube]", "[materials.region_0]")
    one_line_exit_2(capsys, model_file(tmp_path, text), "not a finite number", tmp_path / "out")


def test_model_file_that_is_not_utf8(tmp_path, capsys):
    (tmp_path / "model.toml").write_bytes(MODEL.encode() + "# é\n".encode("latin-1"))
    one_line_exit_2(capsys, ["solve", str(tmp_path / "model.toml"), "--out", str(tmp_path / "out")],
                    "is not UTF-8 text", tmp_path / "out")


@pytest.mark.parametrize("summary", ["case,a,b\nc00,1,2\nc01,1", "case,a\n", "\xff\xfe"])
def test_plot_of_a_damaged_results_folder(tmp_path, capsys, summary):
    (tmp_path / "summary.csv").write_bytes(summary.encode("latin-1"))
    (tmp_path / "frames.csv").write_text("case,frame\nc00,0\n")
    (tmp_path / "manifest.json").write_text('{"cases": [{"name": "c00"}, {"name": "c01"}]}')
    code = main(["plot", str(tmp_path)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "summary.csv" in err and "\n" not in err
    assert not (tmp_path / "plots").exists()


def test_gmsh_failure_is_one_line(tmp_path, capsys):
    from sim.errors import InputError
    from sim.geometry.meshing import gmsh_session
    import gmsh

    with pytest.raises(InputError, match="gmsh could not build the mesh"):
        with gmsh_session("broken"):
            gmsh.model.mesh.generate(3)
            gmsh.model.getBoundingBox(3, 999)  # no such volume: gmsh raises a bare Exception


def test_elevating_to_tet10_adds_mid_edge_nodes_to_curve_sets_and_not_to_point_sets(tmp_path):
    import gmsh

    from sim.geometry.meshing import start_gmsh
    from sim.mesh import elevate_to_tet10, read_mesh

    start_gmsh()
    try:
        gmsh.option.setNumber("General.Terminal", 0)
        box = gmsh.model.occ.addBox(0, 0, 0, 10, 4, 4)
        gmsh.model.occ.synchronize()
        curve = next(t for d, t in gmsh.model.getEntities(1)
                     if np.allclose(gmsh.model.getBoundingBox(1, t), [0, 0, 0, 10, 0, 0], atol=1e-5))
        corner = next(t for d, t in gmsh.model.getEntities(0)
                      if np.allclose(gmsh.model.getBoundingBox(0, t)[:3], [10, 0, 0], atol=1e-5))
        gmsh.model.addPhysicalGroup(3, [box], name="body")
        gmsh.model.addPhysicalGroup(1, [curve], name="edge")
        gmsh.model.addPhysicalGroup(0, [corner], name="corner")
        gmsh.option.setNumber("Mesh.MeshSizeMax", 2.0)
        gmsh.model.mesh.generate(3)
        gmsh.write(str(tmp_path / "box.msh"))
    finally:
        gmsh.finalize()
    tet4 = read_mesh(tmp_path / "box.msh")
    tet10 = elevate_to_tet10(tet4)
    edge = tet10.node_sets["edge"]
    on_line = np.flatnonzero((np.abs(tet10.nodes_mm[:, 1]) < 1e-9) & (np.abs(tet10.nodes_mm[:, 2]) < 1e-9))
    assert len(edge) == 2 * len(tet4.node_sets["edge"]) - 1
    assert np.array_equal(np.sort(edge), on_line)
    assert np.array_equal(tet10.node_sets["corner"], tet4.node_sets["corner"])


@pytest.mark.parametrize("command", ["solve", "mesh", "run"])
def test_out_that_is_a_file_or_unwritable_is_refused_before_any_work(tmp_path, capsys, command):
    source = tmp_path / "in.toml"
    source.write_text(MODEL if command == "solve" else EXPERIMENT)
    (tmp_path / "file").write_text("x")
    assert main([command, str(source), "--out", str(tmp_path / "file")]) == 2
    assert "--out names a file, not a folder" in capsys.readouterr().err
    assert (tmp_path / "file").read_text() == "x"
    if os.geteuid() != 0:  # root may write anywhere
        (tmp_path / "locked").mkdir(mode=0o555)
        assert main([command, str(source), "--out", str(tmp_path / "locked" / "out")]) == 2
        assert "cannot write there" in capsys.readouterr().err
