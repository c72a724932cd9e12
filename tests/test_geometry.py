"""sim.geometry meshes: volumes against formulas, cement fill on the finished mesh, groups, determinism.

Volumes are measured independently of sim.geometry: summed tet volumes of the mesh.msh read back
with sim.mesh.read_mesh. Meshes are coarse (tet4), and the fill matrix runs on a straight tube (the
same spacer code as the ray, cheaper solids), to keep the file fast.
"""

import math
from pathlib import Path

import numpy as np
import pytest

from sim.geometry import build_mesh
from sim.mesh import read_mesh
from tube_bone import tube_builder

pytestmark = pytest.mark.slow  # meshes whole rays (tens of seconds each)

SAMPLE = Path(__file__).parents[1] / "meshes" / "metatarsal_ray2.stl"
COARSE_MM = 3.0
RAY2_LENGTH_MM = 72.0  # anatomy.METATARSAL[2]
CUT_MM = 25.0
RESECTED = {"ray": 2, "resection": {"resection_length_mm": CUT_MM}}


def tet_volumes(mesh):
    c = mesh.nodes_mm[mesh.cells[:, :4]]
    return np.abs(np.linalg.det(c[:, 1:] - c[:, :1])) / 6


def region_volume(mesh, name, keep=None):
    cells = mesh.cells_in(name) if name in mesh.region_ids else np.array([], int)
    vol = tet_volumes(mesh)[cells]
    if keep is not None:
        vol = vol[keep(mesh.nodes_mm[mesh.cells[cells, :4]].mean(axis=1))]
    return vol.sum()


def build(tmp_path, geometry, size=COARSE_MM, **kw):
    result = build_mesh(geometry, tmp_path, size_mm=size, order=1, **kw)
    return result, read_mesh(result.msh_path)


def test_tube_region_volumes_match_formulas(tmp_path):
    """Straight tube R = 6, canal 4, length 12, distal 5 mm resected, 50 % plug: prism volumes, 1 %.

    Element edges of 0.8 mm facet the canal's circle by about 0.7 % of its area."""
    r, rc, length, cut, fill = 6.0, 4.0, 12.0, 5.0, 0.5
    config = {"resection": {"resection_length_mm": cut}, "spacer": {"shape": "plug", "fill_fraction": fill}}
    _, mesh = build(tmp_path, config, size=0.8, bone_builder=tube_builder(r, rc, length))
    expected = {"cortical": math.pi * (r**2 - rc**2) * (length - cut), "cancellous": math.pi * rc**2 * (length - cut),
                "cement": fill * math.pi * r**2 * cut, "soft_tissue": (1 - fill) * math.pi * r**2 * cut}
    for name, formula in expected.items():
        assert region_volume(mesh, name) == pytest.approx(formula, rel=0.01), name


@pytest.mark.parametrize("shape", ["bead", "plug", "stemmed"])
@pytest.mark.parametrize("fill", [0.25, 0.5, 0.75])
def test_meshed_cement_fills_the_requested_fraction(tmp_path, shape, fill):
    """Cement inside the void / void volume on the finished mesh = fill_fraction within 1 % (tube R 5,
    canal 3, length 30, distal 12 mm resected; the stem reaches 8 mm into the canal)."""
    spacer = {"shape": shape, "fill_fraction": fill} | ({"stem_length_mm": 8.0} if shape == "stemmed" else {})
    config = {"resection": {"resection_length_mm": 12.0}, "spacer": spacer}
    result, mesh = build(tmp_path, config, size=1.5, bone_builder=tube_builder(5.0, 3.0, 30.0))
    cement = region_volume(mesh, "cement", keep=lambda c: c[:, 0] > 18.0)
    void = cement + region_volume(mesh, "soft_tissue")
    assert cement / void == pytest.approx(fill, rel=0.01)
    assert result.fill_fraction == pytest.approx(cement / void, rel=1e-9)
    stem = region_volume(mesh, "cement") - cement
    assert (stem > 0) == (shape == "stemmed")
    assert result.stem_volume_mm3 == pytest.approx(stem, rel=1e-9, abs=1e-9)


