"""Splitting a conforming mesh along an interface (sim.mesh.split): one side gets its own copy of the nodes."""

import numpy as np
import pytest

from sim.errors import InputError
from sim.fem.surface import facet_basis
from sim.mesh import Mesh
from sim.mesh.box import box_mesh
from sim.mesh.split import facet_cells, region_interface, split_interface
from sim.mesh.topology import node_components


def two_blocks(order: int) -> Mesh:
    """1 x 1 x 2 box, 'low' below z = 1 and 'up' above; node set 'edge' on the line x = y = 0."""
    mesh = box_mesh((2, 2, 4), (1.0, 1.0, 2.0), order=order)
    zc = mesh.nodes_mm[mesh.cells[:, :4], 2].mean(axis=1)
    edge = np.flatnonzero(np.isclose(mesh.nodes_mm[:, :2], 0.0).all(axis=1))
    mesh = Mesh(mesh.nodes_mm, mesh.cells, (zc > 1).astype(int), {0: "low", 1: "up"}, {"edge": edge},
                mesh.facet_sets)
    mesh.facet_sets["iface"] = region_interface(mesh, ["low"], ["up"])
    return mesh


@pytest.mark.parametrize("order", [1, 2])
def test_region_interface_is_the_plane_between_the_regions(order):
    """2 x 2 hexes of 2 triangles each, all at z = 1, area 1."""
    mesh = two_blocks(order)
    facets = mesh.facet_sets["iface"]
    assert facets.shape == (8, 3 * order)
    assert np.allclose(mesh.nodes_mm[facets, 2], 1.0)
    fb = facet_basis(mesh, facets)
    assert np.allclose(np.abs(fb.n_fqi), [0.0, 0.0, 1.0])
    assert fb.area_mm2 == pytest.approx(1.0)


@pytest.mark.parametrize("order", [1, 2])
def test_split_duplicates_interface_nodes_for_one_side(order):
    mesh = two_blocks(order)
    shared = np.unique(mesh.facet_sets["iface"])
    split, pairs = split_interface(mesh, "iface", ["up"])
    assert split.n_nodes == mesh.n_nodes + len(shared)
    assert np.array_equal(pairs[:, 0], shared)
    assert np.array_equal(split.nodes_mm[pairs[:, 0]], split.nodes_mm[pairs[:, 1]])
    up = split.region == 1
    assert not np.isin(split.cells[up], pairs[:, 0]).any()
    assert not np.isin(split.cells[~up], pairs[:, 1]).any()
    assert node_components(split)[0] == 2 and node_components(mesh)[0] == 1


@pytest.mark.parametrize("order", [1, 2])
def test_split_sides_are_faces_of_their_own_cells_with_opposite_normals(order):
    split, _ = split_interface(two_blocks(order), "iface", ["up"])
    assert "iface" not in split.facet_sets
    for name, region in (("iface_a", 0), ("iface_b", 1)):
        cells = facet_cells(split, split.facet_sets[name])
        assert (cells[:, 1] == -1).all()  # each side is now an outer surface of one cell
        assert (split.region[cells[:, 0]] == region).all()
    na = facet_basis(split, split.facet_sets["iface_a"]).n_fqi
    nb = facet_basis(split, split.facet_sets["iface_b"]).n_fqi
    assert np.allclose(na, [0, 0, 1]) and np.allclose(nb, [0, 0, -1])


def test_split_keeps_other_sets_on_their_cells():
    """Side faces crossing the interface line follow their cells; a node set keeps both copies."""
    mesh = two_blocks(2)
    split, pairs = split_interface(mesh, "iface", ["up"])
    for name in ("xmin", "xmax", "ymin", "ymax", "zmin", "zmax"):
        assert len(split.facet_sets[name]) == len(mesh.facet_sets[name])
        assert (facet_cells(split, split.facet_sets[name])[:, 0] >= 0).all(), name
    on_edge = pairs[np.isin(pairs[:, 0], mesh.node_sets["edge"])]
    assert len(on_edge) == 1  # the line x = y = 0 crosses the interface at one corner
    assert np.isin(on_edge.ravel(), split.node_sets["edge"]).all()


def test_split_errors_are_one_line_input_errors():
    mesh = two_blocks(1)
    with pytest.raises(InputError, match="outer surface"):
        split_interface(mesh, "zmax", ["up"])
    with pytest.raises(InputError, match="no region 'cement'.*low, up"):
        split_interface(mesh, "iface", ["cement"])
    with pytest.raises(InputError, match="not a surface set"):
        split_interface(mesh, "nothing", ["up"])
    with pytest.raises(InputError, match="do not separate"):
        split_interface(mesh, "iface", ["up", "low"])
