"""Sharp surface edges of a meshed body (sim.geometry.features) on boxes, where the answer is known."""

import numpy as np

from sim.geometry.features import boundary_facets, on_sharp_edge, sharp_edge_nodes
from sim.mesh import Mesh
from sim.mesh.box import box_mesh


def on_box_edges(x, lo, hi):
    """Whether points (p, 3) lie on at least two of the box's faces (its 12 edges)."""
    on_faces = (np.isclose(x, lo) | np.isclose(x, hi)).sum(axis=1)
    return on_faces >= 2


def test_box_sharp_nodes_are_its_twelve_edges_and_normals_point_out():
    mesh = box_mesh((3, 4, 2), (3.0, 4.0, 2.0))
    sharp = sharp_edge_nodes(mesh, list(mesh.region_ids))
    boundary = np.unique(boundary_facets(mesh, list(mesh.region_ids)))
    expected = boundary[on_box_edges(mesh.nodes_mm[boundary], 0.0, np.array([3.0, 4.0, 2.0]))]
    assert np.array_equal(sharp, expected)
    faces = boundary_facets(mesh, list(mesh.region_ids))
    x = mesh.nodes_mm
    normal = np.cross(x[faces[:, 1]] - x[faces[:, 0]], x[faces[:, 2]] - x[faces[:, 0]])
    outward = np.einsum("fi,fi->f", normal, x[faces].mean(axis=1) - [1.5, 2.0, 1.0])
    assert (outward > 0).all()


def test_one_region_of_two_has_its_own_edges_and_a_flat_face_between_them_is_not_sharp():
    """Box 4 x 2 x 2 of two regions (x < 2, x > 2): the surface of region 0 alone is the box [0, 2] x ...,
    whose edges include the rim of the x = 2 face; with both regions that rim is a flat part of the surface."""
    mesh = box_mesh((4, 2, 2), (4.0, 2.0, 2.0))
    centre_x = mesh.nodes_mm[mesh.cells[:, :4]].mean(axis=1)[:, 0]
    mesh = Mesh(mesh.nodes_mm, mesh.cells, (centre_x > 2.0).astype(int), {0: "left", 1: "right"}, {},
                mesh.facet_sets)
    left = sharp_edge_nodes(mesh, ["left"])
    x = mesh.nodes_mm[left]
    assert (x[:, 0] <= 2.0 + 1e-12).all()
    assert on_box_edges(x, 0.0, np.array([2.0, 2.0, 2.0])).all()
    rim = np.isclose(x[:, 0], 2.0)
    assert rim.sum() == 8  # the x = 2 rim: 4 corners and 4 edge midpoints of the 2 x 2 grid
    both = sharp_edge_nodes(mesh, ["left", "right"])
    assert on_box_edges(mesh.nodes_mm[both], 0.0, np.array([4.0, 2.0, 2.0])).all()
    assert np.isclose(mesh.nodes_mm[both, 0], 2.0).sum() == 4  # only where the x = 2 plane crosses box edges


def test_points_on_sharp_edges_of_either_body():
    """Two regions of a box: a point at a corner of the x = 2 rim is on the left body's edge; the centre of
    the x = 2 face and a mid-face point of the outer surface are on no edge of either body."""
    mesh = box_mesh((4, 2, 2), (4.0, 2.0, 2.0))
    centre_x = mesh.nodes_mm[mesh.cells[:, :4]].mean(axis=1)[:, 0]
    mesh = Mesh(mesh.nodes_mm, mesh.cells, (centre_x > 2.0).astype(int), {0: "left", 1: "right"}, {},
                mesh.facet_sets)
    points = [[2.0, 0.0, 1.0], [2.0, 1.0, 1.0], [1.0, 1.0, 0.0]]
    assert on_sharp_edge(mesh, [["left"], ["right"]], points).tolist() == [True, False, False]
    assert on_sharp_edge(mesh, [["left", "right"]], points).tolist() == [False, False, False]
