"""Sliding contact in experiments: a model whose contact and frictional interfaces are SurfaceContact items
(segment-to-segment mortar, finite sliding; surface_item.py) on a mesh split along them, solved by Newton
(sim.solve) load frame after load frame under small or finite kinematics.

The mesh is split along each such interface (sim.mesh.split: side b, the void content, gets its own copy of
the nodes), so the two sides start touching at coincident nodes and may then open, slide and roll on each
other by any amount; contact is found by projection in the current configuration, not by node pairs.
Side a (bone, cartilage) is the slave surface that carries the pressure field, side b (cement) the master:
the item's tangent holds the segmentation, which is exact where the master covers the contact zone, and a
smooth convex spacer does, while the rim of a cut bone face inside the contact zone (a bead bearing on
the stump's edge) does not: with the cement as slave Newton converged only linearly there and stalled;
with the bone as slave it converges quadratically. The penalty of each interface is
surface_item.default_penalty of the softer side's smallest Young's modulus at the slave facet size.
Each load sequence starts from the reference state with no friction history.
"""

from dataclasses import dataclass

import numpy as np

from ..mesh import Mesh
from ..mesh.split import SIDE_SUFFIXES, facet_cells
from ..model.finite import FiniteProblem, Limit, regions_at
from ..model.problem import Problem
from ..solve import LimitPoint, LinearItem, NewtonOptions, SolveFailed, solve_increments
from .interface import InterfaceSpec
from .results import pressure_field
from .surface_item import SurfaceContact, default_penalty, facet_size_mm

# Newton's force tolerance with contact: 1e-6 of the load (about 1e-4 N at gait loads). The penalty's
# kinks (a node opening or closing, sticking or slipping) leave Newton hovering near 1e-8 of the load.
RTOL_FORCE = 1e-6
# Its floor where the load is zero (an unloaded gait frame): 1e-8 N. The solver's default, 1e-9 N, lies
# at the round-off of the contact forces of split surfaces touching at coincident nodes (1.01e-9 N on the
# stemmed spacer's canal, tet4 4 mm), and Newton then iterates on round-off until it gives up.
ATOL_FORCE_N = 1e-8
MAX_ITERATIONS = 60
COLUMNS = ("contact_area_mm2", "normal_force_N", "contact_pressure_p99_MPa", "peak_contact_pressure_MPa",
           "gap_max_mm", "slip_max_mm", "sliding_area_mm2")


@dataclass(frozen=True)
class SlidingFrames:
    """One interface over k frames: the summary row of each frame (SurfaceContact.summary: area mm^2, force N,
    pressures MPa, gap and slip mm) and the nodal pressure (k, j) in MPa on the slave nodes (j,)."""

    name: str
    kind: str
    rows: list
    nodes: np.ndarray
    pressure_MPa: np.ndarray

    def summary(self, frame: int) -> dict:
        return dict(self.rows[frame])


@dataclass(frozen=True)
class SlidingResult:
    """Displacements u_mm (3 n, k), per-interface frames, Newton iterations per frame (k,)."""

    u_mm: np.ndarray
    interfaces: dict
    iterations: np.ndarray

    def pressure_field(self, frame: int, n_nodes: int) -> np.ndarray:
        return pressure_field(self.interfaces, frame, n_nodes)


