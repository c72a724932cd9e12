"""Rigid motions that the prescribed displacements leave free, and anchor DOFs that remove them.

A split mesh has several connected parts; a part held only by contact (or a frictionless contact that
lets a part slide) is free to move rigidly as far as the stiffness K is concerned. Its free motions R
(3 n, r) are carried as extra unknowns: the solver factorizes K with the real constraints plus r anchor
DOFs (a generalized inverse, as in FETI), and adds R alpha with alpha fixed by the equilibrium of each
part, R^T (f + contact forces) = 0. R vanishes at constrained DOFs, so K R = 0 on the free DOFs.
"""

import numpy as np
import scipy.linalg

from ..fem.constraints import MOTIONS, rigid_modes
from ..mesh import Mesh
from ..mesh.topology import node_components


def floating_modes(mesh: Mesh, fixed_dofs: np.ndarray, avoid_nodes=()) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Free rigid motions R (3 n, r) with orthonormal columns, the part of each column (r,), and r anchor
    DOFs (one per motion) such that fixing them removes all of R. Anchors are taken off `avoid_nodes`
    (the interface nodes) where the part allows it."""
    n_parts, label = node_components(mesh)
    fixed = np.zeros(3 * mesh.n_nodes, bool)
    fixed[fixed_dofs] = True
    allowed = np.ones(mesh.n_nodes, bool)
    allowed[np.asarray(avoid_nodes, dtype=np.int64)] = False
    columns, parts, anchors = [], [], []
    for part in range(n_parts):
        nodes = np.flatnonzero(label == part)
        dofs = (3 * nodes[:, None] + np.arange(3)).ravel()
        modes = rigid_modes(mesh.nodes_mm[nodes])
        held = modes[fixed[dofs]]
        if len(held):
            _, s, vt = np.linalg.svd(held, full_matrices=True)
            rank = int((s > 1e-9 * s[0]).sum()) if s[0] > 0 else 0
            modes = modes @ vt[rank:].T
        if modes.shape[1] == 0:
            continue
        modes[fixed[dofs]] = 0.0
        q, _ = np.linalg.qr(modes)
        pool = np.flatnonzero(np.repeat(allowed[nodes], 3))
        if np.linalg.matrix_rank(q[pool]) < q.shape[1]:
            pool = np.arange(len(dofs))
        _, _, pivots = scipy.linalg.qr(q[pool].T, pivoting=True, mode="economic")
        pivots = pool[pivots]
        for k in range(q.shape[1]):
            column = np.zeros(3 * mesh.n_nodes)
            column[dofs] = q[:, k]
            columns.append(column)
            parts.append(part)
        anchors.extend(dofs[pivots[: q.shape[1]]])
    R = np.column_stack(columns) if columns else np.zeros((3 * mesh.n_nodes, 0))
    return R, np.array(parts, dtype=np.int64), np.array(anchors, dtype=np.int64)


def motion_names(mesh: Mesh, modes: np.ndarray) -> list[str]:
    """The rigid motion (translation/rotation about an axis) each column of `modes` (3 n, k) is closest to."""
    names = []
    for v in modes.T:
        nodes = np.flatnonzero(np.abs(v.reshape(-1, 3)).sum(axis=1) > 0)
        dofs = (3 * nodes[:, None] + np.arange(3)).ravel()
        basis = rigid_modes(mesh.nodes_mm[nodes])
        coef = np.linalg.lstsq(basis, v[dofs], rcond=None)[0] * np.linalg.norm(basis, axis=0)
        names.append(MOTIONS[int(np.argmax(np.abs(coef)))])
    return names
