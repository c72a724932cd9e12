"""Vectorized stiffness assembly into a sparsity pattern computed once per mesh.

K is symmetric, so only its upper 3x3 node blocks (node row <= node column) are summed. Per chunk of
cells one batched matmul forms every cell's gradient products over (cells x quadrature points); a fixed
selection picks each cell's upper triangle of node pairs, and one weighted bincount per chunk sums the
picked entries into the upper blocks the chunk touches (a pair whose global nodes run downwards adds its
transpose). A chunk of one material is contracted with the stiffness tensor after summing. The CSR matrix
is one take of the upper blocks into the full CSR layout, which the pattern also holds, so a new set of
materials reruns only the kernels and the sums. DOF numbering: node * 3 + component.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .basis import CellBasis

CHUNK_CELLS = 1024  # cells per kernel batch: ~12 MB of temporaries for tet10, reused from chunk to chunk

# Voigt index (xx yy zz yz xz xy) of the tensor index pair (i, k)
_VOIGT_OF = np.array([[0, 5, 4], [5, 1, 3], [4, 3, 2]])
# [transposed, k, l]: where entry (k, l) of a 3x3 block is stored (3k + l), or read when transposed (3l + k)
_ENTRY = np.stack([np.arange(9).reshape(3, 3), np.arange(9).reshape(3, 3).T])


def morton_order(points: np.ndarray) -> np.ndarray:
    """Permutation sorting points (n, 3) along a Z-order (Morton) curve, 10 bits per axis."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    q = ((points - lo) / np.maximum(hi - lo, 1e-300) * 1023).astype(np.int64)
    code = np.zeros(len(points), dtype=np.int64)
    for bit in range(10):
        for axis in range(3):
            code |= ((q[:, axis] >> bit) & 1) << (3 * bit + axis)
    return np.argsort(code, kind="stable")


def upper_select(a: int, transposed: bool = False) -> np.ndarray:
    """Flat positions, in a cell matrix (3a, 3a), of the entries of its upper node pairs (node a <= node b in
    the cell), pair by pair, each 3x3 block row by row; transposed=True reads each block's transpose."""
    first, second = np.triu_indices(a)
    k, l = np.divmod(np.arange(9), 3)
    if transposed:
        k, l = l, k
    return ((3 * first[:, None] + k) * 3 * a + 3 * second[:, None] + l).ravel()


def _index_dtype(largest: int):
    return np.int32 if largest < np.iinfo(np.int32).max else np.int64


@dataclass(frozen=True)
class Chunk:
    """Cells summed together, the upper blocks they touch, and where each picked entry goes.

    The chunk's blocks are numbered locally: first the blocks it is the first chunk to touch (`owned`, a
    contiguous range of the global block numbers, since blocks are numbered in the order chunks first touch
    them), then the blocks earlier chunks touched too (`shared`, global numbers).
    target[c, p * 9 + e]: index into the chunk's block entries (local block * 9 + entry) of entry e of the
    cell's upper node pair p.
    """

    cells: np.ndarray
    owned: slice
    shared: np.ndarray
    target: np.ndarray

    @property
    def n_blocks(self) -> int:
        return self.owned.stop - self.owned.start + len(self.shared)

    def add_to(self, upper: np.ndarray, summed: np.ndarray) -> None:
        """upper (n_upper, 9) += the chunk's summed block values (n_blocks, 9): a contiguous slice for the
        owned blocks (most of them), an indexed add for the shared ones."""
        n_owned = self.owned.stop - self.owned.start
        upper[self.owned] += summed[:n_owned]
        upper[self.shared] += summed[n_owned:]


