"""`spacer-sim export`: .inp read back (meshio and a small parser: nodes, elements, sets, total load), run in
CalculiX where `ccx` is installed (displacements equal to 1e-6 on the same mesh), .feb checked against FEBio's
XML structure (sections, ids, total load); bad input: one line, exit 2, nothing written."""

import shutil
import subprocess
import xml.etree.ElementTree as ET

import meshio
import numpy as np
import pytest

from sim.cli import main
from sim.export.model import from_model_file
from sim.model import BoundarySpec, LoadSpec
from sim.verify import shapes

MODEL = """
[mesh]
file = "tube.msh"
order = {order}
[materials.tube]
model = "transversely_isotropic"
E_axial_MPa = 17000.0
E_transverse_MPa = 11000.0
nu_axial = 0.3
nu_transverse = 0.4
G_axial_MPa = 3300.0
axis = [0.2, -0.3, 1.0]
[[boundary]]
set = "base"
fix = ["x", "y"]
displacement_mm = {{ z = -0.01 }}
[[load]]
set = "tip"
force_N = [40.0, -25.0, 100.0]
moment_Nmm = [150.0, 80.0, -60.0]
point_mm = [0.0, 0.0, 30.0]
[[load]]
set = "tip"
pressure_MPa = 0.5
"""


