"""Segment-to-segment integration: each slave facet cut into the pieces over which one master facet lies
opposite, with quadrature points on every piece (Puso & Laursen, Comput. Methods Appl. Mech. Engrg. 193,
2004; the segmentation of mortar methods).

In the current configuration, a slave facet's corner triangle is projected along the master facet's
normal (the direction of the closest-point projection that defines the gap) onto the master's corner
plane, clipped there against the master triangle (Sutherland-Hodgman), mapped back to the slave reference
coordinates xi, fan-triangulated, and a Gauss rule placed on each piece. So a piece is exactly the part of
a flat slave facet whose closest points lie on that flat master facet, and the integrand is continuous
across pieces: the tangent with the pieces held is the exact derivative. Candidate pairs come from a k-d tree of master facet centres (no all-pairs search); a pair
counts only if the facets face each other (outward normals at more than FACING_DEG to each other).
Where pieces of one slave facet overlap (a master with a corner or a crease: the stem's tip in its canal,
where a canal facet also lies within reach of, and at more than FACING_DEG to, a facet of the stem's
other side), a point keeps only the master facet closest to it (the closest-point projection that
defines the gap): otherwise the far facet's plane, behind which the point lies, reads as a penetration
of several facet sizes in the unloaded, touching state.
The integrand (slave shape function times gap, or times a master shape function) is polynomial on a piece
for flat facets, so the rule integrates it exactly: the contact patch test passes to round-off.
Index letters: s = slave facet, m = master facet, k = pair, v = polygon vertex, q = quadrature point.
"""

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from ..fem.quadrature import tri_rule

FACING_DEG = 95.0  # a pair of facets faces each other if their outward normals are at least this far apart
_MAX_VERTICES = 9


@dataclass(frozen=True)
class Points:
    """Quadrature points: slave facet, master facet, slave reference coordinates xi (q, 2) and the
    weight in the slave reference triangle (q,) (times the slave area Jacobian = area)."""

    slave: np.ndarray
    master: np.ndarray
    xi: np.ndarray
    weight: np.ndarray


def unit_normals(x_fai: np.ndarray, sign_f: np.ndarray) -> np.ndarray:
    """Unit normals (f, 3) of the facets' corner triangles, oriented by sign (+1/-1)."""
    n = np.cross(x_fai[:, 1] - x_fai[:, 0], x_fai[:, 2] - x_fai[:, 0]) * sign_f[:, None]
    return n / np.linalg.norm(n, axis=1, keepdims=True)


