"""The compressible neo-Hookean law assembled in spatial form: the fast path of FiniteStrainBody (the generic
path in finite.py takes any law's S and dS/dE).

W = mu/2 (I1 - 3) - mu ln J + lambda/2 (ln J)^2 (MPa) has Kirchhoff stress tau = mu (F F^T - I) + lambda ln J I
and spatial tangent lambda I (x) I + 2 mu' I_sym with mu' = mu - lambda ln J. With the spatial gradients
b_a = F^-T G_a (1/mm) of the reference gradients G_a, force and tangent of a cell are
    f_a  = sum_q dV tau b_a = sum_q dV (mu F G_a - mu' b_a)                                         (N)
    K_ab = sum_q dV (lambda b_a (x) b_b + mu' b_b (x) b_a) + I sum_q dV (mu' b_a.b_b + b_a tau b_b)   (N/mm):
two weighted gradient products per cell, as in the linear kernel, and no fourth-order tensor. Since
b_a tau b_b = G_a S G_b with S = mu I - mu' C^-1 and b_a.b_b = G_a C^-1 G_b, the last sum is
mu sum_q dV G_a.G_b, which does not change with u: `laplacian_picks` gives it once per body.
"""

import numpy as np

from ..laws.tensors import det_inv3
from .assembly import upper_select
from .kinematics import deformation_gradient


def neo_hookean_force_tangent(law, grad_cqai: np.ndarray, dV_cq: np.ndarray, u_cai: np.ndarray,
                              picked: np.ndarray) -> np.ndarray:
    """Cell forces (c, a, 3) in N of a NeoHookean law; fills `picked` (c, 9 x pairs) with the cells' upper
    node-pair tangent entries in N/mm (the order of assembly.upper_select), without the constant Laplacian
    part (laplacian_picks)."""
    mu, lam = law.lame  # MPa
    c, q, a, _ = grad_cqai.shape
    F = deformation_gradient(grad_cqai, u_cai)
    J, F_inv = det_inv3(F)
    mu_dV = (mu - lam * np.log(J)) * dV_cq  # mu' dV
    b = np.matmul(grad_cqai, F_inv).reshape(c, q, 3 * a)  # b_qai = G_qaJ F^-1_Ji
    FG = np.matmul(grad_cqai, np.swapaxes(F, 2, 3)).reshape(c, q, 3 * a)  # (F G_a)_i
    force = np.matmul((mu * dV_cq)[:, None], FG) - np.matmul(mu_dV[:, None], b)
    X = np.matmul(np.swapaxes(b * (lam * dV_cq)[..., None], 1, 2), b)  # [(a, i), (b, k)]
    Y = np.matmul(np.swapaxes(b * mu_dV[..., None], 1, 2), b)
    np.take(X.reshape(c, -1), upper_select(a), axis=1, out=picked)
    picked += np.take(Y.reshape(c, -1), upper_select(a, transposed=True), axis=1)
    return force.reshape(c, a, 3)


def laplacian_picks(mu: float, grad_cqai: np.ndarray, dV_cq: np.ndarray) -> np.ndarray:
    """The constant part mu sum_q dV (G_a . G_b) I (N/mm) as upper node-pair entries (c, 9 x pairs)."""
    c, q, a, _ = grad_cqai.shape
    G = grad_cqai.transpose(0, 2, 1, 3).reshape(c, a, 3 * q)
    L = np.matmul(G * np.repeat(mu * dV_cq, 3, axis=1)[:, None], np.swapaxes(G, 1, 2))
    first, second = np.triu_indices(a)
    picked = np.zeros((c, len(first), 9))
    picked[..., ::4] = L[:, first, second, None]
    return picked.reshape(c, -1)