@pytest.fixture(scope="module")
def tube_mesh(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tube")
    shapes.tube(folder / "tube.msh", 30.0, 5.0, 2.5, size=2.0, order=2)
    return folder


def model_file(folder, order):
    path = folder / f"tube_tet{4 if order == 1 else 10}.toml"
    path.write_text(MODEL.format(order=order))
    return path


def keyword_blocks(text: str) -> list[tuple[str, list[str]]]:
    """(keyword line, data lines) for every keyword of an .inp file (comments dropped)."""
    blocks = []
    for line in text.splitlines():
        if line.startswith("**") or not line.strip():
            continue
        if line.startswith("*"):
            blocks.append((line.upper(), []))
        else:
            blocks[-1][1].append(line)
    return blocks


@pytest.mark.parametrize("order", [1, 2])
def test_inp_reads_back_with_the_same_mesh_sets_and_load(tube_mesh, tmp_path, order):
    source = model_file(tube_mesh, order)
    assert main(["export", str(source), "--format", "inp", "--out", str(tmp_path)]) == 0
    path = tmp_path / f"{source.stem}.inp"
    model = from_model_file(source)
    mesh = model.mesh
    back = meshio.read(path)
    assert len(back.points) == mesh.n_nodes
    assert np.abs(back.points - mesh.nodes_mm).max() < 1e-12 * np.abs(mesh.nodes_mm).max()
    (block,) = back.cells
    assert block.type == ("tetra" if order == 1 else "tetra10") and len(block.data) == mesh.n_cells
    assert np.array_equal(block.data, mesh.cells)  # node numbering and C3D10 edge order unchanged
    assert set(mesh.node_sets) <= set(back.point_sets) and set(back.cell_sets) == {"tube"}
    for name, nodes in mesh.node_sets.items():
        assert np.array_equal(np.sort(back.point_sets[name]), np.sort(nodes))
    blocks = keyword_blocks(path.read_text())
    cload = np.array([[float(v) for v in line.split(",")] for key, lines in blocks if key == "*CLOAD"
                      for line in lines])
    total = np.zeros(3)
    np.add.at(total, cload[:, 1].astype(int) - 1, cload[:, 2])
    f = model.forces_N.reshape(-1, 3)
    assert np.abs(total - f.sum(axis=0)).max() < 1e-9 * np.abs(f).sum()
    pressure = model.problem.load_vector(LoadSpec("tip", pressure_MPa=0.5)).reshape(-1, 3).sum(axis=0)
    applied = np.array([40.0, -25.0, 100.0]) + pressure
    assert np.abs(total - applied).max() < 1e-9 * 100
    assert any(key.startswith("*ELASTIC, TYPE=ENGINEERING CONSTANTS") for key, _ in blocks)
    assert any(key.startswith("*ORIENTATION") for key, _ in blocks)


def ccx_displacements(dat_text: str, n_nodes: int) -> np.ndarray:
    """Displacements (n, 3) from the last *NODE PRINT table of a CalculiX .dat file (the end of the step)."""
    u = np.full((n_nodes, 3), np.nan)
    lines = dat_text.splitlines()
    start = max(i for i, line in enumerate(lines) if line.strip().startswith("displacements"))
    for line in lines[start + 1:]:
        parts = line.split()
        if len(parts) == 4:
            u[int(parts[0]) - 1] = [float(v) for v in parts[1:]]
        elif parts:
            break
    return u


@pytest.mark.skipif(shutil.which("ccx") is None, reason="CalculiX (ccx) is not installed")
@pytest.mark.parametrize("order", [1, 2])
def test_calculix_gives_the_same_displacements(tube_mesh, tmp_path, order):
    """Same mesh, materials (engineering constants + orientation), prescribed displacement and nodal forces:
    max |u_ccx - u| <= 1e-6 max |u| (the .dat table prints 7 significant digits)."""
    source = model_file(tube_mesh, order)
    assert main(["export", str(source), "--format", "inp", "--out", str(tmp_path)]) == 0
    run = subprocess.run(["ccx", source.stem], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                         env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0 and "ERROR" not in run.stdout, run.stdout[-2000:]
    model = from_model_file(source)
    u = model.problem.solve(model.forces_N).reshape(-1, 3)
    u_ccx = ccx_displacements((tmp_path / f"{source.stem}.dat").read_text(), model.mesh.n_nodes)
    assert np.abs(u_ccx - u).max() <= 1e-6 * np.abs(u).max()


FINITE = """
[mesh]
file = "tube.msh"
[materials.tube]
model = "isotropic"
E_MPa = 1000.0
nu = 0.3
[[boundary]]
set = "base"
fix = ["x", "y", "z"]
[[load]]
set = "tip"
force_N = [400.0, 0.0, 0.0]
[analysis]
kinematics = "finite"
increments = 4
"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("ccx") is None, reason="CalculiX (ccx) is not installed")
def test_calculix_nlgeom_gives_the_finite_strain_displacements(tube_mesh, tmp_path):
    """Finite kinematics export as NLGEOM: a tip deflection of 28 % of the length, where the linear answer
    differs by more than 1 %; CalculiX and spacer-sim's St Venant-Kirchhoff solve agree to 1e-5."""
    source = tube_mesh / "finite.toml"
    source.write_text(FINITE)
    assert main(["export", str(source), "--format", "inp", "--out", str(tmp_path)]) == 0
    assert "*STEP, NLGEOM" in (tmp_path / "finite.inp").read_text()
    run = subprocess.run(["ccx", "finite"], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                         env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0 and "ERROR" not in run.stdout, run.stdout[-2000:]
    model = from_model_file(source)
    u = model.problem.solve(model.forces_N).reshape(-1, 3)
    u_ccx = ccx_displacements((tmp_path / "finite.dat").read_text(), model.mesh.n_nodes)
    assert np.abs(u_ccx - u).max() <= 1e-5 * np.abs(u).max()
    small = tube_mesh / "small.toml"
    small.write_text(FINITE.replace('kinematics = "finite"\nincrements = 4', 'kinematics = "small"'))
    linear = from_model_file(small)
    u_linear = linear.problem.solve(linear.forces_N).reshape(-1, 3)
    assert np.abs(u_linear - u).max() > 1e-2 * np.abs(u).max()  # a linear step would fail the comparison


def stacked_blocks(order: int, kind: str):
    """Two 1 x 1 x 1 mm blocks stacked along z, their interface split; pressed by 10 MPa and pushed sideways by
    0.5 N; rollers on xmin, ymin, zmin. Returns the export model (spacer-sim's contact problem)."""
    from sim.contact import ContactProblem, InterfaceSpec
    from sim.export.model import ExportModel
    from sim.mesh import Mesh
    from sim.mesh.box import box_mesh
    from sim.mesh.split import region_interface, split_interface

    box = box_mesh((2, 2, 4), (1.0, 1.0, 2.0), order=order)
    upper = (box.nodes_mm[box.cells[:, :4], 2].mean(axis=1) > 1.0).astype(int)
    mesh = Mesh(box.nodes_mm, box.cells, upper, {0: "lower", 1: "upper"}, {}, dict(box.facet_sets))
    mesh.facet_sets["joint"] = region_interface(mesh, ["lower"], ["upper"])
    mesh, _ = split_interface(mesh, "joint", ["upper"])
    materials = {"lower": {"E_MPa": 1000.0, "nu": 0.3}, "upper": {"E_MPa": 1000.0, "nu": 0.3}}
    problem = ContactProblem(mesh, materials, [BoundarySpec("zmin", {2: 0.0}), BoundarySpec("xmin", {0: 0.0}),
                                               BoundarySpec("ymin", {1: 0.0})],
                             [InterfaceSpec("joint", kind, 0.3 if kind == "frictional" else 0.0)])
    f = problem.load_vector(LoadSpec("zmax", pressure_MPa=10.0)) + problem.load_vector(
        LoadSpec("xmax", force_N=(-0.5, 0.0, 0.0)))
    return ExportModel(f"blocks_{kind}", "stacked blocks", problem, materials, f)


@pytest.mark.skipif(shutil.which("ccx") is None, reason="CalculiX (ccx) is not installed")
@pytest.mark.parametrize("order, kind, tolerance", [(1, "frictional", 2e-4), (2, "contact", 2e-4), (1, "bonded", 1e-6)])
def test_calculix_contact_pair_gives_spacer_sims_contact_answer(tmp_path, order, kind, tolerance):
    """A split interface exported as a penalty contact pair (Coulomb friction) or as node-pair equations
    (bonded): CalculiX's displacements equal spacer-sim's contact solution within the penalty's overclosure."""
    from sim.export.inp import inp_text

    model = stacked_blocks(order, kind)
    text = inp_text(model)
    assert ("*CONTACT PAIR" in text) == (kind != "bonded") and ("*EQUATION" in text) == (kind == "bonded")
    (tmp_path / f"{model.name}.inp").write_text(text)
    run = subprocess.run(["ccx", model.name], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                         env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0 and "ERROR" not in run.stdout, run.stdout[-2000:]
    u = model.problem.solve_sequence(model.forces_N[:, None]).u_mm[:, 0].reshape(-1, 3)
    u_ccx = ccx_displacements((tmp_path / f"{model.name}.dat").read_text(), model.mesh.n_nodes)
    assert np.abs(u_ccx - u).max() <= tolerance * np.abs(u).max()


def test_feb_has_febio_structure_ids_and_load(tube_mesh, tmp_path):
    source = model_file(tube_mesh, 2)
    assert main(["export", str(source), "--format", "feb", "--out", str(tmp_path)]) == 0
    root = ET.parse(tmp_path / f"{source.stem}.feb").getroot()
    assert root.tag == "febio_spec" and root.get("version") == "4.0"
    sections = [child.tag for child in root]
    for required in ("Module", "Control", "Material", "Mesh", "MeshDomains", "Boundary", "Loads", "LoadData"):
        assert required in sections
    assert sections.index("MeshDomains") < sections.index("MeshData") < sections.index("Boundary")
    model = from_model_file(source)
    mesh = root.find("Mesh")
    ids = [int(n.get("id")) for n in mesh.find("Nodes")]
    assert ids == list(range(1, model.mesh.n_nodes + 1))
    elems = [e for block in mesh.findall("Elements") for e in block]
    assert [int(e.get("id")) for e in elems] == list(range(1, model.mesh.n_cells + 1))
    connectivity = np.array([[int(v) for v in e.text.split(",")] for e in elems])
    assert np.array_equal(connectivity - 1, model.mesh.cells)
    materials = {m.get("name"): m for m in root.find("Material")}
    assert materials["tube"].get("type") == "orthotropic elastic"
    blocks = {b.get("name") for b in mesh.findall("Elements")}
    domains = root.find("MeshDomains")
    assert {d.get("name") for d in domains} == blocks and {d.get("mat") for d in domains} <= set(materials)
    node_sets = {s.get("name"): [int(v) for v in s.text.split(",")] for s in mesh.findall("NodeSet")}
    for name, nodes in model.mesh.node_sets.items():
        assert node_sets[name] == sorted(nodes + 1)
    maps = {m.get("name"): m for m in root.find("MeshData")}
    for item in [*root.find("Boundary"), *root.find("Loads")]:
        assert item.get("node_set") in node_sets
        value = item.find("value")
        if value is not None and value.get("type") == "map":
            assert maps[value.text].get("node_set") == item.get("node_set")
            assert len(maps[value.text]) == len(node_sets[item.get("node_set")])
            assert value.get("lc") in {c.get("id") for c in root.find("LoadData")}
    (load,) = root.find("Loads")
    forces = np.array([[float(v) for v in n.text.split(",")] for n in maps[load.find("value").text]])
    f = model.forces_N.reshape(-1, 3)
    assert np.abs(forces.sum(axis=0) - f.sum(axis=0)).max() < 1e-9 * np.abs(f).sum()


def test_hyperelastic_laws_export_as_what_is_solved(tube_mesh, tmp_path, capsys):
    """Small kinematics: a neo-Hookean region is written as the isotropic elasticity spacer-sim solves; finite
    kinematics: FEBio's neo-Hookean (the same energy), refused in the .inp (CalculiX's has another)."""
    text = FINITE.replace('model = "isotropic"', 'model = "neo_hookean"')
    small = tube_mesh / "neo_small.toml"
    small.write_text(text.replace('kinematics = "finite"\nincrements = 4', 'kinematics = "small"'))
    assert main(["export", str(small), "--format", "inp", "--out", str(tmp_path)]) == 0
    blocks = dict(keyword_blocks((tmp_path / "neo_small.inp").read_text()))
    E, nu = (float(v) for v in blocks["*ELASTIC"][0].split(","))
    assert E == pytest.approx(1000.0, rel=1e-12) and nu == pytest.approx(0.3, rel=1e-12)
    finite = tube_mesh / "neo_finite.toml"
    finite.write_text(text)
    assert main(["export", str(finite), "--format", "feb", "--out", str(tmp_path)]) == 0
    material = ET.parse(tmp_path / "neo_finite.feb").getroot().find("Material")[0]
    assert material.get("type") == "neo-Hookean" and float(material.find("E").text) == 1000.0
    capsys.readouterr()
    assert main(["export", str(finite), "--format", "inp", "--out", str(tmp_path / "no")]) == 2
    assert "the neo_hookean law under finite kinematics cannot be expressed in the .inp" in capsys.readouterr().err
    assert not (tmp_path / "no").exists()


def test_bad_export_input_is_one_line_and_writes_nothing(tube_mesh, tmp_path, capsys):
    source = model_file(tube_mesh, 1)
    out = tmp_path / "out"
    assert main(["export", str(source), "--format", "stl", "--out", str(out)]) == 2
    assert "unknown export format 'stl'; formats are: inp, feb" in capsys.readouterr().err
    experiment = tmp_path / "exp.toml"
    experiment.write_text('[experiment]\nname = "e"\n[geometry]\nray = 2\n[geometry.resection]\n'
                          'resection_length_mm = 25.0\n[geometry.spacer]\nshape = "bead"\n'
                          '[interfaces]\ncement_bone = "contact"\n[sweep]\n"mesh.size_mm" = [4.0, 5.0]\n')
    assert main(["export", str(experiment), "--format", "inp", "--out", str(out), "--case", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no case 'nope'; cases are: c00_size_mm-4.0, c01_size_mm-5.0" in err
    assert main(["export", str(experiment), "--format", "feb", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "contact interfaces cannot be expressed in the .feb export" in err and "cement_stump (contact)" in err
    assert "export --format inp" in err
    assert not out.exists()


RAY = """
[experiment]
name = "ray"
[geometry]
ray = 2
[geometry.resection]
bone = "metatarsal"
resection_length_mm = 25.0
[geometry.spacer]
shape = "plug"
fill_fraction = 0.5
[mesh]
size_mm = 4.0
order = 1
[loads]
preset = "walking_stance"
n_frames = 5
[sweep]
"geometry.spacer.fill_fraction" = [0.5, 1.0]
"""


@pytest.mark.slow
def test_experiment_case_exports_its_gait_frame(tmp_path):
    """One named case at one frame: the nodal forces add up to that frame's gait force, the clamped base is
    fixed, every region has its element set and material (cortical bone transversely isotropic along the
    ray); where CalculiX is installed it gives spacer-sim's displacements on the ray mesh."""
    from sim.experiment.config import gait_load, read_experiment
    from sim.export.inp import inp_text
    from sim.export.model import from_experiment

    experiment = tmp_path / "ray.toml"
    experiment.write_text(RAY)
    case = "c01_fill_fraction-1.0"
    model = from_experiment(experiment, case, 1)
    path = tmp_path / f"{case}.inp"
    path.write_text(inp_text(model))
    text = path.read_text()
    assert "gait frame 1" in text.splitlines()[0]
    blocks = keyword_blocks(text)
    cload = np.array([[float(v) for v in line.split(",")] for key, lines in blocks if key == "*CLOAD"
                      for line in lines])
    total = np.zeros(3)
    np.add.at(total, cload[:, 1].astype(int) - 1, cload[:, 2])
    cfg = read_experiment(experiment).cases[1].resolve()
    force = gait_load(cfg.loads, cfg.geometry.ray).force_N[1]
    assert np.abs(total - force).max() < 1e-9 * np.abs(force).max()
    back = meshio.read(path)
    assert {"cortical", "cement"} <= set(back.cell_sets) and "proximal_base" in back.point_sets
    assert any(key.startswith("*ELASTIC, TYPE=ENGINEERING CONSTANTS") for key, _ in blocks)
    assert any(key == "*BOUNDARY" for key, _ in blocks)
    if shutil.which("ccx") is None:
        return
    run = subprocess.run(["ccx", case], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                         env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0 and "ERROR" not in run.stdout, run.stdout[-2000:]
    u = model.problem.solve(model.forces_N).reshape(-1, 3)
    u_ccx = ccx_displacements((tmp_path / f"{case}.dat").read_text(), model.mesh.n_nodes)
    assert np.abs(u_ccx - u).max() <= 1e-6 * np.abs(u).max()
