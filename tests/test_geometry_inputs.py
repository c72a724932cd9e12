"""Bad geometry input: one-line InputErrors, and the mesh command writes nothing on error."""

import json
from pathlib import Path

import meshio
import pytest

from sim.errors import InputError
from sim.geometry import build_mesh, parse_geometry
from sim.geometry.cli_mesh import OUTPUTS, mesh_command

SAMPLE = Path(__file__).parents[1] / "meshes" / "metatarsal_ray2.stl"


def error_of(geometry, tmp_path=None) -> str:
    with pytest.raises(InputError) as info:
        if tmp_path is None:
            parse_geometry(geometry)
        else:
            build_mesh(geometry, tmp_path, size_mm=3.0, order=1)
    assert "\n" not in str(info.value)
    return str(info.value)


def spacer(**kw):
    return {"resection": {"resection_length_mm": 20}, "spacer": kw}


def test_fill_fraction_outside_unit_interval():
    assert "fill_fraction must be in [0, 1]" in error_of(spacer(fill_fraction=1.5))
    assert "fill_fraction" in error_of(spacer(fill_fraction=-0.1))


def test_unknown_shape_lists_the_shapes():
    assert "bead, plug, stemmed" in error_of(spacer(shape="cone"))


def test_unknown_key_names_it_and_suggests_the_nearest():
    message = error_of(spacer(fill_fractoin=0.5))
    assert "fill_fractoin" in message and "fill_fraction" in message
    assert "'resecton'" in error_of({"resecton": {}})


def test_resection_longer_than_the_bone(tmp_path):
    assert "not shorter than the metatarsal" in error_of({"resection": {"resection_length_mm": 90}}, tmp_path)
    assert "phalanx" in error_of({"resection": {"bone": "phalanx", "lesion_extent_mm": 15}}, tmp_path)


def test_surface_not_found(tmp_path):
    assert "not found" in error_of({"surface": {"path": str(tmp_path / "none.stl")}}, tmp_path)


def test_surface_not_closed(tmp_path):
    raw = meshio.read(SAMPLE)
    open_stl = tmp_path / "open.stl"
    meshio.write_points_cells(open_stl, raw.points, [("triangle", raw.cells_dict["triangle"][1:])], binary=True)
    assert "not closed" in error_of({"surface": {"path": str(open_stl)}}, tmp_path)


def test_stemmed_needs_a_stump():
    assert "stump" in error_of({"resection": {"total": True}, "spacer": {"shape": "stemmed"}})


@pytest.mark.slow
def test_mesh_command_writes_all_or_nothing(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[geometry]\nray = 2\n[geometry.resection]\nresection_length_mm = 20\n'
                   '[geometry.spacer]\nshape = "cone"\n')
    with pytest.raises(InputError):
        mesh_command(bad, tmp_path / "out_bad")
    assert not (tmp_path / "out_bad").exists()
    good = tmp_path / "good.toml"
    good.write_text(bad.read_text().replace('"cone"', '"plug"') + "[mesh]\nsize_mm = 3.0\norder = 1\n")
    assert mesh_command(good, tmp_path / "out") == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(OUTPUTS)
    report = json.loads((tmp_path / "out" / "quality.json").read_text())
    assert report["fill_fraction"] == pytest.approx(0.5, rel=0.01) and report["quality"]["min_sicn"] > 0


@pytest.mark.slow
def test_mesh_command_meshes_one_case_of_an_experiment_file(tmp_path):
    """An experiment file meshes its named case (here the swept 30 % fill); an unknown case lists the cases,
    and --case on a plain geometry config says what it is for; neither writes anything."""
    experiment = tmp_path / "sweep.toml"
    experiment.write_text('[experiment]\nname = "s"\n[geometry]\nray = 2\n[geometry.resection]\n'
                          'resection_length_mm = 20\n[geometry.spacer]\nshape = "plug"\n'
                          '[mesh]\nsize_mm = 4.0\norder = 1\n[sweep]\n"geometry.spacer.fill_fraction" = [0.3, 0.6]\n')
    assert mesh_command(experiment, tmp_path / "out", "c00_fill_fraction-0.3") == 0
    report = json.loads((tmp_path / "out" / "quality.json").read_text())
    assert report["fill_fraction"] == pytest.approx(0.3, rel=0.01)
    with pytest.raises(InputError, match="no case 'c09'; cases are: c00_fill_fraction-0.3, c01_fill_fraction-0.6"):
        mesh_command(experiment, tmp_path / "out_bad", "c09")
    geometry_only = tmp_path / "geometry.toml"
    geometry_only.write_text('[geometry]\nray = 2\n')
    with pytest.raises(InputError, match="--case picks a case of an experiment file"):
        mesh_command(geometry_only, tmp_path / "out_bad", "c00")
    assert not (tmp_path / "out_bad").exists()
