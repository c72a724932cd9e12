"""Structured tetrahedral meshes of a box, for verification and quick studies."""

import numpy as np

from .elevate import elevate_to_tet10
from .mesh import Mesh

# Kuhn split of the unit cube (corner k at bits x=k&1, y=k>>1&1, z=k>>2&1) into 6 tetrahedra.
_KUHN = np.array([[0, 1, 3, 7], [0, 1, 5, 7], [0, 2, 3, 7], [0, 2, 6, 7], [0, 4, 5, 7], [0, 4, 6, 7]])


def box_mesh(n=(2, 2, 2), lengths_mm=(1.0, 1.0, 1.0), order: int = 1, origin_mm=(0.0, 0.0, 0.0)) -> Mesh:
    """Box [origin, origin + lengths] (mm) split into n hexes per axis, 6 tets each.

    Facet sets name the faces: xmin, xmax, ymin, ymax, zmin, zmax.
    """
    n = np.asarray(n, int)
    axes = [np.linspace(o, o + L, k + 1) for o, L, k in zip(origin_mm, lengths_mm, n)]
    X, Y, Z = np.meshgrid(*axes, indexing="ij")
    nodes = np.column_stack([X.ravel(), Y.ravel(), Z.ravel()])
    node_id = np.arange(len(nodes)).reshape(n + 1)
    i, j, k = (g.ravel() for g in np.meshgrid(*(np.arange(m) for m in n), indexing="ij"))
    corners = np.stack([node_id[i + (c & 1), j + (c >> 1 & 1), k + (c >> 2 & 1)] for c in range(8)], axis=1)
    cells = corners[:, _KUHN].reshape(-1, 4)
    cells = _positive(nodes, cells)
    faces = np.sort(cells[:, [[1, 2, 3], [0, 2, 3], [0, 1, 3], [0, 1, 2]]].reshape(-1, 3), axis=1)
    faces, counts = np.unique(faces, axis=0, return_counts=True)
    boundary = faces[counts == 1]
    lo, hi = np.asarray(origin_mm, float), np.asarray(origin_mm, float) + lengths_mm
    facet_sets = {}
    for axis, name in enumerate("xyz"):
        for bound, side in ((lo, "min"), (hi, "max")):
            on = np.isclose(nodes[boundary, axis], bound[axis]).all(axis=1)
            facet_sets[f"{name}{side}"] = boundary[on]
    mesh = Mesh(nodes, cells, np.zeros(len(cells), int), {0: "domain"}, {}, facet_sets)
    return elevate_to_tet10(mesh) if order == 2 else mesh


def _positive(nodes: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """Swap two nodes of negatively oriented tets so every cell has positive volume."""
    x = nodes[cells]
    det = np.einsum("ci,ci->c", np.cross(x[:, 1] - x[:, 0], x[:, 2] - x[:, 0]), x[:, 3] - x[:, 0])
    cells = cells.copy()
    cells[det < 0, 1], cells[det < 0, 2] = cells[det < 0, 2], cells[det < 0, 1].copy()
    return cells
