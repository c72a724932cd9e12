"""The contact conditions on the small dual problem, solved by a semismooth Newton (primal-dual active
set) method.

With K factorized once, the displacement is u = u0 + K# C^T lam + R alpha, so every constraint value
y = C u (gaps and tangential displacements, in the transformed interface basis) is affine in the
multipliers lam (N) and the free rigid motions alpha:

    y = S lam + G alpha + d,   S = C K# C^T (m, m) mm/N,   G = C R (m, r) mm,   d = C u0 + gap0,

and the free parts must be in equilibrium: G^T lam = e (e = -R^T f). Per constraint row:
- tied (bonded pairs):   y = 0, lam free;
- normal (no tension):   lam_n >= 0, y_n >= 0, lam_n y_n = 0  <=>  lam_n = max(0, lam_n - c y_n);
- friction (Coulomb):    lam_t = P(z) on the disc of radius mu xi, z = lam_t - c_t (y_t - y_t_prev),
  xi = max(0, lam_n - c y_n): stick inside the disc, slip on its rim; the slip increment is taken from
  the previous frame, so a load sequence is followed incrementally.
These are the nonlinear complementarity functions of Alart-Curnier / Hueber-Stadler-Wohlmuth; Newton's
method on them is the primal-dual active-set method. A step fixes lam = 0 on open rows, y = target on
closed and sticking rows, and for a slipping node turns its tangent frame to the slip direction zhat:
lam_zhat = mu lam_n, and a compliance (1 - kappa) / (kappa c_t) on the perpendicular row w (kappa =
mu xi / |z|). c = 1 / S_ii puts gaps and forces on the same scale. The first step of a frame lets every
node in contact stick (the elastic predictor of a return mapping); without it, the slip law linearized at
the previous frame's forces often sends Newton astray.

Linear algebra: without slip a step is a symmetric positive definite solve with S on the closed rows U:
directly (Cholesky of S_UU), or, when few rows are open and m is large, from H = S^-1 (formed once) as
S_UU^-1 = H_UU - H_UO H_OO^-1 H_OU with O the open rows; the factorization is reused while the sets do not
change, so a frame whose contact state matches the previous one costs one back substitution. With slip the
matrix is S_UU in the turned frames plus a low-rank change (one diagonal entry and one column per slipping
node): solved by LU, or through H and the Woodbury formula when that is cheaper. For frictionless contact
the iteration ends after finitely many steps with the exact solution of the final active set.
Index letters: m = constraint row, r = free rigid motion.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg

DIRECT_BELOW = 300  # constraint rows up to which the inverse of S is never formed


class DualNotConverged(RuntimeError):
    """Newton's method did not converge; `row` is the constraint row (or m + k for the equilibrium of free
    motion k) with the largest residual (N)."""

    def __init__(self, iterations: int, residual_N: float, row: int, equilibrium_N: float, tolerance_N: float):
        super().__init__(f"no convergence in {iterations} iterations (residual {residual_N:.3g} N)")
        self.iterations, self.residual_N, self.row = iterations, residual_N, row
        self.equilibrium_N, self.tolerance_N = equilibrium_N, tolerance_N


@dataclass
class DualState:
    """Solution of one frame: multipliers lam (m,) N, free motions alpha (r,), constraint values y (m,) mm,
    closed (m,) normal rows in contact, slipping (k,) friction nodes that slip, iterations."""

    lam: np.ndarray
    alpha: np.ndarray
    y: np.ndarray
    closed: np.ndarray = field(repr=False)
    slipping: np.ndarray = field(repr=False)
    iterations: int = 0


@dataclass
class _Sets:
    """Classification of the rows at one iterate."""

    closed: np.ndarray      # (m,) normal rows in contact
    active: np.ndarray      # (k,) friction nodes in contact
    stick: np.ndarray       # (k,)
    slip: np.ndarray        # (k,)
    xi: np.ndarray          # (k,) augmented normal force, N
    z: np.ndarray           # (k, 2) augmented tangential force, N
    norm_z: np.ndarray      # (k,)


class DualSystem:
    """S, G and the kind of each row: tied (rows), normal (rows), friction (k, 3) rows [n, t1, t2] with mu (k,)."""

    def __init__(self, S, G, tied, normal, friction, mu, rtol: float = 1e-9, max_iter: int = 50):
        self.S, self.G = S, G
        self.tied, self.normal = np.asarray(tied, np.int64), np.asarray(normal, np.int64)
        self.friction = np.asarray(friction, np.int64).reshape(-1, 3)
        self.mu = np.asarray(mu, float)
        self.rtol, self.max_iter = rtol, max_iter
        self.c = 1.0 / np.diag(S)
        t = self.friction[:, 1:]
        self.c_t = 2.0 / (np.diag(S)[t[:, 0]] + np.diag(S)[t[:, 1]]) if len(t) else np.zeros(0)
        self._H = None
        self._cache: tuple[bytes, object] | None = None

    @property
    def m(self) -> int:
        return self.S.shape[0]

    @property
    def r(self) -> int:
        return self.G.shape[1]

    def solve(self, d: np.ndarray, e: np.ndarray, y_prev: np.ndarray, start: DualState | None) -> DualState:
        """Solve one frame from the previous frame's state (warm start) or from zero."""
        lam = start.lam.copy() if start is not None else np.zeros(self.m)
        alpha = start.alpha.copy() if start is not None else np.zeros(self.r)
        if self.r:
            lam, alpha = self._start_floating(lam, alpha, d, e)
        # forces the round-off of this frame is relative to: loads, gaps to close, history, warm start
        scale = max(np.abs(e).max(initial=0.0), np.abs(self.c * d).max(initial=0.0),
                    np.abs(self.c * y_prev).max(initial=0.0), np.abs(lam).max(initial=0.0), 1e-300)
        for iteration in range(self.max_iter + 1):
            y = self.S @ lam + self.G @ alpha + d
            sets = self._classify(lam, y, y_prev)
            phi = self._residual(lam, y, y_prev, e, sets)
            residual = float(np.abs(phi).max(initial=0.0))
            tolerance = self.rtol * max(scale, np.abs(lam).max(initial=0.0))
            if residual <= tolerance:
                return DualState(lam, alpha, y, sets.closed, sets.slip, iteration)
            if iteration == self.max_iter:
                raise DualNotConverged(iteration, residual, int(np.argmax(np.abs(phi))),
                                       float(np.abs(phi[self.m:]).max(initial=0.0)), tolerance)
            if iteration == 0 and sets.slip.any():
                sets = self._stick_predictor(sets)
            lam, alpha = self._step(lam, y, y_prev, d, e, sets)
        raise AssertionError("unreachable")

    def _start_floating(self, lam, alpha, d, e):
        """Put the warm start in equilibrium (least change of lam), and if the rows it loads cannot hold the
        free motions, move them rigidly so that those rows close (least squares)."""
        G = self.G
        lam = lam + G @ np.linalg.lstsq(G.T @ G, e - G.T @ lam, rcond=None)[0]
        y = self.S @ lam + G @ alpha + d
        loaded = np.zeros(self.m, bool)
        loaded[self.tied] = True
        loaded[self.normal] = lam[self.normal] - self.c[self.normal] * y[self.normal] > 0
        if np.linalg.matrix_rank(G[loaded]) < self.r:
            rows = np.concatenate([self.tied, self.normal[lam[self.normal] > 0]])
            if len(rows):
                alpha = np.linalg.lstsq(G[rows], -(self.S[rows] @ lam + d[rows]), rcond=None)[0]
        return lam, alpha

    # -- classification and residual -------------------------------------------------------------------

    def _classify(self, lam, y, y_prev) -> _Sets:
        c = self.c
        closed = np.zeros(self.m, bool)
        closed[self.normal] = lam[self.normal] - c[self.normal] * y[self.normal] > 0
        n, t = self.friction[:, 0], self.friction[:, 1:]
        xi = np.maximum(0.0, lam[n] - c[n] * y[n])
        z = lam[t] - self.c_t[:, None] * (y[t] - y_prev[t])
        norm_z = np.linalg.norm(z, axis=1)
        active = xi > 0
        stick = active & (norm_z < self.mu * xi)
        return _Sets(closed, active, stick, active & ~stick, xi, z, norm_z)

    @staticmethod
    def _stick_predictor(s: _Sets) -> _Sets:
        """First step of a frame: every friction node in contact sticks (the elastic predictor of a return
        mapping); Newton then lets the nodes whose stick force leaves the Coulomb cone slip."""
        return _Sets(s.closed, s.active, s.active.copy(), np.zeros_like(s.slip), s.xi, s.z, s.norm_z)

    def _residual(self, lam, y, y_prev, e, s: _Sets) -> np.ndarray:
        """phi (m + r,) in N: zero exactly at a solution."""
        phi = np.empty(self.m + self.r)
        c = self.c
        phi[self.tied] = c[self.tied] * y[self.tied]
        nrm = self.normal
        phi[nrm] = np.where(s.closed[nrm], c[nrm] * y[nrm], lam[nrm])
        t = self.friction[:, 1:]
        zhat = s.z / np.where(s.norm_z > 0, s.norm_z, 1.0)[:, None]
        phi_t = np.where(s.stick[:, None], self.c_t[:, None] * (y[t] - y_prev[t]),
                         lam[t] - (self.mu * s.xi)[:, None] * zhat)
        phi[t] = np.where(s.active[:, None], phi_t, lam[t])
        phi[self.m:] = self.G.T @ lam - e
        return phi

    # -- Newton step -----------------------------------------------------------------------------------

    def _step(self, lam, y, y_prev, d, e, s: _Sets):
        """The next iterate: lam = 0 on open rows, y = target on closed/sticking rows, slip law linearized."""
        t = self.friction[:, 1:]
        equal = np.zeros(self.m, bool)
        equal[self.tied] = True
        equal |= s.closed
        equal[t[s.stick].ravel()] = True
        target = np.zeros(self.m)
        target[t[s.stick].ravel()] = y_prev[t[s.stick].ravel()]
        if not s.slip.any():
            rows = np.flatnonzero(equal)
            lam_new = np.zeros(self.m)
            lam_rows, alpha = self._symmetric(rows, (target - d)[rows], e)
            lam_new[rows] = lam_rows
            return lam_new, alpha
        return self._with_slip(lam, y, d, e, s, equal, target)

    def _symmetric(self, rows: np.ndarray, b: np.ndarray, e: np.ndarray):
        """Solve S_rr lam + G_r alpha = b, G_r^T lam = e (saddle point through the Schur complement on alpha)."""
        G = self.G[rows]
        X = self._solve_rows(rows, np.column_stack([b, G]))
        xb, xg = X[:, 0], X[:, 1:]
        if not self.r:
            return xb, np.zeros(0)
        alpha = _lin_solve(G.T @ xg, G.T @ xb - e)
        return xb - xg @ alpha, alpha

    def _solve_rows(self, rows: np.ndarray, B: np.ndarray) -> np.ndarray:
        """S_rr^-1 B; the factorization is cached for the set of rows."""
        if len(rows) == 0:
            return np.zeros((0, B.shape[1]))
        key = rows.tobytes()
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, self._factor_rows(rows))
        how, data = self._cache[1]
        if how == "cholesky":
            return scipy.linalg.cho_solve(data, B, check_finite=False)
        if how == "lu":
            return scipy.linalg.lu_solve(data, B, check_finite=False)
        other, H_oo = data  # complement: S_rr^-1 = H_rr - H_ro H_oo^-1 H_or
        full = np.zeros((self.m, B.shape[1]))
        full[rows] = B
        X = self._H @ full
        X -= self._H[:, other] @ scipy.linalg.cho_solve(H_oo, X[other], check_finite=False)
        return X[rows]

    def _factor_rows(self, rows: np.ndarray):
        other = np.setdiff1d(np.arange(self.m), rows)
        if self.m > DIRECT_BELOW and len(other) < len(rows) and self._inverse() is not None:
            try:
                return "complement", (other, scipy.linalg.cho_factor(self._H[np.ix_(other, other)], check_finite=False))
            except np.linalg.LinAlgError:
                pass
        block = self.S[np.ix_(rows, rows)]
        try:
            return "cholesky", scipy.linalg.cho_factor(block, check_finite=False)
        except np.linalg.LinAlgError:
            return "lu", scipy.linalg.lu_factor(block, check_finite=False)

    def _inverse(self):
        """H = S^-1, formed once when first useful (None when S is not positive definite)."""
        if self._H is None:
            try:
                factor = scipy.linalg.cho_factor(self.S, check_finite=False)
                self._H = scipy.linalg.cho_solve(factor, np.eye(self.m), check_finite=False)
            except np.linalg.LinAlgError:
                self._H = False
        return self._H if self._H is not False else None

    def _with_slip(self, lam, y, d, e, s: _Sets, equal, target):
        """Newton step with slipping nodes, in tangent frames turned to the slip direction (non-symmetric).

        Unknowns: lam on the closed/sticking rows and on the w rows of slipping nodes (U), alpha. The matrix is
        S'_UU (S in the turned frames) plus, per slipping node, the compliance rho on its w row and the
        column mu S'_{U,zhat} acting through its normal unknown: a low-rank change of a symmetric matrix.
        """
        n_s, t_s = self.friction[s.slip, 0], self.friction[s.slip, 1:]
        zhat = s.z[s.slip] / s.norm_z[s.slip, None]
        kappa = self.mu[s.slip] * s.xi[s.slip] / s.norm_z[s.slip]
        c_t, mu = self.c_t[s.slip], self.mu[s.slip]
        rot = np.stack([zhat, np.stack([-zhat[:, 1], zhat[:, 0]], axis=1)], axis=1)  # (k, 2, 2): rows zhat, w

        def turn(A):
            """Q^T A: rows t1, t2 of slipping nodes -> zhat, w."""
            A = np.array(A, dtype=float, copy=True)
            A[t_s] = np.einsum("kab,kb...->ka...", rot, A[t_s])
            return A

        def unturn(A):
            """Q A: rows zhat, w of slipping nodes -> t1, t2."""
            A = np.array(A, dtype=float, copy=True)
            A[t_s] = np.einsum("kba,kb...->ka...", rot, A[t_s])
            return A

        zrow, wrow = t_s[:, 0], t_s[:, 1]
        free_w = kappa > 1e-12
        rho = (1 - kappa[free_w]) / (kappa[free_w] * c_t[free_w])
        unknown = equal.copy()
        unknown[wrow[free_w]] = True
        rows = np.flatnonzero(unknown)
        pos = np.full(self.m, -1)
        pos[rows] = np.arange(len(rows))
        G_rot, d_rot = turn(self.G), turn(d)
        rhs = (target - d_rot)[rows]
        w = wrow[free_w]
        rhs[pos[w]] = (turn(y)[w] - turn(lam)[w] / c_t[free_w]) - d_rot[w]
        v_cor = np.concatenate([pos[w], pos[n_s]])  # A = S'_UU + sum_j u_j e_{v_j}^T (see _woodbury)
        Gu = G_rot[rows]
        GtP = G_rot.T[:, rows].copy()
        GtP[:, pos[n_s]] += mu * G_rot.T[:, zrow]

        other = np.setdiff1d(np.arange(self.m), rows)
        q, k, o = len(v_cor), 1 + self.r, len(other)
        low_rank = 2.0 * self.m * (self.m + o) * k + 2.0 * self.m * o * q + o**3 / 3 + q**3
        X = None
        if self.m > DIRECT_BELOW and low_rank < len(rows) ** 3 * 2 / 3 and self._inverse() is not None:
            slot = np.full(self.m, -1)
            slot[t_s.ravel()] = np.arange(t_s.size)

            def H_cols(idx):
                """Columns idx of H' = Q^T H Q."""
                cols = self._H[:, idx]
                j = np.flatnonzero(slot[idx] >= 0)
                if len(j):
                    node, which = np.divmod(slot[idx[j]], 2)
                    cols[:, j] = np.einsum("mkb,kb->mk", self._H[:, t_s[node]], rot[node, which])
                return turn(cols)

            try:
                X = self._woodbury(H_cols, lambda Z: turn(self._H @ unturn(Z)), rows, other,
                                   np.column_stack([rhs, Gu]), w, rho, zrow, mu, v_cor)
            except np.linalg.LinAlgError:
                X = None
        if X is None:
            A = self.S[np.ix_(rows, rows)]
            w_dir = rot[free_w, 1]  # the w direction of each free w row, in (t1, t2)
            S_w = turn(np.einsum("mkb,kb->mk", self.S[:, t_s[free_w]], w_dir))[rows]  # S' columns of the w rows
            A[:, pos[w]] = S_w
            A[pos[w], :] = S_w.T
            A[pos[w], pos[w]] += rho
            A[:, pos[n_s]] += mu * turn(np.einsum("mkb,kb->mk", self.S[:, t_s], zhat))[rows]  # S' zhat columns
            X = _lin_solve(A, np.column_stack([rhs, Gu]))
        xb, xg = X[:, 0], X[:, 1:]
        alpha = _lin_solve(GtP @ xg, GtP @ xb - e) if self.r else np.zeros(0)
        lam_new = np.zeros(self.m)
        lam_new[rows] = xb - xg @ alpha
        lam_new[zrow] = mu * lam_new[n_s]
        lam_new[t_s] = np.einsum("kba,kb->ka", rot, lam_new[t_s])  # back to t1, t2
        return lam_new, alpha

    def _woodbury(self, H_cols, H_times, rows, other, Y, w, rho, zrow, mu, v_cor):
        """A^-1 Y for A = S'_UU + sum_w rho e_w e_w^T + sum_k mu_k S'_{U,z_k} e_{n_k}^T (U = rows), through
        S'_UU^-1 = H'_UU - H'_UO H'_OO^-1 H'_OU (O = other) and Woodbury for the low-rank part; uses
        S'_UU^-1 S'_UO = -H'_UO H'_OO^-1 for the columns of the zhat rows (which lie in O)."""
        H_o = H_cols(other)  # (m, o)
        H_oo = scipy.linalg.cho_factor(H_o[other], check_finite=False)
        inv_oo = lambda Z: scipy.linalg.cho_solve(H_oo, Z, check_finite=False)  # noqa: E731

        full = np.zeros((self.m, Y.shape[1]))
        full[rows] = Y
        X = H_times(full)
        BY = (X - H_o @ inv_oo(X[other]))[rows]
        H_w = H_cols(w)
        B_w = (H_w - H_o @ inv_oo(H_w[other]))[rows] * rho
        unit_z = np.zeros((len(other), len(zrow)))
        unit_z[np.searchsorted(other, zrow), np.arange(len(zrow))] = 1.0
        B_z = -(H_o[rows] @ inv_oo(unit_z)) * mu
        BU = np.hstack([B_w, B_z])
        capacitance = np.eye(len(v_cor)) + BU[v_cor]
        return BY - BU @ scipy.linalg.solve(capacitance, BY[v_cor], check_finite=False)


def _lin_solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Dense solve; least squares when A is singular (a free motion the closed rows cannot hold)."""
    if A.size == 0:
        return np.zeros(A.shape[1:] + b.shape[1:])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)  # the pivots are checked here
        try:
            lu = scipy.linalg.lu_factor(A, check_finite=False)
            if np.abs(np.diag(lu[0])).min() > 1e-13 * np.abs(np.diag(lu[0])).max():
                return scipy.linalg.lu_solve(lu, b, check_finite=False)
        except (np.linalg.LinAlgError, ValueError):
            pass
    return np.linalg.lstsq(A, b, rcond=None)[0]