def test_ray_bead_has_every_group_and_its_fill(tmp_path):
    """A 50 % bead in ray 2 has all seven regions and its interfaces, none empty, and fills half the void."""
    result, mesh = build(tmp_path, dict(RESECTED, spacer={"shape": "bead", "fill_fraction": 0.5}))
    volumes = {"cortical", "cancellous", "phalanx_cortical", "phalanx_cancellous", "joint_cartilage",
               "cement", "soft_tissue"}
    surfaces = {"proximal_base", "distal_load", "cement_stump", "cement_distal", "cement_soft_tissue",
                "soft_tissue_stump", "soft_tissue_distal"}
    assert set(mesh.region_ids) == volumes
    assert set(mesh.facet_sets) == surfaces
    assert all(len(mesh.cells_in(n)) for n in volumes) and all(len(f) for f in mesh.facet_sets.values())
    assert np.allclose(mesh.nodes_mm[mesh.nodes_of("proximal_base"), 0], 0.0)
    x_cut = RAY2_LENGTH_MM - CUT_MM
    cement = region_volume(mesh, "cement", keep=lambda c: c[:, 0] > x_cut)
    assert cement / (cement + region_volume(mesh, "soft_tissue")) == pytest.approx(0.5, rel=0.01)


def test_same_parameters_same_mesh(tmp_path):
    config = dict(RESECTED, spacer={"shape": "plug", "fill_fraction": 0.5})
    _, first = build(tmp_path / "a", config)
    _, again = build(tmp_path / "b", config)
    assert np.array_equal(first.nodes_mm, again.nodes_mm) and np.array_equal(first.cells, again.cells)


def test_fill_zero_has_no_cement_and_fill_one_no_soft_tissue(tmp_path):
    _, empty = build(tmp_path / "0", dict(RESECTED, spacer={"shape": "bead", "fill_fraction": 0.0}))
    assert "cement" not in empty.region_ids and "soft_tissue_stump" in empty.facet_sets
    _, full = build(tmp_path / "1", dict(RESECTED, spacer={"shape": "plug", "fill_fraction": 1.0}))
    assert "soft_tissue" not in full.region_ids
    assert {"cement_stump", "cement_distal"} <= set(full.facet_sets)


def test_patient_surface_with_plug(tmp_path):
    """The shipped sample surface (ray-2 metatarsal, turned and shifted) meshes with the same names."""
    config = {"surface": {"path": str(SAMPLE), "distal_direction": [1, 0.3, 0]},
              "resection": {"resection_length_mm": CUT_MM}, "spacer": {"shape": "plug", "fill_fraction": 0.5}}
    result, mesh = build(tmp_path, config)
    assert set(mesh.region_ids) == {"cortical", "cancellous", "cement", "soft_tissue"}
    assert {"proximal_base", "distal_load", "cement_stump", "cement_soft_tissue"} <= set(mesh.facet_sets)
    assert result.fill_fraction == pytest.approx(0.5, rel=0.01)
    assert result.frame["axes"][0] == pytest.approx([0.940, 0.337, 0.059], abs=0.01)  # rotation of the sample


def facet_area_mm2(mesh, name):
    facets = mesh.facet_sets[name][:, :3]
    p = mesh.nodes_mm[facets]
    return 0.5 * np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1).sum()


TUBE = {"radius": 5.0, "canal": 3.0, "length": 30.0}  # cortex 2 mm; distal 12 mm resected: cut at x = 18


@pytest.mark.parametrize("radius", [0.5, 1.5])
def test_rounded_cut_edge_leaves_a_flat_face_of_the_inner_radius(tmp_path, radius):
    """A plug on a tube whose cut rim is rounded by r: the flat cut face (the cement-stump interface) is the
    disc of radius R - r (pi (R - r)^2, faceting within 2 %), the fillet is a free surface between the
    plane and x_cut - r, and the fill stays exact."""
    config = {"resection": {"resection_length_mm": 12.0, "edge_radius_mm": radius},
              "spacer": {"shape": "plug", "fill_fraction": 0.5}}
    result, mesh = build(tmp_path, config, size=1.0, bone_builder=tube_builder(*TUBE.values()))
    assert facet_area_mm2(mesh, "cement_stump") == pytest.approx(math.pi * (5.0 - radius) ** 2, rel=0.02)
    assert "soft_tissue_stump" not in mesh.facet_sets
    assert result.fill_fraction == pytest.approx(0.5, rel=0.01)
    stump = mesh.nodes_mm[np.unique(mesh.cells[mesh.cells_in("cortical"), :4])]
    on_rim = np.hypot(stump[:, 1], stump[:, 2]) > 5.0 - 1e-6
    assert stump[on_rim, 0].max() == pytest.approx(18.0 - radius, abs=0.05)  # the rim's corner is gone


