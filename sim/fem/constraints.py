"""Prescribed displacements: imposing them on K and f, and checking the model cannot move rigidly."""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..errors import InputError
from ..mesh import Mesh
from ..mesh.topology import node_components

MOTIONS = ("translation along x", "translation along y", "translation along z",
           "rotation about x", "rotation about y", "rotation about z")


@dataclass(frozen=True)
class Dirichlet:
    """Constrained DOFs (node * 3 + component) with their prescribed values in mm."""

    dofs: np.ndarray
    values_mm: np.ndarray

    @staticmethod
    def combine(parts: list[tuple[np.ndarray, np.ndarray]]) -> "Dirichlet":
        """Merge (dofs, values) pairs; a DOF named twice keeps its first value."""
        if not parts:
            return Dirichlet(np.zeros(0, np.int64), np.zeros(0))
        dofs = np.concatenate([d for d, _ in parts]).astype(np.int64)
        values = np.concatenate([v for _, v in parts]).astype(float)
        dofs, first = np.unique(dofs, return_index=True)
        return Dirichlet(dofs, values[first])

    def full(self, n_dofs: int) -> np.ndarray:
        """Displacement vector with the prescribed values at constrained DOFs, zero elsewhere."""
        u = np.zeros(n_dofs)
        u[self.dofs] = self.values_mm
        return u


def constrained_matrix(K: sp.csr_matrix, dofs: np.ndarray, diagonal: float) -> sp.csr_matrix:
    """K with rows and columns of `dofs` zeroed and their diagonal set to `diagonal` (N/mm)."""
    is_fixed = np.zeros(K.shape[0], bool)
    is_fixed[dofs] = True
    rows = np.repeat(np.arange(K.shape[0]), np.diff(K.indptr))
    Kc = K.copy()
    Kc.data[is_fixed[rows] | is_fixed[Kc.indices]] = 0.0
    new_diagonal = Kc.diagonal()
    new_diagonal[dofs] = diagonal
    Kc.setdiag(new_diagonal)
    return Kc


def constrained_rhs(K: sp.csr_matrix, f: np.ndarray, bc: Dirichlet, diagonal: float) -> np.ndarray:
    """Right-hand side(s) (n,) or (n, k) matching constrained_matrix, for prescribed values bc."""
    u_c = bc.full(K.shape[0])
    rhs = f - (K @ u_c if f.ndim == 1 else (K @ u_c)[:, None])
    rhs[bc.dofs] = diagonal * (bc.values_mm if f.ndim == 1 else bc.values_mm[:, None])
    return rhs


def rigid_modes(nodes_mm: np.ndarray) -> np.ndarray:
    """The six rigid motions (3 n, 6): translations, then rotations about the centroid (scaled to mm)."""
    r = nodes_mm - nodes_mm.mean(axis=0)
    scale = max(np.abs(r).max(), 1e-300)
    modes = np.zeros((len(nodes_mm), 3, 6))
    modes[:, [0, 1, 2], [0, 1, 2]] = 1.0
    for k in range(3):
        modes[:, :, 3 + k] = np.cross(np.eye(3)[k], r) / scale
    return modes.reshape(-1, 6)


def check_rigid_motion(mesh: Mesh, dofs: np.ndarray) -> None:
    """Raise InputError naming the free rigid motions of any connected part the constraints leave loose."""
    n_parts, label = node_components(mesh)
    fixed = np.zeros(3 * mesh.n_nodes, bool)
    fixed[dofs] = True
    for part in range(n_parts):
        nodes = np.flatnonzero(label == part)
        R = rigid_modes(mesh.nodes_mm[nodes])[fixed[(3 * nodes[:, None] + np.arange(3)).ravel()]]
        free = _free_motions(R)
        if free:
            where = "" if n_parts == 1 else f" (part {part + 1} of {n_parts}, {len(nodes)} nodes)"
            raise InputError(f"the model is not constrained against rigid motion{where}: free "
                             + ", ".join(free))


def _free_motions(R: np.ndarray) -> list[str]:
    """Names of the rigid motions R (m, 6) does not restrain; a combined motion is named by its leading
    part. Works on the 6 x 6 Gram matrix, so memory does not grow with the number of fixed DOFs."""
    gram = R.T @ R
    w, v = np.linalg.eigh(gram)
    null = v[:, w <= 1e-12 * max(w.max(), 1e-300)].T if len(R) else np.eye(6)
    return [MOTIONS[_ROTATIONS_FIRST[lead]] for lead in _leading_columns(null[:, _ROTATIONS_FIRST])]


_ROTATIONS_FIRST = [3, 4, 5, 0, 1, 2]


def _leading_columns(A: np.ndarray) -> list[int]:
    """Pivot columns of the reduced row echelon form of A."""
    M = A.copy()
    pivots, row = [], 0
    for col in range(M.shape[1]):
        if row == len(M):
            break
        pivot = row + int(np.argmax(np.abs(M[row:, col])))
        if abs(M[pivot, col]) < 1e-9:
            continue
        M[[row, pivot]] = M[[pivot, row]]
        M[row] /= M[row, col]
        M[np.arange(len(M)) != row] -= np.outer(M[np.arange(len(M)) != row, col], M[row])
        pivots.append(col)
        row += 1
    return pivots
