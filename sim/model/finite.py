"""FiniteProblem: the Newton strategy: a Model as a total-Lagrangian hyperelastic body (plus any further
items, e.g. contact), solved in load increments. Linear laws act as Saint Venant-Kirchhoff."""

from dataclasses import dataclass

import numpy as np

from ..fem.constraints import check_rigid_motion
from ..fem.finite import FiniteStrainBody
from ..laws.tensors import VOIGT, voigt_strain
from ..mesh import Mesh
from ..solve import LimitPoint, NewtonOptions, NewtonResult, SolveFailed, solve_increments
from ..solve.control import ControlledPath, follow_measure
from .model import Model
from .spec import BoundarySpec, LoadSpec


@dataclass(frozen=True)
class Limit:
    """Where a load sequence ended: the frame (0-based) that could not be reached, how far (load_factor, 0-1)
    the last equilibrium got from the previous frame's load (zero before the first frame) towards it, and
    the solver's one-line reason. limit_point: True when the tangent says it is a limit point or buckling
    (newton.LimitPoint: no equilibrium near for more load); False when Newton found no equilibrium beyond
    it after all cut-backs and the tangent does not say why (a path end, not shown to be a limit point)."""

    frame: int
    load_factor: float
    reason: str
    limit_point: bool = True

    def reached(self, per_frame: np.ndarray) -> np.ndarray:
        """A quantity given per frame (k, ...) (e.g. the load) at the last equilibrium."""
        per_frame = np.asarray(per_frame, float)
        before = per_frame[self.frame - 1] if self.frame else np.zeros_like(per_frame[0])
        return before + self.load_factor * (per_frame[self.frame] - before)


class FiniteProblem:
    """Loads in N (dead loads, reference configuration), displacements in mm.

    `solve(f)` runs from the reference state; `solve_sequence(F)` follows the columns of F (3n, k) in order,
    each frame starting from the previous equilibrium (a path-following of the gait frames).
    held_by_items: the items (e.g. contact with a rigid plane) hold the body against the rigid motions the
    boundaries leave free, so those are not refused up front (a body that floats away fails in Newton).
    """

    def __init__(self, mesh: Mesh, materials: dict, boundaries: list[BoundarySpec], increments: int = 1,
                 items=(), options: NewtonOptions | None = None, held_by_items: bool = False):
        self.model = Model(mesh, materials, boundaries)
        if not held_by_items:
            check_rigid_motion(mesh, self.model.bc.dofs)
        self.mesh, self.basis = mesh, self.model.basis
        self.bc, self.set_dofs = self.model.bc, self.model.set_dofs
        self.body = FiniteStrainBody(self.basis, self.model.laws)
        self.items = [self.body, *items]
        self.options = options or NewtonOptions(increments=increments)
        self.last: NewtonResult | None = None

    @property
    def n_dofs(self) -> int:
        return self.model.n_dofs

    def load_vector(self, load: LoadSpec) -> np.ndarray:
        return self.model.load_vector(load)

    def solve(self, f: np.ndarray) -> np.ndarray:
        """Displacement (3n,) in mm at load f (3n,) N, from the reference configuration; for f (3n, k) the
        frames are followed in order (solve_sequence)."""
        if f.ndim == 2:
            return self.solve_sequence(f)
        try:
            self.last = solve_increments(self.items, f, self.bc, self.options)
        except SolveFailed as exc:
            raise SolveFailed(f"{exc}{regions_at(self.mesh, exc.node)}", exc.node) from None
        return self.last.u_mm

    def solve_sequence(self, F: np.ndarray) -> np.ndarray:
        """Displacements (3n, k) for load frames F (3n, k), each frame continued from the one before;
        SolveFailed if the path ends early (also at a limit point)."""
        U, limit = self.follow(F)
        if limit is not None:
            raise SolveFailed(limit.reason)
        return U

    def follow(self, F: np.ndarray) -> tuple[np.ndarray, Limit | None]:
        """As solve_sequence, but where the path ends (a limit point or buckling, or no equilibrium found
        beyond a load: Limit.limit_point says which) that is a result: displacements (3n, k) NaN from the
        frame not reached on, and its Limit (None when every frame was reached)."""
        U = np.full(F.shape, np.nan)
        u, f_prev = None, None
        for k in range(F.shape[1]):
            try:
                self.last = solve_increments(self.items, F[:, k], self.bc, self.options, u0_mm=u, f0_N=f_prev)
            except SolveFailed as exc:
                reason = f"load frame {k + 1} of {F.shape[1]}: {exc}{regions_at(self.mesh, exc.node)}"
                if exc.load_factor is None:
                    raise SolveFailed(reason, exc.node) from None
                return U, Limit(k, exc.load_factor, reason, isinstance(exc, LimitPoint))
            u, f_prev = self.last.u_mm, F[:, k]
            U[:, k] = u
        return U, None

    def path_items(self) -> list:
        """The items a new load path sums (the body and any further items)."""
        return self.items

    def trace(self, f_base: np.ndarray, f_ref: np.ndarray, c: np.ndarray, step: float,
              end) -> tuple[ControlledPath | None, Limit | None]:
        """The load f_base (3n,) N applied from the reference state (load control), then the path on which
        c . u (c (3n,)) is stepped by `step` with the factor of f_ref (3n,) an unknown, until end(u, lam) >= 1
        (sim.solve.control). Returns the path and None, or None and the Limit (frame 0) where the path under
        f_base itself ended."""
        items, u = self.path_items(), np.zeros(self.n_dofs)
        if np.any(f_base):
            try:
                u = solve_increments(items, f_base, self.bc, self.options).u_mm
            except SolveFailed as exc:
                reason = f"the base load: {exc}{regions_at(self.mesh, exc.node)}"
                if exc.load_factor is None:
                    raise SolveFailed(reason, exc.node) from None
                return None, Limit(0, exc.load_factor, reason, isinstance(exc, LimitPoint))
        return follow_measure(items, f_base, f_ref, c, step, end, self.bc, self.options, u0_mm=u), None

    def strain_stress(self, u: np.ndarray):
        """Green-Lagrange strain (c, q, 6, engineering shear) and Cauchy stress (c, q, 6) in MPa at the
        quadrature points (the same Voigt layout as the small-strain Problem's)."""
        sigma, _, E = self.body.stresses(u)
        return voigt_strain(E), sigma[..., VOIGT[:, 0], VOIGT[:, 1]]

    def residual(self, u: np.ndarray, f: np.ndarray) -> np.ndarray:
        """Internal minus external force (N): the reactions at constrained DOFs, ~0 elsewhere."""
        r = sum(item.residual_tangent(u)[0] for item in self.items)
        return r - f


def regions_at(mesh: Mesh, node: int | None) -> str:
    """' (node N at [x, y, z] mm is in: regions)' for a node a failed solve names, else ''."""
    if node is None:
        return ""
    rids = np.unique(mesh.region[(mesh.cells == node).any(axis=1)])
    names = ", ".join(str(mesh.region_names.get(int(r), r)) for r in rids)
    return f" (node {node} at {np.round(mesh.nodes_mm[node], 1).tolist()} mm is in: {names})"