class Pattern:
    """Upper-block sparsity of the global stiffness of one mesh, its full CSR layout, and the chunks.

    Chunks hold cells of one region (so usually of one material), visited in a space-filling-curve order
    so that a chunk touches few distinct blocks; blocks are numbered in the order the chunks first touch them.
    select: flat positions, in a cell's gradient products (3a, 3a), of the entries of its upper node pairs.
    take: for each CSR entry of K, its position in the upper block entries (block * 9 + 3i + j).
    """

    def __init__(self, cells: np.ndarray, n_nodes: int, nodes_mm: np.ndarray, region: np.ndarray,
                 chunk: int = CHUNK_CELLS):
        a = cells.shape[1]
        first, second = np.triu_indices(a)
        self.select = upper_select(a)
        row_node, col_node = cells[:, first], cells[:, second]
        flipped = row_node > col_node
        keys = np.minimum(row_node, col_node).astype(np.int64) * n_nodes + np.maximum(row_node, col_node)
        upper_keys, key_block = np.unique(keys, return_inverse=True)
        del keys, row_node, col_node
        self.n_dofs = 3 * n_nodes
        self.n_upper = len(upper_keys)
        morton = morton_order(nodes_mm[cells[:, :4]].mean(axis=1))
        key_block = key_block.reshape(len(cells), -1)
        cells_of_chunk = [order[start:start + chunk] for order in (morton[region[morton] == rid]
                                                                   for rid in np.unique(region))
                          for start in range(0, len(order), chunk)]
        # blocks numbered in the order the chunks first touch them; the CSR layout (large temporaries) is built
        # before the chunks' targets exist
        block_of_key = np.full(self.n_upper, -1, dtype=np.int64)
        bounds = [0]
        for these in cells_of_chunk:
            touched = np.unique(key_block[these])
            fresh = touched[block_of_key[touched] < 0]
            block_of_key[fresh] = np.arange(bounds[-1], bounds[-1] + len(fresh))
            bounds.append(bounds[-1] + len(fresh))
        self._csr_layout(upper_keys, n_nodes, block_of_key)
        self.chunks = [self._chunk(these, block_of_key[key_block[these]], flipped[these], slice(*bounds[k:k + 2]))
                       for k, these in enumerate(cells_of_chunk)]

    @staticmethod
    def _chunk(these: np.ndarray, block: np.ndarray, flipped: np.ndarray, owned: slice) -> Chunk:
        """The chunk of cells `these` whose upper node pairs fall in blocks `block` (c, pairs); it is the
        first chunk to touch the blocks `owned`."""
        n_owned = owned.stop - owned.start
        shared = np.unique(block[block < owned.start])
        local = np.where(block >= owned.start, block - owned.start, n_owned + np.searchsorted(shared, block))
        dtype = _index_dtype(9 * (n_owned + len(shared)))
        entry = _ENTRY.reshape(2, 9).astype(dtype)[flipped.astype(np.intp)]
        target = local.astype(dtype)[:, :, None] * 9 + entry
        return Chunk(these, owned, shared, target.reshape(len(these), -1))

    def _csr_layout(self, upper_keys: np.ndarray, n_nodes: int, block_of_key: np.ndarray) -> None:
        """indptr, indices and take of the full CSR matrix (lower blocks are transposed upper blocks)."""
        rows, cols = np.divmod(upper_keys, n_nodes)
        off = np.flatnonzero(rows != cols)
        keys = np.concatenate([upper_keys, cols[off] * n_nodes + rows[off]])
        source = np.concatenate([block_of_key, block_of_key[off]])
        transposed = np.concatenate([np.zeros(self.n_upper, bool), np.ones(len(off), bool)])
        order = np.argsort(keys)
        rows, cols = np.divmod(keys[order], n_nodes)
        source, transposed = source[order], transposed[order]
        dtype = _index_dtype(max(9 * len(keys), self.n_dofs))
        per_row = np.bincount(rows, minlength=n_nodes).astype(dtype)
        row_start = np.concatenate([[0], np.cumsum(per_row)]).astype(dtype)
        self.indptr = np.concatenate([[0], np.cumsum(np.repeat(3 * per_row, 3))]).astype(dtype)
        # CSR order: node row r, its rows i = 0..2, the row's blocks in column order, their columns j = 0..2
        row = np.repeat(np.arange(n_nodes, dtype=dtype), 3 * per_row)
        offset = np.arange(len(row), dtype=dtype) - 3 * row_start[row]
        i = offset // per_row[row]
        block = row_start[row] + offset - i * per_row[row]
        del row, offset
        self.indices = (3 * cols.astype(dtype)[block, None] + np.arange(3, dtype=dtype)).ravel()
        # native integers: np.take converts any other index type on every call (3-4x slower in matrix())
        self.take = (9 * source.astype(np.intp)[block, None] + _ENTRY[transposed[block].astype(np.intp), i]).ravel()
        self.indices.flags.writeable = self.indptr.flags.writeable = False  # shared by every assembled K

    def matrix(self, upper: np.ndarray) -> sp.csr_matrix:
        """Full CSR matrix (sorted, canonical) from the upper block values (n_upper, 9).

        Its index arrays are the pattern's, read-only: copy the matrix before changing its structure in place.
        """
        K = sp.csr_matrix((np.take(upper.ravel(), self.take), self.indices, self.indptr),
                          shape=(self.n_dofs, self.n_dofs))
        K.has_sorted_indices = True
        K.has_canonical_format = True
        return K


