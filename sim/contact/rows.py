"""Constraint rows of all interfaces: C (m, 3 n) maps displacements to gaps and tangential displacements.

Row of node j in direction k (0 = normal, 1, 2 = tangents) of one interface:
    y = frame_jk . rhat_j + gap0hat_j (normal rows only),
with rhat the relative displacement (side b minus side a, or the body for a plane) in the transformed
interface basis (interface.TRI6_ALPHA). A 'contact' interface (or 'frictional' with mu = 0) has normal
rows only, 'frictional' and split 'bonded' interfaces have all three.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .interface import TRI6_ALPHA, Interface

TIED, NORMAL, TANGENT = 0, 1, 2


@dataclass(frozen=True)
class Rows:
    """C (m, 3 n) CSR, gap0 (m,) mm; per row its interface index, interface node and direction (0, 1, 2);
    tied and normal row indices, friction (k, 3) rows [n, t1, t2] and mu (k,)."""

    C: sp.csr_matrix
    gap0: np.ndarray
    interface: np.ndarray
    node: np.ndarray
    direction: np.ndarray
    tied: np.ndarray
    normal: np.ndarray
    friction: np.ndarray
    mu: np.ndarray

    @property
    def m(self) -> int:
        return self.C.shape[0]


def _transform_matrix(iface: Interface) -> sp.csr_matrix:
    """Tinv (j, j): nodal values -> coefficients in the transformed basis."""
    n = iface.n_nodes
    mid = np.flatnonzero(iface.edge_corners[:, 0] >= 0)
    scale = 1.0 / (1.0 - 2.0 * TRI6_ALPHA)
    diag = np.ones(n)
    diag[mid] = scale
    rows = np.concatenate([np.arange(n), mid, mid])
    cols = np.concatenate([np.arange(n), iface.edge_corners[mid, 0], iface.edge_corners[mid, 1]])
    vals = np.concatenate([diag, np.full(2 * len(mid), -TRI6_ALPHA * scale)])
    return sp.csr_matrix((vals, (rows, cols)), shape=(n, n))


def interface_rows(iface: Interface, n_dofs: int) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """C block (j * d, 3 n), transformed initial gaps (j * d,) and directions (d,) of one interface."""
    directions = np.arange(3) if _has_tangential_rows(iface) else np.array([0])
    Tinv = _transform_matrix(iface).tocoo()
    blocks = []
    sides = [(iface.nodes_b, 1.0)] + ([(iface.nodes_a, -1.0)] if iface.nodes_a is not None else [])
    d = len(directions)
    for k_pos, k in enumerate(directions):
        for nodes, sign in sides:
            for i in range(3):
                rows = Tinv.row * d + k_pos
                cols = 3 * nodes[Tinv.col] + i
                vals = sign * Tinv.data * iface.frame_jki[Tinv.row, k, i]
                blocks.append((rows, cols, vals))
    rows, cols, vals = (np.concatenate(x) for x in zip(*blocks))
    C = sp.csr_matrix((vals, (rows, cols)), shape=(iface.n_nodes * d, n_dofs))
    gap0 = np.zeros(iface.n_nodes * d)
    gap0[directions.tolist().index(0)::d] = _transform_matrix(iface) @ iface.gap0_mm
    return C, gap0, directions


def _has_tangential_rows(iface: Interface) -> bool:
    """Tied pairs and friction with mu > 0 constrain tangential motion; frictionless contact does not."""
    return iface.spec.kind == "bonded" or (iface.spec.kind == "frictional" and iface.spec.mu > 0)


def assemble_rows(interfaces: list[Interface], n_dofs: int) -> Rows:
    """Stack the rows of every interface and sort them into tied, normal and friction rows."""
    Cs, gaps, owner, node, direction = [], [], [], [], []
    tied, normal, friction, mu = [], [], [], []
    offset = 0
    for index, iface in enumerate(interfaces):
        C, gap0, dirs = interface_rows(iface, n_dofs)
        d, n = len(dirs), iface.n_nodes
        first = offset + d * np.arange(n)
        kind = iface.spec.kind
        if kind == "bonded":
            tied.append((first[:, None] + np.arange(3)).ravel())
        else:
            normal.append(first)
        if _has_tangential_rows(iface) and kind == "frictional":
            friction.append(first[:, None] + np.arange(3))
            mu.append(np.full(n, iface.spec.mu))
        Cs.append(C)
        gaps.append(gap0)
        owner.append(np.full(n * d, index))
        node.append(np.repeat(np.arange(n), d))
        direction.append(np.tile(dirs, n))
        offset += n * d
    cat = lambda parts, shape=(0,): np.concatenate(parts) if parts else np.zeros(shape, np.int64)  # noqa: E731
    C = sp.vstack(Cs, format="csr") if Cs else sp.csr_matrix((0, n_dofs))
    return Rows(C, cat(gaps).astype(float), cat(owner), cat(node), cat(direction), cat(tied), cat(normal),
                cat(friction, (0, 3)).reshape(-1, 3), cat(mu).astype(float))
