"""Experiments end to end on a coarse tet4 ray: sweep rows, stiffness bounds, linearity in body mass,
resuming, plots, and bad input (one line, exit 2, nothing written)."""

import csv
import json
import shutil
from pathlib import Path

import pytest

from sim.cli import main

QUICK = """
[experiment]
name = "quick"
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
[reference]
name = "intact"
remove = ["geometry.resection", "geometry.spacer"]
[sweep]
"geometry.spacer.fill_fraction" = [0.0, 0.5, 1.0]
"""
PLOTS = ["stiffness_vs_fill", "load_share_vs_fill", "safety_factor_vs_fill", "stress_vs_gait", "von_mises_section"]


def rows(path: Path) -> list[dict]:
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    (folder / "quick.toml").write_text(QUICK)
    assert main(["run", str(folder / "quick.toml"), "--out", str(folder / "out"), "--jobs", "1"]) == 0
    return folder


@pytest.mark.slow
def test_three_fill_fractions_give_three_rows_with_rising_cement(sweep):
    table = [r for r in rows(sweep / "out" / "summary.csv") if r["reference"] == "false"]
    assert [float(r["geometry.spacer.fill_fraction"]) for r in table] == [0.0, 0.5, 1.0]
    cement = [float(r["cement_volume_mm3"]) for r in table]
    assert cement[0] == 0.0 < cement[1] < cement[2]
    void = float(table[1]["void_volume_mm3"])
    assert cement[1] / void == pytest.approx(0.5, rel=0.01)


@pytest.mark.slow
def test_full_fill_stiffness_lies_between_empty_void_and_intact_ray(sweep):
    """Cement (2.5 GPa) is softer than the bone it replaces and stiffer than scar tissue (3 MPa)."""
    by_case = {r["case"]: r for r in rows(sweep / "out" / "summary.csv")}
    for key in ("construct_stiffness_axial_N_per_mm", "construct_stiffness_bending_N_per_mm"):
        empty, full = float(by_case["c00_fill_fraction-0.0"][key]), float(by_case["c02_fill_fraction-1.0"][key])
        intact = float(by_case["intact"][key])
        assert empty < full < intact


@pytest.mark.slow
def test_outputs_are_complete(sweep):
    out = sweep / "out"
    frames = rows(out / "frames.csv")
    assert len(frames) == 4 * 5
    manifest = json.loads((out / "manifest.json").read_text())
    assert [c["name"] for c in manifest["cases"]] == [r["case"] for r in rows(out / "summary.csv")]
    assert all(len(c["hash"]) == 16 for c in manifest["cases"])
    assert manifest["versions"]["numpy"]
    assert sorted(p.name for p in (out / "fields").iterdir()) == sorted(f"{c['name']}.vtu" for c in manifest["cases"])
    for stem in PLOTS:
        for ext in ("png", "svg"):
            assert (out / "plots" / f"{stem}.{ext}").stat().st_size > 1000


@pytest.mark.slow
def test_manifest_times_each_phase_in_wall_and_cpu_seconds(sweep):
    """run_case's phases (assemble only where the case made its model) in wall time and, under cpu_s, in
    the process's CPU time; each adds up to its total, and the assemble time measured inside the model is
    taken out of factorize in both."""
    for case in json.loads((sweep / "out" / "manifest.json").read_text())["cases"]:
        wall = case["timings_s"]
        cpu = wall.pop("cpu_s")
        assert set(wall) - {"assemble"} == {"mesh", "factorize", "solve", "post", "write", "total"}
        assert set(cpu) == set(wall)
        for timed in (wall, cpu):
            assert timed["total"] == pytest.approx(sum(v for k, v in timed.items() if k != "total"))
            assert all(v >= -1e-3 for v in timed.values())
        assert cpu["mesh"] + cpu["solve"] + cpu["post"] > 0
        if "assemble" in wall:
            assert cpu["assemble"] > 0


@pytest.mark.slow
def test_the_sections_mesh_is_one_image_in_the_svg(sweep):
    """The cut cells of the field picture are rasterized: one embedded image per section, not a vector
    path per cell (thousands), while axes and labels stay text."""
    svg = (sweep / "out" / "plots" / "von_mises_section.svg").read_text()
    assert svg.count("<image") == 3  # the two sections and the colour bar
    assert svg.count("<path") < 500


