"""Mesh topology: which cell owns a facet, boundary facets, connected components."""

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .mesh import Mesh

# Corner triples of the four faces of a tet, each opposite the vertex of the same index.
TET_FACES = np.array([[1, 2, 3], [0, 2, 3], [0, 1, 3], [0, 1, 2]])


def _keys(triples: np.ndarray, n_nodes: int) -> np.ndarray:
    t = np.sort(triples, axis=1).astype(np.int64)
    return (t[:, 0] * n_nodes + t[:, 1]) * n_nodes + t[:, 2]


def facet_owner(mesh: Mesh, facets: np.ndarray) -> np.ndarray:
    """Index of a cell having each facet (f, 3|6) as a face; -1 where none does."""
    face_keys = _keys(mesh.cells[:, TET_FACES].reshape(-1, 3), mesh.n_nodes)
    order = np.argsort(face_keys)
    wanted = _keys(facets[:, :3], mesh.n_nodes)
    pos = np.clip(np.searchsorted(face_keys, wanted, sorter=order), 0, len(order) - 1)
    found = face_keys[order[pos]] == wanted
    return np.where(found, order[pos] // 4, -1)


def node_components(mesh: Mesh) -> tuple[int, np.ndarray]:
    """Number of connected parts and the part label of every node."""
    c = mesh.cells
    rows = np.repeat(c[:, 0], c.shape[1] - 1)
    cols = c[:, 1:].ravel()
    graph = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(mesh.n_nodes,) * 2)
    return connected_components(graph, directed=False)
