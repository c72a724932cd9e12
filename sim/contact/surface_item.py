"""Sliding contact between non-matching surfaces (or a surface and a rigid plane) as a Newton item.

Discretisation: segment-to-segment mortar with a penalty on the weighted gap of each slave node, in the
current configuration (finite sliding). Chosen over node-to-segment because it passes the contact patch
test on non-matching meshes to round-off (node-to-segment passes it only two-pass, which locks, and
single-pass it does not pass it; Taylor & Papadopoulos 1991; Puso & Laursen 2004), and because its nodal
pressure is a weighted average over the node's tributary area, so that pressure percentiles converge
under refinement instead of sampling the pressure at single nodes. The item contract (residual and
tangent in the displacement only) rules out Lagrange multipliers: the penalty leaves a penetration
p / penalty (mm), stated by `max_penetration_mm`.

Per slave node a (basis Phi_a: the slave shape functions, transformed for tri6 as in interface.TRI6_ALPHA
so that every Phi_a integrates to a positive weight):
    G_a = int Phi_a g dA,  w_a = int Phi_a dA (over the part of the slave surface a master facet faces),
    p_a = penalty <-G_a / w_a>  (MPa),   energy W_n = sum_a w_a p_a^2 / (2 penalty),
g the gap of a slave point to its closest point on the master facet of its segment (sim.contact.projection),
integrated over the reference slave surface (p_a is a nominal pressure). Residual r = dW/du, tangent
d2W/du2 with the segmentation held (exact for flat masters, where the gap and its gradient are continuous
across master edges; the geometric part of a curved master is exact point by point).

Coulomb friction (mu > 0), per slave node in contact, by return mapping on a stick point: the master point
the node is held to (`commit` stores it), g_T = P (x_a - x_anchor) with P = I - n n^T in the anchor's
normal n at the last commit; trial traction -penalty g_T, sticking if |penalty g_T| <= mu p_a, else
slipping with traction mu p_a along -g_T/|g_T| (tangent with the d p_a coupling: not symmetric). On
commit every stick point moves to where the node's converged traction is elastic (a slipping node's onto
the Coulomb cone; a sticking node's only across the normal's turn), and the distance a slipping node's
moved on the master adds to its slip (mm); without friction every node in contact slides: its
closest master point is tracked the same way, so slip is reported for frictionless contact too.
Index letters: j = slave node, q = quadrature point, l = local DOF of a point, k = pair of facets.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

from ..errors import InputError
from ..fem.elements import tri_shape
from ..fem.post import weighted_percentile
from ..fem.quadrature import tri_rule
from ..fem.surface import facet_basis
from ..mesh import Mesh
from .interface import dual_transform
from .projection import facet_frame, gap_derivatives, project
from .segments import Points, candidate_pairs, facing, segment, unit_normals

PENALTY_FACTOR = 100.0  # default penalty = PENALTY_FACTOR * E / h (MPa/mm): penetration ~ p h / (100 E)
OPEN, STICK, SLIP = 0, 1, 2
ROUND_OFF = 1e-9  # a penetration below this fraction of the facet size is round-off, not contact


def default_penalty(E_MPa: float, h_mm: float) -> float:
    """Penalty (MPa/mm) for a softer body of modulus E at facet size h."""
    return PENALTY_FACTOR * E_MPa / h_mm


def facet_size_mm(mesh: Mesh, facets: np.ndarray) -> float:
    """Mean facet size (mm): the leg of a right isosceles triangle of the mean facet area."""
    return float(np.sqrt(facet_basis(mesh, facets, degree=1).dA_fq.sum(axis=1).mean() * 2))


@dataclass(frozen=True)
class Surface:
    """Facets (f, a) of one side with an orientation sign per facet (the node-order normal times sign
    points out of the body), its nodes (j,) and the facets in local node numbers."""

    facets: np.ndarray
    sign: np.ndarray
    nodes: np.ndarray
    local: np.ndarray

    @staticmethod
    def of(mesh: Mesh, set_name: str, where: str) -> "Surface":
        if set_name not in mesh.facet_sets:
            raise InputError(f"{where}: no facet set '{set_name}'; the mesh has: {', '.join(sorted(mesh.facet_sets))}")
        facets = np.asarray(mesh.facet_sets[set_name], np.int64)
        if len(facets) == 0:
            raise InputError(f"{where}: facet set '{set_name}' is empty")
        outward = facet_basis(mesh, facets, degree=1).n_fqi[:, 0]
        sign = np.where(np.einsum("fi,fi->f", unit_normals(mesh.nodes_mm[facets], np.ones(len(facets))),
                                  outward) >= 0, 1.0, -1.0)
        nodes, local = np.unique(facets, return_inverse=True)
        return Surface(facets, sign, nodes, local.reshape(facets.shape))

    @property
    def order(self) -> int:
        return 1 if self.facets.shape[1] == 3 else 2


@dataclass(frozen=True)
class Plane:
    """A rigid plane through point_mm with unit normal pointing towards the body."""

    point_mm: np.ndarray
    normal: np.ndarray


@dataclass
class NodeState:
    """Per slave node at one displacement: pressure (MPa), covered weight (mm^2), mean gap (mm), status,
    tangential traction (j, 3) in MPa."""

    pressure_MPa: np.ndarray
    weight_mm2: np.ndarray
    gap_mm: np.ndarray
    status: np.ndarray
    traction_MPa: np.ndarray


class SurfaceContact:
    """Contact of the slave facet set with the master facet set (or a rigid plane) of one mesh holding
    every body (node numbers global): a Newton item (residual_tangent, commit, check).

    mu >= 0 (0: frictionless); penalty_MPa_per_mm (see default_penalty); reach_mm: how far apart
    (mm) surfaces may be and still be searched for each other (default: two slave facet sizes)."""

    def __init__(self, mesh: Mesh, name: str, slave: str, master: str | None = None, *, plane=None,
                 mu: float = 0.0, penalty_MPa_per_mm: float, reach_mm: float | None = None):
        where = f"contact '{name}'"
        mu, penalty = _number(mu, f"{where}: friction coefficient mu"), _number(penalty_MPa_per_mm, f"{where}: penalty")
        if mu < 0:
            raise InputError(f"{where}: friction coefficient mu must be >= 0, got {mu:g}")
        if penalty <= 0:
            raise InputError(f"{where}: penalty must be > 0 MPa/mm, got {penalty:g}")
        if (master is None) == (plane is None):
            raise InputError(f"{where}: give either a master facet set or a rigid plane, not both or neither")
        self.name, self.mu, self.penalty, self.n_dofs = name, mu, penalty, 3 * mesh.n_nodes
        self.symmetric = mu == 0  # friction's tangent is not symmetric (sim.solve picks the solver by it)
        self.X = mesh.nodes_mm
        self.slave = Surface.of(mesh, slave, where)
        self.master = Surface.of(mesh, master, where) if master is not None else None
        self.plane = _plane(plane, where) if plane is not None else None
        if self.master is not None and np.intersect1d(self.slave.nodes, self.master.nodes).size:
            raise InputError(f"{where}: surfaces '{slave}' and '{master}' share nodes; contact needs separate "
                             "bodies (or a mesh split along the interface)")
        self.degree = 2 if max(self.slave.order, self.master.order if self.master else 1) == 1 else 4
        h = facet_size_mm(mesh, self.slave.facets)
        self.facet_size_mm = h
        self.reach_mm = 2.0 * h if reach_mm is None else _number(reach_mm, f"{where}: reach_mm")
        self._T = dual_transform(self.slave.facets.shape[1])
        self._check_opposed(slave, master)
        n = len(self.slave.nodes)
        self.anchor_facet = np.zeros(n, np.int64)  # master facet of each node's stick point
        self.anchor_zeta = np.zeros((n, 2))        # its coordinates on that facet
        self.anchor_point = np.zeros((n, 3))       # the stick point itself, on a rigid plane (mm)
        self.anchor_normal = np.zeros((n, 3))
        self.slip_mm = np.zeros(n)
        self._predictor = False
        self.commit(np.zeros(self.n_dofs), track_slip=False)

    # -- the item contract --------------------------------------------------------------------------

    def residual_tangent(self, u_mm: np.ndarray):
        """Internal force r (3 n,) N and tangent K (3 n, 3 n) N/mm of the contact at total displacement u."""
        normal = self._normal(u_mm, hessian=True)
        p, w = normal["pressure"], normal["weight"]
        dG = normal["dG"]
        r = -(dG.T @ p)
        scale = np.where(normal["touching"], self.penalty / np.where(w > 0, w, 1.0), 0.0)
        K = (dG.T @ sp.diags(scale) @ dG) + normal["K_geo"]
        if self.mu > 0:
            r_t, K_t = self._friction(u_mm, normal, tangent=True, predictor=self._predictor)
            self._predictor = False
            r, K = r + r_t, K + K_t
        return r, K.tocsr()

    def commit(self, u_mm: np.ndarray, track_slip: bool = True) -> None:
        """Move the stick points (the friction history) after a converged increment, without moving the
        converged state: every node's stick point goes to where its converged traction is elastic,
        x + traction / penalty (for a slipping node on the rim of the cone, where stick and slip coincide),
        projected on the master along its current normal there, which becomes the node's normal. A sticking
        node so keeps its traction (turned into the new tangent plane); left in place, the normal part of
        its offset from the stick point (a node on the rim of a cut face lies tens of um deep under a
        weighted gap of 1 um) would leak into the tangential gap through the refreshed normal, and the
        commit would put the converged state off equilibrium (tests/test_surface_contact_friction.py)."""
        x = self._current(u_mm)[self.slave.nodes]
        state = self.state(u_mm)
        if not track_slip:  # the first call: no history yet, every node starts where it is
            state.status[:], state.traction_MPa[:] = OPEN, 0.0
        self.committed = state  # the converged increment's state
        self._predictor = True
        target = x + state.traction_MPa / self.penalty
        if self.plane is not None:
            n = self.plane.normal
            new = target - ((target - self.plane.point_mm) @ n)[:, None] * n
            step = np.linalg.norm(new - self.anchor_point, axis=1)
            self.anchor_point = new
            self.anchor_normal[:] = n
        else:
            xm = self._current(u_mm)[self.master.facets]
            old = self._anchor_position(xm)
            self.anchor_facet, self.anchor_zeta = self._closest_on_master(target, xm)
            _, _, normal, _, _ = facet_frame(xm[self.anchor_facet], self.anchor_zeta, self.master.sign[self.anchor_facet])
            self.anchor_normal[:] = normal
            step = np.linalg.norm(self._anchor_position(xm) - old, axis=1)
        if track_slip:
            sliding = state.status == SLIP if self.mu > 0 else state.pressure_MPa > 0
            self.slip_mm += np.where(sliding, step, 0.0)

    def check(self, u_mm: np.ndarray) -> str | None:
        """A reason to cut the increment back: a node pushed through more than half a facet size."""
        depth = self.max_penetration_mm(u_mm)
        if depth > 0.5 * self.facet_size_mm:
            return (f"contact '{self.name}': penetration {depth:.3g} mm exceeds half the facet size "
                    f"({self.facet_size_mm:.3g} mm): the surfaces passed through each other")
        return None

    # -- results ------------------------------------------------------------------------------------

    def state(self, u_mm: np.ndarray) -> NodeState:
        """Pressure, covered weight, mean gap, status and tangential traction of every slave node."""
        normal = self._normal(u_mm, hessian=False)
        p = normal["pressure"]
        status = np.where(p > 0, STICK, OPEN)
        traction = np.zeros((len(p), 3))
        if self.mu > 0:
            traction, slipping = self._friction(u_mm, normal, tangent=False)
            status[slipping] = SLIP
        return NodeState(p, normal["weight"], normal["gap"], status, traction)

    def summary(self, u_mm: np.ndarray, state: NodeState | None = None) -> dict:
        """CSV-ready scalars (units in the names): contact area, normal force, the 99th percentile of the
        nodal pressure by contact area (robust where one node bears on an edge), the nodal peak, the
        largest opening among nodes facing the master, the largest accumulated slip and the sliding area.
        state: the state at u_mm when already known (e.g. `committed`)."""
        state = self.state(u_mm) if state is None else state
        closed = state.pressure_MPa > self.penalty * ROUND_OFF * self.facet_size_mm  # not penetration noise
        w, p = state.weight_mm2, state.pressure_MPa
        facing = np.isfinite(state.gap_mm)
        return {
            "contact_area_mm2": float(w[closed].sum()),
            "normal_force_N": float((p * w).sum()),
            "contact_pressure_p99_MPa": weighted_percentile(p[closed], w[closed], 99.0) if closed.any() else 0.0,
            "peak_contact_pressure_MPa": float(p.max(initial=0.0)),
            "gap_max_mm": float(state.gap_mm[facing].max(initial=0.0)),
            "slip_max_mm": float(self.slip_mm.max(initial=0.0)),
            "sliding_area_mm2": float(w[state.status == SLIP].sum()),
        }

    def pressure_field(self, u_mm: np.ndarray) -> np.ndarray:
        """Contact pressure (n,) in MPa at every mesh node (zero off the slave surface), for field files."""
        out = np.zeros(self.n_dofs // 3)
        out[self.slave.nodes] = self.state(u_mm).pressure_MPa
        return out

    def max_penetration_mm(self, u_mm: np.ndarray) -> float:
        """Largest penetration of a slave node's weighted gap (mm): pressure / penalty."""
        return float(self._normal(u_mm, hessian=False)["pressure"].max(initial=0.0) / self.penalty)

    # -- normal contact -----------------------------------------------------------------------------

    def _current(self, u_mm: np.ndarray) -> np.ndarray:
        return self.X + np.asarray(u_mm, float).reshape(-1, 3)

    def _points(self, x: np.ndarray) -> Points:
        xs = x[self.slave.facets]
        if self.plane is not None:
            xi, w = tri_rule(self.degree)
            f = len(xs)
            return Points(np.repeat(np.arange(f), len(w)), np.zeros(f * len(w), np.int64), np.tile(xi, (f, 1)),
                          np.tile(w, f))
        return segment(xs, self.slave.sign, x[self.master.facets], self.master.sign, self.reach_mm, self.degree)

    def _normal(self, u_mm: np.ndarray, hessian: bool) -> dict:
        """Weighted gaps G (j,), covered weights (j,), pressures (j,), dG (j, 3 n) and the geometric tangent."""
        x = self._current(u_mm)
        pts = self._points(x)
        s = self.slave
        order = s.order
        Ns, dNs = tri_shape(pts.xi, order) if len(pts.xi) else (np.zeros((0, s.facets.shape[1])),) * 2
        Phi = Ns @ self._T.T
        Xs = self.X[s.facets[pts.slave]]
        jac = np.linalg.norm(np.cross(*np.einsum("qak,qai->kqi", dNs, Xs)), axis=-1) if len(pts.xi) else np.zeros(0)
        dA = pts.weight * jac
        xs = x[s.facets[pts.slave]]
        if self.plane is not None:
            n = self.plane.normal
            xq = np.einsum("qa,qai->qi", Ns, xs)
            g = (xq - self.plane.point_mm) @ n
            dg = (Ns[:, :, None] * n).reshape(len(g), 3 * Ns.shape[1])
            hess = None
            dofs = (3 * s.facets[pts.slave][:, :, None] + np.arange(3)).reshape(len(g), dg.shape[1])
        else:
            mf = self.master.facets[pts.master]
            g, _, dg, hess = gap_derivatives(Ns, xs, x[mf], self.master.sign[pts.master], hessian)
            nodes = np.concatenate([s.facets[pts.slave], mf], axis=1)
            dofs = (3 * nodes[:, :, None] + np.arange(3)).reshape(len(g), 3 * nodes.shape[1])
        j = len(s.nodes)
        rows = s.local[pts.slave]  # (q, a) slave node of each Phi_a
        weight = np.bincount(rows.ravel(), (Phi * dA[:, None]).ravel(), j)
        G = np.bincount(rows.ravel(), (Phi * (dA * g)[:, None]).ravel(), j)
        covered = weight > 1e-9 * weight.max(initial=0.0)
        gap = np.where(covered, G / np.where(covered, weight, 1.0), np.inf)
        pressure = self.penalty * np.maximum(0.0, -np.where(covered, gap, 0.0))
        L = dg.shape[1]
        vals = (Phi * dA[:, None])[:, :, None] * dg[:, None, :]  # (q, a, l)
        dG = sp.csr_matrix((vals.ravel(), (np.repeat(rows, L, axis=1).ravel(), np.repeat(dofs[:, None, :], rows.shape[1], axis=1).ravel())),
                           shape=(j, self.n_dofs))
        # touching (gap <= 0, pressure >= 0) carries the penalty stiffness: a body resting on a surface at
        # zero gap (the start of a load step) is then held by it in the first Newton iteration
        out = {"pressure": pressure, "weight": weight, "gap": gap, "dG": dG, "touching": covered & (gap <= 0)}
        if hessian:
            out["K_geo"] = self._geometric(pts, Phi, dA, pressure, rows, dofs, hess)
        return out

    def _geometric(self, pts: Points, Phi, dA, pressure, rows, dofs, hess) -> sp.spmatrix:
        """-sum_q p(q) dA_q d2g_q, summed per facet pair before scattering (the points of a pair share DOFs)."""
        if hess is None or not len(dA):
            return sp.csr_matrix((self.n_dofs, self.n_dofs))
        c = -np.einsum("qa,qa->q", Phi, pressure[rows]) * dA
        live = c != 0
        if not live.any():
            return sp.csr_matrix((self.n_dofs, self.n_dofs))
        key = pts.slave[live] * len(self.master.facets) + pts.master[live]
        _, first, pair = np.unique(key, return_index=True, return_inverse=True)
        L = hess.shape[1]
        H = np.zeros((len(first), L * L))
        np.add.at(H, pair, (c[live, None, None] * hess[live]).reshape(-1, L * L))
        d = dofs[live][first]
        return sp.coo_matrix((H.ravel(), (np.repeat(d, L, axis=1).ravel(), np.tile(d, (1, L)).ravel())),
                             shape=(self.n_dofs, self.n_dofs))

    # -- friction -----------------------------------------------------------------------------------

    def _anchor_position(self, xm: np.ndarray) -> np.ndarray:
        """Current position (j, 3) of every node's stick point on the master."""
        if self.plane is not None:
            return self.anchor_point
        N, _ = tri_shape(self.anchor_zeta, self.master.order)
        return np.einsum("ja,jai->ji", N, xm[self.anchor_facet])

    def _friction(self, u_mm: np.ndarray, normal: dict, tangent: bool, predictor: bool = False):
        """Return mapping per node in contact. tangent=True: (r, K); False: (traction (j, 3) MPa, slipping (j,)).
        predictor: the tangent of every node in contact sticking (the elastic predictor; used for the first
        iteration after a commit, where nodes left on the rim of the cone would otherwise flip between
        stick and slip from one iteration to the next)."""
        x = self._current(u_mm)
        s = self.slave
        j = len(s.nodes)
        p, w = normal["pressure"], normal["weight"]
        n0 = self.anchor_normal
        P = np.eye(3)[None] - n0[:, :, None] * n0[:, None, :]
        if self.plane is not None:
            coef = np.ones((j, 1))
            nodes = s.nodes[:, None]
            offset = -np.einsum("jik,jk->ji", P, self.anchor_point)
        else:
            offset = np.zeros((j, 3))
            N, _ = tri_shape(self.anchor_zeta, self.master.order)
            coef = np.concatenate([np.ones((j, 1)), -N], axis=1)
            nodes = np.concatenate([s.nodes[:, None], self.master.facets[self.anchor_facet]], axis=1)
        xa = x[nodes]  # (j, b, 3)
        gT = np.einsum("jik,jb,jbk->ji", P, coef, xa) + offset
        trial = self.penalty * np.linalg.norm(gT, axis=1)
        limit = self.mu * p
        active = normal["touching"]
        slipping = active & (trial > limit)
        gT_norm = np.where(trial > 0, trial / self.penalty, 1.0)
        ghat = gT / gT_norm[:, None]
        traction = np.where(slipping[:, None], -limit[:, None] * ghat, -self.penalty * gT)
        traction[~active] = 0.0
        if not tangent:
            return traction, slipping
        J = np.einsum("jb,jik->jibk", coef, P).reshape(j, 3, -1)  # (j, 3, l): d gT / d local DOFs
        dofs = (3 * nodes[:, :, None] + np.arange(3)).reshape(j, -1)
        r_loc = -w[:, None] * np.einsum("jil,ji->jl", J, traction)
        stick = active & ~slipping
        if predictor:
            stick, slipping = active, np.zeros_like(slipping)
        D = np.zeros((j, 3, 3))  # d traction / d gT (negated): stick penalty I, slip mu p / |gT| (I - ghat ghat)
        D[stick] = self.penalty * np.eye(3)
        D[slipping] = (limit[slipping] / gT_norm[slipping])[:, None, None] * (np.eye(3) - ghat[slipping, :, None] * ghat[slipping, None, :])
        K_loc = w[:, None, None] * np.einsum("jil,jik,jkm->jlm", J, D, J)
        L = dofs.shape[1]
        r = np.bincount(dofs.ravel(), r_loc.ravel(), self.n_dofs)
        K = sp.coo_matrix((K_loc.ravel(), (np.repeat(dofs, L, axis=1).ravel(), np.tile(dofs, (1, L)).ravel())),
                          shape=(self.n_dofs, self.n_dofs))
        # slipping: r depends on p_a = penalty <-G_a / w_a>: d r = w mu J^T ghat dp, dp = -(penalty / w) dG
        col = w * self.mu * (slipping & (p > 0))
        Jg = np.einsum("jil,ji->jl", J, ghat) * col[:, None]
        Jg_sp = sp.coo_matrix((Jg.ravel(), (dofs.ravel(), np.repeat(np.arange(j), L))), shape=(self.n_dofs, j))
        dp = sp.diags(np.where(slipping, -self.penalty / np.where(w > 0, w, 1.0), 0.0)) @ normal["dG"]
        return r, K + Jg_sp @ dp

    def _closest_on_master(self, x: np.ndarray, xm: np.ndarray, k: int = 8):
        """Master facet and zeta (j,), (j, 2) of the closest point to each of x (j, 3) on the master surface."""
        k = min(k, len(xm))
        centre = xm[:, :3].mean(axis=1)
        _, cand = cKDTree(centre).query(x, k)
        cand = cand.reshape(len(x), k)
        flat = cand.ravel()
        pts = np.repeat(x, k, axis=0)
        zeta = project(pts, xm[flat])
        lam = np.column_stack([1 - zeta.sum(axis=1), zeta])
        outside = np.maximum(0.0, -lam).sum(axis=1).reshape(len(x), k)
        clamped = np.clip(lam, 0, None)
        clamped /= clamped.sum(axis=1, keepdims=True)
        N, _ = tri_shape(clamped[:, 1:], self.master.order)
        dist = np.linalg.norm(pts - np.einsum("pa,pai->pi", N, xm[flat]), axis=1).reshape(len(x), k)
        best = np.argmin(dist + 1e3 * dist.max(initial=1.0) * (outside > 1e-9), axis=1)
        rows = np.arange(len(x))
        return cand[rows, best], zeta.reshape(len(x), k, 2)[rows, best]

    # -- input checks -------------------------------------------------------------------------------

    def _check_opposed(self, slave: str, master: str | None) -> None:
        """InputError when no master lies within reach of the slave surface, or none faces it."""
        where = f"contact '{self.name}'"
        xs = self.X[self.slave.facets]
        ns = unit_normals(xs, self.slave.sign)
        if self.plane is not None:
            distance = (self.X[self.slave.nodes] - self.plane.point_mm) @ self.plane.normal
            if distance.min() > self.reach_mm:
                raise InputError(f"{where}: surface '{slave}' is {distance.min():.3g} mm from the plane, beyond reach "
                                 f"({self.reach_mm:.3g} mm)")
            if not (ns @ self.plane.normal < np.cos(np.radians(95.0))).any():
                raise InputError(f"{where}: surface '{slave}' does not face the plane (its outward normals point "
                                 "along the plane normal; is the normal pointing towards the body?)")
            return
        xm = self.X[self.master.facets]
        ks, km = candidate_pairs(xs, xm, self.reach_mm)
        if not len(ks):
            gap = np.min(cKDTree(self.X[self.master.nodes]).query(self.X[self.slave.nodes])[0])
            raise InputError(f"{where}: no part of '{master}' is within reach of '{slave}' (closest "
                             f"{gap:.3g} mm, reach {self.reach_mm:.3g} mm)")
        if not facing(ns[ks], unit_normals(xm, self.master.sign)[km]).any():
            raise InputError(f"{where}: surfaces '{slave}' and '{master}' do not face each other (their outward "
                             "normals point the same way where they are close)")


def _number(value, what: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a number, got {value!r}") from None
    if not np.isfinite(out):
        raise InputError(f"{what} must be finite, got {value!r}")
    return out


def _plane(plane, where: str) -> Plane:
    try:
        point, normal = (np.asarray(v, float) for v in plane)
    except (TypeError, ValueError):
        raise InputError(f"{where}: a rigid plane is (point_mm, normal), got {plane!r}") from None
    if point.shape != (3,) or normal.shape != (3,) or not np.isfinite(np.r_[point, normal]).all() \
            or np.linalg.norm(normal) == 0:
        raise InputError(f"{where}: a rigid plane needs a point [x, y, z] mm and a non-zero normal, got {plane!r}")
    return Plane(point, normal / np.linalg.norm(normal))
