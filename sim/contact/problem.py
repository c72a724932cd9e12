"""ContactProblem: a Problem whose named interfaces are bonded, in frictionless contact or in Coulomb friction.

Cost model: K is factorized once (with the prescribed DOFs and, for parts held only by contact, one anchor
DOF per free rigid motion). The contact operator S = C K# C^T (m x m, m = constraint rows: 1 per node of a
'contact' interface, 3 per node of a 'frictional' or split 'bonded' one) is formed once with m solves.
A sequence of frames then costs one batched solve for the loads, a small dense Newton per frame (warm-started
from the previous frame), and one batched solve for the contact forces. A frame whose Newton iteration does
not converge is reached again in 2, 4, ... up to 2**MAX_HALVINGS equal load increments from the previous
frame (the friction history carried through them); only the frames asked for are reported.
"""

from contextlib import nullcontext

import numpy as np
import scipy.sparse as sp

from ..errors import InputError
from ..fem.constraints import Dirichlet, constrained_matrix, constrained_rhs
from ..mesh import Mesh
from ..mesh.topology import node_components
from ..model.problem import Problem
from .dual import DualNotConverged, DualSystem
from .factor import SPDFactor
from .floating import floating_modes, motion_names
from .interface import InterfaceSpec, build_interface
from .results import ContactResult, interface_frames
from .rows import assemble_rows

try:  # optional: the per-frame dense algebra is small, and threaded BLAS next to MKL's threads is slower
    from threadpoolctl import threadpool_limits
except ImportError:  # without it, OPENBLAS_NUM_THREADS=1 in the environment has the same effect
    threadpool_limits = None


MAX_HALVINGS = 5  # a failing frame is retried in up to 32 load increments


class ContactDidNotConverge(RuntimeError):
    """The contact iterations did not converge; the message names the frame, interface and residual."""


