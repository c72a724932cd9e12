"""Named interfaces: what the user asks for (InterfaceSpec) and the nodal geometry the solver needs.

An interface is either
- paired: the facet sets `<name>_a` and `<name>_b` of a mesh split by sim.mesh.split, whose nodes
  coincide pair by pair (node-to-node contact), or
- a rigid plane: the facet set `<name>` of the body against a fixed plane (node-to-plane contact).
A `bonded` interface needs no solver work when its nodes are shared (facet set `<name>`); on a split
mesh it ties the pairs.

Per interface node j (index letters: j = interface node, k = constraint direction n, t1, t2):
- weight_mm2[j] > 0: the integral of the node's (transformed) shape function, so that a nodal force
  divided by it is a pressure in MPa;
- frame_jki: unit normal (row 0, pointing from side a, or from the plane, into side b) and two tangents;
- the transformation of quadratic (tri6) interface nodes, see `TRI6_ALPHA`.
"""

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from ..errors import InputError, nearest
from ..fem.surface import facet_basis
from ..mesh import Mesh
from ..mesh.mesh import TRI6_EDGES
from ..mesh.split import SIDE_SUFFIXES

KINDS = ("bonded", "contact", "frictional")

# Quadratic interfaces. The consistent nodal forces of a uniform pressure on a tri6 facet are zero at its
# corners (the integral of a corner shape function is 0), so a nodal force cannot be turned into a
# pressure there and "nodal force >= 0" is the wrong no-tension condition. As in dual mortar methods for
# quadratic elements (Popp et al. 2010; Wohlmuth et al. 2012) the interface basis is transformed,
#   corner: N_c + ALPHA * (N_m of its two facet edges),  edge: (1 - 2 ALPHA) N_m,
# which spans the same functions but integrates to 2 ALPHA A / 3 (corner) and (1 - 2 ALPHA) A / 3 (edge)
# per facet of area A, both > 0. Contact is enforced on the coefficients of the relative displacement in
# this basis (corner: as is; edge node m on corners c1, c2: (r_m - ALPHA (r_c1 + r_c2)) / (1 - 2 ALPHA)),
# and the multipliers are forces in the transformed basis: divided by the weights they are pressures,
# exact for any uniform pressure. Tet4 interfaces need no transformation (weights A / 3).
TRI6_ALPHA = 0.2


@dataclass(frozen=True)
class InterfaceSpec:
    """How the named interface behaves: 'bonded', 'contact' (frictionless, no tension) or 'frictional'
    (Coulomb, coefficient mu). plane_point_mm + plane_normal make it a contact with a rigid plane (normal
    pointing from the plane towards the body)."""

    name: str
    kind: str = "contact"
    mu: float = 0.0
    plane_point_mm: tuple | None = None
    plane_normal: tuple | None = None

    @property
    def on_plane(self) -> bool:
        return self.plane_normal is not None


@dataclass(frozen=True)
class Interface:
    """Nodal geometry of one interface: nodes_b (j,) of side b, nodes_a (j,) of side a (None for a plane),
    weight_mm2 (j,), frame_jki (j, 3, 3), initial gap (j,) in mm, and for each node the two corners
    (local indices, -1 for corners) of the edge it sits on."""

    spec: InterfaceSpec
    nodes_b: np.ndarray
    nodes_a: np.ndarray | None
    weight_mm2: np.ndarray
    frame_jki: np.ndarray
    gap0_mm: np.ndarray
    edge_corners: np.ndarray

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def n_nodes(self) -> int:
        return len(self.nodes_b)

    def relative_mm(self, u_mm: np.ndarray) -> np.ndarray:
        """Relative displacement (..., j, 3) of side b with respect to side a (or the plane), from u (..., 3 n)."""
        u = u_mm.reshape(u_mm.shape[:-1] + (-1, 3))
        r = u[..., self.nodes_b, :]
        return r - u[..., self.nodes_a, :] if self.nodes_a is not None else r


def interface_names(mesh: Mesh) -> list[str]:
    """Names usable as interfaces: split pairs <name>_a/<name>_b and every other facet set."""
    a, b = SIDE_SUFFIXES
    paired = {k[: -len(a)] for k in mesh.facet_sets if k.endswith(a) and k[: -len(a)] + b in mesh.facet_sets}
    single = {k for k in mesh.facet_sets if not any(k == p + s for p in paired for s in SIDE_SUFFIXES)}
    return sorted(paired | single)


def check_spec(mesh: Mesh, spec: InterfaceSpec) -> None:
    """InputError (one line) for an unknown kind or name, a bad mu or a bad plane."""
    where = f"interface '{spec.name}'"
    if spec.kind not in KINDS:
        raise InputError(f"{where}: kind '{spec.kind}' is not one of {', '.join(KINDS)}")
    try:
        mu = float(spec.mu)
    except (TypeError, ValueError):
        raise InputError(f"{where}: friction coefficient mu must be a number, got {spec.mu!r}") from None
    if not np.isfinite(mu) or mu < 0:
        raise InputError(f"{where}: friction coefficient mu must be >= 0, got {spec.mu}")
    if spec.mu > 0 and spec.kind != "frictional":
        raise InputError(f"{where}: mu = {spec.mu} given for a '{spec.kind}' interface; use kind 'frictional'")
    names = interface_names(mesh)
    a, b = (spec.name + s for s in SIDE_SUFFIXES)
    paired = a in mesh.facet_sets and b in mesh.facet_sets
    if spec.name not in names:
        listed = ", ".join(names) or "none"
        raise InputError(f"no interface '{spec.name}'{nearest(spec.name, names)}; the mesh has: {listed}")
    if spec.on_plane:
        normal = np.asarray(spec.plane_normal, float)
        if normal.shape != (3,) or not np.isfinite(normal).all() or np.linalg.norm(normal) == 0:
            raise InputError(f"{where}: plane_normal must be a non-zero 3-vector, got {spec.plane_normal}")
        if spec.plane_point_mm is None or np.shape(spec.plane_point_mm) != (3,):
            raise InputError(f"{where}: a rigid plane needs plane_point_mm = [x, y, z]")
        if spec.kind == "bonded":
            raise InputError(f"{where}: a rigid plane can be 'contact' or 'frictional', not 'bonded'")
        if spec.name not in mesh.facet_sets:
            raise InputError(f"{where}: a rigid-plane contact needs the facet set '{spec.name}'")
    elif not paired and spec.kind != "bonded":
        raise InputError(f"{where}: '{spec.kind}' needs the split facet sets '{a}' and '{b}' "
                         f"(split the mesh with sim.mesh.split.split_interface) or a rigid plane")


