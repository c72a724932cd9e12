"""Bad geometry input: one-line InputErrors, and the mesh command writes nothing on error."""

import json
from pathlib import Path

import meshio
import pytest

from sim.errors import InputError
from sim.geometry import build_mesh, parse_geometry
from sim.mesh_command import OUTPUTS, mesh_command
from tube_bone import tube_builder

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


def test_conform_to_cut_needs_a_stump_and_a_boolean():
    assert "stump" in error_of({"resection": {"total": True}, "spacer": {"shape": "bead", "conform_to_cut": True}})
    assert "conform_to_cut" in error_of(spacer(shape="bead", conform_to_cut="yes"))


def edge(radius_mm, **resection):
    return {"resection": {"resection_length_mm": 20, "edge_radius_mm": radius_mm} | resection}


def test_edge_radius_negative_or_without_a_stump():
    assert "edge_radius_mm must be >= 0 mm, got -1" in error_of(edge(-1.0))
    total = {"resection": {"total": True, "edge_radius_mm": 1.0}}
    assert "total = true leaves no stump" in error_of(total)


def test_edge_radius_not_smaller_than_the_cortex():
    """Ray 2's metatarsal cortex is 2 mm (anatomy.py), its phalanx's 1.2 mm."""
    assert "metatarsal's cortex (2 mm)" in error_of(edge(2.0))
    assert "phalanx's cortex (1.2 mm)" in error_of(edge(1.5, bone="phalanx", resection_length_mm=8))
    assert parse_geometry(edge(1.9)).resection.edge_radius_mm == 1.9


def test_edge_radius_that_would_reach_the_core_at_a_thin_cortex(tmp_path):
    """A straight tube with a 0.5 mm cortex: a 1.5 mm rounding passes the shaft check of ray 2's anatomy (2 mm)
    but would cut into the core; the solids say so before any meshing, and nothing is written."""
    with pytest.raises(InputError) as info:
        build_mesh(edge(1.5, resection_length_mm=5), tmp_path, size_mm=3.0, order=1,
                   bone_builder=tube_builder(5.0, 4.5, 12.0))
    assert "larger than the cortex at the cut allows" in str(info.value) and "\n" not in str(info.value)
    assert not list(tmp_path.iterdir())


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
