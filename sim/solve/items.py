"""Items: the terms a nonlinear solve sums. An item is any object with

    residual_tangent(u_mm (3n,)) -> (r_N (3n,), K_N_per_mm scipy.sparse (3n, 3n))

its internal force (N) and tangent (N/mm) at total displacement u (mm, from the reference configuration),
and optionally `commit(u_mm)` (called once an increment has converged) and `check(u_mm) -> str | None`
(a one-line reason to cut the increment back, e.g. an inverted element). An item whose tangent is not
symmetric (friction) sets `symmetric = False`.
"""

import numpy as np
import scipy.sparse as sp


class LinearItem:
    """A linear-elastic body: internal force K u (N), tangent K (N/mm)."""

    symmetric = True

    def __init__(self, K: sp.spmatrix):
        self.K = K.tocsr()

    def residual_tangent(self, u_mm: np.ndarray):
        return self.K @ u_mm, self.K
