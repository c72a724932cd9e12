"""Vectorized stiffness assembly into a sparsity pattern computed once per mesh.

The pattern is built at node level (3x3 blocks). Element stiffnesses are computed directly as 3x3 node
blocks and summed into the global blocks by one sparse 0/1 matrix per chunk of cells, so a new set of
materials only re-runs the element kernels and the sparse sums; the CSR matrix comes from the block
(BSR) layout. DOF numbering: node * 3 + component.
"""

import numpy as np
import scipy.sparse as sp

from .basis import CellBasis

CHUNK_CELLS = 8192  # cells per kernel batch: bounds temporary memory to ~200 MB for tet10

# Voigt index (xx yy zz yz xz xy) of the tensor index pair (i, k)
_VOIGT_OF = np.array([[0, 5, 4], [5, 1, 3], [4, 3, 2]])


def morton_order(points: np.ndarray) -> np.ndarray:
    """Permutation sorting points (n, 3) along a Z-order (Morton) curve, 10 bits per axis."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    q = ((points - lo) / np.maximum(hi - lo, 1e-300) * 1023).astype(np.int64)
    code = np.zeros(len(points), dtype=np.int64)
    for bit in range(10):
        for axis in range(3):
            code |= ((q[:, axis] >> bit) & 1) << (3 * bit + axis)
    return np.argsort(code, kind="stable")


class Pattern:
    """Block (3x3) sparsity of the global stiffness of one mesh, and how each chunk of cells sums into it.

    Chunks hold cells of one region (so usually of one material), visited in a space-filling-curve order
    so that a chunk touches few distinct blocks.
    chunks: (cells of the chunk, global blocks it touches, 0/1 matrix (touched, cells * a * a)).
    """

    def __init__(self, cells: np.ndarray, n_nodes: int, nodes_mm: np.ndarray, region: np.ndarray,
                 chunk: int = CHUNK_CELLS):
        a = cells.shape[1]
        keys = (cells[:, :, None] * n_nodes + cells[:, None, :]).ravel()
        block_keys, block_of_entry = np.unique(keys, return_inverse=True)
        del keys
        rows, cols = np.divmod(block_keys, n_nodes)
        self.n_dofs = 3 * n_nodes
        self.n_blocks = len(block_keys)
        self.block_indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_nodes))]).astype(np.int32)
        self.block_indices = cols.astype(np.int32)
        morton = morton_order(nodes_mm[cells[:, :4]].mean(axis=1))
        block_of_entry = block_of_entry.reshape(len(cells), a * a)
        self.chunks = []
        for rid in np.unique(region):
            order = morton[region[morton] == rid]
            for start in range(0, len(order), chunk):
                self.chunks.append(self._chunk(order[start:start + chunk], block_of_entry))

    @staticmethod
    def _chunk(these: np.ndarray, block_of_entry: np.ndarray):
        """(cells, touched blocks, 0/1 summation matrix) of one chunk."""
        entry = block_of_entry[these].ravel()
        touched, local = np.unique(entry, return_inverse=True)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(local, minlength=len(touched)))])
        gather = sp.csr_matrix((np.ones(len(entry)), np.argsort(local, kind="stable").astype(np.int32),
                                indptr.astype(np.int32)), shape=(len(touched), len(entry)))
        return these, touched.astype(np.int32), gather

    def matrix(self, block_data_kij: np.ndarray) -> sp.csr_matrix:
        """CSR matrix (sorted indices) from block values (k, 3, 3)."""
        K = sp.bsr_matrix((block_data_kij.reshape(-1, 3, 3), self.block_indices, self.block_indptr),
                          shape=(self.n_dofs, self.n_dofs))
        return K.tocsr()


def gradient_products(grad_cqai: np.ndarray, dV_cq: np.ndarray) -> np.ndarray:
    """M (c, a*a, 9) with M[c, a*n_a + b, 3*k + l] = sum_q dV dN_a/dx_k dN_b/dx_l (mm)."""
    c, q, a, _ = grad_cqai.shape
    weighted = (grad_cqai * dV_cq[:, :, None, None]).transpose(0, 2, 3, 1).reshape(c, 3 * a, q)
    gram = np.matmul(weighted, grad_cqai.reshape(c, q, 3 * a))  # (c, (a, k), (b, l))
    return gram.reshape(c, a, 3, a, 3).transpose(0, 1, 3, 2, 4).reshape(c, a * a, 9)


def tensor_9x9(D_kl: np.ndarray) -> np.ndarray:
    """Stiffness tensor C_ikjl of Voigt D (..., 6, 6) as (..., 9 [k, l], 9 [i, j]) matrices (MPa)."""
    C = D_kl[..., _VOIGT_OF[:, :, None, None], _VOIGT_OF[None, None]]  # C[..., i, k, j, l]
    return np.moveaxis(C, (-4, -3, -2, -1), (-2, -4, -1, -3)).reshape(D_kl.shape[:-2] + (9, 9))


def element_blocks(grad_cqai: np.ndarray, dV_cq: np.ndarray, D_ckl: np.ndarray) -> np.ndarray:
    """Element stiffness as 3x3 node blocks (c, a*a, 9): [c, a*n_a + b, 3*i + j] = K_e[(a, i), (b, j)].

    K_e[(a,i),(b,j)] = sum_kl C_ikjl M_kl[a,b] with the gradient products M: the same as sum_q dV B^T D B.
    """
    return np.matmul(gradient_products(grad_cqai, dV_cq), tensor_9x9(D_ckl))


class StiffnessAssembler:
    """Assembles K (N/mm) for one mesh and basis; call with a per-cell stiffness D (c, 6, 6)."""

    def __init__(self, basis: CellBasis):
        self.basis = basis
        self.pattern = Pattern(basis.mesh.cells, basis.mesh.n_nodes, basis.mesh.nodes_mm, basis.mesh.region)

    def __call__(self, D_ckl: np.ndarray) -> sp.csr_matrix:
        grad, dV = self.basis.grad_cqai, self.basis.dV_cq
        blocks = np.zeros((self.pattern.n_blocks, 9))
        for cells, touched, gather in self.pattern.chunks:
            D = D_ckl[cells]
            if (D == D[0]).all():  # one material: contract with C after summing the gradient products
                summed = gather @ gradient_products(grad[cells], dV[cells]).reshape(-1, 9)
                blocks[touched] += summed @ tensor_9x9(D[0])
            else:
                blocks[touched] += gather @ element_blocks(grad[cells], dV[cells], D).reshape(-1, 9)
        return self.pattern.matrix(blocks)


def body_force_vector(basis: CellBasis, force_density_cqi: np.ndarray) -> np.ndarray:
    """Consistent nodal forces (N) of a body force density (c, q, 3) in N/mm^3."""
    fe = np.einsum("qa,cqi,cq->cai", basis.N_qa, force_density_cqi, basis.dV_cq)
    f = np.zeros((basis.mesh.n_nodes, 3))
    np.add.at(f, basis.mesh.cells, fe)
    return f.ravel()