@pytest.mark.slow
def test_rerun_after_deleting_a_case_recomputes_exactly_that_case(sweep, capsys):
    out = sweep / "out"
    before = {r["case"]: r for r in rows(out / "summary.csv")}
    (out / "cases" / "c01_fill_fraction-0.5.json").unlink()
    assert main(["run", str(sweep / "quick.toml"), "--out", str(out), "--jobs", "1"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["run"]["computed"] == ["c01_fill_fraction-0.5"]
    after = {r["case"]: r for r in rows(out / "summary.csv")}
    assert after["c01_fill_fraction-0.5"]["cement_volume_mm3"] == before["c01_fill_fraction-0.5"]["cement_volume_mm3"]
    # every case, computed or skipped, says once that its 1 MPa joint cartilage is beyond small strain
    notes = [line for line in capsys.readouterr().out.splitlines() if "small strain is outside its range" in line]
    assert sorted(line.split(":")[0] for line in notes) == sorted(f"case {name}" for name in after)
    assert all(float(after[name]["peak_strain_percent"]) > 5.0 for name in after)


@pytest.mark.slow
def test_editing_the_description_recomputes_nothing(sweep, tmp_path):
    text = QUICK.replace('name = "quick"', 'name = "quick"\ndescription = "now described"')
    (tmp_path / "quick.toml").write_text(text)
    shutil.copytree(sweep / "out", tmp_path / "out")
    assert main(["run", str(tmp_path / "quick.toml"), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 0
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["run"]["computed"] == []


@pytest.mark.slow
def test_stresses_scale_linearly_with_body_mass(tmp_path):
    text = QUICK.replace('"geometry.spacer.fill_fraction" = [0.0, 0.5, 1.0]', '"loads.body_mass_kg" = [40.0, 80.0]')
    text = text.replace('[reference]\nname = "intact"\nremove = ["geometry.resection", "geometry.spacer"]\n', "")
    (tmp_path / "mass.toml").write_text(text)
    assert main(["run", str(tmp_path / "mass.toml"), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 0
    light, heavy = rows(tmp_path / "out" / "summary.csv")
    for key in ("peak_von_mises_cement_MPa", "peak_von_mises_cortical_MPa", "peak_force_N"):
        assert float(heavy[key]) == pytest.approx(2 * float(light[key]), rel=1e-9)
    assert float(heavy["construct_stiffness_axial_N_per_mm"]) == pytest.approx(
        float(light["construct_stiffness_axial_N_per_mm"]), rel=1e-9)


@pytest.mark.parametrize("change, message", [
    (("fill_fraction = 0.5", "fill_fractoin = 0.5"), "geometry.spacer: unknown key 'fill_fractoin' (did you mean 'fill_fraction'?)"),
    (("size_mm = 4.0", 'size_mm = "big"'), "mesh.size_mm: expected a number, got 'big'"),
    (("ray = 2", 'ray = 2\n[materials]\ncement = "pmma_gold"'), "materials.cement: unknown material 'pmma_gold'"),
    (('preset = "walking_stance"', 'preset = "running"'), "unknown load preset 'running'"),
    (('"geometry.spacer.fill_fraction"', '"geometry.spacer.fill"'), "geometry.spacer: unknown key 'fill'"),
    (('"geometry.spacer.fill_fraction"', '"geometri.spacer.fill_fraction"'), "unknown key 'geometri' (did you mean 'geometry'?)"),
    (("shape = \"plug\"", "shape = \"cube\""), "shape = 'cube' is not one of: bead, plug, stemmed"),
    (("[mesh]", "[meshing]"), "unknown key 'meshing' (did you mean 'mesh'?)"),
])
def test_bad_experiment_is_one_line_exit_2_and_writes_nothing(tmp_path, capsys, change, message):
    bad = tmp_path / "bad.toml"
    bad.write_text(QUICK.replace(*change))
    assert main(["run", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and str(bad) in err and "\n" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
@pytest.mark.parametrize("args", [["--jobs", "2"], ["--executor", "dask"]])
def test_parallel_executors_give_the_same_results(sweep, tmp_path, args):
    """A case is a pure function of its config: a process pool or a dask cluster changes nothing
    (up to solver round-off: workers run the direct solver on fewer threads)."""
    if "dask" in args:
        pytest.importorskip("dask.distributed")
    out = tmp_path / "out"
    assert main(["run", str(sweep / "quick.toml"), "--out", str(out)] + args) == 0
    serial = {r["case"]: r for r in rows(sweep / "out" / "summary.csv")}
    for row in rows(out / "summary.csv"):
        for key in ("cement_volume_mm3", "construct_stiffness_axial_N_per_mm", "peak_von_mises_cortical_MPa"):
            assert float(row[key]) == pytest.approx(float(serial[row["case"]][key]), rel=1e-7)


@pytest.mark.parametrize("path", sorted((Path(__file__).parents[1] / "experiments").glob("*.toml")),
                         ids=lambda p: p.stem)
def test_every_shipped_experiment_is_valid(path):
    from sim.experiment.config import read_experiment

    exp = read_experiment(path)
    assert exp.cases and len({c.name for c in exp.cases}) == len(exp.cases)
