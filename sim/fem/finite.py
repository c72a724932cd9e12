"""Total-Lagrangian finite-strain body: internal force and consistent tangent (material + geometric) from a
material law per region, summed per chunk into the stiffness pattern of assembly.py (one Newton "item").

Generic path, any law: per quadrature point (reference gradients G = dN_a/dX, mm^-1) F = I + sum_a u_a (x) G_a,
the law gives the second Piola-Kirchhoff stress S and dS/dE (MPa), P = F S, and
    f_ai = sum_q dV P_iJ G_aJ                                           (N)
    K_aibk = sum_q dV G_aJ (F_iI dS/dE_IJKL F_kK + delta_ik S_JL) G_bL  (N/mm).
Regions of the compressible neo-Hookean law take the spatial form of finite_spatial.py (the same f and K).
"""

import numpy as np

from ..laws import NeoHookean
from ..laws.tensors import VOIGT, det_inv3, voigt4
from .assembly import Pattern, sum_picked, upper_select
from .basis import CellBasis
from .finite_spatial import laplacian_picks, neo_hookean_force_tangent
from .kinematics import deformation_gradient

KERNEL_CELLS = 128  # cells per kernel batch inside a pattern chunk (~0.5 MB per cell-matrix temporary)


def cell_force_tangent(law, grad_cqai: np.ndarray, dV_cq: np.ndarray, u_cai: np.ndarray,
                       picked: np.ndarray) -> np.ndarray:
    """Cell internal forces (c, a, 3) in N, any law; fills `picked` (c, 9 x pairs) with the cells' upper
    node-pair tangent entries in N/mm (the order of assembly.upper_select).

    In Voigt form (engineering shear): B (c, q, 6, 3a) maps nodal displacements to the variation of E,
    f = sum_q dV B^T S and K = sum_q dV B^T D B + (sum_q dV G S G^T) (x) I, D = dS/dE (6, 6) per point.
    """
    c, q, a, _ = grad_cqai.shape
    F = deformation_gradient(grad_cqai, u_cai)
    S, dS_dE = law.stress_tangent(F)
    # F_kI G_bJ for every (I, J), as (c, q, 3, 3, a, 3 [k])
    FG = F.transpose(0, 1, 3, 2)[:, :, :, None, None, :] * grad_cqai.transpose(0, 1, 3, 2)[:, :, None, :, :, None]
    B = FG[:, :, VOIGT[:, 0], VOIGT[:, 1]]
    B[:, :, 3:] += FG[:, :, VOIGT[3:, 1], VOIGT[3:, 0]]
    B = B.reshape(c, q, 6, 3 * a)
    S_V = S[..., VOIGT[:, 0], VOIGT[:, 1]] * dV_cq[:, :, None]
    force = np.einsum("cqv,cqvx->cx", S_V, B).reshape(c, a, 3)
    BtD = np.matmul(B.transpose(0, 1, 3, 2), voigt4(dS_dE) * dV_cq[:, :, None, None])  # (c, q, 3a, 6)
    K = np.matmul(BtD.transpose(0, 2, 1, 3).reshape(c, 3 * a, 6 * q), B.reshape(c, 6 * q, 3 * a))
    np.take(K.reshape(c, -1), upper_select(a), axis=1, out=picked)
    GS = np.matmul(grad_cqai, S * dV_cq[:, :, None, None])  # (c, q, a, 3)
    geometric = np.matmul(GS.transpose(0, 2, 1, 3).reshape(c, a, 3 * q),
                          grad_cqai.transpose(0, 1, 3, 2).reshape(c, 3 * q, a))
    first, second = np.triu_indices(a)
    picked.reshape(c, -1, 9)[..., ::4] += geometric[:, first, second, None]
    return force


