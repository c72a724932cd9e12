"""Closest-point projection of points onto tri3/tri6 facets and the normal gap with its first and second
derivatives (the geometric kernel of surface-to-surface contact).

For a point x_s and a facet x_m(zeta) (zeta in the reference triangle, extended beyond it where needed):
    zeta: (x_s - x_m(zeta)) . a_alpha = 0,   a_alpha = dx_m/dzeta_alpha,   g = (x_s - x_m(zeta)) . n,
with n the facet's unit normal at zeta (oriented by `sign`). With m_ab = a_a . a_b, the curvature
h_ab = n . x_m,ab and A_ab = m_ab - g h_ab (Laursen, Computational Contact and Impact Mechanics, 2002,
ch. 5; Wriggers, Computational Contact Mechanics, 2006, ch. 4):
    dg         = n . (dx_s - dx_m)                                  (dx_m at fixed zeta)
    dzeta      = A^-1 [a . (dx_s - dx_m) + g n . da]
    d(dg)      = -m^ab (a_b . (dx_s - dx_m)) (n . Da_a + h_ac Dzeta^c) - (n . da_a) Dzeta^a
Local DOFs of one point: the slave facet's nodes (x_s = N_s(xi) x, xi fixed) then the master facet's
nodes, three components each. Index letters: p = point, a = facet node, i = space, al/be = surface axes,
l = local DOF.
"""

import numpy as np

from ..fem.elements import tri_shape
from ..mesh.mesh import TRI6_EDGES

NEWTON_STEPS = 8  # closest-point iterations on curved (tri6) facets: quadratic convergence from the flat guess


def tri_second_derivatives(order: int) -> np.ndarray:
    """Second derivatives (a, 2, 2) of the tri3/tri6 shape functions (constant on the triangle)."""
    dlam = np.vstack([-np.ones(2), np.eye(2)])
    if order == 1:
        return np.zeros((3, 2, 2))
    vertex = 4.0 * np.einsum("ak,al->akl", dlam, dlam)
    i, j = TRI6_EDGES[:, 0], TRI6_EDGES[:, 1]
    edge = 4.0 * (np.einsum("ak,al->akl", dlam[i], dlam[j]) + np.einsum("ak,al->akl", dlam[j], dlam[i]))
    return np.concatenate([vertex, edge])


def facet_frame(xf_pai: np.ndarray, zeta_p: np.ndarray, sign_p: np.ndarray):
    """Point x (p, 3), tangents a (p, 3, 2), unit normal n (p, 3), shape values N (p, a) and gradients
    dN (p, a, 2) of facets with node coordinates xf (p, a, 3) at zeta (p, 2)."""
    order = 1 if xf_pai.shape[1] == 3 else 2
    N, dN = tri_shape(zeta_p, order)
    x = np.einsum("pa,pai->pi", N, xf_pai)
    a = np.einsum("pak,pai->pik", dN, xf_pai)
    n = np.cross(a[..., 0], a[..., 1]) * sign_p[:, None]
    return x, a, n / np.linalg.norm(n, axis=1, keepdims=True), N, dN


def project(x_pi: np.ndarray, xf_pai: np.ndarray) -> np.ndarray:
    """zeta (p, 2) of the closest point to x on each point's facet surface (extended beyond the triangle)."""
    corners = xf_pai[:, :3]
    e = np.stack([corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]], axis=2)  # (p, 3, 2)
    M = np.einsum("pik,pil->pkl", e, e)
    zeta = np.linalg.solve(M, np.einsum("pik,pi->pk", e, x_pi - corners[:, 0])[..., None])[..., 0]
    if xf_pai.shape[1] == 3:
        return zeta
    H = tri_second_derivatives(2)
    for _ in range(NEWTON_STEPS):
        N, dN = tri_shape(zeta, 2)
        d = x_pi - np.einsum("pa,pai->pi", N, xf_pai)
        a = np.einsum("pak,pai->pik", dN, xf_pai)
        x2 = np.einsum("akl,pai->pikl", H, xf_pai)
        A = np.einsum("pik,pil->pkl", a, a) - np.einsum("pi,pikl->pkl", d, x2)
        step = np.linalg.solve(A, np.einsum("pik,pi->pk", a, d)[..., None])[..., 0]
        zeta = zeta + step
        if np.abs(step).max(initial=0.0) < 1e-13:
            break
    return zeta


def gap_derivatives(Ns_pa: np.ndarray, xs_pai: np.ndarray, xm_pai: np.ndarray, sign_p: np.ndarray,
                    hessian: bool = True):
    """Gap g (p,) mm, zeta (p, 2), its gradient dg (p, l) and Hessian (p, l, l) (1/mm) with respect to the
    local DOFs [slave facet nodes, master facet nodes] of slave points x_s = Ns xs projected on master facets."""
    x_s = np.einsum("pa,pai->pi", Ns_pa, xs_pai)
    zeta = project(x_s, xm_pai)
    x_m, a, n, Nm, dNm = facet_frame(xm_pai, zeta, sign_p)
    g = np.einsum("pi,pi->p", x_s - x_m, n)
    p, ns, nm = len(g), Ns_pa.shape[1], xm_pai.shape[1]
    L = 3 * (ns + nm)
    coef = np.concatenate([Ns_pa, -Nm], axis=1)  # (p, ns + nm): dx_s - dx_m per node
    dg = (coef[:, :, None] * n[:, None, :]).reshape(p, L)
    if not hessian:
        return g, zeta, dg, None
    order = 1 if nm == 3 else 2
    h = np.einsum("akl,pai,pi->pkl", tri_second_derivatives(order), xm_pai, n)
    m = np.einsum("pik,pil->pkl", a, a)
    m_inv = np.linalg.inv(m)
    A_inv = np.linalg.inv(m - g[:, None, None] * h)
    # B_al = a_al . (dx_s - dx_m), E_al = n . da_al (da only from master nodes), both (p, 2, l)
    B = (coef[:, None, :, None] * a.transpose(0, 2, 1)[:, :, None, :]).reshape(p, 2, L)
    E = np.zeros((p, 2, ns + nm, 3))
    E[:, :, ns:, :] = dNm.transpose(0, 2, 1)[..., None] * n[:, None, None, :]
    E = E.reshape(p, 2, L)
    Z = A_inv @ (B + g[:, None, None] * E)  # dzeta (p, 2, l)
    inner = E + h @ Z
    hess = -(m_inv @ B).transpose(0, 2, 1) @ inner - E.transpose(0, 2, 1) @ Z
    return g, zeta, dg, 0.5 * (hess + hess.transpose(0, 2, 1))