def gradient_products(grad_cqai: np.ndarray, dV_cq: np.ndarray) -> np.ndarray:
    """M (c, 3a, 3a) with M[c, 3a + k, 3b + l] = sum_q dV dN_a/dx_k dN_b/dx_l (mm)."""
    c, q, a, _ = grad_cqai.shape
    weighted = (grad_cqai * dV_cq[:, :, None, None]).transpose(0, 2, 3, 1).reshape(c, 3 * a, q)
    return np.matmul(weighted, grad_cqai.reshape(c, q, 3 * a))


def tensor_9x9(D_kl: np.ndarray) -> np.ndarray:
    """Stiffness tensor C_ikjl of Voigt D (..., 6, 6) as (..., 9 [k, l], 9 [i, j]) matrices (MPa)."""
    C = D_kl[..., _VOIGT_OF[:, :, None, None], _VOIGT_OF[None, None]]  # C[..., i, k, j, l]
    return np.moveaxis(C, (-4, -3, -2, -1), (-2, -4, -1, -3)).reshape(D_kl.shape[:-2] + (9, 9))


def element_stiffness(products: np.ndarray, D_ckl: np.ndarray) -> np.ndarray:
    """Element stiffness K_e (c, 3a, 3a) in N/mm from gradient products (c, 3a, 3a) and D (c, 6, 6).

    K_e[(a,i),(b,j)] = sum_kl C_ikjl M[(a,k),(b,l)]: the same as sum_q dV B^T D B.
    """
    c, n, _ = products.shape
    a = n // 3
    M = products.reshape(c, a, 3, a, 3).transpose(0, 1, 3, 2, 4).reshape(c, a * a, 9)
    return np.matmul(M, tensor_9x9(D_ckl)).reshape(c, a, a, 3, 3).transpose(0, 1, 3, 2, 4).reshape(c, n, n)


class StiffnessAssembler:
    """Assembles K (N/mm) for one mesh and basis; call with a per-cell stiffness D (c, 6, 6) in MPa."""

    def __init__(self, basis: CellBasis):
        self.basis = basis
        self.pattern = Pattern(basis.mesh.cells, basis.mesh.n_nodes, basis.mesh.nodes_mm, basis.mesh.region)

    def __call__(self, D_ckl: np.ndarray) -> sp.csr_matrix:
        grad, dV = self.basis.grad_cqai, self.basis.dV_cq
        upper = np.zeros((self.pattern.n_upper, 9))
        for chunk in self.pattern.chunks:
            products = gradient_products(grad[chunk.cells], dV[chunk.cells])
            D = D_ckl[chunk.cells]
            one_material = (D == D[0]).all()  # then contract with C after summing the products
            summed = sum_picked(chunk, pick_upper(self.pattern, products if one_material
                                                  else element_stiffness(products, D)))
            chunk.add_to(upper, summed @ tensor_9x9(D[0]) if one_material else summed)
        return self.pattern.matrix(upper)


def pick_upper(pattern: Pattern, K_cab: np.ndarray) -> np.ndarray:
    """The entries (c, 9 x upper node pairs) of cell matrices (c, 3a, 3a) that sum_picked sums."""
    return np.take(K_cab.reshape(len(K_cab), -1), pattern.select, axis=1)


def sum_picked(chunk: Chunk, picked: np.ndarray) -> np.ndarray:
    """A chunk's picked cell entries (c, 9 x upper node pairs) summed into the blocks it touches (n_blocks, 9),
    in the chunk's local numbering (Chunk.add_to adds them to the global upper block values)."""
    return np.bincount(chunk.target.ravel(), weights=picked.ravel(),
                       minlength=9 * chunk.n_blocks).reshape(-1, 9)


def body_force_vector(basis: CellBasis, force_density_cqi: np.ndarray) -> np.ndarray:
    """Consistent nodal forces (N) of a body force density (c, q, 3) in N/mm^3."""
    fe = np.einsum("qa,cqi,cq->cai", basis.N_qa, force_density_cqi, basis.dV_cq)
    f = np.zeros((basis.mesh.n_nodes, 3))
    np.add.at(f, basis.mesh.cells, fe)
    return f.ravel()
