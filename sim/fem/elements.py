"""Lagrange shape functions of tet4/tet10 (and their tri3/tri6 faces) on reference coordinates.

Node order is VTK's: tet10 edge nodes on (0,1), (1,2), (0,2), (0,3), (1,3), (2,3);
tri6 edge nodes on (0,1), (1,2), (2,0).
"""

import numpy as np

from ..mesh.mesh import TET10_EDGES, TRI6_EDGES


def _barycentric(xi: np.ndarray):
    """Barycentric coordinates (q, d+1) and their constant gradients (d+1, d) of a simplex."""
    d = xi.shape[1]
    lam = np.column_stack([1.0 - xi.sum(axis=1), xi])
    dlam = np.vstack([-np.ones(d), np.eye(d)])
    return lam, dlam


def _lagrange(xi: np.ndarray, edges: np.ndarray, order: int):
    """Values N (q, a) and reference gradients dN (q, a, d) of a P1 or P2 simplex element."""
    lam, dlam = _barycentric(xi)
    if order == 1:
        return lam, np.broadcast_to(dlam, (len(xi),) + dlam.shape).copy()
    i, j = edges[:, 0], edges[:, 1]
    n_vertex = lam * (2 * lam - 1)
    dn_vertex = (4 * lam - 1)[:, :, None] * dlam[None]
    n_edge = 4 * lam[:, i] * lam[:, j]
    dn_edge = 4 * (lam[:, i, None] * dlam[None, j] + lam[:, j, None] * dlam[None, i])
    return np.hstack([n_vertex, n_edge]), np.concatenate([dn_vertex, dn_edge], axis=1)


def tet_shape(xi: np.ndarray, order: int):
    """Tet4 (order 1) or tet10 (order 2) shape functions N (q, a) and gradients (q, a, 3)."""
    return _lagrange(np.atleast_2d(xi), TET10_EDGES, order)


def tri_shape(xi: np.ndarray, order: int):
    """Tri3 (order 1) or tri6 (order 2) shape functions N (q, a) and gradients (q, a, 2)."""
    return _lagrange(np.atleast_2d(xi), TRI6_EDGES, order)