class _Sliding:
    """What both kinematics share: the interfaces, fresh contact items per sequence and the frame loop."""

    specs: list
    options: NewtonOptions

    def _init_contact(self, specs: list[InterfaceSpec]) -> None:
        self.specs = list(specs)
        self.penalties = {s.name: interface_penalty(self.mesh, s.name, self.model.laws) for s in self.specs}

    def contacts(self) -> list[SurfaceContact]:
        """New contact items (no friction history) for every interface."""
        return [contact_item(self.mesh, s, self.penalties[s.name]) for s in self.specs]

    def path_items(self) -> list:
        """The body and new contact items (no friction history) for a new load path."""
        return [*self._bodies(), *self.contacts()]

    def solve(self, f: np.ndarray) -> np.ndarray:
        """Displacements (mm) for one load vector (3 n,) or a sequence of frames (3 n, k)."""
        return self.solve_sequence(f.reshape(self.n_dofs, -1)).u_mm.reshape(np.shape(f))

    def solve_sequence(self, F: np.ndarray) -> SlidingResult:
        """Follow the load frames F (3 n, k) in order from the reference state, each from the previous
        equilibrium (friction is path dependent); SolveFailed names the frame, increment and reason."""
        result, limit = self.follow(F)
        if limit is not None:
            raise SolveFailed(limit.reason)
        return result

    def follow(self, F: np.ndarray) -> tuple[SlidingResult, Limit | None]:
        """As solve_sequence, but where the path ends (FiniteProblem.follow) that is a result: displacements,
        interface rows and pressures NaN from the frame not reached on, and its Limit (else None)."""
        contacts = self.contacts()
        items = [*self._bodies(), *contacts]
        k_frames = F.shape[1]
        U, iterations = np.full((self.n_dofs, k_frames), np.nan), np.zeros(k_frames, np.int64)
        rows = {c.name: [dict.fromkeys(COLUMNS, np.nan) for _ in range(k_frames)] for c in contacts}
        pressure = {c.name: np.full((k_frames, len(c.slave.nodes)), np.nan) for c in contacts}
        u, f_prev, limit = None, None, None
        for k in range(k_frames):
            try:
                result = solve_increments(items, F[:, k], self.bc, self.options, u0_mm=u, f0_N=f_prev)
            except SolveFailed as exc:
                reason = f"load frame {k + 1} of {k_frames}: {exc}{regions_at(self.mesh, exc.node)}"
                if exc.load_factor is None:
                    raise SolveFailed(reason, exc.node) from None
                limit = Limit(k, exc.load_factor, reason, isinstance(exc, LimitPoint))
                break
            u, f_prev = result.u_mm, F[:, k]
            U[:, k], iterations[k] = u, sum(result.iterations)
            for c in contacts:
                rows[c.name][k] = c.summary(u, c.committed)
                pressure[c.name][k] = c.committed.pressure_MPa
        return SlidingResult(U, self._frames(contacts, rows, pressure), iterations), limit

    def contact_states(self, U: np.ndarray) -> SlidingResult:
        """The normal contact of every interface at the states U (3 n, k) in mm, e.g. the steps of a
        displacement-controlled path: area, force, pressures and gap as in a followed frame (the normal
        contact is a function of the state alone); slip_max_mm and sliding_area_mm2 are NaN (they need the
        path's friction history, not kept here)."""
        contacts, k_frames = self.contacts(), U.shape[1]
        rows = {c.name: [] for c in contacts}
        pressure = {c.name: np.zeros((k_frames, len(c.slave.nodes))) for c in contacts}
        for k in range(k_frames):
            for c in contacts:
                state = c.state(U[:, k])
                rows[c.name].append({**c.summary(U[:, k], state), "slip_max_mm": np.nan, "sliding_area_mm2": np.nan})
                pressure[c.name][k] = state.pressure_MPa
        return SlidingResult(U, self._frames(contacts, rows, pressure), np.zeros(k_frames, np.int64))

    def _frames(self, contacts, rows: dict, pressure: dict) -> dict:
        return {c.name: SlidingFrames(c.name, s.kind, rows[c.name], c.slave.nodes, pressure[c.name])
                for c, s in zip(contacts, self.specs)}


class SmallSliding(_Sliding, Problem):
    """Small strain: the linear body (K assembled once) plus the contact items, by Newton. A part may be held
    by contact alone (no rigid-motion check: a part that nothing holds makes the tangent singular)."""

    def __init__(self, mesh: Mesh, materials: dict, boundaries, specs: list[InterfaceSpec], increments: int = 1):
        self._assemble(mesh, materials, boundaries)
        self.options = NewtonOptions(increments=increments, rtol_force=RTOL_FORCE, atol_force_N=ATOL_FORCE_N,
                                     max_iterations=MAX_ITERATIONS)
        self._init_contact(specs)

    def _bodies(self):
        return [LinearItem(self.K)]


class FiniteSliding(_Sliding, FiniteProblem):
    """Finite strain: the total-Lagrangian body plus the contact items."""

    def __init__(self, mesh: Mesh, materials: dict, boundaries, specs: list[InterfaceSpec], increments: int = 1):
        super().__init__(mesh, materials, boundaries, held_by_items=True,  # a part may be held by contact alone
                         options=NewtonOptions(increments=increments, rtol_force=RTOL_FORCE,
                                               atol_force_N=ATOL_FORCE_N, max_iterations=MAX_ITERATIONS))
        self._init_contact(specs)

    def _bodies(self):
        return [self.body]


def contact_item(mesh: Mesh, spec: InterfaceSpec, penalty_MPa_per_mm: float) -> SurfaceContact:
    """A new sliding-contact item (no friction history) for a split interface: side a slave, side b master."""
    a, b = SIDE_SUFFIXES
    return SurfaceContact(mesh, spec.name, spec.name + a, spec.name + b, mu=spec.mu,
                          penalty_MPa_per_mm=penalty_MPa_per_mm)


def interface_penalty(mesh: Mesh, name: str, laws: dict) -> float:
    """default_penalty (MPa/mm) of the softer side of a split interface: the smallest Young's modulus of the
    cells on either side (from each law's small-strain stiffness) at the slave (side a) facet size."""
    a, b = SIDE_SUFFIXES
    E = []
    for side in (a, b):
        cells = facet_cells(mesh, mesh.facet_sets[name + side])
        regions = np.unique(mesh.region[cells[cells >= 0]])
        E += [1.0 / np.diag(np.linalg.inv(laws[r].D))[:3].max() for r in regions]
    return default_penalty(min(E), facet_size_mm(mesh, mesh.facet_sets[name + a]))
