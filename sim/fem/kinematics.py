"""Kinematics from cell displacements: small-strain Voigt strains and the deformation gradient."""

import numpy as np


def displacement_gradient(grad_cqai: np.ndarray, u_cai: np.ndarray) -> np.ndarray:
    """du_i/dx_j (c, q, 3, 3), dimensionless, from shape gradients (c, q, a, 3) in 1/mm and cell displacements (mm)."""
    return np.matmul(np.swapaxes(u_cai, 1, 2)[:, None], grad_cqai)


def strain(grad_cqai: np.ndarray, u_cai: np.ndarray) -> np.ndarray:
    """Voigt strain (c, q, 6) with engineering shear, from cell displacements u_cai (mm)."""
    g = displacement_gradient(grad_cqai, u_cai)
    return np.stack([g[..., 0, 0], g[..., 1, 1], g[..., 2, 2],
                     g[..., 1, 2] + g[..., 2, 1], g[..., 0, 2] + g[..., 2, 0], g[..., 0, 1] + g[..., 1, 0]], axis=-1)


def deformation_gradient(grad_cqai: np.ndarray, u_cai: np.ndarray) -> np.ndarray:
    """F (c, q, 3, 3) from reference shape gradients (c, q, a, 3) in 1/mm and cell displacements (c, a, 3) in mm."""
    F = displacement_gradient(grad_cqai, u_cai)
    F.reshape(F.shape[:2] + (9,))[..., ::4] += 1.0
    return F