@pytest.mark.parametrize("fill", [0.3, 0.7])
def test_bead_conforming_to_the_cut_covers_the_whole_cut_face(tmp_path, fill):
    """conform_to_cut: the bead's cement covers the stump's whole cut face (pi R^2, faceting within 2 %;
    no scar touches the cut face) and bead and layer together fill the requested fraction."""
    config = {"resection": {"resection_length_mm": 12.0},
              "spacer": {"shape": "bead", "fill_fraction": fill, "conform_to_cut": True}}
    result, mesh = build(tmp_path, config, size=1.5, bone_builder=tube_builder(*TUBE.values()))
    assert facet_area_mm2(mesh, "cement_stump") == pytest.approx(math.pi * 5.0**2, rel=0.02)
    assert "soft_tissue_stump" not in mesh.facet_sets
    cement = region_volume(mesh, "cement", keep=lambda c: c[:, 0] > 18.0)
    assert cement / (cement + region_volume(mesh, "soft_tissue")) == pytest.approx(fill, rel=0.01)
    assert result.fill_fraction == pytest.approx(fill, rel=0.01)


@pytest.mark.parametrize("shape, fill", [("bead", 0.3), ("bead", 0.7), ("plug", 0.7), ("stemmed", 0.3)])
def test_ray_surgical_geometry_meshes_with_its_fill(tmp_path, shape, fill):
    """Ray 2, the shipped pseudo-joint resection (15 mm lesion + 10 mm margin), cut rim rounded by 1 mm and the
    cement moulded to the cut: meshes at 4 mm (tet4) with no inverted cell, the requested fill and the cement
    on the whole flat cut face."""
    config = {"ray": 2, "resection": {"lesion_extent_mm": 15.0, "edge_radius_mm": 1.0},
              "spacer": {"shape": shape, "fill_fraction": fill, "conform_to_cut": True}}
    result, mesh = build(tmp_path, config, size=4.0)
    assert result.quality["min_sicn"] > 0
    assert result.fill_fraction == pytest.approx(fill, rel=0.01)
    assert "soft_tissue_stump" not in mesh.facet_sets


def sharp_nodes_in_plane(mesh, regions, x_mm):
    """Ids of the nodes on sharp surface edges of the body made of `regions` that lie in the plane x = x_mm."""
    from sim.geometry.features import sharp_edge_nodes

    nodes = sharp_edge_nodes(mesh, regions)
    return nodes[np.isclose(mesh.nodes_mm[nodes, 0], x_mm, atol=1e-6)]


def test_sharp_edges_of_the_cut_and_of_the_bead_and_their_surgical_cure(tmp_path):
    """Ray 2, the pseudo-joint's bead at 50 %: the saw-cut stump has a sharp rim in the cut plane, and the
    bead's end is a sharp edge inside the stump's cut face (on the cement-stump interface, off the stump's
    rim). With the rim rounded (edge_radius_mm = 1) and the cement moulded over the cut face
    (conform_to_cut), no sharp edge of the stump lies in the cut plane, and the cement's rim lies off the
    stump's flat face, over the rounding: no sharp edge of either body bears on the other's face."""
    resection = {"lesion_extent_mm": 15.0}
    x_cut = RAY2_LENGTH_MM - 25.0
    stump = ["cortical", "cancellous"]
    _, sharp = build(tmp_path / "sharp", {"ray": 2, "resection": resection,
                                          "spacer": {"shape": "bead", "fill_fraction": 0.5}}, size=4.0)
    stump_rim, bead_rim = sharp_nodes_in_plane(sharp, stump, x_cut), sharp_nodes_in_plane(sharp, ["cement"], x_cut)
    assert len(stump_rim) >= 8 and len(bead_rim) >= 8
    assert np.isin(bead_rim, sharp.facet_sets["cement_stump"]).all() and not np.isin(bead_rim, stump_rim).any()
    _, surgical = build(tmp_path / "surgical", {"ray": 2, "resection": resection | {"edge_radius_mm": 1.0},
                                                "spacer": {"shape": "bead", "fill_fraction": 0.5,
                                                           "conform_to_cut": True}}, size=4.0)
    assert len(sharp_nodes_in_plane(surgical, stump, x_cut)) == 0
    cement_rim = sharp_nodes_in_plane(surgical, ["cement"], x_cut)
    assert len(cement_rim) and not np.isin(cement_rim, surgical.facet_sets["cement_stump"]).any()
