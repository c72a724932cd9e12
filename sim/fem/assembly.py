"""Vectorized stiffness assembly into a sparsity pattern computed once per mesh.

The pattern is built at node level (3x3 blocks) and expanded to a DOF-level CSR layout, so a
new set of materials only re-runs the element kernels and one bincount scatter.
DOF numbering: node * 3 + component.
"""

import numpy as np
import scipy.sparse as sp

from .basis import CellBasis
from .kinematics import strain_operator

CHUNK_CELLS = 8192  # cells per kernel batch: bounds temporary memory to ~100 MB for tet10


class Pattern:
    """CSR layout of the global stiffness of one mesh, and where each cell's 3x3 blocks land in it."""

    def __init__(self, cells: np.ndarray, n_nodes: int):
        a = cells.shape[1]
        keys = (cells[:, :, None] * n_nodes + cells[:, None, :]).ravel()
        block_keys, block_of_entry = np.unique(keys, return_inverse=True)
        rows, cols = np.divmod(block_keys, n_nodes)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_nodes))])
        self.n_dofs = 3 * n_nodes
        self.n_blocks = len(block_keys)
        self.block_cae = block_of_entry.reshape(len(cells), a, a).astype(np.int64)
        # CSR position of component (i, j) of block k in node row r with m blocks:
        # 9*indptr[r] + i*3*m + 3*(k - indptr[r]) + j
        m = np.diff(indptr)[rows]
        base = 9 * indptr[rows] + 3 * (np.arange(self.n_blocks) - indptr[rows])
        i, j = np.meshgrid(np.arange(3), np.arange(3), indexing="ij")
        self.position_kij = base[:, None, None] + i[None] * 3 * m[:, None, None] + j[None]
        dof_cols = 3 * cols[:, None, None] + j[None]  # (k, i, j): same column for every i
        self.indices = np.empty(9 * self.n_blocks, dtype=np.int32)
        self.indices[self.position_kij.ravel()] = np.broadcast_to(dof_cols, (self.n_blocks, 3, 3)).ravel()
        self.indptr = np.concatenate([[0], 3 * np.repeat(np.diff(indptr), 3).cumsum()]).astype(np.int64)

    def matrix(self, block_data_kij: np.ndarray) -> sp.csr_matrix:
        """CSR matrix from block values (k, 3, 3)."""
        data = np.empty(9 * self.n_blocks)
        data[self.position_kij.ravel()] = block_data_kij.ravel()
        return sp.csr_matrix((data, self.indices, self.indptr), shape=(self.n_dofs, self.n_dofs))


def element_stiffness(B_cqkd: np.ndarray, dV_cq: np.ndarray, D_ckl: np.ndarray) -> np.ndarray:
    """Element stiffness (c, d, d) = sum_q dV B^T D B for cells with stiffness D_ckl (MPa)."""
    c, q, _, d = B_cqkd.shape
    DB = np.matmul(D_ckl[:, None], B_cqkd)
    BtdV = (B_cqkd * dV_cq[:, :, None, None]).reshape(c, q * 6, d)
    return np.matmul(BtdV.transpose(0, 2, 1), DB.reshape(c, q * 6, d))


class StiffnessAssembler:
    """Assembles K (N/mm) for one mesh and basis; call with a per-cell stiffness D (c, 6, 6)."""

    def __init__(self, basis: CellBasis):
        self.basis = basis
        self.pattern = Pattern(basis.mesh.cells, basis.mesh.n_nodes)

    def __call__(self, D_ckl: np.ndarray) -> sp.csr_matrix:
        grad, dV = self.basis.grad_cqai, self.basis.dV_cq
        n_cells, a = self.pattern.block_cae.shape[:2]
        blocks = np.zeros(9 * self.pattern.n_blocks)
        for start in range(0, n_cells, CHUNK_CELLS):
            s = slice(start, start + CHUNK_CELLS)
            Ke = element_stiffness(strain_operator(grad[s]), dV[s], D_ckl[s])
            Ke_cabij = Ke.reshape(-1, a, 3, a, 3).transpose(0, 1, 3, 2, 4)
            target = (self.pattern.block_cae[s][..., None] * 9 + np.arange(9)).ravel()
            blocks += np.bincount(target, weights=Ke_cabij.ravel(), minlength=blocks.size)
        return self.pattern.matrix(blocks.reshape(-1, 3, 3))


def body_force_vector(basis: CellBasis, force_density_cqi: np.ndarray) -> np.ndarray:
    """Consistent nodal forces (N) of a body force density (c, q, 3) in N/mm^3."""
    fe = np.einsum("qa,cqi,cq->cai", basis.N_qa, force_density_cqi, basis.dV_cq)
    f = np.zeros((basis.mesh.n_nodes, 3))
    np.add.at(f, basis.mesh.cells, fe)
    return f.ravel()
