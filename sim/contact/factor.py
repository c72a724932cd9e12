"""One factorization of the constrained stiffness, used for the load solves and for the contact operator
S = B^T K^-1 B (m x m) of the interface rows B = C^T (3 n, m).

With PARDISO's Cholesky K = P^T L L^T P, S = Y^T Y for Y = L^-1 P B: only the forward substitution is
needed, Y is sparse (a column is non-zero only on the elimination-tree path of its DOFs), and Y^T Y is one
dense product on the rows where Y is non-zero -- about 3x cheaper than full solves. The half solve uses
pypardiso's solver handle (phase 331); it is checked once against a full solve and replaced by full
solves if it ever disagrees, and SuperLU (no pypardiso) always uses full solves.
"""

import numpy as np
import scipy.sparse as sp

from ..fem.solvers import DirectSolver

CHUNK = 256  # right-hand sides per batched substitution


class SPDFactor:
    """Factorization of a symmetric positive definite K (constraints already applied)."""

    def __init__(self, K: sp.csr_matrix, backend: str = "auto"):
        self._direct = DirectSolver(K, backend)
        self._half = self._direct.backend == "pardiso"
        if self._half:
            self._pardiso, self._A = self._direct.pardiso, self._direct.upper

    def solve(self, b: np.ndarray) -> np.ndarray:
        """K^-1 b for b (n,) or (n, k)."""
        return self._direct.solve(b)

    def inner(self, B: np.ndarray | sp.spmatrix) -> np.ndarray:
        """B^T K^-1 B (m, m) for B (n, m), dense or sparse."""
        B = sp.csc_matrix(B)
        m = B.shape[1]
        if m == 0:
            return np.zeros((0, 0))
        if self._half:
            try:
                return self._inner_half(B)
            except _HalfSolveUnavailable:
                self._half = False
        S = np.empty((m, m))
        for start in range(0, m, CHUNK):
            cols = slice(start, min(start + CHUNK, m))
            S[:, cols] = B.T @ self.solve(B[:, cols].toarray())
        return 0.5 * (S + S.T)

    def _forward(self, b: np.ndarray) -> np.ndarray:
        try:
            self._pardiso.set_phase(331)  # forward substitution only; pypardiso's solve() resets the phase
            return self._pardiso._call_pardiso(self._A, np.asfortranarray(b))
        except Exception as exc:  # noqa: BLE001 - any failure means: use full solves
            raise _HalfSolveUnavailable from exc

    def _inner_half(self, B: sp.csc_matrix) -> np.ndarray:
        m = B.shape[1]
        probe = B[:, :1].toarray()
        y = self._forward(probe)
        full = float(probe[:, 0] @ self.solve(probe)[:, 0])
        if not np.isclose(float(y[:, 0] @ y[:, 0]), full, rtol=1e-8, atol=0.0):
            raise _HalfSolveUnavailable
        pieces = []
        for start in range(0, m, CHUNK):
            pieces.append(sp.csc_matrix(self._forward(B[:, start:start + CHUNK].toarray())))
        Y = sp.hstack(pieces, format="csr")
        rows = np.flatnonzero(np.diff(Y.indptr))
        Yd = Y[rows].toarray()
        return Yd.T @ Yd


class _HalfSolveUnavailable(Exception):
    pass
