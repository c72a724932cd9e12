"""The linear step of Newton iterations: K du = b with a tangent K (N/mm) whose sparsity pattern rarely changes.

PARDISO's symbolic analysis (fill-reducing reordering, phase 11) depends only on the pattern, so it runs once
per pattern; each new tangent gets only the numeric factorization and the solve (phases 22 and 33). The pattern
is compared on every call (the summed tangent of the items may gain or lose entries, e.g. when contact pairs
change or sparse addition drops an exact zero), and a new pattern gets a new analysis. For symmetric tangents
the upper triangle PARDISO reads is gathered from K.data by an index computed once per pattern. Systems of
SMALL_DOFS or fewer unknowns go to SuperLU (PARDISO's set-up dominates there). free() releases PARDISO's
memory; use the solver as a context manager so that it is released however the solve ends.
"""

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..fem.solvers import pardiso_solver, pypardiso

if pypardiso is not None:
    from pypardiso.pardiso_wrapper import PyPardisoError
else:  # MKL is not available on every platform: SuperLU
    PyPardisoError = RuntimeError

SMALL_DOFS = 5000
ANALYSIS, FACTOR, SOLVE, FREE_ALL = 11, 22, 33, -1  # PARDISO phases


class TangentSolver:
    """Solves K x = b for successive K (CSR, canonical or not) of a Newton solve; `analyses` counts the
    symbolic analyses run (one per distinct sparsity pattern met in a row)."""

    def __init__(self, symmetric: bool):
        self.symmetric = symmetric
        self.analyses = 0
        self._pardiso = None
        self._indptr = self._indices = None  # the pattern analysed (of K, before taking its triangle)
        self._take = None  # positions in K.data of the matrix PARDISO gets
        self._pattern = None  # that matrix, its data replaced on each call

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.free()

    def solve(self, K: sp.csr_matrix, b: np.ndarray) -> np.ndarray:
        if pypardiso is None or K.shape[0] <= SMALL_DOFS:
            return spla.splu(K.tocsc()).solve(b)
        K = K.tocsr()
        if not K.has_sorted_indices:
            K = K.sorted_indices()
        if not self._same_pattern(K):
            self._analyse(K)
        A = self._pattern
        A.data = K.data[self._take]
        self._call(FACTOR, A, np.zeros((K.shape[0], 1)))
        return self._call(SOLVE, A, np.asfortranarray(b, float)).reshape(b.shape)

    def free(self) -> None:
        """Release PARDISO's memory (factors and analysis); the next solve analyses again."""
        if self._pardiso is not None:
            self._pardiso.free_memory(everything=True)
        self._pardiso, self._indptr, self._indices, self._take, self._pattern = None, None, None, None, None

    def _same_pattern(self, K) -> bool:
        return (self._indptr is not None and np.array_equal(K.indptr, self._indptr)
                and np.array_equal(K.indices, self._indices))

    def _analyse(self, K) -> None:
        self.free()
        n = K.shape[0]
        if self.symmetric:
            rows = np.repeat(np.arange(n, dtype=K.indices.dtype), np.diff(K.indptr))
            self._take = np.flatnonzero(K.indices >= rows)
            indptr = np.zeros(n + 1, K.indptr.dtype)
            np.cumsum(np.bincount(rows[self._take], minlength=n), out=indptr[1:])
            self._pattern = sp.csr_matrix((K.data[self._take], K.indices[self._take], indptr), shape=K.shape)
        else:
            self._take = np.arange(K.nnz)
            self._pattern = sp.csr_matrix((K.data.copy(), K.indices.copy(), K.indptr.copy()), shape=K.shape)
        self._pardiso = pardiso_solver(mtype=-2 if self.symmetric else 11)
        self._pardiso.set_iparm(12, 0)  # CSR, not transposed
        self._call(ANALYSIS, self._pattern, np.zeros((n, 1)))
        self._indptr, self._indices = K.indptr.copy(), K.indices.copy()
        self.analyses += 1

    def _call(self, phase: int, A, b):
        self._pardiso.set_phase(phase)
        try:
            return self._pardiso._call_pardiso(A, b)
        except PyPardisoError as exc:  # e.g. a zero pivot: the caller's singular-tangent error
            raise RuntimeError(f"PARDISO phase {phase}: {exc}") from None
