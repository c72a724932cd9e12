"""Small-strain kinematics: strains in Voigt form from displacement gradients."""

import numpy as np


def strain(grad_cqai: np.ndarray, u_cai: np.ndarray) -> np.ndarray:
    """Voigt strain (c, q, 6) with engineering shear, from cell displacements u_cai (mm)."""
    g = np.einsum("cqaj,cai->cqij", grad_cqai, u_cai)  # du_i/dx_j
    return np.stack([g[..., 0, 0], g[..., 1, 1], g[..., 2, 2],
                     g[..., 1, 2] + g[..., 2, 1], g[..., 0, 2] + g[..., 2, 0], g[..., 0, 1] + g[..., 1, 0]], axis=-1)