def radii(x_fai: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centres (f, 3) and circumscribing radii (f,) of facets about their centres (corner triangles)."""
    centre = x_fai[:, :3].mean(axis=1)
    return centre, np.linalg.norm(x_fai[:, :3] - centre[:, None], axis=2).max(axis=1)


def candidate_pairs(xs_fai, xm_fai, reach_mm: float) -> tuple[np.ndarray, np.ndarray]:
    """(slave, master) facet pairs whose circumscribing spheres come within reach_mm of each other."""
    cs, rs = radii(xs_fai)
    cm, rm = radii(xm_fai)
    found = cKDTree(cm).query_ball_point(cs, rs + rm.max(initial=0.0) + reach_mm)
    counts = np.fromiter((len(f) for f in found), np.int64, len(found))
    slave = np.repeat(np.arange(len(found)), counts)
    master = np.fromiter((j for f in found for j in f), np.int64, int(counts.sum()))
    near = np.linalg.norm(cs[slave] - cm[master], axis=1) <= rs[slave] + rm[master] + reach_mm
    return slave[near], master[near]


def facing(ns_ki: np.ndarray, nm_ki: np.ndarray) -> np.ndarray:
    """Whether paired facets face each other (outward normals nearly opposite)."""
    return np.einsum("ki,ki->k", ns_ki, nm_ki) < np.cos(np.radians(FACING_DEG))


def segment(xs_fai, sign_s, xm_fai, sign_m, reach_mm: float, degree: int) -> Points:
    """Quadrature points of every slave piece with a facing master facet within reach (current geometry)."""
    slave, master = candidate_pairs(xs_fai, xm_fai, reach_mm)
    ns, nm = unit_normals(xs_fai, sign_s), unit_normals(xm_fai, sign_m)
    keep = facing(ns[slave], nm[master])
    slave, master = slave[keep], master[keep]
    # slave xi -> master zeta along the master normal (the closest-point direction): zeta = A xi + b
    es = np.stack([xs_fai[slave, 1] - xs_fai[slave, 0], xs_fai[slave, 2] - xs_fai[slave, 0]], axis=2)  # (k, 3, 2)
    em = np.stack([xm_fai[master, 1] - xm_fai[master, 0], xm_fai[master, 2] - xm_fai[master, 0]], axis=2)
    to_zeta = np.linalg.solve(np.einsum("kia,kib->kab", em, em), em.transpose(0, 2, 1))  # (k, 2, 3)
    A = to_zeta @ es
    b = np.einsum("kai,ki->ka", to_zeta, xs_fai[slave, 0] - xm_fai[master, 0])
    poly = b[:, None] + np.einsum("kab,vb->kva", A, np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]))
    count = np.full(len(poly), 3)
    for c0, c in ((0.0, (1.0, 0.0)), (0.0, (0.0, 1.0)), (1.0, (-1.0, -1.0))):
        poly, count = _clip(poly, count, c0, np.array(c))
    poly = np.einsum("kab,kvb->kva", np.linalg.inv(A), poly - b[:, None])  # back to slave xi
    points, pair = _quadrature(poly, count, slave, master, degree)
    return _closest_only(points, pair, poly, count, xs_fai, xm_fai, nm)


def _closest_only(pts: Points, pair: np.ndarray, poly, count, xs_fai, xm_fai, nm) -> Points:
    """Drop each point that another piece of its slave facet also covers with a master facet closer to it
    (unsigned distance to the master facet's plane). pair (q,): each point's piece; poly, count: the pieces
    (k, v, 2) in slave xi with their vertex counts."""
    if not len(pair):
        return pts
    n_pairs = len(poly)
    pair_slave, pair_master = np.full(n_pairs, -1), np.full(n_pairs, -1)
    pair_slave[pair], pair_master[pair] = pts.slave, pts.master  # pieces with no point keep -1
    order = np.argsort(pair_slave, kind="stable")
    sorted_slave = pair_slave[order]
    first = np.searchsorted(sorted_slave, pts.slave)
    n_of = np.searchsorted(sorted_slave, pts.slave, side="right") - first  # pieces of each point's facet
    if n_of.max() <= 1:
        return pts
    e = xs_fai[pts.slave, 1:3] - xs_fai[pts.slave, :1]  # (q, 2, 3)
    x = xs_fai[pts.slave, 0] + np.einsum("qa,qai->qi", pts.xi, e)
    own = _plane_distance(x, xm_fai[pts.master, 0], nm[pts.master])
    keep = np.ones(len(pair), bool)
    for j in range(int(n_of.max())):
        q = np.flatnonzero(n_of > j)
        k = order[first[q] + j]
        q, k = q[k != pair[q]], k[k != pair[q]]
        covered = _inside(poly[k], count[k], pts.xi[q])
        closer = _plane_distance(x[q], xm_fai[pair_master[k], 0], nm[pair_master[k]]) < own[q] - 1e-12
        keep[q[covered & closer]] = False
    return Points(pts.slave[keep], pts.master[keep], pts.xi[keep], pts.weight[keep])


def _plane_distance(x_qi, origin_qi, normal_qi) -> np.ndarray:
    return np.abs(np.einsum("qi,qi->q", x_qi - origin_qi, normal_qi))


def _inside(poly, count, xi) -> np.ndarray:
    """Whether each point xi (q, 2) lies strictly inside its convex polygon (q, v, 2) of `count` vertices
    (either orientation; repeated vertices allowed)."""
    q, v = poly.shape[:2]
    rows = np.arange(q)
    cross = np.zeros((q, v))
    for i in range(v):
        a, b = poly[:, i], poly[rows, (i + 1) % np.maximum(count, 1)]
        edge = (i < count) & (np.abs(b - a).max(axis=1) > 1e-12)  # clipping repeats vertices: skip those
        cross[:, i] = np.where(edge, (b[:, 0] - a[:, 0]) * (xi[:, 1] - a[:, 1])
                               - (b[:, 1] - a[:, 1]) * (xi[:, 0] - a[:, 0]), np.nan)
    tol = 1e-12
    positive = np.where(np.isnan(cross), True, cross > tol).all(axis=1)
    negative = np.where(np.isnan(cross), True, cross < -tol).all(axis=1)
    return (count >= 3) & (positive | negative) & ~np.isnan(cross).all(axis=1)


def _clip(poly: np.ndarray, count: np.ndarray, c0: float, c: np.ndarray):
    """Clip polygons (k, v, 2) with `count` vertices to the half-plane c0 + c . xi >= 0."""
    k, v = poly.shape[:2]
    out = np.zeros((k, 2 * v, 2))
    mask = np.zeros((k, 2 * v), bool)
    rows = np.arange(k)
    for i in range(v):
        valid = i < count
        cur = poly[:, i]
        nxt = poly[rows, (i + 1) % np.maximum(count, 1)]
        d_cur, d_nxt = c0 + cur @ c, c0 + nxt @ c
        inside = d_cur >= 0
        cross = valid & (inside != (d_nxt >= 0))
        t = np.where(cross, d_cur / np.where(cross, d_cur - d_nxt, 1.0), 0.0)
        out[:, 2 * i], mask[:, 2 * i] = cur, valid & inside
        out[:, 2 * i + 1], mask[:, 2 * i + 1] = cur + t[:, None] * (nxt - cur), cross
    order = np.argsort(~mask, axis=1, kind="stable")
    count = mask.sum(axis=1)
    width = max(int(count.max(initial=0)), 1)
    return np.take_along_axis(out, order[:, :width, None], axis=1)[:, :_MAX_VERTICES], count


def _quadrature(poly, count, slave, master, degree: int) -> tuple[Points, np.ndarray]:
    """Gauss points on the fan triangles (v0, v_j, v_j+1) of each clipped polygon, and the polygon (k)
    of each point."""
    ref, w_ref = tri_rule(degree)
    pieces_s, pieces_m, pieces_xi, pieces_w, pieces_k = [], [], [], [], []
    for j in range(1, poly.shape[1] - 1):
        has = count > j + 1
        if not has.any():
            break
        v0, v1, v2 = poly[has, 0], poly[has, j], poly[has, j + 1]
        d1, d2 = v1 - v0, v2 - v0
        det = np.abs(d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0])
        xi = v0[:, None] + ref[None, :, :1] * d1[:, None] + ref[None, :, 1:] * d2[:, None]  # (k, q, 2)
        pieces_s.append(np.repeat(slave[has], len(ref)))
        pieces_m.append(np.repeat(master[has], len(ref)))
        pieces_xi.append(xi.reshape(-1, 2))
        pieces_w.append((det[:, None] * w_ref[None]).ravel())
        pieces_k.append(np.repeat(np.flatnonzero(has), len(ref)))
    if not pieces_s:
        return Points(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 2)), np.zeros(0)), np.zeros(0, np.int64)
    return (Points(*(np.concatenate(p) for p in (pieces_s, pieces_m, pieces_xi, pieces_w))),
            np.concatenate(pieces_k))
