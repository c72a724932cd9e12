"""Volumes (mm^3) measured on a finished tetrahedral mesh."""

import numpy as np

from ..mesh import Mesh


def cell_volumes_mm3(mesh: Mesh) -> np.ndarray:
    """Volume (c,) of every cell from its corner nodes (exact for straight-sided tets)."""
    corners = mesh.nodes_mm[mesh.vertex_cells()]
    edges = corners[:, 1:] - corners[:, :1]
    return np.abs(np.linalg.det(edges)) / 6.0


def region_volumes_mm3(mesh: Mesh, cell_volumes=None) -> dict[str, float]:
    """Region name -> volume."""
    vol = cell_volumes_mm3(mesh) if cell_volumes is None else cell_volumes
    sums = np.bincount(np.searchsorted(sorted(mesh.region_names), mesh.region), weights=vol)
    return {mesh.region_names[rid]: float(s) for rid, s in zip(sorted(mesh.region_names), sums)}


def centroids_mm(mesh: Mesh, cells: np.ndarray) -> np.ndarray:
    """Corner centroids (n, 3) of the given cells."""
    return mesh.nodes_mm[mesh.vertex_cells()[cells]].mean(axis=1)
