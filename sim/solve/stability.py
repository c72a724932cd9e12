"""The softest eigenvalue of a tangent stiffness and its mode: how a failed incremental solve tells a limit
point or buckling (the tangent losing its positive definiteness) from a solver weakness."""

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..fem.solvers import pardiso_solver, pypardiso

DENSE_DOFS = 400  # below this, a dense symmetric eigensolver


def softest_mode(K: sp.spmatrix, free: np.ndarray) -> tuple[float, np.ndarray]:
    """The eigenvalue (N/mm) of smallest magnitude of the symmetric tangent K (3n, 3n) on the free DOFs (mask)
    and its mode (3n,), unit length, zero on the constrained DOFs (shift-invert Lanczos about a shift just
    below zero). Negative: the equilibrium is unstable; near zero against its value at the start of the
    load path: a limit point or a bifurcation (buckling) is near."""
    Kf = K.tocsr()[free][:, free]
    n = Kf.shape[0]
    mode = np.zeros(K.shape[0])
    if n <= DENSE_DOFS:
        values, vectors = np.linalg.eigh(Kf.toarray())
        k = int(np.argmin(np.abs(values)))
        mode[free] = vectors[:, k]
        return float(values[k]), mode
    shift = -1e-9 * float(np.abs(Kf.diagonal()).mean())
    shifted = (Kf - shift * sp.identity(n, format="csr")).tocsr()
    if pypardiso is not None:
        solver = pardiso_solver(mtype=11)  # pypardiso's default type: the shifted tangent may be indefinite
        solver.factorize(shifted)
        inverse = spla.LinearOperator((n, n), lambda b: solver.solve(shifted, np.asarray(b, float).ravel()), dtype=float)
    else:
        lu = spla.splu(shifted.tocsc())
        inverse = spla.LinearOperator((n, n), lambda b: lu.solve(np.asarray(b, float).ravel()), dtype=float)
    try:
        values, vectors = spla.eigsh(Kf, k=1, sigma=shift, which="LM", OPinv=inverse, tol=1e-6)
    finally:
        if pypardiso is not None:
            solver.free_memory(everything=True)
    mode[free] = vectors[:, 0]
    return float(values[0]), mode