class FiniteStrainBody:
    """A hyperelastic body in total-Lagrangian form: residual_tangent(u) -> (f_int (3n,) N, K (3n, 3n) N/mm),
    check(u) -> a reason naming the first inverted cell, or None. laws: region id -> law."""

    symmetric = True

    def __init__(self, basis: CellBasis, laws: dict, pattern: Pattern | None = None):
        mesh = basis.mesh
        self.basis, self.laws = basis, laws
        self.pattern = pattern or Pattern(mesh.cells, mesh.n_nodes, mesh.nodes_mm, mesh.region)
        self._laplacian = np.zeros(self.pattern.n_upper)  # neo-Hookean regions' constant tangent part, N/mm
        for chunk in self.pattern.chunks:
            law = self._law(chunk)
            if isinstance(law, NeoHookean):
                picked = laplacian_picks(law.lame[0], basis.grad_cqai[chunk.cells], basis.dV_cq[chunk.cells])
                chunk.add_to(self._laplacian, sum_picked(chunk, picked)[:, 0])

    def _law(self, chunk):
        return self.laws[int(self.basis.mesh.region[chunk.cells[0]])]

    def residual_tangent(self, u_mm: np.ndarray):
        mesh, basis, pattern = self.basis.mesh, self.basis, self.pattern
        u_ai = u_mm.reshape(-1, 3)
        f_cai = np.empty(mesh.cells.shape + (3,))
        upper = np.zeros((pattern.n_upper, 9))
        upper[:, ::4] = self._laplacian[:, None]
        for chunk in pattern.chunks:
            law = self._law(chunk)
            kernel = neo_hookean_force_tangent if isinstance(law, NeoHookean) else cell_force_tangent
            picked = np.empty((len(chunk.cells), len(pattern.select)))
            for start in range(0, len(chunk.cells), KERNEL_CELLS):  # small batches: temporaries stay in cache
                cells, part = chunk.cells[start:start + KERNEL_CELLS], picked[start:start + KERNEL_CELLS]
                grad, dV, u_cai = basis.grad_cqai[cells], basis.dV_cq[cells], u_ai[mesh.cells[cells]]
                with np.errstate(invalid="ignore", divide="ignore"):  # J <= 0: NaN, caught by check()/the solver
                    f_cai[cells] = kernel(law, grad, dV, u_cai, part)
            chunk.add_to(upper, sum_picked(chunk, picked))
        dofs = 3 * mesh.cells[:, :, None] + np.arange(3)
        return np.bincount(dofs.ravel(), f_cai.ravel(), 3 * mesh.n_nodes), pattern.matrix(upper)

    def internal_force(self, u_mm: np.ndarray, cells: np.ndarray) -> np.ndarray:
        """Internal nodal force (3 n,) N at u (mm) of the cells `cells` (bool (c,)) alone: f_ai = sum_q dV P_iJ G_aJ
        with P = F S the first Piola-Kirchhoff stress (the force part of residual_tangent, without a tangent)."""
        mesh, basis = self.basis.mesh, self.basis
        force = np.zeros(3 * mesh.n_nodes)
        u_ai = u_mm.reshape(-1, 3)
        for rid, law in self.laws.items():
            for chunk in np.array_split(np.flatnonzero(cells & (mesh.region == rid)), 1 + int(cells.sum()) // 2000):
                if len(chunk):
                    grad_cqai = basis.grad_cqai[chunk]
                    F = deformation_gradient(grad_cqai, u_ai[mesh.cells[chunk]])
                    P = F @ law.stress_tangent(F)[0]
                    f_cai = np.einsum("cq,cqiJ,cqaJ->cai", basis.dV_cq[chunk], P, grad_cqai)
                    dofs = 3 * mesh.cells[chunk][:, :, None] + np.arange(3)
                    force += np.bincount(dofs.ravel(), f_cai.ravel(), len(force))
        return force

    def jacobian_cq(self, u_mm: np.ndarray) -> np.ndarray:
        """det F (c, q) at the quadrature points."""
        u_cai = u_mm.reshape(-1, 3)[self.basis.mesh.cells]
        return det_inv3(deformation_gradient(self.basis.grad_cqai, u_cai))[0]

    def check(self, u_mm: np.ndarray) -> str | None:
        """'cell C in region R is inverted (J = ...)' for the cell with the smallest J <= 0, else None."""
        J = self.jacobian_cq(u_mm).min(axis=1)
        if np.all(J > 0):
            return None
        mesh = self.basis.mesh
        c = int(np.argmin(np.where(np.isfinite(J), J, -np.inf)))
        region = mesh.region_names.get(int(mesh.region[c]), mesh.region[c])
        return (f"cell {c} in region '{region}' is inverted (J = {J[c]:.3g} at a quadrature point; "
                f"{int((~(J > 0)).sum())} such cells)")

    def stresses(self, u_mm: np.ndarray):
        """Cauchy stress (c, q, 3, 3) MPa, J (c, q), Green-Lagrange strain (c, q, 3, 3) at u."""
        mesh, basis = self.basis.mesh, self.basis
        F = deformation_gradient(basis.grad_cqai, u_mm.reshape(-1, 3)[mesh.cells])
        J = np.linalg.det(F)
        sigma = np.empty_like(F)
        for rid, law in self.laws.items():
            cells = mesh.region == rid
            S = law.stress_tangent(F[cells])[0]
            sigma[cells] = F[cells] @ S @ np.swapaxes(F[cells], -1, -2) / J[cells][..., None, None]
        return sigma, J, 0.5 * (np.swapaxes(F, -1, -2) @ F - np.eye(3))
