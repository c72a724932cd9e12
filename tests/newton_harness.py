"""A minimal Newton loop on "items" (residual_tangent, commit, check) for the contact tests: load
increments, prescribed displacements scaled with the load factor, no line search. The project's solver
(sim.solve) replaces it once it lands; this one only lets the contact kernel be tested on its own."""

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

try:
    from pypardiso import spsolve
except ImportError:
    spsolve = spla.spsolve

from sim.fem.assembly import StiffnessAssembler
from sim.fem.basis import cell_basis
from sim.model.problem import material_field


class LinearBody:
    """Small-strain linear elastic body: r = K u, tangent K."""

    def __init__(self, mesh, materials):
        basis = cell_basis(mesh)
        self.K = StiffnessAssembler(basis)(material_field(mesh, materials)).tocsr()

    def residual_tangent(self, u):
        return self.K @ u, self.K


def newton(items, n_dofs, f_ext=None, fixed=(), values=None, steps=1, tol=1e-9, max_iter=40, u0=None,
           on_step=None):
    """Solve sum(r) = lam f_ext, u[fixed] = lam values, for lam = 1/steps .. 1; returns u and the
    Newton iterations per increment. on_step(u, lam) is called after each commit."""
    fixed = np.asarray(fixed, np.int64)
    values = np.zeros(len(fixed)) if values is None else np.asarray(values, float)
    f_ext = np.zeros(n_dofs) if f_ext is None else f_ext
    free = np.ones(n_dofs, bool)
    free[fixed] = False
    u = np.zeros(n_dofs) if u0 is None else u0.copy()
    u_start = u[fixed].copy()
    iterations = []
    for step in range(1, steps + 1):
        lam = step / steps
        u[fixed] = u_start + lam * (values - u_start)
        scale = max(np.abs(f_ext).max(), 1e-300)
        for it in range(max_iter):
            r = -lam * f_ext
            K = sp.csr_matrix((n_dofs, n_dofs))
            for item in items:
                ri, Ki = item.residual_tangent(u)
                r, K = r + ri, K + Ki
                scale = max(scale, np.abs(ri).max())  # relative to the forces the items carry
            if np.abs(r[free]).max() <= tol * scale and it > 0:
                break
            du = spsolve(K[free][:, free].tocsr(), -r[free])
            u[free] += du
        else:
            raise RuntimeError(f"no convergence at increment {step}: residual {np.abs(r[free]).max():.3g}")
        for item in items:
            reason = item.check(u) if hasattr(item, "check") else None
            assert reason is None, reason
            if hasattr(item, "commit"):
                item.commit(u)
        iterations.append(it)
        if on_step is not None:
            on_step(u, lam)
    return u, iterations