def build_interface(mesh: Mesh, spec: InterfaceSpec) -> Interface | None:
    """Nodal geometry of one interface; None for a bonded interface with shared nodes (nothing to solve)."""
    check_spec(mesh, spec)
    a, b = (spec.name + s for s in SIDE_SUFFIXES)
    if spec.on_plane:
        facets = mesh.facet_sets[spec.name]
    elif a in mesh.facet_sets and b in mesh.facet_sets:
        facets = mesh.facet_sets[a]
    else:
        return None  # bonded, shared nodes
    nodes = np.unique(facets)
    local = np.searchsorted(nodes, facets)
    weight, normal_sum = _nodal_integrals(mesh, facets, local, len(nodes))
    edge_corners = _edge_corners(local, len(nodes))
    if spec.on_plane:
        normal = np.asarray(spec.plane_normal, float)
        normal = np.broadcast_to(normal / np.linalg.norm(normal), (len(nodes), 3))
        gap0 = (mesh.nodes_mm[nodes] - np.asarray(spec.plane_point_mm, float)) @ normal[0]
        return Interface(spec, nodes, None, weight, _frames(normal), gap0, edge_corners)
    nodes_b = _matching_nodes(mesh, spec.name, nodes, np.unique(mesh.facet_sets[b]))
    normal = normal_sum / np.linalg.norm(normal_sum, axis=1, keepdims=True)
    return Interface(spec, nodes_b, nodes, weight, _frames(normal), np.zeros(len(nodes)), edge_corners)


def _nodal_integrals(mesh: Mesh, facets: np.ndarray, local: np.ndarray, n: int):
    """Per node: integral of its transformed shape function (mm^2) and of it times the normal (mm^2)."""
    fb = facet_basis(mesh, facets)
    N = fb.N_qa @ dual_transform(facets.shape[1]).T
    w_fa = np.einsum("qa,fq->fa", N, fb.dA_fq)
    wn_fai = np.einsum("qa,fq,fqi->fai", N, fb.dA_fq, fb.n_fqi)
    weight = np.bincount(local.ravel(), w_fa.ravel(), n)
    normal = np.stack([np.bincount(local.ravel(), wn_fai[..., i].ravel(), n) for i in range(3)], axis=1)
    return weight, normal


def dual_transform(n_facet_nodes: int) -> np.ndarray:
    """T (a, a): the transformed interface basis is N @ T.T (identity for tri3; see TRI6_ALPHA for tri6)."""
    T = np.eye(n_facet_nodes)
    if n_facet_nodes == 6:
        T[:3, 3:] = TRI6_ALPHA * (np.arange(3)[:, None] == TRI6_EDGES[None, :, 0]) \
            + TRI6_ALPHA * (np.arange(3)[:, None] == TRI6_EDGES[None, :, 1])
        T[3:, 3:] *= 1 - 2 * TRI6_ALPHA
    return T


def _edge_corners(local: np.ndarray, n: int) -> np.ndarray:
    """For each node the two corner nodes of the facet edge it is the midpoint of; -1 for corners."""
    out = np.full((n, 2), -1, dtype=np.int64)
    if local.shape[1] == 6:
        out[local[:, 3:].ravel()] = local[:, TRI6_EDGES].reshape(-1, 2)
    return out


def _frames(normal: np.ndarray) -> np.ndarray:
    """Orthonormal frames (j, 3, 3): rows n, t1, t2."""
    helper = np.eye(3)[np.argmin(np.abs(normal), axis=1)]
    t1 = np.cross(normal, helper)
    t1 /= np.linalg.norm(t1, axis=1, keepdims=True)
    return np.stack([normal, t1, np.cross(normal, t1)], axis=1)


def _matching_nodes(mesh: Mesh, name: str, nodes_a: np.ndarray, nodes_b: np.ndarray) -> np.ndarray:
    """For each node of side a, the node of side b at the same position (InputError if the sides differ)."""
    x = mesh.nodes_mm
    scale = max(float(np.ptp(x[nodes_a], axis=0).max()), 1e-300)
    dist, idx = cKDTree(x[nodes_b]).query(x[nodes_a])
    tol = 1e-8 * scale
    bad = dist > tol
    if len(nodes_a) != len(nodes_b) or bad.any() or len(np.unique(idx)) != len(idx):
        a, b = (name + s for s in SIDE_SUFFIXES)
        raise InputError(f"interface '{name}': sides '{a}' ({len(nodes_a)} nodes) and '{b}' ({len(nodes_b)} nodes) "
                         f"do not match: {int(bad.sum())} nodes of '{a}' have no node of '{b}' at the same position "
                         f"(largest distance {dist.max():.3g} mm)")
    return nodes_b[idx]