class ContactProblem(Problem):
    """Assembled model with interfaces; `solve_sequence(F)` follows a sequence of load frames.

    Parts that only the interfaces hold are allowed: their rigid motions are solved for with the contact
    forces (force control). Interfaces whose kind is 'bonded' and whose nodes are shared cost nothing.
    """

    def __init__(self, mesh: Mesh, materials: dict[str, dict], boundaries, interfaces: list[InterfaceSpec],
                 backend: str = "auto", rtol: float = 1e-9, max_iter: int = 50):
        names = [spec.name for spec in interfaces]
        if len(set(names)) != len(names):
            raise InputError(f"interface named twice: {', '.join(sorted({n for n in names if names.count(n) > 1}))}")
        self.specs = list(interfaces)
        self.interfaces = [i for i in (build_interface(mesh, spec) for spec in interfaces) if i is not None]
        self._assemble(mesh, materials, boundaries)
        self.rows = assemble_rows(self.interfaces, self.n_dofs)
        self.R, self._mode_part, anchors = floating_modes(mesh, self.bc.dofs, self._interface_nodes())
        self._check_held()
        self._held = Dirichlet.combine([(self.bc.dofs, self.bc.values_mm), (anchors, np.zeros(len(anchors)))])
        self._diagonal = self.K.diagonal().mean()
        self.solver = SPDFactor(constrained_matrix(self.K, self._held.dofs, self._diagonal), backend)
        S = self._schur()
        self.dual = DualSystem(S, self.rows.C @ self.R, self.rows.tied, self.rows.normal, self.rows.friction,
                               self.rows.mu, rtol, max_iter)

    def _interface_nodes(self) -> np.ndarray:
        sides = [i.nodes_b for i in self.interfaces] + [i.nodes_a for i in self.interfaces if i.nodes_a is not None]
        return np.unique(np.concatenate(sides)) if sides else np.zeros(0, np.int64)

    def _masked(self, b: np.ndarray) -> np.ndarray:
        b[self._held.dofs] = 0.0
        return b

    def _schur(self) -> np.ndarray:
        """S = C K# C^T; rows whose motion the boundary conditions fully prescribe get a nominal compliance
        (their multipliers then only balance a constant and never reach the displacements)."""
        keep = np.ones(self.n_dofs)
        keep[self._held.dofs] = 0.0
        S = self.solver.inner(sp.diags(keep) @ self.rows.C.T)
        diag = np.diag(S).copy()
        held = diag <= 1e-10 * diag.max(initial=0.0)
        if held.any() and not held.all():
            S[held, :], S[:, held] = 0.0, 0.0
            S[held, held] = diag[~held].mean()
        return S

    def _check_held(self) -> None:
        """InputError when a free rigid motion can be held neither by boundary conditions nor by any interface."""
        if not self.R.shape[1]:
            return
        G = self.rows.C @ self.R
        _, s, vt = np.linalg.svd(G, full_matrices=True) if len(G) else (None, np.zeros(0), np.eye(self.R.shape[1]))
        rank = int((s > 1e-9 * s[0]).sum()) if len(s) and s[0] > 0 else 0
        if rank < self.R.shape[1]:
            free = self.R @ vt[rank:].T
            n_parts, _ = node_components(self.mesh)
            raise InputError("the model is not constrained against rigid motion (the interfaces cannot hold it): "
                             f"free {', '.join(dict.fromkeys(motion_names(self.mesh, free)))}"
                             + (f" of one of {n_parts} parts" if n_parts > 1 else ""))

    def solve(self, f: np.ndarray) -> np.ndarray:
        """Displacements (mm) for one load vector (3 n,) or a sequence of frames (3 n, k)."""
        return self.solve_sequence(f).u_mm.reshape(np.shape(f))

    def solve_sequence(self, F: np.ndarray) -> ContactResult:
        """Follow the load frames F (3 n, k) in order (friction is path dependent), each warm-started from
        the previous one. Raises ContactDidNotConverge naming the frame, interface and residual."""
        F = np.asarray(F, float).reshape(self.n_dofs, -1)
        U0 = self.solver.solve(constrained_rhs(self.K, F, self._held, self._diagonal))
        D = self.rows.C @ U0 + self.rows.gap0[:, None]
        E = -self.R.T @ F
        states, state, y_prev = [], None, np.zeros(self.rows.m)
        d_prev, e_prev = self.rows.gap0.astype(float), np.zeros(self.R.shape[1])  # the unloaded state
        with threadpool_limits(1, user_api="blas") if threadpool_limits else nullcontext():
            for k in range(F.shape[1]):
                state = self._frame(k, (d_prev, e_prev), (D[:, k], E[:, k]), y_prev, state)
                states.append(state)
                y_prev, d_prev, e_prev = state.y, D[:, k], E[:, k]
        Lam = np.column_stack([s.lam for s in states]) if states else np.zeros((self.rows.m, 0))
        Alpha = np.column_stack([s.alpha for s in states]) if states else np.zeros((self.R.shape[1], 0))
        U = U0 + self.R @ Alpha
        if self.rows.m:
            U += self.solver.solve(self._masked(np.asarray(self.rows.C.T @ Lam)))
        frames = {i.name: interface_frames(i, U, Lam, states, self.rows, index)
                  for index, i in enumerate(self.interfaces)}
        return ContactResult(U, frames, np.array([s.iterations for s in states]))

    def _frame(self, k: int, start, end, y_prev, state):
        """Dual state at the constraint offsets and free-motion loads `end` = (d, e), from the converged
        `state` at `start`; an increment that does not converge is split into 2**h equal ones (d and e are
        affine in the loads, so these are the states of linearly interpolated loads)."""
        for halvings in range(MAX_HALVINGS + 1):
            n, s, y, iterations = 2**halvings, state, y_prev, 0
            try:
                for j in range(1, n + 1):
                    s = self.dual.solve(*(a + j / n * (b - a) for a, b in zip(start, end)), y, s)
                    y, iterations = s.y, iterations + s.iterations
                s.iterations = iterations
                return s
            except DualNotConverged as exc:
                failure = exc
        raise ContactDidNotConverge(self._describe(failure, k, n))

    def _describe(self, exc: DualNotConverged, frame: int, increments: int) -> str:
        head = (f"contact did not converge at frame {frame} after {exc.iterations} iterations, even in "
                f"{increments} load increments from the previous frame")
        _, label = node_components(self.mesh)
        if exc.row < self.rows.m:
            iface = self.interfaces[self.rows.interface[exc.row]]
            j = self.rows.node[exc.row]
            x = np.round(self.mesh.nodes_mm[iface.nodes_b[j]], 3).tolist()
            what = ("normal", "tangential", "tangential")[self.rows.direction[exc.row]]
            text = (f"{head}: interface '{iface.name}', {what} residual {exc.residual_N:.3g} N at node "
                    f"{iface.nodes_b[j]} {x} mm")
        else:
            text = head
        if exc.equilibrium_N > exc.tolerance_N:
            parts = set(self._mode_part.tolist())
            names = [i.name for i in self.interfaces if set(label[i.nodes_b]) & parts
                     or (i.nodes_a is not None and set(label[i.nodes_a]) & parts)]
            text += (f"; a part held only by interface(s) {', '.join(repr(n) for n in names)} is off equilibrium "
                     f"by {exc.equilibrium_N:.3g} N (pulled off, tipped over, or pushed sideways harder than mu "
                     "times the normal force?)")
        return text
