"""Small-strain kinematics: the strain-displacement operator B and strains in Voigt form."""

import numpy as np


def strain_operator(grad_cqai: np.ndarray) -> np.ndarray:
    """B (c, q, 6, 3a) mapping node-major element displacements (a*3 + i) to Voigt strain."""
    c, q, a, _ = grad_cqai.shape
    B = np.zeros((c, q, 6, a, 3))
    gx, gy, gz = grad_cqai[..., 0], grad_cqai[..., 1], grad_cqai[..., 2]
    B[:, :, 0, :, 0] = gx
    B[:, :, 1, :, 1] = gy
    B[:, :, 2, :, 2] = gz
    B[:, :, 3, :, 1], B[:, :, 3, :, 2] = gz, gy
    B[:, :, 4, :, 0], B[:, :, 4, :, 2] = gz, gx
    B[:, :, 5, :, 0], B[:, :, 5, :, 1] = gy, gx
    return B.reshape(c, q, 6, 3 * a)


def strain(grad_cqai: np.ndarray, u_cai: np.ndarray) -> np.ndarray:
    """Voigt strain (c, q, 6) with engineering shear, from cell displacements u_cai (mm)."""
    g = np.einsum("cqaj,cai->cqij", grad_cqai, u_cai)  # du_i/dx_j
    return np.stack([g[..., 0, 0], g[..., 1, 1], g[..., 2, 2],
                     g[..., 1, 2] + g[..., 2, 1], g[..., 0, 2] + g[..., 2, 0], g[..., 0, 1] + g[..., 1, 0]], axis=-1)
